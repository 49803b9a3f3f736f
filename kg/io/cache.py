"""A content-hash cache of the loaded curation and of the built Oxigraph store.

Repeated CLI calls on the same folder then skip validation and the RDF build: the key is a
BLAKE2 hash of every file's path and bytes in the data folder *and* in the installed ``kg``
package, plus the Python version and the versions of the libraries that shape the output
(rdflib, pyoxigraph, networkx, curies, igraph) — so an edit of the data or of the program,
or a library upgrade, makes a new key. The curation is pickled and the store is an on-disk
Oxigraph database. Entries are written to a temporary name and renamed into place, so a
reader sees a whole entry or none; an entry that cannot be read (truncated, damaged, written
by another program) is rebuilt; two processes filling one entry each get a right answer and
the first complete entry stays. The cache lives
in ``$EXOKG_CACHE``, else ``$XDG_CACHE_HOME/exokg``, else ``~/.cache/exokg``; ``--no-cache``
(or ``EXOKG_CACHE=off``) turns it off. A cache that cannot be written is skipped silently:
it only ever saves time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

from kg.data.model import Curation

#: Bump when the layout of cache entries changes.
FORMAT = "2"


def cache_dir() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    env = os.environ.get("EXOKG_CACHE")
    if env is not None:
        return None if env.lower() in ("", "0", "off", "no") else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "exokg"


#: Libraries whose version changes what the cached objects hold or how they read back.
LIBRARIES = ("rdflib", "pyoxigraph", "networkx", "curies", "igraph")


def _hash_tree(digest: Any, root: Path) -> None:
    for path in sorted(p for p in root.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\1")


@functools.cache
def program_fingerprint() -> str:
    """Hash of the ``kg`` package's files, the Python version and the library versions.

    Library versions are read from the names of their installed ``*.dist-info`` folders
    (found next to each package without importing it), which is far cheaper than
    :mod:`importlib.metadata`.
    """
    import importlib.util
    import sys

    import kg

    digest = hashlib.blake2b(f"{FORMAT} {sys.version}".encode(), digest_size=20)
    _hash_tree(digest, Path(kg.__file__).parent)
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


def load_cached(root: Path, load: Any) -> Curation:
    """``load(root)``, or the pickled curation of an identical folder."""
    base = cache_dir()
    if base is None:
        result: Curation = load(root)
        return result
    key = content_hash(root)
    entry = base / key / "curation.pickle"
    try:
        with entry.open("rb") as handle:
            cur = pickle.load(handle)
        if isinstance(cur, Curation):
            cur.root = str(root)
            cur._derived = {}
            cur.cache_key = key
            return cur
    except Exception:  # any unreadable entry is rebuilt, never an error
        pass
    fresh: Curation = load(root)
    _write_atomically(entry, lambda f: pickle.dump(_without_derived(fresh), f,
                                                   protocol=pickle.HIGHEST_PROTOCOL))
    fresh.cache_key = key
    return fresh


def store_cached(cur: Curation, build: Any) -> Any:
    """``build(cur)`` (an Oxigraph store), or an on-disk copy built earlier for this folder."""
    import pyoxigraph as ox

    base = cache_dir()
    if base is None:
        return build(cur)
    key = cur.cache_key or content_hash(Path(cur.root))
    if not key:
        return build(cur)
    folder = base / key / "oxigraph"
    marker = folder / "complete"
    try:
        expected = int(marker.read_text(encoding="ascii").split()[0])
        disk = ox.Store.read_only(str(folder))
        if len(disk) == expected:
            return disk
        del disk
    except Exception:  # absent or damaged: rebuild below
        pass
    store = build(cur)
    tmp: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent))
        disk = ox.Store(str(tmp / "db"))
        disk.bulk_extend(store)
        disk.flush()
        del disk
        (tmp / "db" / "complete").write_text(f"{len(store)}\n", encoding="ascii")
        if folder.exists() and not (folder / "complete").is_file():
            shutil.rmtree(folder, ignore_errors=True)  # a damaged entry: replace it
        os.rename(tmp / "db", folder)  # fails if another process put a whole entry first
    except Exception:  # the cache only ever saves time
        pass
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return store


def store_for(cur: Curation, *, cache: bool = True) -> Any:
    """The Oxigraph store of ``cur``: from the cache when allowed and the folder is unchanged.

    A curation that did not come through :func:`load_cached` (a subgraph, a curation built
    in memory) is always built afresh, never answered from a folder's entry.
    """
    from kg.graph.rdf import build_store

    if cache and cur.cache_key:
        return store_cached(cur, build_store)
    return build_store(cur)


def bytes_cached(cur: Curation, name: str, make: Any) -> bytes:
    """``make()`` (bytes, e.g. a serialization), or the copy kept for this folder."""
    base = cache_dir()
    if base is None:
        data: bytes = make()
        return data
    key = cur.cache_key or content_hash(Path(cur.root))
    entry = base / key / name
    try:
        blob = entry.read_bytes()
        size, _, data = blob.partition(b"\n")
        if size.isdigit() and int(size) == len(data):
            return data
    except OSError:
        pass
    fresh: bytes = make()
    _write_atomically(entry, lambda f: f.write(b"%d\n" % len(fresh) + fresh))
    return fresh


def _without_derived(cur: Curation) -> Curation:
    from dataclasses import replace

    return replace(cur, _derived={})


def _write_atomically(path: Path, write: Any) -> None:
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
