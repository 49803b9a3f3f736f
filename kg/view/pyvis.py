"""pyvis Networks of the graph, and offline pages of them (``exokg view --engine pyvis``).

:func:`network` turns any selection of :mod:`kg.query.select` (an entity's neighbourhood,
everything reaching a disease, the answer of a path query, the whole graph) into a
:class:`pyvis.network.Network` in the project's styles: node colour and shape by type and
edge colour and head by sign from ``triples/schema/styles.json``, edge width by distinct
studies, dashes on derived edges (read off a claim's reported effects) and on hops
that lie only on inferred paths, every claim id with its citations in the edge tooltips,
and physics that settle a few hundred nodes. The Network is the user's to change (colours,
shapes, :meth:`~pyvis.network.Network.barnes_hut`, ``toggle_physics`` ...).

:func:`offline_html` writes any Network as one HTML file that makes no request: pyvis'
own templates link vis-network or Bootstrap from a CDN, so the page is written here with
the vis-network script and stylesheet shipped inside the pyvis package inlined.
:func:`write_network` writes it under the rule of every command that writes
(:func:`kg.io.files.check_target`, :func:`kg.io.files.write_output`, as
:func:`kg.view.html.write_view`); :func:`iframe` shows it in a notebook.

pyvis is an optional extra (``pip install 'exokg[pyvis]'``), imported only inside these
functions; without it they raise :class:`kg.errors.MissingExtraError`.

Examples
--------
>>> from kg.data.curation import load
>>> from kg.query.select import around
>>> cur = load()
>>> net = network(cur, around(cur, "miR-146a-5p", hops=1), focus="miR-146a-5p")
>>> next(n["shape"] for n in net.nodes if n["id"] == "IRAK1")
'dot'
>>> page = offline_html(net, title="miR-146a-5p")
>>> "<script src" in page or "<link" in page
False
"""

from __future__ import annotations

import html
import importlib
import json
import os
import re
from pathlib import Path
from types import ModuleType
from typing import Any

from kg.data.model import Curation
from kg.errors import MissingExtraError
from kg.graph.edges import Edge
from kg.query.select import Selection
from kg.query.summary import citation_text, claim_summary
from kg.view.html import ViewError, edge_sign_key, load_styles

__all__ = [
    "FOCUS_SIZE", "HEIGHT", "NODE_SIZE", "TIP_CLAIMS", "edge_tip", "iframe", "network", "node_tip",
    "offline_html", "require_pyvis", "settle", "write_network",
]

#: Claims an edge's tooltip gives in full (summary, evidence, flag, citations, where read);
#: the others are listed with their id and citations only.
TIP_CLAIMS = 8
#: Height of the drawing unless the caller says otherwise.
HEIGHT = "750px"
#: Node sizes (vis-network units) of the entity asked about and of the others.
FOCUS_SIZE, NODE_SIZE = 24, 12
_CSS_SIZE = re.compile(r"\d+(\.\d+)?(px|%|vh|vw|em|rem)?")
_CSS_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]+|(rgb|rgba|hsl|hsla)\([\d.,%\s]+\)")


def require_pyvis() -> ModuleType:
    """The ``pyvis.network`` module, or a one-line error that says how to install it.

    Raises
    ------
    MissingExtraError
        ``drawing with pyvis needs pyvis, which is not installed: pip install
        'exokg[pyvis]'``.
    """
    try:
        module = importlib.import_module("pyvis.network")
    except ImportError as exc:
        raise MissingExtraError("pyvis", "pyvis", "drawing with pyvis") from exc
    return module


