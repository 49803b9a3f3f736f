r"""HTML for the explorer's pages: Jinja2 templates with autoescaping, and the links between pages.

Every name and literal reaches the page through Jinja2's autoescape (``{{ }}`` escapes
``<``, ``>``, ``&`` and both quotes) or, inside a ``<script>``, through ``tojson`` (which
escapes ``<``, ``>``, ``&`` and ``'`` as ``\\u`` sequences), so a label such as
``<script>alert("x")</script>`` shows as text. Links are made by a :class:`Links` object:
the server's absolute URLs, or relative file names for the static site, so the same
templates serve both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from kg.data.model import is_trial_node
from kg.query.defaults import DEFAULT_SORT

__all__ = ["DEFAULT_FORM", "EXTRA_NAV", "TEMPLATES", "Links", "environment", "file_name", "render"]

TEMPLATES = Path(__file__).resolve().parent / "templates"


def file_name(entity_id: str) -> str:
    """A safe file name for an id (percent-encoded, so any id maps to one file).

    Examples
    --------
    >>> file_name("BM-MSC")
    'BM-MSC'
    >>> file_name("a/b")
    'a%2Fb'
    """
    return quote(entity_id, safe="")


class Links:
    """URLs of the pages, for the server (``site=False``) or for files on disk.

    Parameters
    ----------
    site : bool
        Write relative links to ``.html`` files (the static site).
    depth : int
        How many folders below the site's root the page being written is.
    """

    def __init__(self, *, site: bool = False, depth: int = 0) -> None:
        self.site = site
        self.root = "../" * depth if site else "/"

    def home(self) -> str:
        """The front page."""
        return self.root + ("index.html" if self.site else "")

    def page(self, name: str, **params: Any) -> str:
        """A top-level page (``search``, ``rank``, ``query`` ...), with query parameters."""
        if self.site:
            return f"{self.root}{name}.html"
        query = urlencode({k: v for k, v in params.items() if v not in (None, "", False)},
                          doseq=True)
        return f"/{name}" + (f"?{query}" if query else "")

    def entity(self, entity_id: str) -> str:
        """An entity's page."""
        if self.site:
            return f"{self.root}entity/{quote(file_name(entity_id))}.html"
        return f"/entity/{quote(entity_id, safe='')}"

    def node(self, node_id: str) -> str:
        """A graph node's page: an entity's, or a trial's reports.

        A trial node has no entity page: it links to its reports on the trials page (on the
        static site, the trial's row of ``trials.html``). The static site's links are
        remembered (a path answer links every node of every path it shows).
        """
        if self.site:
            key = (self.root, node_id)
            url = _SITE_NODES.get(key)
            if url is None:
                if len(_SITE_NODES) >= _HOPS_MAX:
                    _SITE_NODES.clear()
                url = _SITE_NODES[key] = self._node(node_id)
            return url
        return self._node(node_id)

    def _node(self, node_id: str) -> str:
        if not is_trial_node(node_id):
            return self.entity(node_id)
        if self.site:
            return f"{self.root}trials.html#{quote(node_id, safe='')}"
        return self.page("trials", trial=node_id)

    def claim(self, claim_id: str) -> str:
        """A claim's page."""
        if self.site:
            return f"{self.root}claim/{quote(file_name(claim_id))}.html"
        return f"/claim/{quote(claim_id, safe='')}"

    def paths(self, source: str, disease: str, **filters: Any) -> str:
        """A path query's page (on the static site: the default filters only)."""
        if self.site:
            return f"{self.root}paths/{quote(file_name(source))}--{quote(file_name(disease))}.html"
        return self.page("paths", source=source, disease=disease, **filters)

    def json(self, url: str) -> str:
        """The JSON twin of a page's URL."""
        if self.site:
            return url[: -len(".html")] + ".json" if url.endswith(".html") else url
        path, sep, query = url.partition("?")
        return (path.rstrip("/") or "/index") + ".json" + sep + query


def environment() -> Environment:
    """The Jinja2 environment: templates from ``kg/web/templates``, escaping always on."""
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(extra_nav=EXTRA_NAV, q="", json_url="", error="", sel_source="",
                       sel_disease="", form=DEFAULT_FORM, drawing=None, pathform_html="")
    env.filters["num"] = lambda x, d=4: "" if x is None else f"{x:.{d}g}" \
        if isinstance(x, float) else str(x)
    env.globals["hop"] = _hop
    return env


#: Links of the static site's pages to graph nodes, by the page's root and the node.
_SITE_NODES: dict[tuple[str, str], str] = {}
#: Rendered hops of path answers, by their links and content (see :func:`_hop`).
_HOPS: dict[tuple[bool, str, str], Markup] = {}
#: At most this many kept; the memo starts again when full.
_HOPS_MAX = 20_000
#: The same, by the hop record itself: path answers share the record of a hop they all show
#: (:func:`kg.web.data.paths_page`), which is never changed once made, so its HTML is
#: found again without writing the record out (kept with it, so its id is not reused).
_HOPS_SEEN: dict[tuple[bool, str, int], tuple[dict[str, Any], Markup]] = {}


@pass_context
def _hop(context: Context, hop: dict[str, Any]) -> Markup:
    """One hop of a path answer (``hop.html``), rendered once per distinct hop.

    A hop's HTML depends only on the hop's record (labels, claims, citations, studies,
    evidence) and the page's links, so the key holds both in full. The static site's 1,586
    path answers show about 49,000 hops, of which about 1,500 differ: rendering each once
    took ``exokg site`` from 33 s to 22-25 s (shipped data, the same machine and run).
    """
    link = context["link"]
    same = _HOPS_SEEN.get((link.site, link.root, id(hop)))
    if same is not None and same[0] is hop:
        return same[1]
    key = (link.site, link.root, repr(hop))
    html = _HOPS.get(key)
    if html is None:
        html = Markup(context.environment.get_template("hop.html").render(h=hop, link=link))
        if len(_HOPS) >= _HOPS_MAX:
            _HOPS.clear()
        _HOPS[key] = html
    if len(_HOPS_SEEN) >= _HOPS_MAX:
        _HOPS_SEEN.clear()
    _HOPS_SEEN[(link.site, link.root, id(hop))] = (hop, html)
    return html


_ENV: Environment | None = None
#: Question pages in the header, after paths and hubs.
EXTRA_NAV = [("trials", "trials"), ("matrix", "matrix"), ("hallmarks", "hallmarks"),
             ("claims", "claims")]
#: The path form's values when a page gives none (the defaults of ``exokg paths``).
DEFAULT_FORM = {"max_hops": 6, "via": [], "avoid": [], "evidence": None, "agent": None,
                "asserted_only": False, "exact": False, "limit": 20, "min_studies": 0,
                "min_evidence": None, "sort": DEFAULT_SORT}


def render(template: str, data: dict[str, Any], links: Links, **extra: Any) -> str:
    """A page: ``template`` filled with the page's ``data`` and its links."""
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV.get_template(template).render(d=data, link=links, **extra)
