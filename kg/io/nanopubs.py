"""Each claim as one nanopublication in TriG, named by a trusty URI.

A nanopublication has four graphs:

assertion
    the claim's edges (:func:`kg.graph.edges.claim_edges`), as the RDF export writes them
    (``id:miR-146a-5p exo:inhibits id:IRAK1``);
provenance
    about the assertion: the review it was read in (``prov:wasDerivedFrom``), the cited
    studies (``prov:hadPrimarySource``, and ``exo:citation`` as written), where in the
    review (``exo:location``), the evidence kinds (``exo:evidence``), and the curator's
    basis and flag (``exonp:basis``, ``exonp:flag``);
pubinfo
    about the nanopublication: the release it is part of, its date, licence and creators,
    and the claim it states (``dcterms:subject claim:ID``);
head
    the nanopublication and its three graphs.

Its URI ends in a trusty artefact (``RA`` and the base64 SHA-256 of the normalised
quads, computed by the ``nanopub`` library's trusty-URI code), so the URI names the content:
change a triple and the URI no longer matches. The URIs live under
``https://w3id.org/exokg/np/``; nothing is signed or published to the nanopublication
network. The graphs are written in a fixed order with their triples sorted, so the same
claim in the same release gives the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.data.model import Claim, Curation
from kg.errors import ExportError

if TYPE_CHECKING:
    from kg.io.release import ReleaseInfo

__all__ = [
    "EXONP", "NP_BASE", "PREFIXES", "TEMP", "Quad", "file_name", "nanopub", "trig",
    "write_nanopubs",
]

#: Where the nanopublications of a release live (a trusty artefact follows).
NP_BASE = "https://w3id.org/exokg/np/"
#: The namespace a nanopublication is built in before its trusty artefact is known.
TEMP = NP_BASE + "temp#"
#: Terms the nanopublications use that the graph export has no term for.
EXONP = "https://w3id.org/exokg/nanopub#"
_GRAPHS = ("Head", "assertion", "provenance", "pubinfo")
_NP = "http://www.nanopub.org/nschema#"
_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
#: Prefixes declared at the top of every file.
PREFIXES = {
    "dcterms": _DCT, "exo": "https://w3id.org/exokg/schema#", "exonp": EXONP,
    "foaf": "http://xmlns.com/foaf/0.1/", "np": _NP, "prov": _PROV, "rdfs": _RDFS,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
Quad = tuple[Any, Any, Any, Any]


def _quads(cur: Curation, claim: Claim, info: ReleaseInfo) -> list[Quad]:
    """The (graph, subject, predicate, object) quads of a claim, in the temporary namespace."""
    from rdflib import RDF, Literal, URIRef
    from rdflib.namespace import XSD

    from kg.graph.edges import claim_edges
    from kg.graph.namespace import CLAIM, EXO, REF
    from kg.graph.rdf import entity_iri, predicate_iri
    from kg.io.datapackage import LICENSE

    this = URIRef(TEMP.rstrip("#"))
    head, assertion, provenance, pubinfo = (URIRef(TEMP + g) for g in _GRAPHS)
    out: list[Quad] = [(head, this, RDF.type, URIRef(_NP + "Nanopublication")),
                       (head, this, URIRef(_NP + "hasAssertion"), assertion),
                       (head, this, URIRef(_NP + "hasProvenance"), provenance),
                       (head, this, URIRef(_NP + "hasPublicationInfo"), pubinfo)]
    for s, p, o, _, _ in claim_edges(claim, cur):
        out.append((assertion, entity_iri(s), predicate_iri(p, cur), entity_iri(o)))
    if len(out) == 4:
        raise ExportError(f"claim {claim.id} has no edge to assert")

    def prov(p: str, o: Any) -> None:
        out.append((provenance, assertion, URIRef(p), o))

    prov(_PROV + "wasDerivedFrom", REF[claim.review])
    for cited in claim.refs:
        prov(_PROV + "hadPrimarySource", REF[cur.citations[cited]])
        prov(str(EXO["citation"]), Literal(cited))
    prov(str(EXO["location"]), Literal(claim.where))
    for ev in claim.evidence:
        prov(str(EXO["evidence"]), Literal(ev))
    for basis in claim.basis:
        prov(EXONP + "basis", Literal(basis))
    if claim.flag:
        prov(EXONP + "flag", Literal(claim.flag))

    def info_(s: Any, p: str, o: Any) -> None:
        out.append((pubinfo, s, URIRef(p), o))

    release = URIRef(info.iri)
    info_(this, _RDFS + "label", Literal(f"exokg claim {claim.id}"))
    info_(this, _DCT + "subject", CLAIM[claim.id])
    info_(this, _DCT + "isPartOf", release)
    info_(this, _DCT + "created", Literal(info.date, datatype=XSD.date))
    info_(this, _DCT + "license", URIRef(LICENSE[1]))
    for i, creator in enumerate(info.creators, start=1):
        agent = URIRef(f"{info.iri}/creator/{i}")
        info_(this, _DCT + "creator", agent)
        info_(agent, PREFIXES["foaf"] + "name", Literal(creator.name))
    return out


def _trusty(quads: list[Quad]) -> tuple[str, list[Quad]]:
    """The trusty artefact of ``quads`` and the quads with it in place of the temporary names.

    The artefact is the ``nanopub`` library's (``RdfHasher.make_hash``); the names are
    replaced as its ``replace_trusty_in_graph`` does (``…/np/temp#assertion`` becomes
    ``…/np/RA…#assertion``).
    """
    from rdflib import URIRef

    try:
        from nanopub.trustyuri.rdf import RdfHasher
    except ImportError as exc:
        raise ExportError("writing nanopublications needs the nanopub package: pip install "
                          "'exokg[release]'") from exc
    artefact: str = RdfHasher.make_hash(sorted(quads), baseuri=TEMP, hashstr=" ")
    this = TEMP.rstrip("#")

    def name(term: Any) -> Any:
        if isinstance(term, URIRef) and (term == URIRef(this) or term.startswith(TEMP)):
            rest = str(term)[len(TEMP):] if term.startswith(TEMP) else ""
            return URIRef(NP_BASE + artefact + (f"#{rest}" if rest else ""))
        return term

    return artefact, [(name(g), name(s), name(p), name(o)) for g, s, p, o in quads]


def trig(quads: Iterable[Quad]) -> bytes:
    """TriG of quads: prefixes, then one block per graph (head first), triples sorted."""
    by_graph: dict[str, list[str]] = {}
    for g, s, p, o in quads:
        by_graph.setdefault(str(g), []).append(f"  {s.n3()} {p.n3()} {o.n3()} .")
    order = {name: i for i, name in enumerate(_GRAPHS)}
    lines = [f"@prefix {k}: <{v}> ." for k, v in sorted(PREFIXES.items())]
    for graph in sorted(by_graph, key=lambda g: order.get(g.rsplit("#", 1)[-1], 9)):
        lines += ["", f"<{graph}> {{", *sorted(set(by_graph[graph])), "}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def nanopub(cur: Curation, claim: Claim, info: ReleaseInfo) -> tuple[str, bytes]:
    """The trusty URI and the TriG of one claim's nanopublication."""
    artefact, quads = _trusty(_quads(cur, claim, info))
    return NP_BASE + artefact, trig(quads)


def file_name(claim_id: str) -> str:
    """The file of a claim's nanopublication (claim ids are safe file names)."""
    return f"{claim_id}.trig"


def write_nanopubs(cur: Curation, info: ReleaseInfo, folder: str | os.PathLike[str]
                   ) -> list[Path]:
    """Write one ``.trig`` file per claim and ``index.tsv`` (claim, URI, file) into ``folder``.

    ``folder`` must not exist yet (it is part of a release being staged).
    """
    from kg.io.files import atomic_write

    root = Path(folder)
    root.mkdir()
    written = []
    index = ["claim\turi\tfile"]
    for claim_id in sorted(cur.claims):
        uri, data = nanopub(cur, cur.claims[claim_id], info)
        written.append(atomic_write(root / file_name(claim_id), data))
        index.append(f"{claim_id}\t{uri}\t{file_name(claim_id)}")
    written.append(atomic_write(root / "index.tsv", ("\n".join(index) + "\n").encode()))
    return written
