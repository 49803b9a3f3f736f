"""The entity-to-entity edges of the graph, derived from the curated records.

This is the one place edges are made; both the RDF graph (:mod:`kg.graph.rdf`) and the networkx
graph (:mod:`kg.graph.network`) are built from :func:`edges`, so the two views cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.data.model import Claim, Curation, Sign, multiply

_CAUSAL = {1: "activates", -1: "inhibits", None: "regulates"}
_EFFECT = {1: "promotes", -1: "reduces", None: "affects"}
_MEMBER_TYPES = frozenset({"protein", "mirna", "lncrna", "circrna", "rna", "chemical"})
_PART_TYPES = frozenset({"pathway", "process", "hallmark"})


@dataclass(frozen=True)
class Edge:
    """A directed edge between two entities, with the records that support it.

    ``claims`` holds claim ids for causal edges and trial-row ids for trial edges; it is
    empty for hierarchy edges (which come from the vocabulary) and for edges that only come
    from edge tables in ``extra/``, whose provenance is in ``sources``. ``derived`` marks edges
    whose sign was worked out from the claim's stated effect rather than stated step by step.
    """

    subject: str
    predicate: str
    object: str
    sign: Sign
    kind: str
    claims: tuple[str, ...] = ()
    derived: bool = False
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        """The (subject, predicate, object) triple."""
        return (self.subject, self.predicate, self.object)


def claim_edges(claim: Claim) -> list[tuple[str, str, str, Sign, bool]]:
    """The edges one claim asserts, in chain order, as (s, p, o, sign, derived).

    Examples
    --------
    >>> from kg.data.model import Claim, Step, Effect
    >>> c = Claim(id="x-t1-01", agent="exosome", source="BM-MSC", cargo="miR-1",
    ...           mechanism=(Step("-|", ("PTEN",)),),
    ...           processes=(Effect("promotes", "angiogenesis"),),
    ...           diseases=(Effect("alleviates", "wound"),))
    >>> for e in claim_edges(c): print(e)
    ('BM-MSC', 'has_cargo', 'miR-1', 1, False)
    ('miR-1', 'inhibits', 'PTEN', -1, False)
    ('PTEN', 'reduces', 'angiogenesis', -1, True)
    ('angiogenesis', 'reduces', 'wound', -1, True)
    """
    out: list[tuple[str, str, str, Sign, bool]] = []
    if claim.cargo:
        out.append((claim.source, "has_cargo", claim.cargo, 1, False))
    prev: tuple[str, ...] = (claim.head,)
    chain: Sign = 1
    for step in claim.mechanism:
        for a in prev:
            for b in step.entities:
                out.append((a, _CAUSAL[step.sign], b, step.sign, False))
        chain = multiply(chain, step.sign)
        prev = step.entities
    if claim.processes:
        for proc in claim.processes:
            # the sign that makes chain x edge equal the stated effect
            sign = multiply(proc.sign, chain)
            for a in prev:
                out.append((a, _EFFECT[sign], proc.entity, sign, True))
            for dis in claim.diseases:
                dsign = multiply(dis.sign, proc.sign)
                out.append((proc.entity, _EFFECT[dsign], dis.entity, dsign, True))
    else:
        for dis in claim.diseases:
            sign = multiply(dis.sign, chain)
            for a in prev:
                out.append((a, _EFFECT[sign], dis.entity, sign, True))
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for e in out:
        if e[:3] not in seen and e[0] != e[2]:
            seen.add(e[:3])
            unique.append(e)
    return unique


def hierarchy_predicate(child_type: str, parent_type: str) -> str:
    """The meaning of a ``parents`` link, from the two entity types.

    Examples
    --------
    >>> hierarchy_predicate("protein", "pathway")
    'member_of'
    >>> hierarchy_predicate("process", "hallmark")
    'part_of'
    >>> hierarchy_predicate("disease", "disease")
    'is_a'
    """
    if child_type in _MEMBER_TYPES and parent_type == "pathway":
        return "member_of"
    if child_type in _PART_TYPES and parent_type in _PART_TYPES:
        return "part_of"
    return "is_a"


def edges(cur: Curation) -> list[Edge]:
    """Every edge of the graph, sorted, each with the ids of the records supporting it.

    Computed once per curation (and again only after its records change).
    """
    return cur.derived("edges", lambda: _edges(cur))


def _edges(cur: Curation) -> list[Edge]:
    support: dict[tuple[str, str, str], list[str]] = {}
    meta: dict[tuple[str, str, str], tuple[Sign, str, bool]] = {}
    for claim in cur.claims.values():
        for s, p, o, sign, derived in claim_edges(claim):
            support.setdefault((s, p, o), []).append(claim.id)
            old = meta.get((s, p, o))
            meta[(s, p, o)] = (sign, "causal" if p != "has_cargo" else "cargo",
                               derived and (old[2] if old else True))
    for trial in cur.trials.values():
        node = trial.node_id
        support.setdefault((node, "uses_source", trial.source), []).append(trial.id)
        meta[(node, "uses_source", trial.source)] = (None, "trial", False)
        for dis in trial.diseases:
            support.setdefault((node, "treats", dis), []).append(trial.id)
            meta[(node, "treats", dis)] = (None, "trial", False)
    for ent in cur.entities.values():
        for parent in ent.parents:
            if parent in cur.entities:
                pred = hierarchy_predicate(ent.type, cur.entities[parent].type)
                support.setdefault((ent.id, pred, parent), [])
                meta[(ent.id, pred, parent)] = (None, "hierarchy", False)
    for key in cur.extra_edges:
        if key not in meta:
            support[key] = []
            info = cur.predicates[key[1]]
            meta[key] = ({"+": 1, "-": -1}.get(info.sign), info.kind, False)
    return [
        Edge(s, p, o, meta[(s, p, o)][0], meta[(s, p, o)][1], tuple(sorted(set(ids))),
             meta[(s, p, o)][2], tuple(sorted(cur.extra_edges.get((s, p, o), ()))))
        for (s, p, o), ids in sorted(support.items())
    ]


def trial_nodes(cur: Curation) -> dict[str, list[str]]:
    """Trial node ids and the trial-row ids reporting each."""
    nodes: dict[str, list[str]] = {}
    for trial in cur.trials.values():
        nodes.setdefault(trial.node_id, []).append(trial.id)
    return {k: sorted(v) for k, v in sorted(nodes.items())}
