"""The ``exokg`` command line: a thin layer over the ``kg`` library."""

from __future__ import annotations

import functools
import json
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

    return cast(F, wrapper)


class State:
    """What the group passes to each command: the data folder, loaded on demand."""

    def __init__(self, data: str | None) -> None:
        from kg.curation import default_data_dir

        self.data_dir = Path(data).expanduser() if data else default_data_dir()
        self._cur: Any = None

    def curation(self) -> Any:
        """The validated curation of the data folder (raises on problems)."""
        if self._cur is None:
            from kg.curation import load

            self._cur = load(self.data_dir)
        return self._cur


pass_state = click.make_pass_decorator(State)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="exokg")
@click.option("--data", metavar="FOLDER", envvar="EXOKG_DATA",
              help="Curated data folder (default: $EXOKG_DATA, else the shipped triples/).")
@click.pass_context
def cli(ctx: click.Context, data: str | None) -> None:
    """exokg: a curated knowledge graph of MSC exosomes in ageing and age-related disease."""
    ctx.obj = State(data)


@cli.command()
@pass_state
@handle_errors
def check(state: State) -> None:
    """Validate every curated file; report all problems with file:line (exit 1 if any)."""
    from kg.curation import validate

    cur, problems = validate(state.data_dir)
    for warning in cur.warnings:
        click.echo(str(warning), err=True)
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"read {len(cur.files)} files from {state.data_dir}")
    click.echo(
        f"{len(cur.entities)} entities, {sum(len(e.synonyms) for e in cur.entities.values())} "
        f"synonyms, {len(cur.claims)} claims, {len(cur.references)} references, "
        f"{len(cur.trials)} trial reports, {len(cur.attributes)} attributes")
    if cur.warnings:
        click.echo(f"{len(cur.warnings)} warning(s)")
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        sys.exit(1)
    click.echo("ok: no problems")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_state
@handle_errors
def stats(state: State, as_json: bool) -> None:
    """Entities by type, claims, references, and edges by predicate."""
    from kg.summary import stats as compute

    data = compute(state.curation())
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"entities: {data['entity_total']} ({data['synonyms']} synonyms)")
    for etype, n in data["entities"].items():
        click.echo(f"  {etype:<10} {n:>5}")
    click.echo(f"claims: {data['claims']}")
    for review, n in data["claims_by_review"].items():
        click.echo(f"  {review:<10} {n:>5}")
    for agent, n in data["claims_by_agent"].items():
        click.echo(f"  agent={agent:<8} {n:>3}")
    click.echo(f"references: {data['references']} studies "
               f"({data['references_cited_by_claims']} cited by claims), "
               f"{data['reviews']} reviews")
    click.echo(f"trials: {data['trials']} ({data['trial_reports']} reports); "
               f"attributes: {data['attributes']}")
    click.echo(f"edges: {data['edges']}")
    for pred, n in data["edges_by_predicate"].items():
        click.echo(f"  {pred:<12} {n:>5}")


@cli.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_state
@handle_errors
def show(state: State, name: str, as_json: bool) -> None:
    """Entity card of NAME (an id, label or synonym): type, synonyms, claims, citations."""
    from kg.curation import resolve
    from kg.summary import card

    cur = state.curation()
    data = card(cur, resolve(cur, name))
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{data['label']}  [{data['id']}, {data['type']}]")
    if data["synonyms"]:
        click.echo(f"synonyms: {', '.join(data['synonyms'])}")
    if data["parents"]:
        click.echo("parents: " + ", ".join(p["label"] for p in data["parents"]))
    if data["children"]:
        click.echo("children: " + ", ".join(c["label"] for c in data["children"]))
    click.echo(f"xrefs: {', '.join(data['xrefs']) or '(none verified yet)'}")
    if data["note"]:
        click.echo(f"note: {data['note']}")
    for attr in data["attributes"]:
        click.echo(f"{attr['attribute']}: {attr['value']} ({attr['review']}, {attr['where']})")
    click.echo(f"claims: {len(data['claims'])}")
    for claim in data["claims"]:
        evidence = f" ({', '.join(claim['evidence'])})" if claim["evidence"] else ""
        click.echo(f"  {claim['id']} [{', '.join(claim['roles'])}] {claim['summary']}"
                   f"{evidence}")
        click.echo(f"      {'; '.join(claim['citations'])}; read in {claim['review']}, "
                   f"{claim['where']}")
    if data["trials"]:
        click.echo(f"trials: {', '.join(data['trials'])}")


@cli.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["turtle", "nt", "json-ld"]),
              default="turtle", show_default=True, help="Serialization.")
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Output file; '-' writes to standard output.")
@pass_state
@handle_errors
def export(state: State, fmt: str, output: str) -> None:
    """Write the graph as Turtle, N-Triples or JSON-LD (atomically)."""
    from kg.export import export as write
    from kg.rdf import build_rdf

    graph = build_rdf(state.curation())
    path = write(graph, fmt, output)
    if path is not None:
        click.echo(f"wrote {path} ({len(graph)} triples, {fmt})", err=True)


@cli.command()
@click.option("--fix", is_flag=True, help="Rewrite files into canonical form.")
@pass_state
@handle_errors
def lint(state: State, fix: bool) -> None:
    """Check that curated files are sorted and clean (rows sorted, LF endings)."""
    from kg.lint import lint as run_lint

    result = run_lint(state.data_dir, fix=fix)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    for path in result.unformatted:
        click.echo(f"{'fixed' if fix else 'not canonical'}: {path}")
    if result.problems:
        click.echo(f"{len(result.problems)} file problem(s); fix them first "
                   "(files with broken lines are not rewritten)", err=True)
        sys.exit(1)
    if result.unformatted and not fix:
        click.echo("run 'exokg lint --fix' to rewrite them", err=True)
        sys.exit(1)
    if not result.unformatted:
        click.echo("ok: all files canonical")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="exokg")
