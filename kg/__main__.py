"""``python -m kg`` and the ``exokg`` script: the command line, interruptible from the start."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

__all__ = ["run"]


def _interrupted(signum: int, frame: FrameType | None) -> None:
    del signum, frame
    sys.stderr.write("interrupted\n")
    os._exit(130)


def run() -> None:
    """Start ``exokg``: Ctrl-C while the program is still loading exits 130 with one line.

    Once the command line is imported, Ctrl-C raises ``KeyboardInterrupt`` again and the
    commands turn it into the same line and exit code (see :func:`kg.cli.main`).
    """
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.default_int_handler:  # an ignored SIGINT (background job) stays so
        signal.signal(signal.SIGINT, _interrupted)
    from kg.cli import main

    signal.signal(signal.SIGINT, previous)
    main()


if __name__ == "__main__":
    run()
