"""GraphML for Cytoscape and Gephi: the networkx view with scalar attributes only.

GraphML holds strings, numbers and booleans, so lists (synonyms, supporting claims,
citations) are joined with ``|`` and an unknown sign is written ``?``. The file is valid
against the GraphML 1.1 XSD (a test checks it offline): every edge has its own ``id`` (``e``
and the 16 hex digits that also end the edge statement ``edge:…`` in RDF and the KGX id
``exokg.edge:…``), and booleans are written ``true``/``false`` as XML Schema spells them.

:func:`graphml_bytes` writes the text itself, without importing networkx or ElementTree
(importing networkx alone took longer than the rest of a first export): the same bytes as
networkx's ``GraphMLWriter`` (pretty-printed, XML Schema booleans) on :func:`graphml_graph`,
which a test checks, and a graph ``networkx.read_graphml`` reads back as that view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.data.model import Curation, sign_symbol
from kg.graph.edges import edges, trial_nodes
from kg.graph.terms import edge_key
from kg.query.summary import citation_text

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["SCHEMA_LOCATION", "Data", "graphml_bytes", "graphml_graph"]

#: The GraphML 1.1 schema the output is written against.
SCHEMA_LOCATION = ("http://graphml.graphdrawing.org/xmlns "
                   "http://graphml.graphdrawing.org/xmlns/1.1/graphml.xsd")
_NS = "http://graphml.graphdrawing.org/xmlns"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: Attribute values of one node or edge, in the order they are written.
Data = dict[str, str | bool]


def graphml_graph(cur: Curation) -> nx.MultiDiGraph:
    """The networkx graph with every attribute made a GraphML scalar (what the file holds)."""
    from kg.graph.network import build_graph

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


def _view(cur: Curation) -> tuple[dict[str, Data], dict[str, dict[str, dict[str, Data]]]]:
    """The nodes and the edges (source -> target -> predicate -> data) in networkx's order.

    The same attributes, in the same order, as :func:`kg.graph.network.build_graph` made
    GraphML scalars: a node's adjacency keeps the order its first edge to each target came in,
    as a ``MultiDiGraph`` does.
    """
    nodes: dict[str, Data] = {}
    for ent in sorted(cur.entities.values(), key=lambda e: e.id):
        nodes.setdefault(ent.id, {}).update(
            type=ent.type, label=ent.label, synonyms="|".join(ent.synonyms),
            xrefs="|".join(ent.xrefs))
    for node, rows in trial_nodes(cur).items():
        nodes.setdefault(node, {}).update(type="trial", label=node, reports="|".join(rows))
    succ: dict[str, dict[str, dict[str, Data]]] = {}
    cites: dict[str, str] = {}

    def cited(ref: str) -> str:
        hit = cites.get(ref)
        if hit is None:
            hit = cites[ref] = citation_text(cur, ref)
        return hit

    for e in edges(cur):
        nodes.setdefault(e.subject, {})
        nodes.setdefault(e.object, {})
        claims = e.claims
        keyed = succ.setdefault(e.subject, {}).setdefault(e.object, {})
        keyed.setdefault(e.predicate, {}).update(
            predicate=e.predicate,
            sign=sign_symbol(e.sign) if e.kind != "hierarchy" else "",
            kind=e.kind, derived=e.derived, claims="|".join(claims),
            sources="|".join(e.sources), edge_id="e" + edge_key(e.subject, e.predicate, e.object),
            citations="|".join(sorted({cited(ref) for c in claims if c in cur.claims
                                       for ref in cur.claims[c].refs})))
    return nodes, {u: succ[u] for u in nodes if u in succ}  # a MultiDiGraph's order


def _cdata(text: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"})


def _attribute(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    return text.translate(_ATTRIBUTE)


class _Keys:
    """The ``<key>`` declarations, numbered ``d0``, ``d1`` … in the order first used."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str, str], str] = {}

    def __call__(self, name: str, value: str | bool, scope: str) -> str:
        kind = "boolean" if isinstance(value, bool) else "string"
        hit = self.ids.get((name, kind, scope))
        if hit is None:
            hit = self.ids[(name, kind, scope)] = f"d{len(self.ids)}"
        return hit

    def lines(self) -> list[str]:
        """The declarations, newest first (networkx inserts each one at the top)."""
        return [f'  <key id="{key}" for="{scope}" attr.name="{_attribute(name)}" '
                f'attr.type="{kind}" />\n'
                for (name, kind, scope), key in reversed(self.ids.items())]


def _data(out: list[str], keys: _Keys, data: Data, scope: str, indent: str) -> None:
    for name, value in data.items():
        key = keys(name, value, scope)
        text = ("true" if value else "false") if isinstance(value, bool) else value
        if text:
            out.append(f'{indent}<data key="{key}">{_cdata(text)}</data>\n')
        else:
            out.append(f'{indent}<data key="{key}" />\n')


def graphml_bytes(cur: Curation) -> bytes:
    """The graph serialised as GraphML (UTF-8), as networkx writes :func:`graphml_graph`."""
    nodes, succ = _view(cur)
    keys = _Keys()
    keys("name", "exokg", "graph")  # the graph's own data is declared first (d0)
    body: list[str] = []
    for node, data in nodes.items():
        if data:
            body.append(f'    <node id="{_attribute(node)}">\n')
            _data(body, keys, data, "node", "      ")
            body.append("    </node>\n")
        else:
            body.append(f'    <node id="{_attribute(node)}" />\n')
    for u, targets in succ.items():
        source = _attribute(u)
        for v, keyed in targets.items():
            target = _attribute(v)
            for data in keyed.values():
                body.append(f'    <edge source="{source}" target="{target}" '
                            f'id="{_attribute(str(data["edge_id"]))}">\n')
                _data(body, keys, data, "edge", "      ")
                body.append("    </edge>\n")
    _data(body, keys, {"name": "exokg"}, "graph", "    ")
    head = ["<?xml version='1.0' encoding='utf-8'?>\n",
            f'<graphml xmlns="{_NS}" xmlns:xsi="{_XSI}" '
            f'xsi:schemaLocation="{SCHEMA_LOCATION}">\n']
    text = "".join(head + keys.lines() + ['  <graph edgedefault="directed">\n'] + body
                   + ["  </graph>\n", "</graphml>\n"])
    return text.encode("utf-8")
