"""The drawing, legend and side-panel data of an ``exokg view`` page (:mod:`kg.view.html`).

Positions come from the explorer's layered layout (:func:`kg.web.draw.layout`); this module
writes them as SVG that the page's script can pan, zoom and click: every node is a
``<g class="node" data-id=...>`` with the shape and colour of its type, every edge a
``<g class="edge" data-id=...>`` with a wide invisible stroke to click on, the colour of its
sign, an arrow (or a bar for inhibition), a width that grows with its studies, and a dash
when it is derived (read off a claim's reported effects, not stated in its mechanism) or lies
only on inferred paths, as ``exokg view`` draws it. Every text goes through :func:`html.escape`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any

from kg.data.model import Curation
from kg.data.schema import node_types, type_column
from kg.query.select import Selection
from kg.query.summary import citation_text, claim_summary
from kg.view.layers import Layout, label_width, layout

__all__ = [
    "CHARS", "FONT", "HEAD", "ROW_H", "ZOOM", "SvgDrawing", "drawing", "legend", "panel_data",
    "shape", "short",
]

ROW_H, CHARS, FONT = 17, 30, 12
#: The largest zoom of the initial fit (as in assets/view.js): smaller drawings spread out.
ZOOM = 1.6
#: Prefix of the layout ids of an overview's type headings (never an entity id).
HEAD = "\x00head:"
_SIGN_ORDER = ("positive", "negative", "unknown", "none")


@dataclass(frozen=True)
class SvgDrawing:
    """The SVG of a view, and what it drew (for the legend)."""

    svg: str
    signs: set[str]
    dashed: bool


def drawing(cur: Curation, sel: Selection, nodes: list[dict[str, Any]],
            edges: list[dict[str, Any]], styles: dict[str, Any], *, focus: set[str],
            overview: bool, groups: dict[str, list[str]] | None,
            box: tuple[float, float]) -> SvgDrawing:
    """Lay out and draw the nodes and edges of :func:`kg.view.html.network_data`.

    Columns follow roles and rows the barycentre order; with ``groups`` (an overview of the
    whole graph) each column stacks its types under a heading, best connected first.
    ``overview`` (a large selection drawn whole) sizes dots by degree.
    """
    ntype = {n["id"]: n["ntype"] for n in nodes}
    degree: dict[str, int] = {}
    for e in edges:
        for end in (e["from"], e["to"]):
            degree[end] = degree.get(end, 0) + 1

    def column(c: Curation, node: str) -> int:
        kind = node[len(HEAD):] if node.startswith(HEAD) else ntype[node]
        return type_column(c, kind)  # trial reports first (-1), then by role

    if groups is None:
        order = sorted(ntype, key=lambda n: (n not in focus, -degree.get(n, 0), n))
    else:
        # the type groups by column, then in the order of schema/types.tsv
        rank = {t: i for i, t in enumerate(node_types(cur))}
        kinds = sorted(groups, key=lambda t: (type_column(cur, t), rank.get(t, len(rank)), t))
        order = [n for t in kinds for n in (HEAD + t, *(m for m in groups[t] if m in ntype))]
    def label(node: str) -> str:
        if node.startswith(HEAD):
            return _heading_text(node[len(HEAD):], styles, groups or {}, ntype)
        return short(cur.label(node)) + ("      " if node in focus else "")

    lay = layout(cur, order, [(e["from"], e["to"], e["sign"], e["id"]) for e in edges],
                 max_nodes=len(order), column=column, box=box, row_h=ROW_H, col_w=None,
                 chars=2 * CHARS, sort=groups is None, label=label, zoom=ZOOM)
    width, height = lay.width, lay.height + 8
    dashed = _dashed(sel)
    parts = [f'<svg id="view" xmlns="http://www.w3.org/2000/svg" data-width="{width:.0f}" '
             f'data-height="{height:.0f}" font-family="system-ui,sans-serif">',
             _markers(styles), '<g id="zoom">']
    signs: set[str] = set()
    any_dash = False
    for e, geometry in zip(edges, _geometry(cur, lay, edges, focus), strict=True):
        signs.add(e["sign"])
        dash = (e["from"], e["to"]) in dashed or bool(e.get("derived"))
        any_dash |= dash
        parts.append(_edge(e, geometry, styles, _studies(cur, e["claims"]), dash))
    for n in lay.kept:
        if n.startswith(HEAD):
            parts.append(_heading(n[len(HEAD):], lay.pos[n], styles, groups or {}, ntype))
            continue
        parts.append(_node(cur, n, ntype[n], lay.pos[n], styles, n in focus,
                           3 + min(7.0, degree.get(n, 0) ** 0.5) if overview else 5.0))
    parts.append("</g></svg>")
    return SvgDrawing("".join(parts), signs, any_dash)


def short(label: str) -> str:
    """A label cut to :data:`CHARS` characters (the panel and tooltip show it whole).

    Examples
    --------
    >>> short("extracellular matrix degradation and remodelling")
    'extracellular matrix degradat…'
    """
    return label if len(label) <= CHARS else label[:CHARS - 1] + "\u2026"


def _heading(kind: str, pos: tuple[float, float], styles: dict[str, Any],
             groups: dict[str, list[str]], ntype: dict[str, str]) -> str:
    """A type's heading in an overview: its name and how many of its members are drawn."""
    x, y = pos
    return (f'<g class="group" data-group="{kind}"><text class="group-head" x="{x - 6:g}" '
            f'y="{y + 5:g}">{escape(_heading_text(kind, styles, groups, ntype))}</text></g>')


