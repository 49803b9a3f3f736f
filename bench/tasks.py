"""One benchmark task in a fresh process: prints ``{"seconds": ..., "peak_mb": ..., ...}``.

    python bench/tasks.py TASK FOLDER

``seconds`` times only the operation named (loading inputs it needs is done first and not
counted, except in the ``build_*`` and ``parse_*`` tasks, whose operation *is* loading);
``peak_mb`` is the process's peak resident memory, inputs included.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.data.curation import load  # noqa: E402
from kg.query.sparql import example_queries  # noqa: E402


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _queries() -> list[str]:
    return [p.read_text(encoding="utf-8") for p, _ in example_queries().values()]


def task(name: str, folder: Path) -> dict[str, Any]:
    """Run one task on a generated folder (or its exported files) and measure it."""
    import pyoxigraph as ox
    from rdflib import Graph

    files = folder.parent / f"{folder.name}-files"  # kept out of the curated folder
    ttl, nt = files / "export.ttl", files / "export.nt"
    extra: dict[str, Any] = {}
    if name == "build_ours":
        from kg.graph.rdf import build_store

        seconds, store = _timed(lambda: build_store(load(folder)))
        extra["triples"] = len(store)
    elif name == "build_rdflib":
        from kg.graph.rdf import build_rdf

        seconds, g = _timed(lambda: build_rdf(load(folder)))
        extra["triples"] = len(g)
    elif name in ("parse_ttl_ours", "parse_nt_ours"):
        path, fmt = (ttl, ox.RdfFormat.TURTLE) if "ttl" in name else (nt, ox.RdfFormat.N_TRIPLES)
        store = ox.Store()
        seconds, _ = _timed(lambda: store.bulk_load(path=str(path), format=fmt))
        extra["triples"] = len(store)
    elif name in ("parse_ttl_rdflib", "parse_nt_rdflib"):
        path, fmt = (ttl, "turtle") if "ttl" in name else (nt, "nt")
        seconds, g = _timed(lambda: Graph().parse(path, format=fmt))
        extra["triples"] = len(g)
    elif name in ("write_ttl_ours", "write_nt_ours"):
        from kg.io.files import serialize_store

        store = ox.Store()
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        fmt = "turtle" if "ttl" in name else "nt"
        seconds, data = _timed(lambda: serialize_store(store, fmt))
        extra["bytes"] = len(data)
    elif name in ("write_ttl_rdflib", "write_nt_rdflib"):
        g = Graph().parse(nt, format="nt")
        fmt = "turtle" if "ttl" in name else "nt"
        seconds, data = _timed(lambda: g.serialize(format=fmt, encoding="utf-8"))
        extra["bytes"] = len(data)
    elif name == "sparql_ours":
        store = ox.Store()
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        seconds, rows = _timed(lambda: [len(list(store.query(q))) for q in _queries()])
        extra["rows"] = rows
    elif name == "sparql_rdflib":
        g = Graph().parse(nt, format="nt")
        seconds, rows = _timed(lambda: [len(list(g.query(q))) for q in _queries()])
        extra["rows"] = rows
    elif name == "path_ours":
        from kg.query.paths import paths, prepare

        cur = load(folder)
        prepare(cur)  # the graph is loaded; what is timed is the query
        seconds, res = _timed(lambda: paths(cur, "AD-MSC", "acute-kidney-injury", max_hops=4))
        extra["paths"] = res.found
        extra["capped"] = res.capped
    elif name == "rank_ours":
        import igraph  # noqa: F401  (imported before timing, as in the reference)

        from kg.query.rank import rank

        cur = load(folder)
        seconds, res = _timed(lambda: rank(cur, permutations=20, seed=0))
        extra["rows"] = len(res.rows)
    elif name == "rank_igraph":
        seconds = _rank_igraph(folder)
    elif name == "end_to_end":
        from kg.graph.rdf import build_store
        from kg.io.files import serialize_store
        from kg.query.rank import rank

        def run() -> int:
            cur = load(folder)
            rank(cur, permutations=20, seed=0)
            return len(serialize_store(build_store(cur), "turtle"))

        seconds, extra["bytes"] = _timed(run)
    else:
        raise SystemExit(f"unknown task {name}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"task": name, "seconds": round(seconds, 4), "peak_mb": round(peak, 1), **extra}


def _rank_igraph(folder: Path) -> float:
    """The reference: the same measures computed with python-igraph alone."""
    import random

    import igraph

    from kg.query.rank import flow_edges

    cur = load(folder)
    start = time.perf_counter()
    pairs, _ = flow_edges(cur)
    names = sorted({n for p in pairs for n in p})
    index = {n: i for i, n in enumerate(names)}
    h = igraph.Graph(n=len(names), edges=[(index[u], index[v]) for u, v in pairs],
                     directed=True)
    src = [index[n] for n in names if n in cur.entities and cur.entities[n].type == "source"]
    dst = [index[n] for n in names if n in cur.entities and cur.entities[n].type == "disease"]
    h.betweenness(directed=True, sources=src, targets=dst)
    h.pagerank(directed=True)
    igraph.set_random_number_generator(random.Random(0))
    perm = h.copy()
    for k in range(20):
        perm.rewire(n=(10 if k == 0 else 2) * perm.ecount())
        perm.betweenness(directed=True, sources=src, targets=dst)
    return time.perf_counter() - start


if __name__ == "__main__":
    print(json.dumps(task(sys.argv[1], Path(sys.argv[2]))))
