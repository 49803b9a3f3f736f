"""Benchmarks: exokg against the references it competes with, measured in one run.

    python bench/run.py [--sizes 10k,100k,1M] [--repeat 3] [--reference-timeout 900]

For each size a synthetic folder is generated (seeded, shaped like the curated data) and
every task runs in a fresh process (``bench/tasks.py``), ``--repeat`` times; the median time
and the peak memory are reported next to the reference (rdflib's default store and SPARQL
engine; python-igraph alone for the ranking) as a ratio. CLI cold starts are measured on the
curated data in a runtime-only environment (``pip install .`` without the test extras), next
to a bare ``python -c "import networkx"``. Results go to ``bench/results/``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
RESULTS = HERE / "results"
RUNTIME = DATA / "venv-runtime"

PAIRS = [
    ("build from curated files", "build_ours", "build_rdflib"),
    ("parse Turtle", "parse_ttl_ours", "parse_ttl_rdflib"),
    ("parse N-Triples", "parse_nt_ours", "parse_nt_rdflib"),
    ("write Turtle", "write_ttl_ours", "write_ttl_rdflib"),
    ("write N-Triples", "write_nt_ours", "write_nt_rdflib"),
    ("example SPARQL queries", "sparql_ours", "sparql_rdflib"),
    ("path query BM-MSC -> OA (4 hops)", "path_ours", None),
    ("pathway ranking (20 rewirings)", "rank_ours", "rank_igraph"),
    ("end to end: load, rank, build, Turtle", "end_to_end", None),
]
#: rdflib's SPARQL engine is left out above this size (minutes per query)
SPARQL_REFERENCE_MAX = 150_000


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000."""
    text = text.strip().lower()
    factor = 1_000_000 if text.endswith("m") else 1_000 if text.endswith("k") else 1
    return int(float(text.rstrip("mk")) * factor)


def run_task(name: str, folder: Path, repeat: int, timeout: float) -> dict[str, Any]:
    """Median seconds and max peak memory of ``repeat`` fresh-process runs."""
    runs = []
    for _ in range(repeat):
        try:
            out = subprocess.run([sys.executable, str(HERE / "tasks.py"), name, str(folder)],
                                 capture_output=True, text=True, timeout=timeout, check=True)
        except subprocess.TimeoutExpired:
            return {"task": name, "timeout": timeout}
        except subprocess.CalledProcessError as exc:
            return {"task": name, "error": exc.stderr.strip().splitlines()[-1:]}
        runs.append(json.loads(out.stdout))
    best = dict(runs[0])
    best["seconds"] = statistics.median(r["seconds"] for r in runs)
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    best["runs"] = [r["seconds"] for r in runs]
    return best


def prepare(label: str, size: int) -> Path:
    """Generate the folder for a size (once) and export it as Turtle and N-Triples."""
    folder = DATA / label
    if not (folder / "export.nt").is_file():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(folder)],
                       check=True)
        for fmt, name in (("turtle", "export.ttl"), ("nt", "export.nt")):
            subprocess.run([sys.executable, "-m", "kg", "--data", str(folder), "export",
                            "-f", fmt, "-o", str(folder / name)], check=True, cwd=ROOT)
    return folder


def runtime_env() -> Path:
    """A virtual environment with exokg installed as a user gets it (no test extras)."""
    python = RUNTIME / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(RUNTIME)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(ROOT)], check=True)
    return RUNTIME / "bin"


