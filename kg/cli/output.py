"""Commands that write or send the graph: export, view, push."""

from __future__ import annotations

import sys
from typing import Any

import click

from kg.cli.base import (
    EXIT_NO_RESULT,
    HOPS,
    SECONDS,
    SEED,
    RegistryChoice,
    State,
    cli,
    find_paths,
    handle_errors,
    limit_option,
    pass_state,
    path_options,
    resolve_names,
)
from kg.query.defaults import DEFAULT_HOPS

__all__ = ["DEFAULT_GRAPH", "export", "push", "view"]

#: The named graph ``push`` writes by default (:data:`kg.io.remote.DEFAULT_GRAPH`, kept as a
#: literal so that the CLI does not import the HTTP client to draw its help).
DEFAULT_GRAPH = "https://w3id.org/exokg/graph"


def _format_names() -> list[str]:
    from kg.io.formats import formats

    return list(formats())


@cli.command()
@click.option("-f", "--format", "fmt", type=RegistryChoice(_format_names), default="turtle",
              show_default=True, help="Serialization (any format registered in kg.io.formats).")
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Output file (a folder for kgx and neo4j); '-' writes to standard output.")
@click.option("--around", metavar="ENTITY",
              help="Write only the claims within --hops edges of ENTITY.")
@click.option("--hops", default=DEFAULT_HOPS, show_default=True, type=HOPS,
              help="With --around: neighbourhood radius (1 to 10).")
@click.option("--disease", metavar="DISEASE",
              help="Write only the claims and trials reaching DISEASE (or a narrower one).")
@click.option("--force", is_flag=True,
              help="Overwrite an existing file that exokg did not write (or that was changed).")
@pass_state
@handle_errors
def export(state: State, fmt: str, output: str, around: str | None, hops: int,
           disease: str | None, force: bool) -> None:
    """Write the graph, or a part of it, in an export format.

    Turtle, N-Triples, JSON-LD and GraphML write one file; kgx (KGX TSV) and neo4j (CSV for
    neo4j-admin import) write two files into the folder -o names. Files are written
    atomically; an existing file that exokg did not write (or that was changed since) is
    kept unless --force. --around and
    --disease write a subgraph in any format: each selected claim whole, with its entities,
    references and trials.
    """
    from kg.io.formats import check_output, needs_folder
    from kg.io.formats import export as write

    if needs_folder(fmt, output):
        raise click.UsageError(needs_folder(fmt, output))
    check_output(fmt, output, force=force)  # before any work
    cur = state.curation()
    if around or disease:
        (ent,) = resolve_names(state, (around,)) if around else (None,)
        (dis,) = resolve_names(state, (disease,)) if disease else (None,)
        from kg.query.select import subgraph

        cur = subgraph(cur, around_entity=ent, hops=hops, disease=dis)
    written = write(cur, fmt, output, force=force, cache=state.cache)
    if written.summary:
        click.echo(written.summary, err=True)


@cli.command()
@click.argument("entity", required=False)
@click.option("-o", "--output", required=True, metavar="FILE.html", help="Page to write.")
@click.option("--hops", default=1, show_default=True, type=HOPS,
              help="Neighbourhood radius of ENTITY (1 to 10).")
@click.option("--max-nodes", default=150, show_default=True, type=click.IntRange(min=1),
              help="Most nodes of ENTITY's neighbourhood drawn (the nearest); says so "
                   "when it cuts.")
@click.option("--paths", "path_ends", nargs=2, metavar="SOURCE DISEASE",
              help="Draw the answer of a path query (with the filters of 'exokg paths').")
@click.option("--disease", metavar="DISEASE", help="Draw every claim reaching a disease.")
@path_options
@limit_option(50, "With --paths: paths", verb="draw")
@click.option("--seed", default=0, show_default=True, type=SEED,
              help="With --engine pyvis: vis-network's random seed for the first "
                   "positions (the svg layout is the same every time, with no seed).")
@click.option("--force", is_flag=True,
              help="Overwrite an existing file that exokg did not write (or that was changed).")
@click.option("--engine", type=click.Choice(["svg", "pyvis"]), default="svg",
              show_default=True,
              help="svg: the layered drawing; pyvis: a force-directed vis-network drawing "
                   "made with pyvis (pip install 'exokg[pyvis]'), also offline.")
