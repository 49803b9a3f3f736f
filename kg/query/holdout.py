"""Do inferred paths carry signal? A leave-one-study-out test anyone can rerun.

For every (source, disease) pair some claim asserts, the claims asserting it are hidden,
with every claim citing one of their studies (a study read in a table row, again in the
text or in another review, goes entirely); inferred paths between the pair are then asked
of what is left. The same question is asked of every source x disease pair no claim asserts
(nothing to hide there). A scoring that carries signal gives the held-out pairs higher
scores than the never-asserted ones: the area under the ROC curve (AUROC) says how often
it does (0.5 is chance). For the held-out pairs the sign of the top inferred path is also
compared with the sign the hidden claims report.

No leakage: a held-out pair is searched in a copy of the curation without the hidden claims
(and so without their edges, their degrees in the path score, and their studies), with the
same subtype rule as the query (claims about a narrower source or disease assert the pair
too, and are hidden with it). Nothing is fitted: the scores are the path search's own.

With ``hierarchy`` (a discount), a pair no inferred path reaches is also scored by the paths
to the disease's nearest relatives in the disease hierarchy (:mod:`kg.query.related`), times
the discount per step up: the ``... via hierarchy`` scores. The hierarchy is the entity
tables' ``parents`` (MONDO's and DOID's classification), which no claim adds to, so hiding
claims hides nothing from it and it reveals nothing of them.

Two comparisons can flatter or wrong the paths, and the report shows both. Over all pairs,
a source that many claims name has both more held-out pairs and more paths: the line
``baseline: claims on the source`` scores a pair by that alone, with no path. And a held-out
pair is scored in a graph one or more studies poorer than the never-asserted pairs it is
compared with. ``in_fold`` removes both: each held-out pair is compared with the
never-asserted pairs of its own source scored in its own held-out graph.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from kg.data.hierarchy import descendants
from kg.data.model import Curation, Sign, sign_symbol
from kg.query.defaults import DEFAULT_MAX_PATHS, DEFAULT_SORT
from kg.query.paths import GraphPath
from kg.query.related import paths_via_hierarchy

__all__ = [
    "BASELINE", "HIERARCHY_SCORES", "SCORES", "Evaluation", "Pair", "auroc", "evaluate", "pairs_of",
    "report", "via_hierarchy", "without",
]

#: Ways of scoring a pair from its inferred paths (the first is the path count).
SCORES: dict[str, Callable[[Sequence[GraphPath]], float]] = {
    "count": lambda ps: float(len(ps)),
    "best score": lambda ps: max((p.score for p in ps), default=0.0),
    "summed score": lambda ps: sum(p.score for p in ps),
    "best one-context score": lambda ps: max((p.score for p in ps if not p.joins),
                                             default=0.0),
    "best studies": lambda ps: float(max((p.studies for p in ps), default=0)),
}
#: The scores also computed, with ``hierarchy``, on the paths to the nearest relatives.
HIERARCHY_SCORES = ("count", "summed score", "best score")
#: The score of the pair by the source's claims alone (no path): what a popular source gets.
BASELINE = "baseline: claims on the source"


def via_hierarchy(name: str) -> str:
    """The name of a score computed on the paths to the nearest relatives too."""
    return f"{name} via hierarchy"


@dataclass(frozen=True)
class Pair:
    """One (source, disease) pair of the test and what the search found for it."""

    source: str
    disease: str
    held_out: bool
    hidden: tuple[str, ...]
    #: sign the hidden claims give the disease (None: they disagree or say none)
    sign: Sign
    scores: dict[str, float]
    #: net sign of the top-ranked inferred path (None when none or unknown)
    top_sign: Sign
    found: int
    #: whether a claim left in the search still names the disease (or a narrower one): when
    #: none does, no path can reach it, whatever the scoring
    answerable: bool = True
    #: how many steps up the disease hierarchy the scoring went to find a path (0: none;
    #: None: no relative either, or ``hierarchy`` not asked for)
    level: int | None = None
    #: the scores of the never-asserted pairs of the same source in this pair's held-out
    #: graph (``in_fold``; empty otherwise)
    fold: tuple[dict[str, float], ...] = ()
    #: net sign of the top-ranked path to a relative, when the scoring backed off to one
    relative_sign: Sign = None


@dataclass(frozen=True)
class Evaluation:
    """The figures of one run."""

    pairs: tuple[Pair, ...]
    sort: str
    max_hops: int
    #: the discount per hierarchy step, when the ``via hierarchy`` scores were computed
    hierarchy: float | None = None
    in_fold: bool = False

    @property
    def scores(self) -> list[str]:
        """The names of the scores every pair has, in report order."""
        return list(self.pairs[0].scores) if self.pairs else list(SCORES)

    @property
    def positives(self) -> list[Pair]:
        """The held-out pairs."""
        return [p for p in self.pairs if p.held_out]

    @property
    def negatives(self) -> list[Pair]:
        """The never-asserted pairs."""
        return [p for p in self.pairs if not p.held_out]

    def auroc(self, score: str, answerable: bool = False) -> float:
        """AUROC of one score: held-out pairs against never-asserted ones.

        With ``answerable``, only pairs whose disease some claim left still names.
        """
        keep = [p for p in self.pairs if p.answerable or not answerable]
        return auroc([p.scores[score] for p in keep if p.held_out],
                     [p.scores[score] for p in keep if not p.held_out])

    def auroc_within_source(self, score: str, answerable: bool = True) -> float:
        """AUROC comparing only pairs of the same source (answerable pairs unless told).

        Whether the paths tell the diseases a source was tested on from the others, apart
        from how much is known about the source at all.
        """
        wins = total = 0.0
        for source in {p.source for p in self.pairs}:
            keep = [p for p in self.pairs
                    if p.source == source and (p.answerable or not answerable)]
            pos = [p.scores[score] for p in keep if p.held_out]
            neg = [p.scores[score] for p in keep if not p.held_out]
            if pos and neg:
                wins += auroc(pos, neg) * len(pos) * len(neg)
                total += len(pos) * len(neg)
        return wins / total if total else float("nan")

    def auroc_in_fold(self, score: str, answerable: bool = False) -> float:
        """AUROC of each held-out pair against its source's never-asserted pairs (``in_fold``).

        All are scored in the held-out pair's graph; the comparisons are pooled over the
        held-out pairs (with ``answerable``, those whose disease a claim left still names).
        Neither the source's popularity nor the studies the held-out graph lost count.
        """
        wins = total = 0.0
        for p in self.positives:
            if p.fold and (p.answerable or not answerable):
                wins += auroc([p.scores[score]], [n[score] for n in p.fold]) * len(p.fold)
                total += len(p.fold)
        return wins / total if total else float("nan")

    def sign_share(self) -> tuple[int, int]:
        """(held-out pairs whose top inferred path has the held-out sign, pairs with both)."""
        both = [p for p in self.positives if p.sign is not None and p.found]
        return sum(1 for p in both if p.top_sign == p.sign), len(both)


def auroc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count 1/2).

    Examples
    --------
    >>> auroc([3, 2], [1, 2])
    0.875
    >>> auroc([1], [1])
    0.5
    """
    if not positives or not negatives:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def _asserting(cur: Curation, source: str, disease: str) -> list[str]:
    """Claims that assert the pair, narrower sources and diseases included."""
    sources = {source} | descendants(cur, source)
    diseases = {disease} | descendants(cur, disease)
    return sorted(c.id for c in cur.claims.values()
                  if c.source in sources and any(d.entity in diseases for d in c.diseases))


