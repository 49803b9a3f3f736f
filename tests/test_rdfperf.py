"""The RDF build at scale: one emitter for both views, a cache that keeps derived work.

Issue 16: the Oxigraph store is bulk-loaded from N-Triples text (no Python object per
triple) and must hold exactly the triples of the rdflib graph; a cached store is built on
disk, never in memory and then copied; the cached curation keeps its edges; warm ``export``
and ``sparql`` never import rdflib.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

import kg.graph.edges
import kg.graph.rdf
from kg.data.curation import load
from kg.data.model import Curation
from kg.errors import KGError
from kg.graph.edges import edges
from kg.graph.rdf import PREFIXES, build_rdf, build_store, entity_iri
from kg.io.cache import load_cached, store_for

from .conftest import CLI_PROBE, same_rdf


def as_rdflib(store: Any) -> Graph:
    """An Oxigraph store's default graph, read back by rdflib."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=data, format="nt")


def test_store_and_rdflib_graph_hold_the_same_triples(rdf: Graph, store: Any) -> None:
    """The two builders share one emitter: on the curated data their triple sets are equal."""
    assert len(store) == len(rdf)
    assert same_rdf(as_rdflib(store), rdf)


def test_literals_that_need_escaping_come_through_both_views(mini_cur: Curation) -> None:
    ent_id = sorted(mini_cur.entities)[0]
    note = 'said "yes" \\ back\\slash\nnew line\r\ttab, ünïcödé → 𝛼'
    mini_cur.entities[ent_id] = mini_cur.entities[ent_id]._replace(note=note)
    rdf = build_rdf(mini_cur)
    from_store = as_rdflib(build_store(mini_cur))
    assert same_rdf(from_store, rdf)
    comment = URIRef("http://www.w3.org/2000/01/rdf-schema#comment")
    assert list(from_store.objects(entity_iri(ent_id), comment)) == [Literal(note)]


def test_an_iri_that_cannot_be_written_is_one_clear_error(mini_cur: Curation) -> None:
    ent_id = sorted(mini_cur.entities)[0]
    prefix = sorted(mini_cur.prefixes)[0]
    mini_cur.entities[ent_id] = mini_cur.entities[ent_id]._replace(xrefs=(f"{prefix}:a b",))
    with pytest.raises(KGError, match="is not a valid IRI"):
        build_store(mini_cur)


