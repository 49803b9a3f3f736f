"""exokg: a curated knowledge graph of MSC-derived exosomes in ageing and age-related disease.

The public API (imported lazily, so ``import kg`` stays fast)::

    cur = kg.load()                 # validated curation of triples/ (or a folder you name)
    g = kg.build_graph(cur)         # networkx MultiDiGraph
    rdf = kg.build_rdf(cur)         # rdflib Graph
    kg.card(cur, kg.resolve(cur, "hucMSC"))
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from types import ModuleType
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
    "serialize": "kg.io.files",
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


#: Modules of exokg 0.1 and where they live now; importing an old name still works, with a
#: DeprecationWarning, until 0.3.
MOVED = {
    "kg.model": "kg.data.model", "kg.tsv": "kg.data.tsv", "kg.names": "kg.data.names",
    "kg.curation": "kg.data.curation", "kg.hierarchy": "kg.data.hierarchy",
    "kg.edges": "kg.graph.edges", "kg.rdf": "kg.graph.rdf",
    "kg.namespace": "kg.graph.namespace", "kg.terms": "kg.graph.terms",
    "kg.curie": "kg.graph.curie", "kg.paths": "kg.query.paths", "kg.rank": "kg.query.rank",
    "kg.sparql": "kg.query.sparql", "kg.rollup": "kg.query.rollup",
    "kg.summary": "kg.query.summary", "kg.coverage": "kg.query.coverage",
    "kg.export": "kg.io.files", "kg.graphml": "kg.io.graphml", "kg.tabular": "kg.io.tables",
    "kg.remote": "kg.io.remote", "kg.cache": "kg.io.cache", "kg.shacl": "kg.io.shacl",
    "kg.lint": "kg.io.lint", "kg.report": "kg.view.text", "kg.plots": "kg.view.plots",
}


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports an old module name as the module that replaced it."""

    def find_spec(self, fullname: str, path: Any, target: Any = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        new = MOVED[spec.name]
        warnings.warn(f"{spec.name} is now {new}; the old name goes in exokg 0.3",
                      DeprecationWarning, stacklevel=2)
        return importlib.import_module(new)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the module is the one already imported."""


sys.meta_path.append(_MovedModules())
