"""The JSON-LD and GraphML writers (issue 26): the documents rdflib and networkx wrote before.

Both formats are written as text, without importing rdflib or networkx. These tests hold
them to what those libraries give: the JSON-LD byte for byte equal to rdflib's serializer
(ordered as :func:`kg.io.files.graph_bytes` orders it) and read back by rdflib as the graph
of the Turtle export; the GraphML byte for byte equal to networkx's writer on
:func:`kg.io.graphml.graphml_graph` and read back by ``networkx.read_graphml`` as that graph.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from kg.data.curation import load
from kg.data.model import Curation

from .conftest import same_rdf

#: RDF in ``extra/`` with the terms exokg's own triples never hold.
TRICKY = """@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a ex:says "hello"@en, "bonjour"@fr, "quote \\" backslash \\\\ tab \\t line\\nend é ∑" ;
    ex:count 5, "007"^^xsd:integer, "-0"^^xsd:integer ;
    ex:ratio "1.5"^^xsd:double ; ex:when "2024-01-31"^^xsd:date ;
    ex:flag true, "1"^^xsd:boolean ; ex:plain "typed"^^xsd:string ;
    ex:items ( ex:x "y" 3 ) ; ex:none () ;
    ex:knows [ rdfs:label "someone" ; ex:knows [ rdfs:label "someone else" ] ] ;
    a ex:Thing, ex:Other .
[] ex:says "an unnamed subject" .
<https://w3id.org/exokg/id/odd/name> ex:says "a slash in an entity's local name" .
<https://w3id.org/exokg/schema#> rdfs:comment "the ontology node again" .
"""


def _turtle_graph(cur: Curation) -> Graph:
    from kg.io.formats import file_format

    data, _ = file_format("turtle").write(cur, False)
    return Graph().parse(data=data.decode("utf-8"), format="turtle")


def _oxigraph_triples(data: bytes, syntax: str) -> list[str]:
    """Each triple Oxigraph reads from ``data``, as an N-Triples line."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.JSON_LD if syntax == "json-ld" else ox.RdfFormat.N_TRIPLES
    return [str(q.triple) for q in ox.parse(data, format=fmt)]


def _networkx_graphml(cur: Curation) -> bytes:
    """What the GraphML export was: networkx's writer with XML Schema booleans."""
    from networkx.readwrite.graphml import GraphMLWriter

    from kg.io.graphml import SCHEMA_LOCATION, graphml_graph

    class Writer(GraphMLWriter):  # type: ignore[misc]
        def add_data(self, name: str, element_type: Any, value: str, scope: str = "all",
                     default: Any = None) -> Any:
            if element_type is bool:
                value = value.lower()
            return super().add_data(name, element_type, value, scope, default)

    writer = Writer(encoding="utf-8", prettyprint=True, edge_id_from_attribute="edge_id")
    writer.xml.set("xsi:schemaLocation", SCHEMA_LOCATION)
    writer.add_graph_element(graphml_graph(cur))
    buf = io.BytesIO()
    writer.dump(buf)
    return buf.getvalue()


@pytest.fixture()
def tricky(mini: Path) -> Path:
    """The toy folder with RDF of every kind of term in ``extra/`` and XML-hostile text."""
    (mini / "extra").mkdir()
    (mini / "extra" / "tricky.ttl").write_text(TRICKY, encoding="utf-8")
    (mini / "extra" / "edges.tsv").write_text(
        "subject\tpredicate\tobject\tsource\nmiRNA-1\tinhibits\tPTEN\tDB <1> & \"2\"\n",
        encoding="utf-8")
    return mini


# ------------------------------------------------------------------------------ JSON-LD


def test_jsonld_is_the_document_rdflib_wrote(cur: Curation, rdf: Graph) -> None:
    from kg.io.files import graph_bytes
    from kg.io.jsonld import jsonld_bytes

    data, count = jsonld_bytes(cur)
    assert data == graph_bytes(rdf, "json-ld")
    assert count == len(rdf)