def cold_starts(repeat: int) -> list[dict[str, Any]]:
    """Wall time of CLI calls on the curated data, and of a bare networkx import."""
    bin_dir = runtime_env()
    commands = [
        ("python -c 'import networkx'", [str(bin_dir / "python"), "-c", "import networkx"]),
        ("exokg --help", [str(bin_dir / "exokg"), "--help"]),
        ("exokg show miR-146a-5p", [str(bin_dir / "exokg"), "show", "miR-146a-5p"]),
        ("exokg paths BMSC osteoarthritis", [str(bin_dir / "exokg"), "paths", "BMSC",
                                              "osteoarthritis"]),
        ("exokg rank", [str(bin_dir / "exokg"), "rank"]),
    ]
    out = []
    for label, cmd in commands:
        times = []
        for _ in range(repeat + 1):  # the first run warms the file cache and is dropped
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True, cwd="/")
            times.append(time.perf_counter() - start)
        out.append({"command": label, "seconds": statistics.median(times[1:])})
    return out


def fmt_s(entry: dict[str, Any] | None) -> str:
    """``0.123 s, 45 MB`` (or the time-out or error) of a task result."""
    if entry is None:
        return "—"
    if "timeout" in entry:
        return f"> {entry['timeout']:.0f} s"
    if "error" in entry:
        return "error"
    return f"{entry['seconds']:.3f} s, {entry['peak_mb']:.0f} MB"


def ratio(ours: dict[str, Any], ref: dict[str, Any] | None) -> str:
    """How much faster and how much memory, against the reference."""
    if not ref or "seconds" not in ours:
        return ""
    if "timeout" in ref:
        return f"> {ref['timeout'] / ours['seconds']:.0f}x"
    if "seconds" not in ref:
        return ""
    speed = ref["seconds"] / ours["seconds"] if ours["seconds"] else float("inf")
    mem = ours["peak_mb"] / ref["peak_mb"]
    return f"{speed:.1f}x faster, {mem:.2f}x memory"


def main() -> None:
    """Run the benchmarks and write bench/results/."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reference-timeout", type=float, default=900.0)
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"), "python": platform.python_version(),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
        "repeat": args.repeat, "sizes": {}}
    lines = [f"# Benchmark results ({report['date']})", "",
             f"`python bench/run.py --sizes {args.sizes} --repeat {args.repeat}` on "
             f"{report['machine']}, Python {report['python']}; medians of {args.repeat} "
             "fresh-process runs; memory is each process's peak resident set.", ""]
    for label in args.sizes.split(","):
        size = parse_size(label)
        folder = prepare(label, size)
        rows = []
        for title, ours_task, ref_task in PAIRS:
            ours = run_task(ours_task, folder, args.repeat, args.reference_timeout)
            ref = None
            if ref_task and not (ref_task == "sparql_rdflib" and size > SPARQL_REFERENCE_MAX):
                ref = run_task(ref_task, folder, args.repeat if size < 500_000 else 1,
                               args.reference_timeout)
            rows.append({"what": title, "ours": ours, "reference": ref})
            print(f"{label:>5} {title:<40} {fmt_s(ours):>22}  ref {fmt_s(ref):>22}  "
                  f"{ratio(ours, ref)}", flush=True)
        triples = next((r["ours"].get("triples") for r in rows if r["ours"].get("triples")), 0)
        report["sizes"][label] = {"triples": triples, "rows": rows}
        lines += [f"## {label} ({triples:,} triples)", "",
                  "| operation | exokg | reference | ratio |", "|---|---|---|---|"]
        for r in rows:
            lines.append(f"| {r['what']} | {fmt_s(r['ours'])} | {fmt_s(r['reference'])} | "
                         f"{ratio(r['ours'], r['reference'])} |")
        lines.append("")
    if not args.skip_cli:
        starts = cold_starts(args.repeat)
        report["cli"] = starts
        base = starts[0]["seconds"]
        lines += ["## CLI cold start (curated data, runtime-only environment)", "",
                  "| command | wall | vs import networkx |", "|---|---|---|"]
        for s in starts:
            lines.append(f"| `{s['command']}` | {s['seconds']:.3f} s | "
                         f"{s['seconds'] / base:.2f}x |")
            print(f"cli {s['command']:<40} {s['seconds']:.3f} s ({s['seconds'] / base:.2f}x)")
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / 'latest.md'}")


if __name__ == "__main__":
    main()
