"""The researchers' questions: claims, trials, matrix, hallmarks, search, hubs per disease.

Each function is checked on a toy folder whose answers are worked out by hand below, and on
the curated data against what the three source reviews print;
the commands are checked on their printed output and exit codes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.data.curation import load
from kg.data.model import Curation
from kg.errors import AmbiguousNameError, QueryError, UnknownEntityError
from kg.query.claims import claims
from kg.query.evidence import (
    claim_evidence,
    edge_evidence,
    path_evidence,
    species_of,
    strongest,
    weakest,
)
from kg.query.hubs import describe, hubs
from kg.query.matrix import hallmarks, matrix
from kg.query.paths import paths
from kg.query.rank import rank
from kg.query.rollup import hallmark_rollup
from kg.query.search import search
from kg.query.trials import PUBLISHED, REGISTERED, clinical_claims, trials

from .conftest import TRIPLES

# --- the toy folder ------------------------------------------------------------------------
#
# tests/data/mini has two claims (toy2024-t1-01: BM-MSC > miR-1 -| PTEN -> PI3K-Akt, promotes
# angiogenesis, alleviates osteoarthritis, in vivo, study smith2020; toy2024-t1-02: BM-MSC
# -| NF-kB, reduces inflammation, alleviates OA, in vitro, study jones2021) and one trial
# (NCT01234567, BM-MSC exosomes in osteoarthritis). The copy adds:
#
#   knee-OA (a kind of osteoarthritis), miR-1-5p (under miR-1), a hallmark above inflammation;
#   toy2024-t1-03  AD-MSC > miR-1-5p -| PTEN, reduces inflammation, alleviates knee-OA,
#                  in vitro and in vivo, mice, study smith2020 (the same study as t1-01)
#   toy2024-t1-04  cells, BM-MSC, reduces inflammation, alleviates Alzheimer's, clinical,
#                  patients, study wu2022, flagged
#   toy2024-t1-05  BM-MSC > miR-1 -| PTEN, promotes angiogenesis, alleviates osteoarthritis,
#                  no evidence stated, study smith2020 again (t1-01 read in the text)
#   toy2024-t2-02  a published study without a registry number (toy2024:3), MSC cells in
#                  knee-OA, phase 1/2, Completed

EXTRA_ENTITIES = """\
knee-OA\tdisease\tknee osteoarthritis\tosteoarthritis\t\t
miR-1-5p\tmirna\tmiR-1-5p\tmiR-1\t\t
hallmark-inflammation\thallmark\tchronic inflammation\t\t\t
"""
EXTRA_CLAIMS = """\
toy2024-t1-03\texosome\tAD-MSC\t\tmiR-1-5p\t-| PTEN\treduces inflammation\talleviates knee-OA\t\
in vitro|in vivo\tAPP mice; chondrocytes\t\ttoy2024:1\ttoy2024\tTable 1, row 3\t
toy2024-t1-04\tcells\tBM-MSC\t\t\t\treduces inflammation\talleviates Alzheimers-disease\t\
clinical\t12 patients\t\ttoy2024:3\ttoy2024\tSection 4\t
toy2024-t1-05\texosome\tBM-MSC\t\tmiR-1\t-| PTEN\tpromotes angiogenesis\t\
alleviates osteoarthritis\t\t\t\ttoy2024:1\ttoy2024\tSection 3\t
"""
EXTRA_TRIALS = """\
toy2024-t2-02\ttoy2024:3\tcells\tAD-MSC\tknee-OA\tintra-articular\t1/2\t12\tCompleted\t\
open label\tless pain\ttoy2024:3\ttoy2024\tSection 4\t
"""


@pytest.fixture()
def toy(mini: Path) -> Curation:
    """The mini folder with the rows above added (a copy: tests/data/mini is unchanged)."""
    entities = mini / "entities" / "all.tsv"
    text = entities.read_text(encoding="utf-8").replace(
        "inflammation\tprocess\tinflammation\t", "inflammation\tprocess\tinflammation\t"
        "hallmark-inflammation")
    entities.write_text(text + EXTRA_ENTITIES, encoding="utf-8")
    with (mini / "claims" / "toy2024.tsv").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA_CLAIMS)
    claims_file = mini / "claims" / "toy2024.tsv"
    lines = claims_file.read_text(encoding="utf-8").splitlines()
    lines[0] += "\tflag"
    lines = [line + ("\ttoy caveat" if line.startswith("toy2024-t1-04") else "\t")
             if i else line for i, line in enumerate(lines)]
    claims_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (mini / "trials" / "toy2024.tsv").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA_TRIALS)
    return load(mini)


def ids(rows: list[object]) -> list[str]:
    return [r.id for r in rows]  # type: ignore[attr-defined]


# --- claims ----------------------------------------------------------------------------------


def test_claims_narrower_entities_count_unless_exact(toy: Curation) -> None:
    assert ids(claims(toy, cargo="miR-1")) == ["toy2024-t1-01", "toy2024-t1-03",
                                               "toy2024-t1-05"]
    assert ids(claims(toy, cargo="miRNA-1", exact=True)) == ["toy2024-t1-01", "toy2024-t1-05"]
    assert ids(claims(toy, disease="OA")) == ["toy2024-t1-01", "toy2024-t1-02", "toy2024-t1-03",
                                              "toy2024-t1-05"]
    assert ids(claims(toy, disease="osteoarthritis", exact=True)) == [
        "toy2024-t1-01", "toy2024-t1-02", "toy2024-t1-05"]
    assert len(claims(toy, source="MSC")) == 5
    assert claims(toy, source="MSC", exact=True) == []


def test_claims_filters_combine(toy: Curation) -> None:
    # PTEN is a member of PI3K-Akt: the pathway finds the claims naming PTEN unless exact
    assert ids(claims(toy, pathway="PI3K-Akt")) == ["toy2024-t1-01", "toy2024-t1-03",
                                                    "toy2024-t1-05"]
    assert ids(claims(toy, pathway="PI3K-Akt", exact=True)) == ["toy2024-t1-01"]
    assert ids(claims(toy, target="PTEN", source="AD-MSC")) == ["toy2024-t1-03"]
    # a hallmark as process: every claim changing inflammation
    assert ids(claims(toy, process="chronic inflammation")) == [
        "toy2024-t1-02", "toy2024-t1-03", "toy2024-t1-04"]
    assert ids(claims(toy, study="smith2020")) == ["toy2024-t1-01", "toy2024-t1-03",
                                                   "toy2024-t1-05"]
    assert ids(claims(toy, study="toy2024:2")) == ["toy2024-t1-02"]
    assert ids(claims(toy, evidence="in-vivo")) == ["toy2024-t1-01", "toy2024-t1-03"]
    assert ids(claims(toy, evidence="not stated")) == ["toy2024-t1-05"]
    assert ids(claims(toy, agent="cells")) == ["toy2024-t1-04"]
    assert ids(claims(toy, review="toy2024", agent="exosome", disease="knee-OA")) == [
        "toy2024-t1-03"]


def test_claim_row_fields(toy: Curation) -> None:
    (row,) = claims(toy, cargo="miR-1-5p")
    assert (row.source, row.source_id, row.agent, row.cargo) == (
        "adipose-derived MSC", "AD-MSC", "exosome", "miR-1-5p")
    assert row.mechanism == "-| PTEN"
    assert row.effects == ("reduces inflammation", "alleviates knee osteoarthritis")
    assert row.evidence == ("in vitro", "in vivo") and row.strength == "in vivo"
    assert row.species == ("mouse",) and row.model == "APP mice; chondrocytes"
    assert row.citations == ("Smith 2020, J Toy [toy2024:1]",)
    assert row.studies == ("smith2020",)
    assert (row.review, row.where, row.flag) == ("toy2024", "Table 1, row 3", "")
    (flagged,) = claims(toy, agent="cells")
    assert flagged.flag == "toy caveat" and flagged.species == ("human",)
    assert json.loads(json.dumps([row.__dict__]))[0]["id"] == "toy2024-t1-03"


def test_claims_refuse_bad_names(toy: Curation) -> None:
    with pytest.raises(UnknownEntityError):
        claims(toy, cargo="miR-999")
    with pytest.raises(AmbiguousNameError):
        claims(toy, disease="AD")
    with pytest.raises(QueryError, match="is a disease"):
        claims(toy, source="osteoarthritis")
    with pytest.raises(QueryError, match="unknown review"):
        claims(toy, review="nope2020")
    with pytest.raises(QueryError, match="unknown study"):
        claims(toy, study="nobody1999")
    with pytest.raises(QueryError, match="evidence must be"):
        claims(toy, evidence="anecdotal")


def test_claims_mir21_real(cur: Curation) -> None:
    """miR-21 covers its children in the vocabulary: miR-21-5p and the mouse miR-21a arms
    (wei2024 Table 2 row 17 is miR-21-5p on PDCD4, ref 86; li2025 Table 2 row 14 is
    miR-21a-5p on KLF6 and ERK1/2, ref 66): one question instead of four."""
    found = {r.id: r for r in claims(cur, cargo="miR-21")}
    assert {"wei2024-t2-17", "li2025-sPOF-05", "li2025-t2-14"} <= set(found)
    assert found["wei2024-t2-17"].mechanism == "-| PDCD4"
    assert "Wang 2023, Stem Cells [wei2024:86]" in found["wei2024-t2-17"].citations
    assert {r.cargo_id for r in found.values()} == {"miR-21", "miR-21-5p", "miR-21a-5p"}
    exact = claims(cur, cargo="miR-21", exact=True)
    assert {r.cargo_id for r in exact} == {"miR-21"}
    a5p = claims(cur, cargo="miR-21a-5p")
    assert {r.id for r in a5p} == {"li2025-sAS-02", "li2025-t2-14"}
    assert all(r.studies == ("ma2021",) and r.species == ("mouse",) for r in a5p)


# --- evidence --------------------------------------------------------------------------------


def test_evidence_rule_on_toy(toy: Curation) -> None:
    assert claim_evidence(toy, "toy2024-t1-05").strength == "not stated"
    assert claim_evidence(toy, "toy2024-t1-04").strength == "clinical"
    ev = edge_evidence(toy, ["toy2024-t1-01", "toy2024-t1-05"])
    assert (ev.claims, ev.studies, ev.strength) == (2, 1, "in vivo")
    ev = edge_evidence(toy, ["toy2024-t1-02", "toy2024-t1-05", "NCT01234567"])
    assert (ev.claims, ev.studies, ev.strength) == (2, 2, "in vitro")
    assert strongest(["in vitro", "clinical"]) == "clinical"
    assert weakest(["in vivo", "not stated"]) == "not stated"
    assert species_of("rat, ovariectomy; MC3T3-E1 cells") == ("rat",)


def test_path_evidence_weakest_hop(toy: Curation) -> None:
    res = paths(toy, "BM-MSC", "knee-OA")
    by_nodes = {p.nodes: p for p in res.paths}
    # stitched: BM-MSC reduces inflammation (t1-02 in vitro, t1-04 clinical: the hop is
    # clinical) ... inflammation -> knee-OA (t1-03, in vivo): the path is as strong as the
    # weaker hop. (t1-02's NF-κB and inflammation are effects side by side: no hop joins them.)
    inferred = by_nodes[("BM-MSC", "inflammation", "knee-OA")]
    assert ("BM-MSC", "NF-kB", "inflammation", "knee-OA") not in by_nodes
    ev = path_evidence(toy, inferred)
    assert ev.strength == "in vivo" and ev.studies == 1
    assert [h.strength for h in ev.hops] == ["clinical", "in vivo"]
    asserted = paths(toy, "BM-MSC", "osteoarthritis", asserted_only=True,
                     include_subtypes=False)
    first = asserted.paths[0]
    assert first.asserted_by
    ev = path_evidence(toy, first)
    assert ev.studies == first.studies


# --- trials ----------------------------------------------------------------------------------


def test_trials_on_toy(toy: Curation) -> None:
    rows = trials(toy, "osteoarthritis")
    assert [(r.trial, r.kind) for r in rows] == [("NCT01234567", REGISTERED),
                                                 ("toy2024:3", PUBLISHED)]
    assert rows[1].citations == ("Wu 2022, J Toy [toy2024:3]",)
    assert [r.trial for r in trials(toy, "OA", exact=True)] == ["NCT01234567"]
    assert [r.trial for r in trials(toy, phase="1")] == ["toy2024:3"]
    assert [r.trial for r in trials(toy, status="completed")] == ["toy2024:3"]
    assert [r.trial for r in trials(toy, agent="cells")] == ["toy2024:3"]
    assert [r.trial for r in trials(toy, source="MSC")] == ["NCT01234567", "toy2024:3"]
    assert trials(toy, source="MSC", exact=True) == []
    with pytest.raises(QueryError, match="not a disease"):
        trials(toy, "BM-MSC")


def test_trials_knee_oa_real(cur: Curation) -> None:
    """wei2024 Table 3, BMSC-Exos: 'Knee Osteoarthritis | Injection | 33 veterans received
    a single 2 mL dose of Exo | ... | NCT05060107'. Quan's three clinical MSC studies in knee
    osteoarthritis (claims with evidence clinical, no trial report) follow as published
    studies."""
    rows = trials(cur, "osteoarthritis")
    (row,) = [r for r in rows if r.kind == REGISTERED]
    assert [r.id for r in rows if r.kind == PUBLISHED] == [
        "quan2025-sintro-01", "quan2025-sintro-02", "quan2025-sintro-03"]
    assert (row.trial, row.kind, row.source_id, row.disease_ids) == (
        "NCT05060107", REGISTERED, "BM-MSC", ("knee-osteoarthritis",))
    assert (row.enrollment, row.route, row.review, row.where) == (
        "33", "injection", "wei2024", "Table 3, row 6")
    assert "77%" in row.outcome and "80%" in row.outcome


def test_trials_published_studies_real(cur: Curation) -> None:
    """Table 3 of wei2024 cites [179] (acne scars) and [29] (chronic kidney disease) instead
    of a registry number; li2025 cites [39] (atherosclerosis) and [24] (POF)."""
    published = {r.trial for r in trials(cur) if r.kind == PUBLISHED and r.id in cur.trials}
    assert published == {"wei2024:179", "wei2024:29", "li2025:39", "li2025:24"}
    from_claims = {r.id for r in trials(cur) if r.kind == PUBLISHED and r.id in cur.claims}
    assert from_claims == {c.id for c in clinical_claims(cur)}
    assert all("clinical" in cur.claims[c].evidence for c in from_claims)
    (acne,) = [r for r in trials(cur, "acne scars")]
    assert acne.kind == PUBLISHED and acne.enrollment == "25"
    phase1 = trials(cur, "Alzheimer's disease", phase="1", status="Completed")
    assert {r.trial for r in phase1} == {"NCT02600130", "NCT02054208", "NCT03117738",
                                         "NCT04388982"}


# --- matrix and hallmarks ----------------------------------------------------------------------


def test_matrix_counts_distinct_studies(toy: Curation) -> None:
    m = matrix(toy)
    cell = m.cell("BM-MSC", "osteoarthritis")
    assert cell is not None
    # t1-01, t1-02 and t1-05: t1-05 is study smith2020 again, so 2 studies for 3 claims
    assert (cell.studies, cell.claims) == (2, ("toy2024-t1-01", "toy2024-t1-02",
                                               "toy2024-t1-05"))
    assert cell.strength == "in vivo"
    assert m.cell("AD-MSC", "knee-OA").studies == 1  # type: ignore[union-attr]
    assert m.cell("AD-MSC", "osteoarthritis") is None
    assert m.rows[0] == "BM-MSC"
    assert m.counts()[m.rows.index("BM-MSC")][m.cols.index("Alzheimers-disease")] == 1
    cargo = matrix(toy, "cargo", "disease")
    assert {(c.row, c.col, c.studies) for c in cargo.cells} == {
        ("miR-1", "osteoarthritis", 1), ("miR-1-5p", "knee-OA", 1)}
    marks = matrix(toy, "source", "hallmark")
    assert {(c.row, c.studies, c.claims) for c in marks.cells} == {
        ("BM-MSC", 2, ("toy2024-t1-02", "toy2024-t1-04")), ("AD-MSC", 1, ("toy2024-t1-03",))}
    assert matrix(toy, agent="cells").cells[0].claims == ("toy2024-t1-04",)
    with pytest.raises(QueryError):
        matrix(toy, "disease", "source")


def test_matrix_real_text_and_table_count_once(cur: Curation) -> None:
    """li2025 prints the miR-21a-5p/KLF6 study (ref 66) in Table 2 and again in the text."""
    cell = matrix(cur, "cargo", "disease").cell("miR-21a-5p", "atherosclerosis")
    assert cell is not None
    assert set(cell.claims) == {"li2025-sAS-02", "li2025-t2-14"} and cell.studies == 1
    m = matrix(cur)
    total = {c.row: 0 for c in m.cells}
    for c in m.cells:
        assert c.studies <= len(c.claims) * 3
        total[c.row] += 1
    assert set(m.rows) == set(total)


def test_hallmarks_on_toy(toy: Curation) -> None:
    (row,) = hallmarks(toy)
    assert row.hallmark == "hallmark-inflammation"
    assert row.claims == ("toy2024-t1-02", "toy2024-t1-03", "toy2024-t1-04")
    assert row.studies == 3
    assert row.processes == (("inflammation", 3),)
    assert row.sources == (("bone marrow MSC", 2), ("adipose-derived MSC", 1))
    (exo,) = hallmarks(toy, agent="exosome")
    assert exo.claims == ("toy2024-t1-02", "toy2024-t1-03")


def test_hallmarks_agree_with_rollup_real(cur: Curation) -> None:
    mine = {r.hallmark: (len(r.claims), r.studies) for r in hallmarks(cur)}
    theirs = {r.hallmark: (r.claims, r.studies) for r in hallmark_rollup(cur)}
    assert mine == theirs
    assert "hallmark-chronic-inflammation" == hallmarks(cur)[0].hallmark


# --- search -----------------------------------------------------------------------------------


def test_search_on_toy(toy: Curation) -> None:
    hits = search(toy, "mir1")
    assert [(h.id, h.how) for h in hits[:2]] == [("miR-1", "exact"), ("miR-1-5p", "prefix")]
    osteo = search(toy, "osteo")
    assert [(h.id, h.how) for h in osteo] == [("osteoarthritis", "prefix"),
                                              ("knee-OA", "substring")]
    assert osteo[0].score > osteo[1].score
    (loose,) = [h for h in search(toy, "hsa-miR-1") if h.score == 1.0]
    assert (loose.id, loose.how, loose.matched) == ("miR-1", "resolved", "hsa-miR-1")
    assert {(h.id, h.how) for h in search(toy, "AD") if h.score == 1.0} == {
        ("AD-MSC", "ambiguous"), ("Alzheimers-disease", "ambiguous")}
    (fuzzy,) = search(toy, "alzhimer")
    assert (fuzzy.id, fuzzy.how, fuzzy.type) == ("Alzheimers-disease", "fuzzy", "disease")
    assert next(h.id for h in search(toy, "MSC", entity_type="source")) == "MSC"
    assert all(h.type == "source" for h in search(toy, "MSC", entity_type="source"))
    assert search(toy, "zzzzqqq") == []
    with pytest.raises(QueryError):
        search(toy, "msc", entity_type="planet")
    with pytest.raises(QueryError):
        search(toy, " - ")


def test_search_real(cur: Curation) -> None:
    top = search(cur, "hucMSC")[0]
    assert (top.id, top.how, top.matched) == ("UC-MSC", "exact", "hucMSC")
    assert search(cur, "nfkb")[0].id == "NF-kB"
    assert [h.id for h in search(cur, "miR-21", entity_type="mirna", limit=4)] == [
        "miR-21", "miR-21-5p", "miR-21a-3p", "miR-21a-5p"]


# --- hubs --------------------------------------------------------------------------------------


def test_hubs_per_disease_on_toy(toy: Curation) -> None:
    """By hand: t1-02 (BM-MSC -| NF-κB, reduces inflammation, alleviates OA) lists NF-κB and
    inflammation side by side, so each leads to osteoarthritis and BM-MSC reaches both. On
    the osteoarthritis claims (t1-01, 02, 03, 05) bone marrow MSC reaches osteoarthritis by
    two shortest routes, through NF-kB and through inflammation (NF-kB: 1/2), and knee-OA
    through inflammation only; adipose MSC goes through PTEN and inflammation: NF-kB has
    betweenness 0.5, PI3K-Akt 0. All claims (t1-04 adds inflammation -> Alzheimer's) and
    the exosome claims give the same."""
    oa = {r.entity: r.betweenness for r in hubs(toy, "osteoarthritis", permutations=0).rows}
    assert oa == {"NF-kB": 0.5, "PI3K-Akt": 0.0}
    everything = {r.entity: r.betweenness for r in rank(toy, permutations=0).rows}
    assert everything == {"NF-kB": 0.5, "PI3K-Akt": 0.0}
    assert {r.entity: r.betweenness
            for r in hubs(toy, agent="exosome", permutations=0).rows} == oa
    assert hubs(toy, "Alzheimer's disease", permutations=0).rows == []
    assert describe(toy, "OA") == ("ranked on the 4 claim(s) reaching osteoarthritis (and "
                                   "narrower diseases)")
    with pytest.raises(QueryError, match="not a disease"):
        hubs(toy, "BM-MSC")
    with pytest.raises(QueryError, match="no claim"):
        hubs(toy, "OA", agent="cells")


def test_hubs_neurodegeneration_differ_real(cur: Curation) -> None:
    neuro = hubs(cur, "neurodegenerative disease", permutations=0)
    overall = rank(cur, permutations=0)
    assert neuro.nodes < overall.nodes
    assert [r.entity for r in neuro.rows[:3]] != [r.entity for r in overall.rows[:3]]
    # every claim counted reaches a neurodegenerative disease
    reach = {r.id for r in claims(cur, disease="neurodegenerative disease")}
    nrf2 = next(r for r in neuro.rows if r.entity == "Nrf2-ARE")
    via = {r.id for r in claims(cur, pathway="Nrf2-ARE", exact=True)} & reach
    assert nrf2.claims == len(via)


# --- the public API --------------------------------------------------------------------------


def test_exported_from_kg() -> None:
    assert kg.claims is claims and kg.trials is trials and kg.matrix is matrix
    assert kg.hallmarks is hallmarks and kg.search is search


# --- the commands ------------------------------------------------------------------------------


def run(*args: str, data: Path = TRIPLES, env: dict[str, str] | None = None
        ) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(data), *args], env=env)
    return result.exit_code, result.output


def test_cli_claims() -> None:
    code, out = run("claims", "--cargo", "miR-21-5p")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "2 claim(s) from 2 distinct studies; 1 flagged"
    # ten columns do not fit the width of a pipe: a block of lines per claim
    assert lines[1].split() == ["claim", "li2025-sPOF-05"]
    row = next(block for block in out.split("\n\n") if "claim      wei2024-t2-17" in block)
    assert "bone marrow MSC" in row and "-| PDCD4" in row and "wei2024, Table 2, row 17" in row
    code, out = run("claims", "--cargo", "miR-21-5p", env={"COLUMNS": "300"})
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["claim", "source", "agent"]
    row = next(line for line in lines if line.startswith("wei2024-t2-17"))
    assert "bone marrow MSC" in row and "-| PDCD4" in row and "wei2024, Table 2, row 17" in row
    code, out = run("claims", "--cargo", "miR-21-5p", "--format", "json")
    data = json.loads(out)
    assert {d["id"] for d in data} == {"wei2024-t2-17", "li2025-sPOF-05"}
    assert data[0]["citations"] and "strength" in data[0]
    code, out = run("claims", "--disease", "osteoarthritis", "--limit", "2")
    assert code == 0 and "note: showing 2 of" in out


def test_cli_claims_long_cells_wrap_with_every_word() -> None:
    code, out = run("claims", "--cargo", "miR-21", "--exact")
    assert code == 0 and "…" not in out
    words = set(out.split())
    for row in claims(load(TRIPLES), cargo="miR-21", exact=True):
        shown = " ".join(("; ".join(row.effects), "; ".join(row.citations), row.flag))
        assert set(shown.split()) <= words


def test_cli_errors_and_empty_answers() -> None:
    code, out = run("claims", "--cargo", "miR-99999")
    assert code == 1 and "unknown entity 'miR-99999'" in out
    code, out = run("claims", "--disease", "AD")
    assert code == 1 and "ambiguous name 'AD'" in out
    code, out = run("claims", "--cargo", "miR-21a-5p", "--evidence", "clinical")
    assert code == 3 and "no claim matches the filters given" in out
    code, out = run("trials", "osteoarthritis", "--source", "AD-MSC")
    assert code == 3 and "no trial matches the filters given" in out
    code, out = run("search", "qqqqzzzz")
    assert code == 3 and "no entity matches 'qqqqzzzz'" in out
    code, out = run("trials", "BMSC")
    assert code == 1 and "not a disease" in out
    code, out = run("rank", "--disease", "zzz-not-a-disease")
    assert code == 1 and "unknown entity" in out


def test_cli_trials() -> None:
    code, out = run("trials", "osteoarthritis")
    assert code == 0, out
    assert out.splitlines()[0] == ("4 report(s) of 1 registered trial(s) and 3 published "
                                   "clinical study(ies) without a registry number")
    assert "NCT05060107" in out and "knee osteoarthritis" in out and "wei2024-t3-06" in out
    code, out = run("trials", "--format", "tsv")
    assert "published study\tcells\tadipose-derived MSC\tatherosclerosis" in out


def test_cli_matrix_and_hallmarks() -> None:
    code, out = run("matrix", "--rows", "cargo", "--limit", "0", "--format", "tsv")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("miR-21a-5p\t"))
    assert row.split("\t")[1:4] == ["atherosclerosis", "1", "2"]
    code, out = run("matrix", "--cols", "hallmark", "--limit", "3")
    assert code == 0 and "counts are distinct studies" in out.splitlines()[0]
    code, out = run("hallmarks")
    assert code == 0
    assert out.splitlines()[3].startswith("chronic inflammation  ")
    code, out = run("hallmarks", "--format", "json")
    assert json.loads(out)[0]["hallmark"] == "hallmark-chronic-inflammation"


def test_cli_search() -> None:
    code, out = run("search", "hucMSC", "--limit", "1")
    assert code == 0
    assert out.splitlines()[2].split()[:3] == ["UC-MSC", "source", "umbilical"]
    assert out.splitlines()[-1].startswith("note: showing 1 of")
    code, out = run("search", "il6", "--type", "protein", "--format", "json")
    assert all(h["type"] == "protein" for h in json.loads(out))


def test_cli_rank_disease() -> None:
    code, out = run("rank", "--disease", "neurodegenerative disease", "--permutations", "0",
                    "--limit", "3")
    assert code == 0, out
    assert "reaching neurodegenerative disease (and narrower diseases)" in out


def test_cli_on_toy(mini: Path, toy: Curation) -> None:
    del toy  # the fixture wrote the extra rows into ``mini``
    code, out = run("claims", "--cargo", "miR-1", "--format", "tsv", data=mini)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split("\t")[:4] == ["claim", "source", "agent", "cargo"]
    assert [line.split("\t")[0] for line in lines[1:]] == [
        "toy2024-t1-01", "toy2024-t1-03", "toy2024-t1-05"]
    assert "in vitro, in vivo (mouse)" in lines[2]
    code, out = run("trials", "OA", data=mini)
    assert "toy2024:3" in out and "published study" in out


def test_claims_by_pmid_and_doi_real(cur: Curation) -> None:
    """li2025 ref 51 is printed with 'PMID: 37000316' (Gao 2023, miR-22-3p in POF mice);
    ref 66 with doi 10.1093/abbs/gmab102.P102 (Ma 2021, miR-21a-5p)."""
    by_pmid = {r.id for r in claims(cur, study="37000316")}
    assert by_pmid == {r.id for r in claims(cur, study="li2025:51")}
    assert {"li2025-t2-03", "li2025-sPOF-05"} <= by_pmid
    by_doi = {r.id for r in claims(cur, study="10.1093/abbs/gmab102.P102")}
    assert by_doi == {"li2025-sAS-02", "li2025-t2-14"}


class _NoScan(dict):  # type: ignore[type-arg]
    """Entities that may be looked up one by one but not scanned (a scan per claim made
    every card and tooltip O(claims x entities) on large graphs)."""

    def items(self) -> Any:
        raise AssertionError("scanned every entity")

    values = keys = __iter__ = items


def test_claim_summary_looks_up_only_its_own_entities(cur: Curation) -> None:
    import copy

    from kg.query.summary import claim_summary

    claim = cur.claims["wei2024-t1-07"]
    expected = claim_summary(cur, claim)
    guarded = copy.copy(cur)
    object.__setattr__(guarded, "entities", _NoScan(cur.entities))  # no Records copy
    assert claim_summary(guarded, claim) == expected
    assert "IRAK1 & TRAF6" in expected
