"""Commands about the curated data: check, lint, stats, show, coverage."""

from __future__ import annotations

import json
import sys

import click

from kg.cli.base import (
    State,
    cli,
    handle_errors,
    pass_state,
)


@cli.command()
@click.option("--shacl", is_flag=True,
              help="Also validate the built RDF against schema/shapes.ttl (SHACL).")
@pass_state
@handle_errors
def check(state: State, shacl: bool) -> None:
    """Validate every curated file; report all problems with file:line (exit 1 if any)."""
    from kg.data.curation import validate

    cur, problems = validate(state.data_dir)
    if cur.extra_rdf:
        from kg.data.curation import check_extra_rdf

        problems += check_extra_rdf(cur)
    for warning in cur.warnings:
        click.echo(str(warning), err=True)
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"read {len(cur.files)} files from {state.data_dir}")
    click.echo(
        f"{len(cur.entities)} entities, {sum(len(e.synonyms) for e in cur.entities.values())} "
        f"synonyms, {len(cur.claims)} claims, {len(cur.references)} references, "
        f"{len(cur.trials)} trial reports, {len(cur.attributes)} attributes")
    if cur.extra_edges or cur.extra_rdf:
        click.echo(f"extra: {len(cur.extra_edges)} edges from edge tables, "
                   f"{len(cur.extra_rdf)} RDF file(s)")
    if cur.warnings:
        click.echo(f"{len(cur.warnings)} warning(s)")
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
    """Check that curated files are sorted and clean (rows sorted, LF endings)."""
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
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_state
@handle_errors
def stats(state: State, as_json: bool) -> None:
    """Entities by type, claims, references, and edges by predicate."""
    from kg.query.summary import stats as compute

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
    from kg.data.curation import resolve
    from kg.query.summary import card

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
        if claim["flag"]:
            click.echo(f"      flag: {claim['flag']}")
    if data["trials"]:
        click.echo(f"trials: {', '.join(data['trials'])}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_state
@handle_errors
def coverage(state: State, as_json: bool) -> None:
    """Curation progress: claims per review and table/section, references cited, xrefs."""
    from kg.query.coverage import coverage as compute
    from kg.query.coverage import coverage_text

    data = compute(state.curation())
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(coverage_text(data), nl=False)
