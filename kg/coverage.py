"""What is curated and what is left: a curator's progress report (``exokg coverage``)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from kg.model import Curation

_PLACE = re.compile(r"^(Table \d+|Section [\w.]+)")


def place(where: str) -> str:
    """The table or section part of a location.

    Examples
    --------
    >>> place("Table 1, row 7")
    'Table 1'
    >>> place("Section 3.2")
    'Section 3.2'
    >>> place("Premature ovarian failure")
    'Premature ovarian failure'
    """
    m = _PLACE.match(where)
    return m.group(1) if m else where


def _ranges(numbers: list[int]) -> str:
    """Compact ``1-3, 7`` form of sorted numbers."""
    out: list[str] = []
    start = prev = None
    for n in numbers:
        if start is None:
            start = prev = n
        elif prev is not None and n == prev + 1:
            prev = n
        else:
            out.append(f"{start}-{prev}" if start != prev else str(start))
            start = prev = n
    if start is not None:
        out.append(f"{start}-{prev}" if start != prev else str(start))
    return ", ".join(out)


def coverage(cur: Curation) -> dict[str, Any]:
    """Claims per review and place, references listed vs cited, entities without xrefs."""
    by_place: dict[str, Counter[str]] = {}
    for claim in cur.claims.values():
        by_place.setdefault(claim.review, Counter())[place(claim.where)] += 1
    for trial in cur.trials.values():
        by_place.setdefault(trial.review, Counter())[place(trial.where) + " (trials)"] += 1
    for attr in cur.attributes:
        by_place.setdefault(attr.review, Counter())[place(attr.where) + " (attributes)"] += 1
    used: set[str] = set()
    for claim in cur.claims.values():
        used.update(claim.refs)
    for trial in cur.trials.values():
        used.update(trial.refs)
        if ":" in trial.trial:
            used.add(trial.trial)
    for attr in cur.attributes:
        used.update(attr.refs)
    references: dict[str, dict[str, Any]] = {}
    for review in sorted(cur.reviews):
        listed = sorted(int(c.split(":")[1]) for c in cur.citations if c.split(":")[0] == review)
        cited = sorted(int(c.split(":")[1]) for c in used if c.split(":")[0] == review)
        references[review] = {
            "listed": len(listed),
            "cited_by_records": len(cited),
            "not_cited": _ranges([n for n in listed if n not in set(cited)]),
        }
    no_xref = Counter(e.type for e in cur.entities.values() if not e.xrefs)
    with_xref = Counter(e.type for e in cur.entities.values() if e.xrefs)
    return {
        "claims_by_place": {r: dict(sorted(c.items())) for r, c in sorted(by_place.items())},
        "references": references,
        "studies": len(cur.references),
        "entities_with_xrefs": dict(sorted(with_xref.items())),
        "entities_without_xrefs": dict(sorted(no_xref.items())),
    }