def test_jsonld_reads_back_as_the_turtle_export(cur: Curation) -> None:
    from kg.io.jsonld import jsonld_bytes

    data, count = jsonld_bytes(cur)
    back = Graph().parse(data=data.decode("utf-8"), format="json-ld")
    turtle = _turtle_graph(cur)
    assert len(back) == count == len(turtle)
    assert same_rdf(back, turtle)


def test_jsonld_holds_every_kind_of_term(tricky: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rdflib

    from kg.io.formats import file_format
    from kg.io.jsonld import jsonld_bytes

    # rdflib's own default: the nanopub library turns it off for the whole process when its
    # trusty-URI module is imported (another test may have done so in this worker)
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", True)
    cur = load(tricky)
    data, count = jsonld_bytes(cur)
    # rdflib reads both alike (it folds "007"^^xsd:integer into "7" and "1"^^xsd:boolean
    # into "true" on either side) ...
    back = Graph().parse(data=data.decode("utf-8"), format="json-ld")
    turtle = _turtle_graph(cur)
    assert len(back) == len(turtle) and same_rdf(back, turtle)
    # ... Oxigraph keeps every lexical form: the same triples, blank nodes aside
    ours, theirs = _oxigraph_triples(data, "json-ld"), _oxigraph_triples(
        file_format("nt").write(cur, False)[0], "nt")
    assert len(ours) == len(theirs) == count
    assert {t for t in ours if "_:" not in t} == {t for t in theirs if "_:" not in t}
    doc = json.loads(data)
    nodes = {node["@id"]: node for node in doc["@graph"]}
    a = nodes["https://example.org/a"]
    assert a["@type"] == ["https://example.org/Other", "https://example.org/Thing"]
    assert a["https://example.org/flag"] == [
        True, {"@type": "http://www.w3.org/2001/XMLSchema#boolean", "@value": "1"}]
    assert 5 in a["https://example.org/count"]  # a canonical integer is a JSON number
    assert a["https://example.org/plain"] == "typed"  # xsd:string is a plain string
    assert "https://w3id.org/exokg/id/odd/name" in nodes  # not id:odd/name
    assert nodes["exo:"]["rdfs:comment"] == "the ontology node again"


def test_jsonld_of_the_toy_folder_with_pyld(mini: Path) -> None:
    """A second reader, when installed: pyld's N-Quads equal the N-Triples export."""
    jsonld = pytest.importorskip("pyld.jsonld")
    from kg.io.formats import file_format
    from kg.io.jsonld import jsonld_bytes

    cur = load(mini)
    data, _ = jsonld_bytes(cur)
    nquads = jsonld.to_rdf(json.loads(data), {"format": "application/n-quads"})
    nt, _ = file_format("nt").write(cur, False)
    assert same_rdf(Graph().parse(data=nquads, format="nt"),
                    Graph().parse(data=nt.decode("utf-8"), format="nt"))


# ------------------------------------------------------------------------------ GraphML


def test_graphml_is_the_document_networkx_wrote(cur: Curation) -> None:
    from kg.io.graphml import graphml_bytes

    assert graphml_bytes(cur) == _networkx_graphml(cur)


def _graphml_read_back(data: bytes) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    import networkx as nx

    back = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    edges = sorted((u, v, sorted(d.items())) for u, v, d in back.edges(data=True))
    return dict(back.nodes(data=True)), edges


def _view(cur: Curation) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    from kg.io.graphml import graphml_graph

    g = graphml_graph(cur)
    edges = sorted((u, v, sorted(d.items())) for u, v, d in g.edges(data=True))
    return dict(g.nodes(data=True)), edges


def test_graphml_reads_back_as_the_networkx_graph(cur: Curation) -> None:
    from kg.io.graphml import graphml_bytes

    nodes, edges = _graphml_read_back(graphml_bytes(cur))
    view_nodes, view_edges = _view(cur)
    assert nodes == view_nodes and edges == view_edges


def test_graphml_escapes_text_as_networkx_does(tricky: Path) -> None:
    from kg.io.graphml import graphml_bytes

    table = tricky / "entities" / "all.tsv"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("\tadipose-derived MSC\t", "\tadipose <derived> & \"MSC\"\t"),
                     encoding="utf-8")
    cur = load(tricky)
    assert cur.entities["AD-MSC"].label == 'adipose <derived> & "MSC"'
    data = graphml_bytes(cur)
    assert data == _networkx_graphml(cur)
    assert _graphml_read_back(data) == _view(cur)


