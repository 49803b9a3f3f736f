"""The schema drives the code: a type or predicate added by rows works in every view.

A copy of ``triples/`` gets an entity type ``lipid`` (a row of ``schema/types.tsv``), a new
parent predicate ``in_class`` (a row of ``schema/predicates.tsv``), the parent rule joining
them (``schema/parents.tsv``) and a style; one lipid entity with a parent is the cargo of
one new claim. No Python changes: the edges, RDF, KGX, SHACL and ``exokg check`` must all
get it right.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from kg.cli import cli
from kg.data.curation import load, validate
from kg.data.model import Curation
from kg.errors import KGError
from kg.graph.edges import edges
from kg.graph.namespace import EDGE, EXO, ID, Vocabulary, exo_term
from kg.graph.rdf import build_rdf, predicate_iri
from kg.graph.terms import edge_key
from kg.io.shacl import validate_shapes
from kg.io.tables import kgx_tables

TRIPLES = Path(__file__).resolve().parent.parent / "triples"
LIPID_CLASS = URIRef("https://w3id.org/exokg/schema#Lipid")
IN_CLASS = URIRef("https://w3id.org/exokg/schema#inClass")
CLAIM_ID = "li2025-sLIPID-01"


def _append(file: Path, line: str) -> None:
    text = file.read_text(encoding="utf-8")
    file.write_text(text + ("" if text.endswith("\n") else "\n") + line + "\n",
                    encoding="utf-8")


#: Where the rows go in the real data, and in the small test folder.
FULL = {"entities": "entities/chemicals.tsv", "parent": "H2O2", "parent_type": "chemical",
        "claims": "claims/li2025-exosomes.tsv", "source": "UC-MSC", "refs": "li2025:54",
        "review": "li2025", "process": "apoptosis"}
MINI = {"entities": "entities/all.tsv", "parent": "PI3K-Akt", "parent_type": "pathway",
        "claims": "claims/toy2024.tsv", "source": "BMSC", "refs": "toy2024:1",
        "review": "toy2024", "process": "angiogenesis"}


def _add_lipid(root: Path, place: dict[str, str] = FULL, *, parent_rule: bool = True,
               style: bool = True) -> None:
    """Add the lipid type, the in_class predicate, one lipid entity and one claim (rows)."""
    schema = root / "schema"
    _append(schema / "types.tsv", "\t".join([
        "lipid", "lipid", "Lipid species carried as cargo", "biolink:SmallMolecule", "Lipid",
        "cargo", "", "cargo"]))
    _append(schema / "predicates.tsv", "\t".join([
        "in_class", "in class", "A lipid belongs to the broader chemical class", "",
        "hierarchy", "biolink:member_of", "parent", "inClass", "", ""]))
    if parent_rule:
        _append(schema / "parents.tsv", f"lipid\t{place['parent_type']}\tin_class\t")
    if style:
        styles = json.loads((schema / "styles.json").read_text(encoding="utf-8"))
        styles["nodes"]["lipid"] = {"color": "#8da0cb", "shape": "dot", "label": "lipid"}
        (schema / "styles.json").write_text(json.dumps(styles, indent=2), encoding="utf-8")
    entities = (root / place["entities"]).read_text(encoding="utf-8").split("\n", 1)[0]
    cells = {"id": "test-lipid", "type": "lipid", "label": "test lipid",
             "parents": place["parent"], "note": "a test entity, not a fact"}
    _append(root / place["entities"],
            "\t".join(cells.get(column, "") for column in entities.split("\t")))
    claims = (root / place["claims"]).read_text(encoding="utf-8").split("\n", 1)[0]
    claim_id = CLAIM_ID if place is FULL else "toy2024-t1-99"
    cells = {"id": claim_id, "agent": "exosome", "source": place["source"],
             "cargo": "test lipid", "processes": f"reduces {place['process']}",
             "evidence": "in vitro", "refs": place["refs"], "review": place["review"],
             "where": "test row", "basis": "text"}
    _append(root / place["claims"],
            "\t".join(cells.get(column, "") for column in claims.split("\t")))


@pytest.fixture(scope="module")
def lipid_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lipid") / "triples"
    shutil.copytree(TRIPLES, root)
    _add_lipid(root)
    return root


@pytest.fixture(scope="module")
def lipid(lipid_root: Path) -> Curation:
    return load(lipid_root)


def test_rows_make_the_type_and_predicate(lipid: Curation) -> None:
    assert lipid.types["lipid"].rdf_class == "Lipid"
    assert lipid.predicates["in_class"].rdf_property == "inClass"
    assert lipid.parent_rules[("lipid", "chemical")].predicate == "in_class"


def test_lipid_edges(lipid: Curation) -> None:
    by_key = {e.key: e for e in edges(lipid)}
    cargo = by_key[("UC-MSC", "has_cargo", "test-lipid")]
    assert (cargo.kind, cargo.sign, cargo.claims) == ("cargo", 1, (CLAIM_ID,))
    parent = by_key[("test-lipid", "in_class", "H2O2")]
    assert (parent.kind, parent.sign, parent.claims) == ("hierarchy", None, ())
    assert not [k for k in by_key if k[0] == "test-lipid" and k[1] == "is_a"]


def test_lipid_rdf(lipid: Curation) -> None:
    g = build_rdf(lipid)
    node = ID["test-lipid"]
    assert (node, RDF.type, LIPID_CLASS) in g
    assert (LIPID_CLASS, RDF.type, OWL.Class) in g
    assert (LIPID_CLASS, RDFS.subClassOf, EXO.Entity) in g
    assert (IN_CLASS, RDF.type, OWL.ObjectProperty) in g
    assert (node, IN_CLASS, ID["H2O2"]) in g
    statement = EDGE[edge_key("test-lipid", "in_class", "H2O2")]
    assert (statement, RDF.type, EXO.Edge) in g
    assert (statement, RDF.predicate, IN_CLASS) in g
    assert (statement, EXO.kind, Literal("hierarchy")) in g
    assert g.value(statement, EXO.sign) is None  # a parent link has no sign
    cargo = EDGE[edge_key("UC-MSC", "has_cargo", "test-lipid")]
    assert (cargo, EXO.kind, Literal("cargo")) in g
    assert (cargo, EXO.sign, EXO.positive) in g
    assert predicate_iri("in_class", lipid) == IN_CLASS


def test_lipid_kgx(lipid: Curation) -> None:
    nodes, edge_rows = (t.decode("utf-8").splitlines() for t in kgx_tables(lipid))
    node = next(line.split("\t") for line in nodes if line.startswith("exokg:test-lipid\t"))
    assert node[1] == "biolink:SmallMolecule"
    edge_id = f"exokg.edge:{edge_key('test-lipid', 'in_class', 'H2O2')}"
    row = next(line.split("\t") for line in edge_rows if line.startswith(edge_id + "\t"))
    assert row[1] == "exokg:test-lipid" and row[2] == "biolink:member_of"
    assert row[6] == "exo:inClass"


def test_lipid_shacl_and_check_on_small_data(mini: Path) -> None:
    _add_lipid(mini, MINI)
    small = load(mini)
    assert small.entities["test-lipid"].type == "lipid"
    assert validate_shapes(small, build_rdf(small)) == []
    result = CliRunner().invoke(cli, ["--data", str(mini), "check", "--shacl"])
    assert result.exit_code == 0, result.output
    assert "SHACL: the graph conforms" in result.output


def test_shapes_check_an_added_class(mini: Path) -> None:
    """The added class is in the shapes' class list: an edge to an untyped node fails."""
    _add_lipid(mini, MINI)
    small = load(mini)
    g = build_rdf(small)
    g.remove((ID["test-lipid"], RDF.type, LIPID_CLASS))
    assert any("test-lipid" in str(v) for v in validate_shapes(small, g))


