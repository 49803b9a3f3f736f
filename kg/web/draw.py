"""Small drawings for the explorer's pages: SVG laid out in layers by role.

Nodes sit in columns by the role their type plays in a claim (source -> cargo ->
target/pathway -> process -> disease), so a path reads left to right; within a column they
are ordered by the mean row of their predecessors (one barycentre pass: few crossings). The
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

from kg.data.model import Curation

#: Column of each entity type (by its role in a claim).
COLUMN = {"source": 0, "mirna": 1, "lncrna": 1, "circrna": 1, "rna": 1, "protein": 2,
          "chemical": 2, "cell": 2, "pathway": 2, "process": 3, "hallmark": 3, "disease": 4}
#: Most nodes drawn; the caller says when the cap cuts.
MAX_NODES = 150
COL_W, ROW_H, PAD, LABEL = 230, 24, 12, 12


@dataclass(frozen=True)
class Drawing:
    """An SVG drawing and how many nodes were left out by the cap."""

    svg: str
    nodes: int
    left_out: int


def _styles(cur: Curation) -> dict[str, Any]:
    path = Path(cur.root) / "schema" / "styles.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {"nodes": {}, "signs": {}}


def _sign_key(sign: int | None) -> str:
    """``positive``, ``negative``, ``none`` (0: a link with no sign) or ``unknown``."""
    return {1: "positive", -1: "negative", 0: "none"}.get(sign, "unknown") \
        if sign is not None else "unknown"


@dataclass(frozen=True)
class Layout:
    """Where each node of a layered drawing sits (see :func:`layout`).

    ``kept`` are the nodes drawn (at most the cap), ``left_out`` how many were cut,
    ``edges`` the edges between kept nodes (no loops), ``pos`` the centre of each node's
    dot, ``widths`` the width of each drawn column (x of its dots, width), ``width`` and
    ``height`` the size of the drawing.
    """

    kept: list[str]
    left_out: int
    edges: list[tuple[str, str, int | None, str]]
    pos: dict[str, tuple[float, float]]
    columns: list[tuple[float, float]]
    width: float
    height: float


def _num(value: float) -> float:
    """A coordinate as it is written: whole numbers without ``.0``, others to 0.1."""
    return int(value) if float(value).is_integer() else round(value, 1)


def role_column(cur: Curation, node: str) -> int:
    """The column of a node by its type's role in a claim (unknown types: the middle).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> role_column(cur, "BM-MSC"), role_column(cur, "osteoarthritis")
    (0, 4)
    """
    ent = cur.entities.get(node)
    return COLUMN.get(ent.type, 2) if ent else 2


def label_width(text: str, size: float = LABEL) -> float:
    """A generous estimate of the width of a label in a sans-serif font of ``size`` px."""
    return len(text) * size * 0.62


def fit_rows(counts: list[int], widths: list[float], box: tuple[float, float],
             row_h: float = ROW_H) -> int:
    """The most rows per column that make the drawing largest inside ``box`` (w, h).

    A column of ``n`` nodes wider than ``rows`` is wrapped into ``ceil(n / rows)`` columns
    of width ``widths[i]``; the drawing is scaled to fit the box, so fewer rows make it
    wider and more rows taller: the best is where both limits meet.

    Examples
    --------
    >>> fit_rows([1, 80, 1], [100, 200, 100], (1400, 800), row_h=18)
    27
    """
    best, best_scale = max(counts, default=1), 0.0
    for rows in range(1, max(counts, default=1) + 1):
        wide = sum(-(-n // rows) * w for n, w in zip(counts, widths, strict=True)) + 2 * PAD
        scale = min(box[0] / wide, box[1] / (rows * row_h + 2 * PAD + 10))
        if scale > best_scale + 1e-9:
            best, best_scale = rows, scale
    return best


def layout(cur: Curation, nodes: list[str], edges: list[tuple[str, str, int | None, str]],
           *, max_nodes: int = MAX_NODES, column: Any = None, rows: int | None = None,
           box: tuple[float, float] | None = None, row_h: float = ROW_H,
           col_w: float | None = COL_W, chars: int = 34, sort: bool = True,
           label: Any = None, zoom: float = 0.0) -> Layout:
    """Place ``nodes`` (most important first) in columns by role; ``edges`` are (u, v, ...).

    ``column(cur, node)`` gives a node's column (default :func:`role_column`); within a
    column nodes are ordered by the mean row of their predecessors (one barycentre pass, few
    crossings) unless ``sort`` is false (then they keep the order given). A column taller
    than ``rows`` (or than what fits ``box`` best, see :func:`fit_rows`) is dealt out
    round-robin into side-by-side columns, so the order still reads top to bottom. Columns
    are ``col_w`` wide, or (``col_w=None``) as wide as their longest label of ``chars``
    characters (``label(node)``, default the entity's label). A drawing that would be shown
    at more than ``zoom`` times its size in ``box`` has its columns widened to fill the box
    at that zoom instead (room for the edges between them).
    """
    column = column or role_column
    label = label or cur.label
    kept = list(dict.fromkeys(nodes))[:max_nodes]
    left_out = len(dict.fromkeys(nodes)) - len(kept)
    shown = set(kept)
    edges = [e for e in edges if e[0] in shown and e[1] in shown and e[0] != e[1]]
    cols: dict[int, list[str]] = {}
    for n in kept:
        cols.setdefault(column(cur, n), []).append(n)
    order = sorted(cols)
    preds: dict[str, list[str]] = {}
    for u, v, _, _ in edges:
        preds.setdefault(v, []).append(u)
    widths = [col_w or 34 + max(label_width(label(n)[:chars]) for n in cols[c])
              for c in order]
    if rows is None and box is not None:
        rows = fit_rows([len(cols[c]) for c in order], widths, box, row_h)
    rows = rows or max((len(v) for v in cols.values()), default=1)
    if box is not None and zoom:  # room for the edges between columns
        widths = _widen(widths, [-(-len(cols[c]) // rows) for c in order], rows * row_h,
                        box, zoom)
    row: dict[str, float] = {}
    pos: dict[str, tuple[float, float]] = {}
    columns: list[tuple[float, float]] = []
    x = PAD + 8.0
    for c, w in zip(order, widths, strict=True):
        if sort:
            def bary(n: str) -> tuple[float, str]:
                got = [row[p] for p in preds.get(n, []) if p in row]
                return (sum(got) / len(got) if got else 1e9, label(n).lower())
            cols[c].sort(key=bary)
        wrap = -(-len(cols[c]) // rows)
        for i, n in enumerate(cols[c]):
            row[n] = i // wrap
            pos[n] = (_num(x + (i % wrap) * w), _num(PAD + 10 + (i // wrap) * row_h))
        columns.extend((x + k * w, w) for k in range(wrap))
        x += wrap * w
    height = PAD + max((len(v) for v in cols.values()), default=1) * row_h if cols else 40
    height = min(height, PAD + 10 + rows * row_h) if cols else height
    return Layout(kept, left_out, edges, pos, columns, x + PAD, height)


def _widen(widths: list[float], wraps: list[int], height: float, box: tuple[float, float],
           zoom: float) -> list[float]:
    """Column widths grown (at most 160 each) to fill the width ``box`` leaves unused.

    The drawing is shown at ``zoom`` or at the scale its height allows, whichever is less;
    at that scale its width may fall short of the box: the columns share what is left.

    Examples
    --------
    >>> _widen([100.0, 100.0], [1, 1], 100, (800, 600), 2.0)
    [188.0, 188.0]
    """
    used = sum(w * k for w, k in zip(widths, wraps, strict=True)) + 2 * PAD
    room = box[0] / min(zoom, box[1] / (height + 2 * PAD)) - used
    if room <= 0:
        return widths
    extra = min(160.0, room / max(1, sum(wraps)))
    return [w + extra for w in widths]


def layered(cur: Curation, nodes: list[str], edges: list[tuple[str, str, int | None, str]],
            *, focus: str | None = None, link: Any = None,
            dashed: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()
            ) -> Drawing:
    """Draw ``nodes`` (entity ids, most important first) and ``edges`` (u, v, sign, title).

    Edges whose (u, v) is in ``dashed`` are drawn dashed (derived hops, and hops only on
    inferred paths, as ``exokg view`` draws them) and the legend says what a dash means.

    At most :data:`MAX_NODES` nodes are drawn (the first ones); edges to nodes left out are
    dropped. ``link`` (a :class:`kg.web.render.Links`) makes each node a link to its page.
    Positions come from :func:`layout`; edges, nodes and legend share them and the styles,
    and read top to bottom as the SVG is written.
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
    for u, v, sign, title in edges:
        key = _sign_key(sign)
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
    """The paths of a path page (:func:`kg.web.data.paths_page`), drawn in layers."""
    nodes = [n["id"] for p in data.get("paths", []) for n in p["nodes"]]
    edges = {}
    kinds: dict[tuple[str, str], set[str]] = {}
    derived: set[tuple[str, str]] = set()
    for p in data.get("paths", []):
        for hop in p["hops"]:
            kinds.setdefault((hop["from"], hop["to"]), set()).add(p["kind"])
            if hop.get("how") == "derived":
                derived.add((hop["from"], hop["to"]))
            signs = {e["sign"] for e in hop["edges"]}
            sign = next(iter(signs)) if len(signs) == 1 else None
            if all(e["predicate"] == "has_cargo" for e in hop["edges"]):
                sign = 0
            preds = "/".join(sorted({e["predicate"] for e in hop["edges"]}))
            claims = sorted({c for e in hop["edges"] for c in e["claims"]})
            edges[(hop["from"], hop["to"])] = (
                hop["from"], hop["to"], sign,
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
    found: dict[tuple[str, str], tuple[str, str, int | None, str]] = {}
    for e in cur.derived("web_edges", lambda: all_edges(cur)):
        if data["id"] in (e.subject, e.object) and e.subject in shown and e.object in shown:
            found.setdefault((e.subject, e.object), (
                e.subject, e.object, e.sign if e.kind == "causal" else 0,
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
