"""A SPARQL 1.1 server as the back end: push the graph (Graph Store HTTP Protocol), query it.

Standard library only (``urllib``): HTTP Basic and Digest authentication, a timeout, and
errors turned into one-line messages. A push first writes the graph into a staging graph,
and only when the server has accepted all of it does it replace (PUT) or extend (POST) the
target graph; then the staging graph is dropped. A body the server rejects therefore never
touches the target (the protocol has no transactions, so a connection lost during the final
request can still leave it partly written — the error says so).
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from kg.errors import KGError

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

    def opener(self) -> urllib.request.OpenerDirector:
        """An opener that answers Basic and Digest challenges with the credentials."""
        handlers: list[urllib.request.BaseHandler] = []
        if self.user is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, self.endpoint, self.user, self.password or "")
            handlers += [urllib.request.HTTPDigestAuthHandler(manager),
                         urllib.request.HTTPBasicAuthHandler(manager)]
        return urllib.request.build_opener(*handlers)


def _url(endpoint: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RemoteError(f"not an http(s) URL: '{endpoint}'")
    query = urllib.parse.parse_qsl(parts.query) + list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _request(server: Server, method: str, url: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with server.opener().open(req, timeout=server.timeout) as resp:
            return int(resp.status), bytes(resp.read())
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace")
        if exc.code in (401, 403):
            raise RemoteError(f"{method} {url}: the server refused the credentials "
                              f"(HTTP {exc.code}); check --user/--password "
                              "(or EXOKG_SPARQL_USER / EXOKG_SPARQL_PASSWORD)") from exc
        if exc.code == 404 and method == "DELETE":
            return 404, b""
        text = " ".join(detail.split())
        raise RemoteError(f"{method} {url}: HTTP {exc.code} {exc.reason}: {text}") from exc
    except TimeoutError as exc:
        raise RemoteError(f"{method} {url}: no answer within {server.timeout:g} s") from exc
    except urllib.error.URLError as exc:
        raise RemoteError(f"{method} {url}: cannot reach the server ({exc.reason})") from exc
    except OSError as exc:
        raise RemoteError(f"{method} {url}: connection failed ({exc})") from exc


def push(server: Server, turtle: bytes, graph: str = DEFAULT_GRAPH, *,
         replace: bool = True) -> int:
    """Load Turtle into ``graph`` on a Graph Store Protocol endpoint; return the HTTP status.

    ``replace`` (PUT) makes the graph hold exactly this data; otherwise (POST) the triples
    are added to it. The data goes to a staging graph first (see the module docstring).
    """
    staging = f"{graph}-staging-{secrets.token_hex(6)}"
    headers = {"Content-Type": TURTLE}
    try:
        _request(server, "PUT", _url(server.endpoint, graph=staging), turtle, headers)
        try:
            status, _ = _request(server, "PUT" if replace else "POST",
                                 _url(server.endpoint, graph=graph), turtle, headers)
        except RemoteError as exc:
            raise RemoteError(f"{exc} (the data itself was accepted into a staging graph; "
                              "the target may be partly written if the connection was lost)"
                              ) from exc
    finally:
        try:
            _request(server, "DELETE", _url(server.endpoint, graph=staging))
        except RemoteError:
            pass  # the staging graph is disposable; the push result is what matters
    return status


def query(server: Server, text: str) -> list[dict[str, Any]]:
    """Run a SELECT or ASK query over the SPARQL protocol; rows of plain strings."""
    status, body = _request(
        server, "POST", server.endpoint,
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
        return [{n: b[n]["value"] if n in b else "" for n in names}
                for b in data["results"]["bindings"]]
    except (KeyError, TypeError) as exc:
        raise RemoteError(f"the server's answer lacks SPARQL results fields ({exc})") from exc
