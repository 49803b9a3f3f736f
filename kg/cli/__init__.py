"""The ``exokg`` command line: a thin layer over the ``kg`` library.

Each command parses its arguments, calls one library function and prints the result. The
group and what commands share live in ``base``; the commands in ``data`` (the curated
files), ``query`` (questions) and ``output`` (exports, pages, remote stores).
"""

from __future__ import annotations

import sys

import click

from kg.cli import data, output, query, questions, release
from kg.cli import serve as _serve  # noqa: F401  (exokg serve, exokg site)
from kg.cli.base import EXIT_INTERRUPTED, cli

__all__ = ["cli", "main"]
del data, output, query, questions, release  # imported for their commands


def main() -> None:
    """Console-script entry point.

    Ctrl-C ends the command with exit code 130 and one line, wherever it arrives (click
    itself would say "Aborted!" and exit 1).
    """
    from kg.io.cache import write_after_exit

    write_after_exit()  # a new cache entry is written after the command's output, not before
    try:
        cli.main(prog_name="exokg", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
