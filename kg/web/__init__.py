"""The web explorer: ``exokg serve`` (pages, JSON twins, a SPARQL endpoint) and ``exokg site``.

Thin faces over the library, as the CLI is: every page's data comes from a function of
:mod:`kg.query` (through :mod:`kg.web.data`), rendered with autoescaping templates
(:mod:`kg.web.render`); :mod:`kg.web.app` is the Starlette application, :mod:`kg.web.sparql`
the read-only SPARQL 1.1 Protocol endpoint (its queries run in :mod:`kg.web.worker`
processes, killed when a query passes its time limit), :mod:`kg.web.draw` the layered SVG drawings
and :mod:`kg.web.site` the static site writer.
Starlette and uvicorn are an optional extra (``pip install exokg[web]``); importing
:mod:`kg.web` alone needs neither.
"""

__all__: list[str] = []
