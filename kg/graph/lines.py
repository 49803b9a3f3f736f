"""Sorted, de-duplicated lines: the canonical order of every N-Triples export.

The graph layer writes its N-Triples in this order (:func:`kg.graph.rdf.ntriples`), and the
writers of :mod:`kg.io.files` put any other serialisation's lines in it.
"""

from __future__ import annotations

from itertools import islice
from operator import eq


def sorted_lines(lines: list[bytes]) -> bytes:
    r"""Lines sorted, each once, none empty, each ending in a newline.

    ``lines`` is sorted in place: no second list or set of a million lines is made. Lines
    that need no de-duplication (no two alike, checked pairwise in C) are joined at once.

    Examples
    --------
    >>> sorted_lines([b"b", b"a", b"", b"b"])
    b'a\nb\n'
    >>> sorted_lines([b"c", b"a", b"b"]), sorted_lines([])
    (b'a\nb\nc\n', b'')
    """
    lines.sort()
    if lines and lines[0] and not any(map(eq, lines, islice(lines, 1, None))):
        return b"\n".join(lines) + b"\n"  # no empty line, none twice: joined in C
    out = bytearray()
    previous = None
    for line in lines:
        if line and line != previous:
            out += line
            out += b"\n"
        previous = line
    return bytes(out)
