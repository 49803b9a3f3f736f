"""The exokg command line, asserted on its printed output."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import cli
from kg.cli.base import State
from kg.data.model import Curation

from .conftest import ROOT, TRIPLES

#: How a command loads the data folder (through the cache unless --no-cache).
LOAD = State.curation

#: Commands that write or send the graph rather than print records.
WRITERS = {"check", "lint", "export", "view", "push", "serve", "site", "datapackage",
           "release"}
#: Commands that list records one by one (so they take --limit).
LISTINGS = {"show", "paths", "neighbors", "upstream", "rank", "sparql"}


@pytest.fixture(autouse=True)
def shared_curation(cur: Curation, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands on the shipped data use the session's curation instead of loading it again."""
    original = State.curation

    def curation(self: State) -> Any:
        if self.data_dir.resolve() == TRIPLES.resolve():
            return cur
        return original(self)

    monkeypatch.setattr(State, "curation", curation)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), *args], env=env)
    return result.exit_code, result.output


def _first_sentence(text: str) -> str:
    """The first sentence of a help text: up to the first period that ends a word."""
    flat = " ".join(text.split())
    match = re.match(r"(.+?\.)(\s|$)", flat)
    return match.group(1) if match else flat


def test_commands_have_help() -> None:
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage: " in result.output


def test_help_first_sentences_are_whole() -> None:
    # 'exokg --help' shows each command's first sentence: it must not stop at "(e.g." nor
    # be cut with "..." for want of room
    out = CliRunner().invoke(cli, ["--help"]).output
    listed = " ".join(out.split("Commands:")[1].split())
    assert "..." not in listed
    for name, command in cli.commands.items():
        first = _first_sentence(command.help or "")
        assert first.endswith(".") and not first.endswith(("e.g.", "i.e.", "etc.")), name
        assert first.count("(") == first.count(")"), (name, first)
        assert f"{name} {first}" in listed, (name, first)


