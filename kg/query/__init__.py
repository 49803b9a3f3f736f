"""Layer 3, the questions: plain functions that take a curation and names, return records.

``paths`` (source -> disease paths), ``rank`` (hubs), ``summary`` (stats, entity cards),
``rollup`` (hallmarks, matrices), ``coverage`` (curation progress), ``sparql`` (queries over
the RDF view, with the shipped ``examples/``).
"""

__all__: list[str] = []
