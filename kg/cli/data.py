"""Commands about the curated data: check, lint, stats, show, coverage."""

from __future__ import annotations

import json
import sys

import click

from kg.cli.base import (
    State,
    cli,
    format_option,
    handle_errors,
    limit_option,
    pass_state,
    resolve_names,
)

__all__ = ["check", "coverage", "lint", "show", "stats"]


@cli.command()
@click.option("--shacl", is_flag=True,
              help="Also validate the built RDF against schema/shapes.ttl (SHACL).")
@pass_state
@handle_errors
def check(state: State, shacl: bool) -> None:
    """Validate every curated file, reporting problems by line.

    Each problem names its file and line; exit code 1 when there is any.
    """
    from kg.data.curation import validate
    from kg.view.text import check_summary

    cur, problems = validate(state.data_dir)
    if cur.extra_rdf:
        from kg.data.curation import check_extra_rdf

        problems += check_extra_rdf(cur)
    for warning in cur.warnings:
        click.echo(str(warning), err=True)
    for problem in problems:
        click.echo(str(problem), err=True)
    if not problems:
        from kg.io.datapackage import stale_warning

        stale = stale_warning(cur, state.data_dir)
        if stale:
            click.echo(stale, err=True)
    click.echo(check_summary(cur, state.data_dir), nl=False)
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        sys.exit(1)
    if shacl:
        from kg.graph.rdf import build_rdf
        from kg.io.shacl import validate_shapes

        violations = validate_shapes(cur, build_rdf(cur))
        for v in violations:
            click.echo(f"SHACL: {v}", err=True)
        if violations:
            click.echo(f"{len(violations)} SHACL violation(s)", err=True)
            sys.exit(1)
        click.echo("SHACL: the graph conforms to schema/shapes.ttl")
    click.echo("ok: no problems")


@cli.command()
@click.option("--fix", is_flag=True, help="Rewrite files into canonical form.")
@pass_state
@handle_errors
def lint(state: State, fix: bool) -> None:
    """Check that the curated files are in canonical form.

    Canonical: rows sorted, LF line endings; --fix rewrites the files that are not.
    """
    from kg.io.lint import lint as run_lint

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


@cli.command()
@format_option
@pass_state
@handle_errors
def stats(state: State, fmt: str) -> None:
    """Count entities, claims, references and edges.

    Entities by type, claims by review and agent, edges by predicate.
    """
    from kg.query.summary import stats as compute
    from kg.view.text import rows_out, stats_rows, stats_text

    data = compute(state.curation())
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(stats_text(data) if fmt == "table" else rows_out(stats_rows(data), fmt),
                   nl=False)


@cli.command()
@click.argument("name")
@click.option("--descendants", is_flag=True,
              help="Also list the claims and trials of narrower entities, marked 'from'.")
@limit_option(0, "Claims")
@format_option
@pass_state
@handle_errors
def show(state: State, name: str, descendants: bool, limit: int, fmt: str) -> None:
    """Show the card of an entity with its claims and citations, or one claim.

    NAME is an id, a label or a synonym. Every claim line names the agent (exosome
    or cells), the evidence and the curator's flag. --format tsv prints one row per claim.
    NAME may also be a claim id: the claim, its cited studies with DOI and PMID, and what
    the cited study's abstract says of it.
    """
    from kg.query.summary import card
    from kg.view.text import card_rows, card_text, rows_out

    if _show_record(state, name, fmt):
        return
    (entity,) = resolve_names(state, (name,))
    data = card(state.curation(), entity, descendants=descendants)
    if limit:
        data["claims_total"] = len(data["claims"])
    if fmt == "json":
        if limit:
            data["claims"] = data["claims"][:limit]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt == "tsv":
        rows = card_rows(data)
        click.echo(rows_out(rows[:limit] if limit else rows, fmt), nl=False)
    else:
        click.echo(card_text(data, limit), nl=False)


def _show_record(state: State, name: str, fmt: str) -> bool:
    """Print a claim or a trial named by its id (not an entity's name); False if it is none.

    Anything an output prints can be looked up: claim ids, registry ids and trial reports.
    """
    from kg.query.summary import claim_card
    from kg.query.trials import trial_of, trials
    from kg.view.questions import render, trial_records
    from kg.view.text import claim_card_text, rows_out

    cur = state.curation()
    if name in cur.entities:
        return False
    if name in cur.claims:
        data = claim_card(cur, name)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False) if fmt == "json"
                   else claim_card_text(data) if fmt == "table"
                   else rows_out([{k: "|".join(v) if isinstance(v, list) else v
                                   for k, v in data.items()}], fmt), nl=fmt == "json")
        return True
    if trial_of(cur, name) is not None:
        rows = trials(cur, name)
        if fmt == "table":
            click.echo(f"{name}: {len(rows)} report(s)")
        click.echo(render(trial_records(rows, fmt), fmt), nl=False)
        return True
    return False


@cli.command()
@format_option
@pass_state
@handle_errors
def coverage(state: State, fmt: str) -> None:
    """Report curation progress per review, section and type.

    Claims per review and table or section, references cited, standard identifiers.
    """
    from kg.query.coverage import coverage as compute
    from kg.view.text import coverage_rows, coverage_text, rows_out

    data = compute(state.curation())
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(coverage_text(data) if fmt == "table"
                   else rows_out(coverage_rows(data), fmt), nl=False)
