"""pyvis: the Network of a selection, its offline page, ``exokg view --engine pyvis``.

Every expectation is worked out from the curated graph (the selection's nodes and edges,
their types, signs, claims and citations, the styles file), never written out by hand.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.data.model import Curation
from kg.errors import MissingExtraError
from kg.graph.edges import Edge
from kg.query.paths import PathResult, paths
from kg.query.select import Selection, around, of_paths, reaching
from kg.query.summary import citation_text
from kg.view.html import ViewError
from kg.view.pyvis import TIP_CLAIMS, network, offline_html, write_network

from .conftest import TRIPLES, open_offline

STYLES: dict[str, Any] = json.loads((TRIPLES / "schema" / "styles.json")
                                    .read_text(encoding="utf-8"))
SIGNS = {1: "positive", -1: "negative", None: "unknown"}


def view(*args: str, data: Path = TRIPLES) -> tuple[int, str, str]:
    """Run ``exokg view``: exit code, stdout, stderr."""
    result = CliRunner().invoke(cli, ["--data", str(data), "view", *args])
    return result.exit_code, result.stdout, result.stderr


def node_type(cur: Curation, node: str) -> str:
    return "trial" if node not in cur.entities else cur.entities[node].type


def sign_of(e: Edge) -> str:
    return "none" if e.kind in ("cargo", "hierarchy", "trial") else SIGNS[e.sign]


def hop_kinds(result: PathResult | None) -> dict[tuple[str, str], set[str]]:
    kinds: dict[tuple[str, str], set[str]] = {}
    for p in result.paths if result is not None else ():
        for hop in p.hops:
            kinds.setdefault((hop.source, hop.target), set()).add(p.kind)
    return kinds


def check_against_graph(cur: Curation, sel: Selection, net: Any, focus: set[str]) -> None:
    """The Network holds the selection's nodes and edges, each styled and described."""
    nodes = {n["id"]: n for n in net.nodes}
    assert set(nodes) == sel.nodes and len(net.nodes) == len(sel.nodes)
    for nid, n in nodes.items():
        style = STYLES["nodes"][node_type(cur, nid)]
        assert (n["color"], n["shape"], n["ntype"]) == (style["color"], style["shape"],
                                                        node_type(cur, nid))
        assert n["label"] == cur.label(nid)
        assert n["title"].splitlines()[0] == f"{cur.label(nid)} ({style['label']})"
        if nid in cur.entities:
            assert f"id: {nid}" in n["title"]
        assert n["focus"] is (nid in focus)
    sizes = {n["id"]: n["size"] for n in net.nodes}
    assert all(sizes[f] > sizes[n] for f in focus for n in sizes if n not in focus)
    assert Counter((e["from"], e["predicate"], e["to"]) for e in net.edges) == Counter(
        e.key for e in sel.edges)
    drawn = {(e["from"], e["predicate"], e["to"]): e for e in net.edges}
    kinds = hop_kinds(sel.paths)
    width = STYLES["edge_width"]
    for e in sel.edges:
        d = drawn[e.key]
        sign = STYLES["signs"][sign_of(e)]
        assert d["color"] == sign["color"] and d["arrows"]["to"]["type"] == sign["arrow"]
        assert d["dashes"] is (e.derived or kinds.get((e.subject, e.object)) == {"inferred"})
        assert d["claims"] == list(e.claims)
        studies = {k for c in e.claims if c in cur.claims for k in cur.study_keys(cur.claims[c])}
        assert d["width"] == min(width["max"], width["base"] + width["per_study"] * len(studies))
        title = d["title"]
        assert title.splitlines()[0] == (f"{cur.label(e.subject)} {e.predicate} "
                                         f"{cur.label(e.object)}")
        for i, rid in enumerate(e.claims):
            assert f" {rid}" in title
            claim = cur.claims.get(rid)
            if claim is None:
                continue
            for ref in claim.refs:
                assert citation_text(cur, ref) in title
            if i < TIP_CLAIMS:
                assert f"read in {claim.review}, {claim.where}" in title


@pytest.fixture(scope="module")
def bm_oa(cur: Curation) -> PathResult:
    result = paths(cur, "BM-MSC", "osteoarthritis")
    kinds = {p.kind for p in result.paths}
    assert kinds == {"asserted", "inferred"}  # both kinds, so the dashes are tested
    return result


