"""Path queries: from an exosome source to a disease, with evidence and signs.

A path is a sequence of entities; each hop between two consecutive entities is backed by
one or more causal edges of the graph, each edge by the claims that assert it. A path is
**asserted** when one claim backs every hop (the claim says the whole chain) and
**inferred** when it is stitched from different claims (a hypothesis). Every hop says how
it is known (:attr:`Hop.how`): **stated** when a claim's mechanism writes it, **derived**
when it is read off a claim's reported effects (:func:`kg.graph.edges.derivation`). Signs
compose along the path (inhibits x inhibits = activates); a hop backed by edges of opposite
sign makes the path's net effect ``uncertain``.

Each path carries its evidence by the rule of :mod:`kg.query.evidence`: its distinct
studies and its strength (the weakest hop's strongest evidence), and how many times it
joins hops read in no common disease, a disease and the ones below it in the hierarchy
counting as one (:attr:`GraphPath.joins`). Paths are ranked asserted
first, then (``sort="score"``, the default) by a degree-damped path score (Hetionet's DWPC
idea) that halves at every such join, then by studies and strength; ``"studies"`` and
``"evidence"`` put those first. Ties end on the entity ids, so a query always prints the
same order. The default was chosen by the leave-one-study-out test of
:mod:`kg.query.holdout`.

Memory is bounded whatever the graph: the search keeps only the best ``keep`` paths it has
seen (at most twice that many between two trims), counts the rest, and stops at
``max_paths`` found or at its deadline.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from kg.data.curation import entity_id
from kg.data.hierarchy import descendants
from kg.data.index import Derived
from kg.data.model import Curation, Sign, multiply
from kg.data.runtime import no_cyclic_gc
from kg.errors import QueryError
from kg.graph.edges import Edge, edges
from kg.query.defaults import (
    DEFAULT_MAX_HOPS,
    DEFAULT_MAX_PATHS,
    DEFAULT_SORT,
    DEFAULT_TIMEOUT,
    SORTS,
)
from kg.query.evidence import (
    NOT_STATED,
    claim_diseases,
    claim_study_keys,
    disease_ancestors,
    joins,
    path_support,
    strength_rank,
    support,
)

__all__ = [
    "DAMPING", "DEFAULT_MAX_HOPS", "DEFAULT_MAX_PATHS", "DEFAULT_SORT", "DEFAULT_TIMEOUT",
    "JOIN_PENALTY", "PATH_KINDS", "SORTS", "GraphPath", "Hop", "Neighbor", "PathResult", "Upstream",
    "causal_adjacency", "neighbors", "path_score", "paths", "prepare", "rank_key", "select_claims",
    "upstream",
]

#: Edge kinds a path may follow.
PATH_KINDS = frozenset({"cargo", "causal"})
#: Damping exponent of the degree-weighted path score.
DAMPING = 0.4
#: Factor a path's score takes each time it passes between hops read in no common disease.
JOIN_PENALTY = 0.5


@dataclass(frozen=True)
class Hop:
    """Two consecutive entities of a path and the edges between them."""

    source: str
    target: str
    edges: tuple[Edge, ...]

    @property
    def claims(self) -> frozenset[str]:
        """Every claim backing any edge of this hop."""
        return frozenset(c for e in self.edges for c in e.claims)

    @property
    def signs(self) -> frozenset[Sign]:
        """The distinct signs of the hop's edges."""
        return frozenset(e.sign for e in self.edges)

    @property
    def sign(self) -> Sign:
        """The hop's sign when all its edges agree on a known sign, else None."""
        signs = self.signs
        return next(iter(signs)) if len(signs) == 1 else None

    @property
    def conflicting(self) -> bool:
        """True when the hop has both a positive and a negative edge."""
        return 1 in self.signs and -1 in self.signs

    @property
    def how(self) -> str:
        """``stated`` when a claim's mechanism writes the hop, else ``derived``.

        A derived hop is read off claims' reported effects (:func:`kg.graph.edges.derivation`
        says how, claim by claim): it reports what a study saw side by side, not a law.
        """
        return "derived" if all(e.derived for e in self.edges) else "stated"

    @property
    def sign_counts(self) -> dict[Sign, int]:
        """How many claims give the hop each sign (both show when the studies disagree)."""
        counts: dict[Sign, int] = {}
        for e in self.edges:
            counts[e.sign] = counts.get(e.sign, 0) + len(e.claim_ids)
        return counts


