"""What a new user runs into first: safe local SPARQL, writes that never surprise, typed
option values, a Python API that takes names, and a push that authenticates first."""

from __future__ import annotations

import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.errors import UnknownEntityError
from kg.io.remote import RemoteError, Server, push
from kg.query.paths import neighbors, paths, upstream
from kg.query.sparql import run_query

EXOKG = [sys.executable, "-m", "kg"]
# A cross product of every triple with every triple: far longer than any time-out below.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


# --- SPARQL on the local graph ---------------------------------------------------------------


@pytest.fixture()
def listener() -> Iterator[tuple[int, Callable[[], list[socket.socket]]]]:
    """A loopback port, and a function returning the connections made to it so far.

    The kernel completes a connection to a listening socket before anyone accepts it, so a
    connection made before the call is in the queue: no waiting for one to show up.
    """
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    accepted: list[socket.socket] = []

    def connections() -> list[socket.socket]:
        while True:
            try:
                accepted.append(server.accept()[0])
            except BlockingIOError:
                return accepted

    yield int(server.getsockname()[1]), connections
    server.close()
    for conn in accepted:
        conn.close()


def test_the_listener_sees_a_connection(
        listener: tuple[int, Callable[[], list[socket.socket]]]) -> None:
    port, connections = listener
    assert connections() == []
    with socket.create_connection(("127.0.0.1", port)):
        assert len(connections()) == 1


def test_service_is_refused_and_nothing_is_contacted(
        listener: tuple[int, Callable[[], list[socket.socket]]]) -> None:
    port, connections = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    code, out = invoke("sparql", query)
    assert code == 1
    assert "SERVICE is refused" in out
    assert "Traceback" not in out
    assert connections() == []


@pytest.mark.parametrize(("query", "keyword"), [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("DROP GRAPH <http://a>", "DROP"),
    ("CLEAR ALL", "CLEAR"),
    ("LOAD <http://example.org/x.ttl>", "LOAD"),
    ("PREFIX ex: <http://example.org/> WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
     "DELETE"),
])
def test_updates_are_refused_as_read_only(query: str, keyword: str) -> None:
    code, out = invoke("sparql", query)
    assert code == 1
    assert f"the graph is read-only: SPARQL Update ({keyword}) is refused" in out


def test_keywords_inside_strings_and_iris_are_not_refused(rdf: Any) -> None:
    graph = rdf
    rows = run_query(graph, 'SELECT ?s WHERE { ?s rdfs:label "service DELETE drop" } LIMIT 1')
    assert rows == []
    rows = run_query(graph, "ASK { <http://example.org/delete/service> ?p ?o }")
    assert rows == [{"ask": False}]


def test_prefixes_are_predeclared_and_results_compact() -> None:
    """The discovery query of docs/formats.md runs as written, with compact names."""
    code, out = invoke("sparql", "SELECT ?p ?label WHERE { ?p a owl:ObjectProperty ; "
                       "rdfs:label ?label } ORDER BY ?p")
    assert code == 0, out
    assert "exo:hasCargo" in out
    code, out = invoke("sparql", "SELECT ?d ?a WHERE { ?d a exo:Disease ; skos:altLabel ?a } "
                       "ORDER BY ?d LIMIT 1")
    assert code == 0, out
    assert out.splitlines()[2].startswith("id:")


def test_own_prefix_declaration_wins() -> None:
    code, out = invoke("sparql", "PREFIX id: <http://example.org/other/> "
                       "ASK { id:BM-MSC ?p ?o }", "--format", "json")
    assert code == 0, out
    assert '"ask": false' in out


@pytest.fixture(scope="module")
def warm_cache(session_cache: Path) -> Path:
    """The session's cache, holding the real graph's store: a new ``exokg`` starts from it.

    The processes below then spend their time on the query rather than on building the
    graph again, and a late Ctrl-C reaches a process that is surely running the query.
    """
    result = CliRunner().invoke(cli, ["sparql", "hub-pathways"],
                                env={"EXOKG_CACHE": str(session_cache)})
    assert result.exit_code == 0, result.output
    return session_cache


