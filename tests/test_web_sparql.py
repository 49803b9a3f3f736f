"""A runaway SPARQL query in ``exokg serve`` is stopped (its worker process killed) while
every other request is answered; no worker outlives the server.

Written to hold on a busy 2-core machine: every wait is a poll with a generous deadline,
never a sleep that assumes speed; time limits are asserted with wide margins.
"""

from __future__ import annotations

import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kg.data.curation import load
from kg.graph.rdf import build_store
from kg.query.sparql import SparqlError
from kg.web.worker import WorkerPool

from .conftest import TRIPLES

pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")

from kg.web.app import Explorer  # noqa: E402

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc (Linux)")

#: Three-way cross product of all ~28,000 triples: would run for days.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
NORMAL = "SELECT ?s WHERE { ?s a exo:Claim } ORDER BY ?s LIMIT 5"
LIMIT = 2.0  # seconds a query may run in these tests
MARGIN = 10.0  # for a loaded CI machine: the answer comes within LIMIT + MARGIN
PATIENCE = 120.0  # upper bound of every poll (never reached when things work)


# ---------------------------------------------------------------- helpers
def running(pid: int) -> bool:
    """The process exists and is not a zombie (a zombie holds no CPU or memory)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def cpu_seconds(pid: int) -> float:
    """CPU time used by a process so far (user + system)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def quiet(pids: list[int]) -> Callable[[], bool]:
    """A check for :func:`wait_until`: true once every process is asleep (waiting, state S)
    and has used no CPU since the check before. A process that keeps computing (loading the
    graph, or running a query) never passes it."""
    last: dict[int, float] = {}

    def check() -> bool:
        used = {pid: cpu_seconds(pid) for pid in pids}
        asleep = all(_state(pid) == "S" for pid in pids)
        still = used == last
        last.clear()
        last.update(used)
        return asleep and still

    return check


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().rsplit(")", 1)[1].split()[0]


def cpu_since(pid: int, start: dict[int, float]) -> float:
    """CPU seconds used since ``start[pid]``; infinite once the process is gone (killed)."""
    try:
        return cpu_seconds(pid) - start[pid]
    except OSError:
        return math.inf


def children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and running(int(entry)):
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                found.append(int(entry))
    return found


def wait_until(check: Callable[[], bool], what: str, patience: float = PATIENCE) -> None:
    deadline = time.monotonic() + patience
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)


def fetch(url: str, timeout: float = PATIENCE) -> tuple[int, str]:
    """Status and body of a GET (an HTTP error status is returned, not raised)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def sparql_url(base: str, query: str) -> str:
    return f"{base}/sparql?" + urllib.parse.urlencode({"query": query, "format": "json"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def busy_worker(pool: WorkerPool, baseline: dict[int, float]) -> int | None:
    """The worker that has used 0.2 s of CPU since ``baseline`` (its query is running)."""
    for pid in pool.pids():
        if pid in baseline and math.isfinite(used := cpu_since(pid, baseline)) and used >= 0.2:
            return pid
    return None


# ---------------------------------------------------------------- a real server
@pytest.fixture(scope="module")
def world() -> tuple[Any, Any]:
    cur = load(TRIPLES)
    return cur, build_store(cur)


@pytest.fixture(scope="module")
def served(world: tuple[Any, Any]) -> Iterator[tuple[str, Explorer]]:
    """A uvicorn server on loopback, two query workers, a LIMIT-second time limit."""
    explorer = Explorer(*world, timeout=LIMIT, workers=2)
    sock = socket.socket()  # bound before the server starts: no other process can take it
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    srv = uvicorn.Server(uvicorn.Config(explorer.app(), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_until(lambda: srv.started or not thread.is_alive(), "the server to start")
    assert srv.started
    base = f"http://127.0.0.1:{port}"
    assert fetch(sparql_url(base, "ASK { ?s ?p ?o }"))[0] == 200  # workers are up
    yield base, explorer
    srv.should_exit = True
    thread.join(timeout=PATIENCE)
    sock.close()
    pids = explorer.runner.pool.pids()
    explorer.close()
    assert not [pid for pid in pids if running(pid)]


def settled(explorer: Explorer) -> list[int]:
    """The pool's workers once all are up again (after a kill, a new one starts)."""
    pool = explorer.runner.pool
    wait_until(lambda: len(pool.pids()) == pool.size and not pool.starting(),
               "every worker to be up")
    return pool.pids()


