"""A content-hash cache of the loaded curation and of the built Oxigraph store.

Repeated CLI calls on the same folder then skip validation and the RDF build: the key is a
BLAKE2 hash of every file's path and bytes in the data folder, of every file's path and
status (size, modification and change times, inode: any write changes it) in the installed
``kg`` package, plus the Python version and the versions of the libraries that shape the
output (rdflib, pyoxigraph, networkx, igraph) — so an edit of the data or of the program,
or a library upgrade, makes a new key. The curation is pickled with its edges (so a warm
call does not derive them again) and the store is an on-disk Oxigraph database, bulk-loaded
in place (never built in memory and then copied). Entries are written to a temporary name
and renamed into place, so a reader sees a whole entry or none; an entry that cannot be
read (truncated, damaged, written by another program) is rebuilt; two processes filling one
entry each get a right answer and the first complete entry stays. The command line writes
its new entries after its command is done, in a process of its own (:func:`write_after_exit`),
and a call that finds an entry being written waits for it. The cache lives in
``$EXOKG_CACHE``, else ``$XDG_CACHE_HOME/exokg``, else ``~/.cache/exokg``; ``--no-cache``
(or ``EXOKG_CACHE=off``) turns it off. A cache that cannot be written is skipped silently:
it only ever saves time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.data.model import Curation
from kg.data.runtime import no_cyclic_gc
from kg.errors import KGError

__all__ = [
    "FORMAT", "LIBRARIES", "WRITING", "bytes_cached", "cache_dir", "content_hash", "load_cached",
    "program_fingerprint", "store_cached", "store_for", "write_after_exit", "write_pending_now",
]

#: Bump when the layout of cache entries changes.
FORMAT = "5"


def cache_dir() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    env = os.environ.get("EXOKG_CACHE")
    if env is not None:
        return None if env.lower() in ("", "0", "off", "no") else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "exokg"


#: Libraries whose version changes what the cached objects hold or how they read back.
LIBRARIES = ("rdflib", "pyoxigraph", "networkx", "igraph")


def _hash_tree(digest: Any, root: Path) -> None:
    for path in sorted(p for p in root.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\1")


def _stat_tree(digest: Any, root: Path) -> None:
    """Add each file under ``root`` (but ``__pycache__``) by its path and status to ``digest``.

    The status is the size, the modification and change times and the inode: writing a
    file, or putting another in its place, always sets a new change time (no program can
    set it back), so a changed file is never taken for the old one, without reading it.
    """
    found: list[tuple[str, os.stat_result]] = []
    folders = [root]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append(Path(entry.path))
                elif entry.is_file():
                    found.append((os.path.relpath(entry.path, root), entry.stat()))
    for name, st in sorted(found):
        digest.update(f"{name}\0{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} "
                      f"{st.st_ino}\1".encode("utf-8", "surrogateescape"))


@functools.cache
def program_fingerprint() -> str:
    """Hash of the ``kg`` package's files, the Python version and the library versions.

    The package's files count by their path and status (:func:`_stat_tree`: any write of
    one changes it), not their bytes, which would cost every call the time to read them.
    Library versions are read from the names of their installed ``*.dist-info`` folders
    (found next to each package without importing it), which is far cheaper than
    :mod:`importlib.metadata`.
    """
    import importlib.util
    import sys

    import kg

    digest = hashlib.blake2b(f"{FORMAT} {sys.version}".encode(), digest_size=20)
    _stat_tree(digest, Path(kg.__file__).parent)
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            digest.update(f"{name}: absent\n".encode())
            continue
        site = Path(origin).parent.parent if spec and spec.submodule_search_locations \
            else Path(origin).parent
        stem = name.replace("-", "_").lower()
        infos = sorted(p.name for p in site.glob("*.dist-info")
                       if p.name.lower().replace("-", "_").startswith(
                           (stem + "-", "python_" + stem + "-")))
        digest.update(f"{name}: {origin} {infos}\n".encode())
    return digest.hexdigest()


def content_hash(root: Path) -> str:
    """Cache key of a data folder: its files (path and bytes) and the program's fingerprint."""
    digest = hashlib.blake2b(program_fingerprint().encode(), digest_size=20)
    _hash_tree(digest, root)
    return digest.hexdigest()


