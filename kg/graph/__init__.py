"""Layer 2, the graph: one edge list derived from the claims and the two views built from it.

``edges`` derives the edges; ``network`` builds the networkx view, ``rdf`` the RDF view over
the vocabulary of ``namespace`` and ``terms``; ``curie`` expands identifiers.
"""

__all__: list[str] = []
