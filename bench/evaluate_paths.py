"""Do inferred paths carry signal? The leave-one-study-out test on the curated data.

    python bench/evaluate_paths.py [--max-hops 6] [--sort score|studies|evidence|all]
                                   [--via-hierarchy [DISCOUNT]] [--in-fold] [--half 1|2]

For every (source, disease) pair some claim asserts, hide those claims and every claim of
their studies, and ask for inferred paths between the pair in what is left; ask the same of
every source x disease pair no claim asserts. Prints, per ranking, the AUROC of each pair
score (path count, best path score, summed path score, ...) over all pairs, over the pairs
whose disease another study still names, and within each source, and the share of held-out
pairs whose top inferred path has the held-out sign. ``--via-hierarchy`` adds the scores
that back off to the disease's nearest relatives in the disease hierarchy (discounted per
step, 0.25 unless given); ``--in-fold`` also compares each held-out pair with its source's
never-asserted pairs scored in the same held-out graph (slower). ``--half 1`` (``2``) keeps
the diseases at odd (even) places of the sorted list, to choose a setting on one half of the
diseases and report it on the other. The logic is
:mod:`kg.query.holdout`; ``make bench`` runs this script, the tests a quick version.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.data.curation import load
from kg.query.defaults import DEFAULT_MAX_HOPS, SORTS
from kg.query.holdout import evaluate, pairs_of, report
from kg.query.related import HIERARCHY_DISCOUNT


def main(argv: list[str] | None = None) -> int:
    """Run the test for each ranking asked for and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-hops", type=int, default=DEFAULT_MAX_HOPS)
    parser.add_argument("--sort", choices=[*SORTS, "all"], default="all")
    parser.add_argument("--via-hierarchy", type=float, nargs="?", const=HIERARCHY_DISCOUNT,
                        metavar="DISCOUNT", help="also score pairs through the disease's "
                        "nearest relatives in the hierarchy, times DISCOUNT per step")
    parser.add_argument("--in-fold", action="store_true",
                        help="also compare each held-out pair with its source's other pairs "
                        "in its own held-out graph")
    parser.add_argument("--half", type=int, choices=(1, 2),
                        help="only the diseases at odd (1) or even (2) places, sorted by id")
    args = parser.parse_args(argv)
    cur = load()
    diseases = pairs_of(cur)[1][args.half - 1::2] if args.half else None
    for sort in SORTS if args.sort == "all" else (args.sort,):
        start = time.perf_counter()
        ev = evaluate(cur, sort=sort, max_hops=args.max_hops, hierarchy=args.via_hierarchy,
                      in_fold=args.in_fold, diseases=diseases)
        print(report(ev) + f"({time.perf_counter() - start:.1f} s)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