@dataclass(frozen=True)
class GraphPath:
    """One path of a query result: its entities, hops, asserting claims, studies and score.

    Called ``Path`` before exokg 0.2, a name that read as :class:`pathlib.Path`; the old
    name still imports from this module, with a DeprecationWarning, until 0.3.
    """

    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]
    asserted_by: tuple[str, ...]
    studies: int
    score: float
    strength: str = NOT_STATED
    #: How many times the path passes from a hop to the next without a disease their claims
    #: share, one of them the other or above it in the hierarchy
    #: (:func:`kg.query.evidence.joins`): 0 for a chain read in one context.
    joins: int = 0

    @property
    def asserted(self) -> bool:
        """True when one claim carries the whole path."""
        return bool(self.asserted_by)

    @property
    def net_sign(self) -> Sign:
        """Product of the hop signs, or None when any is unknown or conflicting."""
        return multiply(*(h.sign for h in self.hops))

    @property
    def conflicting(self) -> bool:
        """True when any hop has edges of opposite sign."""
        return any(h.conflicting for h in self.hops)

    @property
    def net_effect(self) -> str:
        """The net effect: ``+`` or ``-``, ``uncertain`` or ``unknown``.

        ``uncertain`` when the studies behind a hop disagree on its sign (never a sign
        then), ``unknown`` when a hop's sign is not stated.
        """
        if self.conflicting:
            return "uncertain"
        sign = self.net_sign
        return "unknown" if sign is None else ("+" if sign > 0 else "-")

    @property
    def kind(self) -> str:
        """``asserted`` or ``inferred``."""
        return "asserted" if self.asserted else "inferred"


if TYPE_CHECKING:
    #: Deprecated name of :class:`GraphPath`; at run time it comes from :func:`__getattr__`.
    Path = GraphPath


def __getattr__(name: str) -> Any:
    """The deprecated name ``Path`` (now :class:`GraphPath`), with a DeprecationWarning."""
    if name == "Path":
        warnings.warn("kg.query.paths.Path is now kg.query.paths.GraphPath; the old name "
                      "goes in exokg 0.3", DeprecationWarning, stacklevel=2)
        return GraphPath
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class PathResult:
    """Paths found by :func:`paths`, and how the search ended."""

    source: str
    target: str
    paths: list[GraphPath] = field(default_factory=list)
    found: int = 0
    capped: bool = False
    timed_out: bool = False
    max_hops: int = DEFAULT_MAX_HOPS
    #: How many of the ``found`` paths are asserted (``paths`` may hold only the best).
    asserted: int = 0


def causal_adjacency(cur: Curation, claim_filter: Iterable[str] | None = None
                     ) -> dict[str, dict[str, list[Edge]]]:
    """Adjacency of the causal part of the graph: ``adj[u][v]`` = edges u -> v.

    With ``claim_filter``, only edges backed by those claims remain (and only with them).
    """
    allowed = set(claim_filter) if claim_filter is not None else None
    adj: dict[str, dict[str, list[Edge]]] = {}
    for e in edges(cur):
        if e.kind not in PATH_KINDS:
            continue
        if allowed is not None:
            kept = tuple(c for c in e.claims if c in allowed)
            if not kept:
                continue
            e = Edge(e.subject, e.predicate, e.object, e.sign, e.kind, kept, e.derived)
        adj.setdefault(e.subject, {}).setdefault(e.object, []).append(e)
    return adj


def select_claims(cur: Curation, *, evidence: str | None = None, agent: str | None = None
                  ) -> list[str]:
    """Ids of the claims that pass the evidence and agent filters."""
    wanted = evidence.replace("-", " ") if evidence else None
    return sorted(
        c.id for c in cur.claims.values()
        if (wanted is None or wanted in c.evidence) and (agent is None or c.agent == agent))


