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

The graph the user sees is networkx (:func:`flow_graph`); the measures are computed by
python-igraph's compiled kernels on a copy of it, which is what keeps the permutation
z-score affordable on large graphs. How close they are to networkx, as
``tests/test_paths.py`` checks on the curated graph:

- the subset betweenness the kernel computes equals networkx's
  ``betweenness_centrality_subset(normalized=False)`` to 1e-12 (absolute);
- its PageRank is the converged value, which networkx's ``pagerank`` reaches within its
  own tolerance (``tol=1e-6`` per node, times the number of nodes);
- a :class:`RankRow` reports both rounded to :data:`DECIMALS` (6) decimals, so that output
  is the same on every platform: a row's value is within 5e-7 of the unrounded one.
"""

from __future__ import annotations

import math
import random
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from kg.data.index import DerivedFor
from kg.data.model import Claim, Curation
from kg.data.schema import types_with_role
from kg.errors import QueryError
from kg.graph.edges import edges
from kg.query.defaults import DEFAULT_PERMUTATIONS
from kg.query.paths import PATH_KINDS

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "DECIMALS", "DEFAULT_PERMUTATIONS", "EXACT_LIMIT", "RANKINGS", "RankArgs", "RankResult",
    "RankRow", "family_of", "flow_edges", "flow_graph", "rank", "separable", "z_score",
]

#: Above this many nodes, betweenness is estimated from a seeded sample of sources.
EXACT_LIMIT = 5000
#: Decimals of the betweenness and PageRank a :class:`RankRow` reports.
DECIMALS = 6


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
    #: the measure the rows are sorted by: ``betweenness``, or ``studies`` when betweenness
    #: cannot separate the entities (see :func:`separable`)
    ranked_by: str = "betweenness"
    #: why the rows are not ranked by betweenness, when they are not
    notes: tuple[str, ...] = ()


def family_of(cur: Curation, entity_id: str) -> str:
    """The broadest pathway ancestor of a pathway (itself when it has none).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> family_of(load(), "PI3K-Akt-mTOR")
    'PI3K-Akt'
    """
    pathways = types_with_role(cur, "pathway")
    seen = {entity_id}
    current = entity_id
    while True:
        ent = cur.entities.get(current)
        if ent is None:
            return current
        parents = sorted(p for p in ent.parents
                         if cur.entities.get(p) is not None and cur.entities[p].type in pathways
                         and p not in seen)
        if not parents:
            return current
        current = parents[0]
        seen.add(current)


def flow_edges(cur: Curation, level: str = "pathway"
               ) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Distinct (u, v) pairs of the causal flow graph, and the node each entity merged into."""
    if level not in ("pathway", "family"):
        raise QueryError(f"level must be pathway or family, not '{level}'")
    merge: dict[str, str] = {}
    if level == "family":
        pathways = types_with_role(cur, "pathway")
        for ent in cur.entities.values():
            if ent.type in pathways:
                merge[ent.id] = family_of(cur, ent.id)
    pairs: dict[tuple[str, str], None] = {}
    for e in edges(cur):
        if e.kind not in PATH_KINDS:
            continue
        u, v = merge.get(e.subject, e.subject), merge.get(e.object, e.object)
        if u != v:
            pairs[(u, v)] = None
    return list(pairs), merge


def flow_graph(cur: Curation, level: str = "pathway") -> tuple[nx.DiGraph, dict[str, str]]:
    """The causal flow graph as a networkx DiGraph (what :func:`rank` measures)."""
    import networkx as nx

    pairs, merge = flow_edges(cur, level)
    g = nx.DiGraph()
    g.add_edges_from(pairs)
    return g, merge


#: Held while igraph's process-wide random generator is swapped for a seeded one, so that
#: rankings run at the same time (``exokg serve``) each get their serial answer.
_RNG_LOCK = threading.Lock()


