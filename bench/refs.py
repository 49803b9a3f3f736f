"""Reference programs for the scale benchmark, each a whole process like an exokg call.

    python bench/refs.py NAME FILES

They read the files ``run.py`` prepares for each generated folder, in FILES beside it
(``SIZE-files``, outside the curated folder, whose every file exokg hashes) (``export.nt``, the
N-Triples of the built graph; ``flow.tsv``, the causal flow edges ``exokg rank`` measures,
with its sources and diseases; ``query.rq``, the example SPARQL query ``exokg sparql`` runs)
and import nothing from exokg, so their time is the library's own floor:

- ``ox_query`` / ``rdflib_query``: load the N-Triples, run the query;
- ``ox_turtle`` / ``rdflib_turtle``: load the N-Triples, write Turtle to a file;
- ``igraph_rank`` / ``nx_rank``: betweenness from sources to diseases, PageRank and 20
  degree-preserving rewirings, as ``exokg rank`` does;
- ``nx_paths``: up to 5,000 simple paths of at most 6 edges from AD-MSC to acute kidney
  injury (the generator's hubs, so every size has paths).
"""

from __future__ import annotations

import sys
from itertools import islice
from pathlib import Path

PERMUTATIONS = 20
#: the path query's ends: the generator's hub source and a hub disease (paths at every size)
SOURCE, TARGET = "AD-MSC", "acute-kidney-injury"


def flow(folder: Path) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Edges, sources and diseases from ``flow.tsv`` (``#source`` / ``#disease`` lines)."""
    pairs, sources, diseases = [], [], []
    for line in (folder / "flow.tsv").read_text(encoding="utf-8").splitlines():
        a, b = line.split("\t")
        if a == "#source":
            sources.append(b)
        elif a == "#disease":
            diseases.append(b)
        else:
            pairs.append((a, b))
    return pairs, sources, diseases


def ox_store(folder: Path):  # type: ignore[no-untyped-def]
    """A pyoxigraph store bulk-loaded from the N-Triples."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(folder / "export.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


def igraph_rank(folder: Path) -> None:
    """The ranking's measures with python-igraph alone."""
    import random

    sys.modules["matplotlib"] = None  # type: ignore[assignment]  # as exokg imports it
    import igraph

    pairs, sources, diseases = flow(folder)
    names = sorted({n for p in pairs for n in p})
    index = {n: i for i, n in enumerate(names)}
    h = igraph.Graph(n=len(names), edges=[(index[u], index[v]) for u, v in pairs],
                     directed=True)
    src = [index[n] for n in sources if n in index]
    dst = [index[n] for n in diseases if n in index]
    h.betweenness(directed=True, sources=src, targets=dst)
    h.pagerank(directed=True)
    igraph.set_random_number_generator(random.Random(0))
    for k in range(PERMUTATIONS):
        h.rewire(n=(10 if k == 0 else 2) * h.ecount())
        h.betweenness(directed=True, sources=src, targets=dst)


def nx_rank(folder: Path) -> None:
    """The ranking's measures with networkx."""
    import networkx as nx

    pairs, sources, diseases = flow(folder)
    g = nx.DiGraph(pairs)
    src = [n for n in sources if n in g]
    dst = [n for n in diseases if n in g]
    nx.betweenness_centrality_subset(g, src, dst)
    try:
        nx.pagerank(g)
    except ImportError:  # networkx's default needs scipy; the runtime environment has none
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        _pagerank_python(g)
    for k in range(PERMUTATIONS):
        swaps = (10 if k == 0 else 2) * g.number_of_edges()
        nx.directed_edge_swap(g, nswap=swaps, max_tries=swaps * 10, seed=k)
        nx.betweenness_centrality_subset(g, src, dst)


def nx_paths(folder: Path) -> None:
    """Simple paths on the same flow edges with networkx."""
    import networkx as nx

    pairs, _, _ = flow(folder)
    g = nx.DiGraph(pairs)
    if SOURCE in g and TARGET in g:
        list(islice(nx.all_simple_paths(g, SOURCE, TARGET, cutoff=6), 5000))


def main() -> None:
    """Run the reference named on the command line."""
    name, folder = sys.argv[1], Path(sys.argv[2])
    out = folder / "ref-out"
    if name == "ox_query":
        list(ox_store(folder).query((folder / "query.rq").read_text(encoding="utf-8")))
    elif name == "ox_turtle":
        import pyoxigraph as ox

        ox_store(folder).dump(output=str(out), format=ox.RdfFormat.TURTLE,
                              from_graph=ox.DefaultGraph())
    elif name in ("rdflib_query", "rdflib_turtle"):
        from rdflib import Graph

        g = Graph().parse(folder / "export.nt", format="nt")
        if name == "rdflib_query":
            list(g.query((folder / "query.rq").read_text(encoding="utf-8")))
        else:
            g.serialize(out, format="turtle")
    elif name in ("igraph_rank", "nx_rank", "nx_paths"):
        {"igraph_rank": igraph_rank, "nx_rank": nx_rank, "nx_paths": nx_paths}[name](folder)
    else:
        raise SystemExit(f"unknown reference {name}")


if __name__ == "__main__":
    main()
