"""The defaults of the questions, in a module that imports nothing.

The command line draws its options from these (``--max-hops``, ``--hops``, ``--sort`` ...)
without importing the query modules that use them, so a command that asks no question
(``export``, ``check``, ``--help``) does not pay for importing them. The query modules take
their defaults from here too: each is spelled once.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_HOPS", "DEFAULT_MAX_HOPS", "DEFAULT_MAX_PATHS", "DEFAULT_PERMUTATIONS", "DEFAULT_SORT",
    "DEFAULT_TIMEOUT", "SORTS",
]

#: Longest path a path query follows, in edges.
DEFAULT_MAX_HOPS = 6
#: Paths a path query collects before it stops.
DEFAULT_MAX_PATHS = 5000
#: Seconds a path query searches before it stops.
DEFAULT_TIMEOUT = 10.0
#: Orders a query can rank its paths in (see :func:`kg.query.paths.rank_key`).
SORTS = ("score", "studies", "evidence")
#: The order a query ranks in unless told otherwise. In the leave-one-study-out test
#: (:mod:`kg.query.holdout`, ``bench/evaluate_paths.py``) it puts a path with the held-out sign
#: on top about as often as ranking on studies (one pair apart) and more often than ranking on
#: evidence, and it is the one order that penalises hops read in different contexts.
DEFAULT_SORT = "score"
#: Default radius of a neighbourhood (:mod:`kg.query.select`), in edges.
DEFAULT_HOPS = 2
#: Degree-preserving rewirings of the ranking's null model (:mod:`kg.query.rank`).
DEFAULT_PERMUTATIONS = 20
