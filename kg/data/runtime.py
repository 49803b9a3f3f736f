"""Process-level helpers shared by the layers above: pausing the cyclic garbage collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (then restore it as it was).

    For work that makes millions of short-lived objects and no reference cycles (emitting
    N-Triples, a path search, unpickling the cache): the collector would only rescan the
    large loaded graph again and again.

    Examples
    --------
    >>> with no_cyclic_gc():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


__all__ = ["no_cyclic_gc"]
