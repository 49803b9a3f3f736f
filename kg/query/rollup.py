"""Roll-ups for overviews: claims by hallmark of ageing, and source x disease counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kg.data.hierarchy import ancestors
from kg.data.model import Curation

__all__ = ["HallmarkRow", "Matrix", "hallmark_rollup", "source_disease_matrix"]


@dataclass(frozen=True)
class HallmarkRow:
    """Claims whose processes roll up to one hallmark of ageing."""

    hallmark: str
    label: str
    claims: int
    studies: int
    processes: tuple[tuple[str, int], ...]


def hallmark_rollup(cur: Curation) -> list[HallmarkRow]:
    """Claims per hallmark of ageing, through the processes they affect.

    A claim counts once per hallmark that any of its processes (or a process's ancestors)
    belongs to. Hallmarks no claim reaches are listed with zero.
    """
    hallmarks = sorted(e.id for e in cur.entities.values() if e.type == "hallmark")
    claims: dict[str, set[str]] = {h: set() for h in hallmarks}
    procs: dict[str, Counter[str]] = {h: Counter() for h in hallmarks}
    for claim in cur.claims.values():
        for eff in claim.processes:
            for h in ({eff.entity} | ancestors(cur, eff.entity)) & set(hallmarks):
                claims[h].add(claim.id)
                if eff.entity != h:
                    procs[h][eff.entity] += 1
    rows = [
        HallmarkRow(h, cur.label(h), len(claims[h]),
                    len({k for c in claims[h] for k in cur.study_keys(cur.claims[c])}),
                    tuple((cur.label(p), n) for p, n in procs[h].most_common(5)))
        for h in hallmarks]
    rows.sort(key=lambda r: (-r.claims, r.hallmark))
    return rows


@dataclass(frozen=True)
class Matrix:
    """Counts of claims connecting each source (rows) to each disease (columns)."""

    sources: list[str]
    diseases: list[str]
    counts: list[list[int]]


def source_disease_matrix(cur: Curation, *, top: int = 15, agent: str | None = "exosome"
                          ) -> Matrix:
    """How many claims connect each MSC source to each of the ``top`` most-claimed diseases."""
    pairs: Counter[tuple[str, str]] = Counter()
    for claim in cur.claims.values():
        if agent and claim.agent != agent:
            continue
        for eff in claim.diseases:
            pairs[(claim.source, eff.entity)] += 1
    per_disease: Counter[str] = Counter()
    for (_, d), n in pairs.items():
        per_disease[d] += n
    diseases = [d for d, _ in sorted(per_disease.items(), key=lambda x: (-x[1], x[0]))[:top]]
    sources = sorted({s for s, d in pairs if d in diseases})
    counts = [[pairs[(s, d)] for d in diseases] for s in sources]
    return Matrix(sources, diseases, counts)
