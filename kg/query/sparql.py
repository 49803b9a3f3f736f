"""SPARQL over the built graph, and the example queries shipped in ``kg/query/examples/``."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from kg.errors import KGError

if TYPE_CHECKING:
    from rdflib import Graph

T = TypeVar("T")

QUERIES = Path(__file__).resolve().parent / "examples"


class SparqlError(KGError):
    """A SPARQL query could not be read or run."""


class SparqlTimeoutError(SparqlError):
    """A SPARQL query ran past its time limit and was given up."""


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
    if not _FORM.search(_code(query)):
        check_query(query)  # an Update is refused as such: the graph is read-only
        names = ", ".join(examples)
        raise SparqlError(f"'{query}' is neither a query, a query file nor an example "
                          f"({names})")
    return query


# Strings, IRIs and comments are blanked before keywords are looked for, so a label that
# says "service" or an IRI with "/delete/" in it is not taken for a keyword.
_LEXEMES = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_UPDATE = re.compile(r"\b(INSERT|DELETE|DROP|CLEAR|LOAD|CREATE|COPY|MOVE|ADD)\b",
                     re.IGNORECASE)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def _code(text: str) -> str:
    """The query with strings, IRIs and comments blanked out."""
    return _LEXEMES.sub(" ", text)


def check_query(text: str) -> None:
    """Refuse what a read-only local graph must never run.

    Raises
    ------
    SparqlError
        For SPARQL Update (the graph is read-only) and for ``SERVICE`` (a query never makes
        this machine contact another host).

    Examples
    --------
    >>> check_query('SELECT ?s WHERE { ?s ?p "please DELETE me" }')
    >>> check_query("DELETE WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    kg.query.sparql.SparqlError: the graph is read-only: SPARQL Update (DELETE) is refused
    """
    code = _code(text)
    update = _UPDATE.search(code)
    if update and not _FORM.search(code[: update.start()]):
        raise SparqlError(f"the graph is read-only: SPARQL Update ({update.group(1).upper()}) "
                          "is refused")
    if _SERVICE.search(code):
        raise SparqlError("SERVICE is refused: a query on the local graph never contacts "
                          "another host (load the other data with --data, or query an "
                          "endpoint with --endpoint)")


def with_prefixes(text: str) -> str:
    """The query with the graph's prefixes declared first (the query's own ones win).

    Declared: those the export uses (``exo``, ``id``, ``claim`` ...) and ``rdf``, ``rdfs``,
    ``owl``, ``xsd``, ``skos``, ``dcterms``, ``prov``, ``biolink``.
    """
    from kg.graph.rdf import PREFIXES

    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(_code(text))}
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared)
    return head + text


def run_with_deadline(work: Callable[[], T], timeout: float | None) -> T:
    """``work()`` in a worker thread, given up after ``timeout`` seconds or on Ctrl-C.

    Oxigraph evaluates without holding the GIL, so the waiting thread stays responsive: a
    time-out raises :class:`SparqlTimeoutError`, Ctrl-C raises ``KeyboardInterrupt`` at once.
    The abandoned worker is a daemon thread; it ends with its query or with the process.
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(target=target, name="exokg-query", daemon=True)
    deadline = None if timeout is None else time.monotonic() + timeout
    thread.start()
    while not done.wait(0.05):
        if deadline is not None and time.monotonic() >= deadline:
            raise SparqlTimeoutError(f"the query was stopped after {timeout:g} s (--timeout)")
    if "error" in box:
        raise box["error"]
    return cast(T, box["value"])


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


def run_query(source: Graph | Any, text: str, *, compact: bool = False,
              timeout: float | None = None) -> list[dict[str, Any]]:
    """Run a SELECT (or ASK) query on an rdflib Graph or an Oxigraph store.

    The graph's prefixes are predeclared (:func:`with_prefixes`); Update and ``SERVICE`` are
    refused (:func:`check_query`); ``timeout`` (seconds) bounds the run. Rows are dicts of
    plain strings, in result order; with ``compact``, IRIs are written as prefixed names
    (``id:BM-MSC``).

    Raises
    ------
    SparqlError
        Syntax errors, refused queries, failures; :class:`SparqlTimeoutError` past ``timeout``.
    """
    check_query(text)
    text = with_prefixes(text)
    if type(source).__module__.startswith("rdflib"):
        return run_with_deadline(lambda: _run_rdflib(source, text, compact=compact), timeout)
    return run_with_deadline(lambda: _run_oxigraph(source, text, compact=compact), timeout)


def query_store(store: Any, text: str) -> Any:
    """``store.query(text)`` on an Oxigraph store, its failures as one-line SparqlErrors.

    Raises
    ------
    SparqlError
        Syntax errors and evaluation failures.
    """
    try:
        return store.query(text)
    except SyntaxError as exc:
        raise SparqlError(f"SPARQL syntax error: {exc}") from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise SparqlError(f"SPARQL query failed: {exc}") from exc


def _run_oxigraph(store: Any, text: str, *, compact: bool) -> list[dict[str, Any]]:
    import pyoxigraph as ox

    from kg.graph.rdf import PREFIXES

    result = query_store(store, text)
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

    from kg.graph.rdf import PREFIXES

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
                values[n] = compact_iri(str(term), PREFIXES)
            else:
                values[n] = str(term)
        rows.append(values)
    return rows
