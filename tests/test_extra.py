"""A --data folder may merge extra edge tables and RDF files (the large-graph user path)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from kg.cli import cli
from kg.data.curation import load
from kg.graph.namespace import EXO
from kg.graph.network import build_graph
from kg.graph.rdf import build_rdf, build_store
from kg.io.shacl import validate_shapes
from kg.query.paths import paths

TABLE = """subject\tpredicate\tobject\tsource
miRNA-1\tinhibits\tPTEN\tTestDB 1.0
PTEN\tpromotes\tosteoarthritis\tTestDB 1.0
PTEN\tpromotes\tosteoarthritis\tOtherDB 2
"""
TURTLE = """@prefix ex: <https://example.org/> .
ex:a ex:says "hello" .
ex:b ex:says "world" .
"""


@pytest.fixture()
def extra(mini: Path) -> Path:
    (mini / "extra").mkdir()
    (mini / "extra" / "targets.tsv").write_text(TABLE, encoding="utf-8")
    (mini / "extra" / "more.ttl").write_text(TURTLE, encoding="utf-8")
    return mini


def check(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(folder), "check", "--shacl"])
    return result.exit_code, result.output


def test_extra_data_is_merged(extra: Path) -> None:
    code, out = check(extra)
    assert code == 0, out
    assert "extra: 2 edges from edge tables, 1 RDF file(s)" in out
    cur = load(extra)
    g = build_graph(cur)
    # no claim makes PTEN -> osteoarthritis (toy2024-t1-02's NF-κB, an effect beside its
    # processes, does lead to osteoarthritis: not a table-only edge)
    merged = g.edges["PTEN", "osteoarthritis", "promotes"]
    assert merged["sources"] == ["OtherDB 2", "TestDB 1.0"] and merged["claims"] == []
    both = g.edges["miR-1", "PTEN", "inhibits"]  # also a curated claim's edge
    assert both["claims"] == ["toy2024-t1-01"] and both["sources"] == ["TestDB 1.0"]
    rdf = build_rdf(cur)
    assert (URIRef("https://example.org/a"), URIRef("https://example.org/says"),
            Literal("hello")) in rdf
    assert Literal("OtherDB 2") in set(rdf.objects(None, EXO.externalSource))
    assert len(build_store(cur)) == len(rdf)
    assert validate_shapes(cur, rdf) == []


def test_extra_edges_make_inferred_paths(extra: Path) -> None:
    cur = load(extra)
    res = paths(cur, "BM-MSC", "osteoarthritis")
    via_table = [p for p in res.paths
                 if p.nodes == ("BM-MSC", "miR-1", "PTEN", "osteoarthritis")]
    assert via_table and via_table[0].kind == "inferred"
    result = CliRunner().invoke(cli, ["--data", str(extra), "paths", "BM-MSC", "OA", "--limit",
                                      "0"])
    assert "from OtherDB 2" in result.output


@pytest.mark.parametrize(("line", "message"), [
    ("miRNA-1\tbinds\tPTEN\tX", "predicate: 'binds' is not one of"),
    ("miR-404\tinhibits\tPTEN\tX", "subject: unknown entity 'miR-404'"),
    ("miRNA-1\tinhibits\tPTEN\t", "source: empty"),
    ("miRNA-1\tinhibits\tmiR-1\tX", "acts on itself (self-loop)"),
    ("miRNA-1\tinhibits", "expected 4 tab-separated cells, found 2"),
])
def test_bad_extra_rows_are_reported(extra: Path, line: str, message: str) -> None:
    with (extra / "extra" / "targets.tsv").open("a", encoding="utf-8") as f:
        f.write(line + "\n")
    code, out = check(extra)
    assert code == 1
    assert any("extra/targets.tsv:5" in x and message in x for x in out.splitlines()), out


def test_broken_extra_rdf_is_reported(extra: Path) -> None:
    (extra / "extra" / "more.ttl").write_text("ex:a ex:b", encoding="utf-8")
    code, out = check(extra)
    assert code == 1 and "extra/more.ttl: not valid RDF" in out
    assert "Traceback" not in out
