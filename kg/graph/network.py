"""The curated graph as a networkx ``MultiDiGraph`` (edges keyed by predicate)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.data.model import Curation
from kg.graph.edges import edges, trial_nodes

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["build_graph"]


def build_graph(cur: Curation) -> nx.MultiDiGraph:
    """Build the networkx view of a curation.

    Nodes are entities and trials (attribute ``type``, ``label``); each edge is keyed by its
    predicate and carries ``sign``, ``kind``, ``derived`` and ``claims`` (the ids of every
    record that supports it). Two predicates between one pair stay two edges.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> g = build_graph(load())
    >>> g.nodes["BM-MSC"]["type"]
    'source'
    """
    import networkx as nx

    g = nx.MultiDiGraph(name="exokg")
    for ent in sorted(cur.entities.values(), key=lambda e: e.id):
        g.add_node(ent.id, type=ent.type, label=ent.label, synonyms=list(ent.synonyms),
                   xrefs=list(ent.xrefs))
    for node, rows in trial_nodes(cur).items():
        g.add_node(node, type="trial", label=node, reports=rows)
    for e in edges(cur):
        g.add_edge(e.subject, e.object, key=e.predicate, predicate=e.predicate, sign=e.sign,
                   kind=e.kind, derived=e.derived, claims=list(e.claims),
                   sources=list(e.sources))
    return g
