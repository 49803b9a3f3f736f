"""The curated records, all immutable.

The records there are many of (claims, entities, references, mechanism steps, effects,
locations) are named tuples, the rest frozen dataclasses: a cached curation of a million
triples unpickles in about half the time when its many records are tuples. Change a record
with ``record._replace(field=value)``.

Everything downstream (the RDF graph, the networkx graph, queries, views) is built from a
:class:`Curation`, which :func:`kg.data.curation.load` makes from the files in ``triples/``.
Entity names in these records are already resolved to entity ids.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from kg.data.index import Index
from kg.errors import Problem

__all__ = [
    "AGENTS", "CAUSAL_KIND", "DISEASE_VERBS", "EVIDENCE", "LINK_KEY", "NCT_PREFIX", "OPERATORS",
    "PROCESS_VERBS", "SIGN_NAMES", "SIGN_SYMBOLS", "TRIAL_NODE_PREFIX", "Attribute", "Check",
    "Claim", "Curation", "Effect", "Entity", "EntityType", "Location", "ParentRule", "Predicate",
    "Records", "Reference", "Review", "Sign", "Step", "Trial", "XrefRecord", "is_trial_node",
    "multiply", "parse_sign", "sign_key", "sign_name", "sign_symbol",
]

_V = TypeVar("_V")

#: Source of :attr:`Records.version` numbers (unique across every Records of the process).
_CHANGES = itertools.count(1)


class Records(dict[str, _V]):
    """A dict of records that notes each change, so derived data knows when to recompute.

    :meth:`Curation.fingerprint` compares versions instead of looking at every record, which
    would make each lookup of a derived value (:mod:`kg.data.index`) proportional to the
    size of the graph.

    Examples
    --------
    >>> r = Records({"a": 1}); before = r.version
    >>> r["b"] = 2
    >>> r.version != before
    True
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = next(_CHANGES)

    def _changed(self) -> None:
        self.version = next(_CHANGES)

    def __setitem__(self, key: str, value: _V) -> None:
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._changed()

    def __ior__(self, other: Any) -> Records[_V]:  # type: ignore[misc,override]
        super().update(other)
        self._changed()
        return self

    def pop(self, *args: Any) -> Any:
        """Remove a key and return its value (a change)."""
        value = super().pop(*args)
        self._changed()
        return value

    def popitem(self) -> tuple[str, _V]:
        """Remove the last item (a change)."""
        item = super().popitem()
        self._changed()
        return item

    def clear(self) -> None:
        """Remove every record (a change)."""
        super().clear()
        self._changed()

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Add or replace records (a change)."""
        super().update(*args, **kwargs)
        self._changed()

    def setdefault(self, key: str, default: Any = None) -> Any:
        """The value of key, set to default first if absent (counted as a change)."""
        value = super().setdefault(key, default)
        self._changed()
        return value

    def __reduce__(self) -> Any:
        return (Records, (dict(self),))

#: Sign of an edge: +1 (activates, promotes), -1 (inhibits, reduces), None (unknown).
#: The one encoding of a sign in memory; :data:`SIGN_SYMBOLS` and :data:`SIGN_NAMES` are its
#: spellings in files (``+ - ?``) and in RDF and styles (``positive negative unknown``).
Sign = int | None

#: Symbol of each sign, as ``schema/predicates.tsv``, GraphML and Neo4j write it.
SIGN_SYMBOLS: dict[Sign, str] = {1: "+", -1: "-", None: "?"}
#: Name of each sign, as the RDF export (``exo:positive``) and ``styles.json`` spell it.
SIGN_NAMES: dict[Sign, str] = {1: "positive", -1: "negative", None: "unknown"}
#: Prefix of the node id of a trial that has no registry id (``trial-<review>-<number>``).
TRIAL_NODE_PREFIX = "trial-"
#: Prefix of a ClinicalTrials.gov registry id.
NCT_PREFIX = "NCT"

#: Mechanism operators and their signs.
OPERATORS: dict[str, Sign] = {"->": 1, "-|": -1, "-?": None}
#: Process verbs and their signs.
PROCESS_VERBS: dict[str, Sign] = {"promotes": 1, "reduces": -1, "modulates": None}
#: Disease verbs and their signs (relative to the disease: aggravates = +1).
DISEASE_VERBS: dict[str, Sign] = {"aggravates": 1, "alleviates": -1, "modulates": None}
#: Allowed values of the claim ``agent`` column.
AGENTS = ("exosome", "cells")
#: Allowed values inside the claim ``evidence`` column.
EVIDENCE = ("in vitro", "in vivo", "clinical")


def sign_symbol(sign: Sign) -> str:
    """The file spelling of a sign.

    Examples
    --------
    >>> sign_symbol(-1), sign_symbol(None)
    ('-', '?')
    """
    return SIGN_SYMBOLS[sign]


def sign_name(sign: Sign) -> str:
    """The RDF and style spelling of a sign.

    Examples
    --------
    >>> sign_name(1)
    'positive'
    """
    return SIGN_NAMES[sign]


#: The edge kind whose sign is the direction of an effect; edges of the other kinds (``cargo``,
#: ``trial``, ``hierarchy``) link two nodes and are drawn as links, whatever their sign.
CAUSAL_KIND = "causal"
#: The styles key of a link (an edge that is not causal).
LINK_KEY = "none"


def sign_key(kind: str, sign: Sign) -> str:
    """How the views key an edge in ``styles.json``: the one rule of which edges show a sign.

    A causal edge shows its sign (:func:`sign_name`); any other edge is a link (``none``):
    a cargo edge's ``+`` and a trial edge's ``?`` are the predicate's, not an effect's, and a
    parent link has no sign at all (:attr:`Predicate.has_sign`).

    Examples
    --------
    >>> sign_key("causal", -1), sign_key("causal", None), sign_key("cargo", 1)
    ('negative', 'unknown', 'none')
    >>> sign_key("hierarchy", None), sign_key("trial", None)
    ('none', 'none')
    """
    return SIGN_NAMES[sign] if kind == CAUSAL_KIND else LINK_KEY


def parse_sign(symbol: str) -> Sign:
    """The sign a symbol (``+``, ``-``, ``?``) spells; ``ValueError`` for anything else.

    Examples
    --------
    >>> parse_sign("+"), parse_sign("?")
    (1, None)
    """
    for sign, text in SIGN_SYMBOLS.items():
        if text == symbol:
            return sign
    raise ValueError(f"'{symbol}' is not a sign (+, - or ?)")


def is_trial_node(node_id: str) -> bool:
    """True when a graph node id names a trial (an NCT number or ``trial-…``), not an entity.

    Examples
    --------
    >>> is_trial_node("NCT04313647"), is_trial_node("trial-wei2024-12"), is_trial_node("IL6")
    (True, True, False)
    """
    return node_id.startswith((NCT_PREFIX, TRIAL_NODE_PREFIX))


def multiply(*signs: Sign) -> Sign:
    """Compose signs along a chain: any unknown sign makes the product unknown.

    Examples
    --------
    >>> multiply(-1, -1)
    1
    >>> multiply(1, -1, 1)
    -1
    >>> multiply(1, None) is None
    True
    """
    product = 1
    for sign in signs:
        if sign is None:
            return None
        product *= sign
    return product


class Location(NamedTuple):
    """Where a record was read: a file (relative to the data folder) and a 1-based line.

    Immutable like the dataclass records; a named tuple because every claim, entity and
    row carries one, and a cached curation unpickles tuples about twice as fast.
    """

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class EntityType:
    """An entity type: one row of ``schema/types.tsv`` (see :mod:`kg.data.schema`)."""

    id: str
    label: str
    definition: str
    biolink: str
    #: local name of the RDF class (``exo:<rdf_class>``)
    rdf_class: str = ""
    #: claim and trial columns an entity of this type may fill (``cargo``, ``source`` ...)
    claim_columns: tuple[str, ...] = ()
    #: xref prefixes usable as KGX id, best first, each with the Biolink class it implies
    kgx_ids: tuple[tuple[str, str], ...] = ()
    location: Location | None = None
    #: the part its entities play in a mechanism chain (``source``, ``cargo``, ``target``,
    #: ``pathway``, ``process``, ``disease``; empty for none): the views' column, the filters
    role: str = ""


@dataclass(frozen=True)
class Predicate:
    """An edge type: one row of ``schema/predicates.tsv`` (see :mod:`kg.data.schema`)."""

    id: str
    label: str
    definition: str
    #: sign of every edge with this predicate as a symbol (``+ - ?``), empty for none
    sign: str
    #: edge kind written to the exports: ``causal``, ``cargo``, ``trial`` or ``hierarchy``
    kind: str
    biolink: str = ""
    #: which curated field makes the edge: ``cargo``, ``step``, ``effect``, ``parent``,
    #: ``trial_source`` or ``trial_disease``
    role: str = ""
    #: local name of the RDF property (``exo:<rdf_property>``)
    rdf_property: str = ""
    #: Biolink predicate in KGX when it differs from ``biolink``
    kgx: str = ""
    #: True when the KGX edge runs from object to subject
    kgx_inverse: bool = False
    location: Location | None = None

    @property
    def edge_sign(self) -> Sign:
        """The sign of the edges with this predicate (None for unknown or no sign)."""
        return parse_sign(self.sign) if self.sign else None

    @property
    def has_sign(self) -> bool:
        """False for predicates whose edges carry no sign (parent links)."""
        return bool(self.sign)


@dataclass(frozen=True)
class ParentRule:
    """Which predicate a ``parents`` link means between two entity types (``parents.tsv``)."""

    child_type: str
    parent_type: str
    predicate: str
    #: Biolink predicate in KGX for this pair, when it differs from the predicate's
    kgx: str = ""
    location: Location | None = None


class Entity(NamedTuple):
    """One vocabulary entry."""

    id: str
    type: str
    label: str
    parents: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    note: str = ""
    #: the file and line of the entity's row
    location: Location | None = None
    #: non-exact mappings as (``close`` | ``broad`` | ``narrow``, CURIE)
    close_xrefs: tuple[tuple[str, str], ...] = ()

    @property
    def mappings(self) -> tuple[tuple[str, str], ...]:
        """Every mapping as (``exact`` | ``close`` | ``broad`` | ``narrow``, CURIE), exact first.

        Examples
        --------
        >>> Entity("x", "disease", "x", xrefs=("mondo:1",), close_xrefs=(("broad", "doid:2"),)
        ...        ).mappings
        (('exact', 'mondo:1'), ('broad', 'doid:2'))
        """
        return tuple(("exact", x) for x in self.xrefs) + self.close_xrefs


@dataclass(frozen=True)
class XrefRecord:
    """One verified cross-reference with the check behind it (``xrefs/*.tsv``)."""

    entity: str
    xref: str
    match: str = "exact"
    #: the label the authority's file gives the identifier
    source_label: str = ""
    #: the authority's file the identifier was checked against
    source: str = ""
    version: str = ""
    note: str = ""
    #: the file and line of the row
    location: Location | None = None


@dataclass(frozen=True)
class Review:
    """One of the source reviews."""

    key: str
    authors: str
    year: str
    title: str
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    seed: str = ""


class Reference(NamedTuple):
    """One study, as printed in one review's reference list (the first printing wins)."""

    key: str
    authors: str
    year: str
    title: str
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    note: str = ""
    cited_as: tuple[str, ...] = ()
    #: the DOI and PMID looked up for the study (``identifiers.tsv``), the pages that show
    #: them, and why none was recorded when none was
    found_doi: str = ""
    found_pmid: str = ""
    found_at: tuple[str, ...] = ()
    found_note: str = ""

    @property
    def any_doi(self) -> str:
        """The DOI as printed in a review, else as looked up (empty when neither)."""
        return self.doi or self.found_doi

    @property
    def any_pmid(self) -> str:
        """The PMID as printed in a review, else as looked up (empty when neither)."""
        return self.pmid or self.found_pmid

    @property
    def first_author(self) -> str:
        """The first author's surname as printed (best effort)."""
        first = self.authors.replace(" and ", ", ").split(",")[0].strip()
        if first.endswith("et al."):
            first = first[: -len("et al.")].strip()
        parts = first.split()
        if not parts:
            return self.key
        # "L. Zhang" (initials first) or "Zhang L" (initials last)
        if len(parts) > 1 and parts[0].endswith("."):
            return parts[-1]
        return parts[0]

    def short(self) -> str:
        """``Zhang 2024`` style short citation."""
        return f"{self.first_author} {self.year}".strip()


class Check(NamedTuple):
    """What the cited study's abstract says of one claim (a row of ``checks.tsv``)."""

    claim: str
    verdict: str
    page: str
    why: str


class Step(NamedTuple):
    """One step of a mechanism chain: an operator and the entities it reaches (a named tuple)."""

    operator: str
    entities: tuple[str, ...]

    @property
    def sign(self) -> Sign:
        """The step's sign."""
        return OPERATORS[self.operator]


class Effect(NamedTuple):
    """An effect on a process or disease: a verb and an entity id (a named tuple)."""

    verb: str
    entity: str

    @property
    def sign(self) -> Sign:
        """The effect's sign."""
        if self.verb in PROCESS_VERBS:
            return PROCESS_VERBS[self.verb]
        return DISEASE_VERBS[self.verb]


class Claim(NamedTuple):
    """One curated mechanism claim (see ``triples/README.md``)."""

    id: str
    agent: str
    source: str
    donor: str = ""
    cargo: str = ""
    mechanism: tuple[Step, ...] = ()
    processes: tuple[Effect, ...] = ()
    diseases: tuple[Effect, ...] = ()
    evidence: tuple[str, ...] = ()
    model: str = ""
    dose: str = ""
    refs: tuple[str, ...] = ()
    review: str = ""
    #: where in the review the claim was read, as the curator wrote it (the ``where`` column)
    where: str = ""
    note: str = ""
    #: the file and line of the claim's row
    location: Location | None = None
    #: where the claim's details were read: ``table``, ``text`` and/or ``title`` (a cited title)
    basis: tuple[str, ...] = ()
    #: a caveat a reader must see (a citation that does not match, a disputed sign ...)
    flag: str = ""

    @property
    def head(self) -> str:
        """The entity the mechanism chain starts from: the cargo, else the source."""
        return self.cargo or self.source

    def entities(self) -> list[str]:
        """Every entity id the claim names, in reading order, without repeats."""
        seen: dict[str, None] = {self.source: None}
        if self.cargo:
            seen[self.cargo] = None
        for step in self.mechanism:
            for ent in step.entities:
                seen[ent] = None
        for eff in (*self.processes, *self.diseases):
            seen[eff.entity] = None
        return list(seen)

    def mechanism_text(self, labels: dict[str, str] | None = None) -> str:
        """The mechanism chain as text, with labels when given."""
        names = labels or {}

        def name(ent: str) -> str:
            return names.get(ent, ent)

        return " ".join(
            f"{s.operator} {' & '.join(name(e) for e in s.entities)}" for s in self.mechanism
        )


@dataclass(frozen=True)
class Trial:
    """One clinical trial as reported in one review."""

    id: str
    trial: str
    agent: str
    source: str
    diseases: tuple[str, ...] = ()
    route: str = ""
    phase: str = ""
    enrollment: str = ""
    status: str = ""
    design: str = ""
    outcome: str = ""
    refs: tuple[str, ...] = ()
    review: str = ""
    where: str = ""
    note: str = ""
    location: Location | None = None

    @property
    def node_id(self) -> str:
        """Graph node id of the trial (registry id, or ``trial-<review>-<number>``)."""
        if ":" in self.trial:
            review, number = self.trial.split(":", 1)
            return f"{TRIAL_NODE_PREFIX}{review}-{number}"
        return self.trial


@dataclass(frozen=True)
class Attribute:
    """A fact about one entity (e.g. how a source tissue is obtained)."""

    entity: str
    attribute: str
    value: str
    refs: tuple[str, ...] = ()
    review: str = ""
    where: str = ""
    location: Location | None = None


#: The records of a :class:`Curation` that :meth:`Curation.fingerprint` watches: every dict
#: that a value of its index (:mod:`kg.data.index`: edges, adjacency, study keys, the name
#: index, rankings) is computed from.
_TRACKED = ("claims", "trials", "entities", "types", "predicates", "parent_rules",
            "references", "reviews", "citations", "ambiguous", "extra_edges")


@dataclass
class Curation:
    """All curated records of one data folder, validated and resolved."""

    root: str
    types: dict[str, EntityType] = field(default_factory=dict)
    predicates: dict[str, Predicate] = field(default_factory=dict)
    #: (child type, parent type) -> the meaning of a parent link (``schema/parents.tsv``)
    parent_rules: dict[tuple[str, str], ParentRule] = field(default_factory=dict)
    #: CURIE prefix -> URI prefix (``schema/prefixes.tsv``)
    prefixes: dict[str, str] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    #: ``REVIEW:NUMBER`` -> reference key
    citations: dict[str, str] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    #: claim id -> what the cited study's abstract says of it (``checks.tsv``)
    checks: dict[str, Check] = field(default_factory=dict)
    trials: dict[str, Trial] = field(default_factory=dict)
    attributes: list[Attribute] = field(default_factory=list)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: every row of ``xrefs/*.tsv`` that passed validation
    xref_records: list[XrefRecord] = field(default_factory=list)
    #: entity id -> why no standard identifier fits (``unmapped.tsv``)
    unmapped: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: (subject, predicate, object) -> sources, from ``extra/*.tsv`` edge tables
    extra_edges: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    #: RDF files of ``extra/`` merged into the RDF view
    extra_rdf: list[str] = field(default_factory=list)
    #: content hash of the folder when it came through :mod:`kg.io.cache`
    cache_key: str = field(default="", repr=False, compare=False)
    #: the values derived from the records (edges, adjacency...), each valid for one
    #: :meth:`fingerprint`; a copy of the curation starts with an empty one
    index: Index = field(default_factory=Index, init=False, repr=False, compare=False)

    def __setattr__(self, name: str, value: Any) -> None:
        """Keep the tracked dicts (:data:`_TRACKED`) as :class:`Records`, whatever is assigned.

        Records are dicts that count their changes (see :meth:`fingerprint`).
        """
        if name in _TRACKED and not isinstance(value, Records):
            value = Records(value)
        object.__setattr__(self, name, value)

    def fingerprint(self) -> int:
        """Changes whenever a record of a tracked dict is added, removed or replaced.

        The tracked dicts (:data:`_TRACKED`) are the records, the schema rows (types,
        predicates, parent rules), the citations and the ambiguous names that every value of
        :attr:`index` is computed from.
        Constant time: it reads the change counters of their :class:`Records`.
        """
        return hash(tuple((id(d), getattr(d, "version", None) or hash(tuple(map(id, d.values()))))
                          for d in (getattr(self, name) for name in _TRACKED)))

    def __copy__(self) -> Curation:
        """A shallow copy (records shared) with an index of its own (:mod:`kg.data.index`)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        object.__setattr__(new, "index", Index())
        return new

    def reference(self, citation: str) -> Reference:
        """The reference a ``REVIEW:NUMBER`` citation (or a key) points to."""
        key = self.citations.get(citation, citation)
        if key in self.references:
            return self.references[key]
        if key in self.reviews:
            r = self.reviews[key]
            return Reference(key=r.key, authors=r.authors, year=r.year, title=r.title,
                             journal=r.journal, volume=r.volume, pages=r.pages, doi=r.doi)
        raise KeyError(citation)

    def study_keys(self, claim: Claim) -> list[str]:
        """Distinct study keys a claim cites."""
        return sorted({self.citations[c] for c in claim.refs if c in self.citations})

    def label(self, entity_id: str) -> str:
        """The label of an entity (or the id itself when unknown)."""
        ent = self.entities.get(entity_id)
        return ent.label if ent else entity_id
