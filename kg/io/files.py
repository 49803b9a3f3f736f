"""Writing files: the bytes of the RDF syntaxes in canonical order, and the one write rule.

The formats themselves (names, suffixes, writers) are the registry of :mod:`kg.io.formats`;
here are the byte-level pieces its writers use and the rule every command writes by.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ExportError
from kg.graph.lines import sorted_lines

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "RDF_SYNTAXES", "RECORD", "atomic_write", "check_folder_target", "check_target", "digest",
    "file_digest", "graph_bytes", "read_record", "remember", "serialize_store", "staged_folder",
    "turtle_from_ntriples", "write_bytes", "write_output", "written_by_exokg",
]

#: The RDF syntaxes :func:`graph_bytes` writes (rdflib's names); the registry's RDF formats
#: name one each (:attr:`kg.io.formats.Format.rdf_syntax`).
RDF_SYNTAXES = ("turtle", "nt", "json-ld")


def _mode_for(target: Path) -> int:
    """Permissions for the new file: the old file's, else the usual 0666 less the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` so that a failure never leaves a half-written file.

    The bytes go to a temporary file in the same folder, which then replaces the target in
    one step; a file already at ``path`` stays as it was if anything fails.
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    _require_folder(target)
    tmp_name = None
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".tmp", delete=False) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, _mode_for(target))
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        if tmp_name is not None and os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return target


def _sorted_nt(nt: bytes, *, canonical: bool = False) -> bytes:
    """Canonical N-Triples (as Oxigraph writes them), one line per triple, sorted, unique.

    ``canonical`` says ``nt`` already comes from Oxigraph's writer (only sorting is left).
    """
    import pyoxigraph as ox

    canon = nt if canonical else ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES),
                                              format=ox.RdfFormat.N_TRIPLES) or b""
    return sorted_lines(canon.splitlines())


def _turtle_from_sorted(nt: bytes, prefixes: dict[str, str] | None = None) -> bytes:
    """Turtle written from sorted canonical N-Triples: triples grouped by subject, in order.

    ``prefixes`` default to the graph's (:data:`kg.graph.rdf.PREFIXES`). The N-Triples are
    read leniently (Oxigraph skips validating each IRI, a third of its time here): they are
    what Oxigraph itself wrote, or the emitter's own text, whose IRIs are checked as they are
    made and which the N-Triples export writes as it is.
    """
    import pyoxigraph as ox

    if prefixes is None:
        from kg.graph.rdf import PREFIXES

        prefixes = PREFIXES
    try:
        triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    except TypeError:  # a pyoxigraph without the argument
        triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
    out = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    lines = out.split(b"\n")
    head = 0
    while head < len(lines) and lines[head].startswith(b"@prefix "):
        head += 1
    return b"\n".join(sorted(lines[:head]) + lines[head:])  # prefix lines in a fixed order


def _ordered_json_ld(data: bytes) -> bytes:
    """JSON-LD with nodes sorted by ``@id``, keys sorted and every value array sorted.

    Value arrays of a JSON-LD node are unordered sets, so sorting them changes nothing;
    ``@list`` contents keep their order.
    """

    def order(value: Any, in_list: bool = False) -> Any:
        if isinstance(value, dict):
            return {k: order(v, k == "@list") for k, v in sorted(value.items())}
        if isinstance(value, list):
            items = [order(v) for v in value]
            if in_list:
                return items
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True,
                                                          ensure_ascii=False))
        return value

    doc = order(json.loads(data))
    return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def graph_bytes(graph: Graph, syntax: str) -> bytes:
    """An rdflib graph in one of :data:`RDF_SYNTAXES`, the same bytes on every run.

    N-Triples are canonical and sorted; Turtle is written from them (so it does not depend
    on how the graph was stored or on the hash seed, and equals :func:`serialize_store`'s);
    JSON-LD is sorted throughout (:func:`_ordered_json_ld`). Use
    :func:`kg.io.formats.serialize` to name a format of the registry instead.
    """
    if syntax not in RDF_SYNTAXES:
        raise ExportError(f"no RDF syntax '{syntax}' (known: {', '.join(RDF_SYNTAXES)})")
    if syntax in ("nt", "turtle"):
        nt = _sorted_nt(graph.serialize(format="nt", encoding="utf-8"))
        return nt if syntax == "nt" else _turtle_from_sorted(nt)
    context = {prefix: str(ns) for prefix, ns in graph.namespaces()
               if prefix in ("exo", "id", "claim", "ref", "trial", "report", "edge",
                             "attr", "skos", "dcterms", "prov", "rdfs", "biolink")}
    data: bytes = graph.serialize(format="json-ld", context=dict(sorted(context.items())),
                                  encoding="utf-8")
    return _ordered_json_ld(data)


def turtle_from_ntriples(nt: bytes, prefixes: dict[str, str] | None = None) -> bytes:
    """Turtle from sorted N-Triples (:func:`kg.graph.rdf.ntriples`, :func:`sorted_lines`)."""
    return _turtle_from_sorted(nt, prefixes)


def serialize_store(store: Any, fmt: str) -> bytes:
    """Serialize an Oxigraph store's default graph as Turtle or N-Triples (compiled code).

    The bytes equal :func:`serialize`'s for the same graph, whether the store was just built
    or read back from the cache (whose triple order differs).
    """
    import pyoxigraph as ox

    if fmt not in ("turtle", "nt"):
        raise ExportError(f"the Oxigraph path writes turtle or nt, not '{fmt}'")
    nt = _sorted_nt(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()),
                    canonical=True)
    return nt if fmt == "nt" else _turtle_from_sorted(nt)