def _reverse(adj: dict[str, dict[str, list[Edge]]]) -> dict[str, set[str]]:
    """Predecessors of every node."""
    reverse: dict[str, set[str]] = {}
    for u, nbrs in adj.items():
        for v in nbrs:
            reverse.setdefault(v, set()).add(u)
    return reverse


def _distances_to(reverse: dict[str, set[str]], targets: set[str]) -> dict[str, int]:
    """Hop distance from every node to the nearest of ``targets`` (reverse breadth-first)."""
    dist = dict.fromkeys(targets, 0)
    frontier = list(targets)
    while frontier:
        nxt = []
        for v in frontier:
            for u in reverse.get(v, ()):
                if u not in dist:
                    dist[u] = dist[v] + 1
                    nxt.append(u)
        frontier = nxt
    return dist


def _degrees(adj: dict[str, dict[str, list[Edge]]]) -> dict[str, int]:
    """Number of distinct neighbours (in or out) of each node in the causal graph."""
    nbrs: dict[str, set[str]] = {}
    for u, vs in adj.items():
        for v in vs:
            nbrs.setdefault(u, set()).add(v)
            nbrs.setdefault(v, set()).add(u)
    return {n: len(s) for n, s in nbrs.items()}


#: The causal adjacency of the whole curation (:func:`causal_adjacency` without a filter).
_ADJACENCY: Derived[dict[str, dict[str, list[Edge]]]] = Derived("adjacency", causal_adjacency)
#: Its reverse (the predecessors of every node) and the degree of every node.
_REVERSE: Derived[dict[str, set[str]]] = Derived(
    "reverse", lambda cur: _reverse(_ADJACENCY(cur)))
_DEGREES: Derived[dict[str, int]] = Derived("degrees", lambda cur: _degrees(_ADJACENCY(cur)))


def path_score(nodes: tuple[str, ...], degrees: dict[str, int], w: float = DAMPING) -> float:
    """Degree-damped score of a path: the product over hops of (deg(u) * deg(v)) ** -w.

    A path's :attr:`GraphPath.score` is this times :data:`JOIN_PENALTY` per context join.

    Hubs (NF-κB touches everything) make a path's score small, so specific mechanisms
    rank above paths that only pass through a popular node.

    Examples
    --------
    >>> path_score(("a", "b", "c"), {"a": 1, "b": 4, "c": 1}, w=0.5)
    0.25
    """
    score = 1.0
    for u, v in pairwise(nodes):
        score *= (degrees.get(u, 1) * degrees.get(v, 1)) ** -w
    return score


class _HopIndex:
    """Per-query memo of hops: their edges, claims, support (rule 2) and diseases."""

    def __init__(self, adj: dict[str, dict[str, list[Edge]]], cur: Curation) -> None:
        self.adj = adj
        self.cur = cur
        self.diseases = claim_diseases(cur)
        self.above = disease_ancestors(cur)
        self.hops: dict[tuple[str, str], tuple[Hop, frozenset[str], tuple[int, str],
                                               frozenset[str]]] = {}

    def hop(self, u: str, v: str) -> tuple[Hop, frozenset[str], tuple[int, str], frozenset[str]]:
        hit = self.hops.get((u, v))
        if hit is None:
            hop = Hop(u, v, tuple(self.adj[u][v]))
            claims = hop.claims
            found = self.diseases
            hit = self.hops[(u, v)] = (hop, claims, support(self.cur, claims), frozenset(
                d for c in claims if c in found for d in found[c]))
        return hit


def _make_path(nodes: tuple[str, ...], index: _HopIndex, degrees: dict[str, int]) -> GraphPath:
    parts = [index.hop(u, v) for u, v in pairwise(nodes)]
    hops = tuple(h for h, _, _, _ in parts)
    common = set(parts[0][1])
    for _, claims, _, _ in parts[1:]:
        common &= claims
        if not common:
            break
    if common:
        # an asserted path is read with the asserting claims' own edges (and signs)
        hops = tuple(
            Hop(h.source, h.target, tuple(
                Edge(e.subject, e.predicate, e.object, e.sign, e.kind,
                     tuple(c for c in e.claims if c in common), e.derived)
                for e in h.edges if common & set(e.claims)))
            for h in hops)
    studies, strength = path_support(
        (s for _, _, s, _ in parts), support(index.cur, common) if common else None)
    crossed = 0 if common else joins(((c, d) for _, c, _, d in parts), index.above)
    return GraphPath(nodes, hops, tuple(sorted(common)), studies,
                     round(path_score(nodes, degrees) * JOIN_PENALTY ** crossed, 12), strength,
                     crossed)


