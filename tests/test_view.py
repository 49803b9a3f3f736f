"""``exokg view``: layered offline pages, their caps, errors and (in Chromium) their clicks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.data.model import Curation
from kg.query.select import around, whole
from kg.view.html import iframe

from .conftest import ROOT, TRIPLES, open_offline

IMAGES = ROOT / "docs" / "images"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
NODE = re.compile(r'<g class="node( focus)?" data-id="([^"]+)" data-type="(\w+)" '
                  r'data-x="([\d.]+)" data-y="([\d.]+)">')


def view(*args: str) -> tuple[int, str, str]:
    """Run ``exokg view`` on the real data: exit code, stdout, stderr."""
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "view", *args])
    return result.exit_code, result.stdout, result.stderr


def nodes(page: str) -> dict[str, tuple[str, float, bool]]:
    """Node id -> (type, x, focus) as drawn on a page."""
    return {m[2]: (m[3], float(m[4]), bool(m[1])) for m in NODE.finditer(page)}


def page_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="exokg-data">(.*?)</script>', page,
                      re.S)
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("view")
    out = {}
    for name, args in {"paths": ["--paths", "BMSC", "osteoarthritis"],
                       "mir": ["miR-146a-5p"],
                       "big": ["BM-MSC", "--hops", "2"],
                       "overview": [],
                       "oa": ["--disease", "osteoarthritis"]}.items():
        out[name] = folder / f"{name}.html"
        code, stdout, stderr = view(*args, "-o", str(out[name]))
        assert code == 0, stdout + stderr
    return out


def test_path_view_reads_left_to_right_by_role(pages: dict[str, Path]) -> None:
    drawn = nodes(pages["paths"].read_text(encoding="utf-8"))
    xs: dict[str, list[float]] = {}
    for ntype, x, _ in drawn.values():
        xs.setdefault(ntype, []).append(x)
    cargo = xs["mirna"] + xs.get("lncrna", []) + xs.get("circrna", [])
    middle = xs["protein"] + xs["pathway"]
    assert max(xs["source"]) < min(cargo) <= max(cargo) < min(middle)
    assert max(middle) < min(xs["process"]) <= max(xs["process"]) < min(xs["disease"])
    # the ends of the query are highlighted, nothing else
    assert {n for n, (_, _, focus) in drawn.items() if focus} == {"BM-MSC", "osteoarthritis"}


def test_legend_shows_only_what_is_drawn_in_its_colours(pages: dict[str, Path]) -> None:
    page = pages["mir"].read_text(encoding="utf-8")
    legend = page[page.index('<ul id="legend">'):page.index("</ul>", page.index("legend"))]
    drawn_types = {t for t, _, _ in nodes(page).values()}
    assert set(re.findall(r'<li data-type="(\w+)">', legend)) == drawn_types
    assert "gene / protein" in legend and "clinical trial" not in legend
    drawn_signs = set(re.findall(r'<g class="edge" data-id="e\d+" data-sign="(\w+)">', page))
    assert set(re.findall(r'<li data-sign="(\w+)">', legend)) == drawn_signs
    styles = json.loads((TRIPLES / "schema" / "styles.json").read_text(encoding="utf-8"))
    for t in drawn_types:  # the swatch has the colour of the drawn nodes
        colour = styles["nodes"][t]["color"]
        assert re.search(rf'<li data-type="{t}"><svg[^>]*><[^>]*fill="{colour}"', legend)
        assert re.search(rf'data-type="{t}"[^>]*><\w+ class="shape"[^>]*fill="{colour}"', page)
    assert "only on inferred paths" not in legend  # no path drawn, no dash explained
    assert "only on inferred paths" in pages["paths"].read_text(encoding="utf-8")


def test_entity_view_defaults_to_one_hop(cur: Curation, pages: dict[str, Path]) -> None:
    drawn = nodes(pages["mir"].read_text(encoding="utf-8"))
    assert set(drawn) == around(cur, "miR-146a-5p", 1).nodes
    assert drawn["miR-146a-5p"][2] and sum(f for _, _, f in drawn.values()) == 1


def test_node_cap_cuts_the_farthest_and_says_so(tmp_path: Path) -> None:
    target = tmp_path / "cap.html"
    code, out, err = view("BM-MSC", "--hops", "2", "--max-nodes", "40", "-o", str(target))
    assert code == 0
    assert "(40 nodes," in out
    cap = re.fullmatch(r"the 2-hop neighbourhood of bone marrow MSC has (\d+) nodes: drawing "
                       r"the 40 nearest, (\d+) left out \(raise --max-nodes or lower --hops\)",
                       err.strip())
    assert cap and int(cap[1]) - 40 == int(cap[2]) > 0
    page = target.read_text(encoding="utf-8")
    assert f'<p id="cap">{err.strip()}</p>' in page
    assert len(nodes(page)) == 40 and "BM-MSC" in nodes(page)
    code, out, err = view("miR-146a-5p", "-o", str(target))
    assert err == "" and 'id="cap"' not in target.read_text(encoding="utf-8")


def test_overview_is_grouped_by_type_with_every_member_listed(cur: Curation,
                                                               pages: dict[str, Path]) -> None:
    page = pages["overview"].read_text(encoding="utf-8")
    data = page_data(page)
    everything = whole(cur)
    assert sum(len(g["members"]) for g in data["groups"].values()) == len(everything.nodes)
    drawn = nodes(page)
    per_type: dict[str, int] = {}
    for t, _, _ in drawn.values():
        per_type[t] = per_type.get(t, 0) + 1
    assert max(per_type.values()) == 12 and len(drawn) < 150
    proteins = len(data["groups"]["protein"]["members"])
    assert proteins > 12
    assert re.search(r'data-group="protein"><text[^>]*>gene / protein \(12 of '
                     + str(proteins) + r'\)', page)
    assert f"overview of the whole graph ({len(everything.nodes)} nodes)" in page
    # a member that is not drawn still has its card for the panel
    hidden = next(m for m in data["groups"]["protein"]["members"] if m not in drawn)
    assert data["nodes"][hidden]["drawn"] is False and data["nodes"][hidden]["card"]


def test_panel_data_carries_claims_with_citations(pages: dict[str, Path]) -> None:
    data = page_data(pages["mir"].read_text(encoding="utf-8"))
    edge = next(e for e in data["edges"].values()
                if (e["u"], e["v"]) == ("miR-146a-5p", "IRAK1"))
    text = " ".join(data["claims"][c] for c in edge["claims"])
    assert "Zhang 2021, Aging (Albany NY) [wei2024:40]" in text
    assert "read in wei2024, Table 1, row 7" in text and "evidence:" in text


@pytest.mark.parametrize("args", [["--disease", "BMSC"], ["--disease", "miR-146a-5p"]])
def test_wrong_kind_is_a_one_line_error(args: list[str]) -> None:
    code, out, err = view(*args, "-o", "never.html")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert re.fullmatch(r"Error: '[^']+' is a (source|mirna) \([^)]+\), not a disease\n", err)
    assert not Path("never.html").exists()


def test_page_is_self_contained(pages: dict[str, Path]) -> None:
    for path in pages.values():
        page = path.read_text(encoding="utf-8")
        assert "<script src" not in page and "<link" not in page
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.split("exokg-data")[0])
        assert "@import" not in page and "url(http" not in page


def test_view_does_not_import_pyvis(tmp_path: Path) -> None:
    code = ("import sys; from click.testing import CliRunner; from kg.cli import cli; "
            f"r = CliRunner().invoke(cli, ['--data', {str(TRIPLES)!r}, 'view', '--paths', "
            f"'BMSC', 'osteoarthritis', '-o', {str(tmp_path / 'p.html')!r}]); "
            "print(r.exit_code, 'pyvis' in sys.modules, 'jinja2' in sys.modules, "
            "'IPython' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["0", "False", "False", "False"]


def test_iframe_for_notebooks(cur: Curation) -> None:
    frame = iframe(cur, around(cur, "miR-146a-5p", 1), height=500)
    assert frame.startswith("<iframe srcdoc=") and "height:500px" in frame
    assert "exokg-data" in frame and "IRAK1" in frame


EVIL = '<script>alert("x")</script> O\'Brien & "quoted" MSC'


@pytest.fixture()
def evil_page(mini: Path, tmp_path: Path) -> Path:
    """A view of data whose bone marrow MSC is called EVIL."""
    table = mini / "entities" / "all.tsv"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("\tbone marrow MSC\t", f"\t{EVIL}\t"), encoding="utf-8")
    target = tmp_path / "evil.html"
    result = CliRunner().invoke(cli, ["--data", str(mini), "view", "BM-MSC", "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_names_are_escaped(evil_page: Path) -> None:
    page = evil_page.read_text(encoding="utf-8")
    assert "<script>alert" not in page and '"quoted"' not in page.split("exokg-data")[0]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#x27;Brien &amp;" in page


# ---------------------------------------------------------------- in a browser


def open_page(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """The page from disk once laid out, every request outside the file blocked."""
    return open_offline(browser, path, "body[data-stabilized=true]", 60_000)


LABEL_PX = """() => Math.min(...[...document.querySelectorAll('.node text')].map(
    t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("name", ["paths", "mir", "big", "overview", "oa"])
def test_labels_are_legible_at_the_initial_fit(browser: Any, pages: dict[str, Path],
                                               name: str) -> None:
    page, outside = open_page(browser, pages[name])
    assert page.locator(".node").count() <= 150
    smallest = page.evaluate(LABEL_PX)
    assert smallest >= 11, f"{name}: smallest label {smallest:.1f} px"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"view-{name}.png"))
    readme_image = IMAGES / f"view-{name}.png"
    if name in ("paths", "overview") and (os.environ.get("EXOKG_UPDATE_IMAGES")
                                          or not readme_image.exists()):
        IMAGES.mkdir(parents=True, exist_ok=True)  # the pictures of docs/images, on request only
        page.screenshot(path=str(readme_image))
    assert outside == []
    page.context.close()


