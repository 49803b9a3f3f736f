"""``exokg site``: the explorer's pages written as static files that work from ``file://``.

Every entity page, every claim page, every source x disease answer with the default
filters (a pair with no path gets a page that says so), the hub ranking and the SPARQL
examples, each with its JSON twin beside it (``.json``), and the search index
(``search-index.json`` and ``search-index.js``, which the search page reads with a
``<script>`` tag, since a page opened from disk may not fetch). No page loads anything
from another origin.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.data.model import Curation
from kg.errors import ExportError
from kg.web import data as pages
from kg.web.render import Links, file_name, render

#: The file that marks a folder as an earlier site (so it may be written again).
MARKER = ".exokg-site"


def check_site_target(out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Check, before any work, that a site may be written into ``out``.

    The write rule of :mod:`kg.io.files`: the parent folder must exist (it is never
    created); an existing folder is written into only when it is empty or an earlier site,
    unless ``force``.

    Raises
    ------
    ExportError
        Naming the missing parent, a file in the way, or the folder that would be mixed.
    """
    target = Path(out)
    parent = target.absolute().parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {target}: the folder {parent} does not exist "
                          "(create it first)")
    if target.exists() and not target.is_dir():
        raise ExportError(f"cannot write a site to {target}: it is a file")
    if (target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists()
            and not force):
        raise ExportError(f"{target} is not empty and is not an earlier site; use --force "
                          "to write into it")
    return target


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _page(cur: Curation, root: Path, rel: str, template: str, data: dict[str, Any],
          **extra: Any) -> None:
    """Write ``rel`` (an .html file) and its JSON twin."""
    from kg.web.draw import decorate

    depth = rel.count("/")
    links = Links(site=True, depth=depth)
    extra.update(decorate(cur, template, data, links))
    json_name = Path(rel).name.removesuffix(".html") + ".json"
    _write(root, rel, render(template, data, links, json_url=json_name, **extra))
    _write(root, rel.removesuffix(".html") + ".json",
           json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str))


def write_site(cur: Curation, out: str | os.PathLike[str], *, force: bool = False,
               progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write the static site into ``out``; return how many pages of each kind were written.

    Raises
    ------
    ExportError
        When ``out`` may not be written (:func:`check_site_target`).
    """
    from kg.query.paths import prepare
    from kg.query.sparql import example_queries

    root = check_site_target(out, force=force)
    root.mkdir(exist_ok=True)
    (root / MARKER).write_text("written by exokg site\n", encoding="utf-8")
    prepare(cur)
    say = progress or (lambda _: None)
    counts = {"entity": 0, "claim": 0, "paths": 0}
    choices = pages.choices(cur)
    _page(cur, root, "index.html", "index.html", pages.home_page(cur), choices=choices)
    _page(cur, root, "paths.html", "paths.html", {}, choices=choices)
    _page(cur, root, "search.html", "search.html", {"q": ""})
    index = pages.search_index(cur)
    _write(root, "search-index.json", json.dumps(index, ensure_ascii=False))
    _write(root, "search-index.js", "window.EXOKG_INDEX = " + json.dumps(index).replace(
        "<", "\\u003c") + ";\n")
    _page(cur, root, "rank.html", "rank.html", pages.rank_page(cur))
    _page(cur, root, "trials.html", "trials.html", pages.trials_page(cur))
    _page(cur, root, "matrix.html", "matrix.html", pages.matrix_page(cur))
    _page(cur, root, "hallmarks.html", "hallmarks.html", pages.hallmarks_page(cur))
    _page(cur, root, "claims.html", "claims.html", pages.claims_page(cur))
    examples = example_queries()
    _page(cur, root, "query.html", "query.html", {
        "examples": [(n, t) for n, (_, t) in examples.items()],
        "example_texts": [(n, p.read_text(encoding="utf-8")) for n, (p, _) in examples.items()]})
    say("entity pages")
    for ent in sorted(cur.entities):
        _page(cur, root, f"entity/{file_name(ent)}.html", "entity.html",
              pages.entity_page(cur, ent))
        counts["entity"] += 1
    for claim in sorted(cur.claims):
        _page(cur, root, f"claim/{file_name(claim)}.html", "claim.html",
              pages.claim_page(cur, claim))
        counts["claim"] += 1
    say("source x disease answers")
    for src in choices["sources"]:
        for dis in choices["diseases"]:
            d = pages.paths_page(cur, pages.PathQuery(src["id"], dis["id"]))
            _page(cur, root, f"paths/{file_name(src['id'])}--{file_name(dis['id'])}.html",
                  "paths.html", d, choices=choices, sel_source=src["id"],
                  sel_disease=dis["id"])
            counts["paths"] += 1
    return counts
