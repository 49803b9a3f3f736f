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
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from kg.data.model import Curation
from kg.errors import ExportError
from kg.io.files import (
    RECORD,
    check_folder_target,
    file_digest,
    read_record,
    remember,
    staged_folder,
)
from kg.web import data as pages
from kg.web.render import Links, file_name, render

__all__ = ["check_site_target", "default_jobs", "write_site"]


def check_site_target(out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Check, before any work, that a site may be written into ``out``.

    The write rule of :mod:`kg.io.files`: the parent folder must exist (it is never
    created); an existing folder is written into only when it is empty or holds exokg's
    record of what it wrote there (an earlier site), unless ``force``. Which of its files
    may be replaced is decided when the new site is in hand (:func:`_put_in_place`).

    Raises
    ------
    ExportError
        Naming the missing parent, a file in the way, or the folder that would be mixed.
    """
    return check_folder_target(out, "site", earlier=lambda d: (d / RECORD).is_file(),
                               force=force)


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
    _write(root, rel.removesuffix(".html") + ".json", _twin(data))


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


#: The JSON of hop records, by the record itself (kept with it, so its id is not reused):
#: an answer shares the record of each hop with every other answer showing that hop
#: (:func:`kg.web.data.paths_page`), and a record is never changed once made.
_HOP_JSON: dict[int, tuple[Any, str]] = {}
#: Where a hop's JSON goes in its answer's JSON (a string no record holds).
_HOP_MARK = re.compile(r'"\\u0000(\d+)\\u0000"')


def _twin(data: dict[str, Any]) -> str:
    """A page's JSON twin; an answer's hops are written out once each for the whole site."""
    listed = data.get("paths")
    if not listed or not isinstance(listed, list) or not isinstance(listed[0], dict) \
            or "hops" not in listed[0]:
        return _json(data)
    texts: list[str] = []

    def mark(hop: Any) -> str:
        seen = _HOP_JSON.get(id(hop))
        if seen is None or seen[0] is not hop:
            if len(_HOP_JSON) >= 20_000:
                _HOP_JSON.clear()
            seen = _HOP_JSON[id(hop)] = (hop, _json(hop))
        texts.append(seen[1])
        return f"\x00{len(texts) - 1}\x00"

    marked = {**data, "paths": [{**p, "hops": [mark(h) for h in p["hops"]]} for p in listed]}
    return _HOP_MARK.sub(lambda m: texts[int(m[1])], _json(marked))


class _PathForm:
    """The site's path form, rendered once for each folder depth of the pages that show it.

    The form lists every source and every disease; an answer page's copy is that one
    rendering with its own pair marked ``selected``, as ``pathform.html`` marks it (the
    option whose value is the selected id).
    """

    def __init__(self, choices: dict[str, list[dict[str, str]]]) -> None:
        self.choices = choices
        self.rendered: dict[int, str] = {}

    def __call__(self, depth: int, source: str = "", disease: str = "") -> Markup:
        html = self.rendered.get(depth)
        if html is None:
            html = self.rendered[depth] = render(
                "pathform.html", {}, Links(site=True, depth=depth), choices=self.choices)
        return Markup(_selected(_selected(html, "source", source), "disease", disease))


def _selected(html: str, name: str, value: str) -> str:
    """``html`` with the option ``value`` of its ``<select name="name">`` marked selected.

    Examples
    --------
    >>> _selected('<select name="a"><option value="x">x</option></select>', "a", "x")
    '<select name="a"><option value="x" selected>x</option></select>'
    """
    if not value:
        return html
    start = html.index(f'<select name="{name}"')
    option = f'<option value="{escape(value)}">'
    at = html.find(option, start, html.index("</select>", start))
    if at < 0:
        return html
    at += len(option) - 1
    return html[:at] + " selected" + html[at:]


def write_site(cur: Curation, out: str | os.PathLike[str], *, force: bool = False,
               progress: Callable[[str], None] | None = None, jobs: int = 1) -> dict[str, int]:
    """Write the static site into ``out``; return how many pages of each kind were written.

    The site is written into a new folder beside ``out`` and moved in only when whole
    (:func:`_put_in_place`), so an error or Ctrl-C while the pages are written leaves
    ``out`` as it was. The entity, claim and answer pages are written by ``jobs`` processes
    (:func:`_split`).

    Raises
    ------
    ExportError
        When ``out`` may not be written (:func:`check_site_target`).
    """
    root = check_site_target(out, force=force)
    say = progress or (lambda _: None)
    with staged_folder(root, "site") as stage:
        counts = _write_pages(cur, stage, say, jobs)
        _put_in_place(stage, root, force=force)
    return counts


def _put_in_place(stage: Path, root: Path, *, force: bool = False) -> None:
    """Make the finished site in ``stage`` the content of ``root``.

    A new or empty ``root`` becomes the staged folder (one rename). Into an earlier site, a
    link to a folder, or (``--force``) a folder of other files, each new file replaces its
    namesake by a rename of its own (a fraction of a second for the whole site), and nothing
    else there is touched: a ``.git`` folder or a ``CNAME`` file beside the pages stays.
    Without ``force``, a namesake is replaced only when exokg's record says it wrote it and
    the file was not changed since; otherwise nothing at all is replaced.

    Raises
    ------
    ExportError
        Naming the files that are not exokg's (or were edited) and would be replaced.
    """
    staged = sorted(stage.rglob("*"))  # a folder before what it holds
    written = {p.relative_to(stage).as_posix(): file_digest(p) for p in staged
               if p.is_file() and p.name != RECORD}
    if not root.exists() or (not root.is_symlink() and not any(root.iterdir())):
        _record(stage, written)
        if root.exists():
            root.rmdir()
        os.rename(stage, root)
        return
    if not force:
        _refuse_foreign(root, written)
    for path in staged:
        target = root / path.relative_to(stage)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        elif path.name != RECORD:
            os.replace(path, target)
    remember(root, written)


def _record(folder: Path, written: dict[str, str]) -> None:
    body = {"written by": "exokg", "files": dict(sorted(written.items()))}
    (folder / RECORD).write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n",
                                 encoding="utf-8")


def _refuse_foreign(root: Path, written: dict[str, str]) -> None:
    """Raise unless every file the new site would replace in ``root`` is exokg's, unchanged."""
    record = read_record(root)
    foreign = []
    for name in written:
        target = root / name
        if not target.exists() and not target.is_symlink():
            continue
        if not target.is_file() or record.get(name) != file_digest(target):
            foreign.append(name)
    for name in {str(Path(n).parent) for n in written} - {"."}:
        if (root / name).exists() and not (root / name).is_dir():
            foreign.append(name)
    if foreign:
        shown = ", ".join(sorted(foreign)[:3]) + (" ..." if len(foreign) > 3 else "")
        raise ExportError(f"{root} holds {len(foreign)} file(s) that exokg did not write, or "
                          f"that were changed since, which the site would replace ({shown}); "
                          "nothing was changed there. Use --force to replace them")


def _write_pages(cur: Curation, root: Path, say: Callable[[str], None],
                 jobs: int) -> dict[str, int]:
    """Every page of the site, written into the (new, empty) folder ``root``."""
    from kg.query.paths import prepare
    from kg.query.sparql import example_queries

    for folder in ("entity", "claim", "paths"):
        (root / folder).mkdir()
    prepare(cur)
    choices = pages.choices(cur)
    form = _PathForm(choices)
    _page(cur, root, "index.html", "index.html", pages.home_page(cur), choices=choices,
          pathform_html=form(0))
    _page(cur, root, "paths.html", "paths.html", {}, choices=choices, pathform_html=form(0))
    _page(cur, root, "search.html", "search.html", {"q": "", "rules": pages.search_rules()})
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
    items: list[tuple[str, ...]] = [
        *(("entity", ent) for ent in sorted(cur.entities)),
        *(("claim", claim) for claim in sorted(cur.claims)),
        *(("paths", src["id"], dis["id"]) for src in choices["sources"]
          for dis in choices["diseases"])]

    def write(item: tuple[str, ...]) -> None:
        _write_item(cur, root, item, choices, form)

    say(f"{len(items)} entity, claim and answer pages")
    _split(items, write, jobs)
    return {kind: sum(1 for item in items if item[0] == kind)
            for kind in ("entity", "claim", "paths")}


def _write_item(cur: Curation, root: Path, item: tuple[str, ...],
                choices: dict[str, list[dict[str, str]]], form: _PathForm) -> None:
    """Write one page and its twin.

    ``item`` is ``("entity", id)``, ``("claim", id)`` or ``("paths", source, disease)``.
    """
    kind, name = item[0], item[1]
    if kind == "entity":
        _page(cur, root, f"entity/{file_name(name)}.html", "entity.html",
              pages.entity_page(cur, name))
    elif kind == "claim":
        _page(cur, root, f"claim/{file_name(name)}.html", "claim.html",
              pages.claim_page(cur, name))
    else:
        dis = item[2]
        d = pages.paths_page(cur, pages.PathQuery(name, dis))
        _page(cur, root, f"paths/{file_name(name)}--{file_name(dis)}.html",
              "paths.html", d, choices=choices, sel_source=name, sel_disease=dis,
              pathform_html=form(1, name, dis))


def default_jobs(most: int = 8) -> int:
    """How many processes write pages by default.

    One per processor this process may run on, at most ``most``.

    Examples
    --------
    >>> 1 <= default_jobs(2) <= 2
    True
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, most))


def _split(items: list[Any], work: Callable[[Any], None], jobs: int) -> None:
    """``work(item)`` for every item, shared among ``jobs`` processes.

    The extra processes are forked children that inherit the loaded curation (nothing is
    pickled or loaded again); each takes every ``jobs``-th item and reports a failure back
    in one line. Fork is used only where it is safe: on Linux, from a process running no
    other thread (a forked child gets copies of other threads' locks, never their owners).
    Elsewhere, or with ``jobs`` 1, the items are written here, one after another.
    """
    import sys
    import threading

    jobs = max(1, min(jobs, len(items)))
    if jobs == 1 or not sys.platform.startswith("linux") or threading.active_count() > 1:
        for item in items:
            work(item)
        return
    children: dict[int, int] = {}  # pid -> read end of its error pipe
    try:
        for part in range(1, jobs):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: write its share, then leave without cleanup
                os.close(read)
                status = 0
                try:
                    for item in items[part::jobs]:
                        work(item)
                except BaseException as exc:  # reported to the parent, which raises it
                    os.write(write, f"{type(exc).__name__}: {exc}".encode()[:4000])
                    status = 1
                os._exit(status)
            os.close(write)
            children[pid] = read
        for item in items[0::jobs]:
            work(item)
        failures = []
        for pid, read in list(children.items()):
            _, status = os.waitpid(pid, 0)
            with os.fdopen(read, "rb") as pipe:
                message = pipe.read().decode(errors="replace")
            del children[pid]
            if status != 0:
                failures.append(message or f"a writing process ended with status {status}")
        if failures:
            raise ExportError("writing the site failed: " + failures[0])
    finally:
        import signal

        for pid, read in children.items():  # only after an error or Ctrl-C here
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except OSError:
                pass
            os.close(read)
