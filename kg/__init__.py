"""exokg: a curated knowledge graph of MSC-derived exosomes in ageing and age-related disease.

The public API (imported lazily, so ``import kg`` stays fast)::

    cur = kg.load()                 # validated curation of triples/ (or a folder you name)
    g = kg.build_graph(cur)         # networkx MultiDiGraph
    rdf = kg.build_rdf(cur)         # rdflib Graph
    kg.card(cur, kg.resolve(cur, "hucMSC"))
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load": "kg.data.curation",
    "validate": "kg.data.curation",
    "resolve": "kg.data.curation",
    "default_data_dir": "kg.data.curation",
    "build_graph": "kg.graph.network",
    "build_rdf": "kg.graph.rdf",
    "edges": "kg.graph.edges",
    "claim_edges": "kg.graph.edges",
    "stats": "kg.query.summary",
    "card": "kg.query.summary",
    "claims": "kg.query.claims",
    "trials": "kg.query.trials",
    "matrix": "kg.query.matrix",
    "hallmarks": "kg.query.matrix",
    "search": "kg.query.search",
    "hubs": "kg.query.hubs",
    "serialize": "kg.io.formats",
    "Curation": "kg.data.model",
    "Claim": "kg.data.model",
    "Entity": "kg.data.model",
    "Reference": "kg.data.model",
    "Problem": "kg.errors",
    "KGError": "kg.errors",
    "CurationError": "kg.errors",
    "UnknownEntityError": "kg.errors",
    "AmbiguousNameError": "kg.errors",
    "MissingExtraError": "kg.errors",
    "QueryError": "kg.errors",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
