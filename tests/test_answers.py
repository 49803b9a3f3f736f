"""Answers that agree: rank says when a measure cannot separate, trials and claims agree,
anything an output prints can be looked up."""

from __future__ import annotations

from click.testing import CliRunner

from kg.cli import cli
from kg.data.model import Curation
from kg.query.hubs import hubs

from .conftest import TRIPLES


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "--no-cache", *args])
    return result.exit_code, result.output


def test_rank_falls_back_when_betweenness_cannot_separate(cur: Curation) -> None:
    fell_back = 0
    for disease in ("Alzheimer's disease", "osteoarthritis", "premature ovarian failure",
                    "neurodegenerative disease"):
        res = hubs(cur, disease, permutations=20)
        values = {r.betweenness for r in res.rows}
        zs = [r.z for r in res.rows if r.z is not None]
        cannot = len(res.rows) > 1 and (len(values) == 1 or (zs and max(zs) < 0))
        assert bool(res.notes) == bool(cannot), disease
        if cannot:
            fell_back += 1
            assert res.ranked_by == "studies"
            keys = [(-r.studies, -r.claims) for r in res.rows]
            assert keys == sorted(keys)
        else:
            assert res.ranked_by == "betweenness"
    assert fell_back  # the data has such a disease


def test_rank_table_has_a_legend_that_says_what_it_ranked_by() -> None:
    code, out = run("rank", "--disease", "Alzheimer's disease")
    assert code == 0
    _, legend = out.split("\nranked by ", 1)
    assert legend.startswith("studies, then claims, because ")
    assert "z: betweenness against 20 degree-preserving rewirings" in legend
    code, out = run("rank", "--disease", "Alzheimer's disease", "--format", "json")
    assert "ranked by" not in out