class _EntryShelf:
    """The values a cache entry keeps for the index of its curation (:class:`kg.data.index.Shelf`).

    ``kept`` are the values pickled with the curation (those whose :class:`Derived` key says
    ``on_disk``: the edges). A value with arguments whose :class:`DerivedFor` key says
    ``on_disk`` (a ranking, for its arguments) is kept in a file of its own beside the
    entry, written (atomically) when a command first computes it: a warm ``exokg rank``
    reads its answer instead of importing igraph and ranking again. The index asks the
    shelf only while the records are those loaded (``stamp``), so a value computed from
    records changed in this process stays in memory.
    """

    def __init__(self, folder: Path, stamp: int, kept: dict[str, Any]) -> None:
        self.folder = folder
        self.stamp = stamp
        self.kept = kept

    def _file(self, name: str) -> Path:
        digest = hashlib.blake2b(name.encode("utf-8"), digest_size=12).hexdigest()
        return self.folder / f"derived-{digest}.pickle"

    def read(self, name: str) -> Any:
        """The value kept under ``name``; KeyError when absent or unreadable."""
        if not self._file(name).exists():
            _wait_for_writer(self.folder)
        try:
            with self._file(name).open("rb") as handle:
                kept_name, value = pickle.load(handle)
        except Exception:  # absent or unreadable: computed again (and written again)
            raise KeyError(name) from None
        if kept_name != name:
            raise KeyError(name)
        return value

    def write(self, name: str, value: Any) -> None:
        """Keep ``value`` under ``name`` (atomically; skipped when the cache cannot be written)."""
        _write_atomically(self._file(name), lambda f: pickle.dump(
            (name, value), f, protocol=pickle.HIGHEST_PROTOCOL))


def load_cached(root: Path, load: Any) -> Curation:
    """``load(root)``, or the pickled curation of an identical folder.

    The entry also keeps the values of the curation's index whose key says ``on_disk`` (the
    edges, which every query and view starts from), computed once when the entry is
    written, and, in files of their own, the rankings computed since (see
    :class:`_EntryShelf`); and the working directory its file paths are shown from: read
    from another directory, the paths are re-rooted (:func:`kg.data.loading.relocate`), so a
    ``file:line`` names the same file from anywhere and the RDF files of ``extra/`` still open.
    """
    base = cache_dir()
    if base is None:
        result: Curation = load(root)
        return result
    key = content_hash(root)
    entry = base / key / "curation.pickle"
    found = _read_curation(entry)
    if found is None and _wait_for_writer(entry.parent):
        found = _read_curation(entry)
    if found is not None:
        cur, kept = found
        cur.root = str(root)
        cur.cache_key = key
        cur.index.shelf = _EntryShelf(entry.parent, cur.fingerprint(), kept)
        return cur
    fresh: Curation = load(root)
    stamp = fresh.fingerprint()
    origin = _working_dir()  # the paths of its messages are shown from here

    def write(f: Any) -> None:
        if fresh.fingerprint() != stamp:  # changed in this process since: not the folder's
            raise ValueError("records changed")
        pickle.dump((*_with_kept(fresh), origin), f, protocol=pickle.HIGHEST_PROTOCOL)

    _write_atomically(entry, write)
    fresh.cache_key = key
    fresh.index.shelf = _EntryShelf(entry.parent, stamp, {})
    return fresh


def _read_curation(entry: Path) -> tuple[Curation, dict[str, Any]] | None:
    """The curation pickled in ``entry`` and its kept index values (by name), or None."""
    import gc

    with no_cyclic_gc():  # unpickling makes many objects and no cycles worth collecting
        try:
            with entry.open("rb") as handle:
                cur, kept, origin = pickle.load(handle)
        except Exception:  # any unreadable entry is rebuilt, never an error
            return None
        if not isinstance(cur, Curation) or not isinstance(kept, dict) \
                or not isinstance(origin, str):
            return None
        here = _working_dir()
        if origin and here and origin != here:  # filled from another directory
            from kg.data.loading import relocate

            relocate(cur, origin)
        # the records live as long as the process and hold no cycles: moved out of the
        # collector's generations, the first collection after this does not walk the
        # half million objects just made (0.5 s at 1M triples)
        gc.freeze()
    return cur, kept


