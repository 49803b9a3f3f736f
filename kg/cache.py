"""A content-hash cache of the loaded curation and of the built Oxigraph store.

Repeated CLI calls on the same folder then skip validation and the RDF build: the key is a
BLAKE2 hash of every file's path and bytes (so any edit, anywhere in the folder, makes a new
key), the curation is pickled and the store is an on-disk Oxigraph database. The cache lives
in ``$EXOKG_CACHE``, else ``$XDG_CACHE_HOME/exokg``, else ``~/.cache/exokg``; ``--no-cache``
(or ``EXOKG_CACHE=off``) turns it off. A cache that cannot be written is skipped silently:
it only ever saves time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

from kg.model import Curation

#: Bump when the pickled layout of :class:`~kg.model.Curation` changes.
FORMAT = "1"


def cache_dir() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    env = os.environ.get("EXOKG_CACHE")
    if env is not None:
        return None if env.lower() in ("", "0", "off", "no") else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "exokg"


def content_hash(root: Path) -> str:
    """BLAKE2 hash of every file under ``root`` (relative path and bytes), in sorted order."""
    from kg import __version__

    digest = hashlib.blake2b(f"exokg {__version__} {FORMAT}".encode(), digest_size=20)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\1")
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
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
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
    if (folder / "complete").is_file():
        try:
            return ox.Store.read_only(str(folder))
        except OSError:
            pass
    store = build(cur)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent))
        disk = ox.Store(str(tmp / "db"))
        disk.bulk_extend(store)
        disk.flush()
        del disk
        (tmp / "db" / "complete").write_text("ok\n", encoding="utf-8")
        folder.parent.mkdir(parents=True, exist_ok=True)
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp / "db", folder)
        shutil.rmtree(tmp, ignore_errors=True)
    except OSError:
        pass
    return store


def bytes_cached(cur: Curation, name: str, make: Any) -> bytes:
    """``make()`` (bytes, e.g. a serialization), or the copy kept for this folder."""
    base = cache_dir()
    if base is None:
        data: bytes = make()
        return data
    key = cur.cache_key or content_hash(Path(cur.root))
    entry = base / key / name
    try:
        return entry.read_bytes()
    except OSError:
        pass
    fresh: bytes = make()
    _write_atomically(entry, lambda f: f.write(fresh))
    return fresh


def _without_derived(cur: Curation) -> Curation:
    from dataclasses import replace

    return replace(cur, _derived={})


def _write_atomically(path: Path, write: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            write(tmp)
        os.replace(tmp.name, path)
    except OSError:
        pass
