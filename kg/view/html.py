"""Interactive HTML views (pyvis / vis-network) that work offline in one self-contained file.

pyvis builds the node and edge records; the page is written from this module's own template
with the vis-network script and stylesheet that pyvis ships *inlined*, because pyvis' own
templates load vis-network (``cdn_resources="remote"``) or Bootstrap (``"in_line"``) from a
CDN, or write a ``lib/`` folder (``"local"``) — none of which renders offline as one file.
Colours and shapes come from ``triples/schema/styles.json``.

pyvis is imported here only, so other commands do not pay for it.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from kg.data.model import Curation
from kg.errors import KGError
from kg.graph.edges import Edge
from kg.query import select
from kg.query.select import Selection
from kg.query.summary import citation_text, claim_summary

_SIGN_NAME = {1: "positive", -1: "negative", None: "unknown"}


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
    missing = sorted((set(cur.types) | {"trial"}) - set(styles.get("nodes", {})))
    if missing:
        raise ViewError(f"{path}: no style for type(s) {', '.join(missing)}")
    return styles


#: The selections are made in :mod:`kg.query.select` (exports use them too); the old names
#: of this module stay.
whole = select.whole
neighbourhood = select.around
path_view = select.of_paths
disease_view = select.reaching


def _node_title(cur: Curation, node: str) -> str:
    ent = cur.entities.get(node)
    if ent is None:
        reports = [t for t in cur.trials.values() if t.node_id == node]
        lines = [f"{node} (clinical trial)"]
        for t in reports:
            lines.append(f"{t.agent}, {cur.label(t.source)} -> "
                         f"{', '.join(cur.label(d) for d in t.diseases)}; {t.route}")
            lines.append(f"  read in {t.review}, {t.where}")
        return "\n".join(lines)
    lines = [f"{ent.label} ({ent.type})", f"id: {ent.id}"]
    if ent.synonyms:
        lines.append("synonyms: " + ", ".join(ent.synonyms))
    if ent.xrefs:
        lines.append("xrefs: " + ", ".join(ent.xrefs))
    if ent.parents:
        lines.append("parents: " + ", ".join(cur.label(p) for p in ent.parents))
    return "\n".join(lines)


def _edge_title(cur: Curation, e: Edge) -> str:
    lines = [f"{cur.label(e.subject)} {e.predicate} {cur.label(e.object)}"
             f" (sign: {_SIGN_NAME[e.sign] if e.kind != 'hierarchy' else 'n/a'}"
             f"{', derived' if e.derived else ''})"]
    for rid in e.claims:
        claim = cur.claims.get(rid)
        if claim is None:
            trial = cur.trials[rid]
            lines.append(f"- trial report {rid}: read in {trial.review}, {trial.where}")
            continue
        lines.append(f"- {rid}: {claim_summary(cur, claim)}")
        if claim.flag:
            lines.append(f"    flag: {claim.flag}")
        for ref in claim.refs:
            lines.append(f"    {citation_text(cur, ref)}")
        lines.append(f"    read in {claim.review}, {claim.where}")
    for source in e.sources:
        lines.append(f"- from {source} (extra edge table)")
    return "\n".join(lines)


def _studies(cur: Curation, e: Edge) -> int:
    return len({k for c in e.claims if c in cur.claims for k in cur.study_keys(cur.claims[c])})


def network_data(cur: Curation, sel: Selection, styles: dict[str, Any]
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Node and edge records for vis-network, built with pyvis."""
    from pyvis.network import Network

    net = Network(directed=True)
    types = {n: (cur.entities[n].type if n in cur.entities else "trial") for n in sel.nodes}
    for node in sorted(sel.nodes):
        style = styles["nodes"][types[node]]
        net.add_node(node, label=cur.label(node), title=_node_title(cur, node),
                     color=style["color"], shape=style["shape"], ntype=types[node])
    on_path: dict[tuple[str, str], str] = {}
    if sel.paths is not None:
        for p in sel.paths.paths:
            for hop in p.hops:
                key = (hop.source, hop.target)
                if on_path.get(key) != "asserted":
                    on_path[key] = p.kind
    width = styles["edge_width"]
    for i, e in enumerate(sorted(sel.edges, key=lambda x: x.key)):
        sign = "none" if e.kind in ("cargo", "hierarchy", "trial") else _SIGN_NAME[e.sign]
        sstyle = styles["signs"][sign]
        options: dict[str, Any] = {
            "id": f"e{i}", "title": _edge_title(cur, e), "color": sstyle["color"],
            "arrows": {"to": {"enabled": True, "type": sstyle["arrow"]}},
            "width": min(width["max"], width["base"] + width["per_study"] * _studies(cur, e)),
            "predicate": e.predicate, "sign": sign, "kind": e.kind,
            "claims": list(e.claims),
        }
        kind = on_path.get((e.subject, e.object))
        if kind:
            options["color"] = styles["paths"][kind]["color"]
            options["dashes"] = styles["paths"][kind]["dashes"]
            options["path"] = kind
        net.add_edge(e.subject, e.object, **options)
    return list(net.nodes), list(net.edges)