@pytest.mark.parametrize(("make", "focus"), [
    (lambda cur: around(cur, "miR-146a-5p", 1), "miR-146a-5p"),
    (lambda cur: around(cur, "osteoarthritis", 1), "osteoarthritis"),
    (lambda cur: reaching(cur, "osteoarthritis"), "osteoarthritis"),
], ids=["mir146a", "oa-neighbourhood", "oa-disease"])
def test_network_of_a_selection_matches_the_graph(cur: Curation, make: Any, focus: str) -> None:
    sel = make(cur)
    net = network(cur, sel, focus=focus)
    check_against_graph(cur, sel, net, {focus})
    assert net.directed


def test_derived_signs_are_dashed(cur: Curation) -> None:
    sel = reaching(cur, "osteoarthritis")  # stated and derived signs both occur
    net = network(cur, sel)
    assert {e["dashes"] for e in net.edges} == {e.derived for e in sel.edges} == {True, False}
    assert all("derived, read off the claim's reported effects" in e["title"]
               for e in net.edges if e["derived"])


def test_network_of_a_path_answer_matches_the_graph(cur: Curation, bm_oa: PathResult) -> None:
    sel = of_paths(cur, bm_oa)
    net = network(cur, sel)
    check_against_graph(cur, sel, net, {"BM-MSC", "osteoarthritis"})
    kinds = hop_kinds(bm_oa)
    for e in net.edges:
        hop = kinds[(e["from"], e["to"])]
        assert e["path"] == ("asserted" if "asserted" in hop else "inferred")
        if e["path"] == "inferred":
            assert e["dashes"] and "only on inferred paths" in e["title"]
    assert any(e["path"] == "inferred" and not e["derived"] for e in net.edges)


def test_tooltip_of_a_known_edge(cur: Curation) -> None:
    net = network(cur, around(cur, "miR-146a-5p", 1))
    edge = next(e for e in net.edges if (e["from"], e["to"]) == ("miR-146a-5p", "IRAK1"))
    claim = cur.claims[edge["claims"][0]]
    assert edge["sign"] == "negative" and edge["arrows"]["to"]["type"] == "bar"
    assert f"claim {claim.id}: " in edge["title"]
    assert citation_text(cur, claim.refs[0]) in edge["title"]


def test_physics_settle_and_stay_the_users_to_change(cur: Curation) -> None:
    net = network(cur, around(cur, "BM-MSC", 2))
    options = json.loads(net.options.to_json())
    physics = options["physics"]
    assert "solver" not in physics  # vis-network's default, Barnes-Hut, as tuned here:
    assert physics["barnesHut"]["gravitationalConstant"] < -2000  # pyvis' default
    assert physics["stabilization"]["enabled"] and physics["stabilization"]["iterations"] >= 500
    assert physics["minVelocity"] > 0.1 and physics["maxVelocity"] < 50
    assert options["edges"]["smooth"]["enabled"] is False  # > 150 nodes: straight edges
    assert options["layout"]["hierarchical"]["enabled"] is False
    # still pyvis Options: its methods do what pyvis' documentation says
    net.barnes_hut(gravity=-1234)
    assert json.loads(net.options.to_json())["physics"]["barnesHut"][
        "gravitationalConstant"] == -1234
    net.force_atlas_2based()
    net.toggle_physics(False)
    physics = json.loads(net.get_network_data()[5])["physics"]
    assert physics["solver"] == "forceAtlas2Based" and physics["enabled"] is False
    assert page_data(offline_html(net))["options"]["physics"] == physics