def test_neither_writer_needs_its_library(cur: Curation, tmp_path: Path) -> None:
    """The bytes do not change when rdflib and networkx cannot be imported."""
    import subprocess
    import sys

    from kg.io.graphml import graphml_bytes
    from kg.io.jsonld import jsonld_bytes

    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('rdflib', 'networkx'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from kg.data.curation import load\n"
        "from kg.io.graphml import graphml_bytes\n"
        "from kg.io.jsonld import jsonld_bytes\n"
        "cur = load(sys.argv[1])\n"
        "open(sys.argv[2], 'wb').write(jsonld_bytes(cur)[0])\n"
        "open(sys.argv[3], 'wb').write(graphml_bytes(cur))\n")
    out_j, out_g = tmp_path / "g.jsonld", tmp_path / "g.graphml"
    subprocess.run([sys.executable, "-c", code, str(cur.root), str(out_j), str(out_g)],
                   check=True, capture_output=True, timeout=300)
    assert out_j.read_bytes() == jsonld_bytes(cur)[0]
    assert out_g.read_bytes() == graphml_bytes(cur)


@pytest.mark.parametrize("supported", [(), ("https://w3id.org/exokg/claim/b",),
                                       ("https://w3id.org/exokg/claim/b",
                                        "https://w3id.org/exokg/report/a", "urn:x:0")])
@pytest.mark.parametrize("sources", [(), ('DB <1> & "2"',), ("zeta\nlab", "alpha\\lab", "é")])
@pytest.mark.parametrize("sign", [None, "https://w3id.org/exokg/schema#negative"])
def test_an_edge_node_written_from_its_statement_is_the_node_of_its_triples(
        supported: tuple[str, ...], sources: tuple[str, ...], sign: str | None) -> None:
    """The JSON-LD writer's shortcut for edges (``_Writer.edge``) writes :meth:`node`'s text."""
    from kg.graph.rdf import PREFIXES, EdgeStatement
    from kg.io.jsonld import CONTEXT_PREFIXES, _Compactor, _Nodes, _Writer

    context = {prefix: PREFIXES[prefix] for prefix in sorted(CONTEXT_PREFIXES)}
    edge = EdgeStatement("https://w3id.org/exokg/edge/0123", "https://w3id.org/exokg/id/a",
                         "https://w3id.org/exokg/schema#inhibits", "urn:other:b", 'k "1"',
                         sign, True, "knowledge_assertion", "manual_agent", supported, sources)
    as_triples = _Nodes()
    as_triples._spread(edge)
    fast, slow = _Writer(_Compactor(context)), _Writer(_Compactor(context))
    assert fast.edge(edge) == slow.node(edge.node, as_triples.subjects[edge.node])
    assert as_triples.count() == 8 + (sign is not None) + len(supported) + len(sources)
    kept = _Nodes()
    kept.statement(edge)
    assert kept.count() == as_triples.count() and not kept.subjects
    kept.lit(edge.node, "urn:said:also", "x")  # said of the node elsewhere: triples again
    assert not kept.statements and kept.count() == as_triples.count() + 1
    assert kept.subjects[edge.node]["urn:said:also"] == {("l", "x"): None}