def _point_on_edge(page: Any, u: str, v: str) -> dict[str, float]:
    return dict(page.evaluate("""([u, v]) => {
        const id = Object.keys(exokg.data.edges).find(
            k => exokg.data.edges[k].u === u && exokg.data.edges[k].v === v);
        const path = document.querySelector(`.edge[data-id="${id}"] .hit`);
        const p = path.getPointAtLength(path.getTotalLength() * 0.9);
        const m = path.getScreenCTM();
        return {x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f};
    }""", [u, v]))


@pytest.mark.browser
@pytest.mark.slow
def test_click_node_and_edge_open_the_panel(browser: Any, pages: dict[str, Path]) -> None:
    page, outside = open_page(browser, pages["mir"])
    panel = page.locator("#panel")
    assert not panel.is_visible()
    page.locator('.node[data-id="IRAK1"] text').click()
    panel.wait_for(state="visible")
    text = panel.inner_text()
    assert text.startswith("×\nIRAK1") or "IRAK1" in text.splitlines()[1]
    assert "Claims (" in text and "read in wei2024" in text
    page.click("#close")
    assert not panel.is_visible()
    # the edge miR-146a-5p -| IRAK1 comes from wei2024 Table 1 row 7, ref 40 (Zhang 2021)
    point = _point_on_edge(page, "miR-146a-5p", "IRAK1")
    page.mouse.move(point["x"], point["y"])
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    assert "miR-146a-5p inhibits IRAK1" in tip.inner_text()
    assert page.evaluate("getComputedStyle(document.getElementById('tip')).whiteSpace") \
        == "normal"
    page.mouse.click(point["x"], point["y"])
    panel.wait_for(state="visible")
    text = panel.inner_text()
    assert "miR-146a-5p inhibits IRAK1" in text
    assert "Zhang 2021, Aging (Albany NY) [wei2024:40]" in text
    assert "read in wei2024, Table 1, row 7" in text
    assert page.locator("div.vis-tooltip").count() == 0
    assert outside == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_overview_heading_lists_members_and_zoom_shows_labels(browser: Any,
                                                             pages: dict[str, Path]) -> None:
    page, outside = open_page(browser, pages["overview"])
    page.locator('.group[data-group="source"]').click()
    panel = page.locator("#panel")
    panel.wait_for(state="visible")
    assert "MSC source (12)" in panel.inner_text()
    page.locator('#panel [data-node="UC-MSC"]').click()
    assert "umbilical cord MSC" in panel.inner_text() and "hucMSC" in panel.inner_text()
    before = page.evaluate("exokg.scale()")
    page.click("#zoom-in")
    assert page.evaluate("exokg.scale()") > before
    assert outside == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_names_stay_text_in_the_browser(browser: Any, evil_page: Path) -> None:
    page, outside = open_page(browser, evil_page)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.locator('.node[data-id="BM-MSC"] text').click()
    page.locator("#panel").wait_for(state="visible")
    assert EVIL in page.locator("#panel").inner_text()
    for button in page.locator("#panel .edge-link").all():
        assert "O'Brien" in button.inner_text() or "MSC" not in button.inner_text()
    assert dialogs == [] and outside == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_type_filter_hides_other_types(browser: Any, pages: dict[str, Path]) -> None:
    page, _ = open_page(browser, pages["mir"])
    page.select_option("#type-filter", "protein")
    hidden = page.locator(".node.hidden").count()
    proteins = page.locator('.node[data-type="protein"]').count()
    assert hidden == page.locator(".node").count() - proteins > 0
    page.context.close()