def _asset(name: str) -> str:
    import pyvis

    path = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2" / name
    return path.read_text(encoding="utf-8")


def _legend(styles: dict[str, Any], types: set[str], paths: bool) -> str:
    items = []
    for t, st in styles["nodes"].items():
        if t in types:
            items.append(f'<li><span class="sw" style="background:{st["color"]}"></span>'
                         f'{html.escape(st["label"])} <small>({st["shape"]})</small></li>')
    for st in styles["signs"].values():
        bar = "&#x22A3;" if st["arrow"] == "bar" else "&rarr;"
        items.append(f'<li><span class="ln" style="background:{st["color"]}"></span>{bar} '
                     f'{html.escape(st["label"])}</li>')
    items.append("<li>edge width: number of distinct studies</li>")
    if paths:
        for kind, st in styles["paths"].items():
            dash = "dashed" if st["dashes"] else "solid"
            items.append(f'<li><span class="ln" style="border-top:3px {dash} {st["color"]};'
                         f'height:0"></span>{kind} path (one claim says it all)</li>'
                         if kind == "asserted" else
                         f'<li><span class="ln" style="border-top:3px {dash} {st["color"]};'
                         f'height:0"></span>{kind} path (stitched from claims: a hypothesis)'
                         "</li>")
    return '<ul id="legend-items">' + "".join(items) + "</ul>"