def test_runaway_query_is_killed_while_other_requests_are_answered(
        served: tuple[str, Explorer]) -> None:
    base, explorer = served
    pool = explorer.runner.pool
    before = settled(explorer)
    killed_before = pool.killed
    baseline = {pid: cpu_seconds(pid) for pid in before}
    box: dict[str, Any] = {}

    def runaway() -> None:
        started = time.monotonic()
        box["answer"] = fetch(sparql_url(base, RUNAWAY))
        box["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    wait_until(lambda: busy_worker(pool, baseline) is not None or "answer" in box,
               "the runaway query to burn CPU in a worker")
    burning = busy_worker(pool, baseline)
    assert burning is not None, "the runaway query never ran"
    meanwhile = {"sparql": 0, "page": 0}
    while "answer" not in box:  # answered by the other worker, and pages by the server
        status, body = fetch(sparql_url(base, NORMAL))
        assert status == 200 and body.count('"type": "uri"') == 5, body
        meanwhile["sparql"] += "answer" not in box
        status, body = fetch(f"{base}/entity/BM-MSC.json")
        assert status == 200 and '"BM-MSC"' in body
        meanwhile["page"] += "answer" not in box
    thread.join()
    assert meanwhile["sparql"] >= 1, "no query was answered while the runaway query ran"
    status, body = box["answer"]
    assert status == 503 and f"stopped after {LIMIT:g} s" in body
    assert box["elapsed"] < LIMIT + MARGIN
    # its worker was killed: the process is gone and its core is free
    assert pool.killed == killed_before + 1
    assert burning not in pool.pids()
    wait_until(lambda: not running(burning), "the killed worker to be gone", 10)
    # the next query works at once (the other worker), and a new worker takes the place
    status, body = fetch(sparql_url(base, "ASK { ?s ?p ?o }"))
    assert status == 200 and '"boolean": true' in body
    after = settled(explorer)
    assert len(set(after) - set(before)) == 1
    # idle workers use no CPU (the runaway query is really gone): each one waits, asleep
    wait_until(quiet(after), "the workers to be idle")


def test_every_worker_runaway_still_serves_pages_and_then_queries(
        served: tuple[str, Explorer]) -> None:
    base, explorer = served
    pool = explorer.runner.pool
    before = settled(explorer)
    killed_before = pool.killed
    answers: list[tuple[int, str, float]] = []

    def ask(query: str) -> None:
        started = time.monotonic()
        status, body = fetch(sparql_url(base, query))
        answers.append((status, body, time.monotonic() - started))

    runaways = [threading.Thread(target=ask, args=(RUNAWAY,)) for _ in before]
    for thread in runaways:
        thread.start()
    start = {pid: cpu_seconds(pid) for pid in before}
    wait_until(lambda: all(cpu_since(p, start) >= 0.2 for p in before) or answers,
               "both runaway queries to run")
    # every worker is busy: pages are still served, and a query waits for a new worker
    status, _ = fetch(f"{base}/rank.json")
    assert status == 200
    waiting = threading.Thread(target=ask, args=("ASK { ?s ?p ?o }",))
    waiting.start()
    for thread in [*runaways, waiting]:
        thread.join()
    timeouts = [a for a in answers if a[0] == 503]
    assert len(timeouts) == 2 and all("stopped after" in a[1] for a in timeouts)
    assert all(a[2] < LIMIT + MARGIN for a in timeouts)
    normal = [a for a in answers if a[0] != 503]
    assert len(normal) == 1 and normal[0][0] == 200 and '"boolean": true' in normal[0][1]
    assert pool.killed == killed_before + 2
    after = settled(explorer)
    assert not set(after) & set(before)
    assert not [pid for pid in before if running(pid)]


def test_the_sparql_page_stops_a_runaway_query_too(served: tuple[str, Explorer]) -> None:
    base, explorer = served
    settled(explorer)
    # the runaway query would run for days: a 503 that says so is the limit at work
    status, body = fetch(f"{base}/query.json?" + urllib.parse.urlencode({"query": RUNAWAY}))
    assert status == 503 and "stopped after" in body
    status, body = fetch(f"{base}/query.json?example=hub-pathways")
    assert status == 200 and "id:NF-kB" in body


# ---------------------------------------------------------------- the pool itself
@pytest.fixture()
def pool(world: tuple[Any, Any]) -> Iterator[WorkerPool]:
    with WorkerPool(world[1], size=1) as p:
        yield p


def test_query_errors_come_back_and_the_worker_stays(pool: WorkerPool) -> None:
    assert pool.run("ASK { ?s ?p ?o }", timeout=PATIENCE, max_rows=1).boolean
    pids = pool.pids()
    with pytest.raises(SparqlError, match="syntax error"):
        pool.run("SELECT WHERE {", timeout=PATIENCE, max_rows=1)
    result = pool.run("SELECT * WHERE { ?s ?p ?o }", timeout=PATIENCE, max_rows=3)
    assert len(result.rows) == 3 and result.truncated
    assert pool.pids() == pids and pool.killed == 0


