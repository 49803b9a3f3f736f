"""Figures for the notebooks (matplotlib, imported only here).

Each takes what a function of :mod:`kg` answers (a :class:`~kg.query.matrix.MatrixResult`,
a path ...) and returns a matplotlib Figure, so the notebooks hold no logic of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.data.model import Curation
from kg.query.evidence import STRENGTHS, edge_evidence
from kg.query.matrix import MatrixResult
from kg.query.paths import GraphPath
from kg.query.rank import RankResult
from kg.query.rollup import HallmarkRow, Matrix
from kg.view.text import net_effect_word

__all__ = [
    "EVIDENCE_COLOURS", "hallmark_figure", "matrix_figure", "path_evidence_figure", "rank_figure",
    "studies_heatmap",
]

#: The colour of each kind of evidence (strongest first), in the path evidence figure.
EVIDENCE_COLOURS = dict(zip(STRENGTHS, ("#1b9e77", "#d95f02", "#7570b3", "#bdbdbd"),
                            strict=True))

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


def studies_heatmap(result: MatrixResult, *, top_rows: int = 0, top_cols: int = 0,
                    title: str = "") -> Figure:
    """Heat map of a :func:`kg.matrix` answer: distinct studies per row and column.

    The same counts as ``exokg matrix`` (source or cargo x disease or hallmark); rows and
    columns most-studied first, cut to ``top_rows`` and ``top_cols`` (0: all).
    """
    import matplotlib.pyplot as plt

    rows = list(result.rows[:top_rows] if top_rows else result.rows)
    cols = list(result.cols[:top_cols] if top_cols else result.cols)
    labels = {c.row: c.row_label for c in result.cells} | {c.col: c.col_label
                                                           for c in result.cells}
    full = result.counts()
    keep_rows = [result.rows.index(r) for r in rows]
    keep_cols = [result.cols.index(c) for c in cols]
    counts = [[full[i][j] for j in keep_cols] for i in keep_rows]
    fig, ax = plt.subplots(figsize=(0.55 * len(cols) + 3.5, 0.45 * len(rows) + 2.5))
    image: Any = ax.imshow(counts, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(cols)), [labels[c] for c in cols], rotation=60, ha="right")
    ax.set_yticks(range(len(rows)), [labels[r] for r in rows])
    for i, row in enumerate(counts):
        for j, n in enumerate(row):
            if n:
                ax.text(j, i, str(n), ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, label="distinct studies (number)")
    ax.set_title(title or f"Distinct studies per {result.row_kind} and {result.col_kind}")
    fig.tight_layout()
    return fig


def path_evidence_figure(cur: Curation, path: GraphPath) -> Figure:
    """Bars of a path's hops: each hop's distinct studies, coloured by its strongest evidence.

    A derived hop (read off a claim's chain rather than stated by it) is hatched.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    hops = list(path.hops)[::-1]
    support = [edge_evidence(cur, h.claims) for h in hops]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(hops) + 1.8))
    bars = ax.barh([f"{cur.label(h.source)} → {cur.label(h.target)}" for h in hops],
                   [ev.studies for ev in support],
                   color=[EVIDENCE_COLOURS.get(ev.strength, "#bdbdbd") for ev in support],
                   edgecolor="black", linewidth=0.5)
    for bar, hop in zip(bars, hops, strict=True):
        if hop.how == "derived":
            bar.set_hatch("//")
    shown = [k for k in STRENGTHS if any(ev.strength == k for ev in support)]
    handles = [Patch(facecolor=EVIDENCE_COLOURS[k], edgecolor="black", label=k) for k in shown]
    if any(h.how == "derived" for h in hops):
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="//",
                             label="derived hop"))
    ax.legend(handles=handles, title="strongest evidence", loc="upper left",
              bbox_to_anchor=(1.01, 1), fontsize=8)
    ax.set_xlabel("distinct studies behind the hop (number)")
    target = cur.entities.get(path.nodes[-1])
    effect = net_effect_word(path, disease=bool(target and target.type == "disease"))
    ax.set_title(f"{cur.label(path.nodes[0])} → {cur.label(path.nodes[-1])}\n"
                 f"{path.kind} path, net: {effect}, "
                 f"{path.studies} distinct stud{'y' if path.studies == 1 else 'ies'} in all")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    return fig
