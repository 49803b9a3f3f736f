"""Commands that answer questions: paths, neighbors, upstream, rank, sparql, queries."""

from __future__ import annotations

import sys
from typing import Any

import click

from kg.cli.base import (
    EXIT_NO_RESULT,
    SECONDS,
    SEED,
    State,
    cli,
    find_paths,
    format_option,
    handle_errors,
    limit_option,
    pass_state,
    path_options,
    resolve_names,
)
from kg.query.defaults import DEFAULT_PERMUTATIONS

__all__ = ["neighbors", "paths", "queries", "rank", "sparql", "upstream"]


def _print_rows(rows: list[dict[str, Any]], fmt: str, limit: int, empty: str) -> None:
    """Print records (the first ``limit``; 0: all), or ``empty`` and exit 3 when none."""
    from kg.view.text import rows_out

    if not rows:
        click.echo(empty, err=True)
        sys.exit(EXIT_NO_RESULT)
    click.echo(rows_out(rows[:limit] if limit else rows, fmt), nl=False)
    if limit and len(rows) > limit and fmt == "table":
        click.echo(f"note: showing {limit} of {len(rows)} rows (--limit)", err=True)


@cli.command()
@click.argument("source")
@click.argument("target")
@path_options
@limit_option(20, "Paths")
@format_option
@click.option("--explain", is_flag=True, help="Print every edge's claims in full.")
@click.option("--via-hierarchy", is_flag=True,
              help="When no path reaches the disease, show the paths to its nearest relatives "
                   "in the disease hierarchy (labelled as such; not with --exact).")
@pass_state
@handle_errors
def paths(state: State, /, source: str, target: str, limit: int, fmt: str, explain: bool,
          via_hierarchy: bool, **filters: Any) -> None:
    """Find cited paths from a SOURCE to a TARGET.

    For example from BMSC to osteoarthritis. Asserted paths (one claim says the whole chain)
    come before inferred ones (stitched from several claims: hypotheses). With
    --via-hierarchy, a disease no path reaches is answered with the paths to its nearest
    relatives (its parent classes, its siblings and their subtypes, then one step further
    up), each marked as ending at a relative. Exit code 3 when there is no path.
    """
    from kg.view.text import paths_notes, paths_out

    cur = state.curation()
    result = find_paths(state, source, target, keep=limit or None, **filters)
    if via_hierarchy and not result.paths and not filters["exact"] \
            and cur.entities[result.target].type == "disease":
        hit = _related(state, result.source, result.target, filters)
        if hit.level:
            from kg.view.text import hierarchy_out

            shown = hit.paths if limit == 0 else hit.paths[:limit]
            click.echo(hierarchy_out(cur, hit, shown, fmt, explain=explain), nl=False)
            if len(shown) < hit.result.found:
                click.echo(f"note: showing {len(shown)} of {hit.result.found} paths (--limit)",
                           err=True)
            return
    shown = result.paths if limit == 0 else result.paths[:limit]
    click.echo(paths_out(cur, result, shown, fmt, explain=explain), nl=False)
    filtered = any(filters[k] for k in ("via", "avoid", "evidence", "agent", "asserted_only",
                                        "min_studies", "min_evidence"))
    for note in paths_notes(cur, result, len(shown), filtered=filtered,
                            max_paths=filters["max_paths"], timeout=filters["timeout"]):
        click.echo(note, err=True)
    if not result.paths:
        sys.exit(EXIT_NO_RESULT)


def _related(state: State, source: str, disease: str, filters: dict[str, Any]) -> Any:
    """:func:`kg.query.related.paths_via_hierarchy` with a path query's filters (ids)."""
    from kg.query.related import paths_via_hierarchy

    kw = {k: v for k, v in filters.items() if k not in ("via", "avoid", "exact")}
    # --timeout bounds the whole command, as for the first search
    deadline = state.started + filters["timeout"] * 0.95
    return paths_via_hierarchy(state.curation(), source, disease,
                               via=resolve_names(state, filters["via"]),
                               avoid=resolve_names(state, filters["avoid"]),
                               deadline=deadline, **kw)


@cli.command()
@click.argument("entity")
@click.option("--type", "entity_type", metavar="TYPE", help="Only neighbours of this type.")
@click.option("--direction", type=click.Choice(["out", "in", "both"]), default="both",
              show_default=True, help="out: what it acts on; in: what acts on it.")
@click.option("--hierarchy", is_flag=True, help="Include parent/child links.")
@limit_option(0, "Rows")
@format_option
@pass_state
@handle_errors
def neighbors(state: State, entity: str, entity_type: str | None, direction: str,
              hierarchy: bool, limit: int, fmt: str) -> None:
    """List the entities one edge away from ENTITY.

    With the predicates linking them and the number of claims behind each link.
    """
    from kg.errors import QueryError
    from kg.query.paths import neighbors as find
    from kg.view.text import neighbor_rows

    cur = state.curation()
    if entity_type and entity_type not in cur.types and entity_type != "trial":
        raise QueryError(f"unknown type '{entity_type}' (known: {', '.join(sorted(cur.types))})")
    (ent,) = resolve_names(state, (entity,))
    found = find(cur, ent, direction=direction, entity_type=entity_type,
                 include_hierarchy=hierarchy)
    _print_rows(neighbor_rows(cur, found), fmt, limit,
                f"no neighbours of {cur.label(ent)} with the filters given")


