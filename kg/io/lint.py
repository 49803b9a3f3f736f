"""Canonical form of the curated files: sorted rows, trimmed cells, LF endings.

``exokg lint`` lists files that are not in canonical form; ``exokg lint --fix`` rewrites
them. Content is never changed: only row order, surrounding white space and line endings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.data.curation import COLUMNS
from kg.data.model import Problem
from kg.data.tsv import Row, format_table, read_table
from kg.io.files import atomic_write

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
    ("reviews.tsv", "reviews", _by("key")),
    ("ambiguous.tsv", "ambiguous", _by("term")),
    ("unmapped.tsv", "unmapped", _by("entity")),
    ("entities", "entities", _by("id")),
    ("synonyms", "synonyms", _by("entity", "synonym")),
    ("xrefs", "xrefs", _by("entity", "xref")),
    ("references", "references", _by("number")),
    ("claims", "claims", _by("id")),
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


def lint(root: Path, *, fix: bool = False) -> LintResult:
    """Check (and with ``fix``, rewrite) every curated file into canonical form."""
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
            rows = sorted(table.rows, key=key)
            text = format_table(table.header, [[r[c] for c in table.header] for r in rows],
                                table.comments)
            if file.read_bytes() != text.encode("utf-8"):
                unformatted.append(display)
                if fix:
                    atomic_write(file, text.encode("utf-8"))
                    fixed.append(display)
    return LintResult(unformatted, fixed, problems)
