"""Interactive HTML views that work offline in one self-contained file (``exokg view``).

A view is the layered drawing of the explorer (:func:`kg.web.draw.layout`: columns by role,
source -> cargo -> target/pathway -> process -> disease, so a path reads left to right) as
inline SVG, with a small inline script (``assets/view.js``) for pan, zoom, find, a type
filter and a side panel: clicking a node or an edge shows its card and its claims with
their evidence, flags and citations. The page makes no request: script, style and data are
in the file. Colours and shapes come from ``triples/schema/styles.json``; the legend lists
only the node types, edge signs and path kinds drawn.

A neighbourhood is cut to its ``max_nodes`` nearest nodes (:func:`nearest`; the page and
``exokg view`` say so). The whole graph is drawn as an overview (:func:`hubs`): the best
connected entities of each type under a heading per type that lists every member. Any other
selection of more than :data:`MAX_NODES` nodes is drawn whole, its labels appearing as one
zooms in and its edges faint until a node is picked. The layout is deterministic; no
plotting library is imported (pyvis, and with it IPython and jinja2, stay unloaded).

Examples
--------
>>> from kg.data.curation import load
>>> from kg.query.select import around
>>> cur = load()
>>> page = render(cur, around(cur, "miR-146a-5p", hops=1), focus="miR-146a-5p")
>>> 'data-id="IRAK1"' in page and "<script src" not in page
True
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.data.model import Curation, sign_key
from kg.data.schema import node_styles
from kg.errors import KGError, QueryError
from kg.graph.edges import Edge
from kg.query.select import Selection
from kg.view import svg

__all__ = [
    "MAX_NODES", "PER_TYPE", "VIEW_HOPS", "Cut", "ViewError", "check_kind", "edge_sign_key", "hubs",
    "iframe", "load_styles", "nearest", "network_data", "render", "write_view",
]

#: Radius of an ENTITY neighbourhood drawn by ``exokg view`` unless --hops says otherwise.
VIEW_HOPS = 1
#: Most nodes of a neighbourhood drawn unless --max-nodes says otherwise.
MAX_NODES = 150

_ASSETS = Path(__file__).resolve().parent / "assets"


class ViewError(KGError):
    """A view could not be made or written."""


def load_styles(cur: Curation) -> dict[str, Any]:
    """The view styles of a curated folder (``schema/styles.json``)."""
    path = Path(cur.root) / "schema" / "styles.json"
    try:
        styles: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ViewError(f"styles file not found: {path}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ViewError(f"cannot read styles file {path}: {exc}") from exc
    styles["nodes"] = node_styles(cur, styles)  # a type without a style: the default one
    return styles


def check_kind(cur: Curation, name: str, entity: str, kind: str) -> None:
    """Refuse an entity of the wrong type, as the other commands do.

    Raises
    ------
    QueryError
        ``'BMSC' is a source (bone marrow MSC), not a disease``.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> check_kind(load(), "BMSC", "BM-MSC", "disease")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: 'BMSC' is a source (bone marrow MSC), not a disease
    """
    etype = cur.entities[entity].type
    if etype != kind:
        raise QueryError(f"'{name}' is a {etype} ({cur.label(entity)}), not a {kind}")


#: Entities of each type an overview of the whole graph draws (the best connected).
PER_TYPE = 12


@dataclass
class Cut:
    """A selection cut to its nearest nodes, and how many were left out.

    ``groups`` (overviews only): every node of the uncut selection by type, best connected
    first, for the page's type headings.
    """

    selection: Selection
    total: int
    left_out: int
    groups: dict[str, list[str]] | None = None
    per_type: int = 0

    def message(self, name: str, *, headings: bool = True) -> str:
        """The line that says what the cap cut ('' when nothing was cut).

        ``headings``: an overview's page has type headings that list every member.
        """
        if self.groups is not None:
            return (f"overview of {name} ({self.total} nodes): the {self.per_type} best "
                    "connected of each type are drawn"
                    + ("; click a type heading for all of them" if headings else ""))
        if not self.left_out:
            return ""
        kept = self.total - self.left_out
        return (f"{name} has {self.total} nodes: drawing the {kept} nearest, "
                f"{self.left_out} left out (raise --max-nodes or lower --hops)")


def nearest(cur: Curation, sel: Selection, focus: str, max_nodes: int = MAX_NODES) -> Cut:
    """Cut a selection to the ``max_nodes`` nodes nearest ``focus`` (then best connected).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> from kg.query.select import around
    >>> cut = nearest(cur, around(cur, "BM-MSC", hops=2), "BM-MSC", 40)
    >>> len(cut.selection.nodes), cut.left_out > 0, "BM-MSC" in cut.selection.nodes
    (40, True, True)
    """
    order = _by_distance(sel, focus)
    if len(order) <= max_nodes:
        return Cut(sel, len(order), 0)
    keep = set(order[:max_nodes])
    cut = Selection(sel.title, keep, [e for e in sel.edges
                                      if e.subject in keep and e.object in keep], sel.paths)
    return Cut(cut, len(order), len(order) - max_nodes)


def hubs(cur: Curation, sel: Selection, per_type: int = PER_TYPE) -> Cut:
    """An overview: the ``per_type`` best-connected nodes of each type, and their edges.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> from kg.query.select import whole
    >>> cut = hubs(cur, whole(cur), 5)
    >>> cut.groups is not None and len(cut.groups["source"]) == 12
    True
    >>> sum(min(5, len(v)) for v in cut.groups.values()) == len(cut.selection.nodes)
    True
    """
    degree: dict[str, int] = {}
    for e in sel.edges:
        for end in (e.subject, e.object):
            degree[end] = degree.get(end, 0) + 1
    trial_ids = {t.node_id for t in cur.trials.values()}
    groups: dict[str, list[str]] = {}
    for n in sorted(sel.nodes, key=lambda n: (-degree.get(n, 0), cur.label(n).lower())):
        groups.setdefault("trial" if n in trial_ids else cur.entities[n].type, []).append(n)
    keep = {n for members in groups.values() for n in members[:per_type]}
    cut = Selection(sel.title, keep, [e for e in sel.edges
                                      if e.subject in keep and e.object in keep], sel.paths)
    return Cut(cut, len(sel.nodes), len(sel.nodes) - len(keep), groups, per_type)


def _by_distance(sel: Selection, focus: str) -> list[str]:
    """The nodes of a selection by hops from ``focus``, then degree, then id."""
    nbrs: dict[str, set[str]] = {}
    for e in sel.edges:
        nbrs.setdefault(e.subject, set()).add(e.object)
        nbrs.setdefault(e.object, set()).add(e.subject)
    dist = {focus: 0}
    frontier = [focus]
    while frontier:
        nxt = []
        for f in frontier:
            for n in sorted(nbrs.get(f, ())):
                if n not in dist:
                    dist[n] = dist[f] + 1
                    nxt.append(n)
        frontier = nxt
    far = max(dist.values(), default=0) + 1
    return sorted(sel.nodes, key=lambda n: (dist.get(n, far), -len(nbrs.get(n, ())), n))


def network_data(cur: Curation, sel: Selection, styles: dict[str, Any]
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Node and edge records of a selection (id, label, type, colour; edge sign, claims).

    No plotting library is involved any more: the records are plain dicts, as before.
    """
    trial_ids = {t.node_id for t in cur.trials.values()}
    nodes = []
    for node in sorted(sel.nodes):
        ntype = "trial" if node in trial_ids else cur.entities[node].type
        nodes.append({"id": node, "label": cur.label(node), "ntype": ntype,
                      "color": styles["nodes"][ntype]["color"],
                      "shape": styles["nodes"][ntype]["shape"]})
    edges = []
    for i, e in enumerate(sorted(sel.edges, key=lambda x: x.key)):
        edges.append({"id": f"e{i}", "from": e.subject, "to": e.object, "kind": e.kind,
                      "predicate": e.predicate, "sign": edge_sign_key(e),
                      "claims": list(e.claims), "derived": e.derived})
    return nodes, edges