def prepare(cur: Curation) -> None:
    """Build the path index (edges, adjacency, degrees) now rather than at the first query.

    Part of loading a large graph, so that the first query is as fast as the next ones.
    """
    _REVERSE(cur)
    _DEGREES(cur)
    claim_study_keys(cur)
    claim_diseases(cur)
    disease_ancestors(cur)


def rank_key(path: GraphPath, sort: str = DEFAULT_SORT) -> tuple[Any, ...]:
    """Sort key of a path; every order ends in the length and the ids (deterministic).

    ``score`` (default): asserted first, higher score (context joins included), more
    studies, stronger evidence.
    ``studies``: asserted first, more studies, stronger evidence, higher score.
    ``evidence``: asserted first, stronger evidence, more studies, higher score.

    Examples
    --------
    >>> a = GraphPath(("s", "x", "d"), (), (), 2, 0.1, "in vitro")
    >>> b = GraphPath(("s", "y", "d"), (), (), 1, 0.2, "in vivo")
    >>> [p.nodes[1] for p in sorted([a, b], key=rank_key)]
    ['y', 'x']
    >>> [p.nodes[1] for p in sorted([a, b], key=lambda p: rank_key(p, "studies"))]
    ['x', 'y']
    """
    tail = (len(path.nodes), path.nodes)
    strength = strength_rank(path.strength)
    if sort == "evidence":
        return (not path.asserted, strength, -path.studies, -path.score, *tail)
    if sort == "score":
        return (not path.asserted, -path.score, -path.studies, strength, *tail)
    return (not path.asserted, -path.studies, strength, -path.score, *tail)


class _Best:
    """The best ``keep`` paths seen so far (all of them when ``keep`` is None).

    Paths are added in bulk and the buffer is sorted and cut back to ``keep`` whenever it
    holds twice that many, so memory stays proportional to ``keep`` however many paths the
    search walks; :attr:`seen` counts every path added.
    """

    def __init__(self, keep: int | None, key: Callable[[GraphPath], tuple[Any, ...]]) -> None:
        self.keep, self.key = keep, key
        self.paths: list[GraphPath] = []
        self.seen = self.asserted = 0

    def add(self, path: GraphPath) -> None:
        self.seen += 1
        self.asserted += path.asserted
        self.paths.append(path)
        if self.keep is not None and len(self.paths) >= 2 * self.keep + 16:
            self.paths.sort(key=self.key)
            del self.paths[self.keep:]

    def ranked(self) -> list[GraphPath]:
        self.paths.sort(key=self.key)
        if self.keep is not None:
            del self.paths[self.keep:]
        return self.paths


def _endpoint_ids(cur: Curation, source: str, target: str, via: Iterable[str],
                  avoid: Iterable[str], max_hops: int
                  ) -> tuple[str, str, frozenset[str], frozenset[str]]:
    """Resolve the query's names to entity ids and reject contradictory options.

    Raises
    ------
    QueryError
        When ``max_hops`` is below 1, source and target are one entity, an entity is both
        in ``via`` and ``avoid``, or ``avoid`` names the source or the target.
    """
    source, target = entity_id(cur, source), entity_id(cur, target)
    via_set = frozenset(entity_id(cur, v) for v in via)
    avoid_set = frozenset(entity_id(cur, a) for a in avoid)
    if max_hops < 1:
        raise QueryError("--max-hops must be at least 1")
    if source == target:
        raise QueryError("source and target are the same entity")
    if via_set & avoid_set:
        both = ", ".join(sorted(via_set & avoid_set))
        raise QueryError(f"cannot both pass through and avoid {both}")
    if {source, target} & avoid_set:
        raise QueryError("cannot avoid the source or the target itself")
    return source, target, via_set, avoid_set


