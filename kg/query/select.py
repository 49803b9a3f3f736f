"""Parts of the graph: selections that views draw and exports write.

A :class:`Selection` is a set of nodes and edges (the neighbourhood of an entity, everything
reaching a disease, the answer of a path query). Views draw it as it is; exports write the
*curation restricted to it* (:func:`restrict`), so every export format can write a subgraph
with the same writer it uses for the whole graph.

Examples
--------
>>> from kg.data.curation import load
>>> cur = load()
>>> sel = around(cur, "osteoarthritis", hops=1)
>>> "osteoarthritis" in sel.nodes and all(e.subject in sel.nodes for e in sel.edges)
True
>>> sub = restrict(cur, sel)
>>> 0 < len(sub.claims) < len(cur.claims)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kg.data.model import Attribute, Claim, Curation, Trial
from kg.errors import QueryError
from kg.graph.edges import Edge, edges, trial_nodes
from kg.query.defaults import DEFAULT_HOPS
from kg.query.paths import PathResult

__all__ = [
    "DEFAULT_HOPS", "Selection", "around", "of_paths", "reaching", "restrict", "subgraph", "whole",
]


@dataclass
class Selection:
    """What a view draws or an export writes: node ids, edges, and (for paths) the paths."""

    title: str
    nodes: set[str] = field(default_factory=set)
    edges: list[Edge] = field(default_factory=list)
    paths: PathResult | None = None


def whole(cur: Curation) -> Selection:
    """Everything: every entity, trial and edge."""
    sel = Selection("exokg: the whole curated graph")
    sel.nodes = set(cur.entities) | set(trial_nodes(cur))
    sel.edges = edges(cur)
    return sel


def around(cur: Curation, entity: str, hops: int = DEFAULT_HOPS) -> Selection:
    """Entities within ``hops`` edges of ``entity`` (either direction), and their edges.

    Raises
    ------
    QueryError
        When ``hops`` is negative.
    """
    if hops < 0:
        raise QueryError("--hops must be 0 or more")
    all_edges = edges(cur)
    nbrs: dict[str, set[str]] = {}
    for e in all_edges:
        nbrs.setdefault(e.subject, set()).add(e.object)
        nbrs.setdefault(e.object, set()).add(e.subject)
    seen = {entity}
    frontier = {entity}
    for _ in range(hops):
        frontier = {n for f in frontier for n in nbrs.get(f, ())} - seen
        seen |= frontier
    sel = Selection(f"exokg: {cur.label(entity)} and its {hops}-hop neighbourhood")
    sel.nodes = seen
    sel.edges = [e for e in all_edges if e.subject in seen and e.object in seen]
    return sel


def of_paths(cur: Curation, result: PathResult) -> Selection:
    """The nodes and edges of a path query's answer."""
    sel = Selection(f"exokg: paths from {cur.label(result.source)} to "
                    f"{cur.label(result.target)}")
    keys: set[tuple[str, str, str]] = set()
    for p in result.paths:
        sel.nodes.update(p.nodes)
        for hop in p.hops:
            keys.update(e.key for e in hop.edges)
    sel.edges = [e for e in edges(cur) if e.key in keys]
    sel.paths = result
    return sel


def reaching(cur: Curation, disease: str) -> Selection:
    """Every claim and trial that reaches ``disease`` (or a narrower one), with their chains.

    The edges are the curation's own (:func:`~kg.graph.edges.edges`), picked by the records
    behind them, so they carry whatever predicates ``cur``'s schema names.
    """
    from kg.data.hierarchy import descendants
    from kg.data.schema import predicate_for

    targets = {disease} | descendants(cur, disease)
    claims = {c.id for c in cur.claims.values() if any(d.entity in targets for d in c.diseases)}
    trials = {t.id for t in cur.trials.values() if targets & set(t.diseases)}
    studies = predicate_for(cur, "trial_disease").id
    sel = Selection(f"exokg: everything reaching {cur.label(disease)}")
    sel.edges = [e for e in edges(cur)
                 if claims.intersection(e.claim_ids)
                 or (trials.intersection(e.trial_ids)
                     and (e.predicate != studies or e.object in targets))]
    sel.nodes = {disease} | {e.subject for e in sel.edges} | {e.object for e in sel.edges}
    return sel


def _claim_entities(claim: Claim) -> set[str]:
    found = {claim.source, *(e.entity for e in (*claim.processes, *claim.diseases))}
    if claim.cargo:
        found.add(claim.cargo)
    for step in claim.mechanism:
        found.update(step.entities)
    return found


def restrict(cur: Curation, sel: Selection) -> Curation:
    """The curation cut down to a selection, for writing a subgraph in any export format.

    Kept: the claims and trial reports that support a selected edge (each claim whole, with
    every step of its chain: a claim is the unit of provenance, so a subgraph may reach a
    little beyond the selected nodes), the selected entities and those the kept records name,
    the parent links among kept entities, their attributes and verified xrefs, the
    references and reviews the kept records cite, and the edge-table edges selected. Extra
    RDF files are left out (they cannot be cut). The result carries no cache key, so it is
    never answered from the whole folder's cache entry.
    """
    keys = {e.key for e in sel.edges}
    supporting = {rid for e in sel.edges for rid in e.claims}
    claims = {k: c for k, c in cur.claims.items() if k in supporting}
    trials = {k: t for k, t in cur.trials.items() if k in supporting}
    kept = set(sel.nodes)
    for claim in claims.values():
        kept |= _claim_entities(claim)
    for trial in trials.values():
        kept |= {trial.source, *trial.diseases}
    entities = {k: e._replace(parents=tuple(p for p in e.parents if p in kept))
                for k, e in cur.entities.items() if k in kept}
    attributes = [a for a in cur.attributes if a.entity in entities]
    records: list[Claim | Trial | Attribute] = [*claims.values(), *trials.values(), *attributes]
    ref_keys = {cur.citations.get(c, c) for rec in records for c in rec.refs}
    reviews = {rec.review for rec in records}
    return replace(
        cur,
        entities=entities,
        claims=claims,
        trials=trials,
        attributes=attributes,
        references={k: r for k, r in cur.references.items() if k in ref_keys},
        reviews={k: r for k, r in cur.reviews.items() if k in reviews or k in ref_keys},
        citations={c: k for c, k in cur.citations.items() if k in ref_keys},
        xref_records=[x for x in cur.xref_records if x.entity in entities],
        unmapped={k: v for k, v in cur.unmapped.items() if k in entities},
        extra_edges={k: v for k, v in cur.extra_edges.items() if k in keys},
        extra_rdf=[],
        warnings=[],
        cache_key="",
    )


def subgraph(cur: Curation, *, around_entity: str | None = None, hops: int = DEFAULT_HOPS,
             disease: str | None = None) -> Curation:
    """The curation restricted to ``--around ENTITY --hops N`` or ``--disease D`` (ids).

    With neither, the whole curation comes back unchanged.

    Raises
    ------
    QueryError
        When both are given.
    """
    if around_entity and disease:
        raise QueryError("give only one of --around or --disease")
    if around_entity:
        return restrict(cur, around(cur, around_entity, hops))
    if disease:
        return restrict(cur, reaching(cur, disease))
    return cur
