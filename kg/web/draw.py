"""Small drawings for the explorer's pages: SVG laid out in layers by role.

Nodes sit in columns by the role their type plays in a claim (source -> cargo ->
target/pathway -> process -> disease), laid out by :mod:`kg.view.layers`. The
focus entity is drawn larger and outlined; edges take the colour of their sign from
``triples/schema/styles.json``; the legend lists only the signs drawn. Every label goes
through :func:`html.escape`; each node links to its page and each edge has a ``<title>``
(a tooltip that wraps) with its predicate and claims. Plain SVG: no script, works from disk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from kg.data.model import Curation, sign_key
from kg.data.schema import STYLES_FILE, node_styles
from kg.view.layers import COL_W, LABEL, PAD, LayoutEdge, layout

__all__ = ["Drawing", "decorate", "layered", "neighbourhood_drawing", "paths_drawing"]


@dataclass(frozen=True)
class Drawing:
    """An SVG drawing and how many nodes were left out by the cap."""

    svg: str
    nodes: int
    left_out: int


def _styles(cur: Curation) -> dict[str, Any]:
    """The styles file of the curation (none readable: the default styles of every type)."""
    path = Path(cur.root) / "schema" / STYLES_FILE
    try:
        styles = dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        styles = {"signs": {}}
    styles["nodes"] = node_styles(cur, styles)
    return styles


def layered(cur: Curation, nodes: list[str], edges: list[LayoutEdge],
            *, focus: str | None = None, link: Any = None,
            dashed: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()
            ) -> Drawing:
    """Draw ``nodes`` (entity ids, most important first) and ``edges`` (u, v, sign key, title).

    Edges whose (u, v) is in ``dashed`` are drawn dashed (derived hops, and hops only on
    inferred paths, as ``exokg view`` draws them) and the legend says what a dash means.

    At most :data:`kg.view.layers.MAX_NODES` nodes are drawn (the first ones); edges to nodes
    left out are dropped. ``link`` (a :class:`kg.web.render.Links`) makes each node a link to
    its page. Positions come from :func:`kg.view.layers.layout`; edges, nodes and legend
    share them and the styles, and read top to bottom as the SVG is written.
    """
    lay = layout(cur, nodes, edges)
    styles = _styles(cur)
    pos, edges = lay.pos, lay.edges
    width = PAD * 2 + max(0, len(lay.columns) - 1) * COL_W + 250
    height = lay.height
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="drawing" width="{width}" '
             f'height="{height + 24}" viewBox="0 0 {width} {height + 24}" '
             f'font-size="{LABEL}" font-family="system-ui,sans-serif">']
    drawn_signs: set[str] = set()
    for u, v, key, title in edges:
        drawn_signs.add(key)
        color = styles.get("signs", {}).get(key, {}).get("color", "#888")
        (x1, y1), (x2, y2) = pos[u], pos[v]
        mid = (x1 + x2) / 2 if x1 != x2 else x1 + 60
        dash = ' stroke-dasharray="7 4"' if (u, v) in dashed else ""
        parts.append(f'<path class="edge" d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" '
                     f'fill="none" stroke="{escape(color)}" stroke-width="1.6"{dash} '
                     f'opacity="0.75"><title>{escape(title)}</title></path>')
    for n in lay.kept:
        x, y = pos[n]
        ent = cur.entities.get(n)
        color = styles.get("nodes", {}).get(ent.type if ent else "", {}).get("color", "#444")
        big = n == focus
        ring = ' stroke="#000" stroke-width="2.5"' if big else ""
        bold = ' font-weight="700"' if big else ""
        node = (f'<circle cx="{x}" cy="{y}" r="{8 if big else 5}" fill="{escape(color)}"'
                f'{ring}/><text x="{x + 10}" y="{y + 4}"{bold}>'
                f'{escape(cur.label(n)[:34])}</text>'
                f'<title>{escape(cur.label(n))} ({escape(ent.type if ent else "")})</title>')
        href = link.node(n) if link is not None else ""
        parts.append(f'<a class="node" href="{escape(href)}">{node}</a>' if href else
                     f'<g class="node">{node}</g>')
    x = PAD
    for key in ("positive", "negative", "unknown", "none"):
        if key in drawn_signs:
            sign = styles.get("signs", {}).get(key, {})
            parts.append(f'<line x1="{x}" y1="{height + 12}" x2="{x + 24}" y2="{height + 12}" '
                         f'stroke="{escape(sign.get("color", "#888"))}" stroke-width="3"/>'
                         f'<text x="{x + 30}" y="{height + 16}">'
                         f'{escape(sign.get("label", key))}</text>')
            x += 220
    if any((u, v) in dashed for u, v, _, _ in edges):
        parts.append(f'<line x1="{x}" y1="{height + 12}" x2="{x + 24}" y2="{height + 12}" '
                     f'stroke="#555" stroke-width="2" stroke-dasharray="7 4"/>'
                     f'<text x="{x + 30}" y="{height + 16}">derived (read off a claim\'s '
                     f'reported effects), or only on inferred paths</text>')
    parts.append("</svg>")
    return Drawing("".join(parts), len(lay.kept), lay.left_out)


def paths_drawing(cur: Curation, data: dict[str, Any], link: Any = None) -> Drawing:
    """The paths of a path page (:func:`kg.web.data.paths_page`), drawn in layers.

    A hop's colour is its edges' sign key (:func:`kg.data.model.sign_key`) when they agree,
    ``unknown`` when they do not.
    """
    nodes = [n["id"] for p in data.get("paths", []) for n in p["nodes"]]
    edges = {}
    kinds: dict[tuple[str, str], set[str]] = {}
    derived: set[tuple[str, str]] = set()
    for p in data.get("paths", []):
        for hop in p["hops"]:
            kinds.setdefault((hop["from"], hop["to"]), set()).add(p.get("kind", ""))
            if hop.get("how") == "derived":
                derived.add((hop["from"], hop["to"]))
            keys = {sign_key(cur.predicates[e["predicate"]].kind, e["sign"])
                    for e in hop["edges"]}
            key = next(iter(keys)) if len(keys) == 1 else sign_key("causal", None)
            preds = "/".join(sorted({e["predicate"] for e in hop["edges"]}))
            claims = sorted({c for e in hop["edges"] for c in e["claims"]})
            edges[(hop["from"], hop["to"])] = (
                hop["from"], hop["to"], key,
                f"{cur.label(hop['from'])} {preds} {cur.label(hop['to'])}: "
                f"{', '.join(claims)}")
    dashed = derived | {k for k, v in kinds.items() if v == {"inferred"}}
    return layered(cur, nodes, list(edges.values()), focus=data.get("source"), link=link,
                   dashed=dashed)


def neighbourhood_drawing(cur: Curation, data: dict[str, Any], link: Any = None,
                          cap: int = 40) -> Drawing:
    """An entity page's 1-hop neighbourhood (:func:`kg.web.data.entity_page`), capped."""
    from kg.graph.edges import edges as all_edges

    neighbours = [n["id"] for n in data.get("neighbours", [])]
    kept = [data["id"], *neighbours[:cap]]
    shown = set(kept)
    found: dict[tuple[str, str], LayoutEdge] = {}
    for e in all_edges(cur):  # computed once per curation by kg.graph.edges
        if data["id"] in (e.subject, e.object) and e.subject in shown and e.object in shown:
            found.setdefault((e.subject, e.object), (
                e.subject, e.object, sign_key(e.kind, e.sign),
                f"{cur.label(e.subject)} {e.predicate} {cur.label(e.object)}: "
                f"{', '.join(e.claims)}"))
    drawing = layered(cur, kept, list(found.values()), focus=data["id"], link=link)
    return Drawing(drawing.svg, drawing.nodes, max(0, len(neighbours) - cap))


def decorate(cur: Curation, template: str, data: dict[str, Any], link: Any) -> dict[str, Any]:
    """What an HTML page adds to its data: the drawing of an entity or path page."""
    if template == "entity.html":
        drawing = neighbourhood_drawing(cur, data, link)
    elif template == "paths.html" and data.get("paths"):
        drawing = paths_drawing(cur, data, link)
    else:
        return {}
    return {"drawing": drawing}
