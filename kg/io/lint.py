"""Canonical form of the curated files: sorted rows, trimmed cells, LF endings.

``exokg lint`` lists files that are not in canonical form; ``exokg lint --fix`` rewrites
them. Content is never changed: only row order, white space around cells, blank lines
(dropped), a byte-order mark (dropped) and line endings (LF). A comment line (``#`` ...)
belongs to the line after it and moves with that row when the rows are sorted; comments
above the header stay at the top, comments after the last row stay at the end. A file
with a line that cannot be read is never rewritten.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.data.loading import COLUMNS
from kg.data.tsv import Row, Table, read_table
from kg.errors import Problem
from kg.io.files import atomic_write

__all__ = ["LAYOUT", "LintResult", "canonical_text", "lint", "natural_key"]

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[object, ...]:
    """Sort key that orders ``t1-9`` before ``t1-10``.

    Examples
    --------
    >>> sorted(["a-10", "a-9", "a-9b"], key=natural_key)
    ['a-9', 'a-9b', 'a-10']
    """
    return tuple(int(p) if p.isdigit() else p.casefold() for p in _DIGITS.split(text))


def _by(*columns: str) -> Callable[[Row], tuple[object, ...]]:
    return lambda row: tuple(natural_key(row[c]) for c in columns)


#: (folder or file, kind, sort key) of every curated file kind.
LAYOUT: list[tuple[str, str, Callable[[Row], tuple[object, ...]]]] = [
    ("schema/types.tsv", "types", lambda row: (row.line,)),  # order chosen by hand
    ("schema/predicates.tsv", "predicates", lambda row: (row.line,)),
    ("schema/prefixes.tsv", "prefixes", _by("prefix")),
    ("schema/parents.tsv", "parents", lambda row: (row.line,)),
    ("reviews.tsv", "reviews", _by("key")),
    ("ambiguous.tsv", "ambiguous", _by("term")),
    ("unmapped.tsv", "unmapped", _by("entity")),
    ("entities", "entities", _by("id")),
    ("synonyms", "synonyms", _by("entity", "synonym")),
    ("xrefs", "xrefs", _by("entity", "xref")),
    ("references", "references", _by("number")),
    ("identifiers.tsv", "identifiers", _by("key")),
    ("claims", "claims", _by("id")),
    ("checks.tsv", "checks", _by("claim")),
    ("trials", "trials", _by("id")),
    ("attributes", "attributes", _by("entity", "attribute", "value")),
]


@dataclass(frozen=True)
class LintResult:
    """Files not in canonical form, files rewritten, and files that could not be read."""

    unformatted: list[str]
    fixed: list[str]
    problems: list[Problem]


def _files(root: Path, entry: str) -> list[Path]:
    path = root / entry
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix == ".tsv" and p.is_file())
    return []


def _comments_by_line(data: bytes) -> tuple[list[str], dict[int, list[str]], list[str]]:
    r"""The comment lines of a file, by the line they stand above.

    Lines are read as :func:`kg.data.tsv.read_table` reads them (blank lines skipped, a
    trailing CR and a byte-order mark removed). Returns the comments above the header, the
    comments above each data line (by its line number), and those after the last line.

    Examples
    --------
    >>> _comments_by_line(b"# about\nid\n\n# b's note\nb\na\n# end\n")
    (['# about'], {5: ["# b's note"]}, ['# end'])
    """
    head: list[str] | None = None
    above: dict[int, list[str]] = {}
    pending: list[str] = []
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        text = raw.removesuffix(b"\r").decode("utf-8").removeprefix("\ufeff")
        if not text.strip():
            continue
        if text.startswith("#"):
            pending.append(text)
            continue
        if head is None:
            head = pending
        elif pending:
            above[number] = pending
        pending = []
    return head or [], above, pending


def canonical_text(table: Table, data: bytes,
                   key: Callable[[Row], tuple[object, ...]]) -> str:
    """The canonical form of a file read as ``table`` from its bytes ``data``.

    Rows sorted by ``key``, each with the comment lines that stood above it; the comments
    above the header first and those after the last row last.
    """
    head, above, trailing = _comments_by_line(data)
    lines = [*head, "\t".join(table.header)]
    for row in sorted(table.rows, key=key):
        lines.extend(above.get(row.line, []))
        lines.append("\t".join(row[c] for c in table.header))
    lines.extend(trailing)
    return "\n".join(lines) + "\n"


def lint(root: Path, *, fix: bool = False) -> LintResult:
    """Check (and with ``fix``, rewrite) every curated file into canonical form.

    A file with a problem (a line that cannot be read, a wrong header) is reported in
    ``problems`` and left as it is, even with ``fix``: rewriting it would drop the lines
    that could not be read.
    """
    unformatted: list[str] = []
    fixed: list[str] = []
    problems: list[Problem] = []
    for entry, kind, key in LAYOUT:
        required, optional = COLUMNS[kind]
        for file in _files(root, entry):
            display = os.path.relpath(file)
            before = len(problems)
            table = read_table(file, display, required, optional, problems)
            if table is None or len(problems) > before:
                continue  # a file with broken lines is never rewritten
            data = file.read_bytes()
            text = canonical_text(table, data, key)
            if data != text.encode("utf-8"):
                unformatted.append(display)
                if fix:
                    atomic_write(file, text.encode("utf-8"))
                    fixed.append(display)
    return LintResult(unformatted, fixed, problems)