#: The record, in each folder exokg writes into, of the files it wrote there: their names
#: (paths below the folder, for a site) and the SHA-256 of the bytes written. An existing file
#: is replaced without ``--force`` only when it is listed with the bytes it still holds.
RECORD = ".exokg-written"


def _require_folder(target: Path) -> None:
    folder = target.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ExportError(f"cannot write {target}: the folder {folder} {what} (create it "
                          "first)")


def digest(data: bytes) -> str:
    """The record's fingerprint of some bytes: ``sha256:`` and the hex digest.

    Examples
    --------
    >>> digest(b"")[:20]
    'sha256:e3b0c44298fc1'
    """
    import hashlib

    return "sha256:" + hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """:func:`digest` of a file's bytes, read in blocks."""
    import hashlib

    with path.open("rb") as handle:
        return "sha256:" + hashlib.file_digest(handle, "sha256").hexdigest()


def read_record(folder: Path) -> dict[str, str]:
    """The files exokg wrote into ``folder`` (name -> :func:`digest`); empty if none."""
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}


def written_by_exokg(path: Path, record: dict[str, str] | None = None) -> bool:
    """Whether exokg wrote the file at ``path`` and it still holds exactly those bytes.

    Decided by the folder's :data:`RECORD` (or ``record``, keyed by names relative to the
    folder it was read from), never by what the file looks like.
    """
    entry = (read_record(path.parent) if record is None else record).get(path.name)
    if not entry:
        return False
    try:
        return path.is_file() and file_digest(path) == entry
    except OSError:
        return False


def remember(folder: Path, written: dict[str, str]) -> None:
    """Add ``written`` (name -> :func:`digest`) to ``folder``'s :data:`RECORD`.

    The record is rewritten atomically under a lock on the folder (so two exokg processes
    writing into one folder keep both entries); entries of files no longer there are
    dropped. A record that cannot be written costs nothing but a ``--force`` next time.
    """
    try:
        lock = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except (ImportError, OSError):
            pass
        files = {name: value for name, value in read_record(folder).items()
                 if (folder / name).is_file()}
        files.update(written)
        body = {"written by": "exokg", "files": dict(sorted(files.items()))}
        text = json.dumps(body, indent=1, ensure_ascii=False) + "\n"
        try:
            atomic_write(folder / RECORD, text.encode("utf-8"))
        except ExportError:
            pass
    finally:
        os.close(lock)  # releases the lock


def check_folder_target(out: str | os.PathLike[str], what: str, *,
                        earlier: Callable[[Path], bool], force: bool = False) -> Path:
    """Check, before any work, that a folder of output (a site, a release) may go to ``out``.

    The parent folder must exist (it is never created); ``out`` may not be a file; an
    existing, non-empty folder is written only when ``earlier(folder)`` says it holds an
    earlier ``what`` of exokg's, or with ``force``.

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
        raise ExportError(f"cannot write a {what} to {target}: it is a file")
    if target.is_dir() and any(target.iterdir()) and not earlier(target) and not force:
        raise ExportError(f"{target} is not empty and is not an earlier {what}; use --force "
                          "to write into it")
    return target


@contextmanager
def staged_folder(root: Path, what: str) -> Iterator[Path]:
    """A new, empty folder beside ``root`` to write a folder of output into, then move in.

    The folder gets the permissions ``mkdir`` would give (not ``mkdtemp``'s private ones);
    whatever is left of it at the end is removed, so an error or Ctrl-C leaves no stray
    folder. A disk error inside the block becomes one :class:`~kg.errors.ExportError` that
    names ``what``, ``root`` and the file.
    """
    import shutil
    import tempfile

    stage: Path | None = None
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{root.name}.", dir=root.absolute().parent))
        umask = os.umask(0)
        os.umask(umask)
        stage.chmod(0o777 & ~umask)
        yield stage
    except OSError as exc:  # a full disk, a folder without write permission ...
        raise ExportError(f"cannot write the {what} to {root}: {exc.strerror or exc}"
                          f"{f' ({exc.filename})' if exc.filename else ''}; nothing was "
                          "changed there") from exc
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


def check_target(path: str | os.PathLike[str], kind: str, *, force: bool = False) -> Path:
    """Check, before any work, that output of ``kind`` may be written to ``path``.

    The rule for every command that writes: the folder must exist (it is never created);
    an existing file is replaced only when exokg wrote it and it was not changed since (the
    folder's :data:`RECORD` says so), when it is empty, or with ``force``. A device or pipe
    (``/dev/null``) is written into, never replaced.

    Raises
    ------
    ExportError
        Naming the missing folder, or the file that would be lost.
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    _require_folder(target)
    if force or not target.exists() or not target.is_file():
        return target
    try:
        empty = target.stat().st_size == 0
    except OSError:
        empty = False
    if not empty and not written_by_exokg(target):
        raise ExportError(f"{target} exists and is not a file exokg wrote (or it was changed "
                          f"since), so it is kept; use --force to overwrite it with {kind} "
                          "output")
    return target


def write_output(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write an output file atomically (:func:`atomic_write`) and record it as exokg's.

    A device or pipe (``/dev/null``, a FIFO) is written into as it is, not replaced.
    """
    target = Path(path)
    if target.exists() and not target.is_file() and not target.is_dir():
        try:
            with target.open("wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
        return target
    atomic_write(target, data)
    remember(target.parent, {target.name: digest(data)})
    return target


def write_bytes(data: bytes, output: str | os.PathLike[str]) -> Path | None:
    """Write to ``output`` atomically, or to standard output for ``-``."""
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return None
    return write_output(output, data)
