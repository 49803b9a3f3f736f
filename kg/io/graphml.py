"""GraphML for Cytoscape and Gephi: the networkx view with scalar attributes only.

GraphML holds strings, numbers and booleans, so lists (synonyms, supporting claims,
citations) are joined with ``|`` and an unknown sign is written ``?``. The file is valid
against the GraphML 1.1 XSD (a test checks it offline): every edge has its own ``id`` (``e``
and the 16 hex digits that also end the edge statement ``edge:…`` in RDF and the KGX id
``exokg.edge:…``), and booleans are written ``true``/``false`` as XML Schema spells them.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from kg.data.model import Curation, sign_symbol
from kg.graph.network import build_graph
from kg.graph.terms import edge_key
from kg.query.summary import citation_text

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["SCHEMA_LOCATION", "graphml_bytes", "graphml_graph"]

#: The GraphML 1.1 schema the output is written against.
SCHEMA_LOCATION = ("http://graphml.graphdrawing.org/xmlns "
                   "http://graphml.graphdrawing.org/xmlns/1.1/graphml.xsd")


def graphml_graph(cur: Curation) -> nx.MultiDiGraph:
    """The networkx graph with every attribute made a GraphML scalar."""
    g = build_graph(cur)
    for _, data in g.nodes(data=True):
        for key in ("synonyms", "xrefs", "reports"):
            if key in data:
                data[key] = "|".join(data[key])
    for u, v, key, data in g.edges(keys=True, data=True):
        claims = data["claims"]
        data["edge_id"] = "e" + edge_key(u, key, v)  # all-digit ids read back as ints
        data["sign"] = sign_symbol(data["sign"]) if data["kind"] != "hierarchy" else ""
        data["claims"] = "|".join(claims)
        data["sources"] = "|".join(data["sources"])
        data["citations"] = "|".join(sorted({
            citation_text(cur, ref) for c in claims if c in cur.claims
            for ref in cur.claims[c].refs}))
    return g


def _writer_class() -> Any:
    from networkx.readwrite.graphml import GraphMLWriter

    class Writer(GraphMLWriter):  # type: ignore[misc]
        """networkx's writer, with XML Schema booleans (``true``, not ``True``)."""

        def add_data(self, name: str, element_type: Any, value: str, scope: str = "all",
                     default: Any = None) -> Any:
            if element_type is bool:
                value = value.lower()
            return super().add_data(name, element_type, value, scope, default)

    return Writer


def graphml_bytes(cur: Curation) -> bytes:
    """The graph serialised as GraphML (UTF-8)."""
    writer = _writer_class()(encoding="utf-8", prettyprint=True,
                             edge_id_from_attribute="edge_id")
    writer.xml.set("xsi:schemaLocation", SCHEMA_LOCATION)
    writer.add_graph_element(graphml_graph(cur))
    buf = io.BytesIO()
    writer.dump(buf)
    return buf.getvalue()