def edge_sign_key(e: Edge) -> str:
    """The styles key of an edge's sign (:func:`kg.data.model.sign_key` decides)."""
    return sign_key(e.kind, e.sign)


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _js(value: Any) -> str:
    """JSON to put inside ``<script>``: no ``<`` at all, so no tag can open or close."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>__CSS__</style></head>
<body class="__MODE__">
<header>
<h1>__TITLE__</h1>
<p class="tools"><span id="counts">__NNODES__ nodes, __NEDGES__ edges</span> &middot;
click a node or an edge for its claims &middot; scroll to zoom, drag to pan
<button id="zoom-in" title="zoom in">+</button>
<button id="zoom-out" title="zoom out">&minus;</button>
<button id="fit">fit</button>
<input id="find" list="names" placeholder="find a name" size="16">
<datalist id="names">__NAMES__</datalist>
<select id="type-filter"><option value="">all types</option>__TYPEOPTIONS__</select>
__PATHSBUTTON__</p>
__CAP__
<ul id="legend">__LEGEND__</ul>
</header>
<main id="graph">
__SVG__
<aside id="panel" hidden><button id="close" title="close">&times;</button>
<div id="panel-body"></div></aside>
<div id="tip" hidden></div>
</main>
<template id="paths-list">__PATHS__</template>
<script type="application/json" id="exokg-data">__DATA__</script>
<script>__JS__</script>
</body></html>
"""


