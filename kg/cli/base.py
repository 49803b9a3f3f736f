"""What every command shares: the group, the data folder state, errors, option types."""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from kg import __version__
from kg.errors import CurationError, KGError

__all__ = [
    "COUNT", "EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_NO_RESULT", "EXIT_OK", "EXIT_USAGE", "HOPS",
    "MAX_SHOWN", "POSITIVE", "RECORD_FORMATS", "SECONDS", "SEED", "Group", "RegistryChoice",
    "State", "cli", "find_paths", "format_option", "handle_errors", "limit_option", "pass_state",
    "path_options", "resolve_names",
]

_F = TypeVar("_F", bound=Callable[..., Any])
MAX_SHOWN = 30


def _report_problems(exc: CurationError) -> None:
    for problem in exc.problems[:MAX_SHOWN]:
        click.echo(str(problem), err=True)
    more = len(exc.problems) - MAX_SHOWN
    if more > 0:
        click.echo(f"... and {more} more", err=True)
    click.echo(f"Error: the curated data has {len(exc.problems)} problem(s); "
               "fix them (exokg check lists them all)", err=True)


def handle_errors(fn: _F) -> _F:
    """Turn library errors into one-line messages and deliberate exit codes."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CurationError as exc:
            _report_problems(exc)
            sys.exit(1)
        except KGError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.stdout.flush()
            os._exit(EXIT_INTERRUPTED)  # a query thread may still run: leave at once

    return cast(_F, wrapper)


#: Typed option values: a bad value is a usage error (exit 2) that says what is allowed.
HOPS = click.IntRange(1, 10)
COUNT = click.IntRange(min=0)
POSITIVE = click.IntRange(min=1)
SEED = click.IntRange(min=0)
SECONDS = click.FloatRange(min=0, min_open=True)


class RegistryChoice(click.Choice[str]):
    """A choice whose values are read when used, so later registrations count.

    ``exokg export -f NAME`` takes any format registered in :mod:`kg.io.formats`, also one
    registered after the CLI was imported (a plug-in, a test).
    """

    def __init__(self, names: Callable[[], Any]) -> None:
        self._names = names
        super().__init__([], case_sensitive=True)

    @property
    def choices(self) -> tuple[str, ...]:
        """The names registered now."""
        return tuple(self._names())

    @choices.setter
    def choices(self, value: Any) -> None:
        del value  # click sets the initial (empty) list; the registry is the truth


class State:
    """What the group passes to each command: the data folder, loaded on demand."""

    def __init__(self, data: str | None, cache: bool = True) -> None:
        from kg.data.curation import default_data_dir

        self.data_dir = Path(data).expanduser() if data else default_data_dir()
        self.cache = cache
        #: When the command started (its ``--timeout`` counts from here).
        self.started = time.monotonic()
        self._cur: Any = None

    def curation(self) -> Any:
        """The validated curation of the data folder (raises on problems)."""
        if self._cur is None:
            from kg.data.curation import load

            if self.cache:
                from kg.io.cache import load_cached

                if not self.data_dir.is_dir():
                    self._cur = load(self.data_dir)  # raises the clear folder error
                self._cur = load_cached(self.data_dir, load)
            else:
                self._cur = load(self.data_dir)
        return self._cur

    def store(self) -> Any:
        """The Oxigraph store of the curation (from the cache when the folder is unchanged).

        Built or opened once per command, however often the command asks for it.
        """
        if getattr(self, "_store", None) is None:
            from kg.io.cache import store_for

            self._store = store_for(self.curation(), cache=self.cache)
        return self._store


pass_state = click.make_pass_decorator(State)


class Group(click.Group):
    """The ``exokg`` group: its help lists each command's whole first sentence.

    Click cuts a command's summary to fit one line, ending it in "..."; here the sentence
    wraps instead, so no summary is ever cut.
    """

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the Commands section with whole first sentences."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="exokg")
@click.option("--data", metavar="FOLDER", envvar="EXOKG_DATA",
              help="Curated data folder (default: $EXOKG_DATA, else the shipped triples/).")
@click.option("--no-cache", is_flag=True,
              help="Do not use or write the content-hash cache (also EXOKG_CACHE=off).")
@click.pass_context
def cli(ctx: click.Context, data: str | None, no_cache: bool) -> None:
    """exokg: a curated knowledge graph of MSC exosomes in ageing and age-related disease."""
    ctx.obj = State(data, cache=not no_cache)


#: Exit codes of every command: 0 ok, 1 error (bad data, unreadable file, unknown name),
#: 2 usage (click's own), 3 a valid question with no answer.
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_NO_RESULT = 3
#: Exit code after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130

#: The record formats of every command that prints records.
RECORD_FORMATS = ("table", "json", "tsv")


def format_option(fn: _F) -> _F:
    """``--format table|json|tsv`` (as ``fmt``)."""
    return click.option("--format", "fmt", type=click.Choice(RECORD_FORMATS), default="table",
                        show_default=True,
                        help="table for people; json or tsv for programs.")(fn)


def limit_option(default: int, what: str, verb: str = "print") -> Callable[[_F], _F]:
    """``--limit N``: how many records to print (0: all)."""
    return click.option("--limit", default=default, show_default=True, type=COUNT,
                        help=f"{what} to {verb} (0: all).")


def path_options(fn: _F) -> _F:
    """The filters of a path query, shared by ``paths`` and ``view --paths``.

    Defaults are the library's (:mod:`kg.query.defaults`, where :mod:`kg.query.paths` takes
    them from), never copied here.
    """
    from kg.query.defaults import (
        DEFAULT_MAX_HOPS,
        DEFAULT_MAX_PATHS,
        DEFAULT_SORT,
        DEFAULT_TIMEOUT,
        SORTS,
    )

    options = [
        click.option("--max-hops", default=DEFAULT_MAX_HOPS, show_default=True, type=HOPS,
                     help="Longest path, in edges (1 to 10)."),
        click.option("--via", multiple=True, metavar="ENTITY",
                     help="Must pass through (repeatable)."),
        click.option("--avoid", multiple=True, metavar="ENTITY",
                     help="Must not touch (repeatable)."),
        click.option("--asserted-only", is_flag=True,
                     help="Only paths one claim carries end to end."),
        click.option("--evidence", type=click.Choice(["in-vivo", "in-vitro", "clinical"]),
                     help="Use only claims with this evidence."),
        click.option("--agent", type=click.Choice(["exosome", "cells"]),
                     help="Use only exosome claims or only MSC cell-therapy claims."),
        click.option("--max-paths", default=DEFAULT_MAX_PATHS, show_default=True,
                     type=POSITIVE, help="Stop the search after this many paths (1 or more)."),
        click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=SECONDS,
                     help="Stop after this many seconds (more than 0)."),
        click.option("--exact", is_flag=True,
                     help="Do not include narrower sources or diseases (such as knee "
                          "osteoarthritis under osteoarthritis)."),
        click.option("--min-studies", default=0, show_default=True, type=COUNT,
                     help="Only paths backed by at least this many distinct studies."),
        click.option("--min-evidence", type=click.Choice(["clinical", "in-vivo", "in-vitro"]),
                     help="Only paths whose weakest hop has at least this evidence."),
        click.option("--sort", type=click.Choice(list(SORTS)), default=DEFAULT_SORT,
                     show_default=True,
                     help="Rank asserted paths first, then by the degree-damped score "
                          "(halved at each join of contexts), by studies (then evidence) or "
                          "by evidence (then studies)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def find_paths(state: State, source: str, target: str, *, via: tuple[str, ...] = (),
               avoid: tuple[str, ...] = (), exact: bool = False, keep: int | None = None,
               **filters: Any) -> Any:
    """Run :func:`kg.query.paths.paths` on names (ids, labels or synonyms).

    ``--timeout`` bounds the whole command: the search stops at the command's start plus
    the timeout (less a margin to print the answer), however long loading took. ``keep``
    (the command's ``--limit``; None for all) bounds the paths held in memory.
    """
    from kg.query.paths import paths as find

    src, dst = resolve_names(state, (source, target))
    timeout = filters.get("timeout")
    deadline = None if timeout is None else state.started + timeout * 0.95
    return find(state.curation(), src, dst, via=resolve_names(state, via),
                avoid=resolve_names(state, avoid), include_subtypes=not exact, keep=keep,
                deadline=deadline, **filters)


def resolve_names(state: State, names: tuple[str, ...]) -> list[str]:
    """Entity ids of ``names`` (ids, labels or synonyms) in the state's curation."""
    from kg.data.curation import resolve

    cur = state.curation()
    return [resolve(cur, n) for n in names]
