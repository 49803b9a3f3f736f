"""Query worker processes for ``/sparql``: a runaway query is killed, not waited for.

Oxigraph cannot be interrupted from Python once a step of evaluation has begun (a large
join, ``ORDER BY`` or ``COUNT``), and a thread cannot be killed; a query that ran past its
time limit in a thread kept a core busy until it ended on its own. So the endpoint runs
each query in a separate process that holds its own copy of the store: when a query passes
its time limit, the process is killed (``SIGKILL``; its core is free at once) and a fresh
one is started in the background, while the other workers keep answering.

A :class:`WorkerPool` keeps ``size`` workers. Each is a fresh interpreter
(``python -m kg.web.worker``: no lock or thread of the server is copied into it, and the
server's ``__main__`` is not re-run) that loads the store from an N-Quads dump made once
by the server (3.5 MB for the whole graph; a worker starts in about 0.7 s and holds about
40 MB) and talks to it over a socket pair. A worker runs in a session of its own, so a
terminal's Ctrl-C reaches only the server, which stops it; it ends when its pipe closes,
and on its own within a second if the server process dies without stopping it, so no
worker outlives the server.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple

from kg.query.offline import cut_off
from kg.query.sparql import (
    BASE_IRI,
    SparqlError,
    SparqlTimeoutError,
    check_query,
    query_store,
)

#: Seconds a new worker may take to load the store before it is given up.
START_TIMEOUT = 60.0
#: Address space a worker may use, in MB. A worker maps about 120 MB at rest (320 MB while
#: loading) for this graph, so a query may build some 800 MB of intermediate results before
#: it fails; a cross product under ``ORDER BY`` grows by about 200 MB a second.
MEMORY_MB = 1024
#: Seconds between two checks, in a worker, that the server process is still there.
PARENT_CHECK = 0.5


class RefusedError(SparqlError):
    """The server cannot take the query now: no query worker was free in time (HTTP 503)."""


@dataclass
class Result:
    """A query's answer: variables and rows of terms, a boolean, or triples."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    boolean: bool = False
    truncated: bool = False


class Job(NamedTuple):
    """A query for a worker: its text, the row limit, and the base IRI and dataset."""

    text: str
    max_rows: int
    base_iri: str = BASE_IRI
    default_graph: list[str] | None = None
    named_graphs: list[str] | None = None


def evaluate(store: Any, job: Job) -> Result:
    """Check (:func:`~kg.query.sparql.check_query`) and run a query; at most ``max_rows`` rows.

    Raises
    ------
    SparqlError
        Refused queries, syntax errors and evaluation failures.
    """
    import pyoxigraph as ox

    check_query(job.text)
    max_rows = job.max_rows
    answer = query_store(store, job.text, base_iri=job.base_iri,
                         default_graph=job.default_graph, named_graphs=job.named_graphs)
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        result = Result("select", variables=[v.value for v in answer.variables])
        columns = list(answer.variables)
        rows: Any = ([sol[v] for v in columns] for sol in answer)
    else:
        result = Result("graph")
        rows = ([t.subject, t.predicate, t.object] for t in answer)
    try:
        for row in rows:
            if len(result.rows) >= max_rows:
                result.truncated = True
                break
            result.rows.append(row)
    except (OSError, ValueError, RuntimeError) as exc:
        raise SparqlError(f"SPARQL query failed: {exc}") from exc
    return result


# ------------------------------------------------------------------ in the worker process
def _watch_parent(parent: int) -> None:
    """End this worker when the server process is gone (re-parented: it died unannounced)."""
    while True:
        time.sleep(PARENT_CHECK)
        if os.getppid() != parent:
            os._exit(1)


def worker_main(conn: Connection, parent: int, memory_mb: int = 0
                ) -> None:  # pragma: no cover (a subprocess)
    """The loop of a worker process: load the store, then answer queries until told to stop.

    ``memory_mb`` (when not 0) caps the process's address space: a query that needs more
    makes the worker fail (and be replaced) instead of taking the machine's memory.

    Messages from the server: the N-Quads dump (bytes) first, then a :class:`Job` per
    query, ``None`` to stop. The worker has no network (:func:`kg.query.offline.cut_off`):
    a ``SERVICE`` that got past :func:`~kg.query.sparql.check_query` fails here. Answers:
    ``("ready", triples)``, then per query ``("started", None)`` at once and
    ``("ok", Result)`` or ``("error", message)``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers
    cut_off()  # no socket but the server's pipe, in this thread and those it starts
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if memory_mb:
        import resource

        limit = memory_mb * 2**20
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):  # not every system enforces it (macOS): no cap then
            pass
    import pyoxigraph as ox

    check_query("ASK {}")  # the parser is imported and warm before the first time limit runs
    try:
        store = ox.Store()
        store.bulk_load(conn.recv_bytes(), format=ox.RdfFormat.N_QUADS)
        conn.send(("ready", len(store)))
        while (message := conn.recv()) is not None:
            conn.send(("started", None))
            try:
                answer: tuple[str, Any] = ("ok", evaluate(store, Job(*message)))
            except RecursionError:
                answer = ("error", "the query is nested too deeply to be read")
            except SparqlError as exc:
                answer = ("error", str(exc))
            except Exception as exc:  # an answer, never a dead worker
                answer = ("error", f"SPARQL query failed: {type(exc).__name__}: {exc}")
            conn.send(answer)
    except (EOFError, OSError):  # the server closed the pipe or is gone: nothing to answer
        return


# ------------------------------------------------------------------ in the server
class Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, process: subprocess.Popen[bytes], conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self._stopping = threading.Lock()

    @property
    def pid(self) -> int:
        """The worker's process id."""
        return self.process.pid

    def stop(self, *, kill: bool = False) -> None:
        """End the process (at once with ``kill``, else asked first) and reap it.

        Safe to call from several threads (the server's shutdown and a request's time-out).
        """
        with self._stopping:
            if self.conn.closed:
                return
            self._stop(kill=kill)

    def _stop(self, *, kill: bool) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
            try:
                self.process.wait(2)
            except subprocess.TimeoutExpired:
                pass
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.conn.close()