def network(cur: Curation, sel: Selection, *, focus: str | None = None,
            height: str = HEIGHT, width: str = "100%", seed: int = 0,
            styles: dict[str, Any] | None = None) -> Any:
    """A :class:`pyvis.network.Network` of a selection, in the project's styles.

    Parameters
    ----------
    cur
        The curation the selection was made from.
    sel
        Any :class:`~kg.query.select.Selection` (:func:`~kg.query.select.around`,
        :func:`~kg.query.select.reaching`, :func:`~kg.query.select.of_paths`, ...).
    focus
        The entity asked about, drawn larger with a thick border; for a path answer both
        ends are when ``focus`` is None.
    height, width
        CSS sizes of the drawing.
    seed
        vis-network's random seed for the initial positions (the same seed, the same
        drawing).
    styles
        The view styles; by default those of the curated folder (``schema/styles.json``).

    Returns
    -------
    pyvis.network.Network
        Directed. Each node carries its ``ntype`` (the styles key of its type),
        ``type_label`` and ``focus``; each edge its ``predicate``, ``kind``, ``sign`` (the
        styles key), ``sign_label``, ``claims`` (the supporting record ids), ``derived``
        and, on a path view, ``path`` (``asserted`` or ``inferred``). Tooltips
        (``title``) are plain text: vis-network shows them as text, never as HTML.

    Raises
    ------
    MissingExtraError
        When pyvis is not installed.
    """
    net_module = require_pyvis()
    styles = styles if styles is not None else load_styles(cur)
    net = net_module.Network(height=height, width=width, directed=True)
    trial_ids = {t.node_id for t in cur.trials.values()}
    focus_ids = ({focus} if focus else
                 {sel.paths.source, sel.paths.target} if sel.paths is not None else set())
    for node in sorted(sel.nodes):
        ntype = "trial" if node in trial_ids else cur.entities[node].type
        style = styles["nodes"][ntype]
        big = node in focus_ids
        net.add_node(node, label=cur.label(node), shape=style["shape"], color=style["color"],
                     title=node_tip(cur, node, style["label"]), ntype=ntype,
                     type_label=style["label"], focus=big,
                     size=FOCUS_SIZE if big else NODE_SIZE, borderWidth=4 if big else 1,
                     font={"size": 20 if big else 14})
    on_path = _path_kinds(sel)
    width_style = styles["edge_width"]
    for i, e in enumerate(sorted(sel.edges, key=lambda x: x.key)):
        sign = edge_sign_key(e)
        sign_style = styles["signs"][sign]
        path = on_path.get((e.subject, e.object))
        dashes = e.derived or path == "inferred"
        studies = _studies(cur, e.claims)
        options: dict[str, Any] = {
            "id": f"e{i}", "color": sign_style["color"],
            "arrows": {"to": {"enabled": True, "type": sign_style["arrow"]}},
            "width": min(width_style["max"],
                         width_style["base"] + width_style["per_study"] * studies),
            "dashes": dashes, "title": edge_tip(cur, e, sign, studies, path),
            "predicate": e.predicate, "kind": e.kind, "sign": sign,
            "sign_label": sign_style["label"], "claims": list(e.claims),
            "derived": e.derived}
        if path:
            options["path"] = path
        net.add_edge(e.subject, e.object, **options)
    settle(net, seed=seed)
    return net


class _Solver(dict[str, float]):
    """A solver's settings, written out as vis-network options (a dict).

    Callable as the pyvis class they stand in for, so that ``net.barnes_hut(...)`` still
    makes pyvis' own object.
    """

    def __init__(self, make: Any, settings: dict[str, float]) -> None:
        super().__init__(settings)
        self._make = make

    def __call__(self, params: dict[str, Any]) -> Any:
        """Pyvis' object for ``params`` (as pyvis' ``use_barnes_hut`` calls it)."""
        return self._make(params)


def settle(net: Any, *, seed: int = 0) -> None:
    """Physics that settle a few hundred nodes in seconds, set on ``net`` (pyvis Options).

    vis-network's Barnes-Hut solver with strong repulsion, weak long springs and little
    central pull (clusters stay apart, leaves sit out of the core), a capped velocity, and a
    stabilization run before the first drawing (the offline page stops the simulation once
    that run is done; dragging a node starts it again). Straight edges beyond 150 nodes
    (curved ones cost a physics node per edge). The settings stay pyvis Options and the
    solver is left unnamed (vis-network's default), so that pyvis' own methods work as its
    documentation says: ``net.barnes_hut(...)`` retunes it, ``net.force_atlas_2based()``
    or ``net.repulsion()`` replace it, ``net.toggle_physics(False)`` turns it off.
    """
    from pyvis.options import Layout
    from pyvis.physics import Physics

    n = len(net.nodes)
    # not net.barnes_hut(...): pyvis replaces its Physics.barnesHut class by the instance it
    # makes, so a second call (the user's) would fail; _Solver keeps the call working
    net.options.physics.barnesHut = _Solver(Physics.barnesHut, {
        "gravitationalConstant": -15000, "centralGravity": 0.1, "springLength": 140,
        "springConstant": 0.03, "damping": 0.3, "avoidOverlap": 0.1})
    physics = net.options.physics
    physics.minVelocity = 1.0
    physics.maxVelocity = 40
    physics.timestep = 0.4
    physics.adaptiveTimestep = True
    physics.stabilization.iterations = 1000 if n <= 150 else 600
    physics.stabilization.updateInterval = 25
    net.options.edges.inherit_colors(False)
    net.options.edges.smooth.enabled = n <= 150
    net.options.edges.smooth.type = "continuous"
    net.options.interaction.hover = True
    net.options.interaction.tooltipDelay = 150
    net.options.interaction.hideEdgesOnDrag = n > 150
    layout = Layout(improvedLayout=n <= 100)
    layout.randomSeed = seed
    layout.hierarchical.enabled = False  # pyvis' Layout turns it on
    net.options.layout = layout


