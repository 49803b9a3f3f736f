"""The explorer as an ASGI application (Starlette): pages, their JSON twins, ``/sparql``.

Each page is a function that returns its data (a dict from :mod:`kg.web.data`) and its
template; one wrapper renders it as HTML, or as JSON when the URL ends in ``.json`` or has
``?format=json`` (datasette's rule). Library work runs in Starlette's thread pool, so a slow
path query or SPARQL query never blocks the event loop and other requests keep being served.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple, TypeVar
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from kg.data.model import Curation
from kg.errors import AmbiguousNameError, KGError, UnknownEntityError
from kg.query.defaults import DEFAULT_SORT, SORTS
from kg.query.sparql import (
    MAX_QUERY_BYTES,
    SparqlError,
    SparqlTimeoutError,
    UpdateRefusedError,
    example_queries,
)
from kg.web import data as pages
from kg.web.render import Links, render
from kg.web.sparql import (
    DEFAULT_QUEUE,
    DEFAULT_WORKERS,
    MEDIA,
    MEMORY_MB,
    NotAcceptableError,
    QueryTooLongError,
    RefusedError,
    Runner,
    negotiate,
    serialize,
    service_description,
    table,
)

#: Security headers of every HTML page: nothing is loaded from another origin, and no other
#: site may show the page in a frame.
HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                               "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
#: Headers of every JSON and SPARQL answer.
DATA_HEADERS = {"X-Content-Type-Options": "nosniff"}
#: Pages whose data are kept in memory (the most recently used).
CACHE_PAGES = 512
CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept",
        "Access-Control-Expose-Headers": "X-Exokg-Truncated, Retry-After",
        **DATA_HEADERS}
#: Seconds a client is asked to wait when the SPARQL queue is full.
RETRY_AFTER = 2

Page = tuple[str, dict[str, Any], dict[str, Any]]
_T = TypeVar("_T")



def _status(exc: Exception) -> int:
    if isinstance(exc, UnknownEntityError | pages.NotFoundError):
        return 404
    if isinstance(exc, SparqlTimeoutError | RefusedError | QueueFullError):
        return 503
    if isinstance(exc, QueryTooLongError):
        return 413
    if isinstance(exc, NotAcceptableError):
        return 406
    if isinstance(exc, UnsupportedMediaError):
        return 415
    return 400


class QueueFullError(SparqlError):
    """Every SPARQL worker is busy and the queue of waiting queries is full (HTTP 503)."""


class UnsupportedMediaError(SparqlError):
    """A protocol request in a media type or charset the endpoint does not read (HTTP 415)."""


def _wants_json(request: Request) -> bool:
    return (request.url.path.endswith(".json")
            or request.query_params.get("format", "").lower() == "json")


def _ids(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for raw in values for v in raw.split(",") if v.strip())


def _int(request: Request, name: str, default: int, low: int, high: int | None = None) -> int:
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise pages.PageError(f"{name} must be a whole number, not '{raw}'") from None
    if value < low or (high is not None and value > high):
        allowed = f"{low} to {high}" if high is not None else f"{low} or more"
        raise pages.PageError(f"{name} must be {allowed}, not {value}")
    return value


def _choice(request: Request, name: str, allowed: tuple[str, ...]) -> str | None:
    value = request.query_params.get(name) or None
    if value is not None and value not in allowed:
        raise pages.PageError(f"{name} must be one of {', '.join(allowed)}, not '{value}'")
    return value


def _agent(request: Request) -> str | None:
    return _choice(request, "agent", ("exosome", "cells"))


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "on", "yes")


class Explorer:
    """The pages over one curation and its store; :meth:`app` gives the ASGI app."""

    def __init__(self, cur: Curation, store: Any, *, timeout: float = 10.0,
                 max_rows: int = 10_000, workers: int = DEFAULT_WORKERS,
                 memory_mb: int = MEMORY_MB, queue: int = DEFAULT_QUEUE) -> None:
        self.cur = cur
        self.runner = Runner(store, timeout=timeout, max_rows=max_rows, workers=workers,
                             memory_mb=memory_mb)
        # SPARQL waits in a queue of its own: its threads never take those of the pages
        self.queue = queue
        self._sparql_limiter: Any = None
        self._sparql_admitted = 0
        self._sparql_lock = threading.Lock()
        self.links = Links()
        self._cache: OrderedDict[tuple[str, str], Page] = OrderedDict()
        self._cache_lock = threading.Lock()

    # ------------------------------------------------------------------ pages
    def home(self, request: Request) -> Page:
        """``/``: counts, the path form, the sources."""
        d = pages.home_page(self.cur)
        return "index.html", d, {"choices": d["choices"]}

    def search(self, request: Request) -> Page:
        """``/search?q=``: resolve a name (any synonym), else list fuzzy matches."""
        return "search.html", pages.search_page(self.cur, request.query_params.get("q", "")), {}

    def entity(self, request: Request) -> Page:
        """``/entity/{id}``: the entity's card, claims, neighbours and trials."""
        name = request.path_params["name"].removesuffix(".json")
        return "entity.html", pages.entity_page(self.cur, name), {}

    def claim(self, request: Request) -> Page:
        """``/claim/{id}``: one claim with its citations."""
        name = request.path_params["name"].removesuffix(".json")
        return "claim.html", pages.claim_page(self.cur, name), {}

    def paths(self, request: Request) -> Page:
        """``/paths?source=&disease=&...``: the answer of ``exokg paths`` with its filters."""
        p = request.query_params
        q = pages.PathQuery(
            source=p.get("source", ""), disease=p.get("disease", p.get("target", "")),
            max_hops=_int(request, "max_hops", 6, 1, 10),
            via=_ids(p.getlist("via")), avoid=_ids(p.getlist("avoid")),
            asserted_only=_flag(request, "asserted_only"),
            evidence=_choice(request, "evidence", ("in-vivo", "in-vitro", "clinical")),
            agent=_choice(request, "agent", ("exosome", "cells")),
            limit=_int(request, "limit", 20, 0), exact=_flag(request, "exact"),
            min_studies=_int(request, "min_studies", 0, 0),
            min_evidence=_choice(request, "min_evidence", ("clinical", "in-vivo", "in-vitro")),
            sort=_choice(request, "sort", SORTS) or DEFAULT_SORT)
        form = {"max_hops": q.max_hops, "via": list(q.via), "avoid": list(q.avoid),
                "evidence": q.evidence, "agent": q.agent, "asserted_only": q.asserted_only,
                "exact": q.exact, "limit": q.limit, "min_studies": q.min_studies,
                "min_evidence": q.min_evidence, "sort": q.sort}
        extra = {"choices": pages.choices(self.cur), "form": form}
        if not q.source and not q.disease:
            return "paths.html", {}, extra
        if not q.source or not q.disease:
            raise pages.PageError("a path query needs both a source and a disease")
        d = pages.paths_page(self.cur, q)
        return "paths.html", d, {**extra, "sel_source": d["source"], "sel_disease": d["target"]}

    def rank(self, request: Request) -> Page:
        """``/rank?type=&level=&disease=&agent=&evidence=``: hub ranking."""
        p = request.query_params
        d = pages.rank_page(self.cur, entity_type=p.get("type", "pathway"),
                            level=_choice(request, "level", ("pathway", "family")) or "pathway",
                            disease=p.get("disease") or None, agent=_agent(request),
                            evidence=p.get("evidence") or None,
                            limit=_int(request, "limit", 20, 0))
        return "rank.html", d, {}

    def trials(self, request: Request) -> Page:
        """``/trials?disease=&source=&agent=&phase=&status=``: trial reports.

        ``trial=`` gives one trial's reports (by registry id, node id or report id).
        """
        p = request.query_params
        filters = {k: p.get(k) or None for k in ("source", "phase", "status")}
        d = pages.trials_page(self.cur, p.get("trial") or p.get("disease") or None,
                              agent=_agent(request),
                              exact=_flag(request, "exact"), **filters)
        return "trials.html", d, {}

    def claims(self, request: Request) -> Page:
        """``/claims?source=&cargo=&target=&pathway=&process=&disease=&...``: claims."""
        p = request.query_params
        names = ("source", "cargo", "target", "pathway", "process", "disease", "review",
                 "evidence", "study")
        filters = {k: p.get(k) or None for k in names}
        d = pages.claims_page(self.cur, agent=_agent(request), exact=_flag(request, "exact"),
                              **filters)
        return "claims.html", d, {}

    def matrix(self, request: Request) -> Page:
        """``/matrix?rows=source|cargo&cols=disease|hallmark``: studies per cell."""
        d = pages.matrix_page(
            self.cur, _choice(request, "rows", ("source", "cargo")) or "source",
            _choice(request, "cols", ("disease", "hallmark")) or "disease",
            agent=_agent(request), evidence=request.query_params.get("evidence") or None)
        return "matrix.html", d, {}

    def hallmarks(self, request: Request) -> Page:
        """``/hallmarks``: claims rolled up by hallmark of ageing."""
        d = pages.hallmarks_page(self.cur, agent=_agent(request),
                                 evidence=request.query_params.get("evidence") or None)
        return "hallmarks.html", d, {}

    def query(self, request: Request) -> Page:
        """``/query?query=`` or ``?example=``: the SPARQL page, results as a table."""
        from kg.query.sparql import load_query

        examples = example_queries()
        name = request.query_params.get("example", "")
        if name and name not in examples:
            raise pages.NotFoundError(f"no example query '{name}' ({', '.join(examples)})")
        text = load_query(name) if name else request.query_params.get("query", "")
        d: dict[str, Any] = {
            "examples": [(n, title) for n, (_, title) in examples.items()],
            "query": text or load_query("hub-pathways"), "result": None,
            "endpoint": str(request.url_for("sparql")), "timeout": self.runner.timeout,
            "max_rows": self.runner.max_rows}
        extra: dict[str, Any] = {}
        if text.strip():
            try:
                d["result"] = table(self.runner.run(text, base_iri=str(request.url_for(
                    "sparql"))))
            except SparqlError as exc:
                d["error"] = str(exc)
                extra["error"] = str(exc)
                extra["status"] = _status(exc)
        return "query.html", d, extra

    # -------------------------------------------------------------- plumbing
    def close(self) -> None:
        """Stop the SPARQL query workers (:meth:`kg.web.sparql.Runner.close`)."""
        self.runner.close()

    def cached(self, handler: Callable[[Request], Page], request: Request) -> Page:
        """``handler(request)``, remembered for the same path and query (LRU, bounded).

        The curation never changes while the server runs, so a page's data does not either;
        the SPARQL page is not cached (its queries have their own limits).
        """
        if handler == self.query:
            return handler(request)
        path = request.url.path.removesuffix(".json")
        key = (path.rstrip("/") or "/", "&".join(sorted(
            f"{k}={v}" for k, v in request.query_params.multi_items() if k != "format")))
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                template, data, extra = self._cache[key]
                return template, data, dict(extra)
        page = handler(request)
        with self._cache_lock:
            self._cache[key] = (page[0], page[1], dict(page[2]))
            while len(self._cache) > CACHE_PAGES:
                self._cache.popitem(last=False)
        return page

    def respond(self, handler: Callable[[Request], Page]
                ) -> Callable[[Request], Awaitable[Response]]:
        """An endpoint that runs ``handler`` off the event loop and renders HTML or JSON."""
        async def endpoint(request: Request) -> Response:
            as_json = _wants_json(request)
            try:
                if handler == self.query and request.query_params.get(
                        "query", request.query_params.get("example", "")).strip():
                    template, data, extra = await self.in_sparql_lane(handler, request)
                else:
                    template, data, extra = await run_in_threadpool(self.cached, handler,
                                                                    request)
            except (KGError, ValueError) as exc:
                status = _status(exc)
                body = {"error": str(exc), "status": status}
                if isinstance(exc, AmbiguousNameError):
                    body["candidates"] = list(exc.candidates)
                headers = {"Retry-After": str(RETRY_AFTER)} if status == 503 else {}
                if as_json:
                    return JSONResponse(body, status_code=status,
                                        headers={**DATA_HEADERS, **headers})
                page = self.html("error.html", body, status)
                page.headers.update(headers)
                return page
            status = extra.pop("status", 200)
            if as_json:
                return JSONResponse(data, status_code=status, headers=DATA_HEADERS)
            extra.setdefault("json_url", self.links.json(str(request.url.path)) +
                             (f"?{request.url.query}" if request.url.query else ""))
            if template == "search.html" and data.get("match") and not data.get("ambiguous"):
                return RedirectResponse(self.links.entity(data["match"]["id"]), 303)
            from kg.web.draw import decorate

            extra.update(decorate(self.cur, template, data, self.links))
            return self.html(template, data, status, **extra)
        return endpoint

    def html(self, template: str, data: dict[str, Any], status: int = 200, **extra: Any
             ) -> HTMLResponse:
        """A rendered page with the security headers."""
        extra.setdefault("q", "")
        body = render(template, data, self.links, **extra)
        return HTMLResponse(body, status_code=status, headers=HTML_HEADERS)

    async def in_sparql_lane(self, work: Callable[..., _T], *args: Any) -> _T:
        """``work(*args)`` in the SPARQL lane: its own threads, its own bounded queue.

        At most ``workers`` SPARQL requests hold a thread (each waits on its worker
        process); up to ``queue`` more wait without one; past that :class:`QueueFullError`
        (503). Pages use the default thread pool and never wait behind queries.
        """
        import anyio.to_thread

        with self._sparql_lock:
            if self._sparql_admitted >= self.runner.workers + self.queue:
                raise QueueFullError(f"{self._sparql_admitted} SPARQL queries are running or "
                                     "waiting; try again shortly")
            self._sparql_admitted += 1
            if self._sparql_limiter is None:
                self._sparql_limiter = anyio.CapacityLimiter(self.runner.workers)
        try:
            return await anyio.to_thread.run_sync(lambda: work(*args),
                                                  limiter=self._sparql_limiter)
        finally:
            with self._sparql_lock:
                self._sparql_admitted -= 1

    async def sparql(self, request: Request) -> Response:
        """``/sparql``: the SPARQL 1.1 Protocol endpoint (query only)."""
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=CORS)
        endpoint = str(request.url_for("sparql"))
        try:
            proto = await _protocol_query(request)
            if proto.query is None:
                fmt = negotiate(request.headers.get("accept", ""), proto.format,
                                kind="graph", html=request.method == "GET")
                if fmt == "html":
                    return RedirectResponse("/query", 303)
                triples = await run_in_threadpool(self.runner.triples)
                return Response(service_description(endpoint, triples, fmt),
                                media_type=MEDIA[fmt], headers=CORS)
            result = await self.in_sparql_lane(
                lambda: self.runner.run(proto.query or "", base_iri=endpoint,
                                        default_graph=proto.default_graphs,
                                        named_graphs=proto.named_graphs))
            fmt = negotiate(request.headers.get("accept", ""), proto.format,
                            kind="graph" if result.kind == "graph" else "results",
                            html=request.method == "GET")
        except SparqlError as exc:
            status = _status(exc)
            headers = {"Retry-After": str(RETRY_AFTER)} if status == 503 else {}
            return _plain(str(exc), status, headers)
        if fmt == "html":
            return RedirectResponse(str(request.url_for("query").include_query_params(
                query=proto.query)), 303)
        headers = dict(CORS)
        if result.truncated:
            headers["X-Exokg-Truncated"] = f"results cut at {self.runner.max_rows} rows"
        return Response(serialize(result, fmt), media_type=MEDIA[fmt], headers=headers)

    def app(self, *, allowed_hosts: list[str] | None = None) -> Starlette:
        """The ASGI application; ``allowed_hosts`` guards a loopback server from rebinding."""
        routes = [Route("/sparql", self.sparql, methods=["GET", "POST", "OPTIONS"],
                        name="sparql")]
        for path, handler, name in [
                ("/", self.home, "home"), ("/index.json", self.home, "home_json"),
                ("/search", self.search, "search"), ("/search.json", self.search, None),
                ("/entity/{name}", self.entity, "entity"),
                ("/claim/{name}", self.claim, "claim"),
                ("/paths", self.paths, "paths"), ("/paths.json", self.paths, None),
                ("/rank", self.rank, "rank"), ("/rank.json", self.rank, None),
                ("/trials", self.trials, "trials"), ("/trials.json", self.trials, None),
                ("/claims", self.claims, "claims"), ("/claims.json", self.claims, None),
                ("/matrix", self.matrix, "matrix"), ("/matrix.json", self.matrix, None),
                ("/hallmarks", self.hallmarks, "hallmarks"),
                ("/hallmarks.json", self.hallmarks, None),
                ("/query", self.query, "query"), ("/query.json", self.query, None)]:
            routes.append(Route(path, self.respond(handler), name=name))
        middleware = ([Middleware(HostGuard, allowed=allowed_hosts)]
                      if allowed_hosts else [])
        return Starlette(routes=routes, middleware=middleware)


