"""Sorted, de-duplicated lines: the canonical order of every N-Triples export.

The graph layer writes its N-Triples in this order (:func:`kg.graph.rdf.ntriples`), and the
writers of :mod:`kg.io.files` put any other serialisation's lines in it.
"""

from __future__ import annotations

__all__ = ["sorted_lines"]


def sorted_lines(lines: list[bytes]) -> bytes:
    r"""Lines sorted, each once, none empty, each ending in a newline.

    ``lines`` is sorted in place: no second list or set of a million lines is made.

    Examples
    --------
    >>> sorted_lines([b"b", b"a", b"", b"b"])
    b'a\nb\n'
    """
    lines.sort()
    out = bytearray()
    previous = None
    for line in lines:
        if line and line != previous:
            out += line
            out += b"\n"
        previous = line
    return bytes(out)