def test_a_worker_that_died_is_replaced(pool: WorkerPool) -> None:
    pool.run("ASK { ?s ?p ?o }", timeout=PATIENCE, max_rows=1)
    [pid] = pool.pids()
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not running(pid), "the worker to die")
    assert pool.run("ASK { ?s ?p ?o }", timeout=PATIENCE, max_rows=1).boolean
    assert pool.pids() and pid not in pool.pids()


def test_close_ends_every_worker_even_a_busy_one(pool: WorkerPool) -> None:
    pool.run("ASK { ?s ?p ?o }", timeout=PATIENCE, max_rows=1)
    [pid] = pool.pids()
    errors: list[Exception] = []

    def runaway() -> None:
        try:
            pool.run(RUNAWAY, timeout=PATIENCE, max_rows=1)
        except SparqlError as exc:
            errors.append(exc)

    thread = threading.Thread(target=runaway)
    thread.start()
    start = {pid: cpu_seconds(pid)}
    wait_until(lambda: cpu_since(pid, start) >= 0.2, "the query to run")
    pool.close()
    thread.join(PATIENCE)
    assert not thread.is_alive() and errors  # the waiting request got an answer
    assert not running(pid) and pool.pids() == []
    with pytest.raises(SparqlError, match="stopped"):
        pool.run("ASK { ?s ?p ?o }", timeout=PATIENCE, max_rows=1)


def test_a_query_past_the_memory_cap_fails_and_the_next_works(world: tuple[Any, Any]
                                                               ) -> None:
    hungry = "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y } ORDER BY ?a ?b"
    with WorkerPool(world[1], size=1, memory_mb=512) as pool:
        with pytest.raises(SparqlError, match=r"out of memory .* 512 MB"):
            pool.run(hungry, timeout=PATIENCE, max_rows=1)
        assert pool.killed == 0
        assert pool.run("ASK { ?s ?p ?o }", timeout=PATIENCE, max_rows=1).boolean


# ---------------------------------------------------------------- exokg serve, stopped
def start_serve() -> tuple[subprocess.Popen[str], int]:
    """``exokg serve`` on a free loopback port, once its two workers have loaded the graph.

    ``serve`` binds the port itself, so a port found free may be taken by another process
    first: a start that fails with "cannot listen" is retried on another port.
    """
    for _ in range(5):
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "--data", str(TRIPLES), "serve",
             "--port", str(port), "--timeout", str(LIMIT)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
            # as from a terminal: a test runner started in the background inherits an
            # ignored SIGINT, which exokg keeps ignoring (then Ctrl-C could not stop it)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

        def up(proc: subprocess.Popen[str] = proc, port: int = port) -> bool:
            if proc.poll() is not None:  # ended: looked at below
                return True
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                return False
            return len(children(proc.pid)) == 2

        wait_until(up, "exokg serve to listen, with its two query workers")
        if proc.poll() is None:
            break
        _, err = proc.communicate()
        assert "cannot listen on" in err or "address already in use" in err.lower(), err
    else:
        pytest.fail("no free loopback port in five tries")

    wait_until(quiet(children(proc.pid)), "the workers to load the graph and wait")
    return proc, port


@pytest.mark.parametrize(("how", "code"), [("SIGTERM", 143), ("Ctrl-C", 130),
                                            ("SIGKILL", -9)])
def test_serve_leaves_no_worker_behind(how: str, code: int) -> None:
    proc, port = start_serve()
    workers = children(proc.pid)

    def runaway() -> None:
        try:
            fetch(sparql_url(f"http://127.0.0.1:{port}", RUNAWAY))
        except OSError:  # SIGKILL: the server never answers
            pass

    thread = threading.Thread(target=runaway)
    start = {pid: cpu_seconds(pid) for pid in workers}
    thread.start()  # a worker is busy when the server is told to stop
    wait_until(lambda: any(cpu_since(p, start) >= 0.2 for p in workers),
               "the runaway query to run")
    if how == "Ctrl-C":  # a terminal sends SIGINT to the whole foreground group
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, getattr(signal, how))
    try:
        _, err = proc.communicate(timeout=PATIENCE)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    thread.join(PATIENCE)
    assert proc.returncode == code, err
    assert "Traceback" not in err
    # stopped by the server, or (SIGKILL: nobody to stop them) on their own
    wait_until(lambda: not [pid for pid in workers if running(pid)],
               "the workers to end", 10 if how != "SIGKILL" else 30)


def test_cli_sparql_timeout_exits_at_once() -> None:
    """``exokg sparql --timeout``: the query thread ends with the process, right away."""
    base = [sys.executable, "-m", "kg", "--data", str(TRIPLES), "sparql"]
    # the query would run for days: a process that waited for its thread would still be
    # running at the deadline (TimeoutExpired), one that exits does so with the message
    slow = subprocess.run([*base, "--timeout", "1", RUNAWAY], capture_output=True, text=True,
                          timeout=PATIENCE, check=False)
    assert slow.returncode == 1 and "stopped after 1 s" in slow.stderr