def test_prefixes_are_the_namespaces() -> None:
    """PREFIXES are plain strings (no rdflib to read them) spelling the same namespaces."""
    from rdflib import RDF, RDFS
    from rdflib.namespace import DCTERMS, OWL, SKOS, XSD

    from kg.graph import namespace as ns

    expected = {"exo": ns.EXO, "id": ns.ID, "claim": ns.CLAIM, "ref": ns.REF,
                "trial": ns.TRIAL, "report": ns.REPORT, "edge": ns.EDGE, "attr": ns.ATTR,
                "biolink": ns.BIOLINK, "prov": ns.PROV, "skos": SKOS, "dcterms": DCTERMS,
                "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD}
    assert PREFIXES == {k: str(v) for k, v in expected.items()}


def test_edges_look_up_the_claim_predicates_once(mini_cur: Curation,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Looking them up per claim hashed every record per claim: quadratic at scale."""
    calls = []
    real = kg.graph.edges._CLAIM_PREDICATES

    def counting(cur: Curation) -> Any:
        calls.append(1)
        return real(cur)

    monkeypatch.setattr(kg.graph.edges, "_CLAIM_PREDICATES", counting)
    assert len(mini_cur.claims) > 1
    assert kg.graph.edges._edges(mini_cur)
    assert len(calls) == 1


def test_a_cached_curation_keeps_its_edges(mini: Path, private_cache: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = edges(load(mini))
    load_cached(mini, load)  # writes the entry
    warm = load_cached(mini, load)

    def recompute(cur: Curation) -> Any:
        raise AssertionError("edges recomputed on a warm call")

    monkeypatch.setattr(kg.graph.edges._EDGES, "make", recompute)
    assert edges(warm) == fresh
    warm.claims.pop(sorted(warm.claims)[0])  # records changed: the kept edges are stale
    with pytest.raises(AssertionError, match="recomputed"):
        edges(warm)


def test_a_cached_store_is_built_on_disk_not_copied(mini: Path, private_cache: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    expected = as_rdflib(build_store(load(mini)))

    def in_memory(cur: Curation) -> Any:
        raise AssertionError("built in memory")

    monkeypatch.setattr(kg.graph.rdf, "build_store", in_memory)
    first = store_for(load_cached(mini, load))
    again = store_for(load_cached(mini, load))
    assert same_rdf(as_rdflib(first), expected)
    assert same_rdf(as_rdflib(again), expected)
    entries = list(private_cache.glob("*/oxigraph/complete"))
    assert len(entries) == 1
    assert entries[0].read_text(encoding="ascii").strip() == str(len(expected))
    with pytest.raises((OSError, RuntimeError)):  # read-only: the entry cannot change
        again.add(ox.Quad(ox.NamedNode("http://example.org/a"),
                          ox.NamedNode("http://example.org/b"),
                          ox.NamedNode("http://example.org/c")))


_PROBE = CLI_PROBE + """print("rdflib imported:", "rdflib" in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["export", "-f", "turtle", "-o", "-"],
                                  ["export", "-f", "nt", "-o", "-"]])
def test_warm_export_and_sparql_do_not_import_rdflib(mini: Path, private_cache: Path,
                                                     args: list[str]) -> None:
    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    command = [sys.executable, "-c", _PROBE, "--data", str(mini), *args]
    cold = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    warm = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert warm.stdout == cold.stdout and warm.stdout
    assert "rdflib imported: False" in warm.stderr, warm.stderr


def test_warm_sparql_imports_only_rdflib_s_query_parser(mini: Path, private_cache: Path) -> None:
    """A query that spells ``service`` is read with rdflib's SPARQL grammar first (the
    SERVICE and Update check, :func:`kg.query.sparql.check_query`) and nothing more of
    rdflib is imported: no graph is built or parsed with it, the query runs on the cached
    Oxigraph store. (A query that does not spell it runs unparsed: test_first_call.)"""
    probe = _PROBE.replace('print("rdflib imported:", "rdflib" in sys.modules, file=sys.stderr)',
                           'print("rdflib parts:", sorted(m for m in sys.modules if m.startswith('
                           '"rdflib.plugins.")), file=sys.stderr)')
    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    query = "SELECT ?service WHERE { ?service a exo:Claim } LIMIT 2"
    command = [sys.executable, "-c", probe, "--data", str(mini), "sparql", query]
    subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    warm = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "claim:" in warm.stdout, warm.stdout
    parts = warm.stderr.split("rdflib parts:", 1)[1]
    assert "rdflib.plugins.sparql.parser" in parts
    for unused in ("rdflib.plugins.parsers.notation3", "rdflib.plugins.parsers.ntriples",
                   "rdflib.plugins.serializers.turtle"):
        assert unused not in parts, parts


@pytest.mark.parametrize("no_cache", [True, False])
def test_export_builds_no_store_and_emits_once(no_cache: bool, mini: Path, private_cache: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    """An export is written from the emitter's text: no store is filled, the text is made
    once per command, and with the cache a second export reads the kept bytes."""
    from click.testing import CliRunner

    from kg.cli import cli

    emitted, filled = [], []
    real = kg.graph.rdf.ntriples
    monkeypatch.setattr(kg.graph.rdf, "ntriples", lambda cur: emitted.append(1) or real(cur))
    monkeypatch.setattr(kg.graph.rdf, "fill_store",
                        lambda store, cur: filled.append(1))  # would break the output
    args = ["--no-cache"] if no_cache else []
    outputs = []
    for fmt in ("turtle", "turtle"):
        result = CliRunner().invoke(cli, ["--data", str(mini), *args, "export", "-f", fmt,
                                          "-o", str(tmp_path / "g.ttl"), "--force"])
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / "g.ttl").read_bytes())
    assert filled == [] and outputs[0] == outputs[1]
    assert len(emitted) == (2 if no_cache else 1)


def test_export_bytes_equal_a_stores(cur: Curation) -> None:
    """The store-free export writes the bytes the store's dump gives, in both formats."""
    from kg.graph.rdf import build_store, ntriples
    from kg.io.files import serialize_store, turtle_from_ntriples

    nt, store = ntriples(cur), build_store(cur)
    assert nt == serialize_store(store, "nt") and nt.count(b"\n") == len(store)
    assert turtle_from_ntriples(nt) == serialize_store(store, "turtle")


def test_store_cached_still_takes_a_builder(mini: Path, private_cache: Path) -> None:
    """The old way in: the store ``build`` returns is copied to disk and served from there."""
    from kg.io.cache import store_cached

    cur = load_cached(mini, load)
    built = []

    def build(c: Curation) -> Any:
        built.append(1)
        return build_store(c)

    first = store_cached(cur, build)
    again = store_cached(cur, build)
    assert built == [1]
    assert same_rdf(as_rdflib(first), as_rdflib(again))
    assert len(again) == len(build_store(cur))


def test_export_bytes_equal_a_stores_with_awkward_literals(cur: Curation) -> None:
    """Labels with a tab, a control character, a quote and a backslash take the canonical
    route and still give the store's bytes."""
    import copy

    from kg.graph.rdf import build_store, ntriples
    from kg.io.files import serialize_store

    odd = copy.copy(cur)
    entities = dict(cur.entities)
    entities["IL6"] = entities["IL6"]._replace(label='IL\t6 \x01 "x" \\ y')
    odd.entities = entities
    nt = ntriples(odd)
    assert b"\\t6 \\u0001" in nt
    assert nt == serialize_store(build_store(odd), "nt")
