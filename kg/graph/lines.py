"""Sorted, de-duplicated lines: the canonical order of every N-Triples export.

The graph layer writes its N-Triples in this order (:func:`kg.graph.rdf.ntriples`), and the
writers of :mod:`kg.io.files` put any other serialisation's lines in it.
"""

from __future__ import annotations

from itertools import groupby, islice
from operator import eq

__all__ = ["sorted_lines", "sorted_text"]


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


def sorted_text(lines: list[str]) -> str:
    r"""Text lines (each ending in a newline) sorted, each once, joined.

    ``lines`` is sorted in place. Code point order is the byte order of their UTF-8, so the
    encoded text equals :func:`sorted_lines` of the encoded lines when no line holds a
    character below the newline (the N-Triples emitter's text, whose control characters
    send it another way).

    Examples
    --------
    >>> sorted_text(["b .\n", "a .\n", "b .\n"])
    'a .\nb .\n'
    """
    lines.sort()
    if not any(map(eq, lines, islice(lines, 1, None))):
        return "".join(lines)
    return "".join(line for line, _ in groupby(lines))
