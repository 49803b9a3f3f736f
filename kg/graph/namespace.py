"""The one place the project's IRIs are spelled.

``EXO`` is an rdflib ``DefinedNamespace`` with ``_fail = True``: a typo in a term raises
instead of quietly minting a new IRI. ``TERMS`` documents every term (label, comment); the
export writes them into the graph so a SPARQL user can discover the schema.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.graph.terms import PREDICATE_PROPERTY, TYPE_CLASS

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
    "ATTR", "BASE", "BIOLINK", "CLAIM", "EDGE", "EXO", "ID", "PREDICATE_PROPERTY",
    "PROV", "REF", "REPORT", "TERMS", "TRIAL", "TYPE_CLASS",
]


class EXO(DefinedNamespace):
    """Classes and properties of the exokg schema."""

    _fail = True
    _NS = Namespace(BASE + "schema#")

    # classes
    Entity: URIRef
    Source: URIRef
    MiRNA: URIRef
    LncRNA: URIRef
    CircRNA: URIRef
    RNA: URIRef
    Protein: URIRef
    Chemical: URIRef
    Pathway: URIRef
    Process: URIRef
    Disease: URIRef
    Hallmark: URIRef
    Cell: URIRef
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
    # entity-to-entity edges (from predicates.tsv)
    hasCargo: URIRef
    activates: URIRef
    inhibits: URIRef
    regulates: URIRef
    promotes: URIRef
    reduces: URIRef
    affects: URIRef
    memberOf: URIRef
    partOf: URIRef
    isA: URIRef
    treats: URIRef
    usesSource: URIRef
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


#: Label and comment of the terms not described by the schema files.
TERMS: dict[str, tuple[str, str]] = {
    "Entity": ("entity", "Anything named in the curated vocabulary."),
    "ClinicalTrial": ("clinical trial", "A registered or published clinical study of an MSC "
                      "or MSC-exosome product."),
    "TrialReport": ("trial report", "A clinical trial as one review reports it."),
    "Claim": ("claim", "One curated mechanism: what one study, as read in one review, says "
              "an exosome cargo (or the vesicles, or MSCs) from one source does."),
    "Reference": ("reference", "A published study cited by a review."),
    "Review": ("review", "One of the source reviews the claims were read in."),
    "Edge": ("edge statement", "An entity-to-entity edge with its sign and supporting claims "
             "(an rdf:Statement about the materialised edge)."),
    "Attribute": ("attribute", "A curated fact about one entity."),
    "Sign": ("sign", "The direction of a causal edge."),
    "positive": ("positive", "Activates, up-regulates, promotes or worsens."),
    "negative": ("negative", "Inhibits, down-regulates, reduces or relieves."),
    "unknown": ("unknown", "Direction not stated."),
    "agent": ("agent", "'exosome' (exosomes or their cargo) or 'cells' (MSC cell therapy)."),
    "source": ("source", "The MSC tissue source of the claim."),
    "cargo": ("cargo", "The exosome cargo the claim is about."),
    "donor": ("donor species", "Species of the MSC donor."),
    "mechanism": ("mechanism", "The signalling chain as curated (operators -> -| -?)."),
    "involves": ("involves", "An entity of the claim's mechanism chain."),
    "promotesProcess": ("promotes process", "The claim's agent increases the process."),
    "reducesProcess": ("reduces process", "The claim's agent decreases the process."),
    "modulatesProcess": ("modulates process", "The claim's agent changes the process, "
                         "direction not stated."),
    "alleviates": ("alleviates", "The claim's agent relieves the disease."),
    "aggravates": ("aggravates", "The claim's agent worsens the disease."),
    "modulatesDisease": ("modulates disease", "The claim's agent affects the disease, "
                         "direction not stated."),
    "evidence": ("evidence", "in vitro, in vivo or clinical."),
    "model": ("model", "Experimental model (species, injury model, cells)."),
    "dose": ("dose", "Route, dose and follow-up."),
    "citation": ("citation", "The citation as written in the review (REVIEW:NUMBER)."),
    "location": ("location", "Where in the review the record was read."),
    "kind": ("edge kind", "'causal', 'cargo', 'trial' or 'hierarchy' (a parent link of the "
             "vocabulary, which has no sign and no supporting record)."),
    "sign": ("sign", "Sign of a causal, cargo or trial edge."),
    "derived": ("derived sign", "True when the sign was worked out from the claim's stated "
                "effect rather than stated for this step."),
    "supportedBy": ("supported by", "A claim or trial report that asserts the edge."),
    "externalSource": ("external source", "The resource an edge merged from an extra edge "
                       "table comes from (as the table names it)."),
    "authors": ("authors", "Author list as printed."),
    "firstAuthor": ("first author", "First author's surname."),
    "year": ("year", "Publication year as printed."),
    "journal": ("journal", "Journal as printed."),
    "volume": ("volume", "Volume as printed."),
    "issue": ("issue", "Issue as printed."),
    "pages": ("pages", "Pages or article number as printed."),
    "doi": ("DOI", "DOI as printed in the review."),
    "pmid": ("PMID", "PubMed id as printed in the review."),
    "citedAs": ("cited as", "REVIEW:NUMBER under which a review cites the study."),
    "trialId": ("trial id", "Registry id (NCT number) or the citation standing for it."),
    "reportsTrial": ("reports trial", "The trial a trial report describes."),
    "route": ("route", "Route of administration."),
    "phase": ("phase", "Trial phase."),
    "enrollment": ("enrollment", "Number of participants."),
    "status": ("status", "Recruitment status."),
    "design": ("design", "Protocol in short."),
    "outcome": ("outcome", "Endpoints or results in short."),
    "describes": ("describes", "The entity an attribute is about."),
    "attributeName": ("attribute name", "obtained_from, advantage, limitation, marker or "
                      "property."),
}
