"""A bounded load test of ``exokg serve`` on loopback: latency per page and errors.

    python bench/serve_load.py [--clients 8] [--requests 3000] [--seed 0] [--data FOLDER]

Starts ``exokg serve`` on a free loopback port in its own process, waits until it answers,
then ``--clients`` threads send ``--requests`` requests in all, each on its own keep-alive
connection: a seeded mix of every kind of page (home, entity, claim, search, paths, rank,
trials, claims, matrix, hallmarks, the query form) and of their JSON twins, and each shipped
SPARQL example through ``/sparql`` (kind ``sparql:NAME``). Prints p50 and p95 latency per
kind and the number of errors (a status of 400 or more, or a failed connection; the target
is zero), then stops the server. ``bench/run.py`` calls :func:`load_test` for its report.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from measure import percentile

ROOT = Path(__file__).resolve().parent.parent
EXOKG = Path(sys.executable).with_name("exokg")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, proc: subprocess.Popen[bytes], limit: float = 300) -> None:
    """Poll the server until it answers (or fail when it exits or ``limit`` s pass)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"exokg serve exited with code {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/index.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("exokg serve did not answer in time")


def workload(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (kind, URL) pairs, seeded."""
    sys.path.insert(0, str(ROOT))
    from kg.data.curation import load
    from kg.query.sparql import example_queries

    cur = load(os.environ.get("EXOKG_DATA") or None)
    rng = random.Random(seed)
    entities = sorted(cur.entities)
    sources = sorted(e for e in entities if cur.entities[e].type == "source")
    diseases = ["osteoarthritis", "Alzheimers-disease", "ischaemic-stroke", "osteoporosis"]
    diseases = [d for d in diseases if d in cur.entities] or \
        sorted(e for e in entities if cur.entities[e].type == "disease")[:4]
    examples = {name: path.read_text(encoding="utf-8")
                for name, (path, _) in example_queries().items()}
    claims = sorted(cur.claims)

    def search() -> str:
        return "?q=" + urllib.parse.quote(rng.choice(entities)[: rng.randint(3, 8)])

    def paths() -> str:
        return "?" + urllib.parse.urlencode({"source": rng.choice(sources),
                                             "disease": rng.choice(diseases)})

    makers: list[tuple[int, Callable[[], tuple[str, str]]]] = [
        (3, lambda: ("home", "/")),
        (20, lambda: ("entity", f"/entity/{urllib.parse.quote(rng.choice(entities))}")),
        (12, lambda: ("entity.json",
                      f"/entity/{urllib.parse.quote(rng.choice(entities))}.json")),
        (5, lambda: ("claim", f"/claim/{urllib.parse.quote(rng.choice(claims))}")),
        (4, lambda: ("search", "/search" + search())),
        (8, lambda: ("search.json", "/search.json" + search())),
        (4, lambda: ("paths", "/paths" + paths())),
        (8, lambda: ("paths.json", "/paths.json" + paths())),
        (2, lambda: ("rank", "/rank")),
        (3, lambda: ("rank.json", "/rank.json")),
        (2, lambda: ("trials", "/trials")),
        (3, lambda: ("trials.json", "/trials.json")),
        (2, lambda: ("claims", "/claims?" + urllib.parse.urlencode(
            {"disease": rng.choice(diseases)}))),
        (2, lambda: ("matrix", "/matrix")),
        (3, lambda: ("matrix.json", "/matrix.json")),
        (2, lambda: ("hallmarks", "/hallmarks")),
        (2, lambda: ("hallmarks.json", "/hallmarks.json")),
        (2, lambda: ("query", "/query?" + urllib.parse.urlencode(
            {"example": rng.choice(sorted(examples))}))),
    ]
    def sparql(name: str, text: str) -> Callable[[], tuple[str, str]]:
        return lambda: (f"sparql:{name}", "/sparql?" + urllib.parse.urlencode({"query": text}))

    makers += [(4, sparql(name, text)) for name, text in examples.items()]
    weights = [w for w, _ in makers]
    return [rng.choices(makers, weights)[0][1]() for _ in range(n)]


def client(port: int, jobs: list[tuple[str, str]], out: dict[str, list[float]],
           errors: list[str], lock: threading.Lock, failed: dict[str, int]) -> None:
    """Send ``jobs`` on one keep-alive connection, recording latencies and errors."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for kind, url in jobs:
        started = time.perf_counter()
        try:
            accept = "application/sparql-results+json" if kind.startswith("sparql:") \
                else "application/json" if kind.endswith(".json") else "text/html"
            conn.request("GET", url, headers={"Accept": accept})
            resp = conn.getresponse()
            resp.read()
            ok = resp.status < 400  # a search that resolves a name redirects (303)
            what = f"{resp.status} {url}"
        except (OSError, http.client.HTTPException) as exc:
            ok, what = False, f"{type(exc).__name__} {url}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        took = time.perf_counter() - started
        with lock:
            out[kind].append(took)
            if not ok:
                errors.append(what)
                failed[kind] += 1
    conn.close()


def load_test(clients: int, requests: int, seed: int = 0, data: str | None = None,
              exokg: Path = EXOKG) -> dict[str, Any]:
    """Start ``exokg serve``, send the workload, stop it; figures per kind of request.

    Returns ``{"clients", "requests", "seconds", "errors": [...], "kinds": {kind: {"n",
    "p50_ms", "p95_ms", "errors"}}}``; a server that does not start is an error, not raised.
    """
    if data:
        os.environ["EXOKG_DATA"] = data
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([str(exokg), "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=log)
    out: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    failed: dict[str, int] = defaultdict(int)
    wall = 0.0
    try:
        wait_ready(port, proc)
        jobs = workload(requests, seed)
        lock = threading.Lock()
        threads = [threading.Thread(target=client, args=(port, jobs[i::clients], out,
                                                         errors, lock, failed))
                   for i in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    except SystemExit as exc:
        log.seek(0)
        tail = log.read().decode("utf-8", "replace").strip().splitlines()[-1:]
        errors.append(f"server: {exc} {' '.join(tail)}".strip())
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    kinds = {kind: {"n": len(v), "p50_ms": round(percentile(v, 50) * 1000, 1),
                    "p95_ms": round(percentile(v, 95) * 1000, 1), "errors": failed[kind]}
             for kind, v in sorted(out.items())}
    return {"clients": clients, "requests": sum(len(v) for v in out.values()),
            "seconds": round(wall, 2), "errors": errors, "kinds": kinds}


def main() -> None:
    """Run the load test and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", help="Curated folder (default: the shipped triples/).")
    args = parser.parse_args()
    res = load_test(args.clients, args.requests, args.seed, args.data)
    total, wall = res["requests"], res["seconds"] or float("nan")
    print(f"{total} requests from {args.clients} clients in {wall:.1f} s "
          f"({total / wall:.0f} req/s); errors: {len(res['errors'])}")
    print(f"{'kind':<34}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}")
    for kind, k in res["kinds"].items():
        print(f"{kind:<34}{k['n']:>6}{k['p50_ms']:>10.1f}{k['p95_ms']:>10.1f}")
    for line in res["errors"][:10]:
        print("error:", line)
    sys.exit(1 if res["errors"] else 0)


if __name__ == "__main__":
    main()
