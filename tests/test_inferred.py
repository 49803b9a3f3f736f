"""Inferred paths a biologist can defend: stated and derived hops, contexts, the holdout test."""

from __future__ import annotations

import json

import pytest

from kg.data.model import Claim, Curation, Effect, Step
from kg.graph.edges import claim_edges, derivation, edges
from kg.graph.terms import edge_key
from kg.io.tables import kgx_tables
from kg.query.evidence import (
    claim_diseases,
    context,
    disease_ancestors,
    edge_evidence,
    joins,
    path_evidence,
)
from kg.query.holdout import (
    BASELINE,
    _asserting,
    _hidden,
    auroc,
    evaluate,
    report,
    via_hierarchy,
    without,
)
from kg.query.paths import paths
from kg.query.related import hierarchy_levels, paths_via_hierarchy
from kg.view.text import path_dict, paths_table
from tests.test_paths import toy


def test_effects_side_by_side_never_become_a_hop_between_each_other(cur: Curation) -> None:
    # li2025-cskin-01: the cells raised collagen I and VEGF, and acted on autophagy: parallel
    skin = cur.claims["li2025-cskin-01"]
    got = {(s, o): derived for s, _, o, _, derived in claim_edges(skin, cur)}
    assert ("COL1A1", "autophagy") not in got and ("VEGFA", "oxidative-stress") not in got
    assert got[("UC-MSC", "COL1A1")] is False  # the mechanism step is stated
    assert got[("UC-MSC", "autophagy")] is True  # the agent's reported effect, derived
    assert got[("COL1A1", "skin-ageing")] is True  # an effect leads to the outcome
    keys = {e.key[::2] for e in edges(cur)}
    assert ("COL1A1", "autophagy") not in keys


def test_a_cargo_mechanism_still_leads_on_to_its_effects(cur: Curation) -> None:
    c = Claim("x-1", "exosome", "S", cargo="m", mechanism=(Step("-|", ("T",)),),
              processes=(Effect("reduces", "X"), Effect("promotes", "Y")),
              diseases=(Effect("alleviates", "D"),))
    got = {(s, o): (sign, derived) for s, _, o, sign, derived in claim_edges(c, cur)}
    assert got == {("S", "m"): (1, False), ("m", "T"): (-1, False), ("T", "X"): (1, True),
                   ("T", "Y"): (-1, True), ("X", "D"): (1, True), ("Y", "D"): (-1, True)}
    assert ("X", "Y") not in got and ("Y", "X") not in got


def test_a_derived_hop_says_which_study_reported_what(cur: Curation) -> None:
    claim = cur.claims["quan2025-sfunc-10"]
    text = derivation(cur, claim, "autophagy", "Parkinsons-disease")
    assert text == ("the exosomes (miR-188-3p) reduced autophagy and alleviated "
                    "Parkinson's disease")
    assert derivation(cur, claim, "miR-188-3p", "NLRP3") == ""  # stated, not derived


def test_uc_msc_to_parkinsons_hops_say_how_they_are_known(cur: Curation) -> None:
    res = paths(cur, "umbilical cord MSC", "Parkinson's disease")
    assert res.found and not res.asserted
    for p in res.paths:
        for hop, (u, v) in zip(p.hops, zip(p.nodes, p.nodes[1:], strict=False), strict=True):
            assert hop.how in ("stated", "derived")
            assert ("COL1A1", "autophagy") != (u, v)
    d = path_dict(cur, 1, res.paths[0])
    assert all(h["how"] in ("stated", "derived") for h in d["hops"])
    derived = [h for p in res.paths for h in path_dict(cur, 1, p)["hops"]
               if h["how"] == "derived"]
    assert derived and all(h["derivations"] for h in derived)
    text = paths_table(cur, res, res.paths[:5])
    assert "derived" in text and "reduced" in text


def test_contexts_travel_with_a_hop_and_joins_are_said(cur: Curation) -> None:
    ctx = context(cur, ["quan2025-sfunc-10", "li2025-cskin-01"])
    assert ctx.diseases == ("Parkinsons-disease", "skin-ageing")
    assert "mouse" in ctx.species and "in vivo" in ctx.evidence
    res = paths(cur, "umbilical cord MSC", "Parkinson's disease")
    joined = [p for p in res.paths if p.joins]
    assert joined
    d = path_dict(cur, 1, joined[0])
    assert d["context_joins"] == joined[0].joins
    assert all({"diseases", "sources", "species", "models", "evidence"} <= set(h["context"])
               for h in d["hops"])
    assert "joins claims from different diseases" in paths_table(cur, res, joined[:1])


