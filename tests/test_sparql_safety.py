"""A SPARQL query never reaches the network, and the endpoint stays up for the pages.

The SERVICE refusal is decided by a SPARQL parser, and under it the thread or process that
runs a query has no socket but Unix ones (:mod:`kg.query.offline`). Both layers are tested
here against a loopback listener that counts connections: it must count none, for a fuzz of
spellings, through ``run_query`` (the CLI and the API), the ``/sparql`` endpoint and the
``/query`` page, and with the parser check switched off (the backstop alone).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import cli
from kg.query import offline
from kg.query.sparql import (
    MAX_QUERY_BYTES,
    ServiceRefusedError,
    SparqlError,
    check_query,
    run_query,
)

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from kg.web.app import Explorer, HostGuard, _host

needs_seccomp = pytest.mark.skipif(not offline.supported(), reason="seccomp: Linux only")


class Listener:
    """A TCP listener on loopback that counts every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = int(self.sock.getsockname()[1])
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def small_store() -> Any:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"),
                      ox.NamedNode("https://schema.org/service"), ox.Literal("SERVICE")))
    return store


def spellings(port: int) -> list[str]:
    """Ways to write a SERVICE call, including those a regex-based check let through."""
    iri = f"<http://127.0.0.1:{port}/sparql>"
    return [
        f"SELECT * WHERE {{ SERVICE {iri} {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p 1SERVICE {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p true SERVICE {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p trueSERVICE {iri} {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://e/>\nSELECT * WHERE {{ ?s ex:a\\# ?o . SERVICE {iri} "
        "{ ?s ?p ?o } }",
        f"PREFIX r: <http://127.0.0.1:{port}/>\nSELECT * WHERE {{ SERVICE r:sparql "
        "{ ?s ?p ?o } }",
        f"SELECT * WHERE {{ VALUES ?e {{ {iri} }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SER\\u0056ICE {iri} {{ ?s ?p ?o }} }}",
        f"ASK {{ OPTIONAL {{ SERVICE {iri} {{ ?s ?p ?o }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT * {{ SERVICE {iri} {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ #x\nSERVICE#\n{iri}{{?s ?p ?o}} }}",
    ]


def test_every_spelling_is_refused_and_nothing_connects(listener: Listener,
                                                         small_store: Any) -> None:
    for text in spellings(listener.port):
        with pytest.raises(SparqlError):
            run_query(small_store, text, timeout=30)
    assert listener.connections == 0


@given(before=st.sampled_from(["", "1", "true", "false", "2.5e3", "?v", "<x>", '"s"',
                               "ex:a\\#", "#c\n", "\n", "\t"]),
       keyword=st.sampled_from(["SERVICE", "service", "Service", "sErViCe", "SERVICE SILENT"]),
       after=st.sampled_from([" ", "\n", "#c\n", "\t", ""]))
@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzz_of_spellings_never_connects(listener: Listener, small_store: Any, before: str,
                                          keyword: str, after: str) -> None:
    text = (f"PREFIX ex: <http://e/>\nSELECT * WHERE {{ ?s ?p ?o . {before}{keyword}{after}"
            f"<http://127.0.0.1:{listener.port}/x> {{ ?a ?b ?c }} }}")
    with pytest.raises(SparqlError):
        run_query(small_store, text, timeout=30)
    assert listener.connections == 0


@needs_seccomp
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_the_backstop_alone_stops_a_service_call(listener: Listener, small_store: Any,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 engine: str) -> None:
    """With the parser check switched off, the query's thread still cannot connect."""
    import kg.query.sparql as sparql

    monkeypatch.setattr(sparql, "check_query", lambda text: None)
    source: Any = small_store
    if engine == "rdflib":
        from rdflib import Graph

        source = Graph()
    text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    with pytest.raises(SparqlError):
        run_query(source, text, timeout=30)
    assert listener.connections == 0
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5):
        pass  # the rest of the process keeps its network
    deadline = time.monotonic() + 10
    while listener.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert listener.connections == 1


@needs_seccomp
def test_a_cut_off_thread_keeps_unix_sockets() -> None:
    outcome: dict[str, Any] = {}

    def work() -> None:
        outcome["cut"] = offline.cut_off()
        a, b = socket.socketpair()
        a.sendall(b"ok")
        outcome["pair"] = b.recv(2)
        try:
            socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        except OSError as exc:
            outcome["inet6"] = exc.errno

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    import errno

    assert outcome == {"cut": True, "pair": b"ok", "inet6": errno.EACCES}


