"""Broken curated files give the exact message, with file:line, and exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.data.curation import validate

CLAIMS = "claims/toy2024.tsv"
ENTITIES = "entities/all.tsv"
TRIALS = "trials/toy2024.tsv"
REFERENCES = "references/toy2024.tsv"


def replace(folder: Path, rel: str, old: str, new: str) -> None:
    path = folder / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(folder: Path, rel: str, line: str) -> None:
    with (folder / rel).open("a", encoding="utf-8") as f:
        f.write(line + "\n")


def run_check(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(folder), "check"])
    return result.exit_code, result.output


CASES = [
    pytest.param(
        lambda d: replace(d, CLAIMS, "\tsource\t", "\tsrc\t"),
        CLAIMS + ":1", "unknown column 'src'", id="renamed-column"),
    pytest.param(
        lambda d: replace(d, CLAIMS, "\tdiseases\t", "\t"),
        CLAIMS + ":1", "missing column 'diseases'", id="missing-column"),
    pytest.param(
        lambda d: replace(d, CLAIMS, "\tmiRNA-1\t", "\tmiR-99\t"),
        CLAIMS + ":2", "cargo: unknown entity 'miR-99'", id="unknown-entity"),
    pytest.param(
        lambda d: replace(d, CLAIMS, "alleviates osteoarthritis", "alleviates AD"),
        CLAIMS + ":2", "diseases: ambiguous name 'AD': it can mean Alzheimers-disease or AD-MSC",
        id="ambiguous-synonym"),
    pytest.param(
        lambda d: replace(d, CLAIMS, "toy2024:2\t", "toy2024:9\t"),
        CLAIMS + ":3", "citation 'toy2024:9' does not resolve (toy2024's reference list has "
        "no number 9)", id="dangling-citation"),
    pytest.param(
        lambda d: replace(d, CLAIMS, "toy2024-t1-02", "toy2024-t1-01"),
        CLAIMS + ":3", "duplicate id 'toy2024-t1-01' (first defined at", id="duplicate-id"),
    pytest.param(
        lambda d: replace(d, CLAIMS, "-| NF-κB", "=| NF-κB"),
        CLAIMS + ":3", "mechanism: must start with an operator (->, -|, -?), found '=| NF-κB'",
        id="bad-sign"),
    pytest.param(
        lambda d: replace(d, CLAIMS, "reduces inflammation", "lowers inflammation"),
        CLAIMS + ":3", "processes: 'lowers inflammation' must start with promotes, reduces, "
        "modulates", id="bad-verb"),
    pytest.param(
        lambda d: replace(d, ENTITIES, "\tprocess\tinflammation", "\tproces\tinflammation"),
        ENTITIES + ":10", "type: unknown type 'proces'", id="unknown-type"),
    pytest.param(
        lambda d: append(d, ENTITIES, "PTEN\tprotein\tPTEN again\t\t\t"),
        ENTITIES + ":13", "duplicate id 'PTEN' (first defined at", id="duplicate-entity"),
    pytest.param(
        lambda d: append(d, CLAIMS, "toy2024-t1-03\texosome\tBM-MSC\t\t\t-| PTEN"),
        CLAIMS + ":4", "expected 15 tab-separated cells, found 6", id="short-row"),
    pytest.param(
        lambda d: (d / CLAIMS).write_bytes(
            (d / CLAIMS).read_bytes().replace(b"rat", b"r\xe4t")),
        CLAIMS + ":2", "not valid UTF-8 (byte 0xe4 at column", id="non-utf8"),
    pytest.param(
        lambda d: (d / CLAIMS).write_text("", encoding="utf-8"),
        CLAIMS, "empty file (a header line is required)", id="empty-file"),
    pytest.param(
        lambda d: replace(d, CLAIMS, "\tmiRNA-1\t", "\tangiogenesis\t"),
        CLAIMS + ":2", "cargo: 'angiogenesis' is a process, expected a cargo", id="wrong-type"),
    pytest.param(
        lambda d: replace(d, ENTITIES, "PTEN\tprotein\tPTEN\tPI3K-Akt",
                          "PTEN\tprotein\tPTEN\tPI3K-Akt|nowhere"),
        ENTITIES + ":8", "parents: unknown entity id 'nowhere'", id="unknown-parent"),
    # what the loader guarantees every claim and entity has (tests/test_data.py relies on it)
    pytest.param(
        lambda d: replace(d, CLAIMS, "\ttoy2024:2\t", "\t\t"),
        CLAIMS + ":3", "refs: no reference given (write REVIEW:NUMBER)", id="claim-no-refs"),
    pytest.param(
        lambda d: replace(d, CLAIMS, "\ttoy2024\tTable 1, row 2", "\ttoy2023\tTable 1, row 2"),
        CLAIMS + ":3", "review: unknown review 'toy2023' (see reviews.tsv)",
        id="claim-unknown-review"),
    pytest.param(
        lambda d: replace(d, CLAIMS, "\tTable 1, row 2\t", "\t\t"),
        CLAIMS + ":3", "where: empty (say where in the review it was read)",
        id="claim-no-where"),
    pytest.param(
        lambda d: replace(d, ENTITIES, "\tprocess\tinflammation", "\tprocess\t"),
        ENTITIES + ":10", "label: empty", id="entity-no-label"),
    # a parent cycle: BM-MSC is a kind of MSC, which would then be a kind of BM-MSC
    pytest.param(
        lambda d: replace(d, ENTITIES, "MSC\tsource\tmesenchymal stem cell\t\t",
                          "MSC\tsource\tmesenchymal stem cell\tBM-MSC\t"),
        ENTITIES + ":4", "parents: cycle MSC -> BM-MSC -> MSC", id="parent-cycle"),
    pytest.param(
        lambda d: replace(d, TRIALS, "\tNCT01234567\t", "\tNCT0123456\t"),
        TRIALS + ":2", "trial: 'NCT0123456' is neither an NCT number (NCT + 8 digits) nor "
        "REVIEW:NUMBER", id="trial-bad-nct"),
    pytest.param(
        lambda d: replace(d, TRIALS, "\tNCT01234567\t", "\ttoy2024:9\t"),
        TRIALS + ":2", "trial: citation 'toy2024:9' does not resolve", id="trial-dangling"),
    pytest.param(
        lambda d: replace(d, TRIALS, "\tBM-MSC\t", "\tPTEN\t"),
        TRIALS + ":2", "source: 'PTEN' is a protein, expected an MSC source",
        id="trial-wrong-source"),
    pytest.param(
        lambda d: append(d, REFERENCES, "4\tsmith2020\tJ. Smith\t2020\tAnother paper\t"
                         "J Toy\t3\t2\t30\t\t\t"),
        REFERENCES + ":5", "key 'smith2020' names a different title at ",
        id="reference-key-two-titles"),
]


@pytest.mark.parametrize(("breakage", "where", "message"), CASES)
def test_broken_file_is_reported(mini: Path, breakage, where: str, message: str) -> None:
    code, before = run_check(mini)
    assert code == 0, before
    breakage(mini)
    code, output = run_check(mini)
    assert code == 1
    lines = [line for line in output.splitlines() if where in line and message in line]
    assert lines, f"expected a line with {where!r} and {message!r} in:\n{output}"
    assert "Traceback" not in output


def test_all_problems_reported_in_one_run(mini: Path) -> None:
    replace(mini, CLAIMS, "\tmiRNA-1\t", "\tmiR-99\t")
    replace(mini, CLAIMS, "toy2024:2\t", "toy2024:9\t")
    code, output = run_check(mini)
    assert code == 1
    assert "2 problem(s) found" in output
    assert "unknown entity 'miR-99'" in output and "toy2024:9" in output


def test_unknown_entity_suggests_close_matches(mini: Path) -> None:
    replace(mini, CLAIMS, "\tmiRNA-1\t", "\tmiRNA-l\t")
    code, output = run_check(mini)
    assert code == 1
    assert "did you mean: miRNA-1" in output


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data", str(tmp_path / "nope"), "check"])
    assert result.exit_code == 1
    assert "curated data folder not found" in result.output
    assert "Traceback" not in result.output


def test_other_commands_refuse_broken_data(mini: Path) -> None:
    replace(mini, CLAIMS, "\tmiRNA-1\t", "\tmiR-99\t")
    result = CliRunner().invoke(cli, ["--data", str(mini), "stats"])
    assert result.exit_code == 1
    assert "unknown entity 'miR-99'" in result.output
    assert "the curated data has 1 problem(s)" in result.output


def test_self_loop_rejected(mini: Path) -> None:
    replace(mini, CLAIMS, "-| PTEN -> PI3K-Akt", "-| PTEN -> PTEN")
    code, output = run_check(mini)
    assert code == 1
    assert "mechanism: 'PTEN' acts on itself (self-loop)" in output


def test_two_keys_for_one_title_are_warned(mini: Path) -> None:
    """One paper under two keys is likely a slip: a warning naming both rows, not an error."""
    append(mini, REFERENCES, "4\tsmith2020b\tJ. Smith\t2020\tExosomal miR-1 inhibits PTEN.\t"
           "J Toy\t3\t2\t10-20\t\t\t")
    cur, problems = validate(mini)
    assert problems == []
    warned = [w for w in cur.warnings if w.where.endswith(REFERENCES + ":5")]
    assert [w.message for w in warned] == [
        f"same title as 'smith2020' ({warned[0].where[:-2]}:2); if it is one paper, use one key"]
    code, output = run_check(mini)
    assert code == 0 and "same title as 'smith2020'" in output
