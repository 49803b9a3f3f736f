"""The stable edge key (no rdflib needed).

:func:`edge_key` names an edge the same way in every export; the fixed terms of the exo:
schema are :data:`kg.data.terms.TERMS`.
"""

from __future__ import annotations

import hashlib

__all__ = ["edge_key"]


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
