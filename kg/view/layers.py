"""Layered layout: nodes in columns by the role their type plays in a mechanism chain.

Source -> cargo -> target/pathway -> process -> disease, so a path reads left to right (the
column of each type is its ``role`` in ``schema/types.tsv``, see
:func:`kg.data.schema.type_column`); within a column nodes are ordered by the mean row of
their predecessors (one barycentre pass: few crossings). The SVG of the views
(:mod:`kg.view.svg`) and the small drawings of the explorer (:mod:`kg.web.draw`) share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kg.data.model import Curation
from kg.data.schema import MIDDLE_COLUMN, type_column

__all__ = [
    "COL_W", "LABEL", "MAX_NODES", "PAD", "ROW_H", "Layout", "LayoutEdge", "fit_rows",
    "label_width", "layout", "role_column",
]

#: An edge to lay out: (from, to, sign key, title).
LayoutEdge = tuple[str, str, str, str]

#: Most nodes drawn; the caller says when the cap cuts.
MAX_NODES = 150
COL_W, ROW_H, PAD, LABEL = 230, 24, 12, 12


@dataclass(frozen=True)
class Layout:
    """Where each node of a layered drawing sits (see :func:`layout`).

    ``kept`` are the nodes drawn (at most the cap), ``left_out`` how many were cut,
    ``edges`` the edges between kept nodes (no loops), ``pos`` the centre of each node's
    dot, ``widths`` the width of each drawn column (x of its dots, width), ``width`` and
    ``height`` the size of the drawing.
    """

    kept: list[str]
    left_out: int
    edges: list[LayoutEdge]
    pos: dict[str, tuple[float, float]]
    columns: list[tuple[float, float]]
    width: float
    height: float


def _num(value: float) -> float:
    """A coordinate as it is written: whole numbers without ``.0``, others to 0.1."""
    return int(value) if float(value).is_integer() else round(value, 1)


def role_column(cur: Curation, node: str) -> int:
    """The column of a node by its type's role in a claim (unknown types: the middle).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> role_column(cur, "BM-MSC"), role_column(cur, "osteoarthritis")
    (0, 4)
    """
    ent = cur.entities.get(node)
    return type_column(cur, ent.type) if ent else MIDDLE_COLUMN


def label_width(text: str, size: float = LABEL) -> float:
    """A generous estimate of the width of a label in a sans-serif font of ``size`` px."""
    return len(text) * size * 0.62


def fit_rows(counts: list[int], widths: list[float], box: tuple[float, float],
             row_h: float = ROW_H) -> int:
    """The most rows per column that make the drawing largest inside ``box`` (w, h).

    A column of ``n`` nodes wider than ``rows`` is wrapped into ``ceil(n / rows)`` columns
    of width ``widths[i]``; the drawing is scaled to fit the box, so fewer rows make it
    wider and more rows taller: the best is where both limits meet.

    Examples
    --------
    >>> fit_rows([1, 80, 1], [100, 200, 100], (1400, 800), row_h=18)
    27
    """
    best, best_scale = max(counts, default=1), 0.0
    for rows in range(1, max(counts, default=1) + 1):
        wide = sum(-(-n // rows) * w for n, w in zip(counts, widths, strict=True)) + 2 * PAD
        scale = min(box[0] / wide, box[1] / (rows * row_h + 2 * PAD + 10))
        if scale > best_scale + 1e-9:
            best, best_scale = rows, scale
    return best


def layout(cur: Curation, nodes: list[str], edges: Sequence[LayoutEdge],
           *, max_nodes: int = MAX_NODES, column: Any = None, rows: int | None = None,
           box: tuple[float, float] | None = None, row_h: float = ROW_H,
           col_w: float | None = COL_W, chars: int = 34, sort: bool = True,
           label: Any = None, zoom: float = 0.0) -> Layout:
    """Place ``nodes`` (most important first) in columns by role; ``edges`` are (u, v, ...).

    ``column(cur, node)`` gives a node's column (default :func:`role_column`); within a
    column nodes are ordered by the mean row of their predecessors (one barycentre pass, few
    crossings) unless ``sort`` is false (then they keep the order given). A column taller
    than ``rows`` (or than what fits ``box`` best, see :func:`fit_rows`) is dealt out
    round-robin into side-by-side columns, so the order still reads top to bottom. Columns
    are ``col_w`` wide, or (``col_w=None``) as wide as their longest label of ``chars``
    characters (``label(node)``, default the entity's label). A drawing that would be shown
    at more than ``zoom`` times its size in ``box`` has its columns widened to fill the box
    at that zoom instead (room for the edges between them).
    """
    column = column or role_column
    label = label or cur.label
    kept = list(dict.fromkeys(nodes))[:max_nodes]
    left_out = len(dict.fromkeys(nodes)) - len(kept)
    shown = set(kept)
    edges = [e for e in edges if e[0] in shown and e[1] in shown and e[0] != e[1]]
    cols: dict[int, list[str]] = {}
    for n in kept:
        cols.setdefault(column(cur, n), []).append(n)
    order = sorted(cols)
    preds: dict[str, list[str]] = {}
    for u, v, _, _ in edges:
        preds.setdefault(v, []).append(u)
    widths = [col_w or 34 + max(label_width(label(n)[:chars]) for n in cols[c])
              for c in order]
    if rows is None and box is not None:
        rows = fit_rows([len(cols[c]) for c in order], widths, box, row_h)
    rows = rows or max((len(v) for v in cols.values()), default=1)
    if box is not None and zoom:  # room for the edges between columns
        widths = _widen(widths, [-(-len(cols[c]) // rows) for c in order], rows * row_h,
                        box, zoom)
    row: dict[str, float] = {}
    pos: dict[str, tuple[float, float]] = {}
    columns: list[tuple[float, float]] = []
    x = PAD + 8.0
    for c, w in zip(order, widths, strict=True):
        if sort:
            def bary(n: str) -> tuple[float, str]:
                got = [row[p] for p in preds.get(n, []) if p in row]
                return (sum(got) / len(got) if got else 1e9, label(n).lower())
            cols[c].sort(key=bary)
        wrap = -(-len(cols[c]) // rows)
        for i, n in enumerate(cols[c]):
            row[n] = i // wrap
            pos[n] = (_num(x + (i % wrap) * w), _num(PAD + 10 + (i // wrap) * row_h))
        columns.extend((x + k * w, w) for k in range(wrap))
        x += wrap * w
    height = PAD + max((len(v) for v in cols.values()), default=1) * row_h if cols else 40
    height = min(height, PAD + 10 + rows * row_h) if cols else height
    return Layout(kept, left_out, edges, pos, columns, x + PAD, height)


def _widen(widths: list[float], wraps: list[int], height: float, box: tuple[float, float],
           zoom: float) -> list[float]:
    """Column widths grown (at most 160 each) to fill the width ``box`` leaves unused.

    The drawing is shown at ``zoom`` or at the scale its height allows, whichever is less;
    at that scale its width may fall short of the box: the columns share what is left.

    Examples
    --------
    >>> _widen([100.0, 100.0], [1, 1], 100, (800, 600), 2.0)
    [188.0, 188.0]
    """
    used = sum(w * k for w, k in zip(widths, wraps, strict=True)) + 2 * PAD
    room = box[0] / min(zoom, box[1] / (height + 2 * PAD)) - used
    if room <= 0:
        return widths
    extra = min(160.0, room / max(1, sum(wraps)))
    return [w + extra for w in widths]
