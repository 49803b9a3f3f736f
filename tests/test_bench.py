"""The benchmark's machinery on fake timings: interleaving, growth exponents, the report.

``bench/`` is a folder of scripts, not a package: its modules are imported here with the
folder put on ``sys.path`` for the import only, and their generic names (``cli``, ``run`` …)
taken out of ``sys.modules`` again so no other test can pick them up.
"""

from __future__ import annotations

import doctest
import importlib
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from tests import readme_blocks

BENCH = Path(__file__).resolve().parent.parent / "bench"
NAMES = ("measure", "cli", "scale", "serve_load", "run", "release")


@pytest.fixture(scope="module")
def bench() -> SimpleNamespace:
    """The bench modules, by name."""
    saved = {n: sys.modules.pop(n) for n in NAMES if n in sys.modules}
    sys.path.insert(0, str(BENCH))
    try:
        mods = {n: importlib.import_module(n) for n in NAMES}
    finally:
        sys.path.remove(str(BENCH))
        for n in NAMES:
            sys.modules.pop(n, None)
        sys.modules.update(saved)
    return SimpleNamespace(**mods)


def test_doctests(bench: SimpleNamespace) -> None:
    for name in ("measure", "cli", "run"):
        module: ModuleType = getattr(bench, name)
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, name


def test_growth_exponent_on_fake_timings(bench: SimpleNamespace) -> None:
    g = bench.measure.growth_exponent
    assert g([(1e4, 0.2), (1e5, 2.0), (1e6, 20.0)]) == pytest.approx(1.0)
    assert g([(1e4, 0.001), (1e5, 0.1), (1e6, 10.0)]) == pytest.approx(2.0)
    assert g([(1e4, 0.5), (1e6, 0.5)]) == pytest.approx(0.0)
    # n log n from 10k to 1M: a little over 1
    nlogn = [(n, n * __import__("math").log(n) * 1e-7) for n in (1e4, 1e5, 1e6)]
    assert 1.0 < g(nlogn) < 1.2
    # a size that timed out (None) or did not run leaves its point out
    assert g([(1e4, 0.1), (1e5, 1.0), (1e6, None)]) == pytest.approx(1.0)
    assert g([(1e4, 0.1), (1e5, None)]) is None


def test_measure_interleaved_alternates_and_stops_after_a_timeout(
        bench: SimpleNamespace) -> None:
    m = bench.measure
    order: list[str] = []
    slow = iter([m.Run(0.1, 10), m.Run(timeout=5)])

    def fake(label: str, result: Any = None) -> Any:
        def run() -> Any:
            order.append(label)
            return next(result) if result is not None else m.Run(0.2, 20)
        return run

    runs = m.measure_interleaved({"ref": fake("ref"), "cmd": fake("cmd"),
                                  "slow": fake("slow", slow)}, 3, warmup=False)
    assert order == ["ref", "cmd", "slow", "ref", "cmd", "slow", "ref", "cmd"]
    assert m.summary(runs["slow"]) == {"timeout": 5}
    assert m.summary(runs["ref"])["seconds"] == 0.2
    order.clear()
    runs = m.measure_interleaved({"ref": fake("ref"), "cmd": fake("cmd")}, 2,
                                 limits={"ref": 1})
    # one unrecorded warm-up each, then rounds; ref runs once only
    assert order == ["ref", "cmd", "ref", "cmd", "cmd"]
    assert len(runs["ref"]) == 1 and len(runs["cmd"]) == 2
    # a command whose warm-up is slow is recorded once
    order.clear()
    runs = m.measure_interleaved({"ref": fake("ref"), "cmd": fake("cmd")}, 3, slow=0.1)
    assert order == ["ref", "cmd", "ref", "cmd"] and len(runs["cmd"]) == 1


