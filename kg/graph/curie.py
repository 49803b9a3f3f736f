"""CURIEs <-> URIs through the ``curies`` library and the project's prefix map.

The prefix map (``triples/schema/prefixes.tsv``) was generated from bioregistry (version in
its ``source`` column), so bioregistry itself stays out of the run-time path; ``curies`` is
imported only by the exports that need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.data.model import Curation, is_trial_node
from kg.errors import KGError

if TYPE_CHECKING:
    import curies


def converter(cur: Curation) -> curies.Converter:
    """A converter for the curated folder's prefix map."""
    import curies

    return curies.Converter.from_prefix_map(cur.prefixes)


def expand(conv: curies.Converter, curie: str) -> str:
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
    return str(uri)


def entity_curie(entity_id: str) -> str:
    """The CURIE of an exokg entity or trial (``exokg:miR-146a-5p``, ``exokg.trial:NCT…``)."""
    if is_trial_node(entity_id):
        return f"exokg.trial:{entity_id}"
    return f"exokg:{entity_id}"
