"""Benchmarks: exokg against the references it competes with, measured in one run.

    python bench/run.py [--sizes 10k,100k,1M] [--repeat 3] [--cli-repeat 5] [--out DIR]

What it measures (every run a fresh process; references interleaved with the measured runs,
round after round, never in a separate block):

- for each size, a synthetic folder (seeded, shaped like the curated data, ``generate.py``):
  the library's operations next to rdflib, pyoxigraph and python-igraph (``tasks.py``: the
  operation's own time), and the CLI's first call (empty cache), warm call (cache filled) and
  ``--no-cache`` call next to the compiled floor and rdflib/networkx (``scale.py``);
- the growth exponent of each of those from the smallest to the largest size;
- every CLI command on the curated data against a bare ``python -c "import networkx"``, in a
  runtime-only environment and in a researcher's (matplotlib, pandas, jupyter) (``cli.py``);
- ``exokg serve`` under a bounded loopback load, per kind of page and SPARQL query
  (``serve_load.py``).

Results go to ``DIR/latest.md`` and ``DIR/latest.json`` (default ``bench/results/``, from
which ``make readme`` generates the README's benchmark block). A reference that runs out of
``--reference-timeout`` is reported as a time-out; nothing slow makes the run fail.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cli
import scale
from measure import (
    Run,
    Table,
    fmt_entry,
    fmt_exponent,
    growth_exponent,
    load_average,
    measure_interleaved,
    summary,
    times_ratio,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
RESULTS = HERE / "results"

PAIRS = [
    ("build from curated files", "build_ours", "build_rdflib"),
    ("parse Turtle", "parse_ttl_ours", "parse_ttl_rdflib"),
    ("parse N-Triples", "parse_nt_ours", "parse_nt_rdflib"),
    ("write Turtle", "write_ttl_ours", "write_ttl_rdflib"),
    ("write N-Triples", "write_nt_ours", "write_nt_rdflib"),
    ("example SPARQL queries", "sparql_ours", "sparql_rdflib"),
    ("path query AD-MSC -> acute kidney injury (4 hops)", "path_ours", None),
    ("pathway ranking (20 rewirings)", "rank_ours", "rank_igraph"),
    ("end to end: load, rank, build, Turtle", "end_to_end", None),
]


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000.

    Examples
    --------
    >>> parse_size("10k"), parse_size("1M"), parse_size("2500")
    (10000, 1000000, 2500)
    """
    text = text.strip().lower()
    factor = 1_000_000 if text.endswith("m") else 1_000 if text.endswith("k") else 1
    return int(float(text.rstrip("mk")) * factor)


def run_task(name: str, folder: Path, timeout: float) -> Run:
    """One ``tasks.py`` run: the operation's own seconds (not the process's) and peak memory."""
    try:
        out = subprocess.run([sys.executable, str(HERE / "tasks.py"), name, str(folder)],
                             capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Run(timeout=timeout)
    if out.returncode != 0:
        return Run(error=(out.stderr.strip().splitlines() or ["failed"])[-1][:200])
    data = json.loads(out.stdout)
    extra = {k: v for k, v in data.items() if k not in ("task", "seconds", "peak_mb")}
    return Run(seconds=data["seconds"], peak_mb=data["peak_mb"], extra=extra)


def prepare(label: str, size: int) -> Path:
    """Generate the folder for a size (once) and export it as Turtle and N-Triples."""
    folder, files = DATA / label, scale.files_dir(DATA / label)
    files.mkdir(parents=True, exist_ok=True)
    for name in ("export.ttl", "export.nt", "flow.tsv", "query.rq", "ref-out"):
        if (folder / name).is_file():  # written there by earlier versions of this script
            (folder / name).replace(files / name)
    if not (files / "export.nt").is_file():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(folder)],
                       check=True)
        for fmt, name in (("turtle", "export.ttl"), ("nt", "export.nt")):
            subprocess.run([sys.executable, "-m", "kg", "--no-cache", "--data", str(folder),
                            "export", "-f", fmt, "-o", str(files / name)], check=True,
                           cwd=ROOT)
    scale.prepare_inputs(folder)
    return folder


def library_pairs(label: str, size: int, folder: Path, repeat: int,
                  timeout: float) -> list[dict[str, Any]]:
    """The library's operations and their references, interleaved round by round."""
    rows = []
    for title, ours_task, ref_task in PAIRS:
        funcs = {"ours": partial(run_task, ours_task, folder, timeout)}
        if ref_task and not (ref_task == "sparql_rdflib" and size > scale.SPARQL_REFERENCE_MAX):
            funcs["ref"] = partial(run_task, ref_task, folder, timeout)
        limits = {"ref": 1} if size >= scale.ONCE_FROM else {}
        runs = measure_interleaved(funcs, repeat, warmup=False, limits=limits)
        ours = summary(runs["ours"])
        ref = summary(runs["ref"]) if "ref" in runs else None
        rows.append({"what": title, "ours": ours, "reference": ref})
        print(f"{label:>5} {title:<40} {fmt_entry(ours):>22}  ref {fmt_entry(ref):>22}  "
              f"{speedup(ours, ref)}", flush=True)
    return rows