def render(cur: Curation, sel: Selection, *, focus: str | None = None,
           cap: str = "", groups: dict[str, list[str]] | None = None,
           box: tuple[float, float] = (1380, 770)) -> str:
    """The HTML page of a selection: one file, no external request of any kind.

    ``focus`` is highlighted (for paths: the source and the disease); ``cap`` is the line
    saying what a node cap cut; ``groups`` (from :func:`hubs`) makes an overview with a
    heading per type that lists all its members; ``box`` is the drawing area the layout is
    made for (that of a 1400x900 window). The layered layout is deterministic. A selection
    of more than :data:`MAX_NODES` nodes drawn whole shows its labels as one zooms in.
    """
    styles = load_styles(cur)
    nodes, edge_rows = network_data(cur, sel, styles)
    focus_ids = _focus(sel, focus)
    overview = len(nodes) > MAX_NODES and groups is None
    drawing = svg.drawing(cur, sel, nodes, edge_rows, styles, focus=focus_ids,
                          overview=overview, groups=groups, box=box)
    types = {n["ntype"] for n in nodes}
    page = _TEMPLATE
    for key, value in (
        ("__CSS__", _asset("view.css")),
        ("__MODE__", "overview" if overview else "summary" if groups else "layered"),
        ("__NNODES__", str(len(nodes))),
        ("__NEDGES__", str(len(edge_rows))),
        ("__NAMES__", "".join(f'<option value="{html.escape(n["label"])}">' for n in nodes)),
        ("__TYPEOPTIONS__", "".join(
            f'<option value="{t}">{html.escape(styles["nodes"][t]["label"])}</option>'
            for t in sorted(types))),
        ("__PATHSBUTTON__", f'<button id="show-paths">list the {len(sel.paths.paths)} '
                            'path(s)</button>' if sel.paths is not None else ""),
        ("__CAP__", f'<p id="cap">{html.escape(cap)}</p>' if cap else ""),
        ("__LEGEND__", svg.legend(styles, types, drawing.signs, drawing.dashed,
                                  bool(focus_ids))),
        ("__SVG__", drawing.svg),
        ("__PATHS__", _path_list(cur, sel)),
        ("__DATA__", _js(svg.panel_data(cur, sel, nodes, edge_rows, groups, styles))),
        ("__JS__", _asset("view.js")),
        ("__TITLE__", html.escape(sel.title)),
    ):
        page = page.replace(key, value)
    return page


def _focus(sel: Selection, focus: str | None) -> set[str]:
    if focus:
        return {focus} & sel.nodes
    if sel.paths is not None:
        return {sel.paths.source, sel.paths.target} & sel.nodes
    return set()


def _path_list(cur: Curation, sel: Selection) -> str:
    if sel.paths is None:
        return ""
    rows = []
    for i, p in enumerate(sel.paths.paths, start=1):
        labels = " &rarr; ".join(html.escape(cur.label(n)) for n in p.nodes)
        rows.append(f'<li class="{p.kind}"><b>#{i} {p.kind}</b> '
                    f'({p.studies} stud{"y" if p.studies == 1 else "ies"}): {labels}</li>')
    return (f'<div id="paths"><h2>{sel.paths.found} path(s), {len(sel.paths.paths)} drawn'
            '</h2><ol>' + "".join(rows) + "</ol></div>")


def write_view(cur: Curation, sel: Selection, output: str | Path, *,
               force: bool = False, focus: str | None = None, cap: str = "",
               groups: dict[str, list[str]] | None = None) -> tuple[Path, int, int]:
    """Render and write a view atomically; refuse to overwrite a non-HTML file unless forced.

    Returns the path and the numbers of nodes and edges drawn.
    """
    from kg.io.files import check_target, write_output

    target = check_target(output, "html", force=force)
    if not sel.nodes:
        raise ViewError("nothing to draw: the selection is empty")
    page = render(cur, sel, focus=focus, cap=cap, groups=groups)
    write_output(target, page.encode("utf-8"))
    return target, len(sel.nodes), len(sel.edges)


def iframe(cur: Curation, sel: Selection, *, height: int = 600,
           focus: str | None = None) -> str:
    """The page of a selection inside an ``<iframe srcdoc>``: for showing it in a notebook."""
    page = render(cur, sel, focus=focus, box=(1000, height - 120))
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" '
            f'style="width:100%;height:{height}px;border:1px solid #ccc"></iframe>')

