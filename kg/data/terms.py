"""The fixed terms of the exo: schema: the classes and properties the code itself needs.

Claims, edges, references and trials are the program's own structure, so their RDF terms are
fixed here; the entity classes and edge properties are rows of ``triples/schema/``
(:mod:`kg.data.schema`), which may not reuse these names. :mod:`kg.graph.namespace` turns
both into IRIs.
"""

from __future__ import annotations

__all__ = ["TERMS"]

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
    "derived": ("derived", "True when every claim behind the edge only gives it derived: "
                "read off the claim's reported effects (the agent reduced X and alleviated D), "
                "not written in its mechanism; false when a claim states it."),
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
