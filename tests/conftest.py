"""Shared fixtures: the real curation and its views built once, and a small folder to break.

Building the real graph's views (networkx, rdflib, Oxigraph, exported Turtle) takes seconds
each, so every one is built once per test session and shared. They are read-only by
convention: a test that changes a graph copies it first (or uses the small ``mini`` data).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from kg.data.curation import load
from kg.data.model import Curation

ROOT = Path(__file__).resolve().parent.parent
TRIPLES = ROOT / "triples"
MINI = Path(__file__).resolve().parent / "data" / "mini"


def same_rdf(a: Graph, b: Graph) -> bool:
    """True when the two graphs are isomorphic.

    Without blank nodes (the real graph has none) isomorphism is equality of the triple
    sets, which takes a fraction of the time of rdflib's canonical hashing.
    """
    if any(isinstance(term, BNode) for g in (a, b) for triple in g for term in triple):
        return isomorphic(a, b)
    return set(a) == set(b)


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole session: what a test builds, the next one reuses."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def cache_for_every_test(session_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test reads and fills the session's cache, never the user's.

    Entries are keyed by the content of the data and of the program, so a test that edits
    its copy of the data gets entries of its own; tests of the cache itself ask for
    :func:`private_cache`.
    """
    monkeypatch.setenv("EXOKG_CACHE", str(session_cache))
    return session_cache


@pytest.fixture(autouse=True)
def standard_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the width piped output has (120 columns), whatever the shell exports.

    A ``COLUMNS`` of the user's shell or of a test runner's workers would otherwise rewrap
    the outputs the tests compare; a test of the width rule sets its own.
    """
    monkeypatch.setenv("COLUMNS", "120")


def settle(cache: Path) -> None:
    """Wait until no process writes entries into ``cache`` (the writers a command leaves).

    A command returns before its cache writer is done; a test that empties or removes the
    cache folder waits for it first, or the writer's files appear in a folder being removed.
    """
    from kg.io.cache import WRITING, _wait_for_writer

    for lock in sorted(cache.rglob(WRITING)):
        _wait_for_writer(lock.parent)


@pytest.fixture()
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                  ) -> Iterator[Path]:
    """An empty cache folder of this test's own (for tests of the cache).

    Its writers are waited for when the test ends, so none outlives it.
    """
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("EXOKG_CACHE", str(folder))
    yield folder
    settle(folder)


@pytest.fixture(scope="session")
def cur() -> Curation:
    """The project's real curated data, validated."""
    return load(TRIPLES)


@pytest.fixture(scope="session")
def graph(cur: Curation) -> Any:
    """The networkx view of the real data (``build_graph``); do not change it."""
    from kg.graph.network import build_graph

    return build_graph(cur)


@pytest.fixture(scope="session")
def rdf(cur: Curation) -> Graph:
    """The rdflib view of the real data (``build_rdf``); copy it before changing it."""
    from kg.graph.rdf import build_rdf

    return build_rdf(cur)


@pytest.fixture(scope="session")
def store(cur: Curation) -> Any:
    """The Oxigraph view of the real data (``build_store``); do not change it."""
    from kg.graph.rdf import build_store

    return build_store(cur)


@pytest.fixture(scope="session")
def shacl() -> Callable[[Curation, Graph], list[Any]]:
    """``validate_shapes(cur, graph)``, run once per graph for the whole session.

    pyshacl takes tens of seconds over a graph the size of the real one, so every test that
    asks about the same graph object shares its one report. The graph must not change after
    it was validated (the session's graphs are read-only by convention).
    """
    from kg.io.shacl import validate_shapes

    reports: dict[int, tuple[Graph, list[Any]]] = {}

    def report(cur: Curation, graph: Graph) -> list[Any]:
        if id(graph) not in reports:  # the graph is kept, so its id is not reused
            reports[id(graph)] = (graph, validate_shapes(cur, graph))
        return reports[id(graph)][1]

    return report


@pytest.fixture(scope="session")
def rdf_shacl(shacl: Callable[[Curation, Graph], list[Any]], cur: Curation, rdf: Graph
              ) -> list[Any]:
    """The SHACL violations of the real graph (``exokg check --shacl``), validated once."""
    return shacl(cur, rdf)


@pytest.fixture(scope="session")
def turtle(tmp_path_factory: pytest.TempPathFactory, rdf: Graph) -> Path:
    """The real graph exported to a Turtle file."""
    from kg.io.formats import export_graph

    path = export_graph(rdf, "turtle", tmp_path_factory.mktemp("ttl") / "exokg.ttl")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def turtle_rdflib(turtle: Path) -> Graph:
    """The exported Turtle read back by rdflib; do not change it."""
    return Graph().parse(turtle, format="turtle")


@pytest.fixture(scope="session")
def turtle_oxigraph(turtle: Path) -> Any:
    """The exported Turtle read back by Oxigraph; do not change it."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(turtle), format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture()
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small test folder, with the project's schema files."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    shutil.copytree(TRIPLES / "schema", target / "schema")
    return target


@pytest.fixture()
def mini_cur(mini: Path) -> Curation:
    """The small test folder, loaded."""
    return load(mini)


#: Debian's Chromium (``make test`` installs it) and the flags it needs on a closed network.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium through Playwright (skipped without it, a failure on CI)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; 'make test' installs it")
        pytest.skip("Chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_offline(browser: Any, path: Path, selector: str, timeout_ms: int = 120_000
                 ) -> tuple[Any, list[str]]:
    """The page at ``path`` (1400x900) from disk, once ``selector`` is there.

    Every request outside the file (not ``file:``, ``data:`` or ``blob:``) is aborted and its
    URL recorded in the list returned with the page.
    """
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    outside: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_selector(selector, timeout=timeout_ms)
    return page, outside


#: A ``python -c`` script that runs the ``exokg`` command line in-process with the script's
#: arguments; a test appends the line that reports what it wants to know of the process.
CLI_PROBE = """
import sys
from kg.cli import main
sys.argv = ["exokg", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
"""
