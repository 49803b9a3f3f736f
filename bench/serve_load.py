"""A bounded load test of ``exokg serve`` on loopback: latency per page and errors.

    python bench/serve_load.py [--clients 8] [--requests 3000] [--seed 0] [--data FOLDER]

Starts ``exokg serve`` on a free loopback port in its own process, waits until it answers,
then ``--clients`` threads send ``--requests`` requests in all (a seeded mix of entity pages
and their JSON twins, searches, path pages, hub rankings, trials, the matrix and the shipped
SPARQL examples through ``/sparql``), each on its own keep-alive connection. Prints p50 and
p95 latency per kind of request and the number of errors (any status other than 200 or a
failed connection; the target is zero), then stops the server. Not part of ``make test``.
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
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

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
    makers = [
        (30, lambda: ("entity", f"/entity/{rng.choice(entities)}")),
        (15, lambda: ("entity.json", f"/entity/{rng.choice(entities)}.json")),
        (10, lambda: ("search", "/search.json?q=" + urllib.parse.quote(
            rng.choice(entities)[: rng.randint(3, 8)]))),
        (10, lambda: ("paths", "/paths.json?" + urllib.parse.urlencode(
            {"source": rng.choice(sources), "disease": rng.choice(diseases)}))),
        (5, lambda: ("rank", "/rank.json")),
        (5, lambda: ("trials", "/trials.json")),
        (5, lambda: ("matrix", "/matrix.json")),
    ]
    for name, text in examples.items():
        makers.append((4, lambda n=name, t=text: (f"sparql:{n}", "/sparql?" +
                                                  urllib.parse.urlencode({"query": t}))))
    weights = [w for w, _ in makers]
    return [rng.choices(makers, weights)[0][1]() for _ in range(n)]


def client(port: int, jobs: list[tuple[str, str]], out: dict[str, list[float]],
           errors: list[str], lock: threading.Lock) -> None:
    """Send ``jobs`` on one keep-alive connection, recording latencies and errors."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for kind, url in jobs:
        started = time.perf_counter()
        try:
            conn.request("GET", url, headers={"Accept": "application/sparql-results+json"})
            resp = conn.getresponse()
            resp.read()
            ok = resp.status == 200
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
    conn.close()


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> None:
    """Run the load test and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", help="Curated folder (default: the shipped triples/).")
    args = parser.parse_args()
    if args.data:
        os.environ["EXOKG_DATA"] = args.data
    port = free_port()
    proc = subprocess.Popen([str(EXOKG), "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL)
    try:
        wait_ready(port, proc)
        jobs = workload(args.requests, args.seed)
        out: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        lock = threading.Lock()
        threads = [threading.Thread(target=client, args=(port, jobs[i::args.clients], out,
                                                         errors, lock))
                   for i in range(args.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    total = sum(len(v) for v in out.values())
    print(f"{total} requests from {args.clients} clients in {wall:.1f} s "
          f"({total / wall:.0f} req/s); errors: {len(errors)}")
    print(f"{'kind':<34}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}")
    for kind in sorted(out):
        values = out[kind]
        print(f"{kind:<34}{len(values):>6}{percentile(values, 50) * 1000:>10.1f}"
              f"{percentile(values, 95) * 1000:>10.1f}")
    for line in errors[:10]:
        print("error:", line)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
