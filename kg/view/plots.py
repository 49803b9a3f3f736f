"""Figures for the notebooks (matplotlib, imported only here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.data.model import Curation
from kg.query.rank import RankResult
from kg.query.rollup import HallmarkRow, Matrix

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def rank_figure(res: RankResult, top: int = 12) -> Figure:
    """Bar chart of the top entities: raw betweenness beside the permutation z-score."""
    import matplotlib.pyplot as plt

    rows = res.rows[:top][::-1]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.45 * len(rows) + 1.5), sharey=True)
    names = [r.label for r in rows]
    left.barh(names, [r.betweenness for r in rows], color="#e6ab02")
    left.set_xlabel("betweenness on source → disease routes (number of routes)")
    left.set_title(f"Top {len(rows)} {res.entity_type} entities ({res.level} level)")
    right.barh(names, [r.z if r.z is not None else 0.0 for r in rows], color="#7570b3")
    right.axvline(0, color="black", linewidth=0.8)
    right.set_xlabel(f"z-score vs {res.permutations} degree-preserving rewirings")
    right.set_title("study-bias corrected (z)")
    fig.tight_layout()
    return fig


def hallmark_figure(rows: list[HallmarkRow]) -> Figure:
    """Bar chart of claims per hallmark of ageing."""
    import matplotlib.pyplot as plt

    rows = rows[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(rows) + 1.2))
    ax.barh([r.label for r in rows], [r.claims for r in rows], color="#377eb8")
    ax.set_xlabel("claims whose processes roll up to the hallmark (number of claims)")
    ax.set_title("Curated claims by hallmark of ageing")
    fig.tight_layout()
    return fig


def matrix_figure(cur: Curation, m: Matrix) -> Figure:
    """Heat map of claims connecting each MSC source to each disease."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(0.6 * len(m.diseases) + 3, 0.5 * len(m.sources) + 2.5))
    image: Any = ax.imshow(m.counts, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(m.diseases)), [cur.label(d) for d in m.diseases], rotation=60,
                  ha="right")
    ax.set_yticks(range(len(m.sources)), [cur.label(s) for s in m.sources])
    for i, row in enumerate(m.counts):
        for j, n in enumerate(row):
            if n:
                ax.text(j, i, str(n), ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, label="claims (number)")
    ax.set_title("Exosome claims connecting MSC source and disease")
    fig.tight_layout()
    return fig
