"""Each claim as a nanopublication: valid for the nanopub library, its trusty URI recomputes."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from kg.data.model import Curation
from kg.graph.edges import claim_edges
from kg.graph.rdf import entity_iri, predicate_iri
from kg.io.nanopubs import NP_BASE, TEMP, file_name, nanopub, write_nanopubs
from kg.io.release import Creator, ReleaseInfo

nanopub_lib = pytest.importorskip("nanopub")

INFO = ReleaseInfo("0.2.0", "2026-12-07", (Creator.parse("Curie, Marie"),))


@pytest.fixture(scope="module")
def folder(cur: Curation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("np") / "nanopubs"
    write_nanopubs(cur, INFO, out)
    return out


def index(folder: Path) -> dict[str, str]:
    rows = (folder / "index.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "claim\turi\tfile"
    return {r.split("\t")[0]: r.split("\t")[1] for r in rows[1:]}


def read(path: Path) -> Any:
    from nanopub import Nanopub

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the library's ConjunctiveGraph
        return Nanopub(rdf=path)


def test_one_file_per_claim(cur: Curation, folder: Path) -> None:
    assert sorted(index(folder)) == sorted(cur.claims)
    assert sorted(p.name for p in folder.glob("*.trig")) == sorted(
        file_name(c) for c in cur.claims)


def sample(cur: Curation) -> list[str]:
    ids = sorted(cur.claims)
    return [*ids[::15], next(c for c in ids if cur.claims[c].flag)]


def test_nanopubs_are_valid_for_the_nanopub_library(cur: Curation, folder: Path) -> None:
    uris = index(folder)
    for claim_id in sample(cur):
        np = read(folder / file_name(claim_id))
        assert np.is_valid and np.has_valid_trusty
        assert str(np.source_uri) == uris[claim_id]
        assert uris[claim_id].startswith(NP_BASE + "RA")


def recompute(path: Path) -> tuple[str, str]:
    """(the artefact in the file's URIs, the artefact of its content with them taken out)."""
    from nanopub.trustyuri.rdf import RdfHasher
    from rdflib import Dataset

    data = Dataset()
    data.parse(path, format="trig")
    quads = []
    artefact = ""
    for s, p, o, g in data.quads((None, None, None, None)):
        def plain(term: Any) -> Any:
            nonlocal artefact
            text = str(term)
            if isinstance(term, URIRef) and text.startswith(NP_BASE + "RA"):
                name, _, rest = text[len(NP_BASE):].partition("#")
                artefact = name
                return URIRef(TEMP + rest if rest else TEMP.rstrip("#"))
            return term
        quads.append((plain(g), plain(s), plain(p), plain(o)))
    return artefact, RdfHasher.make_hash(sorted(quads), baseuri=TEMP, hashstr=" ")


def test_trusty_uri_recomputes_from_the_content(cur: Curation, folder: Path) -> None:
    for claim_id in sample(cur)[:5]:
        named, computed = recompute(folder / file_name(claim_id))
        assert named == computed and len(named) == 45


def test_a_changed_triple_breaks_the_trusty_uri(cur: Curation, folder: Path,
                                                tmp_path: Path) -> None:
    from nanopub.utils import MalformedNanopubError

    claim_id = sample(cur)[0]
    text = (folder / file_name(claim_id)).read_text(encoding="utf-8")
    edited = tmp_path / "edited.trig"
    edited.write_text(text.replace("#hadPrimarySource>", "#wasQuotedFrom>", 1),
                      encoding="utf-8")
    assert text != edited.read_text(encoding="utf-8")
    named, computed = recompute(edited)
    assert named != computed
    with pytest.raises(MalformedNanopubError, match="Trusty artefact"):
        assert read(edited).has_valid_trusty


def test_assertion_is_the_claims_edges_and_provenance_its_sources(cur: Curation) -> None:
    from rdflib import Dataset

    claim = next(c for c in cur.claims.values() if c.flag and c.evidence and c.basis)
    uri, data = nanopub(cur, claim, INFO)
    ds = Dataset()
    ds.parse(data=data.decode(), format="trig")
    assertion = ds.graph(URIRef(uri + "#assertion"))
    assert set(assertion) == {(entity_iri(s), predicate_iri(p, cur), entity_iri(o))
                              for s, p, o, _, _ in claim_edges(claim, cur)}
    prov = {(str(p).rsplit("#", 1)[-1], str(o)) for _, p, o in
            ds.graph(URIRef(uri + "#provenance"))}
    assert ("wasDerivedFrom", f"https://w3id.org/exokg/ref/{claim.review}") in prov
    assert ("location", claim.where) in prov and ("flag", claim.flag) in prov
    assert {("evidence", e) for e in claim.evidence} <= prov
    assert {("citation", c) for c in claim.refs} <= prov
    pubinfo = {str(p).rsplit("/", 1)[-1]: str(o) for _, p, o in
               ds.graph(URIRef(uri + "#pubinfo"))}
    assert pubinfo["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert pubinfo["isPartOf"] == INFO.iri and pubinfo["created"] == INFO.date
    assert nanopub(cur, claim, INFO) == (uri, data)  # the same bytes again