def _working_dir() -> str:
    """The working directory, or "" when it is gone."""
    try:
        return os.getcwd()
    except OSError:
        return ""


def _with_kept(cur: Curation) -> tuple[Curation, dict[str, Any]]:
    """The curation (its index pickles empty) and its kept index values, the edges computed now."""
    from kg.graph.edges import edges

    edges(cur)  # computed now if not yet
    return cur, cur.index.kept(cur)


def store_cached(cur: Curation, build: Any = None) -> Any:
    """The Oxigraph store of ``cur``: an on-disk copy built earlier for this folder, or a new one.

    A new store is bulk-loaded straight into the cache folder (:func:`kg.graph.rdf.fill_store`)
    and opened read-only once complete, so a first call never holds an in-memory store and
    its on-disk copy together. After :func:`write_after_exit` (the command line) a first call
    answers from a store built in memory instead (a third of the time of a database on disk
    for the curated data) and the on-disk copy is written when the command is done. ``build``
    (``build(cur)`` -> a store) is the old way in: the store it returns is copied to disk.
    When the cache cannot be written the store is built in memory.
    """
    base = cache_dir()
    key = (cur.cache_key or content_hash(Path(cur.root))) if base is not None else ""
    if base is None or not key:
        return build(cur) if build is not None else _in_memory(cur)
    folder = base / key / "oxigraph"
    disk = _read_store(folder)
    if disk is None and _wait_for_writer(folder.parent):
        disk = _read_store(folder)
    if disk is not None:
        return disk
    if _LATER is not None and build is None:
        shelf = cur.index.shelf
        stamp = shelf.stamp if shelf is not None else None

        def write() -> None:
            if stamp is not None and cur.fingerprint() == stamp:  # the records as loaded
                _store_entry(folder, cur, None)

        _LATER.append((folder.parent, write))
        return _in_memory(cur)
    _store_entry(folder, cur, build)
    disk = _read_store(folder)
    if disk is not None:
        return disk
    return build(cur) if build is not None else _in_memory(cur)


def _store_entry(folder: Path, cur: Curation, build: Any) -> None:
    """Write the on-disk store of ``cur`` as the entry ``folder`` (whole, or not at all)."""
    import shutil
    import tempfile

    damaged = folder.exists()  # there, but not readable as a whole entry
    tmp: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent))
        size = _write_store(tmp / "db", cur, build)
        (tmp / "db" / "complete").write_text(f"{size}\n", encoding="ascii")
        if damaged:
            shutil.rmtree(folder, ignore_errors=True)
        os.rename(tmp / "db", folder)  # fails if another process put a whole entry first
    except KGError:
        raise
    except Exception:  # the cache only ever saves time
        pass
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _in_memory(cur: Curation) -> Any:
    from kg.graph.rdf import build_store

    return build_store(cur)


def _write_store(path: Path, cur: Curation, build: Any) -> int:
    """Write the store of ``cur`` to a new database at ``path``; its number of triples."""
    import pyoxigraph as ox

    disk = ox.Store(str(path))
    if build is None:
        from kg.graph.rdf import fill_store

        fill_store(disk, cur)
    else:
        disk.bulk_extend(build(cur))
    disk.flush()
    size = len(disk)
    del disk  # closed before the folder is renamed
    return size


def _read_store(folder: Path) -> Any:
    """The complete on-disk store in ``folder`` (read-only), or None."""
    import pyoxigraph as ox

    try:
        expected = int((folder / "complete").read_text(encoding="ascii").split()[0])
        disk = ox.Store.read_only(str(folder))
        if len(disk) == expected:
            return disk
        del disk
    except Exception:  # absent or damaged: rebuilt by the caller
        pass
    return None


def store_for(cur: Curation, *, cache: bool = True) -> Any:
    """The Oxigraph store of ``cur``: from the cache when allowed and the folder is unchanged.

    A curation that did not come through :func:`load_cached` (a subgraph, a curation built
    in memory) is always built afresh, never answered from a folder's entry. Reading a
    cached store imports neither rdflib nor the RDF builder.
    """
    if cache and cur.cache_key:
        return store_cached(cur)
    return _in_memory(cur)