@pytest.mark.parametrize("text", [
    "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
    "PREFIX schema: <https://schema.org/>\nSELECT ?s WHERE { ?s schema:service ?o }",
    "PREFIX add: <http://example.org/add#>\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
    'SELECT ?s WHERE { ?s ?p "SERVICE <http://x/> {}" }',
    "SELECT ?s WHERE { ?s ?p ?o } # SERVICE <http://x/> { }",
    "SELECT ?s WHERE { ?s ?p ?o . FILTER(?o != <http://e/SERVICE>) }",
])
def test_queries_that_merely_contain_the_letters_run(small_store: Any, text: str) -> None:
    run_query(small_store, text, timeout=30)


def test_syntax_errors_name_the_users_own_line() -> None:
    with pytest.raises(SparqlError, match="at line 3, column 3"):  # the triple lacks its object
        check_query("SELECT *\nWHERE {\n  ?s ?p\n}")


def test_too_long_and_too_deep_queries_are_clear_errors() -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_QUERY_BYTES
    with pytest.raises(SparqlError, match="bytes long"):
        check_query(big)
    deep = "SELECT * WHERE { FILTER(" + "(" * 50_000 + "1" + ")" * 50_000 + ") }"
    with pytest.raises(SparqlError, match="nested too deeply"):
        check_query(deep)


def test_cli_sparql_refuses_service(listener: Listener) -> None:
    query = f"SELECT * WHERE {{ 1SERVICE <http://127.0.0.1:{listener.port}/s> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(cli, ["sparql", query])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert listener.connections == 0


# ------------------------------------------------------------------ the endpoint
@pytest.fixture(scope="module")
def explorer(small_store: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Explorer]:
    import shutil

    from kg.data.curation import load

    from .conftest import MINI, TRIPLES

    mini = tmp_path_factory.mktemp("explorer") / "mini"
    shutil.copytree(MINI, mini)
    shutil.copytree(TRIPLES / "schema", mini / "schema")
    found = Explorer(load(mini), small_store, timeout=20, workers=1, queue=1)
    yield found
    found.close()


def test_endpoint_and_query_page_never_connect(explorer: Explorer, listener: Listener) -> None:
    with TestClient(explorer.app()) as client:
        for text in spellings(listener.port):
            got = client.get("/sparql", params={"query": text})
            assert got.status_code == 400, (text, got.text)
            page = client.get("/query", params={"query": text})
            assert page.status_code == 400
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"]
    assert listener.connections == 0


def test_size_limit_and_deep_nesting_over_http(explorer: Explorer) -> None:
    with TestClient(explorer.app()) as client:
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_QUERY_BYTES
        assert client.post("/sparql", content=big.encode(), headers={
            "Content-Type": "application/sparql-query"}).status_code == 413
        assert client.post("/sparql", content=b"x" * (10 * 2**20), headers={
            "Content-Type": "application/sparql-query"}).status_code == 413
        deep = "SELECT * WHERE { FILTER(" + "(" * 50_000 + "1" + ")" * 50_000 + ") }"
        got = client.post("/sparql", content=deep.encode(), headers={
            "Content-Type": "application/sparql-query"})
        assert got.status_code == 400 and "nested too deeply" in got.text
        assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


@pytest.mark.parametrize(("method", "url", "body", "ctype"), [
    ("GET", "/sparql?query=%ff%fe", None, None),
    ("POST", "/sparql", b"query=%ff", "application/x-www-form-urlencoded"),
    ("POST", "/sparql", b"\xff\xfeA\x00S\x00K\x00", "application/sparql-query"),
    ("POST", "/sparql", b"ASK {}", "application/sparql-query; charset=latin-1"),
    ("POST", "/sparql", b"ASK {}", "text/plain"),
    ("POST", "/sparql", b"ASK {}", None),
    ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, None),
    ("GET", "/sparql?query=", None, None),
])
def test_malformed_requests_are_4xx_never_a_crash(explorer: Explorer, method: str, url: str,
                                                  body: bytes | None, ctype: str | None
                                                  ) -> None:
    headers = {"Content-Type": ctype} if ctype else {}
    with TestClient(explorer.app(), raise_server_exceptions=False) as client:
        got = client.request(method, url, content=body, headers=headers)
        assert 400 <= got.status_code < 500, (got.status_code, got.text)
        assert "Traceback" not in got.text


def test_headers_of_pages_and_answers(explorer: Explorer) -> None:
    with TestClient(explorer.app()) as client:
        page = client.get("/")
        assert page.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        data = client.get("/index.json")
        assert data.headers["x-content-type-options"] == "nosniff"
        answer = client.get("/sparql", params={"query": "ASK {}"})
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "X-Exokg-Truncated" in answer.headers["access-control-expose-headers"]


