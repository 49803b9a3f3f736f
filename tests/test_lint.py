"""``exokg lint``: canonical form changes layout only, never content, and never a broken file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.data.curation import load
from kg.io.lint import lint

ENTITIES = "entities/all.tsv"
HEADER = "id\ttype\tlabel\tparents\txrefs\tnote"


def _write(folder: Path, rel: str, lines: list[str], ending: str = "\n") -> Path:
    path = folder / rel
    path.write_bytes(ending.join(lines).encode("utf-8") + ending.encode("utf-8"))
    return path


def _entities(folder: Path) -> list[str]:
    """The data rows of the entities file, in canonical order."""
    lint(folder, fix=True)
    return (folder / ENTITIES).read_text(encoding="utf-8").splitlines()[1:]


def test_fix_keeps_comments_with_the_row_below_them(mini: Path) -> None:
    rows = _entities(mini)  # sorted, so the last row sorts last
    path = _write(mini, ENTITIES, [
        "# curated entities of the toy review", HEADER,
        "# the last row, written first", rows[-1],
        *rows[:-1],
        "# end of file"])
    before = load(mini).entities
    result = lint(mini, fix=True)
    assert result.fixed == result.unformatted and len(result.fixed) == 1
    assert result.fixed[0].endswith(ENTITIES) and result.problems == []
    assert path.read_text(encoding="utf-8").splitlines() == [
        "# curated entities of the toy review", HEADER,
        *rows[:-1],
        "# the last row, written first", rows[-1],
        "# end of file"]
    assert {k: (e.type, e.label, e.parents) for k, e in load(mini).entities.items()} == {
        k: (e.type, e.label, e.parents) for k, e in before.items()}
    assert lint(mini).unformatted == []  # the fixed file is canonical: fixing is idempotent


def test_fix_changes_layout_only(mini: Path) -> None:
    rows = _entities(mini)
    spaced = [" \t".join(row.split("\t")) for row in reversed(rows)]  # blanks around cells
    path = _write(mini, ENTITIES, ["\ufeff" + HEADER, "", *spaced], ending="\r\n")
    lint(mini, fix=True)
    assert path.read_bytes() == ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def test_fix_never_rewrites_a_broken_file(mini: Path) -> None:
    """A short row cannot be read; rewriting the file would drop it."""
    rows = _entities(mini)
    path = _write(mini, ENTITIES, [HEADER, *reversed(rows), "PTEN2\tprotein"])
    damaged = path.read_bytes()
    result = CliRunner().invoke(cli, ["--data", str(mini), "lint", "--fix"])
    assert result.exit_code == 1
    assert "expected 6 tab-separated cells, found 2" in result.output
    assert "file problem(s); fix them first (files with broken lines are not rewritten)" in (
        result.output)
    assert path.read_bytes() == damaged
    assert all(not line.startswith("fixed: ") or ENTITIES not in line
               for line in result.output.splitlines())


def test_lint_without_fix_reports_and_writes_nothing(mini: Path) -> None:
    rows = _entities(mini)
    path = _write(mini, ENTITIES, [HEADER, *reversed(rows)])
    text = path.read_bytes()
    result = CliRunner().invoke(cli, ["--data", str(mini), "lint"])
    assert result.exit_code == 1
    assert "not canonical: " in result.output and ENTITIES in result.output
    assert "run 'exokg lint --fix' to rewrite them" in result.output
    assert path.read_bytes() == text
