"""Cross-tabulations of the claims: source or cargo against disease or hallmark of ageing.

Each cell counts **distinct studies**, not claims: a study read in a table row and again in
the text, or in two reviews, counts once (:meth:`Curation.study_keys`), and the cell keeps
the ids of its claims so a reader can open them. :func:`hallmarks` rolls the claims up by
hallmark of ageing through the processes they change (the roll-up of
:func:`kg.query.rollup.hallmark_rollup`, with the claim ids and the filters of the other
questions).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kg.data.hierarchy import ancestors
from kg.data.model import Claim, Curation
from kg.errors import QueryError
from kg.query.claims import claim_filter
from kg.query.evidence import strongest

__all__ = ["COLS", "ROWS", "Cell", "HallmarkSummary", "MatrixResult", "hallmarks", "matrix"]

#: What rows and columns may be.
ROWS = ("source", "cargo")
COLS = ("disease", "hallmark")


@dataclass(frozen=True)
class Cell:
    """One non-empty cell: distinct studies and the claims behind them."""

    row: str
    row_label: str
    col: str
    col_label: str
    studies: int
    claims: tuple[str, ...]
    strength: str


@dataclass(frozen=True)
class MatrixResult:
    """A cross-tabulation: rows and columns (most-studied first) and the non-empty cells."""

    rows: tuple[str, ...]
    cols: tuple[str, ...]
    row_kind: str
    col_kind: str
    cells: tuple[Cell, ...]

    def cell(self, row: str, col: str) -> Cell | None:
        """The cell at (row, col), None when no claim connects them."""
        return next((c for c in self.cells if c.row == row and c.col == col), None)

    def counts(self) -> list[list[int]]:
        """Distinct studies per cell as a dense table (``rows`` x ``cols``)."""
        index = {(c.row, c.col): c.studies for c in self.cells}
        return [[index.get((r, c), 0) for c in self.cols] for r in self.rows]


def _hallmark_map(cur: Curation) -> Callable[[str], set[str]]:
    """Process id -> the hallmarks it belongs to (itself when it is one), memoised."""
    marks = {e.id for e in cur.entities.values() if e.type == "hallmark"}
    memo: dict[str, set[str]] = {}

    def of(entity: str) -> set[str]:
        if entity not in memo:
            memo[entity] = ({entity} | ancestors(cur, entity)) & marks
        return memo[entity]

    return of


def _keys(cur: Curation, claim: Claim, kind: str, hallmark_of: Callable[[str], set[str]]
          ) -> Iterable[str]:
    """The row or column entities of one claim."""
    if kind == "source":
        return (claim.source,)
    if kind == "cargo":
        return (claim.cargo,) if claim.cargo else ()
    if kind == "disease":
        return dict.fromkeys(e.entity for e in claim.diseases)
    return sorted({h for e in claim.processes for h in hallmark_of(e.entity)})


def matrix(cur: Curation, rows: str = "source", cols: str = "disease", *,
           agent: str | None = None, evidence: str | None = None) -> MatrixResult:
    """Distinct studies connecting each source (or cargo) to each disease (or hallmark).

    Parameters
    ----------
    cur : Curation
        The curated data.
    rows : str
        ``source`` or ``cargo`` (claims without a cargo are left out of cargo rows).
    cols : str
        ``disease`` or ``hallmark`` (a claim reaches a hallmark through its processes).
    agent, evidence : str, optional
        Only claims with this agent (``exosome``, ``cells``) or evidence kind.

    Returns
    -------
    MatrixResult
        Rows and columns sorted by their distinct studies (most first, then id); cells by
        studies, then row and column.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> m = matrix(load(), "cargo", "disease")
    >>> m.cell("miR-21a-5p", "atherosclerosis").studies
    1
    """
    if rows not in ROWS:
        raise QueryError(f"rows must be one of {', '.join(ROWS)}, not '{rows}'")
    if cols not in COLS:
        raise QueryError(f"cols must be one of {', '.join(COLS)}, not '{cols}'")
    keep = claim_filter(cur, agent=agent, evidence=evidence)
    hallmark_of = _hallmark_map(cur)
    found: dict[tuple[str, str], list[Claim]] = {}
    for claim in sorted(cur.claims.values(), key=lambda c: c.id):
        if not keep(claim):
            continue
        for r in _keys(cur, claim, rows, hallmark_of):
            for c in _keys(cur, claim, cols, hallmark_of):
                found.setdefault((r, c), []).append(claim)
    cells = []
    per_row: dict[str, set[str]] = {}
    per_col: dict[str, set[str]] = {}
    for (r, c), claims in found.items():
        keys = {k for claim in claims for k in cur.study_keys(claim)}
        per_row.setdefault(r, set()).update(keys)
        per_col.setdefault(c, set()).update(keys)
        cells.append(Cell(r, cur.label(r), c, cur.label(c), len(keys),
                          tuple(claim.id for claim in claims),
                          strongest(k for claim in claims for k in claim.evidence)))
    cells.sort(key=lambda x: (-x.studies, -len(x.claims), x.row, x.col))

    def order(totals: dict[str, set[str]]) -> tuple[str, ...]:
        return tuple(sorted(totals, key=lambda k: (-len(totals[k]), k)))

    return MatrixResult(order(per_row), order(per_col), rows, cols, tuple(cells))


@dataclass(frozen=True)
class HallmarkSummary:
    """Claims and distinct studies that reach one hallmark of ageing."""

    hallmark: str
    label: str
    claims: tuple[str, ...]
    studies: int
    processes: tuple[tuple[str, int], ...]
    sources: tuple[tuple[str, int], ...]


def hallmarks(cur: Curation, *, agent: str | None = None, evidence: str | None = None
              ) -> list[HallmarkSummary]:
    """Claims and studies rolled up by hallmark of ageing, through the processes they change.

    A claim counts once per hallmark that any of its processes (or a process's ancestors)
    belongs to; hallmarks no claim reaches are listed with zero. ``processes`` are the
    five processes most often named under the hallmark (label, claims); ``sources`` the
    five MSC sources with most claims there.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> rows = hallmarks(load())
    >>> rows[0].studies >= rows[-1].studies
    True
    """
    keep = claim_filter(cur, agent=agent, evidence=evidence)
    hallmark_of = _hallmark_map(cur)
    marks = sorted(e.id for e in cur.entities.values() if e.type == "hallmark")
    claims: dict[str, list[Claim]] = {h: [] for h in marks}
    procs: dict[str, Counter[str]] = {h: Counter() for h in marks}
    for claim in sorted(cur.claims.values(), key=lambda c: c.id):
        if not keep(claim):
            continue
        reached: set[str] = set()
        for eff in claim.processes:
            for h in hallmark_of(eff.entity):
                reached.add(h)
                if eff.entity != h:
                    procs[h][cur.label(eff.entity)] += 1
        for h in sorted(reached):
            claims[h].append(claim)
    out = []
    for h in marks:
        sources = Counter(cur.label(c.source) for c in claims[h])
        out.append(HallmarkSummary(
            h, cur.label(h), tuple(c.id for c in claims[h]),
            len({k for c in claims[h] for k in cur.study_keys(c)}),
            tuple(sorted(procs[h].items(), key=lambda x: (-x[1], x[0]))[:5]),
            tuple(sorted(sources.items(), key=lambda x: (-x[1], x[0]))[:5])))
    out.sort(key=lambda r: (-r.studies, -len(r.claims), r.hallmark))
    return out