def bytes_cached(cur: Curation, name: str, make: Any) -> bytes:
    """``make()`` (bytes, e.g. a serialization), or the copy kept for this folder."""
    base = cache_dir()
    if base is None:
        data: bytes = make()
        return data
    key = cur.cache_key or content_hash(Path(cur.root))
    entry = base / key / name
    for attempt in range(2):
        try:
            blob = entry.read_bytes()
            size, _, data = blob.partition(b"\n")
            if size.isdigit() and int(size) == len(data):
                return data
        except OSError:
            pass
        if attempt or not _wait_for_writer(entry.parent):
            break
    fresh: bytes = make()
    _write_atomically(entry, lambda f: f.write(b"%d\n" % len(fresh) + fresh))
    return fresh


def _write_atomically(path: Path, write: Any) -> None:
    """Write an entry through a temporary name renamed into place: whole, or not at all.

    After :func:`write_after_exit`, the write waits until the process ends (see there).
    """
    if _LATER is not None:
        _LATER.append((path.parent, lambda: _write_now(path, write)))
        return
    _write_now(path, write)


def _write_now(path: Path, write: Any) -> None:
    import tempfile

    name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            name = tmp.name
            write(tmp)
        os.replace(name, path)
        name = None
    except Exception:  # the cache only ever saves time
        pass
    finally:
        if name is not None:
            with contextlib.suppress(OSError):
                os.unlink(name)


#: Entries to write when the process ends, each as (its folder, the write), or None: written
#: at once. See :func:`write_after_exit`.
_LATER: list[tuple[Path, Callable[[], None]]] | None = None
#: The lock file, in an entry's folder, that a writer of that folder holds.
WRITING = ".writing"


def write_after_exit() -> None:
    """Write this process's new cache entries after its command is done, not before.

    The command line calls this: a first call after an edit then writes its output (a file,
    the answer) without first pickling the curation (about 0.6 s at 1M triples) or copying
    an export into the cache. When the process ends, the entries are written by a child
    process of their own, so the command returns at once: the child holds a lock on each
    entry folder it writes (``.writing``, taken before the command's process ends), and a
    later call that finds an entry missing waits for that lock instead of building the
    entry again. Entries are written atomically as always: a reader sees a whole entry or
    none. Where a child cannot be forked safely (not Linux, or other threads running) the
    entries are written in this process as it ends.
    """
    global _LATER
    if _LATER is None:
        import atexit

        _LATER = []
        atexit.register(_write_pending)


def write_pending_now() -> None:
    """Write the entries kept back so far now, and any later ones at once.

    For a command that runs on (``exokg serve``): its entries are there for other calls
    while it runs, and its store is read from disk rather than held in memory.
    """
    _write_pending()


def _write_pending() -> None:
    """Write the entries :func:`write_after_exit` kept back (at the end of the process)."""
    import sys
    import threading

    global _LATER
    pending, _LATER = _LATER or [], None
    if not pending:
        return
    for stream in (sys.stdout, sys.stderr):  # the command's output is out before the wait
        with contextlib.suppress(Exception):
            stream.flush()
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        for _, write in pending:
            write()
        return
    locks = []
    try:
        import fcntl

        for folder in sorted({folder for folder, _ in pending}):
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(folder / WRITING, os.O_RDWR | os.O_CREAT, 0o644)
            locks.append(fd)
            fcntl.flock(fd, fcntl.LOCK_EX)  # shared with the child, released when it ends
        pid = os.fork()
    except Exception:  # no lock, no fork: written here
        for fd in locks:
            os.close(fd)
        for _, write in pending:
            write()
        return
    if pid:  # this process: done; the lock stays held by the child until it ends
        for fd in locks:
            os.close(fd)
        return
    try:  # the child: out of the terminal's session and its pipes, then the entries
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        for _, write in pending:
            with contextlib.suppress(Exception):
                write()
    finally:
        os._exit(0)


def _wait_for_writer(folder: Path) -> bool:
    """Wait while another process writes entries into ``folder``.

    True when a writer was ever there (so an entry missing a moment ago may be there now
    and is worth reading again), False when none was.
    """
    try:
        import fcntl

        fd = os.open(folder / WRITING, os.O_RDONLY)
    except (ImportError, OSError):  # no writer was ever there
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # at once when free, else when the writer ends
    except OSError:
        pass
    finally:
        os.close(fd)
    return True