def _path_kinds(sel: Selection) -> dict[tuple[str, str], str]:
    """Each hop of a path view: ``asserted`` if an asserted path takes it, else ``inferred``."""
    kind: dict[tuple[str, str], str] = {}
    if sel.paths is None:
        return kind
    for p in sel.paths.paths:
        for hop in p.hops:
            key = (hop.source, hop.target)
            if kind.get(key) != "asserted":
                kind[key] = p.kind
    return kind


def _studies(cur: Curation, records: tuple[str, ...]) -> int:
    return len({k for c in records if c in cur.claims for k in cur.study_keys(cur.claims[c])})


def _cite(cur: Curation, citation: str) -> str:
    try:
        return citation_text(cur, citation)
    except KeyError:
        return citation


def node_tip(cur: Curation, node: str, type_label: str) -> str:
    """A node's tooltip: name and type, id, synonyms, xrefs, parents (a trial: its reports).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> print(node_tip(load(), "IRAK1", "gene / protein").splitlines()[0])
    IRAK1 (gene / protein)
    """
    ent = cur.entities.get(node)
    if ent is None:
        lines = [f"{node} ({type_label})"]
        for t in (t for t in cur.trials.values() if t.node_id == node):
            lines.append(f"{t.trial}: {t.agent}, {cur.label(t.source)} -> "
                         f"{', '.join(cur.label(d) for d in t.diseases)}; {t.route} "
                         f"{t.phase} {t.status}".rstrip())
            lines.append(f"  read in {t.review}, {t.where}")
        return "\n".join(lines)
    lines = [f"{ent.label} ({type_label})", f"id: {ent.id}"]
    for name, values in (("synonyms", ent.synonyms), ("xrefs", ent.xrefs),
                         ("parents", tuple(cur.label(p) for p in ent.parents))):
        if values:
            lines.append(f"{name}: {', '.join(values)}")
    if ent.note:
        lines.append(ent.note)
    return "\n".join(lines)


def edge_tip(cur: Curation, e: Edge, sign: str, studies: int, path: str | None) -> str:
    """An edge's tooltip: what it says, its sign and studies, why it is dashed, its claims.

    The first :data:`TIP_CLAIMS` claims are given in full (summary, evidence, flag, each
    citation, where it was read); the others by id and citations. Trial edges list their
    trial reports, edges of extra edge tables their tables.
    """
    head = f"{cur.label(e.subject)} {e.predicate} {cur.label(e.object)}"
    facts = [f"{e.kind} edge", f"sign: {sign if e.kind != 'hierarchy' else 'n/a'}",
             f"{studies} stud{'y' if studies == 1 else 'ies'}"]
    if e.derived:
        facts.append("dashed: derived, read off the claim's reported effects (not stated "
                     "in its mechanism)")
    if path == "inferred":
        facts.append("dashed: only on inferred paths (stitched from claims: a hypothesis)")
    elif path == "asserted":
        facts.append("on an asserted path")
    lines = [head, " · ".join(facts)]
    for i, rid in enumerate(e.claims):
        claim = cur.claims.get(rid)
        if claim is None:
            trial = cur.trials.get(rid)
            lines.append(f"trial report {rid}: {trial.trial}, read in {trial.review}, "
                         f"{trial.where}" if trial is not None else f"record {rid}")
            continue
        cites = "; ".join(_cite(cur, c) for c in claim.refs)
        if i >= TIP_CLAIMS:
            lines.append(f"claim {rid}: {cites}")
            continue
        lines.append(f"claim {rid}: {claim_summary(cur, claim)}")
        facts = [f"evidence: {', '.join(claim.evidence) or 'not stated'}"]
        facts += [f"{k}: {v}" for k, v in (("model", claim.model), ("dose", claim.dose)) if v]
        lines.append("  " + " · ".join(facts))
        if claim.flag:
            lines.append(f"  flag: {claim.flag}")
        lines.extend(f"  {_cite(cur, c)}" for c in claim.refs)
        lines.append(f"  read in {claim.review}, {claim.where}")
    lines.extend(f"from the edge table {source}" for source in e.sources)
    return "\n".join(lines)


