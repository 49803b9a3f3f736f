"""The primary record: looked-up DOIs and PMIDs of the cited studies, and checked claims.

Every recorded identifier has the page it was read on and a valid form; every reference
looked up without one says why; every check names a known mechanism claim, a verdict and the
page of the abstract. The identifiers reach KGX, RDF, the claim card and the web page, and
``exokg coverage`` counts them.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kg.cli import cli
from kg.cli.questions import CHECKED as CLI_CHECKED
from kg.data.curation import validate
from kg.data.loading import VERDICTS
from kg.data.model import Curation
from kg.data.tsv import split_list
from kg.io.tables import kgx_tables
from kg.query.claims import CHECKED, claims
from kg.query.coverage import check_coverage, identifier_coverage
from kg.query.summary import claim_card
from kg.view.text import claim_card_text

from .conftest import TRIPLES

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[1-9]\d{0,8}$")
PAGE = re.compile(r"^https?://\S+$")


def _rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in (TRIPLES / name).read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_every_identifier_has_its_page_and_a_valid_form() -> None:
    rows = _rows("identifiers.tsv")
    assert rows
    for row in rows:
        where = row["key"]
        if row["doi"]:
            assert DOI.match(row["doi"]), where
        if row["pmid"]:
            assert PMID.match(row["pmid"]), where
        pages = split_list(row["page"])
        assert all(PAGE.match(p) for p in pages), where
        if row["doi"] or row["pmid"]:
            assert pages, f"{where}: an identifier without the page it was read on"
        else:
            assert row["note"], f"{where}: no identifier and no reason why"


def test_every_check_names_a_mechanism_claim_a_verdict_and_the_abstract(cur: Curation
                                                                         ) -> None:
    rows = _rows("checks.tsv")
    assert rows
    assert len(cur.checks) == len(rows)
    for row in rows:
        claim = cur.claims[row["claim"]]
        assert claim.mechanism, row["claim"]
        assert row["verdict"] in VERDICTS
        assert PAGE.match(row["page"]) and row["why"], row["claim"]


def test_looked_up_identifiers_reach_the_references(cur: Curation) -> None:
    for row in _rows("identifiers.tsv"):
        ref = cur.references[row["key"]]
        assert (ref.found_doi, ref.found_pmid) == (row["doi"], row["pmid"])
        assert ref.found_at == tuple(split_list(row["page"]))


def test_the_loader_rejects_a_bad_identifier_and_a_bad_check(tmp_path: Path) -> None:
    folder = tmp_path / "triples"
    shutil.copytree(TRIPLES, folder)
    ids = folder / "identifiers.tsv"
    # the bad rows replace any real row of the same studies (a duplicate key would mask them)
    kept = [line for line in ids.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith(("lopezotin2023\t", "dominici2006\t"))]
    ids.write_text("".join(kept)
                   + "lopezotin2023\tdoi:10.1/x\t\thttps://example.org/a\t\n"
                   + "dominici2006\t\t12ab\t\t\n", encoding="utf-8")
    checks = folder / "checks.tsv"
    header = checks.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    checks.write_text(header  # the bad rows alone, so no real check collides with them
                      + "wei2024-s1-01\tsupports\thttps://example.org/b\tno mechanism\n"
                      + "wei2024-t1-01\tagrees\thttps://example.org/c\tbad verdict\n",
                      encoding="utf-8")
    _, problems = validate(folder)
    text = "\n".join(str(p) for p in problems)
    assert "is not a DOI" in text
    assert "is not a PMID" in text
    assert "names no mechanism" in text
    assert "verdict: 'agrees'" in text


def test_kgx_publications_carry_the_looked_up_ids(cur: Curation) -> None:
    _, edges = kgx_tables(cur)
    pubs = {p for row in csv.DictReader(io.StringIO(edges.decode()), delimiter="\t")
            for p in row["publications"].split("|") if p}
    looked_up = [r for r in cur.references.values() if r.found_pmid and not r.pmid]
    assert looked_up
    for ref in looked_up:
        if any(c in cur.claims[cid].refs for cid in cur.claims for c in ref.cited_as):
            assert f"PMID:{ref.found_pmid}" in pubs, ref.key
    only_doi = [r for r in cur.references.values() if r.found_doi and not r.any_pmid]
    assert any(f"doi:{r.found_doi}" in pubs for r in only_doi)


def test_rdf_reference_nodes_carry_dcterms_identifier(cur: Curation, rdf: Graph) -> None:
    from kg.graph.namespace import REF

    ident = URIRef("http://purl.org/dc/terms/identifier")
    see = URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    ref = next(r for r in cur.references.values() if r.found_doi and r.found_pmid)
    node = REF[ref.key]
    assert (node, ident, Literal("doi:" + ref.found_doi)) in rdf
    assert (node, ident, Literal("PMID:" + ref.found_pmid)) in rdf
    assert (node, see, URIRef(f"https://pubmed.ncbi.nlm.nih.gov/{ref.found_pmid}/")) in rdf
    for value in rdf.objects(None, ident):
        assert re.match(r"^(doi:10\.\d+/.+|PMID:\d+)$", str(value)), value


def test_the_claim_card_shows_ids_pages_and_check(cur: Curation) -> None:
    # a checked claim citing a study whose DOI was looked up (a printed DOI reads "as printed")
    cid = next(c for c, chk in sorted(cur.checks.items())
               if any(cur.reference(r).found_doi and not cur.reference(r).doi
                      for r in cur.claims[c].refs))
    data = claim_card(cur, cid)
    assert data["check"]["verdict"] == cur.checks[cid].verdict
    study = next(s for s in data["studies"] if s["doi"] and not s["printed"])
    assert study["identified_at"]
    text = claim_card_text(data)
    assert f"doi:{study['doi']}" in text
    assert "read on " + study["identified_at"][0] in text
    assert f"primary check: {cur.checks[cid].verdict}: " in text


def test_show_claim_and_claims_checked_on_the_command_line(cur: Curation) -> None:
    cid = sorted(cur.checks)[0]
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "show", cid])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{cid} (claim): ")
    assert "primary check: " in result.output
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "claims", "--checked",
                                      "any", "--format", "tsv", "--limit", "0"])
    assert result.exit_code == 0, result.output
    listed = {row["claim"] for row in csv.DictReader(io.StringIO(result.output),
                                                     delimiter="\t")}
    assert listed == set(cur.checks)


def test_checked_filter_splits_the_claims_by_verdict(cur: Curation) -> None:
    assert CLI_CHECKED == CHECKED
    by_verdict = {v: {r.id for r in claims(cur, checked=v)} for v in VERDICTS}
    assert set().union(*by_verdict.values()) == set(cur.checks)
    for verdict, ids in by_verdict.items():
        assert all(cur.checks[c].verdict == verdict for c in ids)
    unchecked = {r.id for r in claims(cur, checked="unchecked")}
    assert unchecked == set(cur.claims) - set(cur.checks)


def test_coverage_counts_identifiers_and_checks_and_prints_them(cur: Curation) -> None:
    ids = identifier_coverage(cur)
    for review, row in ids.items():
        refs = [cur.references[k] for c, k in cur.citations.items()
                if c.split(":")[0] == review]
        assert row["listed"] == len(refs)
        assert row["doi"] == sum(1 for r in refs if r.doi or r.found_doi)
        assert row["pmid"] == sum(1 for r in refs if r.pmid or r.found_pmid)
    assert sum(r["looked_up"] for r in ids.values()) > 0
    checks = check_coverage(cur)
    assert sum(r["checked"] for r in checks.values()) == len(cur.checks)
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "coverage"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "cited studies with a DOI or PMID" in text
    assert "mechanism claims checked against the cited study's abstract" in text
    for review, row in ids.items():
        assert re.search(rf"^  {review} +{row['listed']} +{row['doi']} +{row['pmid']} ",
                         text, re.M), review
    for review, row in checks.items():
        assert f"  {review}: {row['checked']} of {row['mechanism_claims']} " in text


def test_web_claim_page_links_doi_and_pubmed(cur: Curation) -> None:
    pytest.importorskip("jinja2")
    from kg.web.data import claim_page
    from kg.web.render import Links, render

    cid = next(c for c in sorted(cur.checks)
               if any(cur.reference(r).found_pmid for r in cur.claims[c].refs))
    data = claim_page(cur, cid)
    assert data["check"]["verdict"] == cur.checks[cid].verdict
    cite = next(c for c in data["citations"] if c["pmid"])
    assert cite["pubmed_url"] == f"https://pubmed.ncbi.nlm.nih.gov/{cite['pmid']}/"
    assert cite["doi_url"].startswith("https://doi.org/10.")
    html = render("claim.html", data, Links())
    assert f'href="{cite["pubmed_url"]}"' in html
    assert f'href="{cite["doi_url"]}"' in html
    assert cur.checks[cid].verdict in html and 'id="check"' in html