@cli.command()
@click.argument("disease")
@click.option("--role", type=click.Choice(["source", "cargo"]), help="Only sources or cargos.")
@limit_option(0, "Rows")
@format_option
@pass_state
@handle_errors
def upstream(state: State, disease: str, role: str | None, limit: int, fmt: str) -> None:
    """List the sources and cargos whose claims reach DISEASE.

    With the number of studies and claims, the agents, the evidence and flagged claims.
    """
    from kg.query.paths import upstream as find
    from kg.view.text import upstream_rows

    cur = state.curation()
    (dis,) = resolve_names(state, (disease,))
    _print_rows(upstream_rows(cur, find(cur, dis, role=role)), fmt, limit,
                f"no claim reaches {cur.label(dis)}")


@cli.command()
@click.option("--type", "entity_type", default="pathway", show_default=True,
              help="Entity type to rank.")
@click.option("--level", type=click.Choice(["pathway", "family"]), default="pathway",
              show_default=True, help="family: merge pathways into their broadest ancestor.")
@click.option("--permutations", default=DEFAULT_PERMUTATIONS, show_default=True,
              type=click.IntRange(0, 10_000),
              help="Degree-preserving rewirings for the z-score (0 to skip; at most 10000).")
@click.option("--seed", default=0, show_default=True, type=SEED,
              help="Seed of rewiring and sampling.")
@click.option("--disease", metavar="DISEASE", help="Rank on the claims reaching this disease "
              "or class of diseases only (narrower diseases included).")
@click.option("--agent", type=click.Choice(["exosome", "cells"]),
              help="Rank on exosome claims only or on MSC cell-therapy claims only.")
@click.option("--evidence", type=click.Choice(["clinical", "in-vivo", "in-vitro"]),
              help="Rank on the claims with this evidence only.")
@limit_option(20, "Rows")
@format_option
@pass_state
@handle_errors
def rank(state: State, entity_type: str, level: str, permutations: int, seed: int, limit: int,
         fmt: str, disease: str | None = None, agent: str | None = None,
         evidence: str | None = None) -> None:
    """Rank pathways by betweenness, PageRank and degree.

    Any entity type with --type; each row counts cargos, diseases, studies and claims.
    """
    from kg.query.hubs import describe
    from kg.query.hubs import hubs as compute
    from kg.view.text import rank_header, rank_legend, rank_rows

    kind = evidence.replace("-", " ") if evidence else None
    res = compute(state.curation(), disease, agent=agent, evidence=kind,
                  entity_type=entity_type, level=level, permutations=permutations, seed=seed,
                  limit=limit or None)
    if fmt == "table":
        click.echo(rank_header(res, entity_type), nl=False)
        if disease or agent or evidence:
            click.echo(describe(state.curation(), disease, agent=agent, evidence=kind))
    _print_rows(rank_rows(res), fmt, 0, f"no {entity_type} entity lies on the flow graph")
    if fmt == "table":
        click.echo(rank_legend(res), nl=False)


@cli.command()
@click.argument("query")
@limit_option(0, "Rows")
@format_option
@click.option("--endpoint", metavar="URL",
              help="Query this SPARQL 1.1 endpoint instead of the built graph.")
@click.option("--user", envvar="EXOKG_SPARQL_USER", help="User for the endpoint.")
@click.option("--password", envvar="EXOKG_SPARQL_PASSWORD", help="Password for the endpoint.")
@click.option("--timeout", default=60.0, show_default=True, type=SECONDS,
              help="Seconds the query may run (more than 0).")
@pass_state
@handle_errors
def sparql(state: State, query: str, limit: int, fmt: str, endpoint: str | None,
           user: str | None, password: str | None, timeout: float) -> None:
    """Run a SPARQL query: text, a .rq file or an example name.

    On the built graph, or with --endpoint on a SPARQL server. 'exokg queries' lists the
    shipped examples.
    """
    from kg.query.sparql import load_query, run_query, with_prefixes

    text = load_query(query)
    if endpoint:
        from kg.io.remote import Server
        from kg.io.remote import query as remote_query

        rows = remote_query(Server(endpoint, user, password, timeout), with_prefixes(text),
                            compact=fmt != "json")
    else:
        rows = run_query(state.store(), text, compact=fmt != "json", timeout=timeout)
    _print_rows(rows, fmt, limit, "no results")


@cli.command()
@format_option
def queries(fmt: str) -> None:
    """List the example SPARQL queries shipped with exokg."""
    from kg.query.sparql import example_queries
    from kg.view.text import rows_out

    found = example_queries()
    if fmt == "table":
        for name, (_, title) in found.items():
            click.echo(f"{name:<28} {title}")
        return
    click.echo(rows_out([{"name": name, "title": title, "file": str(path)}
                         for name, (path, title) in found.items()], fmt), nl=False)
