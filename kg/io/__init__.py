"""Layer 4, input and output: files and formats, remote SPARQL stores, the cache, SHACL.

``files`` writes atomically under one rule for every command; ``graphml`` and ``tables``
(KGX, Neo4j) are formats; ``remote`` talks to SPARQL servers; ``cache`` keeps built results;
``lint`` rewrites curated files into canonical form; ``shacl`` validates the RDF view.
"""

__all__: list[str] = []
