"""The ``exokg`` command line: a thin layer over the ``kg`` library."""

from __future__ import annotations

import functools
import json
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
def coverage(state: State, as_json: bool) -> None:
    """Curation progress: claims per review and table/section, references cited, xrefs."""
    from kg.query.coverage import coverage as compute
    from kg.query.coverage import coverage_text

    data = compute(state.curation())
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(coverage_text(data), nl=False)


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
        (ent,) = _names(state, (entity,))
        sel = neighbourhood(cur, ent, hops)
    elif path_ends:
        src, dst = _names(state, path_ends)
        result = find(cur, src, dst, max_hops=max_hops, asserted_only=asserted_only)
        if not result.paths:
            click.echo(f"no path from {cur.label(src)} to {cur.label(dst)} within {max_hops} "
                       "hops: nothing to draw", err=True)
            sys.exit(EXIT_NO_RESULT)
        result.paths = result.paths[:limit] if limit else result.paths
        sel = path_view(cur, result)
    elif disease:
        (dis,) = _names(state, (disease,))
        sel = disease_view(cur, dis)
    else:
        sel = whole(cur)
    path, n_nodes, n_edges = write_view(cur, sel, output, seed=seed, force=force)
    click.echo(f"wrote {path} ({n_nodes} nodes, {n_edges} edges)")


EXIT_NO_RESULT = 3
#: Exit code after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


def _names(state: State, names: tuple[str, ...]) -> list[str]:
    from kg.data.curation import resolve

    cur = state.curation()
    return [resolve(cur, n) for n in names]


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
    src, dst = _names(state, (source, target))
    result = find(cur, src, dst, max_hops=max_hops, via=_names(state, via),
                  avoid=_names(state, avoid), asserted_only=asserted_only, evidence=evidence,
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
    (ent,) = _names(state, (entity,))
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
    (dis,) = _names(state, (disease,))
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


@cli.command()
def queries() -> None:
    """List the example SPARQL queries shipped with exokg."""
    from kg.query.sparql import example_queries

    for name, (path, title) in example_queries().items():
        click.echo(f"{name:<28} {title}")
        del path


def main() -> None:
    """Console-script entry point.

    Ctrl-C ends the command with exit code 130 and one line, wherever it arrives (click
    itself would say "Aborted!" and exit 1).
    """
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
