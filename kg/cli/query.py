"""Commands that answer questions: paths, neighbors, upstream, rank, sparql, queries."""

from __future__ import annotations

import sys

import click

from kg.cli.base import (
    COUNT,
    EXIT_NO_RESULT,
    HOPS,
    POSITIVE,
    SECONDS,
    SEED,
    State,
    cli,
    handle_errors,
    pass_state,
    resolve_names,
)


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", default=6, show_default=True, type=HOPS,
              help="Longest path, in edges (1 to 10).")
@click.option("--via", multiple=True, metavar="ENTITY", help="Must pass through (repeatable).")
@click.option("--avoid", multiple=True, metavar="ENTITY", help="Must not touch (repeatable).")
@click.option("--asserted-only", is_flag=True, help="Only paths one claim carries end to end.")
@click.option("--evidence", type=click.Choice(["in-vivo", "in-vitro", "clinical"]),
              help="Use only claims with this evidence.")
@click.option("--agent", type=click.Choice(["exosome", "cells"]),
              help="Use only exosome claims or only MSC cell-therapy claims.")
@click.option("--limit", default=20, show_default=True, type=COUNT,
              help="Paths to print (0: all).")
@click.option("--max-paths", default=5000, show_default=True, type=POSITIVE,
              help="Stop the search after this many paths (1 or more).")
@click.option("--timeout", default=10.0, show_default=True, type=SECONDS,
              help="Stop after this many seconds (more than 0).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "tsv"]), default="table",
              show_default=True)
@click.option("--explain", is_flag=True, help="Print every edge's claims in full.")
@click.option("--exact", is_flag=True,
              help="Do not include narrower sources/diseases (e.g. knee osteoarthritis).")
@pass_state
@handle_errors
def paths(state: State, source: str, target: str, max_hops: int, via: tuple[str, ...],
          avoid: tuple[str, ...], asserted_only: bool, evidence: str | None,
          agent: str | None, limit: int, max_paths: int, timeout: float, fmt: str,
          explain: bool, exact: bool) -> None:
    """Paths from SOURCE (e.g. BMSC) to TARGET (e.g. osteoarthritis), with citations.

    Asserted paths (one claim says the whole chain) come before inferred ones (stitched
    from several claims: hypotheses). Exit code 3 when there is no path.
    """
    from kg.query.paths import paths as find
    from kg.view.text import paths_json, paths_table, paths_tsv

    cur = state.curation()
    src, dst = resolve_names(state, (source, target))
    result = find(cur, src, dst, max_hops=max_hops, via=resolve_names(state, via),
                  avoid=resolve_names(state, avoid), asserted_only=asserted_only, evidence=evidence,
                  agent=agent, max_paths=max_paths, timeout=timeout,
                  include_subtypes=not exact)
    shown = result.paths if limit == 0 else result.paths[:limit]
    if fmt == "json":
        click.echo(paths_json(cur, result, shown))
    elif fmt == "tsv":
        click.echo(paths_tsv(cur, shown), nl=False)
    else:
        click.echo(paths_table(cur, result, shown, explain=explain), nl=False)
    if result.capped:
        click.echo(f"note: stopped after {max_paths} paths (--max-paths); more may exist. "
                   "Narrow the query with --via, --avoid or --max-hops.", err=True)
    if result.timed_out:
        click.echo(f"note: stopped after {timeout:g} s (--timeout) with {result.found} paths; "
                   "more may exist.", err=True)
    if len(shown) < result.found:
        click.echo(f"note: showing {len(shown)} of {result.found} paths (--limit)", err=True)
    if not result.paths:
        filtered = via or avoid or evidence or agent or asserted_only
        click.echo(f"no path from {cur.label(src)} to {cur.label(dst)} within {max_hops} hops"
                   f"{' with the filters given' if filtered else ''}", err=True)
        sys.exit(EXIT_NO_RESULT)


@cli.command()
@click.argument("entity")
@click.option("--type", "entity_type", metavar="TYPE", help="Only neighbours of this type.")
@click.option("--direction", type=click.Choice(["out", "in", "both"]), default="both",
              show_default=True, help="out: what it acts on; in: what acts on it.")
@click.option("--hierarchy", is_flag=True, help="Include parent/child links.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "tsv"]), default="table",
              show_default=True)
@pass_state
@handle_errors
def neighbors(state: State, entity: str, entity_type: str | None, direction: str,
              hierarchy: bool, fmt: str) -> None:
    """Entities one edge away from ENTITY, with predicates and claim counts."""
    from kg.query.paths import QueryError
    from kg.query.paths import neighbors as find
    from kg.view.text import rows_out

    cur = state.curation()
    if entity_type and entity_type not in cur.types and entity_type != "trial":
        raise QueryError(f"unknown type '{entity_type}' (known: {', '.join(sorted(cur.types))})")
    (ent,) = resolve_names(state, (entity,))
    found = find(cur, ent, direction=direction, entity_type=entity_type,
                 include_hierarchy=hierarchy)
    rows = [{"direction": n.direction, "entity": n.entity, "label": cur.label(n.entity),
             "type": cur.entities[n.entity].type if n.entity in cur.entities else "trial",
             "predicates": ",".join(n.predicates), "claims": len(n.claims)} for n in found]
    if not rows:
        click.echo(f"no neighbours of {cur.label(ent)} with the filters given", err=True)
        sys.exit(EXIT_NO_RESULT)
    click.echo(rows_out(rows, fmt), nl=False)