def speedup(ours: dict[str, Any], ref: dict[str, Any] | None) -> str:
    """How much faster and how much memory, against the reference.

    Examples
    --------
    >>> speedup({"seconds": 1.0, "peak_mb": 50}, {"seconds": 10.0, "peak_mb": 100})
    '10.0x faster, 0.50x memory'
    >>> speedup({"seconds": 2.0, "peak_mb": 50}, {"timeout": 60})
    '> 30x faster'
    """
    if not ref or "seconds" not in ours:
        return ""
    if "timeout" in ref:
        return f"> {ref['timeout'] / ours['seconds']:.0f}x faster"
    if "seconds" not in ref:
        return ""
    fast = ref["seconds"] / ours["seconds"] if ours["seconds"] else float("inf")
    return f"{fast:.1f}x faster, {ours['peak_mb'] / ref['peak_mb']:.2f}x memory"


def growth(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each measured series across the sizes, with its growth exponent.

    A series is one column of one operation (``rank``, first call); its points are (triples,
    median seconds) for every size where it finished.
    """
    series: dict[str, list[tuple[str, float, float | None]]] = {}
    for label, block in report["sizes"].items():
        n = block.get("triples") or parse_size(label)
        for row in block.get("rows", []):
            for kind, entry in (("exokg", row["ours"]), ("reference", row["reference"])):
                if entry is None:  # no reference for this operation (or not at this size)
                    continue
                series.setdefault(f"{row['what']} ({kind})", []).append(
                    (label, n, (entry or {}).get("seconds")))
        for row in block.get("cli", []):
            for kind in ("first", "warm", "no_cache", "floor", "library"):
                if row.get(kind):
                    name = {"no_cache": "--no-cache", "floor": "floor",
                            "library": "rdflib/networkx"}.get(kind, kind + " call")
                    series.setdefault(f"{row['what']}: {name}", []).append(
                        (label, n, row[kind].get("seconds")))
    out = []
    for what, pts in series.items():
        done = [(n, s) for _, n, s in pts if s]
        out.append({"what": what, "seconds": {lab: s for lab, _, s in pts},
                    "exponent": growth_exponent(done),
                    "last_step": growth_exponent(done[-2:]) if len(done) > 2 else None})
    return out


def machine() -> dict[str, Any]:
    """Cores, CPU model and platform of this machine."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"arch": platform.machine(), "cores": os.cpu_count(), "cpu": model,
            "system": f"{platform.system()} {platform.release()}"}


def render(report: dict[str, Any]) -> list[str]:
    """``latest.md``: a dated title, a header paragraph and one level-2 section per table.

    The README's benchmark block is this file without its title, level-2 headings turned
    into level-4 ones (``tests/readme_blocks.py``).
    """
    m, libs = report["machine"], report.get("versions", {})
    lines = [f"# Benchmark results ({report['date']})", "",
             f"`{report['command']}` on {m['arch']}, {m['cores']} cores"
             f"{' (' + m['cpu'] + ')' if m.get('cpu') else ''}, Python {report['python']}; "
             f"load average {_load(report.get('load_start'))} at the start, "
             f"{_load(report.get('load_end'))} at the end; "
             + ", ".join(f"{k} {v}" for k, v in libs.items()) + ". "
             f"Medians of {report['repeat']} fresh-process runs (CLI on the curated data: "
             f"{report.get('cli_repeat', report['repeat'])}); memory is each process's peak "
             "resident set; references ran interleaved with the measured runs.", ""]
    for label, block in report["sizes"].items():
        lines += _render_size(label, block)
    if len(report["sizes"]) > 1:
        lines += _render_growth(report)
    for env in report.get("cli", []):
        lines += _render_cli(env)
    if report.get("serve"):
        lines += _render_serve(report["serve"])
    return lines


def _load(values: list[float] | None) -> str:
    return " / ".join(f"{v:.2f}" for v in values) if values else "unknown"


