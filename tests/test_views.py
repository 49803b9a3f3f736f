"""The HTML views, opened from disk in headless Chromium with the network blocked."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.data.curation import resolve
from kg.data.model import Curation
from kg.query.paths import paths
from kg.view.html import disease_view, neighbourhood, path_view, whole

from .conftest import TRIPLES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; 'make test' installs it")
        pytest.skip("Chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


VIEWS = {
    "graph": [],
    "mir146a": ["miR-146a-5p", "--hops", "1"],
    "bm-oa": ["--paths", "BMSC", "osteoarthritis"],
    "ad": ["--disease", "Alzheimer's disease"],
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("views")
    out = {}
    for name, args in VIEWS.items():
        target = folder / f"{name}.html"
        result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "view", *args, "-o",
                                          str(target)])
        assert result.exit_code == 0, result.output
        assert f"wrote {target}" in result.output
        out[name] = target
    return out


def expected(cur: Curation, name: str) -> tuple[int, int]:
    if name == "graph":
        sel = whole(cur)
    elif name == "mir146a":
        sel = neighbourhood(cur, "miR-146a-5p", 1)
    elif name == "bm-oa":
        res = paths(cur, "BM-MSC", "osteoarthritis")
        res.paths = res.paths[:50]  # the view's default --limit
        sel = path_view(cur, res)
    else:
        sel = disease_view(cur, resolve(cur, "Alzheimer's disease"))
    return len(sel.nodes), len(sel.edges)


def open_page(browser: Any, path: Path) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    outside: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-stabilized=true]", timeout=120_000)
    return page, outside


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_renders_offline(browser: Any, pages: dict[str, Path], cur: Curation,
                              name: str) -> None:
    page, outside = open_page(browser, pages[name])
    assert page.locator("#graph canvas").count() == 1
    n_nodes, n_edges = expected(cur, name)
    assert page.evaluate("exokg.nodes.length") == n_nodes
    assert page.evaluate("exokg.edges.length") == n_edges
    assert page.evaluate("Object.keys(exokg.network.getPositions()).length") == n_nodes
    legend = page.locator("#legend li")
    assert legend.count() >= 5
    assert "inhibits / reduces" in page.locator("#legend").inner_text()
    if name == "bm-oa":
        assert page.locator("#paths li.asserted").count() > 0
        assert page.locator("#paths li.inferred").count() > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    assert outside == [], f"requests left the page: {outside}"
    page.context.close()


def test_hover_on_edge_shows_its_citation(browser: Any, pages: dict[str, Path]) -> None:
    page, outside = open_page(browser, pages["mir146a"])
    # the edge miR-146a-5p -| IRAK1 comes from wei2024 Table 1 row 7, ref 40 (Zhang 2021)
    point = page.evaluate("""() => {
        const net = exokg.network;
        net.fit({nodes: ["miR-146a-5p", "IRAK1"], animation: false});
        const pos = net.getPositions(["miR-146a-5p", "IRAK1"]);
        const a = pos["miR-146a-5p"], b = pos["IRAK1"];
        const mid = net.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
        const box = document.querySelector("#graph canvas").getBoundingClientRect();
        return {x: box.left + mid.x, y: box.top + mid.y};
    }""")
    page.mouse.move(point["x"] - 5, point["y"] - 5)
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    text = tooltip.inner_text()
    assert "miR-146a-5p inhibits IRAK1" in text
    assert "Zhang 2021, Aging (Albany NY) [wei2024:40]" in text
    assert "read in wei2024, Table 1, row 7" in text
    assert outside == []
    page.context.close()


def test_hover_on_node_shows_synonyms(browser: Any, pages: dict[str, Path]) -> None:
    page, _ = open_page(browser, pages["graph"])
    point = page.evaluate("""() => {
        const net = exokg.network;
        net.focus("UC-MSC", {scale: 2.0, animation: false});
        const p = net.canvasToDOM(net.getPositions(["UC-MSC"])["UC-MSC"]);
        const box = document.querySelector("#graph canvas").getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""")
    page.mouse.move(point["x"] + 3, point["y"] + 3)
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    text = tooltip.inner_text()
    assert "umbilical cord MSC (source)" in text and "hucMSC" in text
    page.context.close()


def test_type_filter_hides_other_types(browser: Any, pages: dict[str, Path]) -> None:
    page, _ = open_page(browser, pages["mir146a"])
    page.select_option("#type-filter", "protein")
    hidden = page.evaluate("exokg.nodes.get({filter: n => n.hidden}).length")
    proteins = page.evaluate("exokg.nodes.get({filter: n => n.ntype === 'protein'}).length")
    assert hidden == page.evaluate("exokg.nodes.length") - proteins > 0
    page.context.close()