@pytest.mark.slow  # pyshacl takes tens of seconds over the real graph
def test_lipid_shacl(lipid: Curation, shacl: Callable[[Curation, Graph], list[Any]]) -> None:
    # the graph 'exokg check --shacl' validates (its wiring is tested on the small data in
    # test_lipid_shacl_and_check_on_small_data)
    assert shacl(lipid, build_rdf(lipid)) == []


def test_lipid_check_command(lipid_root: Path, lipid: Curation) -> None:
    result = CliRunner().invoke(cli, ["--data", str(lipid_root), "check"])
    assert result.exit_code == 0, result.output
    assert f"{len(lipid.entities)} entities" in result.output  # the lipid among them
    assert f"{len(lipid.claims)} claims" in result.output
    assert "ok: no problems" in result.output


def test_missing_parent_rule_is_an_error_at_the_entity(tmp_path: Path) -> None:
    root = tmp_path / "triples"
    shutil.copytree(TRIPLES, root)
    _add_lipid(root, parent_rule=False)
    _, problems = validate(root)
    text = [str(p) for p in problems]
    line = len((root / "entities" / "chemicals.tsv").read_text().splitlines())
    assert [t for t in text if "chemicals.tsv:" + str(line) + ": parents: 'H2O2' is a "
            "chemical, and schema/parents.tsv says nothing of a lipid under a chemical" in t]
    result = CliRunner().invoke(cli, ["--data", str(root), "check"])
    assert result.exit_code == 1 and "schema/parents.tsv says nothing" in result.output


