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
    # premature ovarian failure: no pathway lies on more source->disease paths than in the
    # (seeded) rewired graphs, so the ranking falls back to studies. Osteoarthritis, the
    # earlier example (tied betweenness), has one pathway left once the claims that only
    # proposed it lost the condition; no disease ties today
    code, out = run("rank", "--disease", "premature ovarian failure")
    assert code == 0
    _, legend = out.split("\nranked by ", 1)
    assert legend.startswith("studies, then claims, because ")
    assert "z: betweenness against 20 degree-preserving rewirings" in legend
    code, out = run("rank", "--disease", "premature ovarian failure", "--format", "json")
    assert "ranked by" not in out


def test_trials_and_clinical_claims_agree(cur: Curation) -> None:
    from kg.query.claims import claims
    from kg.query.trials import trials

    for disease in ("osteoarthritis", "Alzheimer's disease", "premature ovarian failure"):
        rows = trials(cur, disease)
        reported = {cur.citations[r] for row in rows for r in (
            *(cur.trials[row.id].refs if row.id in cur.trials else cur.claims[row.id].refs),
            row.trial) if r in cur.citations}
        for c in claims(cur, disease=disease, evidence="clinical"):
            assert c.id in {r.id for r in rows} or set(c.studies) & reported, (disease, c.id)
    code, out = run("trials", "osteoarthritis")
    assert code == 0 and "0 published clinical study" not in out
    assert "quan2025-sintro-01" in out


def test_anything_printed_can_be_looked_up() -> None:
    code, out = run("show", "wei2024-s4.1-01")
    assert code == 0 and out.startswith("wei2024-s4.1-01 (claim): bone marrow MSC")
    code, out = run("show", "NCT04388982")
    assert code == 0 and "unknown entity" not in out and out.count("NCT04388982") >= 3
    code, out = run("trials", "NCT04388982")
    assert code == 0 and "unknown entity" not in out
    # a block of lines per report (the table is wider than a pipe): each names the trial
    trials = [ln.split()[1] for ln in out.splitlines() if ln.startswith("trial ")]
    assert trials and set(trials) == {"NCT04388982"}
    code, out = run("trials", "NCT04388982", "--format", "tsv")
    lines = out.splitlines()[1:]
    assert len(lines) == len(trials) and all(ln.startswith("NCT04388982\t") for ln in lines)
    code, out = run("show", "no-such-thing-anywhere")
    assert code != 0 and "unknown entity" in out


def test_trial_nodes_in_drawings_link_to_pages_that_exist(cur: Curation) -> None:
    import re

    import pytest

    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from kg.graph.edges import trial_nodes
    from kg.web.app import create_app
    from kg.web.data import trials_page
    from kg.web.render import Links, render

    with TestClient(create_app(cur, None)) as client:
        page = client.get("/entity/Alzheimers-disease").text
        links = set(re.findall(r'href="(/trials\?trial=[^"]+)"', page))
        assert links and not re.search(r'href="/entity/NCT', page)
        for url in sorted(links)[:3]:
            answer = client.get(url.replace("&amp;", "&"))
            assert answer.status_code == 200 and "<td>NCT" in answer.text
    site = Links(site=True, depth=1)
    assert site.node("NCT04388982") == "../trials.html#NCT04388982"
    html = render("trials.html", trials_page(cur), Links(site=True))
    anchors = set(re.findall(r'<tr id="([^"]+)"', html))
    assert set(trial_nodes(cur)) <= anchors


def test_web_rank_page_says_what_it_ranked_by(cur: Curation) -> None:
    from kg.web.data import rank_page

    d = rank_page(cur, disease="premature ovarian failure")
    assert d["ranked_by"] == "studies" and d["notes"]
    assert d["legend"][0].startswith("ranked by studies, then claims, because ")
