"""Commands that write or send the graph: export, view, push."""

from __future__ import annotations

import sys

import click

from kg.cli.base import (
    COUNT,
    EXIT_NO_RESULT,
    HOPS,
    SECONDS,
    SEED,
    State,
    cli,
    handle_errors,
    pass_state,
    resolve_names,
)


@cli.command()
@click.option("-f", "--format", "fmt",
              type=click.Choice(["turtle", "nt", "json-ld", "graphml", "kgx", "neo4j"]),
              default="turtle", show_default=True, help="Serialization.")
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Output file; '-' writes to standard output.")
@click.option("--force", is_flag=True,
              help="Overwrite an existing file that does not look like this format.")
@pass_state
@handle_errors
def export(state: State, fmt: str, output: str, force: bool) -> None:
    """Write the graph as Turtle, N-Triples, JSON-LD, GraphML, KGX TSV or Neo4j CSV.

    Files are written atomically into an existing folder; kgx and neo4j write two files into
    the folder -o names.
    """
    from kg.graph.rdf import build_rdf
    from kg.io.files import atomic_write, check_target
    from kg.io.files import export as write

    if fmt in ("kgx", "neo4j"):
        from kg.io.tables import check_table_folder, write_tables

        if output == "-":
            raise click.UsageError(f"-f {fmt} writes two files: give a folder with -o")
        check_table_folder(fmt, output, force=force)
        for written in write_tables(state.curation(), fmt, output, force=force):
            click.echo(f"wrote {written}", err=True)
        return
    if output != "-":
        check_target(output, fmt, force=force)
    if fmt == "graphml":
        from kg.io.graphml import graphml_bytes

        data = graphml_bytes(state.curation())
        if output == "-":
            sys.stdout.buffer.write(data)
        else:
            click.echo(f"wrote {atomic_write(output, data)} (GraphML)", err=True)
        return
    if fmt in ("turtle", "nt"):
        from kg.io.files import serialize_store, write_bytes

        def make() -> bytes:
            return serialize_store(state.store(), fmt)

        def count() -> bytes:
            return str(len(state.store())).encode()

        if state.cache:
            from kg.io.cache import bytes_cached

            data = bytes_cached(state.curation(), f"export.{fmt}", make)
            size = int(bytes_cached(state.curation(), "triples.count", count))
        else:
            data, size = make(), int(count())
        path = write_bytes(data, output)
    else:
        graph = build_rdf(state.curation())
        path = write(graph, fmt, output)
        size = len(graph)
    if path is not None:
        click.echo(f"wrote {path} ({size} triples, {fmt})", err=True)


@cli.command()
@click.argument("entity", required=False)
@click.option("-o", "--output", required=True, metavar="FILE.html", help="Page to write.")
@click.option("--hops", default=2, show_default=True, type=HOPS,
              help="Neighbourhood radius of ENTITY (1 to 10).")
@click.option("--paths", "path_ends", nargs=2, metavar="SOURCE DISEASE",
              help="Draw the answer of a path query.")
@click.option("--disease", metavar="DISEASE", help="Draw every claim reaching a disease.")
@click.option("--max-hops", default=6, show_default=True, type=HOPS,
              help="With --paths: longest path (1 to 10).")
@click.option("--asserted-only", is_flag=True, help="With --paths: asserted paths only.")
@click.option("--limit", default=50, show_default=True, type=COUNT,
              help="With --paths: paths drawn (0: all).")
@click.option("--seed", default=0, show_default=True, type=SEED,
              help="Layout seed (same seed, same page).")
@click.option("--force", is_flag=True, help="Overwrite an existing file that is not a page.")
@pass_state
@handle_errors
def view(state: State, entity: str | None, output: str, hops: int,
         path_ends: tuple[str, str] | None, disease: str | None, max_hops: int,
         asserted_only: bool, limit: int, seed: int, force: bool) -> None:
    """Write an interactive HTML view that works offline: whole graph, ENTITY, --paths or --disease.

    With no ENTITY, --paths or --disease the whole curated graph is drawn.
    """
    from kg.io.files import check_target
    from kg.query.paths import QueryError
    from kg.query.paths import paths as find
    from kg.view.html import disease_view, neighbourhood, path_view, whole, write_view

    check_target(output, "html", force=force)
    cur = state.curation()
    chosen = sum(bool(x) for x in (entity, path_ends, disease))
    if chosen > 1:
        raise QueryError("give only one of ENTITY, --paths or --disease")
    if entity:
        (ent,) = resolve_names(state, (entity,))
        sel = neighbourhood(cur, ent, hops)
    elif path_ends:
        src, dst = resolve_names(state, path_ends)
        result = find(cur, src, dst, max_hops=max_hops, asserted_only=asserted_only)
        if not result.paths:
            click.echo(f"no path from {cur.label(src)} to {cur.label(dst)} within {max_hops} "
                       "hops: nothing to draw", err=True)
            sys.exit(EXIT_NO_RESULT)
        result.paths = result.paths[:limit] if limit else result.paths
        sel = path_view(cur, result)
    elif disease:
        (dis,) = resolve_names(state, (disease,))
        sel = disease_view(cur, dis)
    else:
        sel = whole(cur)
    path, n_nodes, n_edges = write_view(cur, sel, output, seed=seed, force=force)
    click.echo(f"wrote {path} ({n_nodes} nodes, {n_edges} edges)")


@cli.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store HTTP Protocol endpoint (e.g. .../sparql-graph-crud-auth).")
@click.option("--graph", "graph_iri", default="https://w3id.org/exokg/graph", show_default=True,
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
    """Load the graph into a SPARQL 1.1 store (Graph Store Protocol: replace or merge)."""
    from kg.graph.rdf import build_rdf
    from kg.io.files import serialize
    from kg.io.remote import Server
    from kg.io.remote import push as send

    graph = build_rdf(state.curation())
    status = send(Server(endpoint, user, password, timeout), serialize(graph, "turtle"),
                  graph_iri, replace=not merge)
    click.echo(f"{'merged' if merge else 'replaced'} <{graph_iri}> at {endpoint} with "
               f"{len(graph)} triples (HTTP {status})")