class Refs(HTMLParser):
    """Every tag of a page that names another resource, and the page's script texts."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "action", "poster"):
                self.refs.append((tag, name, value or ""))


def refs_of(page: str) -> Refs:
    parser = Refs()
    parser.feed(page)
    parser.close()
    return parser


def page_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="exokg-network">(.*?)</script>',
                      page, re.S)
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_offline_page_has_no_external_resource_and_the_users_styles(cur: Curation) -> None:
    net = network(cur, around(cur, "miR-146a-5p", 1), focus="miR-146a-5p")
    for n in net.nodes:  # restyled by the user
        if n["ntype"] == "protein":
            n["color"], n["shape"] = "#123456", "square"
    page = offline_html(net, title="miR-146a-5p")
    parsed = refs_of(page)
    assert parsed.refs == [] and parsed.tags["link"] == 0
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", page)
    assert "@import" not in page and "url(http" not in page
    assert parsed.tags["script"] == 3 and "vis-network" in page  # the library is inline
    data = page_data(page)
    assert data["nodes"] == json.loads(json.dumps(net.nodes))
    assert data["edges"] == json.loads(json.dumps(net.edges))
    assert data["options"] == json.loads(net.options.to_json())
    assert '<li data-type="protein"><span class="sw" style="background:#123456">' in page
    assert '<li data-type="mirna">' in page and 'data-type="disease"' not in page


def test_text_is_escaped(cur: Curation) -> None:
    evil = '<script>alert("x")</script> & O\'Brien'
    net = network(cur, around(cur, "miR-146a-5p", 1))
    net.nodes[0]["title"] = evil
    net.nodes[0]["type_label"] = evil
    page = offline_html(net, title=evil, note=evil)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; O&#x27;Brien" in page
    assert page_data(page)["nodes"][0]["title"] == evil  # JSON keeps it, as text
    net.height = "1px;} body{display:none"
    with pytest.raises(ViewError, match="not a CSS value"):
        offline_html(net)


def test_missing_pyvis_is_a_typed_error(cur: Curation, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyvis.network", None)  # import raises ImportError
    with pytest.raises(MissingExtraError, match=r"^drawing with pyvis needs pyvis, which is "
                                                r"not installed: pip install 'exokg\[pyvis\]'$"):
        network(cur, around(cur, "miR-146a-5p", 1))


def test_cli_missing_pyvis_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "never.html"
    code = ("import sys; sys.modules['pyvis'] = None; sys.modules['pyvis.network'] = None; "
            "sys.argv = ['exokg', '--data', sys.argv[1], 'view', '--engine', 'pyvis', "
            "'miR-146a-5p', '-o', sys.argv[2]]; from kg.__main__ import run; run()")
    out = subprocess.run([sys.executable, "-c", code, str(TRIPLES), str(target)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr == ("Error: drawing with pyvis needs pyvis, which is not installed: "
                          "pip install 'exokg[pyvis]'\n")
    assert not target.exists()


# ---------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pyvis")
    out = {}
    for name, args in {"mir": ["miR-146a-5p"],
                       "paths": ["--paths", "BMSC", "osteoarthritis"],
                       "big": ["BM-MSC", "--hops", "2", "--max-nodes", "400"]}.items():
        out[name] = folder / f"{name}.html"
        code, stdout, stderr = view("--engine", "pyvis", *args, "-o", str(out[name]))
        assert code == 0, stdout + stderr
    return out


def test_cli_writes_the_selection(cur: Curation, pages: dict[str, Path]) -> None:
    data = page_data(pages["mir"].read_text(encoding="utf-8"))
    sel = around(cur, "miR-146a-5p", 1)
    assert {n["id"] for n in data["nodes"]} == sel.nodes
    assert Counter((e["from"], e["predicate"], e["to"]) for e in data["edges"]) == Counter(
        e.key for e in sel.edges)
    assert [n["id"] for n in data["nodes"] if n["focus"]] == ["miR-146a-5p"]
    big = page_data(pages["big"].read_text(encoding="utf-8"))
    assert len(big["nodes"]) == len(around(cur, "BM-MSC", 2).nodes) > 300
    for page in pages.values():
        assert refs_of(page.read_text(encoding="utf-8")).refs == []


def test_cli_page_is_the_same_every_time(pages: dict[str, Path], tmp_path: Path) -> None:
    again, seeded = tmp_path / "again.html", tmp_path / "seeded.html"
    assert view("--engine", "pyvis", "miR-146a-5p", "-o", str(again))[0] == 0
    assert again.read_bytes() == pages["mir"].read_bytes()
    assert view("--engine", "pyvis", "miR-146a-5p", "--seed", "5", "-o", str(seeded))[0] == 0
    assert page_data(seeded.read_text(encoding="utf-8"))["options"]["layout"]["randomSeed"] == 5


def test_cli_obeys_the_write_rule(tmp_path: Path) -> None:
    """The rule of kg.io.files, whatever its details: the same answers as the SVG engine's."""
    for engine in ("svg", "pyvis"):
        folder = tmp_path / engine
        folder.mkdir()
        target = folder / "notes.html"
        target.write_text("<!DOCTYPE html><p>my notes</p>\n", encoding="utf-8")
        code, out, err = view("--engine", engine, "miR-146a-5p", "-o", str(target))
        assert (code, out) == (1, "") and "--force" in err and err.count("\n") == 1
        assert target.read_text(encoding="utf-8") == "<!DOCTYPE html><p>my notes</p>\n"
        code, out, _ = view("--engine", engine, "miR-146a-5p", "-o", str(target), "--force")
        assert code == 0 and out.startswith(f"wrote {target} (")
        code, out, _ = view("--engine", engine, "IRAK1", "-o", str(target))  # its own page
        assert code == 0 and "IRAK1 and its 1-hop" in target.read_text(encoding="utf-8")
        code, _, err = view("--engine", engine, "IRAK1", "-o", str(folder / "no" / "x.html"))
        assert code == 1 and "does not exist (create it first)" in err
        assert not [p for p in folder.iterdir() if p.name.startswith(".notes.html.")]