@contextmanager
def _hidden(*names: str) -> Iterator[None]:
    """Make ``import name`` fail for modules not yet loaded, for the duration of a block.

    A module set to ``None`` in :data:`sys.modules` raises ImportError on import; modules
    already loaded are left alone (something else uses them), and the entries are removed
    afterwards so that later imports work as usual. In a process running several threads
    (``exokg serve``) nothing is hidden: :data:`sys.modules` is shared, and another thread's
    import must not fail.
    """
    if threading.active_count() > 1:  # another thread could import one of them meanwhile
        yield
        return
    hidden = [n for n in names if n not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def _igraph() -> Any:
    """python-igraph, imported without pulling in matplotlib.

    igraph's drawing modules import ``matplotlib.pyplot`` at import time when matplotlib is
    installed (python-igraph issue 762), which triples the start-up of every ranking in a
    researcher's environment. Unless matplotlib is already loaded, it is hidden for the
    duration of the import; igraph then uses its stand-ins for drawing, which exokg never
    asks igraph to do.
    """
    with _hidden("matplotlib"):
        import igraph
    return igraph


#: What igraph imports only to test whether an argument is one of its types (``Graph()``
#: checks for NumPy arrays on every construction and copy, 0.1 s of NumPy import for
#: nothing): hidden while a ranking runs, since exokg passes lists.
_OPTIONAL = ("numpy", "pandas", "scipy", "matplotlib")


def _to_igraph(pairs: list[tuple[str, str]]) -> tuple[Any, list[str]]:
    """An igraph graph of (u, v) pairs, and the node name of each vertex index."""
    igraph = _igraph()

    names = sorted({n for pair in pairs for n in pair})
    index = {n: i for i, n in enumerate(names)}
    h = igraph.Graph(n=len(names), edges=[(index[u], index[v]) for u, v in pairs],
                     directed=True)
    return h, names


def _betweenness(h: Any, sources: list[int], targets: list[int], sample: int | None,
                 seed: int) -> list[float]:
    if sample is not None and sample < len(sources):
        sources = sorted(random.Random(seed).sample(sorted(sources), sample))
    if not sources or not targets:
        return [0.0] * h.vcount()
    return [float(x) for x in h.betweenness(directed=True, sources=sources, targets=targets)]


def _check_rank_options(cur: Curation, entity_type: str, permutations: int) -> None:
    """Reject an unknown entity type or a negative number of permutations."""
    if entity_type not in cur.types:
        raise QueryError(f"unknown type '{entity_type}' (known: {', '.join(sorted(cur.types))})")
    if permutations < 0:
        raise QueryError("--permutations must be 0 or more")


def _null_betweenness(h: Any, candidates: list[int], sources: list[int], targets: list[int],
                      sample: int | None, seed: int, permutations: int
                      ) -> dict[int, list[float]]:
    """Betweenness of each candidate in ``permutations`` degree-preserving rewirings of ``h``.

    One chain of swaps (in/out degrees kept, no multi-edges): 10 swaps per edge to forget
    the observed graph, then 2 per edge between samples. igraph draws from a Python RNG; a
    seeded one makes the rewiring reproducible, and the module-level default is put back
    afterwards.
    """
    igraph = _igraph()
    null: dict[int, list[float]] = {i: [] for i in candidates}
    with _RNG_LOCK:  # igraph's generator is global: one seeded ranking at a time
        igraph.set_random_number_generator(random.Random(seed))
        try:
            perm = h.copy()
            for k in range(permutations):
                if perm.ecount() > 1:
                    perm.rewire(n=(10 if k == 0 else 2) * perm.ecount())
                values = _betweenness(perm, sources, targets, sample, seed)
                for i in candidates:
                    null[i].append(values[i])
        finally:
            igraph.set_random_number_generator(random)
    return null


def z_score(observed: float, null: list[float]) -> float | None:
    """How many standard deviations ``observed`` lies above the mean of ``null`` (3 decimals).

    None when there is no null sample or it does not vary.

    Examples
    --------
    >>> z_score(4.0, [1.0, 3.0])  # mean 2, standard deviation 1
    2.0
    >>> z_score(4.0, [2.0, 2.0]) is None
    True
    """
    if not null:
        return None
    mean = sum(null) / len(null)
    sd = math.sqrt(sum((x - mean) ** 2 for x in null) / len(null))
    return round((observed - mean) / sd, 3) if sd > 0 else None


def _members(merge: dict[str, str]) -> dict[str, list[str]]:
    """The pathways merged into each family (``level="family"``), by family."""
    members: dict[str, list[str]] = {}
    for ent_id, fam in merge.items():
        if ent_id != fam:
            members.setdefault(fam, []).append(ent_id)
    return members


def _claims_by_entity(cur: Curation) -> dict[str, list[Claim]]:
    """The claims that name each entity other than their source."""
    by_entity: dict[str, list[Claim]] = {}
    for claim in cur.claims.values():
        for ent in set(claim.entities()) - {claim.source}:
            by_entity.setdefault(ent, []).append(claim)
    return by_entity


def _counts(cur: Curation, involved: list[Claim]) -> tuple[int, int, int, int]:
    """Distinct cargos, diseases, studies and claims among ``involved``."""
    return (len({c.cargo for c in involved if c.cargo}),
            len({d.entity for c in involved for d in c.diseases}),
            len({k for c in involved for k in cur.study_keys(c)}),
            len(involved))


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
        Rows sorted by betweenness, then PageRank, then degree, then id; by studies, then
        claims when betweenness cannot separate them (:func:`separable`, the reasons in
        ``notes``). Betweenness and PageRank are rounded to 6 decimals (see
        :data:`DECIMALS`), z to 3.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> res = rank(load(), permutations=0)
    >>> res.rows[0].betweenness >= res.rows[-1].betweenness
    True
    """
    _check_rank_options(cur, entity_type, permutations)
    res = RANKINGS(cur, RankArgs(entity_type, level, permutations, seed, limit))
    return replace(res, rows=list(res.rows))  # the caller's own list of the (frozen) rows


@dataclass(frozen=True)
class RankArgs:
    """The arguments of one :func:`rank`, which key its result in a curation's index."""

    entity_type: str = "pathway"
    level: str = "pathway"
    permutations: int = DEFAULT_PERMUTATIONS
    seed: int = 0
    limit: int | None = None


def _ranking(cur: Curation, args: RankArgs) -> RankResult:
    """:func:`rank`'s result for ``args``, computed (the options already checked)."""
    pairs, merge = flow_edges(cur, args.level)
    with _hidden(*_OPTIONAL):
        return _rank_flow(cur, pairs, merge, args.entity_type, args.level, args.permutations,
                          args.seed, args.limit)


#: The rankings of a curation by their arguments. Deterministic for its arguments (the
#: rewiring is seeded), so the content-hash cache keeps each on disk: a warm call neither
#: imports igraph nor ranks.
RANKINGS: DerivedFor[RankArgs, RankResult] = DerivedFor("rank", _ranking, on_disk=True)


def _rank_flow(cur: Curation, pairs: list[tuple[str, str]], merge: dict[str, str],
               entity_type: str, level: str, permutations: int, seed: int,
               limit: int | None) -> RankResult:
    """The measures of :func:`rank` on the flow edges ``pairs`` (merged by ``merge``)."""
    h, names = _to_igraph(pairs)
    index = {n: i for i, n in enumerate(names)}

    def of_types(types: frozenset[str]) -> list[int]:
        return [index[n] for n in names
                if cur.entities.get(n) is not None and cur.entities[n].type in types]

    def of_role(role: str) -> list[int]:
        return of_types(types_with_role(cur, role))

    sources, targets = of_role("source"), of_role("disease")
    sample = max(10, min(len(sources), 100)) if h.vcount() > EXACT_LIMIT else None
    if sample is not None and sample >= len(sources):
        sample = None  # every source is used: the betweenness is exact, and says so
    observed = _betweenness(h, sources, targets, sample, seed)
    pagerank = h.pagerank(directed=True) if h.vcount() else []
    candidates = sorted(of_types(frozenset({entity_type})))
    null = _null_betweenness(h, candidates, sources, targets, sample, seed, permutations)
    members = _members(merge)
    by_entity = _claims_by_entity(cur)
    rows = []
    for i in candidates:
        n = names[i]
        involved = list({c.id: c for g in (n, *members.get(n, []))
                         for c in by_entity.get(g, [])}.values())
        cargos, diseases, studies, claims = _counts(cur, involved)
        rows.append(RankRow(
            entity=n, label=cur.label(n), betweenness=round(observed[i], DECIMALS),
            z=z_score(observed[i], null[i]), pagerank=round(pagerank[i], DECIMALS),
            degree=int(h.degree(i)), cargos=cargos, diseases=diseases, studies=studies,
            claims=claims, members=tuple(sorted(members.get(n, [])))))
    notes = separable(rows, permutations)
    if notes:
        rows.sort(key=lambda r: (-r.studies, -r.claims, -r.betweenness, -r.pagerank,
                                 r.entity))
    else:
        rows.sort(key=lambda r: (-r.betweenness, -r.pagerank, -r.degree, r.entity))
    if limit is not None:
        rows = rows[:limit]
    return RankResult(rows, entity_type, level, permutations, seed, sample,
                      h.vcount(), h.ecount(), "studies" if notes else "betweenness", notes)


def separable(rows: list[RankRow], permutations: int) -> tuple[str, ...]:
    """Why betweenness cannot rank ``rows``, or nothing when it can.

    It cannot when every entity has the same betweenness (all 0, say), or when, with
    rewirings, every z is below 0 (no entity lies on more source->disease paths than in
    degree-preserving random graphs: the order would only repeat their degrees). The
    rows are then ranked by studies, then claims.

    Examples
    --------
    >>> a = RankRow("a", "a", 0.0, -0.5, 0.1, 2, 0, 1, 3, 4)
    >>> b = RankRow("b", "b", 0.0, -0.2, 0.1, 2, 0, 1, 1, 1)
    >>> separable([a, b], 20)[0]
    'betweenness is 0.0 for every entity: it cannot separate them'
    >>> len(separable([a, b], 20)), separable([a, b], 0)[1:]
    (2, ())
    """
    if len(rows) < 2:
        return ()
    notes = []
    values = {r.betweenness for r in rows}
    if len(values) == 1:
        notes.append(f"betweenness is {values.pop()} for every entity: it cannot separate "
                     "them")
    zs = [r.z for r in rows if r.z is not None]
    if permutations and zs and all(z < 0 for z in zs):
        notes.append("every z is below 0: no entity lies on more source->disease paths than "
                     "in rewired graphs of the same degrees")
    return tuple(notes)