def _heading_text(kind: str, styles: dict[str, Any], groups: dict[str, list[str]],
                  ntype: dict[str, str]) -> str:
    shown = sum(1 for m in groups[kind] if m in ntype)
    return f"{styles['nodes'][kind]['label']} ({shown} of {len(groups[kind])})"


def _dashed(sel: Selection) -> set[tuple[str, str]]:
    """Hops that lie only on inferred paths (drawn dashed)."""
    if sel.paths is None:
        return set()
    kind: dict[tuple[str, str], str] = {}
    for p in sel.paths.paths:
        for hop in p.hops:
            key = (hop.source, hop.target)
            if kind.get(key) != "asserted":
                kind[key] = p.kind
    return {k for k, v in kind.items() if v == "inferred"}


def _studies(cur: Curation, claims: list[str]) -> int:
    return len({k for c in claims if c in cur.claims for k in cur.study_keys(cur.claims[c])})


def _geometry(cur: Curation, lay: Layout, edges: list[dict[str, Any]], focus: set[str]
              ) -> list[str]:
    """The SVG path of each edge: out of the end of its source's label, into its target.

    An edge to a column on the right leaves after the label; one to the same column or to
    the left leaves the dot and bends round on the left. Parallel edges fan out.
    """
    seen: dict[tuple[str, str], int] = {}
    out = []
    for e in edges:
        (x1, y1), (x2, y2) = lay.pos[e["from"]], lay.pos[e["to"]]
        k = seen.get((e["from"], e["to"]), 0)
        seen[(e["from"], e["to"])] = k + 1
        fan = 7 * k
        big = e["from"] in focus
        end = x1 + 10 + (6 if big else 0) + label_width(short(cur.label(e["from"])), FONT)
        ex = x2 - (14 if e["to"] in focus else 9)
        if ex > end + 20:
            sx = end + 3
        elif x2 > x1:
            sx = x1 + (12 if big else 6)
        else:
            bend = 50 + min(120.0, abs(y2 - y1) / 4) + fan
            out.append(f"M{x1 - 6:.1f},{y1} C{x1 - bend:.1f},{y1} {x2 - bend:.1f},{y2} "
                       f"{ex:.1f},{y2}")
            continue
        mid = (sx + ex) / 2
        out.append(f"M{sx:.1f},{y1} C{mid:.1f},{y1 + fan} {mid:.1f},{y2 + fan} {ex:.1f},{y2}")
    return out


def _markers(styles: dict[str, Any]) -> str:
    parts = ["<defs>"]
    for key in _SIGN_ORDER:
        sign = styles["signs"][key]
        shape = ("M7,0 L10,0 L10,10 L7,10 z" if sign["arrow"] == "bar" else
                 "M0,0 L10,5 L0,10 z")
        parts.append(f'<marker id="m-{key}" viewBox="0 0 10 10" refX="10" refY="5" '
                     f'markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" '
                     f'orient="auto"><path d="{shape}" fill="{escape(sign["color"])}"/>'
                     "</marker>")
    parts.append("</defs>")
    return "".join(parts)


def _edge(e: dict[str, Any], d: str, styles: dict[str, Any], studies: int, dash: bool) -> str:
    w = styles["edge_width"]
    width = min(w["max"], w["base"] + w["per_study"] * studies)
    color = styles["signs"][e["sign"]]["color"]
    dashes = ' stroke-dasharray="7 4"' if dash else ""
    return (f'<g class="edge" data-id="{e["id"]}" data-sign="{e["sign"]}">'
            f'<path class="hit" d="{d}"/><path class="line" d="{d}" stroke="{escape(color)}" '
            f'stroke-width="{width:g}"{dashes} marker-end="url(#m-{e["sign"]})"/></g>')


