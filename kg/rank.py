"""Hub ranking: which pathways (or any entity type) the curated mechanisms run through.

Several measures side by side, each explained by plain counts:

- ``betweenness``: share of shortest source -> disease routes through the node, on the
  causal flow graph (source -> cargo -> target/pathway -> process -> disease);
- ``pagerank`` and ``degree`` on the same graph;
- ``z``: how far the betweenness stands above what degree-preserving random rewiring of
  the same graph gives (a permutation z-score). A hub that is only popular (many edges)
  keeps its betweenness under rewiring and gets a z near 0; one that is structurally
  central gets a high z;
- ``cargos``, ``diseases``, ``studies``, ``claims``: distinct cargos, diseases, studies and
  claims whose chains pass through the node.

With ``level="family"`` every pathway is first merged into its broadest pathway ancestor
(``PI3K/Akt/mTOR`` counts toward ``PI3K–Akt``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.edges import edges
from kg.model import Curation
from kg.paths import PATH_KINDS, QueryError

if TYPE_CHECKING:
    import networkx as nx

#: Above this many nodes, betweenness is estimated from a seeded sample of sources.
EXACT_LIMIT = 5000
DEFAULT_PERMUTATIONS = 20


@dataclass(frozen=True)
class RankRow:
    """One ranked entity with its measures."""

    entity: str
    label: str
    betweenness: float
    z: float | None
    pagerank: float
    degree: int
    cargos: int
    diseases: int
    studies: int
    claims: int
    members: tuple[str, ...] = ()


@dataclass
class RankResult:
    """Rows of :func:`rank` plus how they were computed."""

    rows: list[RankRow]
    entity_type: str
    level: str
    permutations: int
    seed: int
    sample: int | None
    nodes: int
    edges: int


def family_of(cur: Curation, entity_id: str) -> str:
    """The broadest pathway ancestor of a pathway (itself when it has none).

    Examples
    --------
    >>> from kg.curation import load
    >>> family_of(load(), "PI3K-Akt-mTOR")
    'PI3K-Akt'
    """
    seen = {entity_id}
    current = entity_id
    while True:
        ent = cur.entities.get(current)
        if ent is None:
            return current
        parents = sorted(p for p in ent.parents
                         if cur.entities.get(p) is not None and cur.entities[p].type == "pathway"
                         and p not in seen)
        if not parents:
            return current
        current = parents[0]
        seen.add(current)


def flow_graph(cur: Curation, level: str = "pathway") -> tuple[nx.DiGraph, dict[str, str]]:
    """The causal flow graph (simple DiGraph) and the node each entity was merged into."""
    import networkx as nx

    if level not in ("pathway", "family"):
        raise QueryError(f"level must be pathway or family, not '{level}'")
    merge: dict[str, str] = {}
    if level == "family":
        for ent in cur.entities.values():
            if ent.type == "pathway":
                merge[ent.id] = family_of(cur, ent.id)
    g = nx.DiGraph()
    for e in edges(cur):
        if e.kind not in PATH_KINDS:
            continue
        u, v = merge.get(e.subject, e.subject), merge.get(e.object, e.object)
        if u != v:
            g.add_edge(u, v)
    return g, merge


def _betweenness(g: nx.DiGraph, sources: list[str], targets: list[str],
                 sample: int | None, seed: int) -> dict[str, float]:
    import networkx as nx

    if sample is not None and sample < len(sources):
        sources = sorted(random.Random(seed).sample(sorted(sources), sample))
    result: dict[str, float] = nx.betweenness_centrality_subset(
        g, sources, targets, normalized=False)
    return result


def rank(
    cur: Curation,
    *,
    entity_type: str = "pathway",
    level: str = "pathway",
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = 0,
    limit: int | None = None,
) -> RankResult:
    """Rank entities of ``entity_type`` by centrality on the source -> disease flow.

    Parameters
    ----------
    cur : Curation
        The curated data.
    entity_type : str
        Type of entity to rank (``pathway``, ``protein``, ``mirna``, ``process`` ...).
    level : str
        ``pathway`` (each entity as curated) or ``family`` (pathways merged into their
        broadest pathway ancestor).
    permutations : int
        Degree-preserving rewirings for the z-score (0 to skip).
    seed : int
        Seed of the rewiring and of any sampling.
    limit : int, optional
        Keep only the top rows.

    Returns
    -------
    RankResult
        Rows sorted by betweenness, then PageRank, then degree, then id.

    Examples
    --------
    >>> from kg.curation import load
    >>> res = rank(load(), permutations=0)
    >>> res.rows[0].betweenness >= res.rows[-1].betweenness
    True
    """
    import networkx as nx

    if entity_type not in cur.types:
        raise QueryError(f"unknown type '{entity_type}' (known: {', '.join(sorted(cur.types))})")
    if permutations < 0:
        raise QueryError("--permutations must be 0 or more")
    g, merge = flow_graph(cur, level)
    sources = sorted(n for n in g if cur.entities.get(n) is not None
                     and cur.entities[n].type == "source")
    targets = sorted(n for n in g if cur.entities.get(n) is not None
                     and cur.entities[n].type == "disease")
    sample = None
    if g.number_of_nodes() > EXACT_LIMIT:
        sample = max(10, min(len(sources), 100))
    observed = _betweenness(g, sources, targets, sample, seed) if g else {}
    pagerank: dict[str, float] = nx.pagerank(g) if g.number_of_nodes() else {}
    candidates = sorted(
        n for n in g
        if (cur.entities.get(n) is not None and cur.entities[n].type == entity_type))
    null: dict[str, list[float]] = {n: [] for n in candidates}
    rng = random.Random(seed)
    for _ in range(permutations):
        h = g.copy()
        swaps = max(1, h.number_of_edges())
        try:
            nx.directed_edge_swap(h, nswap=swaps, max_tries=swaps * 20,
                                  seed=rng.randrange(2**31))
        except (nx.NetworkXError, nx.NetworkXAlgorithmError):
            pass  # graph too small or too dense to rewire further: keep what was done
        perm = _betweenness(h, sources, targets, sample, seed)
        for n in candidates:
            null[n].append(perm.get(n, 0.0))
    members: dict[str, list[str]] = {}
    for ent_id, fam in merge.items():
        if ent_id != fam:
            members.setdefault(fam, []).append(ent_id)
    rows = []
    for n in candidates:
        group = {n, *members.get(n, [])}
        involved = [c for c in cur.claims.values()
                    if group & set(c.entities()) - {c.source}]
        z = None
        if permutations:
            values = null[n]
            mean = sum(values) / len(values)
            sd = math.sqrt(sum((x - mean) ** 2 for x in values) / len(values))
            z = round((observed.get(n, 0.0) - mean) / sd, 3) if sd > 0 else None
        rows.append(RankRow(
            entity=n, label=cur.label(n),
            betweenness=round(observed.get(n, 0.0), 6), z=z,
            pagerank=round(pagerank.get(n, 0.0), 6), degree=int(g.degree(n)),
            cargos=len({c.cargo for c in involved if c.cargo}),
            diseases=len({d.entity for c in involved for d in c.diseases}),
            studies=len({k for c in involved for k in cur.study_keys(c)}),
            claims=len(involved), members=tuple(sorted(members.get(n, [])))))
    rows.sort(key=lambda r: (-r.betweenness, -r.pagerank, -r.degree, r.entity))
    if limit is not None:
        rows = rows[:limit]
    return RankResult(rows, entity_type, level, permutations, seed, sample,
                      g.number_of_nodes(), g.number_of_edges())