def test_write_network_refuses_an_empty_network(cur: Curation, tmp_path: Path) -> None:
    net = network(cur, Selection("nothing"))
    with pytest.raises(ViewError, match="nothing to draw"):
        write_network(net, tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


# ---------------------------------------------------------------- in a browser


def open_page(browser: Any, path: Path, ready: str = "drawn") -> tuple[Any, list[str]]:
    """The page from disk once drawn, every request outside the file aborted and recorded."""
    return open_offline(browser, path, f"body[data-{ready}=true]")


#: Pixels of the canvas that are not blank (drawn nodes, edges and labels).
INKED = """() => {
    const c = document.querySelector('#mynetwork canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) inked++;
    }
    return inked;
}"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("name", ["mir", "paths"])
def test_offline_page_draws_with_the_network_blocked(browser: Any, pages: dict[str, Path],
                                                     name: str) -> None:
    page, outside = open_page(browser, pages[name])
    assert page.locator("#mynetwork canvas").count() == 1
    assert page.evaluate(INKED) > 2000
    drawn = page.evaluate("exokg.nodes.length")
    assert drawn == len(page_data(pages[name].read_text(encoding="utf-8"))["nodes"])
    assert outside == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_hovering_a_node_shows_its_card(browser: Any, pages: dict[str, Path]) -> None:
    page, outside = open_page(browser, pages["mir"], "stabilized")
    point = page.evaluate("""() => {
        const p = exokg.network.canvasToDOM(exokg.network.getPositions(['IRAK1']).IRAK1);
        const r = document.querySelector('#mynetwork').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y};
    }""")
    page.mouse.move(point["x"], point["y"])
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible")
    assert tip.inner_text().splitlines()[:2] == ["IRAK1 (gene / protein)", "id: IRAK1"]
    assert outside == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_hovering_an_edge_shows_its_claims_and_citations(cur: Curation, browser: Any,
                                                         pages: dict[str, Path]) -> None:
    page, outside = open_page(browser, pages["mir"], "stabilized")
    edge = next(e for e in page_data(pages["mir"].read_text(encoding="utf-8"))["edges"]
                if (e["from"], e["to"]) == ("miR-146a-5p", "IRAK1"))
    point = page.evaluate("""(id) => {
        const net = exokg.network;
        const p = net.canvasToDOM(net.body.edges[id].edgeType.getPoint(0.5));
        const r = document.querySelector('#mynetwork').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y};
    }""", edge["id"])
    page.mouse.move(point["x"], point["y"])
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert text.startswith("miR-146a-5p inhibits IRAK1\n")
    for rid in edge["claims"]:
        assert f"claim {rid}: " in text
        for ref in cur.claims[rid].refs:
            assert citation_text(cur, ref) in text
    assert outside == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_few_hundred_nodes_settle(browser: Any, pages: dict[str, Path]) -> None:
    page, outside = open_page(browser, pages["big"], "stabilized")
    assert page.evaluate("exokg.nodes.length") > 300
    before = page.evaluate("exokg.network.getPositions()")
    page.wait_for_timeout(1000)
    after = page.evaluate("exokg.network.getPositions()")
    assert after == before  # nothing moves once settled
    xs = [p["x"] for p in after.values()]
    ys = [p["y"] for p in after.values()]
    assert len({(round(x), round(y)) for x, y in zip(xs, ys, strict=True)}) > 0.95 * len(xs)
    assert page.evaluate(INKED) > 20000 and outside == []
    page.context.close()
