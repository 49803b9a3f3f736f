"""``exokg release`` against ``exokg export`` of every format, on the bench's folders.

A release writes every export format plus the curated tables, the descriptions and one
nanopublication per claim; the target (issue 25) is that it takes at most twice as long as
exporting every format one after another. Both run with ``--no-cache`` (a first call), in
fresh processes, interleaved round by round so that a busy machine slows both alike; the
figures are medians of wall and CPU time (user + system, the processes' own).

    python bench/release.py --sizes 100k,1M --repeat 3

Prints one line per size and writes ``bench/results/release.json``.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import measure_interleaved, run_process, summary  # noqa: E402
from run import parse_size, prepare  # noqa: E402

#: The target: a release at most this many times the export of every format.
TARGET = 2.0


def commands(folder: Path, scratch: Path) -> dict[str, list[str]]:
    """The two shell commands compared: every export format in turn, and one release."""
    exokg = shlex.quote(str(Path(sys.executable).parent / "exokg"))
    data = f"{exokg} --no-cache --data {shlex.quote(str(folder))}"
    out = shlex.quote(str(scratch))
    exports = "; ".join(
        f"{data} export -f {fmt} -o {out}/all.{fmt} --force" for fmt in
        ("turtle", "nt", "json-ld", "graphml")) + "; " + "; ".join(
        f"{data} export -f {fmt} -o {out}/{fmt} --force" for fmt in ("kgx", "neo4j"))
    release = (f"{data} release 0.0.0 -o {out}/release --creator 'Bench, B' "
               "--date 2026-01-01 --force")
    return {"export every format": ["bash", "-ec", exports],
            "release": ["bash", "-ec", release]}


def main() -> None:
    """Measure each size and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    report = {}
    for label in args.sizes.split(","):
        folder = prepare(label, parse_size(label))
        scratch = Path(tempfile.mkdtemp(prefix="exokg-release-bench-"))
        try:
            funcs = {name: (lambda cmd=cmd: run_process(cmd, timeout=args.timeout))
                     for name, cmd in commands(folder, scratch).items()}
            runs = measure_interleaved(funcs, args.repeat, warmup=False)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        rows = {name: summary(r) for name, r in runs.items()}
        ours, ref = rows["release"], rows["export every format"]
        ratio = (ours["seconds"] / ref["seconds"]
                 if "seconds" in ours and "seconds" in ref else None)
        cpu = (ours["cpu"] / ref["cpu"] if "cpu" in ours and "cpu" in ref else None)
        report[label] = {**rows, "ratio": ratio, "cpu_ratio": cpu, "target": TARGET}
        shown = f"{ratio:.2f}x wall" if ratio is not None else "no ratio"
        shown += f", {cpu:.2f}x CPU" if cpu is not None else ""
        print(f"{label}: release {ours.get('seconds')} s, export of every format "
              f"{ref.get('seconds')} s: {shown} (target <= {TARGET:g}x)")
    out = HERE / "results" / "release.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
