"""One graph, two views: the RDF and networkx graphs agree; exports round-trip."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from rdflib import RDF, RDFS, Graph

from kg.data.curation import read_schema
from kg.data.model import Claim, Curation, Effect, Step
from kg.data.schema import node_types, type_class
from kg.graph.edges import claim_edges, edges
from kg.graph.namespace import EXO, Vocabulary
from kg.graph.network import build_graph
from kg.graph.rdf import build_rdf
from kg.io.formats import serialize

from .conftest import same_rdf

#: The shipped schema rows alone (no claims): enough for the edges of a hand-made claim.
SCHEMA = read_schema()


def _rdf_entity_edges(g: Graph) -> dict[tuple[str, str, str], set[str]]:
    """(s, p, o) -> supporting claim/report ids, read back from the RDF."""
    out: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    props = {str(EXO) + p.rdf_property: p.id for p in read_schema().predicates.values()}
    for s, p, o in g:
        if str(p) in props and (s, RDF.type, EXO.Edge) not in g:
            out[(str(s).rsplit("/", 1)[1], props[str(p)], str(o).rsplit("/", 1)[1])]
    for stmt in g.subjects(RDF.type, EXO.Edge):
        s = str(g.value(stmt, RDF.subject)).rsplit("/", 1)[1]
        p = props[str(g.value(stmt, RDF.predicate))]
        o = str(g.value(stmt, RDF.object)).rsplit("/", 1)[1]
        for claim in g.objects(stmt, EXO.supportedBy):
            out[(s, p, o)].add(str(claim).rsplit("/", 1)[1])
    return dict(out)


@pytest.fixture(params=["real", "mini"])
def which(request: pytest.FixtureRequest) -> str:
    """Run a test on the real data and on the small test folder."""
    return str(request.param)


@pytest.fixture()
def any_cur(which: str, request: pytest.FixtureRequest) -> Curation:
    cur: Curation = request.getfixturevalue("cur" if which == "real" else "mini_cur")
    return cur


@pytest.fixture()
def any_graph(which: str, any_cur: Curation, request: pytest.FixtureRequest) -> Any:
    """The networkx view: the session's for the real data, built for the small folder."""
    return request.getfixturevalue("graph") if which == "real" else build_graph(any_cur)


@pytest.fixture()
def any_rdf(which: str, any_cur: Curation, request: pytest.FixtureRequest) -> Graph:
    """The rdflib view: the session's for the real data, built for the small folder."""
    g: Graph = request.getfixturevalue("rdf") if which == "real" else build_rdf(any_cur)
    return g


@pytest.fixture()
def any_store(which: str, any_cur: Curation, request: pytest.FixtureRequest) -> Any:
    """The Oxigraph view: the session's for the real data, built for the small folder."""
    from kg.graph.rdf import build_store

    return request.getfixturevalue("store") if which == "real" else build_store(any_cur)


def test_rdf_and_networkx_agree(any_graph: Any, any_rdf: Graph) -> None:
    g, rdf = any_graph, any_rdf
    nx_edges = {(s, k, o): set(d["claims"]) for s, o, k, d in g.edges(keys=True, data=True)}
    assert _rdf_entity_edges(rdf) == nx_edges
    classes = {str(EXO) + type_class(read_schema(), t): t for t in node_types(read_schema())}
    rdf_nodes = {str(s).rsplit("/", 1)[1]: classes[str(o)]
                 for s, o in rdf.subject_objects(RDF.type) if str(o) in classes}
    assert rdf_nodes == {n: d["type"] for n, d in g.nodes(data=True)}


def test_networkx_edge_count_equals_unique_triples(any_cur: Curation, any_graph: Any) -> None:
    assert any_graph.number_of_edges() == len({e.key for e in edges(any_cur)})


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_export_round_trips(any_rdf: Graph, fmt: str) -> None:
    g = any_rdf
    back = Graph().parse(data=serialize(g, fmt).decode("utf-8"), format=fmt)
    assert len(back) == len(g)
    assert same_rdf(back, g)


def test_json_ld_round_trips(mini_cur: Curation) -> None:
    g = build_rdf(mini_cur)
    back = Graph().parse(data=serialize(g, "json-ld").decode("utf-8"), format="json-ld")
    assert same_rdf(back, g)


def test_schema_is_declared(cur: Curation, rdf: Graph) -> None:
    g, vocab = rdf, Vocabulary(cur)  # schema rows may declare terms EXO does not fix
    for pred in cur.predicates:
        prop = vocab.predicate(pred)
        assert g.value(prop, RDFS.label) is not None, pred
        assert g.value(prop, RDFS.comment) is not None, pred
    for etype in cur.types:
        assert (vocab.type_class(etype), RDFS.subClassOf, EXO.Entity) in g


