"""Records of the question commands (claims, trials, matrix, hallmarks, search) for output.

Each ``*_records`` function turns the library's frozen records into rows of plain values
for one format: ``json`` keeps every field (lists stay lists), ``tsv`` keeps every shown
value in full (lists joined by ``; ``), ``table`` clips long cells to a width and ends them
in "…" so nothing is cut silently. :func:`render` prints them with
:func:`kg.view.text.rows_out`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from kg.query.claims import ClaimRow
from kg.query.matrix import HallmarkSummary, MatrixResult
from kg.query.search import SearchHit
from kg.query.trials import TrialRow
from kg.view.text import clip, rows_out

#: Widest a table cell gets before it is clipped with "…".
WIDE = 48
NARROW = 24


def _joined(values: Iterable[str], sep: str = "; ") -> str:
    return sep.join(v for v in values if v)


def render(rows: Sequence[dict[str, Any]], fmt: str, widths: dict[str, int] | None = None
           ) -> str:
    """Rows in ``fmt``: JSON as they are; TSV with lists joined; a table with cells clipped.

    ``widths`` gives the widest cell of each column in a table (unlisted: :data:`WIDE`).

    Examples
    --------
    >>> print(render([{"a": "x" * 60, "b": ["p", "q"]}], "table", {"a": 5}), end="")
    a      b
    -----  ----
    xxxx…  p; q
    """
    if fmt == "json":
        return rows_out(rows, "json")
    limits = widths or {}
    flat = []
    for row in rows:
        out = {}
        for key, value in row.items():
            text = _joined(map(str, value)) if isinstance(value, list | tuple) else str(value)
            out[key] = text if fmt == "tsv" else clip(text.replace("\n", " "),
                                                      limits.get(key, WIDE))
        flat.append(out)
    return rows_out(flat, fmt)


def _evidence(kinds: Sequence[str], species: Sequence[str]) -> str:
    """``in vivo (mouse)``, ``in vitro``, ``not stated``."""
    text = ", ".join(kinds) or "not stated"
    return f"{text} ({', '.join(species)})" if species else text


def claim_records(rows: Sequence[ClaimRow], fmt: str) -> list[dict[str, Any]]:
    """One record per claim: source, agent, cargo, mechanism, effect, evidence and the rest.

    Then citation, where it was read and the curator's flag (JSON: every field of
    :class:`~kg.query.claims.ClaimRow`).
    """
    if fmt == "json":
        return [asdict(r) for r in rows]
    return [{"claim": r.id, "source": r.source, "agent": r.agent, "cargo": r.cargo,
             "mechanism": r.mechanism, "effect": list(r.effects),
             "evidence": _evidence(r.evidence, r.species),
             **({"model": r.model} if fmt == "tsv" else {}),
             "citation": list(r.citations), "where": f"{r.review}, {r.where}",
             "flag": r.flag} for r in rows]


CLAIM_WIDTHS = {"source": NARROW, "cargo": NARROW, "mechanism": 36, "effect": 40,
                "evidence": NARROW, "citation": 40, "where": 28, "flag": 32}


def trial_records(rows: Sequence[TrialRow], fmt: str) -> list[dict[str, Any]]:
    """One record per trial report (JSON: every field of :class:`~kg.query.trials.TrialRow`)."""
    if fmt == "json":
        return [asdict(r) for r in rows]
    return [{"trial": r.trial, "kind": r.kind, "agent": r.agent, "source": r.source,
             "disease": list(r.diseases), "phase": r.phase, "enrolled": r.enrollment,
             "status": r.status, "route": r.route, "outcome": r.outcome,
             **({"design": r.design, "citation": list(r.citations)} if fmt == "tsv" else {}),
             "where": f"{r.review}, {r.where}", "report": r.id} for r in rows]


TRIAL_WIDTHS = {"source": NARROW, "disease": 28, "route": NARROW, "outcome": 40,
                "status": 18, "where": 32}


def matrix_records(result: MatrixResult, fmt: str, limit: int = 0) -> list[dict[str, Any]]:
    """One record per non-empty cell: row, column, distinct studies, claims beside them."""
    cells = result.cells[:limit] if limit else result.cells
    return [{result.row_kind: c.row_label, result.col_kind: c.col_label,
             "studies": c.studies, "claims": len(c.claims), "strongest": c.strength,
             "claim_ids": list(c.claims),
             **({f"{result.row_kind}_id": c.row, f"{result.col_kind}_id": c.col}
                if fmt != "table" else {})} for c in cells]


def hallmark_records(rows: Sequence[HallmarkSummary], fmt: str) -> list[dict[str, Any]]:
    """One record per hallmark of ageing: claims, distinct studies, top processes, sources."""
    if fmt == "json":
        return [{**asdict(r), "processes": [{"label": p, "claims": n} for p, n in r.processes],
                 "sources": [{"label": s, "claims": n} for s, n in r.sources]} for r in rows]
    return [{"hallmark": r.label, "claims": len(r.claims), "studies": r.studies,
             "top processes (claims)": [f"{p} ({n})" for p, n in r.processes],
             "top sources (claims)": [f"{s} ({n})" for s, n in r.sources],
             **({"hallmark_id": r.hallmark, "claim_ids": list(r.claims)}
                if fmt == "tsv" else {})} for r in rows]


HALLMARK_WIDTHS = {"hallmark": 40, "top processes (claims)": 60,
                   "top sources (claims)": 40}


def search_records(hits: Sequence[SearchHit], fmt: str) -> list[dict[str, Any]]:
    """One record per entity found: id, type, label, synonyms, what matched, how, score."""
    if fmt == "json":
        return [asdict(h) for h in hits]
    return [{"id": h.id, "type": h.type, "label": h.label, "synonyms": list(h.synonyms),
             "matched": h.matched, "how": h.how, "score": h.score} for h in hits]


SEARCH_WIDTHS = {"id": 30, "label": 36, "synonyms": 40, "matched": 30}