def _search_graph(cur: Curation, evidence: str | None, agent: str | None
                  ) -> tuple[dict[str, dict[str, list[Edge]]], dict[str, set[str]]]:
    """The adjacency a query walks and its reverse: cached, or filtered by claim.

    Without filters both come from the curation's cache (built once, see :func:`prepare`);
    with ``evidence`` or ``agent`` they are built for this query from the claims that pass.
    """
    if evidence or agent:
        adj = causal_adjacency(cur, select_claims(cur, evidence=evidence, agent=agent))
        return adj, _reverse(adj)
    return _ADJACENCY(cur), _REVERSE(cur)


def _full_degrees(cur: Curation) -> dict[str, int]:
    """Degrees in the whole causal graph (path scores ignore the query's filters)."""
    return _DEGREES(cur)


def _ends(cur: Curation, source: str, target: str, avoid: frozenset[str],
          include_subtypes: bool) -> tuple[set[str], set[str]]:
    """Where paths may start and end: the entities, with their narrower ones if asked.

    An entity that is both (a source narrower than the target, say) only ends paths, and
    avoided entities do neither.
    """
    ends = {target} | (descendants(cur, target) if include_subtypes else set())
    starts = {source} | (descendants(cur, source) if include_subtypes else set())
    ends -= avoid
    starts -= avoid | ends
    return starts, ends


@dataclass(frozen=True)
class _Search:
    """One depth-first walk: the graph, where it starts and ends, and its bounds."""

    adj: dict[str, dict[str, list[Edge]]]
    dist: dict[str, int]
    starts: set[str]
    ends: set[str]
    avoid: frozenset[str]
    max_hops: int


def _walk(search: _Search, keep: Callable[[tuple[str, ...]], GraphPath | None],
          found: _Best, max_paths: int, deadline: float) -> tuple[bool, bool]:
    """Walk every simple path that can still reach an end; ``keep`` judges each one found.

    Depth-first, children in sorted order so that a capped search is deterministic; a
    branch is only followed when the breadth-first distances ``search.dist`` say an end is
    still within the hops left. The paths kept go to ``found``; returns whether the search
    stopped on ``max_paths`` (``capped``) or on ``deadline`` (``timed_out``, checked every
    1024 steps).
    """
    adj, dist, ends, avoid, max_hops = (search.adj, search.dist, search.ends, search.avoid,
                                        search.max_hops)
    far = max_hops + 1
    capped = timed_out = False
    stack: list[tuple[str, ...]] = [
        (s,) for s in sorted(search.starts, reverse=True) if dist.get(s, far) <= max_hops]
    # successors worth following from a node with a given number of hops left, in the
    # reverse-sorted order the stack needs (children come off it sorted)
    useful: dict[tuple[str, int], list[str]] = {}
    steps = 0
    while stack:
        nodes = stack.pop()
        if found.seen >= max_paths:
            capped = True
            break
        steps += 1
        if not steps & 1023 and time.monotonic() > deadline:
            timed_out = True
            break
        last = nodes[-1]
        if last in ends:
            path = keep(nodes)
            if path is not None:
                found.add(path)
            continue
        left = max_hops - (len(nodes) - 1)
        nexts = useful.get((last, left))
        if nexts is None:
            nexts = useful[(last, left)] = sorted(
                (v for v in adj.get(last, {})
                 if dist.get(v, far) <= left - 1 and v not in avoid), reverse=True)
        for nxt in nexts:
            if nxt not in nodes:
                stack.append((*nodes, nxt))
    return capped, timed_out


