"""The exokg command line, asserted on its printed output."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import cli

from .conftest import ROOT, TRIPLES


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), *args], env=env)
    return result.exit_code, result.output


def test_commands_have_help() -> None:
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage: " in result.output


def test_commands_are_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert re.search(rf"exokg (--data \S+ )?{name}\b", readme), f"README lacks exokg {name}"


def test_check_passes_on_real_data() -> None:
    code, out = run("check")
    assert code == 0, out
    assert "ok: no problems" in out
    assert re.search(r"\d+ entities, \d+ synonyms, \d+ claims", out)


def test_stats_counts_everything() -> None:
    code, out = run("stats", "--json")
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
    g = Graph().parse(target, format=fmt)
    assert len(g) > 1000


def test_failed_export_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    target = tmp_path / "g.ttl"
    old = "@prefix ex: <http://example.org/> .  # old content\n"
    target.write_text(old, encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    code, out = run("export", "-o", str(target))
    assert code == 1
    assert "cannot write" in out and "No space left on device" in out
    assert target.read_text(encoding="utf-8") == old
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]  # no temp file left behind


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
    code, out = run("coverage", "--json")
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
    assert code == 1 and "does not look like html output; use --force" in out
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
    assert "vis.Network" in page


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