class WorkerPool:
    """``size`` worker processes over copies of one store; a runaway query's worker is killed.

    Workers start on first use (or :meth:`start`); :meth:`close` stops them all, and an
    ``atexit`` hook closes any pool left open, so no worker outlives the server.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store each worker copies (dumped once, as N-Quads, when the pool starts).
    size : int
        Number of workers: queries answered at the same time.
    memory_mb : int
        Address space a worker may use, in MB (0: no limit); a query that needs more
        fails with a clear error and its worker is replaced.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"),
    ...                   ox.Literal("o")))
    >>> with WorkerPool(store, size=1) as pool:
    ...     result = pool.run("SELECT ?o WHERE { ?s ?p ?o }", timeout=30, max_rows=10)
    >>> result.variables, [[term.value for term in row] for row in result.rows]
    (['o'], [['o']])
    """

    def __init__(self, store: Any, *, size: int = 2, memory_mb: int = MEMORY_MB) -> None:
        if size < 1:
            raise ValueError(f"a worker pool needs at least one worker, not {size}")
        self.store = store
        self.size = size
        self.memory_mb = memory_mb
        self._dump: bytes | None = None
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._workers: set[Worker] = set()
        self._launching: set[Worker] = set()
        self._lock = threading.Lock()
        self._starting = 0
        self._closed = False
        self._error = ""
        self.started_in: list[float] = []  # seconds each worker took to start (measured)
        self.killed = 0  # workers killed at a time limit
        _POOLS.add(self)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return sorted(w.pid for w in self._workers)

    def starting(self) -> int:
        """How many workers are being started (replacing killed ones, or at first use)."""
        with self._lock:
            return self._starting

    def start(self) -> None:
        """Start the workers that are missing (in the background; returns at once)."""
        with self._lock:
            missing = self._reserve()
        self._start_threads(missing)

    def _reserve(self) -> int:
        """Count the missing workers as starting (call with the lock held)."""
        if self._closed:
            raise SparqlError("the query workers were stopped")
        if self._dump is None:
            import pyoxigraph as ox

            self._dump = bytes(self.store.dump(format=ox.RdfFormat.N_QUADS))
        missing = max(self.size - len(self._workers) - self._starting, 0)
        self._starting += missing
        return missing

    def _start_threads(self, count: int) -> None:
        for _ in range(count):
            threading.Thread(target=self._add_worker, name="exokg-worker-start",
                             daemon=True).start()

    def _add_worker(self) -> None:
        """Start one worker and make it available (runs in a background thread).

        The process is known to :meth:`close` from its launch on, so a pool closed while a
        worker loads its store still stops it.
        """
        began = time.monotonic()
        launched = worker = None
        try:
            launched = _launch(self.memory_mb)
            with self._lock:
                if self._closed:
                    raise SparqlError("the query workers were stopped")
                self._launching.add(launched)
            _handshake(launched, self._dump or b"")
            worker = launched
        except (OSError, SparqlError) as exc:
            self._error = str(exc)
            if launched is not None:
                launched.stop(kill=True)
        with self._lock:
            self._starting -= 1
            if launched is not None:
                self._launching.discard(launched)
            if worker is not None and not self._closed:
                self._workers.add(worker)
                self.started_in.append(time.monotonic() - began)
                self._idle.put(worker)
                return
        if worker is not None:
            worker.stop(kill=True)

    def run(self, job: Job | str, *, timeout: float, max_rows: int = 10_000) -> Result:
        """Answer a query in a free worker; past ``timeout`` seconds, kill that worker.

        Waits up to ``timeout`` + :data:`START_TIMEOUT` seconds for a free worker first.

        Raises
        ------
        SparqlError
            The query's own errors; :class:`~kg.query.sparql.SparqlTimeoutError` past the
            limit; :class:`RefusedError` when no worker was free in time.
        """
        if isinstance(job, str):
            job = Job(job, max_rows)
        for attempt in (1, 2):
            worker = self._free_worker(timeout + START_TIMEOUT)
            status, payload = _ask(worker, tuple(job), timeout)
            if status != "dead" or attempt == 2:
                break
            self._retire(worker, timed_out=False)  # it died while idle: try another one
        if status in ("ok", "error"):
            self._idle.put(worker)
            if status == "error":
                raise SparqlError(payload)
            result: Result = payload
            return result
        self._retire(worker, timed_out=status == "timeout")
        if status == "timeout":
            raise SparqlTimeoutError(f"the query was stopped after {timeout:g} s (--timeout)")
        if status == "dead":
            raise SparqlError("the query workers keep stopping unexpectedly; try again")
        limit = f" (a worker may use {self.memory_mb} MB)" if self.memory_mb else ""
        raise SparqlError(f"the query's worker process failed, most likely out of memory"
                          f"{limit}; simplify the query")

    def _free_worker(self, wait: float) -> Worker:
        """An idle worker, waiting up to ``wait`` seconds (starting workers if missing)."""
        self.start()
        deadline = time.monotonic() + wait
        while True:
            try:
                return self._idle.get(timeout=min(0.2, max(deadline - time.monotonic(), 0)))
            except queue.Empty:
                pass
            with self._lock:
                failed = not self._workers and not self._starting
            if failed:  # every start failed: say why rather than wait
                raise SparqlError(f"no query worker could start: {self._error}")
            if time.monotonic() >= deadline:
                raise RefusedError(f"all {self.size} query workers are busy; "
                                   "try again shortly")

    def _retire(self, worker: Worker, *, timed_out: bool) -> None:
        """Kill a worker (its query ran past the limit, or it died) and start a new one."""
        worker.stop(kill=True)
        with self._lock:  # one step: never seen with no worker and none starting
            self._workers.discard(worker)
            self.killed += timed_out
            missing = 0 if self._closed else self._reserve()
        self._start_threads(missing)

    def close(self) -> None:
        """Stop every worker (asked first, killed if busy) and wait for them to end."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            launching = list(self._launching)
            self._workers.clear()
        idle = set()
        while True:
            try:
                idle.add(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in workers:
            worker.stop(kill=worker not in idle)
        for worker in launching:
            worker.stop(kill=True)


def _ask(worker: Worker, message: tuple[Any, ...], timeout: float) -> tuple[str, Any]:
    """Send a query to a worker; its answer, ``("timeout", None)`` or a lost worker.

    ``("dead", None)``: the worker had ended before it got the query; ``("lost", None)``:
    it ended while running it.
    """
    deadline = time.monotonic() + timeout
    try:  # a worker killed a moment ago may still accept a message: wait for its receipt
        worker.conn.send(message)
        if not worker.conn.poll(timeout):
            return "timeout", None
        worker.conn.recv()  # ("started", None)
    except (EOFError, OSError, ValueError):
        return "dead", None
    try:
        if not worker.conn.poll(max(deadline - time.monotonic(), 0)):
            return "timeout", None
        status, payload = worker.conn.recv()
    except (EOFError, OSError, ValueError):
        return "lost", None
    return status, payload


def _launch(memory_mb: int) -> Worker:
    """A new worker process (not yet holding the store: see :func:`_handshake`).

    The worker is ``python -m kg.web.worker FD PID MB``: a fresh interpreter that imports only
    this module and pyoxigraph (not the server's ``__main__``, as :mod:`multiprocessing`
    would), talking over one end of a socket pair.
    """
    mine, theirs = multiprocessing.Pipe()
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the folder that holds ``kg``
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    env["RUST_BACKTRACE"] = "0"  # out of memory: one line in the log, not a backtrace
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg.web.worker", str(theirs.fileno()), str(os.getpid()),
             str(memory_mb)],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
            start_new_session=True)  # a terminal's Ctrl-C goes to the server, which stops it
    except OSError:
        mine.close()
        raise
    finally:
        theirs.close()
    return Worker(process, mine)


def _handshake(worker: Worker, dump: bytes) -> None:
    """Send the store to a new worker and wait until it has loaded it.

    Raises
    ------
    SparqlError
        The worker ended, failed or took over :data:`START_TIMEOUT` seconds.
    """
    try:
        worker.conn.send_bytes(dump)
        if not worker.conn.poll(START_TIMEOUT):
            raise SparqlError(f"a query worker did not start within {START_TIMEOUT:g} s")
        status, _ = worker.conn.recv()
    except (EOFError, OSError, ValueError):
        worker.stop(kill=True)
        code = worker.process.returncode
        hint = " (out of memory: allow more with --sparql-memory)" if code == -6 else ""
        raise SparqlError(f"a query worker failed to start (exit code {code}){hint}"
                          ) from None
    if status != "ready":
        raise SparqlError("a query worker failed to start")


_POOLS: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    """Close every pool still open when the interpreter exits."""
    for pool in list(_POOLS):
        pool.close()


__all__ = [
    "MEMORY_MB", "PARENT_CHECK", "START_TIMEOUT", "Job", "RefusedError", "Result", "Worker",
    "WorkerPool", "evaluate", "worker_main",
]

if __name__ == "__main__":  # python -m kg.web.worker FD SERVER_PID: see _spawn
    from kg.web.worker import worker_main as _main  # answers pickle as kg.web.worker.Result

    _main(Connection(int(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3]))
