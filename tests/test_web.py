"""The web explorer (exokg serve), its SPARQL endpoint and the static site (exokg site)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.data.curation import load
from kg.graph.rdf import build_store

from .conftest import TRIPLES

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx works the same
    warnings.filterwarnings("ignore", message=".*httpx.*")
    from starlette.testclient import TestClient

from kg.web.app import Explorer, create_app
from kg.web.site import write_site

HUB = "hub-pathways"
EVIL = '<script>alert("x")</script> O\'Brien & "quoted" MSC'


@pytest.fixture(scope="module")
def world() -> tuple[Any, Any]:
    cur = load(TRIPLES)
    return cur, build_store(cur)


@pytest.fixture(scope="module")
def client(world: tuple[Any, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(*world)) as c:
        yield c


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "--no-cache", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------- pages and twins
@pytest.mark.parametrize("url", [
    "/", "/entity/BM-MSC", "/claim/wei2024-s4.1-01",
    "/paths?source=BMSC&disease=osteoarthritis", "/rank", "/query?example=hub-pathways",
    "/search?q=alzheimer", "/trials?disease=osteoarthritis", "/claims?source=BMSC",
    "/matrix", "/hallmarks", "/rank?disease=osteoarthritis"])
def test_every_page_has_a_json_twin(client: TestClient, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in page.headers
    path, _, query = url.partition("?")
    twin = client.get((path.rstrip("/") or "/index") + ".json" + ("?" + query if query else ""))
    assert twin.status_code == 200
    assert twin.headers["content-type"] == "application/json"
    sep = "&" if query else "?"
    assert client.get(url + sep + "format=json").json() == twin.json()
    assert 'class="json"' in page.text  # the page links its twin


def test_entity_page_shows_card_xrefs_claims_and_citation_links(client: TestClient,
                                                                world: Any) -> None:
    cur, _ = world
    page = client.get("/entity/miR-146a-5p").text
    data = client.get("/entity/miR-146a-5p.json").json()
    assert data["label"] == "miR-146a-5p" and data["type"] == "mirna"
    assert data["claims"] and data["neighbours"]
    for x in data["xrefs"]:
        assert x["url"] == "https://bioregistry.io/" + x["curie"]
        assert f'href="{x["url"]}"' in page
    claim = next(c for c in sorted(cur.claims.values(), key=lambda c: c.id)
                 if any(cur.reference(r).doi for r in c.refs))
    doi = next(cur.reference(r).doi for r in claim.refs if cur.reference(r).doi)
    page = client.get(f"/entity/{claim.source}").text
    assert f'href="https://doi.org/{doi}"' in page
    assert f'href="/claim/{claim.id}"' in page
    flagged = client.get("/entity/BM-MSC.json").json()["flags"]
    assert flagged and all(cur.claims[c].flag == f for c, f in flagged.items())
    assert "flag: " in client.get("/entity/BM-MSC").text


def test_entity_page_lists_trials(client: TestClient, world: Any) -> None:
    cur, _ = world
    trial = next(iter(cur.trials.values()))
    data = client.get(f"/entity/{trial.source}.json").json()
    assert trial.trial in {t["trial"] for t in data["trials"]}


def test_search_resolves_synonyms_and_fuzzy_matches(client: TestClient) -> None:
    hop = client.get("/search?q=hucMSC", follow_redirects=False)
    assert hop.status_code == 303 and hop.headers["location"] == "/entity/UC-MSC"
    assert client.get("/search.json?q=hucMSC").json()["match"]["id"] == "UC-MSC"
    fuzzy = client.get("/search.json?q=alzhiemer").json()
    assert fuzzy["match"] is None
    assert "Alzheimers-disease" in [r["id"] for r in fuzzy["results"]]
    ambiguous = client.get("/search?q=AD", follow_redirects=False)
    assert ambiguous.status_code == 200
    assert "/entity/AD-MSC" in ambiguous.text and "/entity/Alzheimers-disease" in ambiguous.text


def test_unknown_and_bad_input_are_clear_errors(client: TestClient) -> None:
    missing = client.get("/entity/no-such-thing.json")
    assert missing.status_code == 404 and "unknown entity" in missing.json()["error"]
    assert client.get("/entity/no-such-thing").status_code == 404
    bad = client.get("/paths.json?source=BMSC&disease=osteoarthritis&max_hops=0")
    assert bad.status_code == 400 and "max_hops must be 1 to 10" in bad.json()["error"]
    amb = client.get("/paths.json?source=AD&disease=osteoarthritis").json()
    assert set(amb["candidates"]) == {"AD-MSC", "Alzheimers-disease"}


def test_paths_twin_gives_the_first_20_paths_of_exokg_paths(client: TestClient) -> None:
    web = client.get("/paths.json?source=BM-MSC&disease=osteoarthritis").json()
    cli_out = cli_json("paths", "BM-MSC", "osteoarthritis", "--format", "json")
    assert web["found"] == cli_out["found"] and web["shown"] == 20
    assert [[n["id"] for n in p["nodes"]] for p in web["paths"]] == \
        [[n["id"] for n in p["nodes"]] for p in cli_out["paths"]]
    assert [p["kind"] for p in web["paths"]] == [p["kind"] for p in cli_out["paths"]]
    hop = web["paths"][0]["hops"][0]
    assert hop["claim_records"] and hop["claim_records"][0]["citations"]


def _hop_claim_links(html: str) -> list[list[str]]:
    """The claim links of each hop (``<details class="hop">``) of a paths page, in order."""
    return [re.findall(r'<a href="([^"]*)">', hop)
            for hop in re.findall(r'<details class="hop"[^>]*>(.*?)</details>', html, re.S)]


@pytest.mark.slow  # writes the whole static site: over 10 s
def test_hops_shown_on_the_site_and_the_server_link_their_own_claims(
        client: TestClient, world: Any, tmp_path: Path) -> None:
    """A hop is rendered once and reused: each page still gets its own links and claims."""
    served = client.get("/paths?source=BM-MSC&disease=osteoarthritis").text
    twin = client.get("/paths.json?source=BM-MSC&disease=osteoarthritis").json()
    write_site(world[0], tmp_path / "site")
    written = (tmp_path / "site" / "paths" / "BM-MSC--osteoarthritis.html").read_text("utf-8")
    served_again = client.get("/paths?source=BM-MSC&disease=osteoarthritis").text
    claims = [[c["id"] for c in hop["claim_records"]] for p in twin["paths"] for hop in p["hops"]]
    assert len(claims) > len({tuple(c) for c in claims})  # some hops repeat across paths
    assert _hop_claim_links(served) == [[f"/claim/{c}" for c in hop] for hop in claims]
    assert _hop_claim_links(written) == [[f"../claim/{c}.html" for c in hop] for hop in claims]
    assert served_again == served


def test_paths_filters_match_the_cli(client: TestClient) -> None:
    url = ("/paths.json?source=BMSC&disease=osteoarthritis&asserted_only=1&evidence=in-vivo"
           "&limit=5&max_hops=5")
    web = client.get(url).json()
    cli_out = cli_json("paths", "BMSC", "osteoarthritis", "--asserted-only", "--evidence",
                       "in-vivo", "--limit", "5", "--max-hops", "5", "--format", "json")
    assert [p["nodes"] for p in web["paths"]] == [p["nodes"] for p in cli_out["paths"]]
    assert all(p["kind"] == "asserted" for p in web["paths"])


def test_paths_evidence_filters_and_sort_match_the_cli(client: TestClient) -> None:
    url = ("/paths.json?source=BMSC&disease=osteoarthritis&min_studies=2"
           "&min_evidence=in-vivo&sort=evidence&limit=0")
    web = client.get(url).json()
    cli_out = cli_json("paths", "BMSC", "osteoarthritis", "--min-studies", "2",
                       "--min-evidence", "in-vivo", "--sort", "evidence", "--limit", "0",
                       "--format", "json")
    assert web["paths"] and [p["nodes"] for p in web["paths"]] == \
        [p["nodes"] for p in cli_out["paths"]]
    assert all(p["studies"] >= 2 and p["evidence"] in ("clinical", "in vivo")
               for p in web["paths"])
    page = client.get(url.replace("/paths.json", "/paths")).text
    assert f"evidence: {web['paths'][0]['evidence']}" in page
    assert 'name="min_studies"' in page and 'name="sort"' in page


def test_rank_twin_matches_exokg_rank(client: TestClient) -> None:
    web = client.get("/rank.json?level=family&limit=5").json()
    cli_rows = cli_json("rank", "--level", "family", "--limit", "5", "--format", "json")
    assert [r["entity"] for r in web["rows"]] == [r["entity"] for r in cli_rows]


def test_question_pages_use_the_question_functions(client: TestClient, world: Any) -> None:
    from kg.query.claims import claims
    from kg.query.hubs import hubs
    from kg.query.matrix import hallmarks, matrix
    from kg.query.trials import trials

    cur, _ = world
    web = client.get("/trials.json?disease=osteoarthritis").json()["rows"]
    assert [r["id"] for r in web] == [r.id for r in trials(cur, "osteoarthritis")]
    web = client.get("/claims.json?source=BMSC&disease=osteoarthritis&agent=exosome").json()
    assert [r["id"] for r in web["rows"]] == \
        [r.id for r in claims(cur, source="BMSC", disease="osteoarthritis", agent="exosome")]
    assert all(r["citation_records"] for r in web["rows"])
    ranked = client.get("/rank.json?disease=osteoarthritis&limit=5").json()["rows"]
    assert [r["entity"] for r in ranked] == \
        [r.entity for r in hubs(cur, "osteoarthritis", limit=5).rows]
    marks = client.get("/hallmarks.json").json()["rows"]
    assert [h["hallmark"] for h in marks] == [h.hallmark for h in hallmarks(cur)]
    grid = client.get("/matrix.json").json()
    res = matrix(cur)
    assert [r["id"] for r in grid["rows"]] == list(res.rows)
    cell = res.cells[0]
    assert grid["cells"][f"{cell.row}|{cell.col}"]["claims"] == list(cell.claims)


def test_a_matrix_cell_opens_its_claims(client: TestClient) -> None:
    page = client.get("/matrix").text
    grid = client.get("/matrix.json").json()
    key, cell = next(iter(grid["cells"].items()))
    row, col = key.split("|")
    link = f'href="/claims?source={row}&amp;disease={col}"'
    assert link in page
    opened = client.get(f"/claims.json?source={row}&disease={col}").json()
    assert set(cell["claims"]) <= {r["id"] for r in opened["rows"]}


# ---------------------------------------------------------------- SPARQL endpoint
def example_text(name: str) -> str:
    from kg.query.sparql import load_query

    return load_query(name)


def bindings_rows(data: dict[str, Any]) -> list[dict[str, str]]:
    names = data["head"]["vars"]
    return [{n: b[n]["value"] if n in b else "" for n in names}
            for b in data["results"]["bindings"]]


def test_sparql_rows_equal_exokg_sparql(client: TestClient) -> None:
    expected = cli_json("sparql", HUB, "--format", "json")
    got = client.get("/sparql", params={"query": example_text(HUB)},
                     headers={"Accept": "application/sparql-results+json"})
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/sparql-results+json")
    assert got.headers["access-control-allow-origin"] == "*"
    rows = bindings_rows(got.json())
    assert rows == [{k: str(v) for k, v in r.items()} for r in expected]


def test_sparql_post_form_and_body(client: TestClient) -> None:
    text = example_text(HUB)
    by_get = client.get("/sparql", params={"query": text}).json()
    form = client.post("/sparql", data={"query": text})
    body = client.post("/sparql", content=text.encode(),
                       headers={"Content-Type": "application/sparql-query"})
    assert form.status_code == body.status_code == 200
    assert form.json() == body.json() == by_get
    odd = client.post("/sparql", content=b"x", headers={"Content-Type": "image/png"})
    assert odd.status_code == 415


def test_sparql_content_negotiation(client: TestClient) -> None:
    text = example_text(HUB)
    rows = bindings_rows(client.get("/sparql", params={"query": text}).json())
    as_csv = client.get("/sparql", params={"query": text}, headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert parsed == rows
    as_tsv = client.get("/sparql", params={"query": text},
                        headers={"Accept": "text/tab-separated-values"})
    lines = as_tsv.text.splitlines()
    assert lines[0].split("\t") == [f"?{v}" for v in rows[0]]
    assert lines[1].split("\t")[0] == f"<{rows[0]['pathway']}>"
    as_xml = client.get("/sparql", params={"query": text},
                        headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml"})
    assert as_xml.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    results = ET.fromstring(as_xml.text).findall("s:results/s:result", ns)
    assert len(results) == len(rows)
    ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()
    assert ask == {"head": {}, "boolean": True}
    graph = client.get("/sparql", params={
        "query": "CONSTRUCT { id:BM-MSC rdfs:label ?l } WHERE { id:BM-MSC rdfs:label ?l }"})
    assert graph.headers["content-type"].startswith("text/turtle")  # for */*
    assert '"bone marrow MSC"' in graph.text


@pytest.mark.parametrize(("request_kwargs", "message"), [
    ({"method": "GET", "url": "/sparql", "params": {"query": "DELETE WHERE { ?s ?p ?o }"}},
     "read-only"),
    ({"method": "GET", "url": "/sparql", "params": {"update": "DROP ALL"}}, "read-only"),
    ({"method": "POST", "url": "/sparql", "content": b"INSERT DATA { <a:a> <a:b> <a:c> }",
      "headers": {"Content-Type": "application/sparql-update"}}, "read-only"),
    ({"method": "POST", "url": "/sparql", "data": {"update": "CLEAR ALL"}}, "read-only"),
    ({"method": "GET", "url": "/sparql", "params": {
        "query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}},
     "SERVICE is refused"),
    ({"method": "GET", "url": "/sparql", "params": {"query": "SELECT WHERE {"}},
     "syntax error"),
])
def test_sparql_refuses_update_service_and_bad_queries(client: TestClient, world: Any,
                                                       request_kwargs: dict[str, Any],
                                                       message: str) -> None:
    _, store = world
    before = len(store)
    got = client.request(**request_kwargs)
    assert got.status_code == 400
    assert message in got.text
    assert len(store) == before


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?t . ?b ?q ?t }"  # seconds, but finite


def test_sparql_time_limit_stops_a_runaway_query(world: Any) -> None:
    cur, store = world
    explorer = Explorer(cur, store, timeout=0.2)
    with TestClient(explorer.app()) as c:
        slow = c.get("/sparql", params={"query": SLOW})  # a 503 only when the limit stopped it
        assert slow.status_code == 503
        assert "stopped after 0.2 s" in slow.text
        assert c.get("/entity/BM-MSC.json").status_code == 200  # others still served
        page = c.get("/query", params={"query": SLOW.replace("?t }", "?t . }")})
        assert page.status_code == 503 and "stopped after" in page.text
        again = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert again.status_code == 200 and again.json()["boolean"] is True


def test_sparql_result_limit(world: Any) -> None:
    cur, store = world
    with TestClient(Explorer(cur, store, max_rows=7).app()) as c:
        got = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert got.status_code == 200
        assert len(got.json()["results"]["bindings"]) == 7
        assert "7 rows" in got.headers["x-exokg-truncated"]


def test_sparql_page_runs_examples(client: TestClient) -> None:
    page = client.get("/query?example=hub-pathways")
    assert 'href="/entity/NF-kB"' in page.text
    twin = client.get("/query.json?example=hub-pathways").json()
    assert twin["result"]["rows"][0]["pathway"] == "id:NF-kB"
    refused = client.get("/query.json", params={"query": "DELETE WHERE { ?s ?p ?o }"})
    assert refused.status_code == 400 and "read-only" in refused.json()["error"]


# ---------------------------------------------------------------- escaping
@pytest.fixture()
def evil(mini: Path) -> Path:
    table = mini / "entities" / "all.tsv"
    text = table.read_text(encoding="utf-8")
    assert "\tbone marrow MSC\t" in text
    table.write_text(text.replace("\tbone marrow MSC\t", f"\t{EVIL}\t"), encoding="utf-8")
    return mini


def test_names_and_literals_are_escaped(evil: Path) -> None:
    cur = load(evil)
    assert cur.entities["BM-MSC"].label == EVIL
    with TestClient(create_app(cur, build_store(cur))) as c:
        for url in ["/entity/BM-MSC", "/", "/paths?source=BM-MSC&disease=osteoarthritis",
                    "/search?q=quoted", "/claim/toy2024-t1-01"]:
            page = c.get(url).text
            assert "<script>alert" not in page, url
            assert '"quoted"' not in page, url
            assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page, url
        assert c.get("/entity/BM-MSC.json").json()["label"] == EVIL
        rows = c.get("/query.json", params={
            "query": "SELECT ?l WHERE { id:BM-MSC rdfs:label ?l }"}).json()
        assert rows["result"]["rows"] == [{"l": EVIL}]
        page = c.get("/query", params={"query": "SELECT ?l WHERE { id:BM-MSC rdfs:label ?l }"})
        assert "<script>alert" not in page.text


def test_site_escapes_too(evil: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(load(evil), out)
    for file in [out / "entity" / "BM-MSC.html", out / "index.html"]:
        assert "<script>alert" not in file.read_text(encoding="utf-8")
    index = (out / "search-index.js").read_text(encoding="utf-8")
    assert "<script>" not in index and "\\u003cscript>" in index


# ---------------------------------------------------------------- static site
def test_site_writes_pages_twins_and_index(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["--data", str(mini), "site", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "entity pages" in result.output
    cur = load(mini)
    for ent in cur.entities:
        assert (out / "entity" / f"{ent}.html").is_file()
        assert json.loads((out / "entity" / f"{ent}.json").read_text())["id"] == ent
    answer = out / "paths" / "BM-MSC--osteoarthritis.json"
    data = json.loads(answer.read_text())
    assert data["paths"] and data["source"] == "BM-MSC"
    index = json.loads((out / "search-index.json").read_text())
    assert {e["id"] for e in index} == set(cur.entities)
    html = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert set(re.findall(r'src="([^"]*)"', html)) == {"search-index.js"}  # nothing remote
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert 'href="/' not in html  # every link is relative: the site works from file://
    again = CliRunner().invoke(cli, ["--data", str(mini), "site", "-o", str(out)])
    assert again.exit_code == 0, again.output  # an earlier site may be rewritten


def test_site_follows_the_write_rule(mini: Path, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("keep me")
    refused = CliRunner().invoke(cli, ["--data", str(mini), "site", "-o", str(busy)])
    assert refused.exit_code == 1 and "not empty and is not an earlier site" in refused.output
    assert not (busy / "index.html").exists()
    forced = CliRunner().invoke(cli, ["--data", str(mini), "site", "-o", str(busy), "--force"])
    assert forced.exit_code == 0 and (busy / "notes.txt").read_text() == "keep me"
    missing = CliRunner().invoke(cli, ["--data", str(mini), "site", "-o",
                                       str(tmp_path / "no" / "site")])
    assert missing.exit_code == 1 and "does not exist" in missing.output


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_site_written_by_several_processes_equals_one_process(mini: Path,
                                                               tmp_path: Path) -> None:
    """``--jobs 3`` (forked writers, in a fresh process) writes the very bytes of ``-j 1``."""
    outs = {}
    for jobs in ("1", "3"):
        outs[jobs] = tmp_path / f"site-{jobs}"
        done = subprocess.run(
            [sys.executable, "-m", "kg", "--data", str(mini), "--no-cache", "site",
             "-o", str(outs[jobs]), "--jobs", jobs],
            capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    one, three = _tree(outs["1"]), _tree(outs["3"])
    assert len(one) > 50 and one == three
    umask = os.umask(0)
    os.umask(umask)
    assert outs["3"].stat().st_mode & 0o777 == 0o777 & ~umask  # as mkdir would make it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "site-1", "site-3"]


def test_a_site_through_a_link_to_an_empty_folder(mini: Path, tmp_path: Path) -> None:
    (tmp_path / "www").mkdir()
    (tmp_path / "site").symlink_to(tmp_path / "www")
    done = CliRunner().invoke(cli, ["--data", str(mini), "site", "-o", str(tmp_path / "site")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "site").is_symlink() and (tmp_path / "www" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "site", "www"]


def test_a_failing_writer_process_is_reported_and_reaped(tmp_path: Path) -> None:
    """A page that fails in a forked writer is one clear error; no writer is left behind."""
    code = (
        "import os, sys\n"
        "from kg.web.site import _split\n"
        "def work(i):\n"
        "    if i == int(sys.argv[1]):\n"
        "        raise ValueError(f'page {i} is broken')\n"
        "try:\n"
        "    _split(list(range(12)), work, 3)\n"
        "except Exception as exc:\n"
        "    print(f'{type(exc).__name__}: {exc}')\n"
        "try:\n"
        "    os.waitpid(-1, os.WNOHANG)\n"
        "    print('a writer is left')\n"
        "except ChildProcessError:\n"
        "    print('no writer left')\n")
    for bad in ("4", "3"):  # 4 is a forked writer's share, 3 this process's
        done = subprocess.run([sys.executable, "-c", code, bad], capture_output=True,
                              text=True, timeout=60)
        error = ("ExportError: writing the site failed: ValueError: page 4 is broken"
                 if bad == "4" else "ValueError: page 3 is broken")
        assert done.stdout.splitlines() == [error, "no writer left"], done.stderr


def test_a_site_rewrite_keeps_other_files_and_a_failure_changes_nothing(
        mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    assert CliRunner().invoke(cli, ["--data", str(mini), "site", "-o", str(out)]).exit_code == 0
    (out / "CNAME").write_text("kg.example.org\n")  # a publisher's own files stay
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "index.html").write_text("stale")  # edited: no longer exokg's to replace
    kept = CliRunner().invoke(cli, ["--data", str(mini), "site", "-o", str(out)])
    assert kept.exit_code == 1 and "index.html" in kept.output
    assert (out / "index.html").read_text() == "stale"
    rewritten = CliRunner().invoke(cli, ["--data", str(mini), "site", "-o", str(out),
                                         "--force"])
    assert rewritten.exit_code == 0, rewritten.output
    assert (out / "CNAME").read_text() == "kg.example.org\n"
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    before = _tree(out)
    import kg.web.data as pages

    def broken(cur: Any, claim_id: str) -> Any:
        raise OSError(28, "No space left on device", str(out / "claim" / claim_id))

    monkeypatch.setattr(pages, "claim_page", broken)
    failed = CliRunner().invoke(cli, ["--data", str(mini), "site", "-o", str(out), "-j", "1"])
    assert failed.exit_code == 1
    assert "cannot write the site to" in failed.output
    assert "No space left on device" in failed.output and "nothing was changed" in failed.output
    assert "Traceback" not in failed.output
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "site"]  # no stray folder


# ---------------------------------------------------------------- a real server
@pytest.fixture(scope="module")
def server(world: tuple[Any, Any]) -> Iterator[str]:
    """A uvicorn server on loopback, on a socket bound (port 0) before it starts."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    app = create_app(*world, allowed_hosts=["127.0.0.1", "localhost"])
    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=30)
    sock.close()


