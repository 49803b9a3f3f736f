"""Paths to a disease's nearest relatives in the disease hierarchy, when none reach it.

A disease that no claim names (or that no chain of claims reaches) gets no path. What the
graph still knows about it is where it sits in the vocabulary's disease hierarchy (the
``parents`` of the entity tables, which follow MONDO's and DOID's classification): a source
whose chains reach Alzheimer's disease is a candidate, and only a candidate, for another
neurodegenerative disease. :func:`paths_via_hierarchy` backs off one step at a time: the
disease itself (with its narrower diseases, as a path query does), then the diseases under
its parents (the parents themselves, its siblings and their subtypes), then under its
grandparents, and stops at the first level some path reaches. Every path it returns at a
level above 0 ends at a relative, never at the disease, and says so
(:meth:`HierarchyResult.relation`); its weight is ``discount ** level``.

The hierarchy is the vocabulary's, not a study's: no claim adds a parent link (the parent
edges come from the entity tables alone, :func:`kg.graph.edges.edges`), so a search in a copy
without some claims (:mod:`kg.query.holdout`) backs off over the same classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.data.curation import entity_id
from kg.data.hierarchy import descendants
from kg.data.model import Curation
from kg.query.paths import DEFAULT_SORT, GraphPath, PathResult, paths, rank_key

__all__ = [
    "HIERARCHY_DISCOUNT", "HierarchyResult", "Level", "hierarchy_levels", "paths_via_hierarchy",
]

#: Factor a relative's paths are weighted by per step up the hierarchy. Chosen by the
#: leave-one-study-out test (``bench/evaluate_paths.py --via-hierarchy``) on the pairs of
#: every other disease, among 0.1, 0.25, 0.5 and 0.75, and reported on the rest (see
#: docs/paths.md).
HIERARCHY_DISCOUNT = 0.25


@dataclass(frozen=True)
class Level:
    """The relatives of a disease ``level`` steps up its hierarchy.

    ``classes`` are its ancestors that many steps up (none at level 0), ``ends`` the
    diseases under them (the classes included) that no lower level holds.
    """

    level: int
    classes: tuple[str, ...]
    ends: frozenset[str]


def hierarchy_levels(cur: Curation, disease: str) -> list[Level]:
    """The disease's relatives level by level: itself and its subtypes first, then up.

    An ancestor belongs to the level of its shortest way up (a disease with two parents
    climbs both at once). Only parents of the entity's own type are climbed (a disease's
    broader diseases; a protein's pathway is not its relative).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> levels = hierarchy_levels(load(), "Parkinsons-disease")
    >>> levels[1].classes
    ('neurodegenerative-disease',)
    >>> "Alzheimers-disease" in levels[1].ends, "Parkinsons-disease" in levels[1].ends
    (True, False)
    """
    disease = entity_id(cur, disease)
    kind = cur.entities[disease].type
    seen = {disease} | descendants(cur, disease)
    out = [Level(0, (), frozenset(seen))]
    frontier = [disease]
    climbed = {disease}
    while frontier:
        up = sorted({p for x in frontier for p in cur.entities[x].parents
                     if p in cur.entities and cur.entities[p].type == kind
                     and p not in climbed})
        if not up:
            break
        climbed.update(up)
        ends = set().union(*({a} | descendants(cur, a) for a in up)) - seen
        seen |= ends
        out.append(Level(len(out), tuple(up), frozenset(ends)))
        frontier = up
    return out


@dataclass
class HierarchyResult:
    """What :func:`paths_via_hierarchy` found: the paths of the first level reached."""

    source: str
    disease: str
    #: the level the paths reach (0: the disease itself), None when no level has a path
    level: int | None
    classes: tuple[str, ...]
    result: PathResult
    discount: float = HIERARCHY_DISCOUNT
    #: the class of ``classes`` each relative is under (ends of the paths only)
    under: dict[str, str] = field(default_factory=dict)

    @property
    def weight(self) -> float:
        """The factor a score of these paths takes: ``discount ** level`` (0 when none)."""
        return 0.0 if self.level is None else self.discount ** self.level

    @property
    def paths(self) -> list[GraphPath]:
        """The ranked paths of the level reached."""
        return self.result.paths

    def relation(self, cur: Curation, end: str) -> str:
        """How a path's end is related to the disease asked for, in words.

        Examples
        --------
        >>> from kg.data.curation import load
        >>> cur = load()
        >>> r = HierarchyResult("x", "Parkinsons-disease", 1, ("neurodegenerative-disease",),
        ...                     PathResult("x", "Parkinsons-disease"),
        ...                     under={"Alzheimers-disease": "neurodegenerative-disease"})
        >>> print(r.relation(cur, "Alzheimers-disease"))  # doctest: +NORMALIZE_WHITESPACE
        Alzheimer's disease: a relative of Parkinson's disease (both under
        neurodegenerative disease, 1 step up)
        """
        if not self.level:
            return cur.label(end)
        steps = f"{self.level} step{'s' if self.level > 1 else ''} up"
        cls = self.under.get(end, end)
        if cls == end:
            return (f"{cur.label(end)}: a broader class of {cur.label(self.disease)} "
                    f"({steps})")
        return (f"{cur.label(end)}: a relative of {cur.label(self.disease)} "
                f"(both under {cur.label(cls)}, {steps})")


def paths_via_hierarchy(cur: Curation, source: str, disease: str, *,
                        discount: float = HIERARCHY_DISCOUNT, max_level: int | None = None,
                        **kwargs: Any) -> HierarchyResult:
    """Paths from ``source`` to ``disease``, or else to its nearest relatives that any reach.

    ``kwargs`` go to :func:`kg.query.paths.paths` for every level (``include_subtypes`` stays
    on: the relatives are whole subtrees). At level 0 the answer is that of
    :func:`~kg.query.paths.paths`; above it, the paths of one search per class of the level,
    kept when they end at a relative of that level, each once, ranked as ``sort`` says.
    A level is reached by any path, asserted or not: a claim on a sibling disease is, for
    the disease asked for, an inference too. ``max_level`` stops the climb there (0: only the
    disease itself, as a path query).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> hit = paths_via_hierarchy(cur, "UC-MSC", "Parkinsons-disease", max_hops=4)
    >>> hit.level, hit.weight
    (0, 1.0)
    """
    source, disease = entity_id(cur, source), entity_id(cur, disease)
    kwargs.pop("include_subtypes", None)
    kwargs.pop("keep", None)
    sort = kwargs.get("sort", DEFAULT_SORT)

    first = paths(cur, source, disease, **kwargs)
    if first.paths:
        return HierarchyResult(source, disease, 0, (), first, discount)
    for level in hierarchy_levels(cur, disease)[1:]:
        if max_level is not None and level.level > max_level:
            break
        found: dict[tuple[str, ...], GraphPath] = {}
        under: dict[str, str] = {}
        merged = PathResult(source, level.classes[0], max_hops=first.max_hops)
        for cls in level.classes:
            if cls == source:
                continue
            res = paths(cur, source, cls, **kwargs)
            merged.capped |= res.capped
            merged.timed_out |= res.timed_out
            for p in res.paths:
                end = p.nodes[-1]
                if end in level.ends and p.nodes not in found:
                    found[p.nodes] = p
                    under.setdefault(end, cls)
        ranked = sorted(found.values(), key=lambda p: rank_key(p, sort))
        if ranked:
            merged.paths = ranked
            merged.found = len(ranked)
            merged.asserted = sum(1 for p in ranked if p.asserted)
            return HierarchyResult(source, disease, level.level, level.classes, merged,
                                   discount, under)
    return HierarchyResult(source, disease, None, (), first, discount)