def test_claim_node_has_provenance(mini_cur: Curation) -> None:
    g = build_rdf(mini_cur)
    res = list(g.query("""
        PREFIX exo: <https://w3id.org/exokg/schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?title ?review WHERE {
          ?c a exo:Claim ; exo:cargo ?cargo ; dcterms:source ?ref ; prov:wasDerivedFrom ?review .
          ?ref dcterms:title ?title .
        }"""))
    assert [(str(t), str(r).rsplit("/", 1)[1]) for t, r in res] == [
        ("Exosomal miR-1 inhibits PTEN", "toy2024")]


def test_sign_derivation_on_toy_claim() -> None:
    # cargo -| A -| B, promotes P, alleviates D:
    # chain sign +; B -> P must be +; P -> D: alleviates(-) x promotes(+) = -
    claim = Claim(id="t-t1-01", agent="exosome", source="S", cargo="c",
                  mechanism=(Step("-|", ("A",)), Step("-|", ("B",))),
                  processes=(Effect("promotes", "P"),), diseases=(Effect("alleviates", "D"),))
    assert claim_edges(claim, SCHEMA) == [
        ("S", "has_cargo", "c", 1, False),
        ("c", "inhibits", "A", -1, False),
        ("A", "inhibits", "B", -1, False),
        ("B", "promotes", "P", 1, True),
        ("P", "reduces", "D", -1, True),
    ]


def test_unknown_step_makes_derived_signs_unknown() -> None:
    claim = Claim(id="t-t1-02", agent="exosome", source="S",
                  mechanism=(Step("-?", ("A", "B")),), diseases=(Effect("alleviates", "D"),))
    assert claim_edges(claim, SCHEMA) == [
        ("S", "regulates", "A", None, False),
        ("S", "regulates", "B", None, False),
        ("A", "affects", "D", None, True),
        ("B", "affects", "D", None, True),
    ]


def test_parallel_predicates_stay_apart(mini_cur: Curation) -> None:
    g = build_graph(mini_cur)
    assert set(g["BM-MSC"]["miR-1"]) == {"has_cargo"}
    assert g.has_edge("PTEN", "PI3K-Akt", "member_of")
    assert g.has_edge("miR-1", "PTEN", "inhibits")


def test_graphml_round_trips(cur: Curation, graph: Any, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import networkx as nx

    from kg.graph.terms import edge_key
    from kg.io.graphml import graphml_bytes

    path = tmp_path / "g.graphml"
    path.write_bytes(graphml_bytes(cur))
    back = nx.read_graphml(path, force_multigraph=True)
    g = graph
    assert back.is_directed() and back.is_multigraph()
    assert set(back.nodes) == set(g.nodes)
    # edge keys read back are the GraphML edge ids ("e" + edge key); the predicate is data
    assert {(u, v, p) for u, v, p in back.edges(data="predicate")} == {
        (u, v, k) for u, v, k in g.edges(keys=True)}
    assert back.nodes["UC-MSC"]["type"] == "source"
    assert "hucMSC" in back.nodes["UC-MSC"]["synonyms"].split("|")
    edge = back.edges["miR-146a-5p", "IRAK1", "e" + edge_key("miR-146a-5p", "inhibits", "IRAK1")]
    assert edge["sign"] == "-" and "wei2024-t1-07" in edge["claims"].split("|")
    assert "Zhang 2021, Aging (Albany NY) [wei2024:40]" in edge["citations"]


def test_oxigraph_builder_gives_the_same_graph(any_rdf: Graph, any_store: Any) -> None:
    from kg.io.files import serialize_store

    for fmt in ("turtle", "nt"):
        back = Graph().parse(data=serialize_store(any_store, fmt).decode("utf-8"), format=fmt)
        assert same_rdf(back, any_rdf), fmt


def test_one_registry_of_formats(mini_cur: Curation) -> None:
    """Every format, RDF syntaxes included, is a row of kg.io.formats; files.py has none."""
    from kg.errors import ExportError
    from kg.io import files, formats

    assert not hasattr(files, "FORMATS")
    assert [n for n, f in formats.formats().items() if f.rdf_syntax] == ["turtle", "nt", "json-ld"]
    g = build_rdf(mini_cur)
    formats.register(formats.FileFormat(name="toy-nt", signature="nt", suffixes=(".toynt",),
                                        write=formats.get("nt").write, rdf_syntax="nt"))
    try:
        assert formats.serialize(g, "toy-nt") == formats.serialize(g, "nt")
    finally:
        formats.unregister("toy-nt")
    with pytest.raises(ExportError, match="'kgx' is not an RDF format"):
        formats.serialize(g, "kgx")