def test_real_server_answers_a_plain_http_client(server: str) -> None:
    expected = cli_json("sparql", HUB, "--format", "json")
    url = server + "/sparql?" + urllib.parse.urlencode({"query": example_text(HUB)})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        rows = bindings_rows(json.load(resp))
    assert rows == [{k: str(v) for k, v in r.items()} for r in expected]
    post = urllib.request.Request(server + "/sparql", data=example_text(HUB).encode(),
                                  headers={"Content-Type": "application/sparql-query",
                                           "Accept": "text/csv"})
    with urllib.request.urlopen(post, timeout=60) as resp:
        assert len(list(csv.DictReader(io.TextIOWrapper(resp, "utf-8")))) == len(rows)
    with urllib.request.urlopen(server + "/entity/UC-MSC.json", timeout=60) as resp:
        assert json.load(resp)["id"] == "UC-MSC"


def test_real_server_refuses_other_host_names(server: str) -> None:
    req = urllib.request.Request(server + "/", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=60)
    assert info.value.code == 400


def test_serve_refuses_a_busy_port_in_one_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_serve_command_is_documented() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "127.0.0.1" in result.output
    assert "SPARQL" in result.output


# ---------------------------------------------------------------- in a browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def open_page(browser: Any, allowed: str) -> tuple[Any, list[str]]:
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.set_default_timeout(120_000)
    outside: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith((allowed, "data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return page, outside


@pytest.mark.browser
@pytest.mark.slow
def test_browser_search_claim_and_sparql(browser: Any, server: str) -> None:
    page, outside = open_page(browser, server)
    page.goto(server + "/")
    page.fill("#q", "hucMSC")
    page.click("header button[type=submit]")
    page.wait_for_url(server + "/entity/UC-MSC")
    assert page.text_content("#label").startswith("umbilical cord MSC")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-entity.png"))
    claim = page.locator("details.claim").first
    citation = claim.locator(".citation").first
    assert not citation.is_visible()
    claim.locator("summary").click(position={"x": 5, "y": 5})
    citation.wait_for(state="visible")
    assert citation.text_content()
    page.goto(server + "/paths")
    page.select_option("#source", "BM-MSC")
    page.select_option("#disease", "osteoarthritis")
    page.click("#go")
    page.wait_for_selector(".path")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-paths.png"))
    shown = [" → ".join(t.split(" → ")) for t in page.locator(".path .nodes").all_inner_texts()]
    cli_paths = cli_json("paths", "BM-MSC", "osteoarthritis", "--format", "json")["paths"]
    assert shown == [" → ".join(n["label"] for n in p["nodes"]) for p in cli_paths]
    page.locator("svg.drawing a.node").first.click()
    page.wait_for_url(server + "/entity/**")
    page.goto(server + "/query")
    page.fill("#query", example_text(HUB))
    page.click("#run")
    page.wait_for_selector("#results")
    cells = page.locator("#results tr td:first-child").all_text_contents()
    expected = cli_json("sparql", HUB, "--format", "json")
    assert len(cells) == len(expected) and cells[0] == "id:NF-kB"
    assert outside == []


@pytest.mark.browser
@pytest.mark.slow
def test_browser_static_site_search_from_disk(browser: Any, mini: Path, tmp_path: Path
                                              ) -> None:
    out = tmp_path / "site"
    write_site(load(mini), out)
    page, outside = open_page(browser, "file:")
    page.goto((out / "index.html").as_uri())
    page.fill("#q", "BMSC")
    page.click("header button[type=submit]")
    page.wait_for_url("**/entity/BM-MSC.html")
    assert page.text_content("#label").startswith("bone marrow MSC")
    claim = page.locator("details.claim").first
    claim.locator("summary").click(position={"x": 5, "y": 5})
    claim.locator(".citation").first.wait_for(state="visible")
    page.goto((out / "paths.html").as_uri())
    page.select_option("#source", "BM-MSC")
    page.select_option("#disease", "osteoarthritis")
    page.click("#go")
    page.wait_for_url("**/paths/BM-MSC--osteoarthritis.html")
    assert page.locator(".path").count() > 0
    assert outside == []


def test_site_search_index_lists_ambiguous_abbreviations(mini: Path) -> None:
    from kg.web.data import search_index, search_rules

    index = {e["id"]: e for e in search_index(load(mini))}
    assert index["Alzheimers-disease"]["ambiguous"] == ["AD"]
    assert index["AD-MSC"]["ambiguous"] == ["AD"]
    assert index["BM-MSC"]["ambiguous"] == []
    rules = search_rules()
    assert rules["cutoff"] == 0.7 and rules["greek"]["β"] == "beta"


#: Queries whose hits the site's search page must find exactly as ``exokg search`` does:
#: misspellings, looser spellings, abbreviations, Greek letters, prefixes and substrings.
SEARCH_QUERIES = ["alzhimer", "alzhiemer", "Alzheimers", "AD", "nfkb", "NF-kappa B", "miR-21",
                  "hsa-miR-146a-5p", "hucMSC", "BMSC", "parkinson", "osteoarthritus",
                  "Wnt/β-catenin", "tgf", "exosome", "OA", "senescence", "ageing", "xyzzy"]


@pytest.mark.browser
@pytest.mark.slow
def test_browser_static_site_search_tolerates_misspellings(browser: Any, mini: Path,
                                                           tmp_path: Path, cur: Any) -> None:
    from kg.query.search import search
    from kg.web.data import search_index

    out = tmp_path / "site"
    write_site(load(mini), out)
    page, outside = open_page(browser, "file:")
    page.goto((out / "index.html").as_uri())
    page.fill("#q", "alzhimer")
    page.click("header button[type=submit]")
    page.wait_for_url("**/search.html?q=alzhimer")
    page.wait_for_selector("#results li")
    assert page.locator("#results li a").all_text_contents()[0] == "Alzheimer's disease"
    page.goto((out / "search.html").as_uri() + "?q=AD")
    page.wait_for_selector("#results li")
    listed = page.locator("#results li a").all_text_contents()
    assert {"Alzheimer's disease", "adipose-derived MSC"} <= set(listed)
    assert "can mean several entities" in page.text_content("main")
    page.goto((out / "search.html").as_uri() + "?q=alzheimer%27s%20disease")
    page.wait_for_url("**/entity/Alzheimers-disease.html")  # a name of one entity: its page
    # the page scores names as kg.query.search does, here over the real data's index
    page.goto((out / "search.html").as_uri())
    page.evaluate("index => { window.EXOKG_INDEX = index; }", search_index(cur))
    for query in SEARCH_QUERIES:
        found = page.evaluate("q => exokgSearch(q).map(h => [h.id, h.how, h.score])", query)
        expected = [[h.id, h.how, h.score] for h in search(cur, query, limit=None)]
        assert found == expected, query
    assert outside == []


# ------------------------------------------- the site's shortcuts change no byte of it
class _Forgetful(dict[Any, Any]):
    """A memo that keeps nothing."""

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


def _plain_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on write pages the plain way: build every path, reuse nothing."""
    from markupsafe import Markup

    from kg.query import paths as query_paths
    from kg.web import data as page_data
    from kg.web import render as page_render
    from kg.web import site as page_site

    def no_form(self: Any, depth: int, source: str = "", disease: str = "") -> Markup:
        return Markup("")  # the template includes pathform.html itself

    monkeypatch.setattr(query_paths, "_BEST_FIRST", False)  # every path built
    monkeypatch.setattr(page_site._PathForm, "__call__", no_form)
    monkeypatch.setattr(page_data, "_PAGE_HOPS_MAX", -1)  # hop records made for each page
    monkeypatch.setattr(page_render, "_HOPS_SEEN", _Forgetful())
    monkeypatch.setattr(page_render, "_SITE_NODES", _Forgetful())
    monkeypatch.setattr(page_site, "_twin", page_site._json)  # every twin encoded whole


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file()}


def _pages_of(cur: Any, root: Path, items: list[tuple[str, ...]]) -> dict[str, bytes]:
    from kg.web import data as page_data
    from kg.web.site import _PathForm, _write_item

    for folder in ("entity", "claim", "paths"):
        (root / folder).mkdir(parents=True)
    picks = page_data.choices(cur)
    for item in items:
        _write_item(cur, root, item, picks, _PathForm(picks))
    return _files(root)


def _selection(cur: Any) -> list[tuple[str, ...]]:
    from kg.web import data as page_data

    picks = page_data.choices(cur)
    pairs = [(s["id"], d["id"]) for s in picks["sources"] for d in picks["diseases"]]
    return [("entity", sorted(cur.entities)[0]), ("claim", sorted(cur.claims)[0]),
            *(("paths", s, d) for s, d in pairs[::25])]


def test_site_pages_are_those_written_the_plain_way(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers built from the best paths only, the form rendered once: the same bytes."""
    cur = load(TRIPLES)
    items = _selection(cur)
    new = _pages_of(cur, tmp_path / "new", items)
    _plain_way(monkeypatch)
    plain = _pages_of(cur, tmp_path / "plain", items)
    assert new == plain
    counts = [json.loads(plain[n])["found"] for n in plain if n.startswith("paths/")
              and n.endswith(".json")]
    assert len(counts) > 50 and sum(c > 20 for c in counts) > 10 and 0 in counts
    answers = [page for n, page in new.items() if n.startswith("paths/") and n.endswith("html")]
    assert len(answers) == len(counts)
    assert all(page.count(b" selected>") == 2 for page in answers)  # its source and disease


def test_mini_site_is_the_site_written_the_plain_way(mini: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(load(mini), tmp_path / "new")
    new = _files(tmp_path / "new")
    _plain_way(monkeypatch)
    write_site(load(mini), tmp_path / "plain")
    assert new == _files(tmp_path / "plain")


@pytest.mark.slow  # writes the whole static site twice
def test_site_is_the_site_written_the_plain_way(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(load(TRIPLES), tmp_path / "new", jobs=1)
    new = _files(tmp_path / "new")
    _plain_way(monkeypatch)
    write_site(load(TRIPLES), tmp_path / "plain", jobs=1)
    assert new == _files(tmp_path / "plain")