def test_schema_row_problems_name_file_and_line(mini: Path) -> None:
    _append(mini / "schema" / "types.tsv", "lipid\tlipid\tx\tbiolink:SmallMolecule\tClaim\t\t\t")
    _append(mini / "schema" / "predicates.tsv",
            "odd\todd\tx\t+\tcausal\tbiolink:affects\tnowhere\todd\t\t")
    _, problems = validate(mini)
    text = [str(p) for p in problems]
    types_line = len((mini / "schema" / "types.tsv").read_text().splitlines())
    preds_line = len((mini / "schema" / "predicates.tsv").read_text().splitlines())
    assert any(f"types.tsv:{types_line}: class: 'Claim' is already" in t for t in text)
    assert any(f"predicates.tsv:{preds_line}: role: 'nowhere'" in t for t in text)


def test_a_role_without_predicate_is_an_error(mini: Path) -> None:
    file = mini / "schema" / "predicates.tsv"
    file.write_text("".join(line for line in file.read_text().splitlines(keepends=True)
                            if not line.startswith("regulates\t")), encoding="utf-8")
    _, problems = validate(mini)
    assert any("no predicate of role 'step' with sign '?'" in str(p) for p in problems)


def test_namespace_guard(cur: Curation) -> None:
    """No exo: IRI is made for a term nobody declared."""
    vocab = Vocabulary(cur)
    assert vocab.type_class("source") == URIRef(str(EXO) + "Source")
    with pytest.raises(KGError, match="type 'lipid' has no RDF class"):
        vocab.type_class("lipid")
    with pytest.raises(KGError, match="predicate 'in_class' has no RDF property"):
        vocab.predicate("in_class")
    with pytest.raises(KGError, match="exo:Lipid is not declared"):
        exo_term("Lipid")
    assert exo_term("Lipid", {"Lipid"}) == LIPID_CLASS


def test_undeclared_type_cannot_reach_the_rdf(mini_cur: Curation) -> None:
    """An entity whose type the schema lost is an error, not a quietly minted class."""
    from dataclasses import replace

    ent = next(iter(mini_cur.entities.values()))
    broken = replace(mini_cur, entities={**mini_cur.entities,
                                         ent.id: ent._replace(type="lipid")})
    with pytest.raises(KGError, match="type 'lipid' has no RDF class"):
        build_rdf(broken)


def _rename_predicates(root: Path, renames: dict[str, tuple[str, str]]) -> None:
    """Give predicates new ids and RDF properties (rows of ``schema/predicates.tsv`` only)."""
    file = root / "schema" / "predicates.tsv"
    lines = []
    for line in file.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if cells[0] in renames:
            cells[0], cells[7] = renames[cells[0]]
        lines.append("\t".join(cells))
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")


RENAMED = {"has_cargo": ("carries", "carries"), "uses_source": ("made_from", "madeFrom"),
           "treats": ("studied_in", "studiedIn")}