@pytest.mark.usefixtures("warm_cache")
def test_local_timeout_stops_a_runaway_query() -> None:
    # the query would run for days: only a stopped one ends before the deadline (else
    # TimeoutExpired), and it says so
    proc = subprocess.run([*EXOKG, "sparql", "--timeout", "1", RUNAWAY],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "stopped after 1 s (--timeout)" in proc.stderr
    assert "Traceback" not in proc.stderr


def _cpu_seconds(pid: int) -> float:
    """CPU time a process (all its threads) has used so far."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads CPU time from /proc")
@pytest.mark.parametrize("when", ["loading", "querying"])
def test_ctrl_c_stops_a_runaway_query(when: str, request: pytest.FixtureRequest) -> None:
    """Ctrl-C ends the command with one line and exit 130, whether the program is still
    loading the graph or running the query."""
    import resource

    # what a warm call spends before and after its query (start, imports, reading the
    # cache): CPU time, which does not depend on how busy the machine is
    request.getfixturevalue("warm_cache")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([*EXOKG, "sparql", "ASK { ?s ?p ?o }"], check=True, capture_output=True,
                   timeout=300)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    warm = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if when == "loading":  # an empty cache: past the warm call's work, the graph is being
        request.getfixturevalue("private_cache")  # built (that takes many times longer)
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    # as from a terminal: a test runner started in the background inherits an ignored SIGINT,
    # which Python (and so exokg) keeps ignoring
    proc = subprocess.Popen([*EXOKG, "sparql", "--timeout", "600", RUNAWAY], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # querying: a second of CPU past all the warm call needs can only be the query's
    busy = warm if when == "loading" else warm + 1.0
    deadline = time.monotonic() + 120  # an upper bound only, never reached when it works
    while _cpu_seconds(proc.pid) < busy:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"exokg used under {busy:.1f} s of CPU"
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:  # show where it hangs: faulthandler dumps every thread
        proc.send_signal(signal.SIGABRT)
        _, err = proc.communicate()
        pytest.fail(f"still running 120 s after Ctrl-C:\n{err[-4000:]}")
    assert proc.returncode == 130, err
    assert err.strip().endswith("interrupted")
    assert "Traceback" not in err


# --- one rule for every command that writes ----------------------------------------------


@pytest.mark.parametrize(("args", "name"), [
    (["export", "-f", "turtle"], "x.ttl"),
    (["export", "-f", "nt"], "x.nt"),
    (["export", "-f", "json-ld"], "x.jsonld"),
    (["export", "-f", "graphml"], "x.graphml"),
    (["export", "-f", "kgx"], "kgx"),
    (["view"], "x.html"),
])
def test_missing_folder_is_an_error_that_names_it(tmp_path: Path, args: list[str], name: str
                                                  ) -> None:
    target = tmp_path / "no" / "such" / name
    code, out = invoke(*args, "-o", str(target))
    assert code == 1
    assert f"the folder {target.parent} does not exist" in out
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(("fmt", "name"), [("turtle", "x.ttl"), ("nt", "x.nt"),
                                           ("json-ld", "x.jsonld"), ("graphml", "x.graphml")])
def test_other_files_are_not_overwritten_without_force(mini: Path, tmp_path: Path, fmt: str,
                                                       name: str) -> None:
    # on the small data: the rule is the same for any graph, and the real one takes seconds
    # to serialise in each format
    data = ["--data", str(mini)]
    target = tmp_path / name
    target.write_text("my own notes, not an export\n", encoding="utf-8")
    code, out = invoke(*data, "export", "-f", fmt, "-o", str(target))
    assert code == 1
    assert "use --force to overwrite it" in out
    assert target.read_text(encoding="utf-8") == "my own notes, not an export\n"
    code, out = invoke(*data, "export", "-f", fmt, "-o", str(target), "--force")
    assert code == 0, out
    written = target.read_bytes()
    assert written != b"my own notes, not an export\n"
    # an earlier export is replaced without --force
    code, out = invoke(*data, "export", "-f", fmt, "-o", str(target))
    assert code == 0, out
    assert target.read_bytes() == written


def test_view_and_tables_follow_the_same_rule(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("%PDF-1.4 not a page", encoding="utf-8")
    code, out = invoke("view", "miR-146a-5p", "--hops", "1", "-o", str(page))
    assert code == 1 and "use --force" in out
    folder = tmp_path / "kgx"
    code, out = invoke("export", "-f", "kgx", "-o", str(folder))
    assert code == 0, out
    (folder / "edges.tsv").write_text("something else\n", encoding="utf-8")
    code, out = invoke("export", "-f", "kgx", "-o", str(folder))
    assert code == 1 and "edges.tsv exists" in out
    assert (folder / "edges.tsv").read_text(encoding="utf-8") == "something else\n"


# --- option values ---------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "allowed"), [
    (["paths", "BMSC", "osteoarthritis", "--limit", "-1"], "x>=0"),
    (["paths", "BMSC", "osteoarthritis", "--max-paths", "0"], "x>=1"),
    (["paths", "BMSC", "osteoarthritis", "--timeout", "0"], "x>0"),
    (["paths", "BMSC", "osteoarthritis", "--timeout", "-1"], "x>0"),
    (["paths", "BMSC", "osteoarthritis", "--max-hops", "0"], "1<=x<=10"),
    (["rank", "--permutations", "-5"], "0<=x<=10000"),
    (["rank", "--limit", "-3"], "x>=0"),
    (["sparql", "hub-pathways", "--timeout", "0"], "x>0"),
    (["view", "-o", "x.html", "--hops", "0"], "1<=x<=10"),
])
def test_bad_option_values_are_usage_errors(args: list[str], allowed: str) -> None:
    code, out = invoke(*args)
    assert code == 2
    assert "Invalid value" in out and allowed in out


# --- the Python API takes names ----------------------------------------------------------


def test_api_functions_take_names_synonyms_or_ids(cur: kg.Curation) -> None:
    by_name = paths(cur, "BMSC", "OA", asserted_only=True)
    by_id = paths(cur, "BM-MSC", "osteoarthritis", asserted_only=True)
    assert by_name.found == by_id.found > 0
    assert [p.nodes for p in by_name.paths] == [p.nodes for p in by_id.paths]
    assert kg.card(cur, "hucMSC")["id"] == kg.card(cur, "UC-MSC")["id"] == "UC-MSC"
    assert neighbors(cur, "miR-146a") == neighbors(cur, kg.resolve(cur, "miR-146a"))
    assert upstream(cur, "OA") == upstream(cur, "osteoarthritis")


@pytest.mark.parametrize("call", [
    lambda cur: paths(cur, "BMSCx", "osteoarthritis"),
    lambda cur: paths(cur, "BMSC", "osteoarthritis", via=["no-such-thing"]),
    lambda cur: kg.card(cur, "no-such-thing"),
    lambda cur: neighbors(cur, "no-such-thing"),
    lambda cur: upstream(cur, "no-such-thing"),
])
def test_api_unknown_names_raise_typed_errors(cur: kg.Curation, call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownEntityError, match="unknown entity"):
        call(cur)


def test_api_ambiguous_names_raise_typed_errors(cur: kg.Curation) -> None:
    with pytest.raises(kg.AmbiguousNameError):
        paths(cur, "AD", "osteoarthritis")
    with pytest.raises(kg.AmbiguousNameError):
        kg.card(cur, "AD")


# --- a push authenticates before it sends the data ---------------------------------------


class _DigestOnlyServer(http.server.BaseHTTPRequestHandler):
    """Answers 401 at once (without reading a body) to any request without credentials,
    and closes, as Virtuoso does; records requests that sent a body without them."""

    protocol_version = "HTTP/1.1"
    password_ok = True
    body_before_auth: list[str] = []  # noqa: RUF012 - per-test reset by the fixture

    def _challenge(self) -> None:
        if self.headers.get("Content-Length", "0") != "0":
            self.body_before_auth.append(self.command)
        self.send_response(401)
        self.send_header("WWW-Authenticate",
                         'Digest realm="test", nonce="abc123", qop="auth", algorithm=MD5')
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _handle(self) -> None:
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Digest ") or not self.password_ok:
            self._challenge()
            return
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        self.send_response(201 if self.command in ("PUT", "POST") else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_PUT = do_POST = do_DELETE = _handle  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def digest_server() -> Iterator[tuple[str, type[_DigestOnlyServer]]]:
    handler = type("Handler", (_DigestOnlyServer,), {"body_before_auth": [],
                                                     "password_ok": True})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/gsp", handler
    server.shutdown()
    server.server_close()


def test_push_sends_no_body_before_authenticating(
        digest_server: tuple[str, type[_DigestOnlyServer]]) -> None:
    url, handler = digest_server
    body = b"<http://a> <http://b> <http://c> .\n" * 200_000  # 7 MB: a closed socket would show
    for _ in range(5):
        status = push(Server(url, "dba", "secret", timeout=30), body)
        assert status == 201
    assert handler.body_before_auth == []


def test_refused_password_is_always_http_401(
        digest_server: tuple[str, type[_DigestOnlyServer]]) -> None:
    url, handler = digest_server
    handler.password_ok = False
    body = b"<http://a> <http://b> <http://c> .\n" * 200_000
    for _ in range(5):
        with pytest.raises(RemoteError, match=r"refused the credentials \(HTTP 401\)"):
            push(Server(url, "dba", "wrong", timeout=30), body)
    assert handler.body_before_auth == []





def test_kg_edges_is_the_function_and_no_old_module_name_imports() -> None:
    """0.1.0 was never published: no old module names, and ``kg.edges`` stays the function."""
    code = ("import kg\n"
            "try:\n    import kg.edges\nexcept ModuleNotFoundError:\n    print('no module')\n"
            "cur = kg.load()\n"
            "print(len(kg.edges(cur)) > 0)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["no", "module", "True"]
    from inspect import signature

    from kg.view.html import iframe, render, write_view

    for fn in (render, write_view, iframe):  # the deterministic layout never took a seed
        assert "seed" not in signature(fn).parameters, fn.__name__


def test_one_home_for_query_error_entity_id_and_tables() -> None:
    """QueryError is a typed error of kg.errors; entity_id and the table renderer exist once."""
    import re
    from pathlib import Path

    import kg
    import kg.data.curation
    import kg.errors
    import kg.query.claims
    import kg.query.paths
    import kg.view.questions
    import kg.view.text

    assert kg.QueryError is kg.errors.QueryError is kg.query.paths.QueryError
    assert issubclass(kg.errors.QueryError, kg.errors.KGError)
    package = Path(kg.__file__).parent
    via_paths = [str(f.relative_to(package)) for f in package.rglob("*.py")
                 if re.search(r"from kg\.query\.paths import[^\n]*\bQueryError\b",
                              f.read_text(encoding="utf-8"))]
    assert via_paths == []
    assert kg.query.claims.entity_id is kg.data.curation.entity_id
    assert kg.view.questions.rows_out is kg.view.text.rows_out
