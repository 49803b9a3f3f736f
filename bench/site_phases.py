"""Where ``exokg site`` spends its time: the whole site written by one process, phase by phase.

Run from a checkout (``python bench/site_phases.py [DATA]``): it loads the data folder
(``triples/`` unless given), writes the site into a temporary folder with one process
(``jobs=1``, so every page is timed here) and prints the seconds spent in each phase:

- ``search``: the path searches of the answers (``paths``);
- ``answer data``: the rest of turning an answer into page data (evidence, citations);
- ``render``: filling the templates;
- ``drawings``: the SVG drawings of answers and entity pages;
- ``entity and claim data``: the data of those pages;
- ``JSON``: encoding the JSON twins and the search index;
- ``file writes``: writing the files into the staged folder;
- ``put in place``: the digests of the record and the rename;
- ``rest``: everything else (the top-level pages, the search index, bookkeeping).

The phases are timed by wrapping the functions that do them, so the wrapped calls add a
little time of their own; the total is the wall time of ``write_site``.
"""

from __future__ import annotations

import functools
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPENT: defaultdict[str, float] = defaultdict(float)


def _timed(module: Any, name: str, phase: str) -> None:
    """Wrap ``module.name`` (when it exists) so its calls add to ``SPENT[phase]``."""
    func: Callable[..., Any] | None = getattr(module, name, None)
    if func is None:
        return

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            SPENT[phase] += time.perf_counter() - start

    setattr(module, name, wrapper)


def main() -> None:
    """Write the site of the data folder in ``sys.argv[1]`` (or ``triples/``) and report."""
    from kg.data.curation import load
    from kg.query import paths as query_paths
    from kg.web import data as page_data
    from kg.web import draw, site

    _timed(query_paths, "paths", "search")
    _timed(page_data, "paths_page", "answer data")
    for name in ("entity_page", "claim_page"):
        _timed(page_data, name, "entity and claim data")
    _timed(site, "render", "render")
    _timed(draw, "decorate", "drawings")
    _timed(site, "_write", "file writes")
    _timed(site, "_put_in_place", "put in place")
    _timed(site.json, "dumps", "JSON")
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "triples"
    cur = load(folder)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        counts = site.write_site(cur, Path(tmp) / "site", jobs=1)
        total = time.perf_counter() - start
        files = sum(1 for p in (Path(tmp) / "site").rglob("*") if p.is_file())
    SPENT["answer data"] -= SPENT["search"]  # paths_page calls the search
    SPENT["rest"] = total - sum(SPENT.values())
    order = ("search", "answer data", "render", "drawings", "entity and claim data", "JSON",
             "file writes", "put in place", "rest")
    report = {"pages": counts, "files": files, "seconds": round(total, 2),
              "phases": {k: round(SPENT[k], 2) for k in order}}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