def test_one_rule_says_which_edges_show_a_sign(cur: Curation) -> None:
    """The views and the explorer's drawings key every edge as kg.data.model.sign_key does."""
    from kg.data.model import SIGN_NAMES, sign_key
    from kg.graph.edges import edges
    from kg.view.html import load_styles, network_data
    from kg.web.draw import paths_drawing

    styles = load_styles(cur)
    _, drawn = network_data(cur, whole(cur), styles)
    by_key = {(e.subject, e.object, e.predicate): e for e in edges(cur)}
    for d in drawn:
        e = by_key[(d["from"], d["to"], d["predicate"])]
        assert d["sign"] == sign_key(e.kind, e.sign)
        assert (d["sign"] == "none") == (e.kind != "causal")
    for e in (next(e for e in edges(cur) if e.kind == kind) for kind in ("hierarchy", "trial")):
        hop = {"from": e.subject, "to": e.object,
               "edges": [{"predicate": e.predicate, "sign": e.sign, "claims": list(e.claims)}]}
        data = {"paths": [{"nodes": [{"id": e.subject}, {"id": e.object}], "hops": [hop]}]}
        svg = paths_drawing(cur, data).svg
        assert f'stroke="{styles["signs"]["none"]["color"]}"' in svg
        assert all(styles["signs"][n]["label"] not in svg for n in SIGN_NAMES.values())


