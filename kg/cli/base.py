"""What every command shares: the group, the data folder state, errors, option types."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from kg import __version__
from kg.errors import CurationError, KGError

F = TypeVar("F", bound=Callable[..., Any])
MAX_SHOWN = 30


def _report_problems(exc: CurationError) -> None:
    for problem in exc.problems[:MAX_SHOWN]:
        click.echo(str(problem), err=True)
    more = len(exc.problems) - MAX_SHOWN
    if more > 0:
        click.echo(f"... and {more} more", err=True)
    click.echo(f"Error: the curated data has {len(exc.problems)} problem(s); "
               "fix them (exokg check lists them all)", err=True)


def handle_errors(fn: F) -> F:
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

    return cast(F, wrapper)


#: Typed option values: a bad value is a usage error (exit 2) that says what is allowed.
HOPS = click.IntRange(1, 10)
COUNT = click.IntRange(min=0)
POSITIVE = click.IntRange(min=1)
SEED = click.IntRange(min=0)
SECONDS = click.FloatRange(min=0, min_open=True)


class State:
    """What the group passes to each command: the data folder, loaded on demand."""

    def __init__(self, data: str | None, cache: bool = True) -> None:
        from kg.data.curation import default_data_dir

        self.data_dir = Path(data).expanduser() if data else default_data_dir()
        self.cache = cache
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
        """The Oxigraph store of the curation (from the cache when the folder is unchanged)."""
        from kg.graph.rdf import build_store

        if self.cache:
            from kg.io.cache import store_cached

            return store_cached(self.curation(), build_store)
        return build_store(self.curation())


pass_state = click.make_pass_decorator(State)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="exokg")
@click.option("--data", metavar="FOLDER", envvar="EXOKG_DATA",
              help="Curated data folder (default: $EXOKG_DATA, else the shipped triples/).")
@click.option("--no-cache", is_flag=True,
              help="Do not use or write the content-hash cache (also EXOKG_CACHE=off).")
@click.pass_context
def cli(ctx: click.Context, data: str | None, no_cache: bool) -> None:
    """exokg: a curated knowledge graph of MSC exosomes in ageing and age-related disease."""
    ctx.obj = State(data, cache=not no_cache)


EXIT_NO_RESULT = 3
#: Exit code after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


def resolve_names(state: State, names: tuple[str, ...]) -> list[str]:
    """Entity ids of ``names`` (ids, labels or synonyms) in the state's curation."""
    from kg.data.curation import resolve

    cur = state.curation()
    return [resolve(cur, n) for n in names]