@pytest.mark.parametrize(("host", "ok"), [
    ("127.0.0.1:8000", True), ("localhost", True), ("[::1]:8000", True), ("[::1]", True),
    ("evil.example", False), ("127.0.0.1.evil.example:8000", False), ("", False),
    ("kg.lab.example:80", True),
])
def test_the_host_guard_reads_every_form_of_host(small_store: Any, host: str, ok: bool) -> None:
    from kg.cli.serve import allowed_hosts

    allowed = allowed_hosts("::1", ("kg.lab.example",))
    seen: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(True)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    client = TestClient(HostGuard(app, allowed), base_url="http://placeholder")
    got = client.get("/", headers={"Host": host})
    assert (got.status_code == 204) == ok
    assert bool(seen) == ok


def test_host_parsing() -> None:
    assert _host("[::1]:8000") == "::1" and _host("EXAMPLE.org.:80") == "example.org"


def test_wildcard_host_warns_and_keeps_a_guard(monkeypatch: pytest.MonkeyPatch,
                                               mini: Any) -> None:
    import uvicorn

    import kg.cli.serve as serve

    seen: dict[str, Any] = {}

    def fake_run(self: Any, sockets: Any = None) -> None:
        seen["app"] = self.config.app

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    monkeypatch.setattr(serve, "_check_port", lambda host, port: None)
    result = CliRunner().invoke(cli, ["--data", str(mini), "serve", "--host", "0.0.0.0",
                                      "--allow-host", "kg.lab.example"])
    assert result.exit_code == 0, result.output
    assert "Warning: --host 0.0.0.0" in result.output and "kg.lab.example" in result.output
    client = TestClient(seen["app"])
    assert client.get("/index.json", headers={"Host": "kg.lab.example"}).status_code == 200
    assert client.get("/index.json", headers={"Host": "evil.example"}).status_code == 400
    seen["app"].state.explorer.close()


def test_service_refusal_is_typed() -> None:
    with pytest.raises(ServiceRefusedError):
        check_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")


