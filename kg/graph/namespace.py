"""The one place the project's IRIs are spelled.

``EXO`` is an rdflib ``DefinedNamespace`` with ``_fail = True``: a typo in a term raises
instead of quietly minting a new IRI. ``TERMS`` documents every fixed term (label, comment);
the export writes them into the graph so a SPARQL user can discover the schema.

Entity classes and edge properties are rows of ``triples/schema/``: :class:`Vocabulary`
gives their IRIs for one curation and raises :class:`~kg.errors.KGError` for a type or
predicate the schema does not declare, so no IRI of the ``exo:`` namespace is ever made by
joining strings (:func:`exo_term` is the one way in).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.data.schema import node_types, predicate_property, type_class
from kg.data.terms import TERMS
from kg.errors import KGError

if TYPE_CHECKING:
    from kg.data.model import Curation

BASE = "https://w3id.org/exokg/"

ID = Namespace(BASE + "id/")
CLAIM = Namespace(BASE + "claim/")
REF = Namespace(BASE + "ref/")
TRIAL = Namespace(BASE + "trial/")
REPORT = Namespace(BASE + "trial-report/")
EDGE = Namespace(BASE + "edge/")
ATTR = Namespace(BASE + "attribute/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
PROV = Namespace("http://www.w3.org/ns/prov#")
__all__ = [
    "ATTR", "BASE", "BIOLINK", "CLAIM", "EDGE", "EXO", "ID",
    "PROV", "REF", "REPORT", "TERMS", "TRIAL", "Vocabulary", "exo_term",
]


class EXO(DefinedNamespace):
    """Classes and properties of the exokg schema."""

    _fail = True
    _NS = Namespace(BASE + "schema#")

    # classes (the entity classes are rows of schema/types.tsv, declared per curation by
    # Vocabulary; ClinicalTrial is the class of trial nodes, which are no row)
    Entity: URIRef
    ClinicalTrial: URIRef
    TrialReport: URIRef
    Claim: URIRef
    Reference: URIRef
    Review: URIRef
    Edge: URIRef
    Attribute: URIRef
    Sign: URIRef
    # sign values
    positive: URIRef
    negative: URIRef
    unknown: URIRef
    # claim fields
    agent: URIRef
    source: URIRef
    cargo: URIRef
    donor: URIRef
    mechanism: URIRef
    involves: URIRef
    promotesProcess: URIRef
    reducesProcess: URIRef
    modulatesProcess: URIRef
    alleviates: URIRef
    aggravates: URIRef
    modulatesDisease: URIRef
    evidence: URIRef
    model: URIRef
    dose: URIRef
    citation: URIRef
    location: URIRef
    # edge statements
    kind: URIRef
    sign: URIRef
    derived: URIRef
    supportedBy: URIRef
    externalSource: URIRef
    # references
    authors: URIRef
    firstAuthor: URIRef
    year: URIRef
    journal: URIRef
    volume: URIRef
    issue: URIRef
    pages: URIRef
    doi: URIRef
    pmid: URIRef
    citedAs: URIRef
    # trials
    trialId: URIRef
    reportsTrial: URIRef
    route: URIRef
    phase: URIRef
    enrollment: URIRef
    status: URIRef
    design: URIRef
    outcome: URIRef
    # attributes
    describes: URIRef
    attributeName: URIRef


def exo_term(name: str, declared: Collection[str] = ()) -> URIRef:
    """The IRI of an ``exo:`` term: one of :class:`EXO` or one the schema rows declare.

    Raises
    ------
    KGError
        When neither declares ``name``.

    Examples
    --------
    >>> str(exo_term("Claim"))
    'https://w3id.org/exokg/schema#Claim'
    >>> exo_term("Lipid")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.KGError: exo:Lipid is not declared (not a term of ... of triples/schema/)
    >>> str(exo_term("Lipid", declared={"Lipid"}))
    'https://w3id.org/exokg/schema#Lipid'
    """
    if name in declared:
        return URIRef(EXO._NS + name)
    try:
        return EXO[name]
    except AttributeError as exc:
        raise KGError(f"exo:{name} is not declared (not a term of kg.graph.namespace.EXO nor "
                      "a class or property of triples/schema/)") from exc


class Vocabulary:
    """The IRIs of one curation's entity classes and edge properties (from its schema rows).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> v = Vocabulary(load())
    >>> str(v.predicate("member_of")), str(v.type_class("trial"))
    ('https://w3id.org/exokg/schema#memberOf', 'https://w3id.org/exokg/schema#ClinicalTrial')
    >>> v.type_class("lipid")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: type 'lipid' has no RDF class in schema/types.tsv
    """

    def __init__(self, cur: Curation) -> None:
        self.cur = cur
        declared = {type_class(cur, t) for t in node_types(cur)}
        declared |= {predicate_property(cur, p) for p in cur.predicates}
        #: local names the schema rows declare
        self.declared = frozenset(declared)
        self._classes = {t: exo_term(type_class(cur, t), self.declared) for t in node_types(cur)}
        self._properties = {p: exo_term(predicate_property(cur, p), self.declared)
                            for p in cur.predicates}

    def type_class(self, type_id: str) -> URIRef:
        """The class of a node type (``KGError`` when the schema has no such type)."""
        hit = self._classes.get(type_id)
        return hit if hit is not None else exo_term(type_class(self.cur, type_id))

    def predicate(self, predicate: str) -> URIRef:
        """The property of a predicate (``KGError`` when the schema has no such predicate)."""
        hit = self._properties.get(predicate)
        return hit if hit is not None else exo_term(predicate_property(self.cur, predicate))

    def term(self, name: str) -> URIRef:
        """Any ``exo:`` term: fixed or declared by this curation's schema."""
        return exo_term(name, self.declared)