def _hidden(cur: Curation, asserting: Iterable[str]) -> set[str]:
    """The asserting claims and every claim citing one of their studies."""
    ids = set(asserting)
    studies = {k for c in ids for k in cur.study_keys(cur.claims[c])}
    return ids | {c.id for c in cur.claims.values()
                  if studies & set(cur.study_keys(c))}


def without(cur: Curation, hidden: set[str]) -> Curation:
    """A copy of ``cur`` without the ``hidden`` claims (fresh caches, no extra edges)."""
    kept = {k: c for k, c in cur.claims.items() if k not in hidden}
    return replace(cur, claims=kept, extra_edges={}, extra_rdf=[], cache_key="")


def _sign_of(cur: Curation, claim_ids: Iterable[str], disease: str) -> Sign:
    diseases = {disease} | descendants(cur, disease)
    signs = {d.sign for c in claim_ids for d in cur.claims[c].diseases if d.entity in diseases}
    return next(iter(signs)) if len(signs) == 1 else None


def pairs_of(cur: Curation) -> tuple[list[str], list[str]]:
    """The sources and the diseases claims name (the test's rows and columns)."""
    sources = sorted({c.source for c in cur.claims.values()})
    diseases = sorted({d.entity for c in cur.claims.values() for d in c.diseases
                       if cur.entities.get(d.entity) is not None
                       and cur.entities[d.entity].type == "disease"})
    return sources, diseases