def shape(kind: str, x: float, y: float, r: float, color: str, extra: str = "") -> str:
    """An SVG shape centred on (x, y), by the styles' ``shape`` names.

    Known: dot, diamond, box, square, ellipse, star, hexagon (anything else: a dot).

    Examples
    --------
    >>> shape("dot", 10, 10, 5, "#000")
    '<circle class="shape" cx="10" cy="10" r="5" fill="#000"/>'
    """
    fill = f'fill="{escape(color)}"{extra}'
    if kind in ("box", "square"):
        wide = 1.5 if kind == "box" else 1.0
        return (f'<rect class="shape" x="{x - r * wide:g}" y="{y - r:g}" width="{2 * r * wide:g}"'
                f' height="{2 * r:g}" {fill}/>')
    if kind == "ellipse":
        return (f'<ellipse class="shape" cx="{x:g}" cy="{y:g}" rx="{r * 1.4:g}" '
                f'ry="{r * 0.9:g}" {fill}/>')
    corners = {"diamond": (4, 1.35), "hexagon": (6, 1.15), "star": (10, 1.5)}
    if kind in corners:
        count, scale = corners[kind]
        pts = []
        for i in range(count):
            rad = r * scale * (0.5 if kind == "star" and i % 2 else 1.0)
            ang = math.pi * 2 * i / count - math.pi / 2
            pts.append(f"{x + rad * math.cos(ang):.1f},{y + rad * math.sin(ang):.1f}")
        return f'<polygon class="shape" points="{" ".join(pts)}" {fill}/>'
    return f'<circle class="shape" cx="{x:g}" cy="{y:g}" r="{r:g}" {fill}/>'


def _node(cur: Curation, n: str, ntype: str, pos: tuple[float, float],
          styles: dict[str, Any], focus: bool, r: float) -> str:
    x, y = pos
    st = styles["nodes"][ntype]
    r = 8.0 if focus else r
    ring = ' stroke="#000" stroke-width="2.5"' if focus else ' stroke="#fff" stroke-width="1"'
    return (f'<g class="node{" focus" if focus else ""}" data-id="{escape(n)}" '
            f'data-type="{ntype}" data-x="{x}" data-y="{y}">'
            f'{shape(st["shape"], x, y, r, st["color"], ring)}'
            f'<text x="{x + r + 4:g}" y="{y + 4:g}">{escape(short(cur.label(n)))}</text></g>')


def legend(styles: dict[str, Any], types: set[str], signs: set[str], dashed: bool,
           focus: bool) -> str:
    """The legend items of what is drawn: node types, edge signs, dashes, the focus ring."""
    items = []
    for t, st in styles["nodes"].items():
        if t in types:
            icon = shape(st["shape"], 9, 9, 5, st["color"])
            items.append(f'<li data-type="{t}"><svg width="18" height="18">{icon}</svg>'
                         f'{escape(st["label"])}</li>')
    for key in _SIGN_ORDER:
        if key in signs:
            st = styles["signs"][key]
            items.append(f'<li data-sign="{key}"><svg width="30" height="10"><line x1="0" '
                         f'y1="5" x2="22" y2="5" stroke="{escape(st["color"])}" '
                         f'stroke-width="3" marker-end="url(#m-{key})"/></svg>'
                         f'{escape(st["label"])}</li>')
    if dashed:
        items.append('<li data-dash="inferred"><svg width="30" height="10"><line x1="0" y1="5"'
                     ' x2="28" y2="5" stroke="#555" stroke-width="2" stroke-dasharray="7 4"/>'
                     "</svg>derived (read off a claim's reported effects), or only on "
                     "inferred paths (stitched from claims: a hypothesis)</li>")
    if focus:
        items.append('<li data-focus="1"><svg width="18" height="18"><circle cx="9" cy="9" '
                     'r="6" fill="#fff" stroke="#000" stroke-width="2.5"/></svg>'
                     "the entity asked about (bold)</li>")
    if signs:
        items.append("<li>line width: number of distinct studies</li>")
    return "".join(items)


