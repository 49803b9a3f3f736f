"""``python -m kg`` and the ``exokg`` script: the command line, interruptible from the start."""

from __future__ import annotations

import atexit
import gc
import os
import signal
import sys
from types import FrameType
from typing import NoReturn

__all__ = ["GC_THRESHOLD", "run"]

#: The collector's thresholds for the command line. A command makes hundreds of thousands of
#: objects that live until it ends (modules, records, indexes) and few reference cycles; the
#: interpreter's default (700 allocations between young collections) walks them over and
#: over, about 15 ms of a first call on the curated data (7% of it). Cycles are still
#: collected, after 100,000 allocations instead of 700. Set by :func:`run` only: importing
#: ``kg`` as a library leaves the collector alone.
GC_THRESHOLD = (100_000, 50, 100)


def _interrupted(signum: int, frame: FrameType | None) -> None:
    del signum, frame
    sys.stderr.write("interrupted\n")
    os._exit(130)


def run() -> None:
    """Start ``exokg``: Ctrl-C while the program is still loading exits 130 with one line.

    Once the command line is imported, Ctrl-C raises ``KeyboardInterrupt`` again and the
    commands turn it into the same line and exit code (see :func:`kg.cli.main`).
    """
    gc.set_threshold(*GC_THRESHOLD)
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.default_int_handler:  # an ignored SIGINT (background job) stays so
        signal.signal(signal.SIGINT, _interrupted)
    from kg.cli import main

    signal.signal(signal.SIGINT, previous)
    try:
        main()
    except SystemExit as exc:
        _end(exc.code)
    _end(0)


def _end(code: int | str | None) -> NoReturn:
    """End the process with ``code`` once the command is done, skipping the teardown.

    The exit handlers run (the cache writer is one) and the standard streams are flushed,
    then the process ends without freeing every object of the command one by one (15-25
    ms of a first call on the curated data, more at scale): every file exokg writes is
    closed by then. With other threads still running, or under a profiler or tracer
    (``python -m cProfile -m kg``, coverage), which write their results as the
    interpreter ends, it exits the usual way.
    """
    import threading

    if threading.active_count() > 1 or sys.getprofile() is not None \
            or sys.gettrace() is not None:
        sys.exit(code)
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (exokg ... | head) or stream
            pass
    os._exit(code or 0)


if __name__ == "__main__":
    run()
