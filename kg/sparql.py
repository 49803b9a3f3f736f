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


def run_query(graph: Graph, text: str, *, compact: bool = False) -> list[dict[str, Any]]:
    """Run a SELECT (or ASK) query; rows as dicts of plain strings, in result order.

    With ``compact``, IRIs are written as prefixed names (``id:BM-MSC``).
    """
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
