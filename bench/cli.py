"""CLI start-up on the curated data, in a user's and a researcher's environment.

Every command that prints records or writes output runs in a fresh process, interleaved with
a bare ``python -c "import networkx"`` in the same environment (ref, cmd, ref, cmd ...); the
ratio is median(cmd) / median(ref), against the target of 1.5x. Two environments live under
``bench/.data/``: ``venv-runtime`` (``pip install .``, no extras: what a user gets) and
``venv-researcher`` (the same plus matplotlib, pandas and jupyter, which change what some
libraries import). Each is reinstalled when the package's source changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from measure import (
    Run,
    measure_interleaved,
    run_process,
    summary,
    times_ratio,
    wait_for_cache_writers,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"

#: environment name -> (folder, packages installed next to exokg)
ENVIRONMENTS: dict[str, tuple[Path, list[str]]] = {
    "runtime": (DATA / "venv-runtime", []),
    "researcher": (DATA / "venv-researcher", ["matplotlib", "pandas", "jupyter"]),
}
#: the latency target: each command within this factor of a bare ``import networkx``
TARGET = 1.5
#: a command whose first call takes longer (seconds) is recorded once, not ``repeat`` times
SLOW = 5.0
#: the reference every command is compared with
REFERENCE = ("python -c 'import networkx'", ["-c", "import networkx"])
#: (label, arguments of exokg) on the curated data; files are written into a scratch folder
COMMANDS: list[tuple[str, list[str]]] = [
    ("--help", ["--help"]),
    ("check", ["check"]),
    ("lint", ["lint"]),
    ("stats", ["stats"]),
    ("show miR-146a-5p", ["show", "miR-146a-5p"]),
    ("neighbors miR-146a-5p", ["neighbors", "miR-146a-5p"]),
    ("paths BMSC osteoarthritis", ["paths", "BMSC", "osteoarthritis"]),
    ("upstream osteoarthritis", ["upstream", "osteoarthritis"]),
    ("rank", ["rank"]),
    ("rank --disease 'neurodegenerative disease'",
     ["rank", "--disease", "neurodegenerative disease"]),
    ("claims --cargo miR-21-5p", ["claims", "--cargo", "miR-21-5p"]),
    ("trials osteoarthritis", ["trials", "osteoarthritis"]),
    ("matrix", ["matrix"]),
    ("hallmarks", ["hallmarks"]),
    ("search alzhimer", ["search", "alzhimer"]),
    ("coverage", ["coverage"]),
    ("queries", ["queries"]),
    ("sparql hub-pathways", ["sparql", "hub-pathways"]),
    ("export -f turtle", ["export", "-f", "turtle", "-o", "g.ttl"]),
    ("export -f nt", ["export", "-f", "nt", "-o", "g.nt"]),
    ("export -f json-ld", ["export", "-f", "json-ld", "-o", "g.jsonld"]),
    ("export -f graphml", ["export", "-f", "graphml", "-o", "g.graphml"]),
    ("export -f kgx", ["export", "-f", "kgx", "-o", "kgx"]),
    ("export -f neo4j", ["export", "-f", "neo4j", "-o", "neo4j"]),
    ("view miR-146a-5p", ["view", "miR-146a-5p", "-o", "view.html"]),
    ("view --paths BMSC osteoarthritis",
     ["view", "--paths", "BMSC", "osteoarthritis", "-o", "paths.html"]),
    ("site", ["site", "-o", "site"]),
    ("datapackage --check", ["datapackage", "--check"]),
    ("release 0.0.0", ["release", "0.0.0", "-o", "release", "--date", "2026-01-01",
                       "--creator", "The exokg curators", "--force"]),
    ("diff release release", ["diff", "release", "release"]),  # the folder written above
]
#: commands of ``exokg --help`` measured elsewhere or not measurable on their own
NOT_HERE = {"serve": "under load, in its own table", "push": "needs a SPARQL store"}


def source_hash() -> str:
    """Hash of what ``pip install .`` installs (package, data, metadata)."""
    digest = hashlib.blake2b(digest_size=12)
    files = [ROOT / "pyproject.toml", *sorted((ROOT / "kg").rglob("*")),
             *sorted((ROOT / "triples").rglob("*"))]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _pip(python: Path, *args: str) -> None:
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *args],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pip install {' '.join(args)} failed:\n{done.stderr[-2000:]}")


def environment(name: str) -> Path:
    """The ``bin`` folder of an environment, created or refreshed as needed.

    It is built from the project's own ``pyproject.toml`` (``pip install .``, plus the
    environment's extras): when that file changes, the environment is made again from
    nothing, so no package a former version needed (or an extra installed by hand) is left
    in it. Only a change of exokg's source reinstalls exokg alone.
    """
    folder, extras = ENVIRONMENTS[name]
    python = folder / "bin" / "python"
    stamp = folder / ".exokg-source"
    now = {"source": source_hash(),
           "pyproject": hashlib.blake2b((ROOT / "pyproject.toml").read_bytes()).hexdigest()}
    before = _read_stamp(stamp) if python.exists() else {}
    if before.get("pyproject") != now["pyproject"]:
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        _pip(python, str(ROOT), *extras)
    elif before.get("source") != now["source"]:
        _pip(python, "--no-deps", "--force-reinstall", str(ROOT))
    stamp.write_text(json.dumps(now))
    return folder / "bin"


def packages(python: Path | str) -> list[str]:
    """Every distribution installed for ``python``, as ``name==version``, sorted."""
    code = ("import json, importlib.metadata as m\n"
            "print(json.dumps(sorted({f\"{d.metadata['Name']}=={d.version}\" "
            "for d in m.distributions()}, key=str.lower)))")
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return list(json.loads(done.stdout)) if done.returncode == 0 else []


def _read_stamp(stamp: Path) -> dict[str, str]:
    """What the environment was last installed from (empty when unknown or unreadable)."""
    try:
        data = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def versions(python: Path | str) -> dict[str, str]:
    """Versions of the libraries that matter, as installed for ``python``."""
    code = ("import json, importlib.metadata as m\n"
            "out = {}\n"
            "for p in ['exokg', 'click', 'networkx', 'rdflib', 'pyoxigraph', 'igraph', 'pyvis',"
            " 'matplotlib', 'pandas', 'jupyter', 'starlette', 'uvicorn']:\n"
            "    try: out[p] = m.version(p)\n"
            "    except m.PackageNotFoundError: pass\n"
            "print(json.dumps(out))")
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return json.loads(done.stdout) if done.returncode == 0 else {}


def cold_starts(env_name: str, repeat: int, timeout: float,
                commands: list[tuple[str, list[str]]] | None = None) -> dict[str, Any]:
    """Median wall time of each command, warm and first after an edit, and of the reference.

    Three runs a round, interleaved (reference, warm call, first call): the *warm* call uses
    the environment's own cache (``EXOKG_CACHE``), filled by an unrecorded first run as a
    user's first call after installing would; the *first call after an edit* runs on an
    emptied cache of its own, which is what an edit of the data (or of the program) gives:
    the cache key hashes every file, so nothing of the old entries is read. Each ratio is
    median(command) / median(reference), and the same for CPU time (user + system), which a
    loaded machine disturbs less than wall time.
    """
    bin_dir = environment(env_name)
    cache = DATA / f"cache-{env_name}"
    first_cache = DATA / f"cache-{env_name}-first"
    env = {k: v for k, v in os.environ.items() if k not in ("EXOKG_DATA", "VIRTUAL_ENV")}
    env["EXOKG_CACHE"] = str(cache)
    scratch = Path(tempfile.mkdtemp(prefix="exokg-bench-"))
    rows = []
    try:
        ref_cmd = [str(bin_dir / "python"), *REFERENCE[1]]
        for label, args in commands or COMMANDS:
            cmd = [str(bin_dir / "exokg"), *args]
            if args[0] in ("export", "view", "site"):
                cmd.append("--force")
            funcs = {"ref": partial(run_process, ref_cmd, timeout=timeout, env=env, cwd=scratch),
                     "cmd": partial(_warm, cmd, cache, timeout, env, scratch),
                     "first": partial(_after_edit, cmd, first_cache, timeout, env, scratch)}
            runs = measure_interleaved(funcs, repeat, slow=SLOW)
            ref, ours, first = summary(runs["ref"]), summary(runs["cmd"]), summary(runs["first"])
            wall, cpu = times_ratio(ours, ref), times_ratio(ours, ref, "cpu")
            first_wall, first_cpu = times_ratio(first, ref), times_ratio(first, ref, "cpu")
            rows.append({"command": f"exokg {label}", "ours": ours, "reference": ref,
                         "ratio": wall, "cpu_ratio": cpu, "first": first,
                         "first_ratio": first_wall, "first_cpu_ratio": first_cpu})
            print(f"cli {env_name:<10} {label:<44} {_fmt(ours)} first {_fmt(first)} "
                  f"ref {_fmt(ref)} {_fmt_ratio(wall)} (cpu {_fmt_ratio(cpu)}) first "
                  f"{_fmt_ratio(first_wall)} (cpu {_fmt_ratio(first_cpu)})", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(first_cache, ignore_errors=True)
    return {"environment": env_name, "extras": ENVIRONMENTS[env_name][1],
            "versions": versions(bin_dir / "python"), "packages": packages(bin_dir / "python"),
            "rows": rows}


def _warm(cmd: list[str], cache: Path, timeout: float, env: dict[str, str], cwd: Path) -> Run:
    """One run of ``cmd`` on the warm cache (whose writer, after a warm-up, is waited for)."""
    run = run_process(cmd, timeout=timeout, env=env, cwd=cwd)
    wait_for_cache_writers(cache)
    return run


def _after_edit(cmd: list[str], cache: Path, timeout: float, env: dict[str, str],
                cwd: Path) -> Run:
    """One run of ``cmd`` as the first call after an edit: on an emptied cache."""
    shutil.rmtree(cache, ignore_errors=True)
    run = run_process(cmd, timeout=timeout, env={**env, "EXOKG_CACHE": str(cache)}, cwd=cwd)
    wait_for_cache_writers(cache)  # its detached cache writer does not overlap the next run
    return run


def _fmt(entry: dict[str, Any]) -> str:
    if "seconds" in entry:
        return f"{entry['seconds']:.3f} s"
    return f"> {entry['timeout']:.0f} s" if "timeout" in entry else "error"


def _fmt_ratio(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}x " + ("ok" if value <= TARGET else "OVER")


def mark(value: float | None) -> str:
    """A ratio against the target: ``1.21x ok`` or ``2.30x OVER``.

    Examples
    --------
    >>> mark(1.2), mark(2.3), mark(None)
    ('1.20x ok', '2.30x OVER', '—')
    """
    return _fmt_ratio(value)


def _main() -> None:
    """``python bench/cli.py ENV [REPEAT]``: one environment's table, printed."""
    env_name = sys.argv[1] if len(sys.argv) > 1 else "runtime"
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    cold_starts(env_name, repeat, timeout=120)


if __name__ == "__main__":
    _main()