def _score(cur: Curation, search: Curation, source: str, disease: str, *, sort: str,
           max_hops: int, max_paths: int, hierarchy: float | None, baseline: float
           ) -> tuple[dict[str, float], GraphPath | None, int, int | None, Sign]:
    """A pair's scores in ``search``, with what the report needs besides.

    Returns the scores, the top inferred path, how many inferred paths, the hierarchy level
    scored and the net sign of the top path to a relative. ``baseline`` is the
    :data:`BASELINE` score: the claims on the source left in ``search``.
    """
    hit = paths_via_hierarchy(search, source, disease, discount=hierarchy or 0.0,
                              max_level=None if hierarchy is not None else 0,
                              max_hops=max_hops, max_paths=max_paths, sort=sort,
                              timeout=60.0)
    # at the disease itself, only inferred paths count (in the test none is asserted)
    inferred = [p for p in hit.paths if not p.asserted] if hit.level == 0 else []
    scores = {name: f(inferred) for name, f in SCORES.items()}
    if hierarchy is not None:
        for name in HIERARCHY_SCORES:
            scores[via_hierarchy(name)] = hit.weight * SCORES[name](hit.paths)
    scores[BASELINE] = baseline
    level = hit.level if hierarchy is not None else None
    top = hit.paths[0] if level and hit.paths else None
    return (scores, (inferred[0] if inferred else None), len(inferred), level,
            top.net_sign if top and not top.conflicting else None)


def evaluate(cur: Curation, *, sort: str = DEFAULT_SORT, max_hops: int = 4,
             max_paths: int = DEFAULT_MAX_PATHS, sources: Sequence[str] | None = None,
             diseases: Sequence[str] | None = None, hierarchy: float | None = None,
             in_fold: bool = False) -> Evaluation:
    """Run the leave-one-study-out test over every source x disease pair (or those given).

    Only inferred paths count: in the held-out copy no claim asserts the pair any more, and
    for a never-asserted pair none ever did. With ``hierarchy`` (the discount per step), the
    ``via hierarchy`` scores back off to the disease's nearest relatives; with ``in_fold``,
    every held-out pair's graph also scores its source's never-asserted pairs.
    """
    all_sources, all_diseases = pairs_of(cur)
    kw: dict[str, Any] = {"sort": sort, "max_hops": max_hops, "max_paths": max_paths,
                          "hierarchy": hierarchy}
    out = []
    for source in sources or all_sources:
        row = list(diseases or all_diseases)
        never = [d for d in row if not _asserting(cur, source, d)]
        narrower = {source} | descendants(cur, source)
        claims = {c.id for c in cur.claims.values() if c.source in narrower}
        for disease in row:
            asserting = _asserting(cur, source, disease)
            hidden = _hidden(cur, asserting) if asserting else set()
            search = without(cur, hidden) if hidden else cur
            kw["baseline"] = float(len(claims - hidden))
            scores, top, found, level, relative = _score(cur, search, source, disease, **kw)
            fold = tuple(_score(cur, search, source, d, **kw)[0] for d in never) \
                if in_fold and asserting else ()
            ends = {disease} | descendants(cur, disease)
            out.append(Pair(source, disease, bool(asserting), tuple(sorted(hidden)),
                            _sign_of(cur, asserting, disease) if asserting else None,
                            scores,
                            top.net_sign if top and not top.conflicting else None,
                            found,
                            any(d.entity in ends for c in search.claims.values()
                                for d in c.diseases),
                            level, fold, relative))
    return Evaluation(tuple(out), sort, max_hops, hierarchy, in_fold)