def paths(
    cur: Curation,
    source: str,
    target: str,
    *,
    max_hops: int = DEFAULT_MAX_HOPS,
    via: Iterable[str] = (),
    avoid: Iterable[str] = (),
    asserted_only: bool = False,
    evidence: str | None = None,
    agent: str | None = None,
    max_paths: int = DEFAULT_MAX_PATHS,
    timeout: float = DEFAULT_TIMEOUT,
    include_subtypes: bool = True,
    min_studies: int = 0,
    min_evidence: str | None = None,
    sort: str = DEFAULT_SORT,
    keep: int | None = None,
    deadline: float | None = None,
) -> PathResult:
    """Every path from ``source`` to ``target`` (entity ids) up to ``max_hops`` edges, ranked.

    Parameters
    ----------
    cur : Curation
        The curated data.
    source, target : str
        Entity ids (resolve names first with :func:`kg.data.curation.resolve`).
    max_hops : int
        Longest path, in edges.
    via, avoid : iterable of str
        Entity ids every path must pass through / must not touch.
    asserted_only : bool
        Keep only paths one claim carries end to end.
    evidence : str, optional
        ``in-vivo``, ``in-vitro`` or ``clinical``: use only claims with that evidence.
    agent : str, optional
        ``exosome`` or ``cells``: use only claims about that agent.
    max_paths, timeout : int, float
        The search stops after this many paths or seconds; the result says so.
    include_subtypes : bool
        Also start from narrower sources (Wharton's jelly MSC for umbilical cord MSC) and
        end at narrower diseases (knee osteoarthritis for osteoarthritis).
    min_studies : int
        Keep only paths backed by at least this many distinct studies (rule 3 of
        :mod:`kg.query.evidence`).
    min_evidence : str, optional
        ``clinical``, ``in-vivo`` or ``in-vitro``: keep only paths whose strength (their
        weakest hop's) is at least this.
    sort : str
        ``score`` (default), ``studies`` or ``evidence``: see :func:`rank_key`.
    keep : int, optional
        Hold only the best ``keep`` paths while searching (memory proportional to it);
        ``found`` still counts every path. None keeps all (up to ``max_paths``).
    deadline : float, optional
        A :func:`time.monotonic` instant the search must stop by, when it comes before
        ``timeout`` seconds from now (a command passes its own start plus its timeout).

    Returns
    -------
    PathResult
        The ranked paths, how many were found, and whether a cap or the time bound hit.

    Raises
    ------
    QueryError
        For contradictory or out-of-range options.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> res = paths(cur, "BM-MSC", "osteoarthritis", asserted_only=True)
    >>> all(p.nodes[0] == "BM-MSC" for p in res.paths)
    True
    >>> ends = {"osteoarthritis"} | descendants(cur, "osteoarthritis")
    >>> all(p.nodes[-1] in ends for p in res.paths)
    True
    """
    if keep is not None and sort == "score" and not min_studies and min_evidence is None \
            and _BEST_FIRST:
        return _best_paths(cur, source, target, keep, max_hops, via, avoid, asserted_only,
                           evidence, agent, max_paths, timeout, include_subtypes, deadline)
    source, target, via_set, avoid_set = _endpoint_ids(cur, source, target, via, avoid,
                                                       max_hops)
    weakest_allowed = _check_ranking(sort, min_studies, min_evidence, keep)
    adj, reverse = _search_graph(cur, evidence, agent)
    degrees = _full_degrees(cur)
    starts, ends = _ends(cur, source, target, avoid_set, include_subtypes)
    search = _Search(adj, _distances_to(reverse, ends), starts, ends, avoid_set, max_hops)
    index = _HopIndex(adj, cur)

    def judge(nodes: tuple[str, ...]) -> GraphPath | None:
        if not via_set <= set(nodes):
            return None
        path = _make_path(nodes, index, degrees)
        if (asserted_only and not path.asserted) or path.studies < min_studies:
            return None
        return path if strength_rank(path.strength) <= weakest_allowed else None

    best = _Best(keep, lambda p: rank_key(p, sort))
    stop = time.monotonic() + timeout
    with no_cyclic_gc():
        capped, timed_out = _walk(search, judge, best, max_paths,
                                  stop if deadline is None else min(stop, deadline))
    return PathResult(source, target, best.ranked(), best.seen, capped, timed_out, max_hops,
                      best.asserted)


