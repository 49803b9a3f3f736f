"""SPARQL over the built graph, and the example queries shipped in ``kg/query/examples/``."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from kg.errors import KGError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "BASE_IRI", "MAX_QUERY_BYTES", "PLAIN_OPENINGS", "QUERIES", "QueryTooLongError",
    "ServiceRefusedError", "SparqlError", "SparqlTimeoutError", "UpdateRefusedError",
    "check_query", "check_size", "compact_iri", "example_queries", "load_query",
    "plainly_local", "query_store", "run_query", "run_with_deadline", "with_prefixes",
]

_T = TypeVar("_T")

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
        try:
            check_query(query)
        except UpdateRefusedError:
            raise  # an Update is refused as such: the graph is read-only
        except SparqlError:
            pass
        names = ", ".join(examples)
        raise SparqlError(f"'{query}' is neither a query, a query file nor an example "
                          f"({names})")
    return query


# Only to tell a query from an example's name in load_query (never to decide what runs):
# strings, IRIs and comments are blanked before the query forms are looked for.
_LEXEMES = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)

#: The longest query accepted, in bytes of UTF-8 (a VALUES block of some 5,000 IRIs).
MAX_QUERY_BYTES = 256 * 1024
#: The base IRI of queries on the local graph (relative IRIs resolve against it).
BASE_IRI = "https://w3id.org/exokg/"
#: What each SPARQL Update operation is called in the refusal.
_UPDATE_NAMES = {"DeleteWhere": "DELETE", "DeleteData": "DELETE", "InsertData": "INSERT",
                 "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE",
                 "Add": "ADD", "Move": "MOVE", "Copy": "COPY"}


class QueryTooLongError(SparqlError):
    """The query (or the request that carries it) is longer than accepted (HTTP 413)."""


def check_size(text: str) -> None:
    """Refuse a query longer than :data:`MAX_QUERY_BYTES` (before any parsing).

    Raises
    ------
    QueryTooLongError
        Saying how long the query is and what is accepted.
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise QueryTooLongError(f"the query is {size:,} bytes long; at most "
                                f"{MAX_QUERY_BYTES:,} are accepted")


class UpdateRefusedError(SparqlError):
    """A SPARQL Update was sent to the read-only graph."""


class ServiceRefusedError(SparqlError):
    """A query asked for a ``SERVICE`` (another host): refused, nothing is contacted."""


def _code(text: str) -> str:
    """The query with strings, IRIs and comments blanked out."""
    return _LEXEMES.sub(" ", text)


def _nodes(tree: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree, without recursion (a tree may be deep)."""
    from pyparsing import ParseResults

    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple | ParseResults):
            stack.extend(node)


def _update_name(request: Any) -> str:
    for operation in request or []:
        name = getattr(operation, "name", "")
        if name == "Modify":
            return "DELETE" if operation.get("delete") is not None else "INSERT"
        if name in _UPDATE_NAMES:
            return _UPDATE_NAMES[name]
    return ""


#: The characters every deeper level of a SPARQL query opens with (a group, a bracketed
#: expression or path, a collection, a blank node, a unary ``!`` or ``^``).
_OPENINGS = "({[!^"
#: At most this many of them, for a text run without a parse first: far from the depth at
#: which Oxigraph's parser crashes (10,000 brackets) or slows down (it reads nested blank
#: nodes in cubic time: 36 s for 1,000), and below the 128 nested blank nodes rdflib's
#: parser refuses as too deep. A test runs Oxigraph on twice this depth of each kind.
PLAIN_OPENINGS = 100


def plainly_local(text: str) -> bool:
    r"""Whether ``text`` can be run without a parse first: it cannot hold a ``SERVICE``.

    A query holds a ``SERVICE`` only if its text spells the keyword, in any case, once the
    codepoint escapes the SPARQL grammar reads before anything else (``\u0053``) are
    expanded. So a text with no escape and without the seven letters in a row (in any case
    Python's ``upper`` or ``casefold`` maps to them) holds none, whatever else it holds;
    with too few openings to nest deep, it needs no parse before Oxigraph runs it. Every
    other text is parsed first (:func:`check_query`); a plain text that Oxigraph cannot
    read is parsed then, for the parser's message. The thread that runs it has no network
    either way (:mod:`kg.query.offline`).

    Examples
    --------
    >>> plainly_local("SELECT ?s WHERE { ?s ?p ?o }")
    True
    >>> [plainly_local(t) for t in ("SELECT * { sErViCe <x> {} }", "SELECT ?service {}",
    ...                             "SELECT * { SER\\u0056ICE <x> {} }")]
    [False, False, False]
    """
    if "\\u" in text or "\\U" in text:
        return False
    if "SERVICE" in text.upper() or "service" in text.casefold():
        return False
    return sum(text.count(c) for c in _OPENINGS) <= PLAIN_OPENINGS


def check_query(text: str) -> None:
    """Refuse what a read-only local graph must never run, deciding with a SPARQL parser.

    The text is parsed by rdflib's SPARQL 1.1 grammar (the parser of another engine than
    the one that runs it); the parse tree is walked for a ``SERVICE`` pattern. A text that
    does not parse as a query is refused: as an Update when it parses as one, else as a
    syntax error with its line and column. Under this check, the thread or process that
    runs the query has no network at all (:mod:`kg.query.offline`).

    Raises
    ------
    SparqlError
        :class:`UpdateRefusedError` for SPARQL Update (the graph is read-only),
        :class:`ServiceRefusedError` for ``SERVICE`` (a query never makes this machine
        contact another host), and syntax errors, over-long and over-deep queries.

    Examples
    --------
    >>> check_query('SELECT ?s WHERE { ?s ?p "please DELETE me" }')
    >>> check_query("DELETE WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    kg.query.sparql.UpdateRefusedError: the graph is read-only: SPARQL Update (DELETE) is refused
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    check_size(text)
    if not text.strip():
        raise SparqlError("the query is empty")
    try:
        tree = parseQuery(text)
    except RecursionError:
        raise SparqlError("the query is nested too deeply to be read") from None
    except ParseBaseException as exc:
        try:
            update = parseUpdate(text)
        except (ParseBaseException, RecursionError):
            update = None
        name = _update_name(getattr(update, "request", None)) if update is not None else ""
        if name:
            raise UpdateRefusedError(f"the graph is read-only: SPARQL Update ({name}) is "
                                     "refused") from None
        raise SparqlError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: "
                          f"{exc.msg}") from None
    if any(getattr(node, "name", None) == "ServiceGraphPattern" for node in _nodes(tree)):
        raise ServiceRefusedError(
            "SERVICE is refused: a query on the local graph never contacts another host "
            "(load the other data with --data, or query an endpoint with --endpoint)")


def with_prefixes(text: str) -> str:
    """The query with the graph's prefixes declared first (the query's own ones win).

    For a remote endpoint, which cannot be handed the prefixes otherwise; a local query
    gets them from the engine instead (so its line numbers stay the user's).
    """
    from kg.graph.rdf import PREFIXES

    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(_code(text))}
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared)
    return head + text


