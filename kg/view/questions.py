"""Records of the question commands (claims, trials, matrix, hallmarks, search) for output.

Each ``*_records`` function turns the library's frozen records into rows of plain values
for one format: ``json`` keeps every field (lists stay lists), ``tsv`` keeps every shown
value in full (lists joined by ``; ``), and so does ``table``, whose long cells
:func:`render` wraps to the terminal's width with :func:`kg.view.text.rows_out`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from kg.query.claims import ClaimRow
from kg.query.matrix import HallmarkSummary, MatrixResult
from kg.query.search import SearchHit
from kg.query.trials import TrialRow
from kg.view.text import rows_out

__all__ = [
    "claim_records", "hallmark_records", "matrix_records", "render", "search_records",
    "trial_records",
]


def _joined(values: Iterable[str], sep: str = "; ") -> str:
    return sep.join(v for v in values if v)


def render(rows: Sequence[dict[str, Any]], fmt: str, width: int | None = None) -> str:
    """Rows in ``fmt``: JSON as they are; TSV and tables with lists joined by ``; ``.

    A table is at most ``width`` characters wide (default: the terminal's,
    :func:`kg.view.text.table_width`), its long cells wrapped, every word shown.

    Examples
    --------
    >>> print(render([{"a": "x " * 30, "b": ["p", "q"]}], "table", width=40), end="")
    a                                   b
    ----------------------------------  ----
    x x x x x x x x x x x x x x x x x   p; q
    x x x x x x x x x x x x x
    """
    if fmt == "json":
        return rows_out(rows, "json")
    flat = [{key: _joined(map(str, value)) if isinstance(value, list | tuple) else str(value)
             for key, value in row.items()} for row in rows]
    return rows_out(flat, fmt, width)


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



def trial_records(rows: Sequence[TrialRow], fmt: str) -> list[dict[str, Any]]:
    """One record per trial report (JSON: every field of :class:`~kg.query.trials.TrialRow`)."""
    if fmt == "json":
        return [asdict(r) for r in rows]
    return [{"trial": r.trial, "kind": r.kind, "agent": r.agent, "source": r.source,
             "disease": list(r.diseases), "phase": r.phase, "enrolled": r.enrollment,
             "status": r.status, "route": r.route, "outcome": r.outcome,
             **({"design": r.design, "citation": list(r.citations)} if fmt == "tsv" else {}),
             "where": f"{r.review}, {r.where}", "report": r.id} for r in rows]



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



def search_records(hits: Sequence[SearchHit], fmt: str) -> list[dict[str, Any]]:
    """One record per entity found: id, type, label, synonyms, what matched, how, score."""
    if fmt == "json":
        return [asdict(h) for h in hits]
    return [{"id": h.id, "type": h.type, "label": h.label, "synonyms": list(h.synonyms),
             "matched": h.matched, "how": h.how, "score": h.score} for h in hits]

