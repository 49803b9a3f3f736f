"""Names of the schema terms that the data files refer to (no rdflib needed).

:mod:`kg.graph.namespace` turns them into IRIs; :mod:`kg.data.curation` checks that every type and
predicate of ``triples/schema/`` has one. :func:`edge_key` names an edge the same way in
every export.
"""

from __future__ import annotations

import hashlib

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


def edge_key(subject: str, predicate: str, obj: str) -> str:
    """The stable local name of an edge: 16 hex digits of the SHA-1 of its triple.

    The same digits name the edge in every export: the RDF edge statement ``edge:…``, the
    KGX ``id`` (``exokg.edge:…``) and the GraphML ``<edge id>`` (``e…``).

    Examples
    --------
    >>> edge_key("miR-146a-5p", "inhibits", "IRAK1")
    '4b3f9ba3815d18d7'
    """
    return hashlib.sha1("\x1f".join((subject, predicate, obj)).encode("utf-8")).hexdigest()[:16]