def _plain(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8",
                    headers={**CORS, **(headers or {})})


class ProtocolQuery(NamedTuple):
    """What a SPARQL 1.1 Protocol request asks.

    The query (None: none given), the dataset (``default-graph-uri``, ``named-graph-uri``:
    None when not given) and ``format=`` (or ``output=``).
    """

    query: str | None
    default_graphs: list[str] | None
    named_graphs: list[str] | None
    format: str | None


#: The longest request body read: a form-encoded query of MAX_QUERY_BYTES, escaped.
MAX_BODY = 3 * MAX_QUERY_BYTES + 4096


async def _body(request: Request) -> bytes:
    """The request body, read no further than :data:`MAX_BODY` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise QueryTooLongError(f"the request body is {int(declared):,} bytes long; at most "
                                f"{MAX_BODY:,} are read")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise QueryTooLongError(f"the request body is longer than {MAX_BODY:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SparqlError(f"the {what} is not UTF-8 text") from None


async def _protocol_query(request: Request) -> ProtocolQuery:
    """The query and dataset of a protocol request; refuses what the protocol rules out.

    Raises
    ------
    SparqlError
        An Update, several queries, an unsupported media type or charset (415), a body or
        query that is too long (413), text that is not UTF-8.
    """
    raw_query = request.url.query.encode("latin-1", errors="replace")
    if len(raw_query) > MAX_BODY:
        raise QueryTooLongError(f"the request's URL is longer than {MAX_BODY:,} bytes")
    params: dict[str, list[str]] = {}
    try:
        pairs = parse_qsl(request.url.query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise SparqlError("the URL's parameters are not UTF-8 text") from None
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    query: list[str] = params.get("query", [])
    if request.method == "POST":
        ctype, *ctype_params = (p.strip() for p in request.headers.get(
            "content-type", "").split(";"))
        ctype = ctype.lower()
        for param in ctype_params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip(' "').lower() not in (
                    "utf-8", "utf8"):
                raise UnsupportedMediaError(f"charset '{value.strip()}' is not read: send "
                                            "UTF-8")
        if ctype == "application/sparql-update" or "update" in params:
            raise UpdateRefusedError("the graph is read-only: SPARQL Update is refused")
        body = await _body(request)
        if ctype == "application/sparql-query":
            if query:
                raise SparqlError("give the query once: in the body or in 'query', not both")
            query = [_utf8(body, "request body")]
        elif ctype == "application/x-www-form-urlencoded":
            try:
                form = parse_qsl(_utf8(body, "form"), keep_blank_values=True,
                                 errors="strict")
            except UnicodeDecodeError:
                raise SparqlError("the form is not UTF-8 text") from None
            for key, value in form:
                params.setdefault(key, []).append(value)
            query = params.get("query", [])
        else:
            raise UnsupportedMediaError(
                f"unsupported content type '{ctype or 'none'}': send application/sparql-query"
                " or a form (application/x-www-form-urlencoded) with 'query'")
    if "update" in params:
        raise UpdateRefusedError("the graph is read-only: SPARQL Update is refused")
    if len(query) > 1:
        raise SparqlError("give one 'query' parameter, not several")
    fmt = (params.get("format") or params.get("output") or [""])[0]
    return ProtocolQuery(query[0] if query else None,
                         params.get("default-graph-uri"), params.get("named-graph-uri"),
                         fmt or None)


def _host(value: str) -> str:
    """The host of a ``Host`` header, lower case, without port, brackets or final dot.

    Examples
    --------
    >>> _host("[::1]:8000"), _host("LocalHost:80"), _host("example.org."), _host("::1")
    ('::1', 'localhost', 'example.org', '::1')
    """
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


class HostGuard:
    """Answer only requests whose ``Host`` is one of ``allowed`` (DNS-rebinding guard).

    Unlike a split on the first colon, a bracketed IPv6 host (``[::1]:8000``) is read as
    such. ``*`` in ``allowed`` lets every host through.
    """

    def __init__(self, app: Any, allowed: list[str]) -> None:
        self.app = app
        self.allowed = {_host(h) for h in allowed}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Pass the request on, or answer 400 when its ``Host`` is not allowed."""
        if scope["type"] in ("http", "websocket") and "*" not in self.allowed:
            headers = dict(scope.get("headers") or [])
            host = _host(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.allowed:
                response = _plain("invalid Host header", 400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(cur: Curation, store: Any, *, timeout: float = 10.0, max_rows: int = 10_000,
               allowed_hosts: list[str] | None = None, workers: int = DEFAULT_WORKERS,
               memory_mb: int = MEMORY_MB, queue: int = DEFAULT_QUEUE) -> Starlette:
    """The explorer's ASGI app over a curation and its Oxigraph store.

    Parameters
    ----------
    cur : Curation
        The loaded curation (:func:`kg.load`).
    store : pyoxigraph.Store
        Its RDF store (:func:`kg.graph.rdf.build_store`), queried by ``/sparql``.
    timeout, max_rows : float, int
        Limits of every SPARQL query.
    allowed_hosts : list of str, optional
        Host names the server answers to (guards a loopback server against DNS rebinding).
    queue : int
        SPARQL requests that may wait for a worker beyond those running (then 503).
    workers, memory_mb : int
        SPARQL query worker processes (each holds a copy of the store; a query past its
        time limit is stopped by killing its worker) and the memory each may use (MB).
        They start at the first query; the app's ``state.explorer.close()`` stops them
        (or the interpreter's exit does).
    """
    from kg.query.paths import prepare

    prepare(cur)
    explorer = Explorer(cur, store, timeout=timeout, max_rows=max_rows, workers=workers,
                        memory_mb=memory_mb, queue=queue)
    app = explorer.app(allowed_hosts=allowed_hosts)
    app.state.explorer = explorer
    return app


__all__ = [
    "CACHE_PAGES", "CORS", "DATA_HEADERS", "HTML_HEADERS", "MAX_BODY", "RETRY_AFTER", "Explorer",
    "HostGuard", "Page", "ProtocolQuery", "QueueFullError", "UnsupportedMediaError", "create_app",
]
