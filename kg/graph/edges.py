"""The entity-to-entity edges of the graph, derived from the curated records.

This is the one place edges are made; both the RDF graph (:mod:`kg.graph.rdf`) and the networkx
graph (:mod:`kg.graph.network`) are built from :func:`edges`, so the two views cannot drift apart.
"""

from __future__ import annotations

from typing import NamedTuple

from kg.data import schema
from kg.data.index import Derived
from kg.data.model import Claim, Curation, Sign, multiply
from kg.errors import KGError

__all__ = [
    "DERIVED_LEVEL", "STATED_LEVEL", "Edge", "claim_edges", "derivation", "edges",
    "hierarchy_predicate", "knowledge_level", "parallel_mechanism",
    "trial_nodes",
]


class Edge(NamedTuple):
    """A directed edge between two entities, with the records that support it.

    ``claims`` holds the ids of every supporting record: claim ids for causal and cargo
    edges, trial-report ids for trial edges (:attr:`claim_ids` and :attr:`trial_ids` tell
    them apart). It is empty for hierarchy edges (which come from the vocabulary) and for
    edges that only come from edge tables in ``extra/``, whose provenance is in ``sources``.
    ``derived`` marks edges whose sign was worked out from the claim's stated effect rather
    than stated step by step. ``sign`` is None for an unknown sign and for a parent link,
    whose predicate has no sign (:attr:`has_sign`).

    A named tuple rather than a dataclass: the cache keeps the edges, and tuples unpickle
    about twice as fast (the edges of a million-triple folder in about 0.2 s, not 0.48 s).
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

    @property
    def trial_ids(self) -> tuple[str, ...]:
        """The trial reports behind a trial edge (the ``claims`` of a trial edge)."""
        return self.claims if self.kind == "trial" else ()

    @property
    def claim_ids(self) -> tuple[str, ...]:
        """The claims behind the edge (none for trial edges)."""
        return () if self.kind == "trial" else self.claims

    @property
    def has_sign(self) -> bool:
        """False for a parent link (kind ``hierarchy``), whose predicate has no sign."""
        return self.kind != "hierarchy"


#: Biolink ``knowledge_level`` and ``agent_type`` of a stated and of a derived edge.
STATED_LEVEL = ("knowledge_assertion", "manual_agent")
DERIVED_LEVEL = ("logical_entailment", "automated_agent")


def knowledge_level(e: Edge) -> tuple[str, str]:
    """Biolink ``knowledge_level`` and ``agent_type`` of an edge, for every export.

    A stated edge (a claim's mechanism writes it, or a curated link) is a curator's
    ``knowledge_assertion`` (``manual_agent``); a derived edge, read off a claim's reported
    effects by exokg's rule, is a ``logical_entailment`` of an ``automated_agent``. The KGX
    columns and the RDF statements (``biolink:knowledge_level``, ``biolink:agent_type``)
    both come from here.

    Examples
    --------
    >>> knowledge_level(Edge("a", "reduces", "b", -1, "causal", ("x",), True))
    ('logical_entailment', 'automated_agent')
    >>> knowledge_level(Edge("a", "inhibits", "b", -1, "causal", ("x",)))
    ('knowledge_assertion', 'manual_agent')
    """
    return DERIVED_LEVEL if e.derived else STATED_LEVEL


def claim_edges(claim: Claim, cur: Curation) -> list[tuple[str, str, str, Sign, bool]]:
    """The edges one claim asserts, in chain order, as (s, p, o, sign, derived).

    The predicates are the rows of ``cur``'s ``schema/predicates.tsv`` with role ``cargo``,
    ``step`` and ``effect`` (chosen by sign): a data folder that renames one gets its own.

    Examples
    --------
    >>> from kg.data.curation import read_schema
    >>> from kg.data.model import Claim, Step, Effect
    >>> cur = read_schema()
    >>> c = Claim(id="x-t1-01", agent="exosome", source="BM-MSC", cargo="miR-1",
    ...           mechanism=(Step("-|", ("PTEN",)),),
    ...           processes=(Effect("promotes", "angiogenesis"),),
    ...           diseases=(Effect("alleviates", "wound"),))
    >>> for e in claim_edges(c, cur): print(e)
    ('BM-MSC', 'has_cargo', 'miR-1', 1, False)
    ('miR-1', 'inhibits', 'PTEN', -1, False)
    ('PTEN', 'reduces', 'angiogenesis', -1, True)
    ('angiogenesis', 'reduces', 'wound', -1, True)
    """
    return _claim_edges(claim, cur, _CLAIM_PREDICATES(schema.schema_of(cur)))


def parallel_mechanism(claim: Claim) -> bool:
    """True when the claim's mechanism is effects reported side by side with its processes.

    A claim without a cargo whose mechanism is one step straight from the source ("the
    cells raised collagen I and VEGF") reports what the agent changed, beside the processes
    it changed ("... reduced oxidative stress and promoted autophagy"): the claim does not
    say that one of those effects drives another, so none becomes a hop to another (the
    agent gets a derived hop to each process instead). With a cargo ("miR-188-3p -| NLRP3")
    or a longer chain, the mechanism says how the agent acts and its end leads on to the
    effects.

    Examples
    --------
    >>> from kg.data.model import Claim, Step, Effect
    >>> parallel_mechanism(Claim("x", "cells", "UC-MSC", mechanism=(Step("->", ("COL1A1",)),),
    ...                          processes=(Effect("promotes", "autophagy"),)))
    True
    >>> parallel_mechanism(Claim("x", "exosome", "UC-MSC", cargo="miR-1",
    ...                          mechanism=(Step("-|", ("PTEN",)),),
    ...                          processes=(Effect("promotes", "autophagy"),)))
    False
    """
    return not claim.cargo and len(claim.mechanism) == 1 and bool(claim.processes)


def _claim_edges(claim: Claim, cur: Curation, names: dict[tuple[str, Sign], str]
                 ) -> list[tuple[str, str, str, Sign, bool]]:
    """:func:`claim_edges` with the predicate names looked up once by the caller.

    The caller asks the curation's index for them once (:data:`_CLAIM_PREDICATES`), not
    once per claim.
    """
    out: list[tuple[str, str, str, Sign, bool]] = []
    if claim.cargo:
        cargo = names["cargo", 0]
        out.append((claim.source, cargo, claim.cargo, _sign_of(cur, cargo), False))
    prev: tuple[str, ...] = (claim.head,)
    chain: Sign = 1
    for step in claim.mechanism:
        for a in prev:
            for b in step.entities:
                out.append((a, names["step", step.sign], b, step.sign, False))
        chain = multiply(chain, step.sign)
        prev = step.entities
    if parallel_mechanism(claim):
        # the step's entities are effects beside the processes: each leads to the outcome,
        # none to a process; the agent itself leads to the processes
        for dis in claim.diseases:
            dsign = multiply(dis.sign, chain)
            for a in prev:
                out.append((a, names["effect", dsign], dis.entity, dsign, True))
        prev, chain = (claim.head,), 1
    if claim.processes:
        for proc in claim.processes:
            # the sign that makes chain x edge equal the stated effect
            sign = multiply(proc.sign, chain)
            for a in prev:
                out.append((a, names["effect", sign], proc.entity, sign, True))
            for dis in claim.diseases:
                dsign = multiply(dis.sign, proc.sign)
                out.append((proc.entity, names["effect", dsign], dis.entity, dsign, True))
    else:
        for dis in claim.diseases:
            sign = multiply(dis.sign, chain)
            for a in prev:
                out.append((a, names["effect", sign], dis.entity, sign, True))
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for e in out:
        if e[:3] not in seen and e[0] != e[2]:
            seen.add(e[:3])
            unique.append(e)
    return unique


_PAST = {"promotes": "promoted", "reduces": "reduced", "modulates": "modulated",
         "alleviates": "alleviated", "aggravates": "aggravated"}
_ACTS = {1: "raised", -1: "lowered", None: "acted on"}


def derivation(cur: Curation, claim: Claim, subject: str, obj: str) -> str:
    """How a derived edge is read off one claim's reported effects, in words.

    A derived edge is not a law: it says what one study reported side by side with the
    agent ("quan2025-sfunc-10: the exosomes reduced autophagy and alleviated Parkinson's
    disease"). An empty string when the claim does not give the edge as derived.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> c = cur.claims["quan2025-sfunc-10"]
    >>> derivation(cur, c, "autophagy", "Parkinsons-disease")
    "the exosomes (miR-188-3p) reduced autophagy and alleviated Parkinson's disease"
    """
    agent = "the cells" if claim.agent == "cells" else "the exosomes"
    if claim.cargo:
        agent += f" ({cur.label(claim.cargo)})"
    effects = {e.entity: e for e in (*claim.processes, *claim.diseases)}
    moved: dict[str, str] = {}
    for step in claim.mechanism:
        for b in step.entities:
            moved[b] = _ACTS[step.sign]
    if obj not in effects:
        return ""
    said = f"{_PAST[effects[obj].verb]} {cur.label(obj)}"
    if subject == claim.head:
        return f"{agent} {said}"
    if subject in effects:
        return f"{agent} {_PAST[effects[subject].verb]} {cur.label(subject)} and {said}"
    if subject in moved:
        return f"{agent} {moved[subject]} {cur.label(subject)} and {said}"
    return ""


def _predicates_by_role(cur: Curation) -> dict[tuple[str, Sign], str]:
    """(role, sign) -> predicate id for the roles a claim makes edges of."""
    return {(role, sign): schema.predicate_for(cur, role, sign).id
            for role in ("cargo", "step", "effect")
            for sign in ((1, -1, None) if schema.ROLES[role][1] else (0,))}


#: The predicate of each (role, sign) a claim makes edges of, from the schema rows.
_CLAIM_PREDICATES: Derived[dict[tuple[str, Sign], str]] = Derived(
    "claim_predicates", _predicates_by_role)


def _sign_of(cur: Curation, predicate: str) -> Sign:
    """The sign the schema gives every edge of a predicate."""
    return schema.schema_of(cur).predicates[predicate].edge_sign


def hierarchy_predicate(child_type: str, parent_type: str, cur: Curation) -> str:
    """The meaning of a ``parents`` link, from the two entity types (``schema/parents.tsv``).

    Raises
    ------
    KGError
        When the schema has no row for the pair (``exokg check`` reports it at the entity).

    Examples
    --------
    >>> from kg.data.curation import read_schema
    >>> cur = read_schema()
    >>> hierarchy_predicate("protein", "pathway", cur)
    'member_of'
    >>> hierarchy_predicate("process", "hallmark", cur)
    'part_of'
    >>> hierarchy_predicate("disease", "disease", cur)
    'is_a'
    """
    rule = schema.parent_rule(schema.schema_of(cur), child_type, parent_type)
    if rule is None:
        raise KGError(f"schema/parents.tsv has no row for a {child_type} under a {parent_type}")
    return rule.predicate


def edges(cur: Curation) -> list[Edge]:
    """Every edge of the graph, sorted, each with the ids of the records supporting it.

    Computed once per curation (and again only after its records change), and kept with
    the curation by the disk cache (:mod:`kg.io.cache`).
    """
    return _EDGES(cur)


def _edges(cur: Curation) -> list[Edge]:
    """Collect the edges of claims, trials, parent links and ``extra/`` tables, in that order.

    The kind of an edge is its predicate's (``schema/predicates.tsv``); its sign is the one
    the last claim gives it (claims agree, as ``exokg check`` warns otherwise) or the
    predicate's; an edge is derived only when every claim behind it derives it.
    """
    rows = schema.schema_of(cur)
    support: dict[tuple[str, str, str], list[str]] = {}
    meta: dict[tuple[str, str, str], tuple[Sign, str, bool]] = {}

    def add(key: tuple[str, str, str], record: str | None, sign: Sign, derived: bool) -> None:
        ids = support.setdefault(key, [])
        if record is not None:
            ids.append(record)
        old = meta.get(key)
        meta[key] = (sign, rows.predicates[key[1]].kind, derived and (old[2] if old else True))

    names = _CLAIM_PREDICATES(rows)
    for claim in cur.claims.values():
        for s, p, o, sign, derived in _claim_edges(claim, cur, names):
            add((s, p, o), claim.id, sign, derived)
    uses_source = schema.predicate_for(rows, "trial_source")
    studies = schema.predicate_for(rows, "trial_disease")
    for trial in cur.trials.values():
        node = trial.node_id
        add((node, uses_source.id, trial.source), trial.id, uses_source.edge_sign, False)
        for dis in trial.diseases:
            add((node, studies.id, dis), trial.id, studies.edge_sign, False)
    for ent in cur.entities.values():
        for parent in ent.parents:
            if parent in cur.entities:
                pred = hierarchy_predicate(ent.type, cur.entities[parent].type, cur)
                add((ent.id, pred, parent), None, rows.predicates[pred].edge_sign, False)
    for key in cur.extra_edges:
        if key not in meta:
            add(key, None, rows.predicates[key[1]].edge_sign, False)
    return [
        Edge(s, p, o, meta[(s, p, o)][0], meta[(s, p, o)][1], tuple(sorted(set(ids))),
             meta[(s, p, o)][2], tuple(sorted(cur.extra_edges.get((s, p, o), ()))))
        for (s, p, o), ids in sorted(support.items())
    ]


#: The edges of a curation, which every query and view starts from.
_EDGES: Derived[list[Edge]] = Derived("edges", _edges, on_disk=True)


def trial_nodes(cur: Curation) -> dict[str, list[str]]:
    """Trial node ids and the trial-row ids reporting each."""
    nodes: dict[str, list[str]] = {}
    for trial in cur.trials.values():
        nodes.setdefault(trial.node_id, []).append(trial.id)
    return {k: sorted(v) for k, v in sorted(nodes.items())}