def test_ranking_prefers_a_chain_read_in_one_context() -> None:
    cur = toy()
    # S > c1 > T2 > X comes from claim C (no disease), X > D from claim E (disease D)
    (p,) = [p for p in paths(cur, "S", "D").paths if p.kind == "inferred"]
    assert p.joins == 1
    cur.claims["toy-c-1"] = cur.claims["toy-c-1"]._replace(
        diseases=(Effect("alleviates", "D"),))
    cur.claims["toy-e-1"] = cur.claims["toy-e-1"]._replace(source="S")
    res = paths(cur, "S", "D")
    assert all(q.joins == 0 for q in res.paths)


def test_a_hop_whose_studies_disagree_is_uncertain_never_a_sign() -> None:
    cur = toy()
    cur.claims["toy-h-1"] = Claim("toy-h-1", "exosome", "S", cargo="c1",
                                  mechanism=(Step("->", ("P",)),), refs=("toy:3",),
                                  review="toy")
    res = paths(cur, "S", "D")
    (p,) = [p for p in res.paths if p.nodes == ("S", "c1", "P", "D")]
    assert p.net_effect == "uncertain"
    hop = p.hops[-1]
    assert hop.sign_counts == {1: 1, -1: 1}  # claim B says promotes, claim A reduces
    d = path_dict(cur, 1, p)
    assert d["net_effect"] == "uncertain" and d["hops"][-1]["signs"] == {"+": 1, "-": 1}
    assert "uncertain" in paths_table(cur, res, [p]) and "+1/-1" in paths_table(cur, res, [p])


def test_the_evidence_rule_is_written_once(cur: Curation) -> None:
    for p in paths(cur, "BM-MSC", "osteoarthritis").paths[:50]:
        ev = path_evidence(cur, p)
        assert (ev.studies, ev.strength) == (p.studies, p.strength)
        for hop, hev in zip(p.hops, ev.hops, strict=True):
            assert hev == edge_evidence(cur, hop.claims)


def test_kgx_says_which_edges_a_curator_stated(cur: Curation) -> None:
    _, edges_tsv = kgx_tables(cur)
    lines = edges_tsv.decode().splitlines()
    head = lines[0].split("\t")
    rows = [dict(zip(head, line.split("\t"), strict=True)) for line in lines[1:]]
    levels = {(r["knowledge_level"], r["agent_type"]) for r in rows}
    assert levels >= {("knowledge_assertion", "manual_agent"),
                      ("logical_entailment", "automated_agent")}
    derived = {e.key for e in edges(cur) if e.derived}
    by_claims = {r["supporting_claims"] for r in rows
                 if r["knowledge_level"] == "logical_entailment"}
    assert len(by_claims) <= len(derived)


def test_auroc_by_hand() -> None:
    assert auroc([1, 2, 3], [0, 0]) == 1.0
    assert auroc([0], [1]) == 0.0
    assert auroc([1, 1], [1, 1]) == 0.5


def test_holdout_hides_every_claim_of_the_studies_it_holds_out(cur: Curation) -> None:
    asserting = _asserting(cur, "UC-MSC", "Parkinsons-disease")
    assert not asserting  # no claim asserts it: a never-asserted pair
    asserting = _asserting(cur, "BM-MSC", "osteoarthritis")
    hidden = _hidden(cur, asserting)
    left = without(cur, hidden)
    studies = {k for c in asserting for k in cur.study_keys(cur.claims[c])}
    assert not any(studies & set(left.study_keys(c)) for c in left.claims.values())
    assert not _asserting(left, "BM-MSC", "osteoarthritis")
    # knee osteoarthritis is under osteoarthritis: its BM-MSC claims go too
    assert not any(c.source == "BM-MSC" and d.entity == "knee-osteoarthritis"
                   for c in left.claims.values() for d in c.diseases)
    assert len(cur.claims) > len(left.claims) and left.claims is not cur.claims
    # the held-out copy's path search sees none of the hidden claims
    for p in paths(left, "BM-MSC", "osteoarthritis").paths:
        assert not any(h.claims & hidden for h in p.hops)