@pass_state
@handle_errors
def view(state: State, /, entity: str | None, output: str, hops: int, max_nodes: int,
         path_ends: tuple[str, str] | None, disease: str | None, limit: int, seed: int,
         force: bool, engine: str, **filters: Any) -> None:
    """Write an interactive HTML view that works offline.

    Draws the neighbourhood of ENTITY, the answer of --paths (which takes the filters of
    'exokg paths': --via, --avoid, --evidence, --agent, --exact, --max-paths, --timeout ...)
    or every claim reaching --disease in columns by role (source, cargo, target/pathway,
    process, disease), or without any of them an overview of the whole graph grouped by
    type. Click a node or an edge for its card and claims.

    --engine pyvis draws the same selection with pyvis (force-directed; hover a node or an
    edge for its card, claims and citations) in one file that makes no request either.
    """
    from kg.errors import QueryError
    from kg.io.files import check_target
    from kg.query import select
    from kg.view.html import check_kind, hubs, nearest, write_view

    check_target(output, "html", force=force)
    if engine == "pyvis":
        from kg.view.pyvis import require_pyvis

        require_pyvis()  # before any work: a missing extra is a one-line error
    cur = state.curation()
    if sum(bool(x) for x in (entity, path_ends, disease)) > 1:
        raise QueryError("give only one of ENTITY, --paths or --disease")
    focus, cap, groups = None, "", None
    if entity:
        (focus,) = resolve_names(state, (entity,))
        cut = nearest(cur, select.around(cur, focus, hops), focus, max_nodes)
        sel, cap = cut.selection, cut.message(f"the {hops}-hop neighbourhood of "
                                              f"{cur.label(focus)}")
    elif path_ends:
        result = find_paths(state, *path_ends, keep=limit or None, **filters)
        if not result.paths:
            click.echo(f"no path from {cur.label(result.source)} to {cur.label(result.target)} "
                       f"within {result.max_hops} hops: nothing to draw", err=True)
            sys.exit(EXIT_NO_RESULT)
        result.paths = result.paths[:limit] if limit else result.paths
        sel = select.of_paths(cur, result)
    elif disease:
        (focus,) = resolve_names(state, (disease,))
        check_kind(cur, disease, focus, "disease")
        sel = select.reaching(cur, focus)
    else:
        cut = hubs(cur, select.whole(cur))
        sel, cap, groups = cut.selection, cut.message("the whole graph"), cut.groups
        if engine == "pyvis":
            cap = cut.message("the whole graph", headings=False)
    if cap:
        click.echo(cap, err=True)
    if engine == "pyvis":
        from kg.view.pyvis import network, write_network

        net = network(cur, sel, focus=focus, seed=seed)
        written = write_network(net, output, title=sel.title, note=cap, force=force)
        click.echo(f"wrote {written} ({len(sel.nodes)} nodes, {len(sel.edges)} edges)")
        return
    path, n_nodes, n_edges = write_view(cur, sel, output, force=force, focus=focus, cap=cap,
                                        groups=groups)
    click.echo(f"wrote {path} ({n_nodes} nodes, {n_edges} edges)")


@cli.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store HTTP Protocol endpoint (e.g. .../sparql-graph-crud-auth).")
@click.option("--graph", "graph_iri", default=DEFAULT_GRAPH, show_default=True,
              help="Named graph to write.")
@click.option("--merge", is_flag=True, help="Add to the graph instead of replacing it.")
@click.option("--user", envvar="EXOKG_SPARQL_USER", help="User (or EXOKG_SPARQL_USER).")
@click.option("--password", envvar="EXOKG_SPARQL_PASSWORD",
              help="Password (or EXOKG_SPARQL_PASSWORD).")
@click.option("--timeout", default=120.0, show_default=True, type=SECONDS,
              help="Seconds to wait for the server (more than 0).")
@pass_state
@handle_errors
def push(state: State, endpoint: str, graph_iri: str, merge: bool, user: str | None,
         password: str | None, timeout: float) -> None:
    """Load the graph into a SPARQL 1.1 store.

    Uses the Graph Store Protocol: the named graph is replaced, or with --merge added to.
    """
    from kg.io.remote import Server, push_curation

    status, size = push_curation(Server(endpoint, user, password, timeout), state.curation(),
                                 graph_iri, replace=not merge, cache=state.cache)
    click.echo(f"{'merged' if merge else 'replaced'} <{graph_iri}> at {endpoint} with "
               f"{size} triples (HTTP {status})")
