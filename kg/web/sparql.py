"""A read-only SPARQL 1.1 Protocol endpoint over the built graph (Oxigraph).

The protocol part of ``exokg serve``: read the query from a request (GET ``query=``, POST
form ``query=`` or an ``application/sparql-query`` body), refuse what a read-only local
graph must not run (Update, ``SERVICE``: :func:`kg.query.sparql.check_query`), run it with a
time limit and a result limit, and write the results in the format the client accepts
(SPARQL 1.1 Query Results JSON, XML, CSV or TSV; Turtle, N-Triples, RDF/XML or JSON-LD for
CONSTRUCT and DESCRIBE, by ``Accept`` with q-values, 406 for what cannot be written). A
request without a query gets the SPARQL 1.1 Service Description.

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

from kg.query.sparql import BASE_IRI, QueryTooLongError, SparqlError, check_size
from kg.web.worker import MEMORY_MB, Job, RefusedError, Result, WorkerPool

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
#: Query worker processes (queries answered at once); each holds a copy of the store.
DEFAULT_WORKERS = 2
#: SPARQL requests that may wait for a worker, beyond those running; past that, 503.
DEFAULT_QUEUE = 8
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Result formats of SELECT and ASK -> media type written.
RESULTS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
#: RDF formats of CONSTRUCT and DESCRIBE (and of the service description) -> media type.
GRAPHS = {
    "turtle": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
MEDIA = {**RESULTS, **GRAPHS, "html": "text/html; charset=utf-8"}
#: Media types a client may ask for, for each kind of answer (in the server's preference).
OFFERS = {
    "results": [("application/sparql-results+json", "json"), ("application/json", "json"),
                ("application/sparql-results+xml", "xml"), ("application/xml", "xml"),
                ("text/xml", "xml"), ("text/csv", "csv"), ("text/tab-separated-values", "tsv")],
    "graph": [("text/turtle", "turtle"), ("application/x-turtle", "turtle"),
              ("application/n-triples", "nt"), ("text/plain", "nt"), ("text/n3", "turtle"),
              ("application/rdf+xml", "rdfxml"), ("application/xml", "rdfxml"),
              ("text/xml", "rdfxml"), ("application/ld+json", "jsonld"),
              ("application/json", "jsonld"),
              # a client that asks every query for results JSON or XML (rdflib's
              # SPARQLStore) gets a graph in the same syntax: JSON-LD or RDF/XML
              ("application/sparql-results+xml", "rdfxml"),
              ("application/sparql-results+json", "jsonld")],
}
#: Names a client may give in ``format=`` (or ``output=``), for each kind of answer.
FORMAT_NAMES = {
    "results": {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv",
                "tsv": "tsv"},
    "graph": {"turtle": "turtle", "ttl": "turtle", "n3": "turtle", "nt": "nt",
              "ntriples": "nt", "n-triples": "nt", "rdf": "rdfxml", "xml": "rdfxml",
              "rdfxml": "rdfxml", "rdf+xml": "rdfxml", "json-ld": "jsonld", "jsonld": "jsonld",
              "json": "jsonld"},
}


class NotAcceptableError(SparqlError):
    """No format the client accepts can hold this answer (HTTP 406)."""


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their q-values, in order."""
    out = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        out.append((media.lower(), q))
    return out