def test_holdout_quick_run(cur: Curation) -> None:
    ev = evaluate(cur, sources=["UC-MSC", "BM-MSC", "AM-MSC"],
                  diseases=["osteoarthritis", "Alzheimers-disease", "Parkinsons-disease",
                            "skin-ageing", "atherosclerosis", "premature-ovarian-failure"],
                  max_hops=4)
    assert ev.positives and ev.negatives
    for p in ev.positives:
        assert p.hidden and p.sign in (-1, 1, None)
    assert all(not p.hidden for p in ev.negatives)
    text = report(ev)
    assert "\nAUROC " in text and "\ncount " in text and "held-out sign" in text
    assert 0.0 <= ev.auroc("count") <= 1.0
    json.dumps([p.scores for p in ev.pairs])


def test_hierarchy_levels_climb_the_vocabulary_one_step_at_a_time(cur: Curation) -> None:
    levels = hierarchy_levels(cur, "Parkinsons-disease")
    assert levels[0].classes == () and "Parkinsons-disease" in levels[0].ends
    assert levels[1].classes == ("neurodegenerative-disease",)
    assert {"Alzheimers-disease", "multiple-sclerosis", "neurodegenerative-disease"} <= \
        levels[1].ends
    assert levels[2].classes == ("neurological-disease",)
    seen: set[str] = set()
    for level in levels:  # each relative at its nearest level only
        assert not seen & level.ends
        seen |= level.ends
    # parent links come from the entity tables, never from a claim
    assert all(not e.claims for e in edges(cur) if e.kind == "hierarchy")
    # a protein's pathway is no relative of it: only parents of the same type are climbed
    assert cur.entities["AKT1"].parents == ("PI3K-Akt",)
    assert [lv.level for lv in hierarchy_levels(cur, "AKT1")] == [0]


def test_paths_via_hierarchy_back_off_to_relatives_and_say_so(cur: Curation) -> None:
    assert not paths(cur, "AD-MSC", "knee-osteoarthritis").paths
    hit = paths_via_hierarchy(cur, "AD-MSC", "knee osteoarthritis")
    assert (hit.level, hit.classes, hit.weight) == (1, ("osteoarthritis",), 0.25)
    assert hit.paths and {p.nodes[-1] for p in hit.paths} <= {
        "osteoarthritis", "post-traumatic-osteoarthritis"}
    assert hit.relation(cur, "osteoarthritis") == (
        "osteoarthritis: a broader class of knee osteoarthritis (1 step up)")
    assert hit.relation(cur, "post-traumatic-osteoarthritis") == (
        "post-traumatic osteoarthritis: a relative of knee osteoarthritis (both under "
        "osteoarthritis, 1 step up)")
    # a disease some path reaches is answered as a path query answers it
    hit = paths_via_hierarchy(cur, "BM-MSC", "osteoarthritis", max_hops=3)
    assert hit.level == 0 and hit.weight == 1.0
    assert [p.nodes for p in hit.paths] == [
        p.nodes for p in paths(cur, "BM-MSC", "osteoarthritis", max_hops=3).paths]


def test_cli_via_hierarchy_labels_every_path_as_ending_at_a_relative() -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    args = ["paths", "AD-MSC", "knee osteoarthritis", "--limit", "2"]
    assert CliRunner().invoke(cli, args).exit_code == 3
    res = CliRunner().invoke(cli, [*args, "--via-hierarchy"])
    assert res.exit_code == 0
    assert res.stdout.startswith("no path reaches knee osteoarthritis within 6 hops; through "
                                 "the disease hierarchy")
    assert "not at knee osteoarthritis" in res.stdout
    assert "#1 inferred, to a relative (osteoarthritis)" in res.stdout
    assert "osteoarthritis: a broader class of knee osteoarthritis (1 step up)" in res.stdout
    data = json.loads(CliRunner().invoke(cli, [*args, "--via-hierarchy", "--format",
                                               "json"]).stdout)
    assert data["target"] == "knee-osteoarthritis" and data["via_hierarchy"]["level"] == 1
    assert all(p["kind"].endswith("to a relative") and p["ends_at_relative"]
               for p in data["paths"])