def test_renamed_predicates_reach_a_disease_selection(mini: Path, tmp_path: Path) -> None:
    """``--disease`` keeps the cargo and trial edges of a schema that renames them."""
    from kg.query.select import reaching, subgraph

    _rename_predicates(mini, RENAMED)
    cur = load(mini)
    assert {"carries", "made_from", "studied_in"} <= {e.predicate for e in edges(cur)}
    sel = reaching(cur, "osteoarthritis")
    assert {e.predicate for e in sel.edges} >= {"carries", "made_from", "studied_in"}
    assert {e.key for e in sel.edges} <= {e.key for e in edges(subgraph(cur,
                                                                  disease="osteoarthritis"))}
    out = CliRunner().invoke(cli, ["--data", str(mini), "export", "-f", "nt",
                                   "--disease", "osteoarthritis"])
    assert out.exit_code == 0, out.output
    for prop in ("carries", "madeFrom", "studiedIn"):
        assert f"schema#{prop}>" in out.output
    page = tmp_path / "oa.html"
    drawn = CliRunner().invoke(cli, ["--data", str(mini), "view", "--disease", "osteoarthritis",
                                     "-o", str(page)])
    assert drawn.exit_code == 0, drawn.output
    html = page.read_text(encoding="utf-8")
    assert "bone marrow MSC carries miR-1" in html
    assert "(9 nodes, 11 edges)" in drawn.output  # as many as with the shipped names


def test_a_curation_without_schema_rows_gets_no_shipped_schema(mini_cur: Curation) -> None:
    """Edges of a hand-built curation are an error, not the default folder's predicates."""
    from dataclasses import replace

    bare = replace(mini_cur, predicates={}, parent_rules={})
    with pytest.raises(KGError, match="has no schema rows"):
        edges(bare)


def test_a_second_predicate_for_a_role_and_sign_is_an_error(mini: Path) -> None:
    """Two rows for (step, +) would make the edges follow whichever came first."""
    file = mini / "schema" / "predicates.tsv"
    _append(file, "stimulates\tstimulates\tx\t+\tcausal\tbiolink:affects\tstep\tstimulates\t\t")
    line = len(file.read_text(encoding="utf-8").splitlines())
    first = next(n for n, row in enumerate(file.read_text().splitlines(), 1)
                 if row.startswith("activates\t"))
    _, problems = validate(mini)
    (problem,) = problems
    assert problem.where.endswith(f"schema/predicates.tsv:{line}")
    assert problem.message == (
        "role: 'stimulates' is a second predicate of role 'step' with sign '+' (the first is "
        f"'activates' at {problem.where.rsplit(':', 1)[0]}:{first}); each role has one")
    result = CliRunner().invoke(cli, ["--data", str(mini), "check"])
    assert result.exit_code == 1 and "second predicate of role 'step'" in result.output


def test_a_type_added_as_rows_only_works_in_queries_and_views(mini: Path, tmp_path: Path
                                                              ) -> None:
    """No style, no Python: check warns, the filters take it, the drawings place it by role."""
    from kg.query.claims import claims
    from kg.query.select import whole
    from kg.view.html import load_styles
    from kg.view.layers import role_column

    _add_lipid(mini, MINI, style=False)
    cur = load(mini)
    types_line = len((mini / "schema" / "types.tsv").read_text().splitlines())
    (warning,) = [w for w in cur.warnings if "lipid" in w.message]
    assert warning.where.endswith(f"schema/types.tsv:{types_line}")
    assert "type 'lipid' has no style in schema/styles.json" in warning.message
    assert [row.id for row in claims(cur, cargo="test lipid")] == ["toy2024-t1-99"]
    assert role_column(cur, "test-lipid") == role_column(cur, "miR-1") == 1
    assert load_styles(cur)["nodes"]["lipid"]["label"] == "lipid"
    runner = CliRunner()
    check = runner.invoke(cli, ["--data", str(mini), "check"])
    assert check.exit_code == 0 and "has no style" in check.output, check.output
    listed = runner.invoke(cli, ["--data", str(mini), "claims", "--cargo", "test lipid"])
    assert listed.exit_code == 0 and "toy2024-t1-99" in listed.output, listed.output
    page = tmp_path / "view.html"
    drawn = runner.invoke(cli, ["--data", str(mini), "view", "test lipid", "-o", str(page)])
    assert drawn.exit_code == 0, drawn.output
    assert "test lipid" in page.read_text(encoding="utf-8")
    assert "test-lipid" in whole(cur).nodes
