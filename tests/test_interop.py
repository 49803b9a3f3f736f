"""The exported Turtle means the same in independent engines; SHACL shapes hold."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.cli import cli
from kg.data.model import Curation
from kg.graph.namespace import CLAIM
from kg.graph.rdf import build_rdf
from kg.io.shacl import validate_shapes
from kg.query.sparql import example_queries

from .conftest import TRIPLES

QUERIES = example_queries()


def rdflib_rows(g: Graph, query: str) -> Counter[tuple[str, ...]]:
    """Rows of ``query`` over the exported Turtle as rdflib read it."""
    result = g.query(query)
    return Counter(tuple("" if v is None else str(v) for v in row)  # type: ignore[union-attr]
                   for row in result)


def oxigraph_rows(store: Any, query: str) -> Counter[tuple[str, ...]]:
    """Rows of ``query`` over the exported Turtle as Oxigraph read it."""
    result = store.query(query)
    return Counter(tuple("" if sol[v] is None else sol[v].value for v in result.variables)
                   for sol in result)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_rdflib_and_oxigraph_agree(turtle_rdflib: Graph, turtle_oxigraph: Any, name: str
                                   ) -> None:
    query = QUERIES[name][0].read_text(encoding="utf-8")
    ours, theirs = rdflib_rows(turtle_rdflib, query), oxigraph_rows(turtle_oxigraph, query)
    assert ours, f"{name} returns nothing"
    assert ours == theirs


def test_schema_is_discoverable_in_oxigraph(turtle_oxigraph: Any) -> None:
    rows = oxigraph_rows(turtle_oxigraph, """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label WHERE { ?p a owl:ObjectProperty ; rdfs:label ?label }""")
    assert {"inhibits", "has cargo", "member of"} <= {r[0] for r in rows}


@pytest.mark.slow  # pyshacl takes tens of seconds over the real graph (once a session)
def test_real_graph_conforms_to_shapes(rdf_shacl: list[Any]) -> None:
    assert rdf_shacl == []


def test_shape_violation_names_focus_node_and_shape(mini_cur: Curation) -> None:
    # on the small data: pyshacl takes a minute over the real graph, and what is checked
    # here is how a violation is reported (the real graph's conformance is checked above)
    g = build_rdf(mini_cur)
    claim = CLAIM["toy2024-t1-01"]
    g.remove((claim, DCTERMS.source, None))
    g.remove((claim, URIRef("https://w3id.org/exokg/schema#agent"), None))
    found = [str(v) for v in validate_shapes(mini_cur, g)]
    assert found == [
        "claim:toy2024-t1-01: claim shape (dcterms:source): a claim cites at least one study",
        "claim:toy2024-t1-01: claim shape (exo:agent): a claim's agent is 'exosome' or 'cells'",
    ]


def test_check_shacl_command(mini: Path) -> None:
    # the command's wiring, on the small data; test_real_graph_conforms_to_shapes runs the
    # same validate_shapes(cur, build_rdf(cur)) over the real graph
    result = CliRunner().invoke(cli, ["--data", str(mini), "check", "--shacl"])
    assert result.exit_code == 0, result.output
    assert "SHACL: the graph conforms to schema/shapes.ttl" in result.output


def test_check_shacl_reports_broken_shapes_file(mini: Path) -> None:
    (mini / "schema" / "shapes.ttl").write_text("this is not turtle", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--data", str(mini), "check", "--shacl"])
    assert result.exit_code == 1
    assert "cannot read shapes file" in result.output and "Traceback" not in result.output


def test_kgx_tables_round_trip(cur: Curation, graph: Any, tmp_path: Path) -> None:
    import csv

    from kg.graph.curie import converter, expand
    from kg.graph.edges import edges
    from kg.graph.rdf import entity_iri
    from kg.io.tables import kgx_nodes, write_tables

    nodes_path, edges_path = write_tables(cur, "kgx", tmp_path)
    with nodes_path.open(encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f, delimiter="\t"))
    with edges_path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    g = graph
    conv = converter(cur)
    # every node keeps its local CURIE (as its id, or in xref when a standard id is used),
    # and it expands to the IRI the RDF export uses for the same node
    # mapped ontology terms (close, broad, narrow matches) end mapping edges only
    mappings = [r for r in rows if r["predicate"].endswith("_match")]
    rows = [r for r in rows if not r["predicate"].endswith("_match")]
    terms = {r[end] for r in mappings for end in ("subject", "object")}
    local = {}
    for n in nodes:
        mine = [x for x in [n["id"], *n["xref"].split("|")]
                if x.split(":", 1)[0] in ("exokg", "exokg.trial")]
        if not mine and n["id"] in terms:
            continue
        assert len(mine) == 1, n
        local[n["id"]] = mine[0]
    assert {expand(conv, c) for c in local.values()} == {str(entity_iri(n)) for n in g.nodes}
    assert sum(not n["id"].startswith("exokg") for n in nodes) > 100  # standard ids in use
    assert all(n["category"].startswith("biolink:") for n in nodes)
    prop = {f"exo:{p.rdf_property}": p.id for p in cur.predicates.values()}
    got = set()
    for r in rows:
        s, o = local[r["subject"]].split(":", 1)[1], local[r["object"]].split(":", 1)[1]
        if r["original_predicate"] == "exo:partOf":  # written as Biolink's has_part
            assert r["predicate"] == "biolink:has_part"
            s, o = o, s
        got.add((s, prop[r["original_predicate"]], o))
    assert got == {(e.subject, e.predicate, e.object) for e in edges(cur)}
    ids = kgx_nodes(cur)
    mir = [r for r in rows if r["subject"] == ids["miR-146a-5p"][0]
           and r["object"] == ids["IRAK1"][0]]
    assert ids["IRAK1"][0].startswith("HGNC:")
    assert mir and mir[0]["predicate"] == "biolink:affects"
    assert mir[0]["object_direction_qualifier"] == "decreased"
    assert mir[0]["qualified_predicate"] == "biolink:causes"
    assert mir[0]["primary_knowledge_source"] == "infores:exokg"
    assert mir[0]["publications"] and "wei2024-t1-07" in mir[0]["supporting_claims"].split("|")


def test_neo4j_tables_round_trip(cur: Curation, graph: Any, tmp_path: Path) -> None:
    import csv

    from kg.io.tables import write_tables

    nodes_path, rels_path = write_tables(cur, "neo4j", tmp_path)
    with nodes_path.open(encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    with rels_path.open(encoding="utf-8", newline="") as f:
        rels = list(csv.DictReader(f))
    g = graph
    assert {n["id:ID"] for n in nodes} == set(g.nodes)
    assert {(r[":START_ID"], r[":TYPE"].lower(), r[":END_ID"]) for r in rels} == {
        (u, k, v) for u, v, k in g.edges(keys=True)}
    uc = next(n for n in nodes if n["id:ID"] == "UC-MSC")
    assert uc[":LABEL"] == "Source" and "hucMSC" in uc["synonyms:string[]"].split(";")


def test_export_tables_cli(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "export", "-f", "kgx", "-o",
                                      str(tmp_path / "kgx")])
    assert result.exit_code == 0, result.output
    assert "nodes.tsv" in result.output and "edges.tsv" in result.output
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "export", "-f", "neo4j", "-o",
                                      "-"])
    assert result.exit_code == 2 and "writes two files: give a folder" in result.output


def test_unknown_xref_prefix_is_rejected(mini: Path) -> None:
    with (mini / "entities" / "all.tsv").open("a", encoding="utf-8") as f:
        f.write("XYZ1\tprotein\tXYZ1\t\tnotaprefix:1\t\n")
    result = CliRunner().invoke(cli, ["--data", str(mini), "check"])
    assert result.exit_code == 1
    assert "xrefs: unknown prefix 'notaprefix' in 'notaprefix:1'" in result.output
