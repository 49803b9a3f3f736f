"""What is curated and what is left: a curator's progress report (``exokg coverage``)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from kg.data.model import Curation

__all__ = [
    "NO_CONDITION", "check_coverage", "claims_without_condition", "coverage", "identifier_coverage",
    "place", "xref_coverage",
]

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
    """Claims per review and place, references cited, xref coverage, claims without condition."""
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
    return {
        "claims_by_place": {r: dict(sorted(c.items())) for r, c in sorted(by_place.items())},
        "references": references,
        "studies": len(cur.references),
        "xrefs": xref_coverage(cur),
        "unmapped": dict(sorted(cur.unmapped.items())),
        "unchecked": sorted(e.id for e in cur.entities.values()
                            if not (e.xrefs or e.close_xrefs) and e.id not in cur.unmapped),
        "claims_without_condition": claims_without_condition(cur),
        "identifiers": identifier_coverage(cur),
        "checks": check_coverage(cur),
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def identifier_coverage(cur: Curation) -> dict[str, dict[str, Any]]:
    """Per review: its listed references with a DOI, a PMID, either, and their shares.

    An identifier counts whether printed in a review or looked up (``identifiers.tsv``);
    ``looked_up`` counts the references that have one only from the lookup.
    """
    out: dict[str, dict[str, Any]] = {}
    for review in sorted(cur.reviews):
        refs = [cur.references[k] for c, k in cur.citations.items()
                if c.split(":")[0] == review]
        row: dict[str, Any] = {"listed": len(refs),
               "doi": sum(1 for r in refs if r.any_doi),
               "pmid": sum(1 for r in refs if r.any_pmid),
               "either": sum(1 for r in refs if r.any_doi or r.any_pmid),
               "looked_up": sum(1 for r in refs if (r.found_doi and not r.doi)
                                or (r.found_pmid and not r.pmid)),
               "searched": sum(1 for r in refs if r.found_doi or r.found_pmid or r.found_note)}
        row["doi_share"] = _share(row["doi"], row["listed"])
        row["pmid_share"] = _share(row["pmid"], row["listed"])
        row["share"] = _share(row["either"], row["listed"])
        out[review] = row
    return out


def check_coverage(cur: Curation) -> dict[str, dict[str, Any]]:
    """Per review: its mechanism claims, how many were checked, and the verdicts.

    A check is a reading of the cited study's abstract (``checks.tsv``).
    """
    from kg.data.loading import VERDICTS

    out: dict[str, dict[str, Any]] = {}
    for review in sorted(cur.reviews):
        mech = [c.id for c in cur.claims.values() if c.review == review and c.mechanism]
        verdicts = Counter(cur.checks[c].verdict for c in mech if c in cur.checks)
        checked = sum(verdicts.values())
        out[review] = {"mechanism_claims": len(mech), "checked": checked,
                       "share": _share(checked, len(mech)),
                       "verdicts": {v: verdicts[v] for v in VERDICTS}}
    return out


#: The phrase a claim's note carries when the text names no condition for it.
NO_CONDITION = "no condition:"


def claims_without_condition(cur: Curation) -> dict[str, str]:
    """Claims that name no disease or condition, with the curator's reason (or none given)."""
    out = {}
    for claim in sorted(cur.claims.values(), key=lambda c: c.id):
        if claim.diseases:
            continue
        note = claim.note
        at = note.casefold().find(NO_CONDITION)
        reason = note[at + len(NO_CONDITION):].split(";")[0].strip() if at >= 0 else ""
        out[claim.id] = reason.rstrip(".") or "(no reason given)"
    return out


def xref_coverage(cur: Curation) -> dict[str, dict[str, Any]]:
    """Per entity type: how many carry an exact xref, only a close/broad/narrow one, none.

    ``exact_share`` is the share with an exact xref, ``share`` the share with any mapping
    (every one of which reaches the RDF and KGX exports).
    """
    out: dict[str, dict[str, Any]] = {}
    for ent in cur.entities.values():
        row = out.setdefault(ent.type, {"entities": 0, "exact": 0, "related_only": 0,
                                        "unmapped": 0, "unchecked": 0})
        row["entities"] += 1
        if ent.xrefs:
            row["exact"] += 1
        elif ent.close_xrefs:
            row["related_only"] += 1
        elif ent.id in cur.unmapped:
            row["unmapped"] += 1
        else:
            row["unchecked"] += 1
    for row in out.values():
        row["exact_share"] = round(row["exact"] / row["entities"], 3)
        row["share"] = round((row["exact"] + row["related_only"]) / row["entities"], 3)
    return dict(sorted(out.items()))