def _render_size(label: str, block: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    head = f"{label} ({block['triples']:,} triples)" if block.get("triples") else label
    if block.get("rows"):
        table = Table(["operation", "exokg", "reference", "ratio"])
        for r in block["rows"]:
            table.rows.append([r["what"], fmt_entry(r["ours"]), fmt_entry(r["reference"]),
                               speedup(r["ours"], r["reference"])])
        lines += [f"## {head}: library operations", "",
                  "Time of the operation alone (inputs loaded first); the reference is rdflib "
                  "(build, parse, write, SPARQL) or python-igraph alone (ranking).", "",
                  *table.lines(), ""]
    if block.get("cli"):
        table = Table(["operation", "first call", "warm call", "--no-cache", "compiled floor",
                       "rdflib / networkx", "first ÷ floor", "warm ÷ floor"])
        for r in block["cli"]:
            floor, lib = r.get("floor"), r.get("library")
            table.rows.append([
                r["what"], fmt_entry(r["first"]), fmt_entry(r["warm"]),
                fmt_entry(r.get("no_cache")),
                fmt_entry(floor) + (f" ({r['floor_name']})" if floor else ""),
                (fmt_entry(lib) + f" ({r['library_name']})") if lib
                else r.get("library_note", "—"),
                _first_to_floor(label, r), _times(times_ratio(r["warm"], floor))])
        lines += [f"## {head}: first and warm CLI calls", "",
                  "Whole `exokg` processes (runtime-only environment): first call with an "
                  "empty cache, warm call with the cache it filled; the references are whole "
                  "processes reading the same graph (N-Triples) or flow edges.", "",
                  *table.lines(), ""]
    return lines


def _times(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}x"


#: Issue 26: the first Turtle export (an emptied cache) within this many times its floor
FIRST_EXPORT_TARGETS = {"100k": 1.5, "1M": 1.3}


def _first_to_floor(label: str, row: dict[str, Any]) -> str:
    """``first ÷ floor``, wall time.

    For the Turtle export at a size with a target: wall and CPU time to two places, and
    whether the target is met.
    """
    floor = row.get("floor")
    target = FIRST_EXPORT_TARGETS.get(label) if row.get("key") == "export" else None
    wall = times_ratio(row["first"], floor)
    if target is None or wall is None:
        return _times(wall)
    cpu = times_ratio(row["first"], floor, "cpu")
    mark = "ok" if wall <= target else "OVER"
    return (f"{wall:.2f}x {mark} (target ≤ {target}x; CPU "
            + ("—" if cpu is None else f"{cpu:.2f}x") + ")")


def _render_growth(report: dict[str, Any]) -> list[str]:
    labels = list(report["sizes"])
    last = f"{labels[-2]} to {labels[-1]}" if len(labels) > 2 else None
    table = Table(["series", *labels, "growth exponent", *([last] if last else [])])
    for g in report.get("growth", []):
        table.rows.append([g["what"], *(f"{g['seconds'][lab]:.3f} s" if g["seconds"].get(lab)
                                        else "—" for lab in labels),
                           fmt_exponent(g["exponent"]),
                           *([fmt_exponent(g.get("last_step"))] if last else [])])
    return [f"## Growth exponents ({labels[0]} to {labels[-1]})", "",
            "Slope of log(time) against log(triples), least squares over the sizes: 1 is "
            "linear, 2 quadratic (\"—\": fewer than two sizes finished). Whole-process "
            "times include a start-up that does not grow, which pulls their exponent below "
            "the operation's own" + (f"; the last column is the slope from {last} alone, "
                                     "where start-up matters least." if last else "."),
            "", *table.lines(), ""]


def _render_cli(env: dict[str, Any]) -> list[str]:
    name = ("runtime-only environment (`pip install .`)" if env["environment"] == "runtime"
            else f"researcher's environment (+ {', '.join(env['extras'])})")
    table = Table(["command", "warm", "first after an edit", "import networkx",
                   f"warm ratio (target ≤ {cli.TARGET}x)", "warm CPU ratio",
                   f"first-call ratio (target ≤ {cli.TARGET}x)", "first-call CPU ratio"])
    for r in env["rows"]:
        if "error" in r["ours"] and "error" in (r.get("first") or {}):
            # a command this environment cannot run (an extra it lacks): its one-line error
            table.rows.append([f"`{r['command']}`", f"fails: {r['ours']['error']}", "—",
                               fmt_entry(r["reference"], memory=False), "—", "—", "—", "—"])
            continue
        table.rows.append([f"`{r['command']}`", fmt_entry(r["ours"], memory=False),
                           fmt_entry(r.get("first"), memory=False),
                           fmt_entry(r["reference"], memory=False), cli.mark(r["ratio"]),
                           cli.mark(r.get("cpu_ratio")), cli.mark(r.get("first_ratio")),
                           cli.mark(r.get("first_cpu_ratio"))])

    def within(key: str) -> int:
        return sum(1 for r in env["rows"] if r.get(key) is not None and r[key] <= cli.TARGET)

    n = sum(1 for r in env["rows"] if "seconds" in r["ours"])  # those this environment runs
    lines = [f"## CLI on the curated data, {name}", "",
             f"Each command interleaved with a bare `python -c \"import networkx\"` in the same "
             f"environment, round by round (reference, warm call, first call): *warm* with the "
             f"cache a first run filled, *first after an edit* on an emptied cache (what any "
             f"edit of the data gives: the cache key hashes every file). Ratios of the medians, "
             f"in wall time and in CPU time (user + system, less disturbed by other load); "
             f"{within('ratio')} of {n} warm calls and {within('first_ratio')} of {n} first "
             f"calls within the target.", "", *table.lines(), ""]
    if env.get("packages"):
        lines += [f"Installed ({len(env['packages'])}): "
                  + ", ".join(f"`{p}`" for p in env["packages"]) + ".", ""]
    return lines


def _render_serve(res: dict[str, Any]) -> list[str]:
    table = Table(["kind", "requests", "p50 ms", "p95 ms", "errors"])
    for kind, k in res["kinds"].items():
        table.rows.append([kind, str(k["n"]), f"{k['p50_ms']:.1f}", f"{k['p95_ms']:.1f}",
                           str(k["errors"])])
    rate = res["requests"] / res["seconds"] if res["seconds"] else 0.0
    lines = [f"## exokg serve under load ({res['clients']} clients)", "",
             f"{res['requests']} requests on loopback in {res['seconds']:.1f} s ({rate:.0f} "
             f"req/s); errors: {len(res['errors'])}.", "", *table.lines(), ""]
    return lines + [f"error: {e}" for e in res["errors"][:5]] + ([""] if res["errors"] else [])


def main() -> None:
    """Run the benchmarks and write DIR/latest.md and DIR/latest.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M",
                        help="Comma-separated sizes in triples (empty: none).")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cli-repeat", type=int, default=5)
    parser.add_argument("--reference-timeout", type=float, default=300.0,
                        help="Seconds before a run is stopped and reported as a time-out.")
    parser.add_argument("--library-timeout", type=float, default=120.0,
                        help="Time-out of the whole-process rdflib/networkx references.")
    parser.add_argument("--envs", default="runtime,researcher")
    parser.add_argument("--serve-clients", type=int, default=8)
    parser.add_argument("--serve-requests", type=int, default=3000)
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    # a user's Python writes bytecode: without it every exokg process would compile its
    # modules again (0.1 s) while the networkx reference reads its precompiled files
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    report = measure(args)
    write(report, args.out)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Everything the arguments ask for, as the report's dictionary."""
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": " ".join(["python bench/run.py", *_shown_arguments(sys.argv[1:])]),
        "python": platform.python_version(), "machine": machine(),
        "versions": {k: v for k, v in cli.versions(sys.executable).items()
                     if k in ("rdflib", "pyoxigraph", "networkx", "igraph")},
        "repeat": args.repeat, "cli_repeat": args.cli_repeat,
        "load_start": load_average(), "sizes": {}, "cli": []}
    sizes = [s for s in args.sizes.split(",") if s.strip()]
    bin_dir = cli.environment("runtime") if sizes else None
    for label in sizes:
        size = parse_size(label)
        folder = prepare(label, size)
        rows = library_pairs(label, size, folder, args.repeat, args.reference_timeout)
        triples = next((r["ours"].get("triples") for r in rows if r["ours"].get("triples")), 0)
        assert bin_dir is not None
        calls = scale.measure_size(label, size, folder, bin_dir, args.repeat,
                                   args.reference_timeout, args.library_timeout)
        report["sizes"][label] = {"triples": triples, "rows": rows, "cli": calls}
    report["growth"] = growth(report)
    if not args.skip_cli:
        for env in args.envs.split(","):
            report["cli"].append(cli.cold_starts(env, args.cli_repeat, args.reference_timeout))
    if not args.skip_serve:
        from serve_load import load_test

        report["serve"] = load_test(args.serve_clients, args.serve_requests)
        print(f"serve: {report['serve']['requests']} requests, "
              f"{len(report['serve']['errors'])} errors", flush=True)
    report["load_end"] = load_average()
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return report


def _shown_arguments(argv: list[str]) -> list[str]:
    """The arguments as the report shows them: without ``--out DIR`` (a path of this machine).

    Examples
    --------
    >>> _shown_arguments(["--sizes", "10k", "--out", "results", "--repeat", "2"])
    ['--sizes', '10k', '--repeat', '2']
    >>> _shown_arguments(["--out=results", "--skip-serve"])
    ['--skip-serve']
    """
    shown: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--out":
            skip = True
        elif not arg.startswith("--out="):
            shown.append(arg)
    return shown


def write(report: dict[str, Any], out: Path) -> None:
    """``latest.json`` and ``latest.md`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "latest.md").write_text("\n".join(render(report)).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {out / 'latest.md'}")


if __name__ == "__main__":
    main()
