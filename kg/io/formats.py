"""Export formats as a registry: a format name maps to its writer, reader and output rules.

As KGX maps format names to sources and sinks, ``exokg export`` makes one lookup here and one
call; a new format is one module that calls :func:`register`, with no change to the CLI.
Each :class:`Format` says

- ``kind``: ``"file"`` (a :class:`FileFormat`: one file, or standard output for ``-``) or
  ``"folder"`` (a :class:`FolderFormat`: several files into the folder the output names);
- ``signature``: the kind of output :func:`kg.io.files.check_target` names when it keeps an
  existing file (whether a file may be replaced is decided by exokg's record of what it
  wrote, never by the file's content);
- ``suffixes``: the file suffixes of the format (the first is the usual one);
- ``write``: for a file format, ``write(cur, cache) -> (bytes, size)`` where ``size`` is a
  count to report (triples, nodes ...); for a folder format, ``write(cur, folder, force)``
  returning the paths written;
- ``read``: ``read(path)`` -> a parsed object (an rdflib graph, a networkx graph), where a
  reader exists;
- ``rdf_syntax``: for an RDF format, the syntax :func:`serialize` writes any rdflib graph in.

This is the one table of formats: the CLI's choices, the suffixes, the writers and
:func:`serialize` all read it.

Caching of export bytes lives here too (not in the CLI): a file format marked ``cached`` keeps
its bytes in the content-hash cache (:func:`kg.io.cache.bytes_cached`) when the curation came
through that cache.

Examples
--------
>>> sorted(formats())
['graphml', 'json-ld', 'kgx', 'neo4j', 'nt', 'turtle']
>>> get("nt").suffixes, get("kgx").kind
(('.nt',), 'folder')
>>> format_for_path("graph.ttl").name
'turtle'
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from kg.data.model import Curation
from kg.errors import ExportError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "TABLE_FILES", "FileFormat", "FileWriter", "FolderFormat", "FolderWriter", "Format", "Reader",
    "Written", "check_output", "export", "export_graph", "file_format", "format_for_path",
    "formats", "get", "needs_folder", "register", "serialize", "unregister",
]

#: ``write(cur, cache)`` of a file format: the bytes and a count to report.
FileWriter = Callable[[Curation, bool], tuple[bytes, int]]
#: ``write(cur, folder, force)`` of a folder format: the paths written.
FolderWriter = Callable[[Curation, Path, bool], list[Path]]


#: ``read(path)``: the parsed object of a written file.
Reader = Callable[[str | os.PathLike[str]], Any]


@dataclass(frozen=True, kw_only=True)
class Format:
    """What every export format has: how it is recognised, read and checked."""

    name: str
    signature: str
    suffixes: tuple[str, ...]
    read: Reader | None = None
    description: str = ""
    #: what the size returned by a file writer counts ("triples", "nodes" ...)
    unit: str = ""
    #: the RDF syntax (rdflib's name) of an RDF format, empty for the others
    rdf_syntax: str = ""
    #: ``file`` or ``folder``
    kind: ClassVar[str] = ""


@dataclass(frozen=True, kw_only=True)
class FileFormat(Format):
    """A format written as one file (or to standard output)."""

    write: FileWriter
    kind: ClassVar[str] = "file"


@dataclass(frozen=True, kw_only=True)
class FolderFormat(Format):
    """A format written as several files into a folder."""

    write: FolderWriter
    #: the files it writes, with the start of their header line
    files: tuple[tuple[str, str], ...] = field(default=())
    kind: ClassVar[str] = "folder"


@dataclass
class Written:
    """What an export wrote: the paths (none for standard output) and a one-line summary."""

    paths: list[Path]
    summary: str


_REGISTRY: dict[str, FileFormat | FolderFormat] = {}


def register(fmt: FileFormat | FolderFormat) -> FileFormat | FolderFormat:
    """Add (or replace) a format under its name; return it."""
    _REGISTRY[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    """Remove a format (tests register toy formats and remove them again)."""
    _REGISTRY.pop(name, None)


def formats() -> dict[str, FileFormat | FolderFormat]:
    """Every registered format by name, in registration order."""
    return dict(_REGISTRY)


def get(name: str) -> FileFormat | FolderFormat:
    """The format called ``name``.

    Raises
    ------
    ExportError
        Naming the known formats when ``name`` is not one of them.
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ExportError(f"unknown format '{name}' (known: {', '.join(_REGISTRY)})") from None


def file_format(name: str) -> FileFormat:
    """The file format called ``name`` (``ExportError`` for a folder format or none)."""
    fmt = get(name)
    if not isinstance(fmt, FileFormat):
        raise ExportError(f"-f {name} writes a folder, not one file")
    return fmt


