"""Measuring helpers shared by the benchmarks.

One process's wall time and peak memory, interleaved repetitions, medians, percentiles and
growth exponents.

Everything here is plain Python (no exokg import), so ``tests/test_bench.py`` checks it on
fake timings.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Run:
    """One process run: wall seconds and peak resident memory (MB), or why it has none."""

    seconds: float | None = None
    peak_mb: float | None = None
    cpu: float | None = None
    timeout: float | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the run finished in time with exit code 0."""
        return self.seconds is not None and self.timeout is None and self.error is None


def run_process(cmd: Sequence[str], *, timeout: float, env: dict[str, str] | None = None,
                cwd: str | Path | None = None) -> Run:
    """Run ``cmd`` to completion; its wall time and its own peak RSS (from ``wait4``).

    Output is discarded except the last line of standard error, kept when it fails. A run
    longer than ``timeout`` seconds is killed and reported as a time-out, never raised.
    """
    with open(os.devnull, "wb") as null, _Tail() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=null, stderr=err.handle, env=env, cwd=cwd)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if killed.is_set():
            return Run(timeout=timeout)
        peak = usage.ru_maxrss / 1024  # kilobytes on Linux
        if proc.returncode != 0:
            return Run(error=err.last_line() or f"exit code {proc.returncode}")
        return Run(seconds=seconds, peak_mb=peak, cpu=usage.ru_utime + usage.ru_stime)


def wait_for_cache_writers(cache: Path) -> None:
    """Wait until no process writes into the exokg cache ``cache`` (not part of any timing).

    A first call writes its cache entries after its output, in a detached child holding a
    lock (``.writing``) on each entry folder; waiting for those locks before the next run
    keeps that child from slowing (or, for a warm call, from being waited for by) the next
    measured process.
    """
    import fcntl

    for lock in Path(cache).glob("*/.writing"):
        try:
            fd = os.open(lock, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            pass
        finally:
            os.close(fd)


class _Tail:
    """A temporary file for a child's standard error, of which the last line is kept."""

    def __enter__(self) -> _Tail:
        import tempfile

        self.handle = tempfile.TemporaryFile()
        return self

    def last_line(self) -> str:
        self.handle.seek(0)
        lines = self.handle.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1][:200] if lines else ""

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def interleave(labels: Sequence[str], repeat: int) -> list[str]:
    """The order to run ``labels`` in: round after round, each label once per round.

    Examples
    --------
    >>> interleave(["ref", "cmd"], 3)
    ['ref', 'cmd', 'ref', 'cmd', 'ref', 'cmd']
    """
    return [label for _ in range(repeat) for label in labels]


def measure_interleaved(commands: Mapping[str, Callable[[], Run]], repeat: int,
                        warmup: bool = True,
                        limits: dict[str, int] | None = None,
                        slow: float | None = None) -> dict[str, list[Run]]:
    """Run each command ``repeat`` times, alternating between them (see :func:`interleave`).

    A command that timed out or failed is not run again (its later rounds are skipped), nor
    is one that has run ``limits[label]`` times. With ``warmup`` each command first runs
    once unrecorded (it fills the file cache); one whose warm-up took more than ``slow``
    seconds is then recorded once only (its ratio is far from any target anyway).
    """
    limits = dict(limits or {})
    runs: dict[str, list[Run]] = {label: [] for label in commands}
    if warmup:
        for label, fn in commands.items():
            first = fn()
            if first.timeout is not None or first.error is not None:
                runs[label].append(first)
            elif slow is not None and (first.seconds or 0.0) > slow:
                limits[label] = 1
    for label in interleave(list(commands), repeat):
        done = runs[label]
        if (done and not done[-1].ok) or len(done) >= limits.get(label, repeat):
            continue
        done.append(commands[label]())
    return runs