@cli.command()
@click.argument("disease")
@click.option("--role", type=click.Choice(["source", "cargo"]), help="Only sources or cargos.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "tsv"]), default="table",
              show_default=True)
@pass_state
@handle_errors
def upstream(state: State, disease: str, role: str | None, fmt: str) -> None:
    """Sources and cargos whose claims reach DISEASE (the reverse direction)."""
    from kg.query.paths import upstream as find
    from kg.view.text import rows_out

    cur = state.curation()
    (dis,) = resolve_names(state, (disease,))
    found = find(cur, dis, role=role)
    rows = [{"role": u.role, "entity": u.entity, "label": cur.label(u.entity),
             "studies": u.studies, "claims": len(u.claims),
             "claim_ids": ",".join(u.claims)} for u in found]
    if not rows:
        click.echo(f"no claim reaches {cur.label(dis)}", err=True)
        sys.exit(EXIT_NO_RESULT)
    click.echo(rows_out(rows, fmt), nl=False)


@cli.command()
@click.option("--type", "entity_type", default="pathway", show_default=True,
              help="Entity type to rank.")
@click.option("--level", type=click.Choice(["pathway", "family"]), default="pathway",
              show_default=True, help="family: merge pathways into their broadest ancestor.")
@click.option("--permutations", default=20, show_default=True, type=click.IntRange(0, 10_000),
              help="Degree-preserving rewirings for the z-score (0 to skip; at most 10000).")
@click.option("--seed", default=0, show_default=True, type=SEED,
              help="Seed of rewiring and sampling.")
@click.option("--limit", default=20, show_default=True, type=COUNT,
              help="Rows to print (0: all).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "tsv"]), default="table",
              show_default=True)
@pass_state
@handle_errors
def rank(state: State, entity_type: str, level: str, permutations: int, seed: int, limit: int,
         fmt: str) -> None:
    """Rank pathways (or any --type) by betweenness, PageRank and degree, with counts."""
    from kg.query.rank import rank as compute
    from kg.view.text import rows_out

    cur = state.curation()
    res = compute(cur, entity_type=entity_type, level=level, permutations=permutations,
                  seed=seed, limit=limit or None)
    rows = [{"rank": i, "entity": r.entity, "label": r.label, "betweenness": r.betweenness,
             "z": "" if r.z is None else r.z, "pagerank": r.pagerank, "degree": r.degree,
             "cargos": r.cargos, "diseases": r.diseases, "studies": r.studies,
             "claims": r.claims} for i, r in enumerate(res.rows, start=1)]
    if fmt == "table":
        sampled = f"sampled betweenness ({res.sample} sources)" if res.sample else \
            "exact betweenness"
        click.echo(f"{len(res.rows)} {entity_type} entities ranked on the source->disease flow "
                   f"({res.nodes} nodes, {res.edges} edges; {sampled}; z from "
                   f"{res.permutations} degree-preserving rewirings, seed {res.seed})")
    if not rows:
        click.echo(f"no {entity_type} entity lies on the flow graph", err=True)
        sys.exit(EXIT_NO_RESULT)
    click.echo(rows_out(rows, fmt), nl=False)


@cli.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "tsv"]), default="table",
              show_default=True)
@click.option("--endpoint", metavar="URL",
              help="Query this SPARQL 1.1 endpoint instead of the built graph.")
@click.option("--user", envvar="EXOKG_SPARQL_USER", help="User for the endpoint.")
@click.option("--password", envvar="EXOKG_SPARQL_PASSWORD", help="Password for the endpoint.")
@click.option("--timeout", default=60.0, show_default=True, type=SECONDS,
              help="Seconds the query may run (more than 0).")
@pass_state
@handle_errors
def sparql(state: State, query: str, fmt: str, endpoint: str | None, user: str | None,
           password: str | None, timeout: float) -> None:
    """Run a SPARQL QUERY: query text, a .rq file, or a shipped example name.

    On the built graph, or with --endpoint on a SPARQL server. 'exokg queries' lists the
    shipped examples.
    """
    from kg.query.sparql import load_query, run_query, with_prefixes
    from kg.view.text import rows_out

    text = load_query(query)
    if endpoint:
        from kg.io.remote import Server
        from kg.io.remote import query as remote_query

        rows = remote_query(Server(endpoint, user, password, timeout), with_prefixes(text),
                            compact=fmt != "json")
    else:
        rows = run_query(state.store(), text, compact=fmt != "json", timeout=timeout)
    if not rows:
        click.echo("no results", err=True)
        sys.exit(EXIT_NO_RESULT)
    click.echo(rows_out(rows, fmt), nl=False)


@cli.command()
def queries() -> None:
    """List the example SPARQL queries shipped with exokg."""
    from kg.query.sparql import example_queries

    for name, (path, title) in example_queries().items():
        click.echo(f"{name:<28} {title}")
        del path