def test_commands_are_documented() -> None:
    docs = "\n".join(p.read_text(encoding="utf-8")
                     for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
    for name in cli.commands:
        assert re.search(rf"exokg (--data \S+ )?{name}\b", docs), f"the docs lack exokg {name}"


def _option(command: click.Command, name: str) -> click.Option | None:
    return next((p for p in command.params
                 if isinstance(p, click.Option) and name in p.opts), None)


def test_record_commands_take_format_and_limit() -> None:
    for name, command in cli.commands.items():
        if name in WRITERS:
            continue
        fmt = _option(command, "--format")
        assert fmt is not None, f"{name} has no --format"
        assert isinstance(fmt.type, click.Choice)
        assert list(fmt.type.choices) == ["table", "json", "tsv"], name
        assert _option(command, "--json") is None, f"{name}: --format json, not --json"
    for name in LISTINGS:
        assert _option(cli.commands[name], "--limit") is not None, f"{name} has no --limit"


@pytest.mark.parametrize("command", ["stats", "coverage"])
def test_format_tsv_and_no_json_flag(command: str) -> None:
    code, out = run(command, "--format", "tsv")
    assert code == 0 and "\t" in out.splitlines()[0]
    code, _ = run(command, "--json")
    assert code == 2  # a usage error: the flag of an unreleased version is gone


def test_defaults_come_from_the_library() -> None:
    from kg.cli.output import DEFAULT_GRAPH
    from kg.io.remote import DEFAULT_GRAPH as REMOTE_GRAPH
    from kg.query.defaults import (
        DEFAULT_MAX_HOPS,
        DEFAULT_MAX_PATHS,
        DEFAULT_PERMUTATIONS,
        DEFAULT_TIMEOUT,
    )

    for command in ("paths", "view"):
        params = {p.name: p.default for p in cli.commands[command].params}
        assert (params["max_hops"], params["max_paths"], params["timeout"]) == (
            DEFAULT_MAX_HOPS, DEFAULT_MAX_PATHS, DEFAULT_TIMEOUT)
    params = {p.name: p.default for p in cli.commands["rank"].params}
    assert params["permutations"] == DEFAULT_PERMUTATIONS
    assert DEFAULT_GRAPH == REMOTE_GRAPH


def test_exit_codes() -> None:
    assert run("stats")[0] == 0
    assert run("show", "no-such-entity")[0] == 1
    assert run("stats", "--format", "xml")[0] == 2
    assert run("paths", "BMSC", "osteoarthritis", "--max-hops", "1")[0] == 3


def test_check_passes_on_real_data() -> None:
    code, out = run("check")
    assert code == 0, out
    assert "ok: no problems" in out
    assert re.search(r"\d+ entities, \d+ synonyms, \d+ claims", out)


def test_stats_counts_everything() -> None:
    code, out = run("stats", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["claims"] > 0 and data["references"] > 0
    assert set(data["claims_by_review"]) == {"wei2024", "quan2025", "li2025"}
    assert data["edges"] == sum(data["edges_by_predicate"].values())


def test_show_resolves_a_synonym() -> None:
    code, out = run("show", "hucMSC")
    assert code == 0
    assert out.startswith("umbilical cord MSC  [UC-MSC, source]")


def test_show_entity_card_with_citations() -> None:
    code, out = run("show", "miR-146a-5p")
    assert code == 0
    assert "miR-146a-5p  [miR-146a-5p, mirna]" in out
    # Table 1 of wei2024: miR-146a-5p [40], IRAK1/TRAF6, neuroinflammation
    assert "Zhang 2021, Aging (Albany NY) [wei2024:40]; read in wei2024, Table 1" in out
    assert "IRAK1" in out and "TRAF6" in out


def test_show_unknown_and_ambiguous() -> None:
    code, out = run("show", "miR-146z")
    assert code == 1 and "unknown entity 'miR-146z'" in out and "did you mean" in out
    code, out = run("show", "AD")
    assert code == 1 and "ambiguous name 'AD'" in out
    assert "Traceback" not in out


def test_export_to_stdout_is_turtle() -> None:
    code, out = run("export", "-f", "turtle", "-o", "-")
    assert code == 0
    g = Graph().parse(data=out, format="turtle")
    assert len(g) > 1000


@pytest.mark.parametrize(("fmt", "suffix"), [("turtle", "ttl"), ("nt", "nt"),
                                             ("json-ld", "jsonld")])
def test_export_to_file(tmp_path: Path, fmt: str, suffix: str) -> None:
    target = tmp_path / f"g.{suffix}"
    code, out = run("export", "-f", fmt, "-o", str(target))
    assert code == 0, out
    assert f"wrote {target}" in out
    if fmt == "json-ld":
        assert len(Graph().parse(target, format=fmt)) > 1000
    else:  # Oxigraph parses in compiled code: the same check, seconds faster
        import pyoxigraph as ox

        kind = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
        assert sum(1 for _ in ox.parse(path=str(target), format=kind)) > 1000


def test_failed_export_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    target = tmp_path / "g.ttl"
    assert run("export", "-f", "nt", "-o", str(target))[0] == 0  # an earlier export
    old = target.read_text(encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    code, out = run("export", "-o", str(target))
    assert code == 1
    assert "cannot write" in out and "No space left on device" in out
    assert target.read_text(encoding="utf-8") == old
    # no temp file left behind (beside exokg's record of what it wrote)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".exokg-written", "g.ttl"]


def test_export_to_a_folder_is_refused(tmp_path: Path) -> None:
    code, out = run("export", "-o", str(tmp_path))
    assert code == 1 and "it is a folder" in out


def test_data_folder_from_environment(mini: Path) -> None:
    result = CliRunner().invoke(cli, ["check"], env={"EXOKG_DATA": str(mini)})
    assert result.exit_code == 0
    assert "2 claims" in result.output


def test_paths_bone_marrow_to_osteoarthritis() -> None:
    # wei2024 Table 2: BMSC-Exos lncRNA TUC339 [82] ameliorate osteoarthritis
    code, out = run("paths", "BMSC", "osteoarthritis", "--asserted-only", "--format", "json",
                    "--limit", "0")
    assert code == 0
    data = json.loads(out)
    assert data["found"] == len(data["paths"]) > 0
    tuc = [p for p in data["paths"] if "lncRNA TUC339" in [n["label"] for n in p["nodes"]]]
    assert tuc and tuc[0]["kind"] == "asserted" and tuc[0]["net_effect"] == "alleviates (-)"
    for path in data["paths"]:
        assert path["nodes"][0]["id"] == "BM-MSC"
        assert path["nodes"][-1]["type"] == "disease"
        assert all(hop["citations"] for hop in path["hops"])


def test_paths_table_and_explain() -> None:
    code, out = run("paths", "bone marrow MSC", "OA", "--limit", "3", "--explain")
    assert code == 0
    assert re.match(r"\d+ path\(s\) from bone marrow MSC to osteoarthritis within 6 hops", out)
    assert "#1 asserted" in out and "read in wei2024" in out


def test_paths_show_and_filter_on_evidence() -> None:
    code, out = run("paths", "BMSC", "osteoarthritis", "--format", "json", "--limit", "0",
                    "--min-evidence", "in-vivo", "--min-studies", "2")
    assert code == 0
    data = json.loads(out)
    assert data["paths"] and data["found"] == len(data["paths"])
    for path in data["paths"]:
        assert path["evidence"] in ("clinical", "in vivo") and path["studies"] >= 2
        assert all(hop["studies"] >= 1 and hop["evidence"] for hop in path["hops"])
    code, table = run("paths", "BMSC", "osteoarthritis", "--limit", "2", "--sort", "evidence")
    assert code == 0 and "#1 asserted" in table and "evidence: clinical" in table
    code, tsv = run("paths", "BMSC", "osteoarthritis", "--format", "tsv", "--limit", "1")
    assert tsv.splitlines()[0].split("\t")[4:6] == ["studies", "evidence"]


def test_paths_timeout_counts_from_the_start_of_the_command(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a command that has already used its 2 s before the search (a slow load) stops at once
    original = State.__init__

    def late(self: State, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.started -= 2.0

    monkeypatch.setattr(State, "__init__", late)
    code, out = run("paths", "MSC", "Alzheimer's disease", "--max-hops", "8", "--timeout", "2",
                    "--max-paths", "10000000")
    assert code == 0 and "stopped after 2 s (--timeout)" in out


def test_paths_no_path_is_exit_3() -> None:
    code, out = run("paths", "BMSC", "osteoarthritis", "--max-hops", "1")
    assert code == 3
    assert "no path from bone marrow MSC to osteoarthritis within 1 hops" in out


def test_paths_conflicting_options() -> None:
    code, out = run("paths", "BMSC", "osteoarthritis", "--via", "NF-kB", "--avoid", "NF-kB")
    assert code == 1 and "cannot both pass through and avoid NF-kB" in out


def test_rank_table() -> None:
    code, out = run("rank", "--limit", "5", "--permutations", "3")
    assert code == 0
    assert "betweenness" in out and "pagerank" in out and "studies" in out
    assert "z from 3 degree-preserving rewirings, seed 0" in out


def test_neighbors_and_upstream() -> None:
    code, out = run("neighbors", "miR-146a-5p", "--direction", "out", "--format", "json")
    assert code == 0
    assert {"IRAK1", "TRAF6"} <= {r["entity"] for r in json.loads(out)}
    code, out = run("upstream", "osteoarthritis", "--role", "source", "--format", "json")
    assert code == 0
    assert "BM-MSC" in [r["entity"] for r in json.loads(out)]


def test_sparql_examples_run() -> None:
    code, out = run("queries")
    assert code == 0 and "paths-source-disease" in out
    code, out = run("sparql", "claims-for-entity", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert any(r["study"] == "Zhang 2021" for r in rows)


def test_sparql_bad_query_is_a_message() -> None:
    code, out = run("sparql", "SELECT ?x WHERE { ?x ?y }")
    assert code == 1 and "SPARQL" in out and "Traceback" not in out


def test_lint_reports_and_fixes(mini: Path) -> None:
    path = mini / "synonyms" / "all.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--data", str(mini), "lint"])
    assert result.exit_code == 1 and "not canonical" in result.output
    result = CliRunner().invoke(cli, ["--data", str(mini), "lint", "--fix"])
    assert result.exit_code == 0 and "fixed" in result.output
    assert path.read_text(encoding="utf-8").splitlines() == [lines[0], *sorted(
        lines[1:], key=lambda x: x.casefold())]
    result = CliRunner().invoke(cli, ["--data", str(mini), "check"])
    assert result.exit_code == 0


def test_coverage_report() -> None:
    code, out = run("coverage", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["claims_by_place"]["wei2024"]["Table 1"] >= 38  # 38 rows in wei2024 Table 1
    assert data["references"]["wei2024"]["listed"] == 179
    code, out = run("coverage")
    assert "not cited by any record" in out and "standard identifiers" in out


def test_export_file_mode_follows_umask(tmp_path: Path) -> None:
    target = tmp_path / "g.nt"
    code, _ = run("export", "-f", "nt", "-o", str(target))
    assert code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_view_refuses_to_overwrite_non_html(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("keep me\n", encoding="utf-8")
    code, out = run("view", "-o", str(target))
    assert code == 1 and "is not a file exokg wrote" in out and "use --force" in out
    assert target.read_text(encoding="utf-8") == "keep me\n"
    code, out = run("view", "-o", str(target), "--force")
    assert code == 0 and "nodes" in out


def test_view_page_is_self_contained(tmp_path: Path) -> None:
    target = tmp_path / "g.html"
    code, out = run("view", "miR-146a-5p", "--hops", "1", "-o", str(target))
    assert code == 0
    assert re.match(rf"wrote {re.escape(str(target))} \(\d+ nodes, \d+ edges\)", out)
    page = target.read_text(encoding="utf-8")
    assert "<script src" not in page and "<link" not in page
    assert 'id="exokg-data"' in page


def test_view_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    run("view", "--disease", "osteoarthritis", "-o", str(a), "--seed", "3")
    run("view", "--disease", "osteoarthritis", "-o", str(b), "--seed", "3")
    assert a.read_bytes() == b.read_bytes()


def test_view_conflicting_selection() -> None:
    code, out = run("view", "PTEN", "--disease", "osteoarthritis", "-o", "x.html")
    assert code == 1 and "give only one of ENTITY, --paths or --disease" in out


def test_commands_do_not_import_pyvis() -> None:
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from kg.cli import cli; "
            f"CliRunner().invoke(cli, ['--data', {str(TRIPLES)!r}, 'paths', 'BMSC', 'OA']); "
            "print('pyvis' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


# --- conventions of the record commands ---------------------------------------------------


def table_cells(out: str) -> list[dict[str, str]]:
    """The records of a table as printed, either layout, each cell's lines joined.

    A table has a line of dashes under its header; its columns start where the dashes do.
    Without one, each record is a block of ``name  value`` lines (blank line between).
    """
    lines = out.splitlines()
    if len(lines) > 1 and set(lines[1]) <= {"-", " "} and lines[1]:
        spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[1])]
        cols = [lines[0][a:b + 1].strip() for a, b in spans]
        records: list[dict[str, str]] = []
        for line in lines[2:]:
            parts = [line[a:spans[i + 1][0] if i + 1 < len(spans) else None].strip()
                     for i, (a, _) in enumerate(spans)]
            if parts[0]:
                records.append(dict.fromkeys(cols, ""))
            for col, part in zip(cols, parts, strict=True):
                if part:
                    records[-1][col] = f"{records[-1][col]} {part}".strip()
        return records
    records = []
    for block in out.strip("\n").split("\n\n"):
        record: dict[str, str] = {}
        name = ""
        for line in block.splitlines():
            if not line.startswith(" "):
                name, _, line = line.partition("  ")
            record[name] = f"{record.get(name, '')} {line.strip()}".strip()
        records.append(record)
    return records


@pytest.mark.parametrize("columns", ["80", "250"])
def test_tables_fit_the_terminal_and_wrap_long_cells(columns: str) -> None:
    from kg.data.curation import load

    code, out = run("claims", "--cargo", "miR-21", env={"COLUMNS": columns})
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= int(columns)
    records = table_cells(out.split("\n", 1)[1])  # under the count line
    code, js = run("claims", "--cargo", "miR-21", "--format", "json")
    claims = json.loads(js)
    assert [r["claim"] for r in records] == [c["id"] for c in claims]
    cur = load(TRIPLES)
    for record, claim in zip(records, claims, strict=True):
        # every word of every cell is shown: the effect names each disease in full
        assert record["effect"] == "; ".join(claim["effects"])
        assert record["citation"] == "; ".join(claim["citations"])
        assert record.get("flag", "") == claim["flag"]
        for effect in cur.claims[claim["id"]].diseases:
            assert cur.label(effect.entity) in record["effect"]


def test_table_width_without_a_terminal_is_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.view.text import DEFAULT_WIDTH, MIN_WIDTH, rows_out, table_width

    monkeypatch.delenv("COLUMNS", raising=False)
    assert table_width() == DEFAULT_WIDTH  # standard output is not a terminal here
    code, out = run("claims", "--cargo", "miR-21", env={"COLUMNS": ""})
    assert code == 0 and max(map(len, out.splitlines())) <= DEFAULT_WIDTH
    code, narrow = run("claims", "--cargo", "miR-21", env={"COLUMNS": "5"})
    assert max(map(len, narrow.splitlines()[1:])) <= MIN_WIDTH  # under the count line
    long = "x" * 30 + " " + "y" * 30
    assert rows_out([{"id": "a", "text": long}], "tsv").splitlines()[1] == f"a\t{long}"


def test_tsv_and_json_are_not_wrapped() -> None:
    _, tsv = run("claims", "--cargo", "miR-21", "--format", "tsv", env={"COLUMNS": "80"})
    _, wide = run("claims", "--cargo", "miR-21", "--format", "tsv", env={"COLUMNS": "400"})
    assert tsv == wide and max(map(len, tsv.splitlines())) > 200
    assert len(tsv.splitlines()) == 15  # header and 14 claims, one line each
    code, js = run("claims", "--cargo", "miR-21", "--format", "json", env={"COLUMNS": "80"})
    assert code == 0 and len(json.loads(js)) == 14


def test_show_descendants_includes_narrower_claims_marked() -> None:
    code, out = run("show", "osteoarthritis")
    assert code == 0 and "knee osteoarthritis" not in out.split("claims:")[1]
    code, out = run("show", "osteoarthritis", "--descendants")
    assert code == 0
    # quan2025 introduction: UC-MSC (Matas 2019) in knee osteoarthritis, a narrower disease
    block = re.split(r"\n  (?=\S)", out.split("quan2025-sintro-01 ")[1])[0]
    assert block.startswith("[disease] (from knee osteoarthritis)")
    assert "Matas 2019" in block
    assert "of narrower entities" in out


def test_show_json_marks_narrower_claims(cur: Curation) -> None:
    from kg.query.summary import card

    own = card(cur, "osteoarthritis")
    wide = card(cur, "osteoarthritis", descendants=True)
    assert all(not c["via"] for c in own["claims"])
    extra = [c for c in wide["claims"] if c["via"]]
    assert extra and {c["via"] for c in extra} <= {"knee-osteoarthritis",
                                                   "post-traumatic-osteoarthritis"}
    assert len(wide["claims"]) == len(own["claims"]) + len(extra)
    assert "NCT05060107" in wide["trials"]


def test_claim_lines_carry_agent_evidence_and_flag(cur: Curation) -> None:
    code, out = run("show", "miR-146a-5p")
    assert code == 0
    claim_lines = [ln for ln in out.splitlines() if re.match(r"  \S+-\S+ \[", ln)]
    tag_lines = [ln for ln in out.splitlines() if re.match(r"      \[(exosome|cells); ", ln)]
    assert claim_lines and len(tag_lines) == len(claim_lines)
    # wide enough that no claim line wraps (wrapping is tested on its own)
    code, out = run("paths", "BMSC", "osteoarthritis", "--asserted-only", "--limit", "3",
                    env={"COLUMNS": "1000"})
    for line in (ln for ln in out.splitlines() if ln.startswith("   claim ")):
        claim_id = line.split()[1]
        claim = cur.claims[claim_id]
        assert f"[{claim.agent}; " in line
        assert all(e in line for e in claim.evidence)
        assert ("[flag: " in line) == bool(claim.flag)
    code, out = run("upstream", "osteoarthritis", "--format", "json")
    row = next(r for r in json.loads(out) if r["entity"] == "BM-MSC")
    assert {"agents", "evidence", "flagged"} <= set(row)
    assert "exosome" in row["agents"].split(",")


def test_limit_lists_fewer_records() -> None:
    code, out = run("neighbors", "miR-146a-5p", "--format", "json", "--limit", "1")
    assert code == 0 and len(json.loads(out)) == 1
    code, out = run("show", "osteoarthritis", "--format", "tsv", "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 3  # header and two claims


# --- views and exports --------------------------------------------------------------------


def _drawn(out: str) -> tuple[int, int]:
    match = re.search(r"\((\d+) nodes, (\d+) edges\)", out)
    assert match, out
    return int(match.group(1)), int(match.group(2))


def test_view_paths_takes_the_path_filters(tmp_path: Path) -> None:
    page = str(tmp_path / "p.html")
    code, out = run("view", "--paths", "BMSC", "osteoarthritis", "-o", page, "--limit", "0")
    assert code == 0
    every = _drawn(out)
    code, out = run("view", "--paths", "BMSC", "osteoarthritis", "-o", page, "--limit", "0",
                    "--evidence", "in-vivo", "--agent", "exosome", "--exact",
                    "--max-paths", "100", "--timeout", "5")
    assert code == 0, out
    assert _drawn(out)[1] < every[1]
    code, out = run("view", "--paths", "BMSC", "osteoarthritis", "-o", page, "--limit", "0",
                    "--via", "NF-kB")
    assert code == 0, out
    assert _drawn(out)[1] < every[1]
    assert "NF-kB" in Path(page).read_text(encoding="utf-8")
    code, out = run("view", "--paths", "BMSC", "osteoarthritis", "-o", page, "--via", "NF-kB",
                    "--agent", "exosome", "--evidence", "in-vivo", "--exact")
    assert code == 3 and "nothing to draw" in out
    code, out = run("view", "--paths", "BMSC", "osteoarthritis", "-o", page,
                    "--avoid", "BM-MSC")
    assert code == 1  # a filter error is reported like the one of 'exokg paths'


@pytest.fixture()
def toy_format() -> Iterator[str]:
    """A format registered by a test: one line per edge, no CLI change."""
    from kg.graph.edges import edges
    from kg.io import formats

    def write(cur: Curation, cache: bool) -> tuple[bytes, int]:
        rows = [f"<{e.subject}> <{e.predicate}> <{e.object}> ." for e in edges(cur)]
        return ("\n".join(rows) + "\n").encode(), len(rows)

    formats.register(formats.FileFormat(name="toy-edges", signature="nt", suffixes=(".toy",),
                                        write=write, unit="edges"))
    yield "toy-edges"
    formats.unregister("toy-edges")


def test_a_registered_format_is_exportable(toy_format: str, tmp_path: Path) -> None:
    assert toy_format in CliRunner().invoke(cli, ["export", "--help"]).output
    target = tmp_path / "g.toy"
    code, out = run("export", "-f", toy_format, "-o", str(target))
    assert code == 0, out
    assert re.search(rf"wrote {re.escape(str(target))} \(\d+ edges, toy-edges\)", out)
    assert "<miR-146a-5p> <inhibits> <IRAK1> ." in target.read_text(encoding="utf-8")
    code, out = run("export", "-f", toy_format, "--disease", "osteoarthritis")
    assert code == 0 and "<miR-146a-5p> <inhibits> <IRAK1>" not in out


def test_unknown_format_is_a_usage_error() -> None:
    code, out = run("export", "-f", "xlsx")
    assert code == 2 and "turtle" in out


def _export_text(fmt: str, target: Path) -> str:
    files = sorted(target.iterdir()) if target.is_dir() else [target]
    return "".join(f.read_text(encoding="utf-8") for f in files)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "graphml", "kgx", "neo4j"])
def test_subgraph_exports_in_every_format(fmt: str, tmp_path: Path) -> None:
    from kg.io.formats import get

    whole, part, near = tmp_path / "whole", tmp_path / "oa", tmp_path / "near"
    assert run("export", "-f", fmt, "-o", str(whole))[0] == 0
    code, out = run("export", "-f", fmt, "--disease", "OA", "-o", str(part))
    assert code == 0, out
    code, out = run("export", "-f", fmt, "--around", "miR-146a-5p", "--hops", "1",
                    "-o", str(near))
    assert code == 0, out
    text_whole, text_oa, text_near = (_export_text(fmt, p) for p in (whole, part, near))
    assert len(text_oa) < len(text_whole) / 3 and len(text_near) < len(text_whole) / 3
    # the osteoarthritis subgraph holds knee OA (narrower, with its trial NCT05060107) and
    # none of the acute kidney injury claims; miR-146a-5p's neighbourhood holds IRAK1
    assert "knee-osteoarthritis" in text_oa and "NCT05060107" in text_oa
    assert "acute-kidney-injury" in text_whole and "acute-kidney-injury" not in text_oa
    assert "IRAK1" in text_near and "NCT05060107" not in text_near
    reader = get(fmt).read
    if reader is not None:
        assert reader(part)  # parses as the format


def test_subgraph_keeps_claims_whole_and_conforms(cur: Curation) -> None:
    from kg.graph.edges import claim_edges, edges
    from kg.graph.rdf import build_rdf
    from kg.io.shacl import validate_shapes
    from kg.query.select import around, restrict

    sub = restrict(cur, around(cur, "miR-146a-5p", 1))
    assert 0 < len(sub.claims) < len(cur.claims) and not sub.cache_key
    keys = {e.key for e in edges(sub)}
    for claim in sub.claims.values():
        assert {e[:3] for e in claim_edges(claim, sub)} <= keys
        assert {cur.citations[r] for r in claim.refs if r in cur.citations} <= set(
            sub.references)
    assert all(set(e.parents) <= set(sub.entities) for e in sub.entities.values())
    assert validate_shapes(sub, build_rdf(sub)) == []


def test_export_checks_the_target_before_building(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def no_build(self: State) -> Any:
        raise AssertionError("the graph was built before the target was checked")

    monkeypatch.setattr(State, "curation", no_build)
    code, out = run("export", "-o", str(tmp_path / "missing" / "g.ttl"))
    assert code == 1 and "does not exist" in out
    code, out = run("export", "-f", "kgx", "-o", "-")
    assert code == 2 and "kgx writes two files: give a folder with -o" in out
    (tmp_path / "notes.txt").write_text("keep me\n", encoding="utf-8")
    code, out = run("export", "-f", "nt", "-o", str(tmp_path / "notes.txt"))
    assert code == 1 and "use --force" in out


#: Free-text outputs (not tables): paths with their hops, an entity's card, a claim, coverage.
FREE_TEXT = [("paths", "BMSC", "osteoarthritis", "--limit", "8"),
             ("paths", "umbilical cord MSC", "Parkinson's disease", "--limit", "3", "--explain"),
             ("show", "osteoarthritis"), ("show", "wei2024-s4.1-01"), ("coverage",),
             ("paths", "AD-MSC", "knee osteoarthritis", "--via-hierarchy", "--limit", "3")]


@pytest.mark.parametrize("columns", ["60", "120"])
@pytest.mark.parametrize("args", FREE_TEXT, ids=lambda a: " ".join(a[:3]))
def test_free_text_wraps_to_the_terminal_with_every_word(columns: str,
                                                         args: tuple[str, ...]) -> None:
    from collections import Counter

    code, out = run(*args, env={"COLUMNS": columns})
    assert code == 0
    for line in out.splitlines():
        # a longer line is one word that cannot be broken (an id, a DOI, a URL)
        assert len(line) <= int(columns) or len(line.split()) == 1, line
    _, wide = run(*args, env={"COLUMNS": "1000"})
    assert max(map(len, wide.splitlines())) > int(columns)  # there was something to wrap
    if args[0] == "coverage":  # its small tables may become blocks: words repeat, none lost
        assert not Counter(wide.split()) - Counter(out.split())
    else:
        assert out.split() == wide.split()  # every word, in order, none broken
    if int(columns) < 120:
        assert len(out.splitlines()) > len(wide.splitlines())


def test_wrapped_lines_continue_under_their_item() -> None:
    from itertools import pairwise

    code, out = run("paths", "umbilical cord MSC", "Parkinson's disease", "--limit", "3",
                    env={"COLUMNS": "60"})
    assert code == 0
    lines = out.splitlines()

    def continues(line: str, nxt: str, depth: int) -> bool:
        """``nxt`` goes on ``line`` (at ``depth``), two characters deeper."""
        return (line[:depth].isspace() and line[depth] != " "
                and nxt.startswith(" " * (depth + 2)) and nxt[depth + 2] != " ")

    # a hop line (3) goes on at 5, above its context lines (6); those go on at 8
    assert any(continues(a, b, 3) and b[5:].split()[0] != "context:" for a, b in pairwise(lines))
    assert any(a.startswith("      derived from") and continues(a, b, 6)
               for a, b in pairwise(lines))
    assert all(len(line) <= 60 for line in lines)


@pytest.mark.parametrize("args", [("paths", "BMSC", "osteoarthritis", "--limit", "8"),
                                  ("show", "osteoarthritis"), ("coverage",)])
@pytest.mark.parametrize("fmt", ["json", "tsv"])
def test_free_text_commands_keep_json_and_tsv_whole(args: tuple[str, ...], fmt: str) -> None:
    _, narrow = run(*args, "--format", fmt, env={"COLUMNS": "60"})
    _, wide = run(*args, "--format", fmt, env={"COLUMNS": "120"})
    assert narrow == wide
    if fmt == "tsv" and args[0] != "coverage":
        assert max(map(len, narrow.splitlines())) > 120