def _quality(media: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """Q of the most specific range matching ``media``, and that range's position."""
    kind = media.split("/")[0]
    best: tuple[int, float, int] | None = None  # (specificity, q, position)
    for i, (rng, q) in enumerate(ranges):
        spec = 3 if rng == media else 2 if rng == f"{kind}/*" else 1 if rng == "*/*" else 0
        if spec and (best is None or spec > best[0]):
            best = (spec, q, i)
    return (0.0, len(ranges)) if best is None else (best[1], best[2])


def negotiate(accept: str, fmt: str | None = None, *, kind: str = "results",
              html: bool = False) -> str:
    """The format of an answer of ``kind`` (``results`` or ``graph``), by q-value.

    ``fmt`` (the ``format=`` parameter many clients send) names a format for that kind;
    else the ``Accept`` header decides: the offered type with the highest q-value (of its
    most specific matching range) wins, ties going to the one the client lists first.
    ``html`` offers the HTML page too. No header: JSON results, Turtle graphs.

    Raises
    ------
    NotAcceptableError
        When nothing the client accepts can hold the answer (406).
    SparqlError
        An unknown ``format=`` name (400).

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml")
    'xml'
    >>> negotiate("*/*")
    'json'
    >>> negotiate("text/html;q=0.2, application/sparql-results+json", html=True)
    'json'
    >>> negotiate("application/rdf+xml;q=0.5, text/turtle", kind="graph")
    'turtle'
    >>> negotiate("", "turtle", kind="graph")
    'turtle'
    """
    if fmt:
        name = fmt.strip().lower()
        if name in FORMAT_NAMES[kind]:
            return FORMAT_NAMES[kind][name]
        other = "graph" if kind == "results" else "results"
        if name in FORMAT_NAMES[other]:
            raise NotAcceptableError(f"format '{fmt}' cannot hold this answer (it can be: "
                                     f"{', '.join(sorted(set(FORMAT_NAMES[kind])))})")
        raise SparqlError(f"unknown format '{fmt}' (results: json, xml, csv, tsv; graphs: "
                          "turtle, nt, rdfxml, jsonld)")
    ranges = _ranges(accept)
    if not ranges:
        return "json" if kind == "results" else "turtle"
    offers = OFFERS[kind] + ([("text/html", "html")] if html else [])
    scored = []
    for rank, (media, name) in enumerate(offers):
        q, position = _quality(media, ranges)
        if q > 0:
            scored.append((-q, position, rank, name))
    if not scored:
        wanted = ", ".join(m for m, _ in OFFERS[kind])
        raise NotAcceptableError(f"none of the accepted types can hold this answer; this "
                                 f"endpoint writes {wanted}")
    return min(scored)[3]


class Runner:
    """Runs queries on one store in worker processes, with a time limit and a result limit.

    A query past its time limit is stopped by killing its worker (see
    :mod:`kg.web.worker`); the workers start on the first query, or at :meth:`start`, and
    end at :meth:`close` (or when the interpreter exits). The query is read, checked
    (:func:`kg.query.sparql.check_query`) and run in the worker, which has no network.
    """

    def __init__(self, store: Any, *, timeout: float = DEFAULT_TIMEOUT,
                 max_rows: int = DEFAULT_MAX_ROWS, workers: int = DEFAULT_WORKERS,
                 memory_mb: int = MEMORY_MB) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.workers = workers
        self.pool = WorkerPool(store, size=workers, memory_mb=memory_mb)
        self._triples: int | None = None

    def triples(self) -> int:
        """How many triples the store holds (counted once: the store never changes)."""
        if self._triples is None:
            self._triples = len(self.store)
        return self._triples

    def start(self) -> None:
        """Start the worker processes now (in the background) rather than at the first query."""
        self.pool.start()

    def close(self) -> None:
        """Stop the worker processes and wait for them to end."""
        self.pool.close()

    def run(self, text: str, *, timeout: float | None = None, base_iri: str = BASE_IRI,
            default_graph: list[str] | None = None,
            named_graphs: list[str] | None = None) -> Result:
        """Run a query (blocking; call it off the event loop).

        ``default_graph`` and ``named_graphs`` (IRIs) set the dataset, as the protocol's
        ``default-graph-uri`` and ``named-graph-uri`` do.

        Raises
        ------
        SparqlError
            Refused queries (Update, ``SERVICE``), syntax errors, over-long queries;
            :class:`~kg.query.sparql.SparqlTimeoutError` past the limit;
            :class:`RefusedError` when no worker was free in time.
        """
        check_size(text)  # here too: a long query is refused before it is sent anywhere
        job = Job(text, self.max_rows, base_iri, default_graph, named_graphs)
        return self.pool.run(job, timeout=timeout or self.timeout)


def service_description(endpoint: str, triples: int, fmt: str) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint, in an RDF format of :data:`GRAPHS`."""
    import pyoxigraph as ox

    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
               "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD"]
    turtle = (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        "@prefix void: <http://rdfs.org/ns/void#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        f"<{endpoint}> a sd:Service ;\n"
        f"  sd:endpoint <{endpoint}> ;\n"
        "  sd:supportedLanguage sd:SPARQL11Query ;\n"
        "  sd:resultFormat " + ", ".join(f"<http://www.w3.org/ns/formats/{f}>"
                                         for f in formats) + " ;\n"
        "  dcterms:title \"exokg: MSC-derived exosomes in ageing (read-only)\" ;\n"
        "  sd:defaultDataset [ a sd:Dataset ;\n"
        f"    sd:defaultGraph [ a sd:Graph ; void:triples {triples} ] ] .\n")
    graph = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    return write_graph([(t.subject, t.predicate, t.object) for t in graph], fmt)


def write_graph(rows: list[Any], fmt: str) -> bytes:
    """Triples (subject, predicate, object terms) in an RDF format of :data:`GRAPHS`."""
    import pyoxigraph as ox

    from kg.graph.rdf import PREFIXES

    triples = [ox.Triple(s, p, o) for s, p, o in rows]
    rdf = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
           "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    if fmt == "turtle":
        return ox.serialize(triples, format=rdf, prefixes=PREFIXES) or b""
    return ox.serialize(triples, format=rdf) or b""


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


def serialize(result: Result, fmt: str) -> str | bytes:
    """The result in a SPARQL 1.1 results format (``json``, ``xml``, ``csv``, ``tsv``).

    A graph result (CONSTRUCT, DESCRIBE) is written in an RDF format of :data:`GRAPHS`.
    """
    if result.kind == "graph":
        return write_graph(result.rows, fmt)
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


__all__ = [
    "DEFAULT_MAX_ROWS", "DEFAULT_QUEUE", "DEFAULT_TIMEOUT", "DEFAULT_WORKERS", "FORMAT_NAMES",
    "GRAPHS", "MEDIA", "MEMORY_MB", "OFFERS", "RDF_LANG_STRING", "RESULTS", "XSD_STRING",
    "NotAcceptableError", "QueryTooLongError", "RefusedError", "Result", "Runner", "negotiate",
    "serialize", "service_description", "table", "write_graph",
]
