"""SPARQL over the built graph, and the example queries shipped in ``kg/queries/``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KGError

if TYPE_CHECKING:
    from rdflib import Graph

QUERIES = Path(__file__).resolve().parent / "queries"


class SparqlError(KGError):
    """A SPARQL query could not be read or run."""


def example_queries() -> dict[str, tuple[Path, str]]:
    """Shipped example queries: name -> (file, title from its first comment line)."""
    out = {}
    for path in sorted(QUERIES.glob("*.rq")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        out[path.stem] = (path, first.lstrip("# ").strip())
    return out


def load_query(query: str) -> str:
    """Query text from: a shipped example name, a file path, or the text itself."""
    examples = example_queries()
    if query in examples:
        return examples[query][0].read_text(encoding="utf-8")
    if query.endswith((".rq", ".sparql")) or ("\n" not in query and Path(query).is_file()):
        path = Path(query)
        if not path.is_file():
            raise SparqlError(f"query file not found: {query}")
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SparqlError(f"cannot read query file {query}: {exc}") from exc
    if not any(k in query.upper() for k in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        names = ", ".join(examples)
        raise SparqlError(f"'{query}' is neither a query, a query file nor an example "
                          f"({names})")
    return query


def compact_iri(iri: str, prefixes: dict[str, str]) -> str:
    """``id:BM-MSC`` for an IRI under a known namespace (the longest match wins).

    Examples
    --------
    >>> compact_iri("https://w3id.org/exokg/id/BM-MSC", {"id": "https://w3id.org/exokg/id/"})
    'id:BM-MSC'
    """
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]):]}" if best else iri


def run_query(source: Graph | Any, text: str, *, compact: bool = False
              ) -> list[dict[str, Any]]:
    """Run a SELECT (or ASK) query on an rdflib Graph or an Oxigraph store.

    Rows are dicts of plain strings, in result order; with ``compact``, IRIs are written as
    prefixed names (``id:BM-MSC``).
    """
    from rdflib import Graph

    if isinstance(source, Graph):
        return _run_rdflib(source, text, compact=compact)
    return _run_oxigraph(source, text, compact=compact)


def _run_oxigraph(store: Any, text: str, *, compact: bool) -> list[dict[str, Any]]:
    import pyoxigraph as ox

    from kg.rdf import PREFIXES

    try:
        result = store.query(text)
    except SyntaxError as exc:
        raise SparqlError(f"SPARQL syntax error: {exc}") from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise SparqlError(f"SPARQL query failed: {exc}") from exc
    if isinstance(result, ox.QueryBoolean):
        return [{"ask": bool(result)}]
    if not isinstance(result, ox.QuerySolutions):
        raise SparqlError("only SELECT and ASK queries print as rows")
    names = [v.value for v in result.variables]
    rows = []
    for sol in result:
        values = {}
        for var, name in zip(result.variables, names, strict=True):
            term = sol[var]
            if term is None:
                values[name] = ""
            elif compact and isinstance(term, ox.NamedNode):
                values[name] = compact_iri(term.value, PREFIXES)
            else:
                values[name] = term.value
        rows.append(values)
    return rows


def _run_rdflib(graph: Graph, text: str, *, compact: bool) -> list[dict[str, Any]]:
    from pyparsing.exceptions import ParseException
    from rdflib import URIRef

    try:
        result = graph.query(text)
    except ParseException as exc:
        raise SparqlError(f"SPARQL syntax error: {exc}") from exc
    except Exception as exc:  # rdflib raises many kinds for bad queries
        raise SparqlError(f"SPARQL query failed: {type(exc).__name__}: {exc}") from exc
    if result.type == "ASK":
        return [{"ask": bool(result.askAnswer)}]
    if result.type != "SELECT":
        raise SparqlError("only SELECT and ASK queries print as rows")
    names = [str(v) for v in (result.vars or [])]
    rows = []
    for row in result:
        values = {}
        for i, n in enumerate(names):
            term = row[i]  # type: ignore[index]
            if term is None:
                values[n] = ""
            elif compact and isinstance(term, URIRef):
                values[n] = graph.namespace_manager.normalizeUri(term)
            else:
                values[n] = str(term)
        rows.append(values)
    return rows
