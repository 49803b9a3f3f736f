"""A SPARQL 1.1 server as the back end: push the graph (Graph Store HTTP Protocol), query it.

Standard library only (``urllib``): HTTP Basic and Digest authentication, a timeout, and
errors turned into one-line messages. A push first writes the graph into a staging graph,
and only when the server has accepted all of it does it replace (PUT) or extend (POST) the
target graph; then the staging graph is dropped. A body the server rejects therefore never
touches the target (the protocol has no transactions, so a connection lost during the final
request can still leave it partly written — the error says so).
"""

from __future__ import annotations

import base64
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from kg.errors import KGError

__all__ = ["DEFAULT_GRAPH", "TURTLE", "RemoteError", "Server", "push", "push_curation", "query"]

DEFAULT_GRAPH = "https://w3id.org/exokg/graph"
TURTLE = "text/turtle; charset=utf-8"


class RemoteError(KGError):
    """The SPARQL server could not be reached or refused the request."""


@dataclass(frozen=True)
class Server:
    """Where and how to reach a SPARQL server."""

    endpoint: str
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0


class _Session:
    """Requests to one server that authenticate *before* any body is sent.

    urllib answers an auth challenge by sending the whole request again: the first attempt
    carries the body, and a server that answers 401 and closes while the body is still going
    out leaves the client with ``Broken pipe`` instead of the 401. Here a body-less GET
    fetches the challenge first; every later request carries its ``Authorization`` header,
    so a body is only sent to a server that has accepted the credentials.
    """

    def __init__(self, server: Server) -> None:
        self.server = server
        self._opener = urllib.request.build_opener()
        self._challenge: tuple[str, dict[str, str]] | None = None
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        if server.user is not None:
            manager.add_password(None, server.endpoint, server.user, server.password or "")
        self._digest = urllib.request.HTTPDigestAuthHandler(manager)

    def _authorization(self, req: urllib.request.Request) -> str | None:
        if self._challenge is None:
            return None
        scheme, params = self._challenge
        if scheme == "basic":
            pair = f"{self.server.user}:{self.server.password or ''}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        auth = self._digest.get_authorization(req, params)
        return f"Digest {auth}" if auth else None

    def _send(self, method: str, url: str, body: bytes | None,
              headers: dict[str, str]) -> tuple[int, bytes]:
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        auth = self._authorization(req)
        if auth:
            req.add_unredirected_header("Authorization", auth)
        with self._opener.open(req, timeout=self.server.timeout) as resp:
            return int(resp.status), bytes(resp.read())

    def login(self, url: str) -> None:
        """Fetch the server's challenge with a body-less request; check the credentials."""
        if self.server.user is None:
            return
        try:
            self._send("GET", url, None, {"Accept": "text/plain"})
            return  # no authentication asked for
        except urllib.error.HTTPError as exc:
            exc.read()
            header = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
            if not header:
                return  # e.g. 404 for a graph that does not exist: nothing to answer
        except OSError as exc:
            raise self._failure("GET", url, exc) from exc
        scheme, _, rest = header.partition(" ")
        params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        self._challenge = (scheme.lower(), params)
        self.request("GET", url, None, {"Accept": "text/plain"}, missing_ok=True)

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, *, missing_ok: bool = False
                ) -> tuple[int, bytes]:
        """Send one request; errors become one-line :class:`RemoteError` messages."""
        try:
            return self._send(method, url, body, headers or {})
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            if exc.code in (401, 403):
                raise RemoteError(f"{method} {url}: the server refused the credentials "
                                  f"(HTTP {exc.code}); check --user/--password "
                                  "(or EXOKG_SPARQL_USER / EXOKG_SPARQL_PASSWORD)") from exc
            if exc.code == 404 and (missing_ok or method == "DELETE"):
                return 404, b""
            text = " ".join(detail.split())
            raise RemoteError(f"{method} {url}: HTTP {exc.code} {exc.reason}: {text}") from exc
        except OSError as exc:
            raise self._failure(method, url, exc) from exc

    def _failure(self, method: str, url: str, exc: OSError) -> RemoteError:
        if isinstance(exc, TimeoutError):
            return RemoteError(f"{method} {url}: no answer within {self.server.timeout:g} s")
        if isinstance(exc, urllib.error.URLError):
            return RemoteError(f"{method} {url}: cannot reach the server ({exc.reason})")
        return RemoteError(f"{method} {url}: connection failed ({exc})")