def test_run_process_times_kills_and_reports(bench: SimpleNamespace) -> None:
    m = bench.measure
    ok = m.run_process([sys.executable, "-c", "x = bytearray(60 << 20)"], timeout=30)
    assert ok.ok and ok.seconds > 0 and ok.peak_mb >= 60 and 0 < ok.cpu < 30
    slow = m.run_process([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert slow.timeout == 0.5 and not slow.ok
    bad = m.run_process([sys.executable, "-c", "raise SystemExit('no such entity: X')"],
                        timeout=30)
    assert bad.error == "no such entity: X"


def test_every_command_is_benchmarked(bench: SimpleNamespace) -> None:
    from kg.cli import cli

    measured = {args[0] for _, args in bench.cli.COMMANDS}
    missing = set(cli.commands) - measured - set(bench.cli.NOT_HERE)
    assert not missing, f"commands missing from bench/cli.py: {sorted(missing)}"
    formats = {args[2] for _, args in bench.cli.COMMANDS if args[0] == "export"}
    assert formats == {"turtle", "nt", "json-ld", "graphml", "kgx", "neo4j"}


def _entry(seconds: float, mb: float = 50.0) -> dict[str, Any]:
    return {"seconds": seconds, "peak_mb": mb, "runs": [seconds]}


def fake_report() -> dict[str, Any]:
    sizes = {}
    for label, n, t in (("10k", 12_000, 0.1), ("100k", 120_000, 1.0), ("1M", 1_200_000, 10.0)):
        sizes[label] = {
            "triples": n,
            "rows": [{"what": "parse Turtle", "ours": _entry(t), "reference": _entry(t * 10)}],
            "cli": [{"key": "rank", "what": "rank (20 rewirings)", "first": _entry(2 * t),
                     "warm": _entry(t), "no_cache": None, "floor": _entry(t / 2),
                     "floor_name": "python-igraph", "library": {"timeout": 600.0},
                     "library_name": "networkx"}]}
    rows = [{"command": "exokg rank", "ours": _entry(0.12), "reference": _entry(0.1),
             "ratio": 1.2, "cpu_ratio": 1.1, "first": _entry(0.2), "first_ratio": 2.0,
             "first_cpu_ratio": 1.4},
            {"command": "exokg view", "ours": _entry(0.3), "reference": _entry(0.1),
             "ratio": 3.0},
            {"command": "exokg site", "ours": {"error": "Error: needs the web extra"},
             "reference": _entry(0.1), "ratio": None, "first": {"error": "Error: needs"}}]
    return {"date": "2026-12-03", "command": "python bench/run.py", "python": "3.11.7",
            "machine": {"arch": "x86_64", "cores": 2, "cpu": "AMD EPYC"},
            "versions": {"rdflib": "7.1"}, "repeat": 3, "cli_repeat": 7,
            "load_start": [1.0, 2.0, 3.0], "load_end": [1.5, 2.0, 3.0], "sizes": sizes,
            "cli": [{"environment": "runtime", "extras": [], "rows": rows,
                     "packages": ["click==8.1.7", "exokg==0.1.0"]},
                    {"environment": "researcher", "extras": ["matplotlib"], "rows": rows}],
            "serve": {"clients": 8, "requests": 10, "seconds": 2.0, "errors": [],
                      "kinds": {"entity": {"n": 10, "p50_ms": 5.0, "p95_ms": 9.0,
                                           "errors": 0}}}}


def test_report_tables_and_growth(bench: SimpleNamespace) -> None:
    report = fake_report()
    report["growth"] = bench.run.growth(report)
    growth = {g["what"]: g["exponent"] for g in report["growth"]}
    assert growth["parse Turtle (exokg)"] == pytest.approx(1.0)
    assert growth["rank (20 rewirings): first call"] == pytest.approx(1.0)
    assert growth["rank (20 rewirings): rdflib/networkx"] is None  # never finished
    text = "\n".join(bench.run.render(report))
    assert text.startswith("# Benchmark results (2026-12-03)\n")
    assert "load average 1.00 / 2.00 / 3.00 at the start, 1.50 / 2.00 / 3.00 at the end" in text
    assert "| rank (20 rewirings) | 0.200 s, 50 MB | 0.100 s, 50 MB | — | 0.050 s, 50 MB " \
           "(python-igraph) | > 600 s (timeout) (networkx) | 4.0x | 2.0x |" in text
    assert "| parse Turtle (exokg) | 0.100 s | 1.000 s | 10.000 s | 1.00 | 1.00 |" in text
    assert "| series | 10k | 100k | 1M | growth exponent | 100k to 1M |" in text
    assert ("| `exokg rank` | 0.120 s | 0.200 s | 0.100 s | 1.20x ok | 1.10x ok | 2.00x OVER "
            "| 1.40x ok |") in text
    assert "| `exokg view` | 0.300 s | — | 0.100 s | 3.00x OVER | — | — | — |" in text
    assert ("| `exokg site` | fails: Error: needs the web extra | — | 0.100 s | — | — | — | — |"
            in text)
    assert "1 of 2 warm calls and 0 of 2 first calls within the target" in text
    assert "Installed (2): `click==8.1.7`, `exokg==0.1.0`." in text
    assert "## CLI on the curated data, researcher's environment (+ matplotlib)" in text
    assert "| entity | 10 | 5.0 | 9.0 | 0 |" in text


def test_readme_block_reads_the_report(bench: SimpleNamespace, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    report = fake_report()
    report["growth"] = bench.run.growth(report)
    bench.run.write(report, tmp_path)
    monkeypatch.setattr(readme_blocks, "BENCH", tmp_path / "latest.md")
    block = readme_blocks._bench()
    assert not block.startswith("# ")  # the dated title is dropped
    headings = [line for line in block.splitlines() if line.startswith("#")]
    assert headings and all(h.startswith("#### ") for h in headings)
    assert "#### 1M (1,200,000 triples): first and warm CLI calls" in headings
    assert (tmp_path / "latest.json").is_file()


def test_a_generated_folder_is_valid_curated_data(tmp_path: Path) -> None:
    """Whatever the real folder gains (tables keyed by real studies or claims), a synthetic
    folder stays loadable: the bench measures commands, not error messages."""
    import subprocess

    out = tmp_path / "syn"
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "3000", str(out)], check=True,
                   capture_output=True, timeout=300)
    from kg.data.curation import load

    cur = load(out)
    assert any(c.startswith("syn2026-") for c in cur.claims)


def test_release_bench_compares_a_release_with_every_export(bench: SimpleNamespace,
                                                            tmp_path: Path) -> None:
    """Both sides are first calls (no cache) on the same folder; every format is exported."""
    from kg.io.formats import formats

    cmds = bench.release.commands(tmp_path / "data", tmp_path / "out")
    exports, release = cmds["export every format"][-1], cmds["release"][-1]
    assert exports.count("--no-cache") == len(formats()) and "--no-cache" in release
    assert {f"-f {name} " for name in formats()} <= {f"-f {p.split()[0]} "
                                                     for p in exports.split("-f ")[1:]}
    assert " release 0.0.0 " in release