def test_hierarchy_back_off_sees_none_of_the_hidden_claims(cur: Curation) -> None:
    # UC-MSC in COPD: only the hidden studies name COPD, so only its relatives are left
    hidden = _hidden(cur, _asserting(cur, "UC-MSC", "COPD"))
    left = without(cur, hidden)
    assert not any(d.entity == "COPD" for c in left.claims.values() for d in c.diseases)
    assert hierarchy_levels(left, "COPD") == hierarchy_levels(cur, "COPD")
    hit = paths_via_hierarchy(left, "UC-MSC", "COPD")
    assert hit.level == 1 and hit.classes == ("lung-disease",) and hit.paths
    ends = hierarchy_levels(cur, "COPD")[1].ends
    for p in hit.paths:
        assert p.nodes[-1] in ends and p.nodes[-1] != "COPD"
        assert not any(h.claims & hidden for h in p.hops)


def test_holdout_quick_run_via_hierarchy_and_in_fold(cur: Curation) -> None:
    ev = evaluate(cur, sources=["UC-MSC", "AD-MSC"],
                  diseases=["COPD", "Alzheimers-disease", "Parkinsons-disease", "obesity",
                            "skin-ageing", "type-1-diabetes"],
                  max_hops=4, hierarchy=0.25, in_fold=True)
    name = via_hierarchy("summed score")
    assert {name, via_hierarchy("count"), BASELINE} <= set(ev.scores)
    copd = next(p for p in ev.positives if (p.source, p.disease) == ("UC-MSC", "COPD"))
    assert not copd.answerable and copd.scores["summed score"] == 0
    assert copd.level == 1 and copd.scores[name] > 0
    for p in ev.pairs:  # at the disease itself the back-off score is the path score
        if p.level == 0:
            assert p.scores[name] == p.scores["summed score"]
    assert all(len(p.fold) == sum(1 for n in ev.negatives if n.source == p.source)
               for p in ev.positives)
    assert all(not n.fold for n in ev.negatives)
    assert ev.auroc_in_fold(BASELINE) == 0.5  # one source in one graph: no popularity
    assert 0.0 <= ev.auroc_in_fold(name) <= 1.0
    text = report(ev)
    assert "in fold" in text and "nearest relatives" in text and name in text


def test_web_path_page_counts_dashes_and_contexts(cur: Curation) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from kg.web.app import create_app

    url = "/paths?source=umbilical+cord+MSC&disease=Parkinson%27s+disease"
    with TestClient(create_app(cur, None)) as client:
        page = client.get(url).text
        twin = client.get(url.replace("/paths", "/paths.json")).json()
    res = paths(cur, "umbilical cord MSC", "Parkinson's disease")
    assert f"{res.found} path(s) within 6 hops: 0 asserted, {res.found} inferred" in page
    assert twin["asserted"] == 0 and twin["inferred"] == res.found
    assert 'data-how="derived"' in page and "derived from quan2025-sfunc-10" in page
    assert 'class="context">context: Parkinson' in page
    assert "CONTEXTS JOINED" in page
    # the drawing dashes derived hops as exokg view does
    assert 'stroke-dasharray="7 4"' in page and "derived (read off a claim" in page


def _kgx_levels(cur: Curation) -> dict[str, tuple[str, str]]:
    """KGX edge id -> (knowledge_level, agent_type)."""
    _, edges_tsv = kgx_tables(cur)
    lines = edges_tsv.decode().splitlines()
    head = lines[0].split("\t")
    rows = [dict(zip(head, line.split("\t"), strict=True)) for line in lines[1:]]
    return {r["id"]: (r["knowledge_level"], r["agent_type"]) for r in rows}


def test_rdf_says_how_each_edge_is_known_as_kgx_does(cur: Curation) -> None:
    from rdflib import RDF, URIRef

    from kg.graph.namespace import BIOLINK, EDGE, EXO
    from kg.graph.rdf import build_rdf

    g = build_rdf(cur)
    kgx = _kgx_levels(cur)
    seen = set()
    for e in edges(cur):
        key = edge_key(*e.key)
        node = URIRef(str(EDGE) + key)
        assert (node, RDF.type, EXO.Edge) in g
        got = (str(g.value(node, BIOLINK.knowledge_level)), str(g.value(node, BIOLINK.agent_type)))
        assert len(list(g.objects(node, BIOLINK.knowledge_level))) == 1
        assert len(list(g.objects(node, BIOLINK.agent_type))) == 1
        want = ("logical_entailment", "automated_agent") if e.derived else (
            "knowledge_assertion", "manual_agent")
        assert got == want == kgx[f"exokg.edge:{key}"], (e, got)
        assert g.value(node, EXO.derived).toPython() is e.derived  # kept beside them
        seen.add(got)
    assert len(seen) == 2  # both kinds occur in the shipped data


