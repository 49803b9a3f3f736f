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


def sorted_text(lines: list[str]) -> bytes:
    r"""Text lines (each ending in a newline) sorted, each once, joined as UTF-8.

    ``lines`` is sorted in place. Code point order is the byte order of their UTF-8, so the
    text equals :func:`sorted_lines` of the encoded lines when no line holds a character
    below the newline (the N-Triples emitter's text, whose control characters send it
    another way). The lines are joined and encoded a thousand at a time: one string of all
    of them would be two or four bytes a character as soon as one line holds a character
    past Latin-1, twice as slow and up to four times the memory.

    Examples
    --------
    >>> sorted_text(["b .\n", "a .\n", "b .\n", "\u03ba .\n"])
    b'a .\nb .\n\xce\xba .\n'
    """
    lines.sort()
    if any(map(eq, lines, islice(lines, 1, None))):
        lines[:] = [line for line, _ in groupby(lines)]
    step = _CHUNK
    return b"".join("".join(lines[i:i + step]).encode("utf-8")
                    for i in range(0, len(lines), step))


_CHUNK = 1024