_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def run_with_deadline(work: Callable[[], _T], timeout: float | None) -> _T:
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
            _release(exc)
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
    return cast(_T, box["value"])


def _release(exc: BaseException) -> None:
    """Drop the locals of the frames an exception (and its causes) hold.

    An Oxigraph result may only be dropped in the thread that made it; an exception handed
    to another thread must not carry one along in its traceback.
    """
    import traceback

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if current.__traceback__ is not None:
            traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


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

    The graph's prefixes are predeclared (the query's own declarations win); Update and
    ``SERVICE`` are refused (:func:`check_query`); the query is read and run in a thread cut
    off from the network (:func:`kg.query.offline.cut_off`), given up after ``timeout``
    seconds. Rows are dicts of plain strings, in result order; with ``compact``, IRIs are
    written as prefixed names (``id:BM-MSC``).

    Raises
    ------
    SparqlError
        Syntax errors, refused queries, failures; :class:`SparqlTimeoutError` past ``timeout``.
    """
    from kg.query.offline import cut_off

    def work() -> list[dict[str, Any]]:
        rdflib = type(source).__module__.startswith("rdflib")
        check_size(text)
        parsed = rdflib or not plainly_local(text)
        if parsed:
            check_query(text)
        cut_off()
        if rdflib:
            return _run_rdflib(source, text, compact=compact)
        try:
            return _run_oxigraph(source, text, compact=compact)
        except SparqlError as exc:
            if not parsed and isinstance(exc.__cause__, SyntaxError):
                check_query(text)  # the parser's message: an Update refused, line and column
            raise

    return run_with_deadline(work, timeout)


def query_store(store: Any, text: str, *, base_iri: str = BASE_IRI,
                default_graph: list[str] | None = None,
                named_graphs: list[str] | None = None) -> Any:
    """``store.query(text)`` on an Oxigraph store, its failures as one-line SparqlErrors.

    The graph's prefixes are given to the engine (so the user's line numbers stay right);
    ``default_graph`` and ``named_graphs`` (IRIs) restrict the dataset as the SPARQL 1.1
    Protocol's ``default-graph-uri`` and ``named-graph-uri`` do.

    Raises
    ------
    SparqlError
        Syntax errors and evaluation failures.
    """
    import pyoxigraph as ox

    from kg.graph.rdf import PREFIXES

    dataset: dict[str, Any] = {}
    if default_graph is not None:
        dataset["default_graph"] = [ox.NamedNode(g) for g in default_graph]
    if named_graphs is not None:
        dataset["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        return store.query(text, prefixes=PREFIXES, base_iri=base_iri, **dataset)
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
    try:
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
    except (OSError, ValueError, RuntimeError) as exc:
        message = f"SPARQL query failed: {exc}"
    else:
        return rows
    del result
    raise SparqlError(message)


def _run_rdflib(graph: Graph, text: str, *, compact: bool) -> list[dict[str, Any]]:
    try:
        return _rdflib_rows(graph, text, compact=compact)
    except SparqlError:
        raise
    except Exception as exc:  # rdflib evaluates lazily: failures surface while rows are read
        raise SparqlError(f"SPARQL query failed: {type(exc).__name__}: {exc}") from exc


def _rdflib_rows(graph: Graph, text: str, *, compact: bool) -> list[dict[str, Any]]:
    from pyparsing.exceptions import ParseException
    from rdflib import URIRef

    from kg.graph.rdf import PREFIXES

    try:
        result = graph.query(text, initNs=PREFIXES, base=BASE_IRI)
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
