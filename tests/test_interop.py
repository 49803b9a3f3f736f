"""The exported Turtle means the same in independent engines; SHACL shapes hold."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.cli import cli
from kg.export import export
from kg.model import Curation
from kg.namespace import CLAIM
from kg.rdf import build_rdf
from kg.shacl import validate_shapes
from kg.sparql import example_queries

from .conftest import TRIPLES

QUERIES = example_queries()


@pytest.fixture(scope="module")
def turtle(tmp_path_factory: pytest.TempPathFactory, cur: Curation) -> Path:
    path = export(build_rdf(cur), "turtle", tmp_path_factory.mktemp("ttl") / "exokg.ttl")
    assert path is not None
    return path


def rdflib_rows(path: Path, query: str) -> Counter[tuple[str, ...]]:
    g = Graph().parse(path, format="turtle")
    result = g.query(query)
    return Counter(tuple("" if v is None else str(v) for v in row)  # type: ignore[union-attr]
                   for row in result)


def oxigraph_rows(path: Path, query: str) -> Counter[tuple[str, ...]]:
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    result = store.query(query)
    return Counter(tuple("" if sol[v] is None else sol[v].value for v in result.variables)
                   for sol in result)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_rdflib_and_oxigraph_agree(turtle: Path, name: str) -> None:
    query = QUERIES[name][0].read_text(encoding="utf-8")
    ours, theirs = rdflib_rows(turtle, query), oxigraph_rows(turtle, query)
    assert ours, f"{name} returns nothing"
    assert ours == theirs


def test_schema_is_discoverable_in_oxigraph(turtle: Path) -> None:
    rows = oxigraph_rows(turtle, """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label WHERE { ?p a owl:ObjectProperty ; rdfs:label ?label }""")
    assert {"inhibits", "has cargo", "member of"} <= {r[0] for r in rows}


def test_real_graph_conforms_to_shapes(cur: Curation) -> None:
    assert validate_shapes(cur, build_rdf(cur)) == []


def test_shape_violation_names_focus_node_and_shape(cur: Curation) -> None:
    g = build_rdf(cur)
    claim = CLAIM["wei2024-t1-07"]
    g.remove((claim, DCTERMS.source, None))
    g.remove((claim, URIRef("https://w3id.org/exokg/schema#agent"), None))
    found = [str(v) for v in validate_shapes(cur, g)]
    assert found == [
        "claim:wei2024-t1-07: claim shape (dcterms:source): a claim cites at least one study",
        "claim:wei2024-t1-07: claim shape (exo:agent): a claim's agent is 'exosome' or 'cells'",
    ]


def test_check_shacl_command() -> None:
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "check", "--shacl"])
    assert result.exit_code == 0, result.output
    assert "SHACL: the graph conforms to schema/shapes.ttl" in result.output


def test_check_shacl_reports_broken_shapes_file(mini: Path) -> None:
    (mini / "schema" / "shapes.ttl").write_text("this is not turtle", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--data", str(mini), "check", "--shacl"])
    assert result.exit_code == 1
    assert "cannot read shapes file" in result.output and "Traceback" not in result.output
