"""Commands of the web explorer: ``serve`` (a local server) and ``site`` (static files)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from kg.cli.base import SECONDS, State, cli, handle_errors, pass_state

__all__ = [
    "DEFAULT_JOBS_MAX", "LOOPBACK", "WEB_MODULES", "WILDCARDS", "allowed_hosts", "serve", "site",
]

#: ``exokg site --jobs 0`` uses one process per processor, at most this many: each forked
#: writer slowly copies the parent's memory as it touches it, and 2,500 pages gain little
#: from more.
DEFAULT_JOBS_MAX = 8

LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: Addresses that listen on every interface.
WILDCARDS = ("0.0.0.0", "::", "")


def allowed_hosts(host: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The ``Host`` names the server answers: loopback, the listening address, ``extra``.

    Examples
    --------
    >>> allowed_hosts("::1")
    ['127.0.0.1', 'localhost', '::1']
    >>> allowed_hosts("0.0.0.0", ("kg.lab.example",))
    ['127.0.0.1', 'localhost', '::1', 'kg.lab.example']
    """
    names = list(LOOPBACK)
    for name in (host if host not in WILDCARDS else "", *extra):
        if name and name not in names:
            names.append(name)
    return names


#: What the web extra (``pip install 'exokg[web]'``) brings that each command needs.
WEB_MODULES = {"serve": ("starlette", "uvicorn", "jinja2"), "site": ("jinja2",)}


def _need_web(command: str = "serve") -> None:
    """A one-line error, before any work, when ``command`` lacks a module of the web extra.

    Only looked up (:func:`importlib.util.find_spec`), not imported, so the check costs
    nothing when the extra is there.
    """
    import importlib.util

    missing = [name for name in WEB_MODULES[command] if importlib.util.find_spec(name) is None]
    if missing:
        raise click.ClickException(f"exokg {command} needs the web extra ({', '.join(missing)} "
                                   "not installed): pip install 'exokg[web]'")


def _check_port(host: str, port: int) -> None:
    """A clear one-line error when HOST:PORT cannot be listened on (in use, no such host)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(infos[0][4])
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: "
                                   f"{exc.strerror or exc}") from None


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; 0.0.0.0 exposes it).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--timeout", default=10.0, show_default=True, type=SECONDS,
              help="Seconds a SPARQL query may run.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Rows a SPARQL query may return.")
@click.option("--sparql-workers", default=2, show_default=True, type=click.IntRange(1, 16),
              help="SPARQL queries run at once, each in a process holding a copy of the "
                   "graph (about 40 MB); a query past --timeout is stopped by killing its "
                   "process.")
@click.option("--sparql-memory", default=1024, show_default=True, metavar="MB",
              type=click.IntRange(min=512),
              help="Memory one SPARQL worker may use (MB); a query needing more fails.")
@click.option("--sparql-queue", default=8, show_default=True, type=click.IntRange(0, 1000),
              help="SPARQL queries that may wait for a worker; past that, 503 Retry-After.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (repeatable; '*' for any). "
                   "Loopback names and the listening address are always answered.")
@pass_state
@handle_errors
def serve(state: State, host: str, port: int, timeout: float, max_rows: int,
          sparql_workers: int, sparql_memory: int, sparql_queue: int,
          allow_hosts: tuple[str, ...]) -> None:
    """Serve the web explorer and a read-only SPARQL endpoint (/sparql) on HOST:PORT.

    Every page has a JSON twin (add .json to its path, or ?format=json). Stop with Ctrl-C.
    """
    _need_web()
    import uvicorn

    from kg.web.app import create_app

    _check_port(host, port)
    cur = state.curation()
    from kg.io.cache import write_pending_now

    write_pending_now()  # it runs on: its cache entries now, its store read from disk
    allowed = allowed_hosts(host, allow_hosts)
    if host in WILDCARDS and "*" not in allowed:
        import socket

        allowed.append(socket.gethostname())
        click.echo(f"Warning: --host {host} lets every machine that reaches this one use the "
                   "explorer; requests are answered only for the names "
                   f"{', '.join(sorted(set(allowed)))} (add others with --allow-host)",
                   err=True)
    app = create_app(cur, state.store(), timeout=timeout, max_rows=max_rows,
                     allowed_hosts=allowed, workers=sparql_workers,
                     memory_mb=sparql_memory, queue=sparql_queue)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                            lifespan="off")
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host
    explorer = app.state.explorer
    explorer.runner.start()  # in the background: the first query need not wait for them
    # uvicorn stops gracefully on SIGTERM, then raises it again: end through `finally`
    # (stopping the query workers) instead of dying on the spot.
    with _sigterm_exits():
        try:
            click.echo(f"exokg explorer on http://{shown}:{port}/ (SPARQL endpoint: "
                       f"http://{shown}:{port}/sparql); Ctrl-C stops it")
            server.run()
        finally:
            explorer.close()


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM: leave through the callers' ``finally`` (exit status 128 + 15)."""
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _sigterm_exits() -> Iterator[None]:
    """Within the block, SIGTERM raises ``SystemExit`` so cleanups run.

    Without it the process would die on the spot; outside the main thread, where no handler
    can be set, nothing changes.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@cli.command()
@click.option("-o", "--output", "out", required=True, metavar="DIR",
              help="Folder to write the site into (its parent must exist).")
@click.option("--force", is_flag=True,
              help="Write into a folder exokg did not write, replacing files of the same name.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes writing pages; 0: one per processor this command may use, "
                   f"at most {DEFAULT_JOBS_MAX}.")
@pass_state
@handle_errors
def site(state: State, out: str, force: bool, jobs: int) -> None:
    """Write the explorer's pages as a static site that works from file:// (into -o DIR)."""
    _need_web("site")  # a runtime-only install has no jinja2: one line, no traceback
    from kg.web.site import check_site_target, default_jobs, write_site

    check_site_target(out, force=force)  # before any work
    # SIGTERM ends through write_site's cleanup (its writers stopped, its new folder
    # removed, an earlier site left whole) instead of on the spot
    with _sigterm_exits():
        counts = write_site(state.curation(), out, force=force,
                            jobs=jobs or default_jobs(DEFAULT_JOBS_MAX))
    click.echo(f"wrote {out}: {counts['entity']} entity pages, {counts['claim']} claim pages, "
               f"{counts['paths']} source x disease answers; open {out}/index.html")
