"""First and warm CLI calls on the generated folders, next to their floor and references.

For each operation, one round is: the exokg command with an emptied cache (the first call
on new data), the same command again (the warm call, the cache filled by the first), for
``export`` once more with ``--no-cache``, then the compiled floor (pyoxigraph, python-igraph)
and the rdflib/networkx program (``bench/refs.py``); rounds repeat, so the references run
interleaved with the measured calls. Every run is a fresh process: wall time and its own
peak resident memory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from measure import Run, measure_interleaved, run_process, summary, wait_for_cache_writers

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: the query ``sparql`` runs, and the reference programs run too
QUERY = "hub-pathways"
#: rdflib's SPARQL engine is left out above this size (minutes per query)
SPARQL_REFERENCE_MAX = 150_000
#: the rdflib/networkx references run once (not ``repeat`` times) from this size on; the
#: compiled floor runs every round, interleaved (it is what the first-call targets compare to)
ONCE_FROM = 100_000


@dataclass(frozen=True)
class Operation:
    """One measured CLI operation and what it is compared with."""

    key: str
    title: str
    args: tuple[str, ...]
    floor: str | None = None
    library: str | None = None
    no_cache: bool = False
    #: run as ``python -c CODE FOLDER`` in the same environment instead of ``exokg ARGS``
    code: str = ""


#: What every command does before its own work: start Python, import the command line
#: (as the ``exokg`` script does), load the folder's curation through the CLI's own
#: :class:`~kg.cli.base.State` (from the cache when warm), then nothing else.
READY = ("import sys\n"
         "from kg.cli import main  # what the exokg script imports\n"
         "from kg.cli.base import State\n"
         "State(sys.argv[1]).curation()\n")


OPERATIONS = [
    Operation("ready", "before a command's own work (start, import, load)", (), code=READY),
    Operation("load", "load (`stats`)", ("stats",)),
    Operation("build", "build + SPARQL (`sparql hub-pathways`)", ("sparql", QUERY),
              "ox_query", "rdflib_query"),
    Operation("export", "build + Turtle (`export -o g.ttl`)",
              ("export", "-o", "g.ttl", "--force"), "ox_turtle", "rdflib_turtle", True),
    Operation("rank", "rank (20 rewirings)", ("rank",), "igraph_rank", "nx_rank"),
    Operation("paths", "paths AD-MSC acute-kidney-injury",
              ("paths", "AD-MSC", "acute-kidney-injury"), None, "nx_paths"),
    Operation("show", "show AD-MSC", ("show", "AD-MSC")),
]
#: what each reference program is, for the report
REFERENCE_NAMES = {
    "ox_query": "pyoxigraph: load N-Triples, query",
    "ox_turtle": "pyoxigraph: load N-Triples, write Turtle",
    "igraph_rank": "python-igraph on the flow edges",
    "rdflib_query": "rdflib: parse N-Triples, query",
    "rdflib_turtle": "rdflib: parse N-Triples, write Turtle",
    "nx_rank": "networkx on the flow edges",
    "nx_paths": "networkx all_simple_paths (≤ 5,000, ≤ 6 edges)",
}


def files_dir(folder: Path) -> Path:
    """Where a generated folder's exports and reference inputs live: beside it, not in it.

    exokg's cache key hashes every file of the curated folder, so files kept there would
    slow every call measured.
    """
    return folder.parent / f"{folder.name}-files"


def prepare_inputs(folder: Path, python: str = sys.executable) -> None:
    """Write ``flow.tsv`` and ``query.rq`` beside a generated folder, for the references."""
    files = files_dir(folder)
    if (files / "flow.tsv").is_file() and (files / "query.rq").is_file():
        return
    code = (
        "import sys; sys.path.insert(0, sys.argv[2])\n"
        "from pathlib import Path\n"
        "from kg.data.curation import load\n"
        "from kg.query.rank import flow_edges\n"
        "from kg.query.sparql import example_queries\n"
        "folder, files = Path(sys.argv[1]), Path(sys.argv[3]); cur = load(folder)\n"
        "pairs, _ = flow_edges(cur)\n"
        "lines = [f'{u}\\t{v}' for u, v in pairs]\n"
        "for e in sorted(cur.entities.values(), key=lambda e: e.id):\n"
        "    if e.type in ('source', 'disease'):\n"
        "        lines.append(f'#{e.type}\\t{e.id}')\n"
        "(files / 'flow.tsv').write_text('\\n'.join(lines) + '\\n', encoding='utf-8')\n"
        f"path, _ = example_queries()[{QUERY!r}]\n"
        "(files / 'query.rq').write_text(path.read_text(encoding='utf-8'), encoding='utf-8')\n")
    files.mkdir(exist_ok=True)
    subprocess.run([python, "-c", code, str(folder), str(ROOT), str(files)], check=True)


def _first(cmd: list[str], cache: Path, timeout: float, env: dict[str, str],
           cwd: Path) -> Run:
    """The first call: on an emptied cache; its detached cache writer is waited for after."""
    shutil.rmtree(cache, ignore_errors=True)
    run = run_process(cmd, timeout=timeout, env={**env, "EXOKG_CACHE": str(cache)}, cwd=cwd)
    wait_for_cache_writers(cache)
    return run


def _warm(cmd: list[str], cache: Path, timeout: float, env: dict[str, str], cwd: Path) -> Run:
    run = run_process(cmd, timeout=timeout, env=env, cwd=cwd)
    wait_for_cache_writers(cache)
    return run


def measure_size(label: str, size: int, folder: Path, bin_dir: Path, repeat: int,
                 timeout: float, library_timeout: float | None = None) -> list[dict[str, Any]]:
    """Every operation of :data:`OPERATIONS` on one generated folder.

    ``library_timeout`` (default ``timeout``) bounds the rdflib/networkx programs, which at
    1M triples take minutes (the library-operations table has rdflib's parse and write).
    """
    prepare_inputs(folder)
    scratch = folder.parent / f"scratch-{label}"
    cache = folder.parent / f"cache-{label}"
    scratch.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("EXOKG_DATA", "VIRTUAL_ENV")}
    refs_py = [str(bin_dir / "python"), str(HERE / "refs.py")]
    rows = []
    try:
        for op in OPERATIONS:
            cmd = ([str(bin_dir / "python"), "-c", op.code, str(folder)] if op.code else
                   [str(bin_dir / "exokg"), "--data", str(folder), *op.args])
            warm_env = {**env, "EXOKG_CACHE": str(cache)}
            funcs = {"first": partial(_first, cmd, cache, timeout, env, scratch),
                     "warm": partial(_warm, cmd, cache, timeout, warm_env, scratch)}
            if op.no_cache:
                funcs["no_cache"] = partial(run_process, [*cmd[:1], "--no-cache", *cmd[1:]],
                                            timeout=timeout, env=env, cwd=scratch)
            limits = {}
            for kind, ref in (("floor", op.floor), ("library", op.library)):
                if ref is None or (ref == "rdflib_query" and size > SPARQL_REFERENCE_MAX):
                    continue
                limit = library_timeout if kind == "library" and library_timeout else timeout
                funcs[kind] = partial(run_process, [*refs_py, ref, str(files_dir(folder))],
                                      timeout=limit, env=env, cwd=scratch)
                if size >= ONCE_FROM and kind == "library":
                    limits[kind] = 1
            runs = measure_interleaved(funcs, repeat, warmup=False, limits=limits)
            row: dict[str, Any] = {"key": op.key, "what": op.title,
                                   "floor_name": REFERENCE_NAMES.get(op.floor or ""),
                                   "library_name": REFERENCE_NAMES.get(op.library or "")}
            for kind in ("first", "warm", "no_cache", "floor", "library"):
                row[kind] = summary(runs[kind]) if kind in runs else None
            if op.library == "rdflib_query" and "library" not in funcs:
                row["library_note"] = f"not run above {SPARQL_REFERENCE_MAX:,} triples"
            rows.append(row)
            print(f"{label:>5} {op.title:<40} first {_s(row['first'])} warm {_s(row['warm'])}"
                  f" floor {_s(row['floor'])} lib {_s(row['library'])}", flush=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    return rows


def _s(entry: dict[str, Any] | None) -> str:
    if not entry:
        return "—"
    if "seconds" in entry:
        return f"{entry['seconds']:.3f} s/{entry['peak_mb']:.0f} MB"
    return f">{entry['timeout']:.0f} s" if "timeout" in entry else "error"
