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
    "load": "kg.curation",
    "validate": "kg.curation",
    "resolve": "kg.curation",
    "default_data_dir": "kg.curation",
    "build_graph": "kg.graph",
    "build_rdf": "kg.rdf",
    "edges": "kg.edges",
    "claim_edges": "kg.edges",
    "stats": "kg.summary",
    "card": "kg.summary",
    "serialize": "kg.export",
    "Curation": "kg.model",
    "Claim": "kg.model",
    "Entity": "kg.model",
    "Reference": "kg.model",
    "Problem": "kg.model",
    "KGError": "kg.errors",
    "CurationError": "kg.errors",
    "UnknownEntityError": "kg.errors",
    "AmbiguousNameError": "kg.errors",
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
