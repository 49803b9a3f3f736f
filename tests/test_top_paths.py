"""``paths`` with ``keep``: the best paths of a query without building the others, the same answer
as the exhaustive search (``kg.query.paths._BEST_FIRST`` off)."""

from __future__ import annotations

from typing import Any

import pytest

from kg.data.curation import load
from kg.data.model import Curation
from kg.query import paths as query_paths
from kg.query.paths import PathResult, paths
from kg.web.data import choices
from tests.conftest import TRIPLES


@pytest.fixture(scope="module")
def cur() -> Curation:
    return load(TRIPLES)


def _same(a: PathResult, b: PathResult) -> bool:
    return (a.source, a.target, a.paths, a.found, a.asserted, a.capped, a.timed_out,
            a.max_hops) == (b.source, b.target, b.paths, b.found, b.asserted, b.capped,
                            b.timed_out, b.max_hops)


def _pairs(cur: Curation, every: int) -> list[tuple[str, str]]:
    picks = choices(cur)
    pairs = [(s["id"], d["id"]) for s in picks["sources"] for d in picks["diseases"]]
    return pairs[::every]


@pytest.mark.parametrize("options", [
    {"keep": 20}, {"keep": 1}, {"keep": 5, "max_hops": 4}, {"keep": 20, "asserted_only": True},
    {"keep": 20, "evidence": "in-vivo"}, {"keep": 3, "max_paths": 40},
    {"keep": 20, "exact": True}, {"keep": 10, "via": True},
    # orders and filters that take the exhaustive search either way
    {"keep": 20, "sort": "studies"}, {"keep": 20, "min_studies": 2}, {"keep": None},
])
def test_best_first_equals_the_best_of_every_path(cur: Curation, options: dict[str, Any],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    options = dict(options)
    if options.pop("exact", False):
        options["include_subtypes"] = False
    if options.get("via"):  # the entity before the disease on a top answer
        options["via"] = [paths(cur, "BM-MSC", "osteoarthritis", keep=1).paths[0].nodes[-2]]
    compared = with_paths = 0
    for source, disease in _pairs(cur, 9):
        top = paths(cur, source, disease, **options)
        with monkeypatch.context() as m:
            m.setattr(query_paths, "_BEST_FIRST", False)
            full = paths(cur, source, disease, **options)
        assert _same(full, top), (source, disease, options)
        compared += 1
        with_paths += full.found > (options["keep"] or 0)
    assert compared > 100
    if options == {"keep": 20}:
        assert with_paths > 20  # the sample holds answers with paths left out


def test_best_first_refuses_what_the_exhaustive_search_refuses(
        cur: Curation, monkeypatch: pytest.MonkeyPatch) -> None:
    for bad in ({"keep": 0}, {"max_hops": 0, "keep": 5}):
        with pytest.raises(Exception) as top:
            paths(cur, "BM-MSC", "osteoarthritis", **bad)
        with monkeypatch.context() as m, pytest.raises(Exception) as full:
            m.setattr(query_paths, "_BEST_FIRST", False)
            paths(cur, "BM-MSC", "osteoarthritis", **bad)
        assert (type(full.value), str(full.value)) == (type(top.value), str(top.value))
