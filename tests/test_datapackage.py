"""The curated folder as a Frictionless Data Package: generated, committed, validated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.data.model import Curation
from kg.io.datapackage import DESCRIPTOR, curated_files, descriptor_bytes

from .conftest import TRIPLES

frictionless = pytest.importorskip("frictionless")


def errors(package: Path) -> list[tuple[str, int | None, str | None, str]]:
    """(file, row, field, error type) of every error frictionless reports, offline."""
    report = frictionless.validate(str(package))
    out = []
    for task in report.tasks:
        for error in task.errors:
            out.append((task.place, getattr(error, "row_number", None),
                        getattr(error, "field_name", None), error.type))
    return out


def test_committed_descriptor_is_the_generated_one(cur: Curation) -> None:
    committed = (TRIPLES / DESCRIPTOR).read_bytes()
    assert committed == descriptor_bytes(cur, TRIPLES), "run 'exokg datapackage'"


def test_every_curated_file_is_a_resource_with_its_header_as_fields() -> None:
    doc = json.loads((TRIPLES / DESCRIPTOR).read_text(encoding="utf-8"))
    paths = [r["path"] for r in doc["resources"]]
    assert paths == [rel for rel, _ in curated_files(TRIPLES)]
    assert "claims/wei2024-tables.tsv" in paths and "schema/types.tsv" in paths
    claims = next(r for r in doc["resources"] if r["path"] == "claims/quan2025.tsv")
    header = (TRIPLES / "claims/quan2025.tsv").read_text(encoding="utf-8").split("\n")[0]
    assert [f["name"] for f in claims["schema"]["fields"]] == header.split("\t")


def test_type_enum_comes_from_the_schema_rows(cur: Curation) -> None:
    doc = json.loads((TRIPLES / DESCRIPTOR).read_text(encoding="utf-8"))
    entities = next(r for r in doc["resources"] if r["path"].startswith("entities/"))
    field = next(f for f in entities["schema"]["fields"] if f["name"] == "type")
    assert field["constraints"]["enum"] == list(cur.types)


def test_curated_package_is_valid() -> None:
    assert errors(TRIPLES / DESCRIPTOR) == []


def copy_of_triples(tmp_path: Path) -> Path:
    folder = tmp_path / "triples"
    shutil.copytree(TRIPLES, folder)
    return folder


def set_cell(file: Path, line: int, column: str, value: str) -> None:
    """Write ``value`` into ``column`` of the ``line``-th line (0: the header) of a TSV."""
    lines = file.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    cells = lines[line].split("\t")
    cells[header.index(column)] = value
    lines[line] = "\t".join(cells)
    file.write_text("\n".join(lines), encoding="utf-8")


def test_bad_value_is_reported_with_file_and_row(tmp_path: Path) -> None:
    folder = copy_of_triples(tmp_path)
    set_cell(folder / "claims" / "quan2025.tsv", 4, "agent", "exosomal")
    assert errors(folder / DESCRIPTOR) == [("claims/quan2025.tsv", 5, "agent",
                                            "constraint-error")]


def test_unknown_entity_type_is_reported(tmp_path: Path) -> None:
    folder = copy_of_triples(tmp_path)
    set_cell(folder / "entities" / "cells.tsv", 1, "type", "virus")
    assert errors(folder / DESCRIPTOR) == [("entities/cells.tsv", 2, "type",
                                            "constraint-error")]


def test_a_quote_in_a_cell_is_text(tmp_path: Path) -> None:
    folder = copy_of_triples(tmp_path)
    rows = frictionless.Resource(str(folder / "claims" / "wei2024-tables.tsv"),
                                 dialect=frictionless.Dialect.from_descriptor(
                                     json.loads((folder / DESCRIPTOR).read_text())[
                                         "resources"][0]["dialect"])).read_rows()
    raw = (folder / "claims" / "wei2024-tables.tsv").read_text(encoding="utf-8")
    quoted = [line for line in raw.split("\n")[1:] if '"' in line]
    assert quoted and len(rows) == len([line for line in raw.split("\n")[1:] if line])
    assert any('"' in str(value) for row in rows for value in row.values())


def test_datapackage_check_command(tmp_path: Path) -> None:
    folder = copy_of_triples(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(cli, ["--data", str(folder), "datapackage", "--check"])
    assert ok.exit_code == 0, ok.output
    reviews = folder / "reviews.tsv"
    reviews.write_text(reviews.read_text(encoding="utf-8").replace(
        "Mesenchymal stem cell exosome therapy", "MSC exosome therapy"), encoding="utf-8")
    stale = runner.invoke(cli, ["--data", str(folder), "datapackage", "--check"])
    assert stale.exit_code == 1 and "out of date" in stale.output
    checked = runner.invoke(cli, ["--data", str(folder), "check"])
    assert checked.exit_code == 0 and "out of date" in checked.output
    wrote = runner.invoke(cli, ["--data", str(folder), "datapackage"])
    assert wrote.exit_code == 0, wrote.output
    assert "MSC exosome therapy: current" in (folder / DESCRIPTOR).read_text(encoding="utf-8")
    checked = runner.invoke(cli, ["--data", str(folder), "check"])
    assert checked.exit_code == 0 and "out of date" not in checked.output