def test_shapes_reject_an_edge_whose_three_words_for_how_disagree(cur: Curation) -> None:
    import pyshacl
    from rdflib import RDF, RDFS, Graph, Literal, URIRef

    from kg.graph.namespace import BIOLINK, EDGE, EXO
    from kg.graph.rdf import build_rdf
    from kg.io.shacl import shapes_path

    full = build_rdf(cur)
    small = Graph()
    picked = {}
    for e in edges(cur):
        if e.kind == "causal" and e.derived not in picked:
            picked[e.derived] = URIRef(str(EDGE) + edge_key(*e.key))
    for node in picked.values():
        for p, o in full.predicate_objects(node):
            small.add((node, p, o))
        for end in (RDF.subject, RDF.object):
            ent = full.value(node, end)
            for p, o in full.predicate_objects(ent):
                if p in (RDF.type, RDFS.label):
                    small.add((ent, p, o))
    shapes = Graph().parse(shapes_path(cur), format="turtle")

    def conforms(data: Graph) -> bool:
        ok, _, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
        return bool(ok)

    assert conforms(small)
    derived = picked[True]
    small.set((derived, BIOLINK.knowledge_level, Literal("knowledge_assertion")))
    assert not conforms(small)  # derived, yet a curator's assertion: the shapes say no
    small.set((derived, BIOLINK.knowledge_level, Literal("logical_entailment")))
    small.remove((derived, BIOLINK.agent_type, None))
    assert not conforms(small)
    small.add((derived, BIOLINK.agent_type, Literal("automated_agent")))
    small.set((derived, EXO.derived, Literal(False)))
    assert not conforms(small)


def test_path_json_says_how_each_hop_is_known_as_the_exports_do(cur: Curation) -> None:
    res = paths(cur, "umbilical cord MSC", "Parkinson's disease")
    kgx = _kgx_levels(cur)
    kinds = set()
    for p in res.paths[:40]:
        d = json.loads(json.dumps(path_dict(cur, 1, p)))
        for hop, h in zip(p.hops, d["hops"], strict=True):
            levels = set()
            for e, je in zip(hop.edges, h["edges"], strict=True):
                level = (je["knowledge_level"], je["agent_type"])
                assert level == kgx[f"exokg.edge:{edge_key(*e.key)}"]
                assert je["derived_sign"] is (level[0] == "logical_entailment")
                levels.add(level[0])
            # a hop is derived when every edge of it is read off reported effects
            assert h["how"] == ("derived" if levels == {"logical_entailment"} else "stated")
            kinds.add(h["how"])
    assert kinds == {"stated", "derived"}


def test_contexts_are_compared_through_the_disease_hierarchy(cur: Curation) -> None:
    above = disease_ancestors(cur)
    assert "osteoarthritis" in above["post-traumatic-osteoarthritis"]
    assert "osteoarthritis" in above["knee-osteoarthritis"]
    res = paths(cur, "bone marrow MSC", "osteoarthritis")
    (p,) = [p for p in res.paths
            if p.nodes == ("BM-MSC", "cartilage-matrix-synthesis", "post-traumatic-osteoarthritis")]
    assert not p.asserted
    diseases = claim_diseases(cur)
    parts = [(h.claims, frozenset(d for c in h.claims for d in diseases[c])) for h in p.hops]
    assert [sorted(d) for _, d in parts] == [["osteoarthritis"], ["post-traumatic-osteoarthritis"]]
    assert joins(parts) == 1  # by disease id alone they would be two contexts
    assert p.joins == 0  # post-traumatic osteoarthritis is an osteoarthritis: one context
    d = path_dict(cur, 1, p)
    assert d["context_joins"] == 0
    head = next(line for line in paths_table(cur, res, [p]).splitlines() if line.startswith("#1"))
    assert "CONTEXTS JOINED" not in head
    f = frozenset
    # siblings under osteoarthritis are not one context, nor are unrelated diseases
    assert joins([(f({"a"}), f({"knee-osteoarthritis"})),
                  (f({"b"}), f({"post-traumatic-osteoarthritis"}))], above) == 1
    assert joins([(f({"a"}), f({"Parkinsons-disease"})), (f({"b"}), f({"skin-ageing"}))],
                 above) == 1
    # a disease and one further up (Parkinson's within neurodegenerative disease) share one
    assert joins([(f({"a"}), f({"neurodegenerative-disease"})),
                  (f({"b"}), f({"Parkinsons-disease"}))], above) == 0
