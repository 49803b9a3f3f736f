"""A real Virtuoso on loopback: push the graph over the Graph Store Protocol, query it over
the SPARQL protocol, and get the same answers as rdflib."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.data.model import Curation
from kg.graph.rdf import build_rdf
from kg.io.formats import serialize
from kg.io.remote import RemoteError, Server, push, query
from kg.query.sparql import example_queries, run_query

from .conftest import TRIPLES

pytestmark = [pytest.mark.virtuoso, pytest.mark.slow]

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
VSP = "/var/lib/virtuoso-opensource-7/vsp"
GRAPH = "https://w3id.org/exokg/graph"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ini(folder: Path, sql: int, http: int) -> str:
    """Virtuoso's configuration: its own database in ``folder``, its ports on loopback."""
    return f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {VSP}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """Start Virtuoso with its own database on loopback; yield (GSP, query) servers."""
    if not os.path.exists(VIRTUOSO):
        if os.environ.get("CI"):
            pytest.fail("virtuoso-t not found; 'make test' installs virtuoso-opensource")
        pytest.skip("Virtuoso is not installed (make test installs it)")
    # Virtuoso binds its ports itself: a port found free may be taken by another process
    # before Virtuoso starts, and then it exits at once; it is started again on other ports
    for _ in range(3):
        folder = tmp_path_factory.mktemp("virtuoso")
        sql, http = free_port(), free_port()
        (folder / "virtuoso.ini").write_text(_ini(folder, sql, http), encoding="utf-8")
        proc = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", "virtuoso.ini"],
                                cwd=folder, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{http}"
        deadline = time.monotonic() + 90
        while proc.poll() is None:
            try:
                urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    proc.kill()
                    log = (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
                    pytest.fail(f"Virtuoso did not answer within 90 s:\n{log}")
                time.sleep(0.5)
        if proc.poll() is None:
            break
    else:
        log = (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
        pytest.fail(f"Virtuoso did not start (3 tries):\n{log}")
    try:
        yield (Server(f"{base}/sparql-graph-crud-auth", "dba", "dba", 120),
               Server(f"{base}/sparql", timeout=120))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def count(q: Server) -> int:
    return int(query(q, COUNT)[0]["n"])


def test_push_query_and_agree_with_rdflib(virtuoso: tuple[Server, Server],
                                          cur: Curation) -> None:
    gsp, q = virtuoso
    g = build_rdf(cur)
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "push", "--endpoint",
                                      gsp.endpoint, "--user", "dba", "--password", "dba"])
    assert result.exit_code == 0, result.output
    assert f"replaced <{GRAPH}> at {gsp.endpoint} with {len(g)} triples" in result.output
    assert count(q) == len(g)
    for name, (path, _) in sorted(example_queries().items()):
        text = path.read_text(encoding="utf-8")
        ours = Counter(tuple(r.values()) for r in run_query(g, text))
        theirs = Counter(tuple(r.values()) for r in query(q, text))
        assert ours, name
        assert ours == theirs, name


def test_push_again_is_idempotent_and_merge_adds_nothing_new(
        virtuoso: tuple[Server, Server], cur: Curation) -> None:
    gsp, q = virtuoso
    data = serialize(build_rdf(cur), "turtle")
    push(gsp, data, GRAPH)
    first = count(q)
    push(gsp, data, GRAPH)
    assert count(q) == first
    push(gsp, data, GRAPH, replace=False)
    assert count(q) == first


def test_failed_push_leaves_the_graph_as_it_was(virtuoso: tuple[Server, Server],
                                               cur: Curation) -> None:
    gsp, q = virtuoso
    data = serialize(build_rdf(cur), "turtle")
    push(gsp, data, GRAPH)
    before = count(q)
    broken = data[: len(data) // 2]  # cut in the middle of a statement
    with pytest.raises(RemoteError, match="HTTP 500"):
        push(gsp, broken, GRAPH)
    assert count(q) == before
    leftovers = query(q, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                         "FILTER(CONTAINS(STR(?g), 'staging')) }")
    assert leftovers == []


def test_wrong_password_is_a_clear_error(virtuoso: tuple[Server, Server]) -> None:
    gsp, _ = virtuoso
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "push", "--endpoint",
                                      gsp.endpoint, "--user", "dba", "--password", "nope"])
    assert result.exit_code == 1
    assert "the server refused the credentials (HTTP 401)" in result.output
    assert "Traceback" not in result.output


def test_sparql_against_the_endpoint(virtuoso: tuple[Server, Server], cur: Curation) -> None:
    gsp, q = virtuoso
    push(gsp, serialize(build_rdf(cur), "turtle"), GRAPH)
    result = CliRunner().invoke(cli, ["sparql", "--endpoint", q.endpoint, "claims-for-entity",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Zhang 2021" in result.output


def test_unreachable_and_silent_servers(tmp_path: Path) -> None:
    port = free_port()
    with pytest.raises(RemoteError, match="cannot reach the server"):
        query(Server(f"http://127.0.0.1:{port}/sparql", timeout=5), "ASK {}")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    held: list[socket.socket] = []
    thread = threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True)
    thread.start()
    silent = Server(f"http://127.0.0.1:{listener.getsockname()[1]}/sparql", timeout=1)
    try:
        with pytest.raises(RemoteError, match="no answer within 1 s"):
            query(silent, "ASK {}")
    finally:
        for conn in held:
            conn.close()
        listener.close()