def panel_data(cur: Curation, sel: Selection, nodes: list[dict[str, Any]],
               edges: list[dict[str, Any]], groups: dict[str, list[str]] | None = None,
               styles: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the side panel shows, as JSON for the page's script.

    Each node's card and drawn edges, each edge's card and claims, each claim once
    (summary, evidence, flag, citations, where it was read); with ``groups`` (an overview)
    every member of each type, drawn or not, with its card.
    """
    node_edges: dict[str, list[str]] = {n["id"]: [] for n in nodes}
    edge_data = {}
    claims: dict[str, str] = {}
    for e in edges:
        node_edges[e["from"]].append(e["id"])
        node_edges[e["to"]].append(e["id"])
        line = (f"{cur.label(e['from'])} {e['predicate']} {cur.label(e['to'])} "
                f"({len(e['claims'])} claim{'s' if len(e['claims']) != 1 else ''})")
        edge_data[e["id"]] = {"u": e["from"], "v": e["to"], "line": line,
                              "claims": e["claims"], "card": _edge_card(cur, e)}
        for rid in e["claims"]:
            if rid not in claims:
                claims[rid] = _claim_card(cur, rid)
    names = {t: st.get("label", t) for t, st in (styles or {}).get("nodes", {}).items()}
    node_data = {n["id"]: {"label": n["label"], "edges": node_edges[n["id"]],
                           "tip": f"{n['label']} ({names.get(n['ntype'], n['ntype'])})",
                           "card": _node_card(cur, n["id"], names.get(n["ntype"], n["ntype"]))}
                 for n in nodes}
    group_data: dict[str, Any] = {}
    for t, members in (groups or {}).items():
        label = (styles or {}).get("nodes", {}).get(t, {}).get("label", t)
        group_data[t] = {"title": label, "members": members}
        for m in members:
            if m not in node_data:
                node_data[m] = {"label": cur.label(m), "edges": [], "drawn": False,
                                "tip": f"{cur.label(m)} ({label})",
                                "card": _node_card(cur, m, label)}
    return {"nodes": node_data, "edges": edge_data, "claims": claims, "groups": group_data}


def _node_card(cur: Curation, node: str, type_label: str) -> str:
    ent = cur.entities.get(node)
    if ent is None:
        parts = [f"<h2>{escape(node)}</h2><p class='muted'>clinical trial</p>"]
        for t in (t for t in cur.trials.values() if t.node_id == node):
            parts.append(
                f"<p>{escape(t.trial)}: {escape(t.agent)}, {escape(cur.label(t.source))} &rarr; "
                f"{escape(', '.join(cur.label(d) for d in t.diseases))}; {escape(t.route)} "
                f"{escape(t.phase)} {escape(t.status)}<br><span class='muted'>read in "
                f"{escape(t.review)}, {escape(t.where)}</span></p>")
        return "".join(parts)
    parts = [f"<h2>{escape(ent.label)}</h2><p class='muted'>{escape(type_label)} &middot; id "
             f"{escape(ent.id)}</p>"]
    for name, values in (("synonyms", ent.synonyms), ("xrefs", ent.xrefs),
                         ("parents", tuple(cur.label(p) for p in ent.parents))):
        if values:
            parts.append(f"<p><b>{name}:</b> {escape(', '.join(values))}</p>")
    if ent.note:
        parts.append(f"<p class='muted'>{escape(ent.note)}</p>")
    return "".join(parts)


def _edge_card(cur: Curation, e: dict[str, Any]) -> str:
    sign = e["sign"] if e["kind"] != "hierarchy" else "n/a"
    studies = _studies(cur, e["claims"])
    return (f"<h2>{escape(cur.label(e['from']))} {escape(e['predicate'])} "
            f"{escape(cur.label(e['to']))}</h2><p class='muted'>{escape(e['kind'])} edge"
            f" &middot; sign: {escape(sign)} &middot; {studies} "
            f"stud{'y' if studies == 1 else 'ies'}</p>")


def _claim_card(cur: Curation, rid: str) -> str:
    claim = cur.claims.get(rid)
    if claim is None:
        trial = cur.trials.get(rid)
        if trial is None:
            return f"<div class='claim'><b>{escape(rid)}</b> (extra edge table)</div>"
        return (f"<div class='claim' data-claim='{escape(rid)}'><b>trial report "
                f"{escape(rid)}</b>: {escape(trial.trial)}<div class='muted'>read in "
                f"{escape(trial.review)}, {escape(trial.where)}</div></div>")
    facts = [f"evidence: {', '.join(claim.evidence) or 'not stated'}"]
    facts += [f"{k}: {v}" for k, v in (("model", claim.model), ("dose", claim.dose)) if v]
    cites = "".join(f"<li class='citation'>{escape(_cite(cur, c))}</li>" for c in claim.refs)
    flag = f"<span class='flag'>flag: {escape(claim.flag)}</span>" if claim.flag else ""
    return (f"<div class='claim' data-claim='{escape(rid)}'><b>{escape(rid)}</b> "
            f"{escape(claim_summary(cur, claim))}<div>{escape(' · '.join(facts))}</div>{flag}"
            f"<ul>{cites}</ul><div class='muted'>read in {escape(claim.review)}, "
            f"{escape(claim.where)}</div></div>")


def _cite(cur: Curation, citation: str) -> str:
    try:
        return citation_text(cur, citation)
    except KeyError:
        return citation