def summary(runs: Sequence[Run]) -> dict[str, Any]:
    """Median seconds and largest peak memory of ``runs`` (or the time-out or error).

    Examples
    --------
    >>> summary([Run(0.3, 50), Run(0.1, 60), Run(0.2, 55)])
    {'seconds': 0.2, 'peak_mb': 60.0, 'runs': [0.3, 0.1, 0.2]}
    >>> summary([Run(0.1, 50), Run(timeout=30)])
    {'timeout': 30}
    """
    for run in runs:
        if run.timeout is not None:
            return {"timeout": run.timeout}
        if run.error is not None:
            return {"error": run.error}
    if not runs:
        return {"error": "not run"}
    return {"seconds": round(statistics.median(r.seconds or 0.0 for r in runs), 4),
            "peak_mb": round(float(max(r.peak_mb or 0.0 for r in runs)), 1),
            "runs": [round(r.seconds or 0.0, 4) for r in runs],
            **({"cpu": round(statistics.median(r.cpu for r in runs if r.cpu is not None), 4)}
               if all(r.cpu is not None for r in runs) else {}),
            **runs[0].extra}


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``.

    Examples
    --------
    >>> percentile([5, 1, 4, 2, 3], 50), percentile(list(range(1, 101)), 95)
    (3, 95)
    """
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def growth_exponent(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(time) against log(size): 1 is linear, 2 quadratic.

    ``points`` are (size, seconds); points without a positive time are ignored, and fewer
    than two sizes give None.

    Examples
    --------
    >>> round(growth_exponent([(1e4, 0.1), (1e5, 1.0), (1e6, 10.0)]), 3)
    1.0
    >>> round(growth_exponent([(1e4, 0.01), (1e6, 100.0)]), 3)
    2.0
    >>> growth_exponent([(1e4, 0.1)]) is None
    True
    """
    pts = [(math.log(s), math.log(t)) for s, t in points if s > 0 and t and t > 0]
    if len({x for x, _ in pts}) < 2:
        return None
    mx = statistics.fmean(x for x, _ in pts)
    my = statistics.fmean(y for _, y in pts)
    num = sum((x - mx) * (y - my) for x, y in pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return num / den


def fmt_entry(entry: dict[str, Any] | None, memory: bool = True) -> str:
    """``0.123 s, 45 MB`` of a summary, ``> 30 s (timeout)``, ``error`` or ``—``.

    Examples
    --------
    >>> fmt_entry({"seconds": 0.1234, "peak_mb": 45.2}), fmt_entry({"timeout": 30})
    ('0.123 s, 45 MB', '> 30 s (timeout)')
    """
    if not entry:
        return "—"
    if "timeout" in entry:
        return f"> {entry['timeout']:.0f} s (timeout)"
    if "seconds" not in entry:
        return "error"
    text = f"{entry['seconds']:.3f} s"
    return f"{text}, {entry['peak_mb']:.0f} MB" if memory and "peak_mb" in entry else text


def fmt_exponent(value: float | None) -> str:
    """A growth exponent to two decimals, or ``—``."""
    return "—" if value is None else f"{value:.2f}"


def times_ratio(ours: dict[str, Any] | None, ref: dict[str, Any] | None,
                key: str = "seconds") -> float | None:
    """Our ``key`` (wall ``seconds`` or ``cpu`` seconds) / the reference's, when both have it.

    Above 1 is slower than the reference.

    Examples
    --------
    >>> times_ratio({"seconds": 0.3, "cpu": 0.2}, {"seconds": 0.2, "cpu": 0.1}, "cpu")
    2.0
    >>> times_ratio({"timeout": 9}, {"seconds": 0.2}) is None
    True
    """
    if not ours or not ref or key not in ours or key not in ref:
        return None
    return ours[key] / ref[key] if ref[key] else None


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages (empty where the platform has none)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


@dataclass
class Table:
    """A markdown table being built: header cells and rows of cells."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The table as markdown lines."""
        out = ["| " + " | ".join(self.header) + " |", "|" + "---|" * len(self.header)]
        out += ["| " + " | ".join(r) + " |" for r in self.rows]
        return out