def _assets() -> tuple[str, str]:
    """The vis-network script and stylesheet shipped in the pyvis package (newest version)."""
    require_pyvis()
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib"
    found = sorted(lib.glob("vis-*/vis-network.min.js"),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)])
    if not found:
        raise ViewError(f"the pyvis package has no vis-network script under {lib}")
    try:
        script = found[-1].read_text(encoding="utf-8")
        css = found[-1].with_name("vis-network.css").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ViewError(f"cannot read pyvis' vis-network files: {exc}") from exc
    if re.search(r"</style", css, re.I):
        raise ViewError(f"{found[-1].parent}/vis-network.css cannot be inlined (it closes "
                        "its <style>)")
    return re.sub(r"</(script)", r"<\\/\1", script, flags=re.I), css


def _js(value: Any) -> str:
    """JSON to put inside ``<script>``: no ``<`` at all, so no tag can open or close."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")


def _css_value(value: Any, pattern: re.Pattern[str], what: str) -> str:
    text = f"{value}px" if isinstance(value, int | float) else str(value)
    if not pattern.fullmatch(text.strip()):
        raise ViewError(f"the network's {what} '{text}' is not a CSS value this page takes")
    return text.strip()


def _legend(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> str:
    """Legend items of what the Network holds, in the colours it has now (restyled or not).

    Node types by name, then edge signs (positive, negative, unknown, none), then dashes.
    """
    types: dict[str, tuple[str, str]] = {}
    for n in nodes:
        if "ntype" in n and str(n["ntype"]) not in types:
            colour = n.get("color")
            colour = colour.get("background") if isinstance(colour, dict) else colour
            label = str(n.get("type_label", n["ntype"]))
            types[str(n["ntype"])] = (label, (
                f'<li data-type="{html.escape(str(n["ntype"]))}"><span class="sw" '
                f'style="background:{html.escape(str(colour))}"></span>'
                f"{html.escape(label)}</li>"))
    signs: dict[str, str] = {}
    for e in edges:
        if "sign" in e and str(e["sign"]) not in signs:
            colour = e.get("color")
            colour = colour.get("color") if isinstance(colour, dict) else colour
            signs[str(e["sign"])] = (
                f'<li data-sign="{html.escape(str(e["sign"]))}"><span class="ln" '
                f'style="border-color:{html.escape(str(colour))}"></span>'
                f'{html.escape(str(e.get("sign_label", e["sign"])))}</li>')
    order = ("positive", "negative", "unknown", "none")
    items = [item for _, item in sorted(types.values())]
    items += [signs[s] for s in sorted(signs, key=lambda s: (order.index(s) if s in order
                                                             else len(order), s))]
    if any(e.get("dashes") for e in edges):
        items.append('<li data-dash="1"><span class="ln dash"></span>derived (read off a '
                     "claim's reported effects), or a hop only on inferred paths</li>")
    return "".join(items)


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>__VISCSS__</style>
<style>
body{margin:0;font-family:system-ui,sans-serif;color:#222}
header{padding:6px 12px;border-bottom:1px solid #ddd}
h1{font-size:16px;margin:0 0 2px}
header p{margin:2px 0;font-size:13px;color:#555}
#legend{list-style:none;margin:4px 0 0;padding:0;display:flex;flex-wrap:wrap;
gap:2px 14px;font-size:12px}
#legend .sw{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:4px;
vertical-align:-1px}
#legend .ln{display:inline-block;width:20px;border-top:3px solid #555;margin-right:4px;
vertical-align:middle}
#legend .ln.dash{border-top-style:dashed}
#mynetwork{width:__WIDTH__;height:__HEIGHT__;background:__BG__}
div.vis-tooltip{white-space:pre-wrap;max-width:560px;font:12px/1.4 system-ui,sans-serif}
</style></head>
<body>
<header><h1>__TITLE__</h1>
<p id="counts">__NNODES__ nodes, __NEDGES__ edges &middot; hover a node or an edge for its
card, claims and citations &middot; scroll to zoom, drag to pan</p>__NOTE__
<ul id="legend">__LEGEND__</ul></header>
<div id="mynetwork"></div>
<script>__VISJS__</script>
<script type="application/json" id="exokg-network">__DATA__</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById("exokg-network").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("mynetwork"),
                                {nodes: nodes, edges: edges}, data.options);
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-drawn", "true");
  });
  // the stabilization run (before the first drawing) settles the layout; the page stops
  // the simulation there rather than animate the last jitter away (dragging restarts it)
  network.once("stabilizationIterationsDone", function () {
    network.stopSimulation();
    document.body.setAttribute("data-stabilized", "true");
  });
  window.exokg = {network: network, nodes: nodes, edges: edges};
})();
</script>
</body></html>
"""


