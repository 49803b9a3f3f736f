"""CURIEs <-> URIs with the project's prefix map.

The prefix map (``triples/schema/prefixes.tsv``) was generated from bioregistry (version in
its ``source`` column), so bioregistry itself stays out of the run-time path. Expanding a
CURIE with a fixed map is one split and one dictionary lookup: :class:`PrefixMap` does it
the way ``curies.Converter.from_prefix_map(...).expand`` does (the same URIs; a test checks
every xref of the curated data against ``curies``), without importing ``curies`` and its
dependencies (0.1–0.2 s of every first call after a data edit).
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.data.model import Curation, is_trial_node
from kg.errors import KGError

__all__ = ["PrefixMap", "converter", "entity_curie", "expand"]


class PrefixMap:
    """CURIE prefix -> URI prefix, and the expansion of a CURIE by it.

    Examples
    --------
    >>> m = PrefixMap({"GO": "http://purl.obolibrary.org/obo/GO_"})
    >>> m.expand("GO:0006915"), m.expand("go:0006915"), m.expand("GO")
    ('http://purl.obolibrary.org/obo/GO_0006915', None, None)
    """

    def __init__(self, prefix_map: Mapping[str, str]) -> None:
        self.prefix_map = dict(prefix_map)

    def expand(self, curie: str) -> str | None:
        """The URI of ``curie``, or None when it has no known prefix (or no ``:``)."""
        prefix, colon, identifier = curie.partition(":")
        uri_prefix = self.prefix_map.get(prefix) if colon else None
        return None if uri_prefix is None else uri_prefix + identifier


def converter(cur: Curation) -> PrefixMap:
    """The expander of the curated folder's prefix map."""
    return PrefixMap(cur.prefixes)


def expand(conv: PrefixMap, curie: str) -> str:
    """The URI of a CURIE; an unknown prefix is an error.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> expand(converter(load()), "hgnc:9588")
    'https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/9588'
    """
    uri = conv.expand(curie)
    if uri is None:
        raise KGError(f"cannot expand '{curie}': its prefix is not in schema/prefixes.tsv")
    return uri


def entity_curie(entity_id: str) -> str:
    """The CURIE of an exokg entity or trial (``exokg:miR-146a-5p``, ``exokg.trial:NCT…``)."""
    if is_trial_node(entity_id):
        return f"exokg.trial:{entity_id}"
    return f"exokg:{entity_id}"