def format_for_path(path: str | os.PathLike[str]) -> FileFormat:
    """The file format whose suffix ``path`` has (``.ttl`` -> turtle).

    Raises
    ------
    ExportError
        When no registered file format uses the suffix.
    """
    name = str(path).lower()
    for fmt in _REGISTRY.values():
        if isinstance(fmt, FileFormat) and name.endswith(fmt.suffixes):
            return fmt
    raise ExportError(f"no format for the suffix of {path} (known: "
                      + ", ".join(s for f in _REGISTRY.values() for s in f.suffixes) + ")")


def needs_folder(name: str, output: str | os.PathLike[str]) -> str:
    """Why format ``name`` cannot write to ``output`` (a folder format and ``-``), else "".

    Examples
    --------
    >>> needs_folder("kgx", "-")
    '-f kgx writes two files: give a folder with -o'
    >>> needs_folder("turtle", "-")
    ''
    """
    fmt = get(name)
    if not isinstance(fmt, FolderFormat) or str(output) != "-":
        return ""
    count = {1: "one file", 2: "two files", 3: "three files"}.get(len(fmt.files),
                                                                 "several files")
    return f"-f {name} writes {count}: give a folder with -o"


def check_output(name: str, output: str | os.PathLike[str], *, force: bool = False
                 ) -> FileFormat | FolderFormat:
    """Check, before the graph is built, that format ``name`` may be written to ``output``.

    A file format writes one file (``-``: standard output) and follows
    :func:`kg.io.files.check_target`; a folder format needs a folder (created when its parent
    exists) whose files of other kinds are never overwritten without ``force``.
    """
    from kg.io.files import check_target

    fmt = get(name)
    misuse = needs_folder(name, output)
    if misuse:
        raise ExportError(misuse)
    if isinstance(fmt, FolderFormat):
        _check_folder(fmt, Path(output), force=force)
    elif str(output) != "-":
        check_target(output, fmt.signature, force=force)
    return fmt


def _check_folder(fmt: FolderFormat, target: Path, *, force: bool) -> None:
    from kg.io.files import check_target

    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file; -f {fmt.name} writes files into a folder")
    if not target.exists():
        check_target(target, fmt.signature)  # its parent folder must exist
        return
    for name, _ in fmt.files:
        check_target(target / name, fmt.signature, force=force)


def export(cur: Curation, name: str, output: str | os.PathLike[str], *, force: bool = False,
           cache: bool = True) -> Written:
    """Write ``cur`` in format ``name`` to ``output`` (a file, ``-``, or a folder).

    ``cache`` lets a cached format reuse bytes kept for this data folder (only when ``cur``
    came through :mod:`kg.io.cache`, so a subgraph is never answered from the whole graph's
    entry).
    """
    from kg.io.files import write_bytes

    fmt = check_output(name, output, force=force)
    if isinstance(fmt, FolderFormat):
        paths = fmt.write(cur, Path(output), force)
        return Written(paths, "\n".join(f"wrote {p}" for p in paths))
    data, size = fmt.write(cur, cache and bool(cur.cache_key))
    path = write_bytes(data, output)
    unit = f"{size} {fmt.unit}, " if fmt.unit else ""
    return Written([] if path is None else [path],
                   "" if path is None else f"wrote {path} ({unit}{fmt.name})")


def serialize(graph: Graph, name: str) -> bytes:
    r"""An rdflib graph in the RDF format ``name``, the same bytes on every run.

    Raises
    ------
    ExportError
        When ``name`` is not a registered RDF format.

    Examples
    --------
    >>> from rdflib import Graph, URIRef
    >>> g = Graph().add((URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")))
    >>> serialize(g, "nt")
    b'<urn:a> <urn:b> <urn:c> .\n'
    >>> serialize(g, "graphml")
    Traceback (most recent call last):
    ...
    kg.errors.ExportError: 'graphml' is not an RDF format (RDF formats: turtle, nt, json-ld)
    """
    from kg.io.files import graph_bytes

    fmt = get(name)
    if not fmt.rdf_syntax:
        rdf = ", ".join(f.name for f in _REGISTRY.values() if f.rdf_syntax)
        raise ExportError(f"'{name}' is not an RDF format (RDF formats: {rdf})")
    return graph_bytes(graph, fmt.rdf_syntax)


def export_graph(graph: Graph, name: str, output: str | os.PathLike[str]) -> Path | None:
    """Write an rdflib graph in RDF format ``name`` to ``output`` (``-``: standard output)."""
    from kg.io.files import write_bytes

    return write_bytes(serialize(graph, name), output)


