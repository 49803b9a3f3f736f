"""Names of the schema terms that the data files refer to (no rdflib needed).

:mod:`kg.namespace` turns them into IRIs; :mod:`kg.curation` checks that every type and
predicate of ``triples/schema/`` has one.
"""

from __future__ import annotations

#: Class of each entity type id of ``schema/types.tsv``.
TYPE_CLASS: dict[str, str] = {
    "source": "Source", "mirna": "MiRNA", "lncrna": "LncRNA", "circrna": "CircRNA",
    "rna": "RNA", "protein": "Protein", "chemical": "Chemical", "pathway": "Pathway",
    "process": "Process", "disease": "Disease", "hallmark": "Hallmark", "cell": "Cell",
    "trial": "ClinicalTrial",
}

#: Property of each predicate id of ``schema/predicates.tsv``.
PREDICATE_PROPERTY: dict[str, str] = {
    "has_cargo": "hasCargo", "activates": "activates", "inhibits": "inhibits",
    "regulates": "regulates", "promotes": "promotes", "reduces": "reduces",
    "affects": "affects", "member_of": "memberOf", "part_of": "partOf", "is_a": "isA",
    "treats": "treats", "uses_source": "usesSource",
}

