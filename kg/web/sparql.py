"""A read-only SPARQL 1.1 Protocol endpoint over the built graph (Oxigraph).

The protocol part of ``exokg serve``: read the query from a request (GET ``query=``, POST
form ``query=`` or an ``application/sparql-query`` body), refuse what a read-only local
graph must not run (Update, ``SERVICE``: :func:`kg.query.sparql.check_query`), run it with a
time limit and a result limit, and write the results in the format the client accepts
(SPARQL 1.1 Query Results JSON, XML, CSV or TSV; N-Triples for CONSTRUCT and DESCRIBE).

A query runs in a worker process that holds its own copy of the store
(:class:`kg.web.worker.WorkerPool`, :data:`DEFAULT_WORKERS` of them); past the time limit
the request is answered with 503 and that process is killed, so its core is free at once,
and a fresh worker is started in the background while the others keep answering. Oxigraph
cannot interrupt a step of evaluation from Python (a large join, ``ORDER BY`` or
``COUNT``), which is why a thread was not enough: it ran on after its answer was given up.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from kg.query.sparql import SparqlError, check_query, with_prefixes
from kg.web.worker import MEMORY_MB, RefusedError, Result, WorkerPool

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
#: Query worker processes (queries answered at once); each holds a copy of the store.
DEFAULT_WORKERS = 2
#: Kept for old callers: no given-up query runs on any more (its worker is killed).
MAX_RUNAWAY = 0
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Result format -> media type written.
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "nt": "application/n-triples",
}
#: Media types a client may ask for -> result format.
ACCEPT = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "application/n-triples": "nt", "text/turtle": "nt", "text/plain": "nt",
    "text/html": "html",
}


def negotiate(accept: str, fmt: str | None = None, *, graph: bool = False) -> str:
    """The result format for an ``Accept`` header (or an explicit ``format``), by q-value.

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml")
    'xml'
    >>> negotiate("*/*")
    'json'
    >>> negotiate("", "tsv")
    'tsv'
    """
    if fmt:
        fmt = fmt.lower()
        if fmt in MEDIA or fmt == "html":
            return fmt
        if fmt in ACCEPT:
            return ACCEPT[fmt]
        raise SparqlError(f"unknown result format '{fmt}' (json, xml, csv, tsv)")
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media in ACCEPT and q > 0:
            ranked.append((-q, i, ACCEPT[media]))
    for _, _, found in sorted(ranked):
        if graph == (found == "nt") or found == "html":
            return found
    return "nt" if graph else "json"


class Runner:
    """Runs queries on one store in worker processes, with a time limit and a result limit.

    A query past its time limit is stopped by killing its worker (see
    :mod:`kg.web.worker`); the workers start on the first query, or at :meth:`start`, and
    end at :meth:`close` (or when the interpreter exits).
    """

    def __init__(self, store: Any, *, timeout: float = DEFAULT_TIMEOUT,
                 max_rows: int = DEFAULT_MAX_ROWS, workers: int = DEFAULT_WORKERS,
                 memory_mb: int = MEMORY_MB) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.pool = WorkerPool(store, size=workers, memory_mb=memory_mb)

    def start(self) -> None:
        """Start the worker processes now (in the background) rather than at the first query."""
        self.pool.start()

    def close(self) -> None:
        """Stop the worker processes and wait for them to end."""
        self.pool.close()

    def abandoned(self) -> int:
        """Queries given up at their time limit that still run: none, their worker is killed."""
        return 0

    def run(self, text: str, *, timeout: float | None = None) -> Result:
        """Run a query (blocking; call it off the event loop).

        Raises
        ------
        SparqlError
            Refused queries (Update, ``SERVICE``), syntax errors;
            :class:`~kg.query.sparql.SparqlTimeoutError` past the limit;
            :class:`RefusedError` when no worker was free in time.
        """
        check_query(text)
        return self.pool.run(with_prefixes(text), timeout=timeout or self.timeout,
                             max_rows=self.max_rows)


def _json_term(term: Any) -> dict[str, str] | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _xml_term(term: Any) -> str:
    data = _json_term(term)
    if data is None:
        return ""
    kind, value = data["type"], escape(data["value"])
    if kind == "literal":
        attr = (f" xml:lang={quoteattr(data['xml:lang'])}" if "xml:lang" in data else
                f" datatype={quoteattr(data['datatype'])}" if "datatype" in data else "")
        return f"<literal{attr}>{value}</literal>"
    return f"<{kind}>{value}</{kind}>"


def serialize(result: Result, fmt: str) -> str:
    """The result in a SPARQL 1.1 results format (``json``, ``xml``, ``csv``, ``tsv``)."""
    if result.kind == "graph" or fmt == "nt":
        return "".join(f"{s} {p} {o} .\n" for s, p, o in result.rows)
    if fmt == "json":
        if result.kind == "ask":
            return json.dumps({"head": {}, "boolean": result.boolean})
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True)
                     if t is not None} for row in result.rows]
        return json.dumps({"head": {"vars": result.variables},
                           "results": {"bindings": bindings}}, ensure_ascii=False)
    if fmt == "xml":
        return _xml(result)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        if result.kind == "ask":
            writer.writerows([["boolean"], [str(result.boolean).lower()]])
        else:
            writer.writerow(result.variables)
            writer.writerows([["" if t is None else t.value for t in row]
                              for row in result.rows])
        return buf.getvalue()
    if result.kind == "ask":
        return f"?boolean\n{str(result.boolean).lower()}\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _xml(result: Result) -> str:
    head = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
            "<head>")
    if result.kind == "ask":
        return (f"{head}</head>\n<boolean>{str(result.boolean).lower()}</boolean>\n"
                "</sparql>\n")
    parts = [head, *(f"<variable name={quoteattr(v)}/>" for v in result.variables),
             "</head>\n<results>\n"]
    for row in result.rows:
        parts.append("<result>")
        parts += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                  for v, t in zip(result.variables, row, strict=True) if t is not None]
        parts.append("</result>\n")
    parts.append("</results>\n</sparql>\n")
    return "".join(parts)


def table(result: Result) -> dict[str, Any]:
    """The result as plain data for the SPARQL page and its JSON twin (IRIs compacted)."""
    from kg.graph.rdf import PREFIXES
    from kg.query.sparql import compact_iri

    def show(term: Any) -> str:
        data = _json_term(term)
        if data is None:
            return ""
        return compact_iri(data["value"], PREFIXES) if data["type"] == "uri" else data["value"]

    if result.kind == "ask":
        return {"kind": "ask", "variables": ["ask"], "rows": [{"ask": result.boolean}],
                "truncated": False}
    variables = (result.variables if result.kind == "select"
                 else ["subject", "predicate", "object"])
    return {"kind": result.kind, "variables": variables,
            "rows": [{v: show(t) for v, t in zip(variables, row, strict=True)}
                     for row in result.rows],
            "truncated": result.truncated}


__all__ = ["DEFAULT_WORKERS", "MEDIA", "MEMORY_MB", "RefusedError", "Result", "Runner", "negotiate",
           "serialize", "table"]