def report(ev: Evaluation) -> str:
    """The figures as text: pairs, AUROC per score, the sign share."""
    right, total = ev.sign_share()
    lines = [f"leave-one-study-out, paths within {ev.max_hops} hops, ranked by '{ev.sort}'"
             + (f", backing off up the disease hierarchy (x{ev.hierarchy:g} per step)"
                if ev.hierarchy is not None else ""),
             f"pairs: {len(ev.positives)} held out (asserted, hidden with their studies), "
             f"{len(ev.negatives)} never asserted",
             f"held-out pairs with an inferred path: "
             f"{sum(1 for p in ev.positives if p.found)}; never-asserted: "
             f"{sum(1 for p in ev.negatives if p.found)}"]
    known = [p for p in ev.positives if p.answerable]
    lines.append(f"held-out pairs whose disease another study still names: {len(known)}")
    rows = {p.source for p in ev.negatives}
    full = [p for p in ev.positives if p.source not in rows]
    if full:
        names = ", ".join(sorted({p.source for p in full}))
        lines.append(f"held-out pairs of sources with no never-asserted pair ({names}: every "
                     f"disease held out): {len(full)}")
    if ev.hierarchy is not None:
        levels = Counter(p.level for p in ev.positives if p.level)
        steps = ", ".join(f"{n} at {k} step(s) up" for k, n in sorted(levels.items()))
        lines.append(f"held-out pairs scored through the nearest relatives: "
                     f"{sum(levels.values())} ({steps or 'none'}); never-asserted: "
                     f"{sum(1 for p in ev.negatives if p.level)}")
    heads = ["all pairs", "disease named", "same source", "same src, all"]
    if ev.in_fold:
        heads += ["in fold", "in fold, named"]
    width = max(len(n) for n in ev.scores) + 1
    lines.append("AUROC".ljust(width) + "  ".join(f"{h:>13}" for h in heads))
    for name in ev.scores:
        figures = [ev.auroc(name), ev.auroc(name, answerable=True),
                   ev.auroc_within_source(name), ev.auroc_within_source(name, False)]
        if ev.in_fold:
            figures += [ev.auroc_in_fold(name), ev.auroc_in_fold(name, answerable=True)]
        lines.append(name.ljust(width) + "  ".join(f"{x:>13.3f}" for x in figures))
    share = f"{right / total:.2f}" if total else "n/a"
    both = [p for p in ev.positives if p.sign is not None and p.found]
    opposite = sum(1 for p in both if p.top_sign is not None and p.top_sign != p.sign)
    counts = Counter(p.sign for p in both)
    signs = ", ".join(f"{sign_symbol(s)} {n}" for s, n in sorted(
        counts.items(), key=lambda kv: -(kv[0] or 0)))
    lines.append(f"top inferred path has the held-out sign: {right}/{total} ({share}); "
                 f"the opposite sign: {opposite}; unknown or uncertain: "
                 f"{total - right - opposite} (held-out signs: {signs or 'none'})")
    far = [p for p in ev.positives if p.level and p.sign is not None]
    if far:
        same = sum(1 for p in far if p.relative_sign == p.sign)
        other = sum(1 for p in far if p.relative_sign is not None and p.relative_sign != p.sign)
        lines.append(f"top path to a relative has the held-out sign: {same}/{len(far)}; the "
                     f"opposite sign: {other}; unknown or uncertain: {len(far) - same - other}")
    return "\n".join(lines) + "\n"