def offline_html(net: Any, *, title: str = "", note: str = "") -> str:
    """Any pyvis Network as one HTML page that makes no request of any kind.

    The Network's nodes, edges and options (as pyvis would pass them to vis-network) are
    drawn by the vis-network script and stylesheet shipped inside the pyvis package,
    inlined; pyvis' menus (``select_menu``, ``filter_menu``) are not part of the page.
    ``title`` (by default the Network's heading) and ``note`` (a line under it) are text.
    The legend lists the node types and edge signs the Network holds, in the colours it
    has now.

    Raises
    ------
    MissingExtraError
        When pyvis is not installed.
    ViewError
        When the Network's size or background is not a plain CSS value.
    """
    script, css = _assets()
    nodes, edges, heading, height, width, options = net.get_network_data()
    title = title or str(heading or "") or "exokg network"
    data = {"nodes": nodes, "edges": edges,
            "options": json.loads(options) if isinstance(options, str) else options}
    values = {
        "VISCSS": css,
        "WIDTH": _css_value(width, _CSS_SIZE, "width"),
        "HEIGHT": _css_value(height, _CSS_SIZE, "height"),
        "BG": _css_value(net.bgcolor, _CSS_COLOUR, "background colour"),
        "NNODES": str(len(nodes)),
        "NEDGES": str(len(edges)),
        "NOTE": f'<p id="note">{html.escape(note)}</p>' if note else "",
        "LEGEND": _legend(nodes, edges),
        "DATA": _js(data),
        "TITLE": html.escape(title),
        "VISJS": script,
    }
    # one pass over the template: nothing inserted is searched for placeholders again
    page = re.sub(r"__([A-Z]+)__", lambda m: values[m.group(1)], _TEMPLATE)
    return page


def write_network(net: Any, output: str | os.PathLike[str], *, title: str = "",
                  note: str = "", force: bool = False) -> Path:
    """Write :func:`offline_html` of ``net`` to ``output``, as every command writes.

    The target is checked first (:func:`kg.io.files.check_target`: the folder must exist;
    an existing file is kept unless the write rule lets it be replaced, or ``force``), then
    written atomically and recorded (:func:`kg.io.files.write_output`), as the SVG page is.

    Raises
    ------
    ViewError
        When the Network has no node.
    ExportError
        When the target may not be written.
    """
    from kg.io.files import check_target, write_output

    target = check_target(output, "html", force=force)
    if not net.nodes:
        raise ViewError("nothing to draw: the network has no node")
    page = offline_html(net, title=title, note=note)
    return write_output(target, page.encode("utf-8"))


def iframe(net: Any, *, title: str = "", height: int = 600) -> str:
    """The offline page of ``net`` inside an ``<iframe srcdoc>``: for showing it in a notebook.

    The drawing takes the frame's height less the header (the Network's own ``height`` is
    left as it is).
    """
    saved = net.height
    net.height = f"{max(200, height - 110)}px"
    try:
        page = offline_html(net, title=title)
    finally:
        net.height = saved
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" '
            f'style="width:100%;height:{height}px;border:1px solid #ccc"></iframe>')
