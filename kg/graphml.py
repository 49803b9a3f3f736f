"""GraphML for Cytoscape and Gephi: the networkx view with scalar attributes only.

GraphML holds strings, numbers and booleans, so lists (synonyms, supporting claims,
citations) are joined with ``|`` and an unknown sign is written ``?``.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from kg.graph import build_graph
from kg.model import Curation
from kg.summary import citation_text

if TYPE_CHECKING:
    import networkx as nx

_SIGN = {1: "+", -1: "-", None: "?"}


def graphml_graph(cur: Curation) -> nx.MultiDiGraph:
    """The networkx graph with every attribute made a GraphML scalar."""
    g = build_graph(cur)
    for _, data in g.nodes(data=True):
        for key in ("synonyms", "xrefs", "reports"):
            if key in data:
                data[key] = "|".join(data[key])
    for _, _, data in g.edges(data=True):
        claims = data["claims"]
        data["sign"] = _SIGN[data["sign"]] if data["kind"] != "hierarchy" else ""
        data["claims"] = "|".join(claims)
        data["sources"] = "|".join(data["sources"])
        data["citations"] = "|".join(sorted({
            citation_text(cur, ref) for c in claims if c in cur.claims
            for ref in cur.claims[c].refs}))
    return g


def graphml_bytes(cur: Curation) -> bytes:
    """The graph serialised as GraphML (UTF-8)."""
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(graphml_graph(cur), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()