def _check_ranking(sort: str, min_studies: int, min_evidence: str | None,
                   keep: int | None) -> int:
    """Reject unknown ranking options; the weakest strength rank a path may have."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort '{sort}' (known: {', '.join(SORTS)})")
    if min_studies < 0:
        raise QueryError("--min-studies must be 0 or more")
    if keep is not None and keep < 1:
        raise QueryError("keep must be 1 or more (None keeps every path)")
    if min_evidence is None:
        return strength_rank(NOT_STATED)
    wanted = min_evidence.replace("-", " ").strip()
    if wanted not in ("clinical", "in vivo", "in vitro"):
        raise QueryError(f"unknown evidence '{min_evidence}' (known: clinical, in-vivo, "
                         "in-vitro)")
    return strength_rank(wanted)


def _score_key(path: GraphPath) -> tuple[Any, ...]:
    """:func:`rank_key` in the score order, the one order :class:`_Top` can cut early."""
    return rank_key(path, "score")


class _Top(_Best):
    """The best ``limit`` paths in the score order, kept ranked as they come.

    Every path the search judges is counted (:meth:`count`); one needs building only when
    it may still rank among the best: :meth:`beaten` compares what ranks first in the score
    order (asserted or not, then the score) with the worst path kept.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(limit, _score_key)
        self.limit = limit
        self.keys: list[tuple[Any, ...]] = []

    def count(self, asserted: bool) -> None:
        """One more path found (built or not)."""
        self.seen += 1
        self.asserted += asserted

    def beaten(self, asserted: bool, best_score: float) -> bool:
        """True when ``limit`` paths kept all rank before any path with these first terms."""
        if len(self.keys) < self.limit:
            return False
        worst = self.keys[-1]
        return (not asserted, -best_score) > (worst[0], worst[1])

    def add(self, path: GraphPath) -> None:
        from bisect import bisect

        key = _score_key(path)
        at = bisect(self.keys, key)
        if at < self.limit:
            self.keys.insert(at, key)
            self.paths.insert(at, path)
            del self.keys[self.limit:], self.paths[self.limit:]

    def ranked(self) -> list[GraphPath]:
        return self.paths


#: The hops of queries without claim filters, shared by all of them (:func:`_best_paths`).
_HOP_INDEX: Derived[_HopIndex] = Derived("hop_index", lambda cur: _HopIndex(_ADJACENCY(cur), cur))


#: Whether :func:`paths` with ``keep`` in the score order builds only the paths that can rank
#: among the best (:func:`_best_paths`); the exhaustive search is the reference the tests
#: hold it equal to.
_BEST_FIRST = True


def _best_paths(cur: Curation, source: str, target: str, keep: int, max_hops: int,
                via: Iterable[str], avoid: Iterable[str], asserted_only: bool,
                evidence: str | None, agent: str | None, max_paths: int, timeout: float,
                include_subtypes: bool, deadline: float | None) -> PathResult:
    """:func:`paths` with ``keep`` in the score order, building only the paths that can rank.

    The same result as the exhaustive search: the same best ``keep`` paths in the same
    order, the same counts (``found``, ``asserted``), the same cap. Every path is still
    walked and counted, but one is made into a :class:`GraphPath` (its hops' edges, studies,
    evidence and context joins) only when what ranks first (asserted or not, then its score
    before any join penalty, which only lowers a score) does not already put it behind the
    ``keep`` best so far.
    """
    source, target, via_set, avoid_set = _endpoint_ids(cur, source, target, via, avoid,
                                                       max_hops)
    _check_ranking("score", 0, None, keep)
    adj, reverse = _search_graph(cur, evidence, agent)
    degrees = _full_degrees(cur)
    starts, ends = _ends(cur, source, target, avoid_set, include_subtypes)
    search = _Search(adj, _distances_to(reverse, ends), starts, ends, avoid_set, max_hops)
    # without claim filters the hops are those of every query: their index is kept
    index = _HopIndex(adj, cur) if evidence or agent else _HOP_INDEX(cur)
    best = _Top(keep)
    # per pair of nodes: its hop's claims and its factor of the path score, computed as
    # Hop.claims and path_score compute them (the same floats, multiplied in the same order)
    pairs: dict[tuple[str, str], tuple[frozenset[str], float]] = {}
    # every path found, by what ranks first: (not asserted, minus its score's upper bound)
    found: list[tuple[bool, float, tuple[str, ...]]] = []

    def judge(nodes: tuple[str, ...]) -> GraphPath | None:
        if via_set and not via_set <= set(nodes):
            return None
        common: set[str] | None = None
        score = 1.0
        for pair in pairwise(nodes):
            hit = pairs.get(pair)
            if hit is None:
                u, v = pair
                hit = pairs[pair] = (frozenset(c for e in adj[u][v] for c in e.claims),
                                     (degrees.get(u, 1) * degrees.get(v, 1)) ** -DAMPING)
            common = set(hit[0]) if common is None else common & hit[0]
            score *= hit[1]
        if asserted_only and not common:
            return None
        best.count(bool(common))
        found.append((not common, -round(score, 12), nodes))
        return None

    stop = time.monotonic() + timeout
    with no_cyclic_gc():
        capped, timed_out = _walk(search, judge, best, max_paths,
                                  stop if deadline is None else min(stop, deadline))
        found.sort(key=lambda f: (f[0], f[1]))
        for inferred, bound, nodes in found:
            if best.beaten(not inferred, -bound):
                break  # this path and every later one rank after the best kept
            best.add(_make_path(nodes, index, degrees))
    return PathResult(source, target, best.ranked(), best.seen, capped, timed_out, max_hops,
                      best.asserted)