def _path_list(cur: Curation, sel: Selection) -> str:
    if sel.paths is None:
        return ""
    rows = []
    for i, p in enumerate(sel.paths.paths, start=1):
        labels = " &rarr; ".join(html.escape(cur.label(n)) for n in p.nodes)
        rows.append(f'<li class="{p.kind}"><b>#{i} {p.kind}</b> '
                    f'({p.studies} stud{"y" if p.studies == 1 else "ies"}): {labels}</li>')
    return (f'<div id="paths"><h2>{sel.paths.found} path(s), {len(sel.paths.paths)} drawn'
            '</h2><ol>'
            + "".join(rows) + "</ol></div>")


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>__TITLE__</title>
<style>__VISCSS__</style>
<style>
body{font-family:sans-serif;margin:0;display:flex;height:100vh}
#side{width:300px;overflow:auto;padding:8px;border-right:1px solid #ccc;font-size:13px}
#graph{flex:1;height:100vh}
#legend-items{list-style:none;padding:0}
.sw{display:inline-block;width:12px;height:12px;margin-right:6px;border-radius:3px}
.ln{display:inline-block;width:18px;height:3px;margin-right:6px;vertical-align:middle}
#paths li.inferred{color:#6a3d9a} #paths li{margin-bottom:4px}
.vis-tooltip{white-space:pre-wrap;max-width:480px;font-size:12px}
</style></head>
<body>
<div id="side">
<h1 style="font-size:16px">__TITLE__</h1>
<p id="counts">__NNODES__ nodes, __NEDGES__ edges</p>
<label>Find: <input id="find" list="names" placeholder="name"></label>
<datalist id="names"></datalist>
<p><label>Type: <select id="type-filter"><option value="">all types</option>
__TYPEOPTIONS__</select></label></p>
<h2 style="font-size:14px">Legend</h2>
<div id="legend">__LEGEND__</div>
__PATHS__
</div>
<div id="graph"></div>
<script>__VISJS__</script>
<script>
(function () {
  var nodeData = __NODES__;
  var edgeData = __EDGES__;
  function tip(text) {
    var d = document.createElement("div");
    d.textContent = text;
    return d;
  }
  nodeData.forEach(function (n) { n.titleText = n.title; n.title = tip(n.title); });
  edgeData.forEach(function (e) { e.titleText = e.title; e.title = tip(e.title); });
  var nodes = new vis.DataSet(nodeData);
  var edges = new vis.DataSet(edgeData);
  var options = __OPTIONS__;
  var network = new vis.Network(document.getElementById("graph"),
                                {nodes: nodes, edges: edges}, options);
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
    network.fit();
    document.body.setAttribute("data-stabilized", "true");
  });
  window.exokg = {network: network, nodes: nodes, edges: edges};
  var list = document.getElementById("names");
  nodeData.forEach(function (n) {
    var o = document.createElement("option"); o.value = n.label; list.appendChild(o);
  });
  document.getElementById("find").addEventListener("change", function (ev) {
    var hit = nodes.get({filter: function (n) { return n.label === ev.target.value; }});
    if (hit.length) { network.selectNodes([hit[0].id]); network.focus(hit[0].id, {scale: 1.2}); }
  });
  document.getElementById("type-filter").addEventListener("change", function (ev) {
    var t = ev.target.value;
    nodes.update(nodes.get().map(function (n) {
      return {id: n.id, hidden: !!t && n.ntype !== t};
    }));
  });
})();
</script>
</body></html>
"""


def render(cur: Curation, sel: Selection, *, seed: int = 0) -> str:
    """The HTML page of a selection: one file, no external request of any kind."""
    styles = load_styles(cur)
    nodes, edge_rows = network_data(cur, sel, styles)
    types = {n["ntype"] for n in nodes}
    n = len(nodes)
    options = {
        "layout": {"randomSeed": seed, "improvedLayout": n <= 300},
        "physics": {"solver": "forceAtlas2Based", "stabilization": {
            "enabled": True, "iterations": 400 if n <= 300 else 150, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 100, "navigationButtons": False},
        "edges": {"smooth": False if n > 300 else {"type": "dynamic"}},
        "nodes": {"font": {"size": 12}},
    }
    type_options = "".join(
        f'<option value="{t}">{html.escape(styles["nodes"][t]["label"])}</option>'
        for t in sorted(types))

    def js(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")

    page = _TEMPLATE
    for key, value in (
        ("__VISCSS__", _asset("vis-network.css")),
        ("__TITLE__", html.escape(sel.title)),
        ("__NNODES__", str(n)),
        ("__NEDGES__", str(len(edge_rows))),
        ("__TYPEOPTIONS__", type_options),
        ("__LEGEND__", _legend(styles, types, sel.paths is not None)),
        ("__PATHS__", _path_list(cur, sel)),
        ("__NODES__", js(nodes)),
        ("__EDGES__", js(edge_rows)),
        ("__OPTIONS__", js(options)),
        ("__VISJS__", _asset("vis-network.min.js")),
    ):
        page = page.replace(key, value)
    return page


def write_view(cur: Curation, sel: Selection, output: str | Path, *, seed: int = 0,
               force: bool = False) -> tuple[Path, int, int]:
    """Render and write a view atomically; refuse to overwrite a non-HTML file unless forced.

    Returns the path and the numbers of nodes and edges drawn.
    """
    from kg.io.files import atomic_write, check_target

    target = check_target(output, "html", force=force)
    if not sel.nodes:
        raise ViewError("nothing to draw: the selection is empty")
    page = render(cur, sel, seed=seed)
    atomic_write(target, page.encode("utf-8"))
    return target, len(sel.nodes), len(sel.edges)


def iframe(cur: Curation, sel: Selection, *, seed: int = 0, height: int = 600) -> str:
    """The page of a selection inside an ``<iframe srcdoc>``: for showing it in a notebook."""
    page = render(cur, sel, seed=seed)
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" '
            f'style="width:100%;height:{height}px;border:1px solid #ccc"></iframe>')