# --- the shipped formats ------------------------------------------------------------------


def _store_writer(rdf_format: str) -> FileWriter:
    """Turtle or N-Triples written from the emitter's canonical, sorted N-Triples.

    No store is built for an export (the bytes equal a store's, sorted: a test checks it);
    with the cache on, the export and the triple count are kept as written.
    """

    def write(cur: Curation, cache: bool) -> tuple[bytes, int]:
        from kg.graph.rdf import ntriples
        from kg.io.files import turtle_from_ntriples

        def make() -> tuple[bytes, int]:
            nt = ntriples(cur)
            data = nt if rdf_format == "nt" else turtle_from_ntriples(nt)
            return data, nt.count(b"\n")

        return _kept(cur, cache, rdf_format, make)

    return write


def _jsonld(cur: Curation, cache: bool) -> tuple[bytes, int]:
    """JSON-LD written from the emitter's triples (:mod:`kg.io.jsonld`), kept in the cache."""
    from kg.io.jsonld import jsonld_bytes

    return _kept(cur, cache, "json-ld", lambda: jsonld_bytes(cur))


def _kept(cur: Curation, cache: bool, name: str,
          make: Callable[[], tuple[bytes, int]]) -> tuple[bytes, int]:
    """``make()`` (the bytes of an export and their unit count), or both from the cache.

    With the cache on, both are kept under the curation's content key, so a second export
    of unchanged data in the same format is read back instead of made again.
    """
    if not cache:
        return make()
    from kg.io.cache import bytes_cached

    made: list[tuple[bytes, int]] = []

    def once() -> tuple[bytes, int]:
        if not made:
            made.append(make())
        return made[0]

    data = bytes_cached(cur, f"export.{name}", lambda: once()[0])
    count = bytes_cached(cur, f"export.{name}.count", lambda: str(once()[1]).encode())
    return data, int(count)


def _rdf_reader(rdf_format: str) -> Callable[[str | os.PathLike[str]], Any]:
    def read(path: str | os.PathLike[str]) -> Any:
        from rdflib import Graph

        return Graph().parse(str(path), format=rdf_format)

    return read


def _graphml(cur: Curation, cache: bool) -> tuple[bytes, int]:
    from kg.io.graphml import graphml_bytes

    def make() -> tuple[bytes, int]:
        data = graphml_bytes(cur)
        return data, data.count(b"<edge ")

    return _kept(cur, cache, "graphml", make)


def _read_graphml(path: str | os.PathLike[str]) -> Any:
    import networkx as nx

    return nx.read_graphml(str(path))


def _table_writer(name: str) -> FolderWriter:
    def write(cur: Curation, folder: Path, force: bool) -> list[Path]:
        from kg.io.tables import write_tables

        return write_tables(cur, name, folder, force=force)

    return write


#: The files of each table format, with the start of their header line (kept here, not in
#: :mod:`kg.io.tables`, so registering the formats imports none of the writers).
TABLE_FILES = {"kgx": (("nodes.tsv", "id\t"), ("edges.tsv", "id\t")),
               "neo4j": (("nodes.csv", "id:ID,"), ("relationships.csv", ":START_ID,"))}


def _register_shipped() -> None:
    register(FileFormat(name="turtle", signature="turtle", suffixes=(".ttl",),
                        write=_store_writer("turtle"), read=_rdf_reader("turtle"),
                        description="RDF Turtle", unit="triples", rdf_syntax="turtle"))
    register(FileFormat(name="nt", signature="nt", suffixes=(".nt",), write=_store_writer("nt"),
                        read=_rdf_reader("nt"), description="RDF N-Triples", unit="triples",
                        rdf_syntax="nt"))
    register(FileFormat(name="json-ld", signature="json-ld", suffixes=(".jsonld", ".json"),
                        write=_jsonld, read=_rdf_reader("json-ld"),
                        description="RDF JSON-LD", unit="triples", rdf_syntax="json-ld"))
    register(FileFormat(name="graphml", signature="graphml", suffixes=(".graphml",),
                        write=_graphml, read=_read_graphml,
                        description="GraphML (yEd, Gephi, Cytoscape)", unit="edges"))
    for name, description in (("kgx", "KGX TSV (nodes.tsv, edges.tsv)"),
                              ("neo4j", "Neo4j admin-import CSV")):
        register(FolderFormat(name=name, signature="tsv",
                              suffixes=tuple(Path(f).suffix for f, _ in TABLE_FILES[name][:1]),
                              write=_table_writer(name), description=description,
                              files=TABLE_FILES[name]))


_register_shipped()