def _url(endpoint: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RemoteError(f"not an http(s) URL: '{endpoint}'")
    query = urllib.parse.parse_qsl(parts.query) + list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _login(server: Server, url: str) -> _Session:
    session = _Session(server)
    session.login(url)
    return session


def push(server: Server, turtle: bytes, graph: str = DEFAULT_GRAPH, *,
         replace: bool = True) -> int:
    """Load Turtle into ``graph`` on a Graph Store Protocol endpoint; return the HTTP status.

    ``replace`` (PUT) makes the graph hold exactly this data; otherwise (POST) the triples
    are added to it. The data goes to a staging graph first (see the module docstring).
    """
    staging = f"{graph}-staging-{secrets.token_hex(6)}"
    headers = {"Content-Type": TURTLE}
    session = _login(server, _url(server.endpoint, graph=staging))
    try:
        session.request("PUT", _url(server.endpoint, graph=staging), turtle, headers)
        try:
            status, _ = session.request("PUT" if replace else "POST",
                                        _url(server.endpoint, graph=graph), turtle, headers)
        except RemoteError as exc:
            raise RemoteError(f"{exc} (the data itself was accepted into a staging graph; "
                              "the target may be partly written if the connection was lost)"
                              ) from exc
    finally:
        try:
            session.request("DELETE", _url(server.endpoint, graph=staging))
        except RemoteError:
            pass  # the staging graph is disposable; the push result is what matters
    return status


def query(server: Server, text: str, *, compact: bool = False) -> list[dict[str, Any]]:
    """Run a SELECT or ASK query over the SPARQL protocol; rows of plain strings.

    With ``compact``, IRIs are written as prefixed names, as :func:`kg.query.sparql.run_query`
    writes them for the local graph.
    """
    session = _login(server, _url(server.endpoint))
    status, body = session.request(
        "POST", server.endpoint,
        urllib.parse.urlencode({"query": text}).encode("utf-8"),
        {"Content-Type": "application/x-www-form-urlencoded",
         "Accept": "application/sparql-results+json"})
    del status
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        start = body[:120].decode("utf-8", "replace")
        raise RemoteError(f"the server's answer is not SPARQL JSON results: {start!r}") from exc
    if "boolean" in data:
        return [{"ask": bool(data["boolean"])}]
    try:
        names = data["head"]["vars"]
        from kg.graph.rdf import PREFIXES
        from kg.query.sparql import compact_iri

        def value(cell: dict[str, str]) -> str:
            if compact and cell.get("type") == "uri":
                return compact_iri(cell["value"], PREFIXES)
            return cell["value"]

        return [{n: value(b[n]) if n in b else "" for n in names}
                for b in data["results"]["bindings"]]
    except (KeyError, TypeError) as exc:
        raise RemoteError(f"the server's answer lacks SPARQL results fields ({exc})") from exc


def push_curation(server: Server, cur: Any, graph: str = DEFAULT_GRAPH, *,
                  replace: bool = True, cache: bool = True) -> tuple[int, int]:
    """Push a curation's graph as Turtle (:func:`push`); return the HTTP status and triples.

    The Turtle is the ``turtle`` export of :mod:`kg.io.formats` (from the cache when the
    folder is unchanged).
    """
    from kg.io.formats import file_format

    turtle, size = file_format("turtle").write(cur, cache and bool(cur.cache_key))
    return push(server, turtle, graph, replace=replace), size
