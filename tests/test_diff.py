"""exokg diff: claims, trials, entities and edges between two releases or data folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.data.curation import read_schema
from kg.data.model import Claim, Curation, Effect, Entity, Step
from kg.query.diff import changes_markdown, diff, diff_rows, is_empty

from .conftest import TRIPLES

ARGS = ["--creator", "Curie, Marie", "--date", "2026-12-07"]


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def rel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("diff") / "r1"
    result = run("--data", str(TRIPLES), "release", "0.2.0", "-o", str(out), *ARGS)
    assert result.exit_code == 0, result.output
    return out


def edited_copy(tmp_path: Path, file: str, claim: str, column: str, value: str) -> Path:
    folder = tmp_path / "edited"
    shutil.copytree(TRIPLES, folder)
    path = folder / file
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    for i, line in enumerate(lines):
        cells = line.split("\t")
        if cells[0] == claim:
            cells[header.index(column)] = value
            lines[i] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return folder


def test_a_release_against_itself_is_empty(rel: Path) -> None:
    result = run("diff", str(rel), str(rel), "--format", "json")
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert is_empty(d)
    assert run("diff", str(rel), str(TRIPLES)).output == "no differences\n"


def test_one_edited_claim_is_named_with_its_field(rel: Path, tmp_path: Path) -> None:
    folder = edited_copy(tmp_path, "claims/quan2025.tsv", "quan2025-sbio-01", "model",
                         "aged mice, edited")
    result = run("diff", str(rel), str(folder), "--format", "json")
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["claims"]["changed"] == [{"id": "quan2025-sbio-01", "changes": [
        {"field": "model", "old": d["claims"]["changed"][0]["changes"][0]["old"],
         "new": "aged mice, edited"}]}]
    assert d["claims"]["changed"][0]["changes"][0]["old"] != "aged mice, edited"
    rest = {**d, "claims": {**d["claims"], "changed": []}}
    assert is_empty(rest)
    table = run("diff", str(rel), str(folder)).output.splitlines()
    assert table[0].split() == ["part", "change", "id", "field", "old", "new"]
    assert len(table) == 3 and table[2].split()[:4] == ["claim", "changed", "quan2025-sbio-01",
                                                        "model"]
    tsv = run("diff", str(rel), str(folder), "--format", "tsv").output.splitlines()
    assert tsv[1].split("\t")[-1] == "aged mice, edited"


def test_a_changed_effect_changes_the_edges(rel: Path, tmp_path: Path) -> None:
    claims = (TRIPLES / "claims" / "quan2025.tsv").read_text(encoding="utf-8").split("\n")
    header = claims[0].split("\t")
    row = next(line.split("\t") for line in claims[1:]
               if line and line.split("\t")[header.index("processes")].startswith("promotes "))
    claim, processes = row[0], row[header.index("processes")]
    flipped = processes.replace("promotes ", "reduces ", 1)
    folder = edited_copy(tmp_path, "claims/quan2025.tsv", claim, "processes", flipped)
    d = json.loads(run("diff", str(rel), str(folder), "--format", "json").output)
    assert [c["id"] for c in d["claims"]["changed"]] == [claim]
    assert [c["field"] for c in d["claims"]["changed"][0]["changes"]] == ["processes"]
    assert d["edges"]["gained"] or d["edges"]["lost"]


def test_a_data_folder_that_is_not_one_is_an_error(tmp_path: Path) -> None:
    result = run("diff", str(tmp_path), str(TRIPLES))
    assert result.exit_code == 1 and "Traceback" not in result.output


def tiny(entities: list[Entity], claims: list[Claim]) -> Curation:
    cur = Curation(root="tiny")
    cur.types, cur.predicates = read_schema().types, read_schema().predicates
    cur.entities = {e.id: e for e in entities}
    cur.claims = {c.id: c for c in claims}
    return cur


MSC = Entity("BM-MSC", "source", "BM-MSC")
ANGIO = Entity("angiogenesis", "process", "angiogenesis")


def claim(cid: str, cargo: str, target: str) -> Claim:
    return Claim(id=cid, agent="exosome", source="BM-MSC", cargo=cargo,
                 mechanism=(Step("-|", (target,)),),
                 processes=(Effect("promotes", "angiogenesis"),), refs=("r:1",), review="r",
                 where="Table 1")


def test_a_renamed_entity_is_one_rename_not_a_changed_claim() -> None:
    old = tiny([MSC, ANGIO, Entity("miR-1", "mirna", "miR-1"), Entity("PTEN", "protein", "PTEN")],
               [claim("r-t1-01", "miR-1", "PTEN")])
    new = tiny([MSC, ANGIO, Entity("miR-1-3p", "mirna", "miR-1-3p", synonyms=("miR-1",)),
                Entity("PTEN", "protein", "PTEN")],
               [claim("r-t1-01", "miR-1-3p", "PTEN")])
    d = diff(old, new)
    assert d["entities"]["renamed"] == [{"old": "miR-1", "new": "miR-1-3p"}]
    assert d["entities"]["changed"] == [{"id": "miR-1-3p", "changes": [
        {"field": "label", "old": "miR-1", "new": "miR-1-3p"},
        {"field": "synonyms", "old": "", "new": "miR-1"}]}]
    assert d["claims"]["changed"] == [] and d["edges"] == {"gained": [], "lost": []}
    assert d["entities"]["added"] == [] and d["entities"]["removed"] == []
    assert diff_rows(d)[0] == {"part": "entity", "change": "changed", "id": "miR-1-3p",
                               "field": "label", "old": "miR-1", "new": "miR-1-3p"}
    assert {"part": "entity", "change": "renamed", "id": "miR-1-3p", "field": "id",
            "old": "miR-1", "new": "miR-1-3p"} in diff_rows(d)


def test_two_entities_merged_into_one() -> None:
    old = tiny([MSC, ANGIO, Entity("miR-1", "mirna", "miR-1"), Entity("PTEN", "protein", "PTEN"),
                Entity("PTEN-2", "protein", "PTEN homolog")],
               [claim("r-t1-01", "miR-1", "PTEN"), claim("r-t1-02", "miR-1", "PTEN-2")])
    new = tiny([MSC, ANGIO, Entity("miR-1", "mirna", "miR-1"),
                Entity("PTEN", "protein", "PTEN", synonyms=("PTEN homolog",))],
               [claim("r-t1-01", "miR-1", "PTEN"), claim("r-t1-02", "miR-1", "PTEN")])
    d = diff(old, new)
    assert d["entities"]["merged"] == [{"into": "PTEN", "from": ["PTEN-2"]}]
    assert d["entities"]["removed"] == [] and d["claims"]["changed"] == []
    assert d["edges"] == {"gained": [], "lost": []}
    notes = changes_markdown(d, "release 0.1.0", "0.2.0")
    assert "## Entities merged" in notes and "`PTEN-2` → `PTEN`" in notes


def test_added_and_removed_claims_and_lost_edges() -> None:
    base = [MSC, ANGIO, Entity("miR-1", "mirna", "miR-1"), Entity("PTEN", "protein", "PTEN"),
            Entity("TP53", "protein", "TP53")]
    old = tiny(base, [claim("r-t1-01", "miR-1", "PTEN")])
    new = tiny(base, [claim("r-t1-02", "miR-1", "TP53")])
    d = diff(old, new)
    assert d["claims"]["added"] == ["r-t1-02"] and d["claims"]["removed"] == ["r-t1-01"]
    assert ["miR-1", "inhibits", "TP53"] in d["edges"]["gained"]
    assert ["miR-1", "inhibits", "PTEN"] in d["edges"]["lost"]


def test_release_notes_from_previous(rel: Path, tmp_path: Path) -> None:
    folder = edited_copy(tmp_path, "claims/quan2025.tsv", "quan2025-sbio-01", "model",
                         "aged mice, edited")
    out = tmp_path / "r2"
    result = run("--data", str(folder), "release", "0.3.0", "-o", str(out), *ARGS,
                 "--previous", str(rel))
    assert result.exit_code == 0, result.output
    notes = (out / "CHANGES.md").read_text(encoding="utf-8")
    assert notes.startswith("# Changes in 0.3.0\n\nCompared with release 0.2.0")
    assert "| claims | 0 | 0 | 1 |" in notes
    assert "`quan2025-sbio-01` model:" in notes and "`aged mice, edited`" in notes
    assert "CHANGES.md" in (out / "SHA256SUMS").read_text(encoding="utf-8")
