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
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from kg.data.hierarchy import descendants
from kg.data.model import Curation, Sign, sign_symbol
from kg.query.defaults import DEFAULT_MAX_PATHS, DEFAULT_SORT
from kg.query.paths import GraphPath, paths

#: Ways of scoring a pair from its inferred paths (the first is the path count).
SCORES: dict[str, Callable[[Sequence[GraphPath]], float]] = {
    "count": lambda ps: float(len(ps)),
    "best score": lambda ps: max((p.score for p in ps), default=0.0),
    "summed score": lambda ps: sum(p.score for p in ps),
    "best one-context score": lambda ps: max((p.score for p in ps if not p.joins),
                                             default=0.0),
    "best studies": lambda ps: float(max((p.studies for p in ps), default=0)),
}


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


@dataclass(frozen=True)
class Evaluation:
    """The figures of one run."""

    pairs: tuple[Pair, ...]
    sort: str
    max_hops: int

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

    def auroc_within_source(self, score: str) -> float:
        """AUROC comparing only pairs of the same source (answerable pairs).

        Whether the paths tell the diseases a source was tested on from the others, apart
        from how much is known about the source at all.
        """
        wins = total = 0.0
        for source in {p.source for p in self.pairs}:
            keep = [p for p in self.pairs if p.source == source and p.answerable]
            pos = [p.scores[score] for p in keep if p.held_out]
            neg = [p.scores[score] for p in keep if not p.held_out]
            if pos and neg:
                wins += auroc(pos, neg) * len(pos) * len(neg)
                total += len(pos) * len(neg)
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
    return replace(cur, claims=kept, extra_edges={}, extra_rdf=[], cache_key="", _derived={})


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


def evaluate(cur: Curation, *, sort: str = DEFAULT_SORT, max_hops: int = 4,
             max_paths: int = DEFAULT_MAX_PATHS, sources: Sequence[str] | None = None,
             diseases: Sequence[str] | None = None) -> Evaluation:
    """Run the leave-one-study-out test over every source x disease pair (or those given).

    Only inferred paths count: in the held-out copy no claim asserts the pair any more, and
    for a never-asserted pair none ever did.
    """
    all_sources, all_diseases = pairs_of(cur)
    out = []
    for source in sources or all_sources:
        for disease in diseases or all_diseases:
            asserting = _asserting(cur, source, disease)
            hidden = _hidden(cur, asserting) if asserting else set()
            search = without(cur, hidden) if hidden else cur
            res = paths(search, source, disease, max_hops=max_hops, max_paths=max_paths,
                        sort=sort, timeout=60.0)
            inferred = [p for p in res.paths if not p.asserted]
            top = inferred[0] if inferred else None
            ends = {disease} | descendants(cur, disease)
            out.append(Pair(source, disease, bool(asserting), tuple(sorted(hidden)),
                            _sign_of(cur, asserting, disease) if asserting else None,
                            {name: f(inferred) for name, f in SCORES.items()},
                            top.net_sign if top and not top.conflicting else None,
                            len(inferred),
                            any(d.entity in ends for c in search.claims.values()
                                for d in c.diseases)))
    return Evaluation(tuple(out), sort, max_hops)


def report(ev: Evaluation) -> str:
    """The figures as text: pairs, AUROC per score, the sign share."""
    right, total = ev.sign_share()
    lines = [f"leave-one-study-out, paths within {ev.max_hops} hops, ranked by '{ev.sort}'",
             f"pairs: {len(ev.positives)} held out (asserted, hidden with their studies), "
             f"{len(ev.negatives)} never asserted",
             f"held-out pairs with an inferred path: "
             f"{sum(1 for p in ev.positives if p.found)}; never-asserted: "
             f"{sum(1 for p in ev.negatives if p.found)}"]
    known = [p for p in ev.positives if p.answerable]
    lines.append(f"held-out pairs whose disease another study still names: {len(known)}")
    lines += [f"AUROC {name}: {ev.auroc(name):.3f} (all pairs), "
              f"{ev.auroc(name, answerable=True):.3f} (disease still named), "
              f"{ev.auroc_within_source(name):.3f} (same source)"
              for name in SCORES]
    share = f"{right / total:.2f}" if total else "n/a"
    both = [p for p in ev.positives if p.sign is not None and p.found]
    opposite = sum(1 for p in both if p.top_sign is not None and p.top_sign != p.sign)
    counts = Counter(p.sign for p in both)
    signs = ", ".join(f"{sign_symbol(s)} {n}" for s, n in sorted(
        counts.items(), key=lambda kv: -(kv[0] or 0)))
    lines.append(f"top inferred path has the held-out sign: {right}/{total} ({share}); "
                 f"the opposite sign: {opposite}; unknown or uncertain: "
                 f"{total - right - opposite} (held-out signs: {signs or 'none'})")
    return "\n".join(lines) + "\n"