# --- figures and DataFrames of the notebooks ---------------------------------------------------


def test_studies_heatmap_draws_the_counts_of_exokg_matrix(cur: Curation) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import kg
    from kg.view.plots import studies_heatmap

    result = kg.matrix(cur, "source", "hallmark")
    fig = studies_heatmap(result, top_cols=5)
    ax = fig.axes[0]
    shown = ax.images[0].get_array().tolist()
    assert shown == [row[:5] for row in result.counts()]
    labels = {c.col: c.col_label for c in result.cells}
    assert [t.get_text() for t in ax.get_xticklabels()] == [labels[c] for c in result.cols[:5]]
    written = sorted(int(t.get_text()) for t in ax.texts)
    assert written == sorted(n for row in shown for n in row if n)


def test_path_evidence_figure_has_a_bar_per_hop(cur: Curation) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from kg.query.evidence import edge_evidence
    from kg.query.paths import paths
    from kg.view.plots import EVIDENCE_COLOURS, path_evidence_figure

    result = paths(cur, "BM-MSC", "osteoarthritis")
    path = next(p for p in result.paths if not p.asserted and len(p.hops) > 2)
    ax = path_evidence_figure(cur, path).axes[0]
    bars = ax.patches[:len(path.hops)][::-1]  # drawn from the last hop up
    assert len(ax.patches) == len(path.hops)
    for bar, hop in zip(bars, path.hops, strict=True):
        ev = edge_evidence(cur, hop.claims)
        assert bar.get_width() == ev.studies
        assert matplotlib.colors.to_hex(bar.get_facecolor()) == EVIDENCE_COLOURS[ev.strength]
        assert (bar.get_hatch() == "//") == (hop.how == "derived")
    assert [t.get_text() for t in ax.get_yticklabels()][::-1] == [
        f"{cur.label(h.source)} → {cur.label(h.target)}" for h in path.hops]


def test_pandas_is_in_the_notebook_and_test_extras() -> None:
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["optional-dependencies"]
    for extra in ("notebooks", "test"):
        assert any(re.match(r"pandas\b", req) for req in extras[extra]), extra


@pytest.mark.slow
@pytest.mark.parametrize(("name", "frames", "figures"),
                         [("01-explore", 6, 1), ("02-hubs", 3, 4), ("03-sparql", 2, 0)])
def test_notebooks_show_dataframes_and_figures(name: str, frames: int, figures: int) -> None:
    """Records are shown as pandas DataFrames, not printed text tables; figures are drawn."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in notebook.cells)  # stored without outputs
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert sum('class="dataframe"' in h for h in html) >= frames
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= figures
    text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert "----  " not in text  # no records printed as a text table