# ------------------------------------------------------------------ load
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.slow
def test_a_full_sparql_queue_gets_503_and_pages_stay_fast() -> None:
    """One worker, two queued: further queries get 503 at once; pages never wait."""
    import urllib.error
    import urllib.parse
    import urllib.request

    import uvicorn

    from kg.data.curation import load
    from kg.graph.rdf import build_store

    from .conftest import TRIPLES

    cur = load(TRIPLES)
    explorer = Explorer(cur, build_store(cur), timeout=20, workers=1, queue=2)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    srv = uvicorn.Server(uvicorn.Config(explorer.app(), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()

    def get(path: str) -> tuple[int, dict[str, str], float]:
        began = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=120) as resp:
                resp.read()
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, \
                    time.monotonic() - began
        except urllib.error.HTTPError as exc:
            return exc.code, {k.lower(): v for k, v in exc.headers.items()}, \
                time.monotonic() - began

    try:
        deadline = time.monotonic() + 120
        while not srv.started:
            assert thread.is_alive() and time.monotonic() < deadline
            time.sleep(0.05)
        assert get("/sparql?query=ASK%7B%7D")[0] == 200  # the worker is up
        baseline = max(get(f"/rank.json?limit={n}")[2] for n in (1, 2))
        flood = [threading.Thread(target=get, args=(
            "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}),), daemon=True)
            for _ in range(3)]
        for t in flood:
            t.start()
        while explorer._sparql_admitted < 3:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        status, headers, took = get("/sparql?query=ASK%7B%7D")
        assert status == 503 and headers.get("retry-after") and took < 10
        for n in range(3, 8):  # pages not seen before (not served from the page cache)
            status, _, took = get(f"/rank.json?limit={n}")
            assert status == 200 and took < max(5.0, 5 * baseline), (took, baseline)
        assert explorer._sparql_admitted == 3  # the flood is still queued or running
    finally:
        explorer.close()  # the flood's workers are killed: its requests end at once
        srv.should_exit = True
        thread.join(60)
        sock.close()


def test_rankings_at_the_same_time_give_the_serial_answer() -> None:
    from kg.data.curation import load
    from kg.query.rank import rank

    from .conftest import TRIPLES

    cur = load(TRIPLES)
    serial = [rank(cur, permutations=30, seed=s).rows for s in (1, 2)]
    results: dict[int, Any] = {}

    def run(seed: int) -> None:
        results[seed] = rank(cur, permutations=30, seed=seed).rows

    for _ in range(3):
        threads = [threading.Thread(target=run, args=(s,)) for s in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [results[1], results[2]] == serial


@given(body=st.binary(max_size=300),
       ctype=st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded",
                              "application/sparql-update", "text/plain", "",
                              "application/sparql-query; charset=utf-16"]),
       query=st.text(max_size=80), accept=st.sampled_from(["", "*/*", "text/csv;q=x",
                                                            "text/html", "image/*", ";;,"]))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzz_of_requests_never_crashes(explorer: Explorer, body: bytes, ctype: str,
                                        query: str, accept: str) -> None:
    with TestClient(explorer.app(), raise_server_exceptions=False) as client:
        got = client.post("/sparql", params={"query": query} if query else None,
                          content=body, headers={"Content-Type": ctype, "Accept": accept})
        assert got.status_code < 500 or got.status_code == 503, (got.status_code, got.text)
        got = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert got.status_code < 500 or got.status_code == 503, (got.status_code, got.text)


# --- the queries run without a parse first (kg.query.sparql.plainly_local) -------------------

_PIECES = ["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", "<http://e/x>", "ex:a", ".",
           "SERVICE", "service", "sErViCe", "SER", "VICE", "\\u0053", "\\U00000056", "\\u",
           "ſervice", "SERVİCE", "#", "\n", " ", '"', "'", '"""', "FILTER(", ")", "!", "^",
           "SILENT", "OPTIONAL", "VALUES ?e { <http://e/y> }", "x", "1", "true"]


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
@settings(max_examples=400, deadline=None)
def test_a_text_run_unparsed_never_holds_a_service(pieces: list[str]) -> None:
    """Whatever the parser reads in a plain text, it is never a SERVICE pattern."""
    from kg.query.sparql import plainly_local

    body = "".join(pieces)
    for text in (body, f"PREFIX ex: <http://e/>\nSELECT * WHERE {{ ?s ?p ?o . {body} }}"):
        if not plainly_local(text):
            continue
        assert "SERVICE" not in text.upper()
        try:
            check_query(text)
        except ServiceRefusedError:  # pragma: no cover - the property under test
            pytest.fail(f"a plain text holds a SERVICE: {text!r}")
        except SparqlError:
            pass  # not a query at all: Oxigraph refuses it too, then the parser says why


def test_every_service_spelling_is_parsed_first(listener: Listener) -> None:
    from kg.query.sparql import plainly_local

    assert not any(plainly_local(text) for text in spellings(listener.port))


def test_a_plain_text_gets_the_parsers_messages(small_store: Any) -> None:
    """Unparsed first, a text Oxigraph cannot read still gets the parser's own message."""
    from kg.query.sparql import UpdateRefusedError

    with pytest.raises(UpdateRefusedError, match=r"read-only: SPARQL Update \(DELETE\)"):
        run_query(small_store, "DELETE WHERE { ?s ?p ?o }", timeout=30)
    with pytest.raises(SparqlError, match="at line 3, column 3"):
        run_query(small_store, "SELECT *\nWHERE {\n  ?s ?p\n}", timeout=30)
    with pytest.raises(SparqlError, match="empty"):
        run_query(small_store, "  \n", timeout=30)
    with pytest.raises(SparqlError, match="bytes long"):
        run_query(small_store, "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_QUERY_BYTES)


@pytest.mark.parametrize("opening", ["(", "{", "!", "[ ex:p "])
def test_oxigraph_reads_twice_the_nesting_a_plain_text_may_have(opening: str) -> None:
    """A plain text has at most PLAIN_OPENINGS openings; Oxigraph reads twice that depth.

    In a child process, in a query's thread as run_query runs it: a crash (Oxigraph's
    parser recurses; 10,000 levels of brackets crash it) would end that process, not this
    one; a parse slower than the time limit (nested blank nodes take cubic time) is refused.
    """
    import subprocess
    import sys

    from kg.query.sparql import PLAIN_OPENINGS

    depth = 2 * PLAIN_OPENINGS
    closing = {"(": ")", "{": "}", "!": "", "[ ex:p ": "]"}[opening]
    core = {"(": "FILTER(" + "(" * depth + "1" + ")" * depth + ")",
            "{": "{" * depth + "?s ?p ?o" + "}" * depth,
            "!": "FILTER(" + "!" * depth + "true)",
            "[ ex:p ": "?s ex:p " + opening * depth + "1" + closing * depth}[opening]
    text = f"PREFIX ex: <http://e/>\nSELECT * WHERE {{ {core} }}"
    program = (  # the engine alone, in a query's thread (the parser would refuse it first)
        "import sys, pyoxigraph as ox\n"
        "from kg.query.sparql import SparqlError, query_store, run_with_deadline\n"
        "text = sys.stdin.read()\n"
        "try:\n"
        "    run_with_deadline(lambda: list(query_store(ox.Store(), text)), 20)\n"
        "except SparqlError as exc:\n"
        "    print('refused:', exc)\n"
        "print('survived')\n")
    done = subprocess.run([sys.executable, "-c", program], input=text, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and "survived" in done.stdout, done.stderr[-2000:]
    assert "refused" not in done.stdout, done.stdout