@dataclass(frozen=True)
class Neighbor:
    """A neighbour of an entity and the edges that connect them."""

    entity: str
    direction: str
    predicates: tuple[str, ...]
    claims: tuple[str, ...]


def neighbors(cur: Curation, entity: str, *, direction: str = "both",
              entity_type: str | None = None, include_hierarchy: bool = False
              ) -> list[Neighbor]:
    """Entities one edge away from ``entity``, with predicates and supporting claims.

    ``direction`` is ``out`` (what the entity acts on), ``in`` (what acts on it) or
    ``both``. Sorted by number of claims, then id.
    """
    entity = entity_id(cur, entity)
    if direction not in ("out", "in", "both"):
        raise QueryError(f"direction must be out, in or both, not '{direction}'")
    found: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for e in edges(cur):
        if e.kind == "hierarchy" and not include_hierarchy:
            continue
        for me, other, way in ((e.subject, e.object, "out"), (e.object, e.subject, "in")):
            if me != entity or direction not in (way, "both"):
                continue
            if entity_type and cur.entities.get(other) is not None and \
                    cur.entities[other].type != entity_type:
                continue
            if entity_type and other not in cur.entities and entity_type != "trial":
                continue
            preds, claims = found.setdefault((other, way), (set(), set()))
            preds.add(e.predicate)
            claims.update(e.claims)
    out = [Neighbor(o, way, tuple(sorted(p)), tuple(sorted(c)))
           for (o, way), (p, c) in found.items()]
    out.sort(key=lambda n: (-len(n.claims), n.direction, n.entity))
    return out


@dataclass(frozen=True)
class Upstream:
    """A source or cargo whose claims reach a disease."""

    entity: str
    role: str
    claims: tuple[str, ...]
    studies: int


def upstream(cur: Curation, disease: str, *, role: str | None = None,
             include_subtypes: bool = True) -> list[Upstream]:
    """Sources and cargos with claims that reach ``disease`` (the reverse direction).

    With ``include_subtypes``, claims about a narrower disease (a child in the hierarchy)
    count too. Sorted by distinct studies, then claims, then id.
    """
    disease = entity_id(cur, disease)
    targets = {disease} | (descendants(cur, disease) if include_subtypes else set())
    hits: dict[tuple[str, str], list[str]] = {}
    for claim in cur.claims.values():
        if not any(d.entity in targets for d in claim.diseases):
            continue
        hits.setdefault((claim.source, "source"), []).append(claim.id)
        if claim.cargo:
            hits.setdefault((claim.cargo, "cargo"), []).append(claim.id)
    out = []
    for (ent_id, r), ids in hits.items():
        if role and r != role:
            continue
        keys = {k for c in ids for k in cur.study_keys(cur.claims[c])}
        out.append(Upstream(ent_id, r, tuple(sorted(ids)), len(keys)))
    out.sort(key=lambda u: (u.role != "source", -u.studies, -len(u.claims), u.entity))
    return out
