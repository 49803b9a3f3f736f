"""The endpoint against the W3C SPARQL 1.1 Protocol tests and real SPARQL clients.

The W3C manifest (``tests/data/w3c-sparql-protocol``, see its README for origin and
licence) is read with rdflib and every test that applies to a read-only endpoint is run
against ``/sparql`` over a store holding the manifest's data as named graphs. Then the
endpoint is driven by SPARQLWrapper (every query form, every result format it asks for) and
by rdflib's ``SPARQLStore``, over a real server on loopback.
"""

from __future__ import annotations

import io
import json
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")
from starlette.testclient import TestClient  # noqa: E402

from kg.data.curation import load  # noqa: E402
from kg.web.app import Explorer  # noqa: E402

from .conftest import MINI, TRIPLES  # noqa: E402

HERE = Path(__file__).resolve().parent / "data" / "w3c-sparql-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml",
             "application/ld+json")
#: Tests that expect an update to succeed: a read-only endpoint refuses every update.
READ_ONLY = "the endpoint is read-only: a test that expects an update to succeed does not apply"


def _manifest() -> tuple[Graph, list[URIRef]]:
    graph = Graph().parse(HERE / "manifest.ttl", format="turtle",
                          publicID="http://www.w3.org/2009/sparql/docs/tests/"
                                   "data-sparql11/protocol/manifest")
    root = next(graph.subjects(RDF.type, MF.Manifest))
    entries = list(Collection(graph, graph.value(root, MF.entries)))
    return graph, [URIRef(e) for e in entries]


GRAPH, ENTRIES = _manifest()


def _requests(test: URIRef) -> list[dict[str, Any]]:
    action = GRAPH.value(test, MF.action)
    out = []
    for req in Collection(GRAPH, GRAPH.value(action, HT.requests)):
        headers = {}
        for header in Collection(GRAPH, GRAPH.value(req, HT.headers) or RDF.nil):
            headers[str(GRAPH.value(header, HT.fieldName))] = str(GRAPH.value(header,
                                                                             HT.fieldValue))
        body = GRAPH.value(req, HT.body)
        data = None
        if body is not None:
            encoding = str(GRAPH.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(GRAPH.value(body, CNT.chars)).encode(encoding)
        resp = GRAPH.value(req, HT.resp)
        out.append({
            "method": str(GRAPH.value(req, HT.methodName)),
            "path": str(GRAPH.value(req, HT.absolutePath)), "headers": headers, "body": data,
            "status": {str(s).removeprefix(HTS)[0] for s in GRAPH.objects(resp,
                                                                          MF.expectedStatus)},
            "format": str(GRAPH.value(resp, MF.expectedFormat) or ""),
            "boolean": GRAPH.value(resp, MF.expectedBoolean)})
    return out


def _is_update(req: dict[str, Any]) -> bool:
    body = req["body"] or b""
    return ("sparql-update" in req["headers"].get("content-type", "")
            or body.startswith(b"update=") or "update=" in req["path"])


def _applies(test: URIRef) -> bool:
    return not any(_is_update(r) and r["status"] & {"2", "3"} for r in _requests(test))


@pytest.fixture(scope="module")
def w3c_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    import shutil

    store = ox.Store()
    for test in ENTRIES:
        for data in GRAPH.objects(test, UT.graphData):
            name = ox.NamedNode(str(GRAPH.value(data, RDFS.label)))
            path = HERE / Path(str(GRAPH.value(data, UT.graph))).name
            store.load(path.read_bytes(), format=ox.RdfFormat.N_TRIPLES, to_graph=name)
    mini = tmp_path_factory.mktemp("w3c") / "mini"
    shutil.copytree(MINI, mini)
    shutil.copytree(TRIPLES / "schema", mini / "schema")
    explorer = Explorer(load(mini), store, timeout=30, workers=1)
    with TestClient(explorer.app(), base_url="http://www.example") as client:
        yield client
    explorer.close()


def _boolean(response: Any) -> bool:
    ctype = response.headers["content-type"]
    if "json" in ctype:
        return bool(json.loads(response.text)["boolean"])
    root = ET.fromstring(response.text)
    found = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert found is not None
    return found.text == "true"


@pytest.mark.parametrize("test", ENTRIES, ids=[e.split("#")[-1] for e in ENTRIES])
def test_w3c_protocol(w3c_client: TestClient, test: URIRef) -> None:
    if not _applies(test):
        pytest.skip(READ_ONLY)
    for req in _requests(test):
        path = "/sparql" + req["path"].removeprefix("/sparql/").removeprefix("/sparql")
        if not path.startswith("/sparql?") and path != "/sparql":
            path = "/sparql?" + path.removeprefix("/sparql")
        got = w3c_client.request(req["method"], path, headers=req["headers"],
                                 content=req["body"])
        assert str(got.status_code)[0] in req["status"], (path, got.status_code, got.text)
        ctype = got.headers.get("content-type", "")
        if req["format"] == "boolean":
            assert ctype.startswith(RESULT_TYPES[:2])
            if req["boolean"] is not None:
                assert _boolean(got) is bool(req["boolean"].toPython())
        elif req["format"] == "tabular":
            assert ctype.startswith(RESULT_TYPES)
        elif req["format"] == "RDF":
            assert ctype.startswith(RDF_TYPES)
            Graph().parse(data=got.text, format="turtle" if "turtle" in ctype else "nt")


def test_the_read_only_exemptions_are_only_successful_updates() -> None:
    skipped = [e.split("#")[-1] for e in ENTRIES if not _applies(e)]
    assert skipped and all(name.startswith("update_") for name in skipped)
    assert len(ENTRIES) - len(skipped) >= 27


def test_unknown_graphs_give_an_empty_dataset_not_another_one(w3c_client: TestClient) -> None:
    ask = w3c_client.get("/sparql", params={"query": "ASK { ?s ?p ?o }",
                                            "default-graph-uri": "http://example.org/none"})
    assert ask.status_code == 200 and ask.json()["boolean"] is False
    ask = w3c_client.get("/sparql", params={
        "query": "ASK { ?s ?p ?o }",
        "default-graph-uri": "http://kasei.us/2009/09/sparql/data/data1.rdf"})
    assert ask.json()["boolean"] is True


def test_construct_with_a_relative_iri_resolves_against_the_endpoint(
        w3c_client: TestClient) -> None:
    got = w3c_client.get("/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                         headers={"Accept": "application/n-triples"})
    assert got.status_code == 200
    assert got.text.strip() == ('<http://www.example/s> <http://www.example/p> '
                                '"1"^^<http://www.w3.org/2001/XMLSchema#integer> .')


@pytest.mark.parametrize(("accept", "media"), [
    ("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"), ("application/ld+json",
                                                     "application/ld+json"),
    ("application/rdf+xml;q=0.4, text/turtle;q=0.9", "text/turtle"),
    ("text/html;q=0.1, application/ld+json;q=0.8", "application/ld+json"),
])
def test_construct_by_accept(w3c_client: TestClient, accept: str, media: str) -> None:
    got = w3c_client.get("/sparql", params={"query": "CONSTRUCT { <s> <p> 'x' } WHERE {}"},
                         headers={"Accept": accept})
    assert got.status_code == 200 and got.headers["content-type"].startswith(media)
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt",
           "application/rdf+xml": "xml", "application/ld+json": "json-ld"}[media]
    assert len(Graph().parse(data=got.text, format=fmt)) == 1


def test_what_cannot_be_served_is_406(w3c_client: TestClient) -> None:
    got = w3c_client.get("/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                         headers={"Accept": "text/csv"})
    assert got.status_code == 406
    got = w3c_client.get("/sparql", params={"query": "SELECT * {}"},
                         headers={"Accept": "image/png"})
    assert got.status_code == 406
    got = w3c_client.get("/sparql", params={"query": "SELECT * {}", "format": "turtle"})
    assert got.status_code == 406


def test_the_bare_endpoint_describes_itself_or_shows_the_page(w3c_client: TestClient) -> None:
    sd = w3c_client.get("/sparql", headers={"Accept": "text/turtle"})
    assert sd.status_code == 200 and sd.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=sd.text, format="turtle")
    sd_ns = Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(graph.subjects(RDF.type, sd_ns.Service))
    assert (service, sd_ns.supportedLanguage, sd_ns.SPARQL11Query) in graph
    assert str(graph.value(service, sd_ns.endpoint)) == "http://www.example/sparql"
    comunica = ("application/sparql-results+json,application/ld+json;q=0.9,"
                "text/turtle;q=0.8,text/html;q=0.2")
    assert w3c_client.get("/sparql", headers={"Accept": comunica}).headers[
        "content-type"].startswith("application/ld+json")
    browser = w3c_client.get("/sparql", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
        follow_redirects=False)
    assert browser.status_code == 303 and browser.headers["location"] == "/query"


# ------------------------------------------------------------------ real clients
@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A uvicorn server on loopback over the curated graph (its socket bound before start)."""
    from kg.graph.rdf import build_store

    cur = load(TRIPLES)
    explorer = Explorer(cur, build_store(cur), timeout=30, workers=1)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    srv = uvicorn.Server(uvicorn.Config(explorer.app(), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/sparql"
    srv.should_exit = True
    thread.join(60)
    explorer.close()
    sock.close()


SELECT = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
          "SELECT ?label WHERE { <https://w3id.org/exokg/id/BM-MSC> rdfs:label ?label }")
ASK = "ASK { <https://w3id.org/exokg/id/BM-MSC> ?p ?o }"
CONSTRUCT = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nCONSTRUCT { "
             "<https://w3id.org/exokg/id/BM-MSC> rdfs:label ?l } WHERE { "
             "<https://w3id.org/exokg/id/BM-MSC> rdfs:label ?l }")
DESCRIBE = "DESCRIBE <https://w3id.org/exokg/id/BM-MSC>"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_every_form_and_format(server: str, method: str) -> None:
    sw = pytest.importorskip("SPARQLWrapper")

    def ask(query: str, fmt: str) -> Any:
        client = sw.SPARQLWrapper(server)
        client.setMethod(sw.GET if method == "GET" else sw.POST)
        client.setQuery(query)
        client.setReturnFormat(fmt)
        return client.query()

    for fmt in (sw.JSON, sw.XML, sw.CSV, sw.TSV):
        result = ask(SELECT, fmt)
        body = result.convert()
        if fmt == sw.JSON:
            labels = [b["label"]["value"] for b in body["results"]["bindings"]]
        elif fmt == sw.XML:
            labels = [n.firstChild.firstChild.data
                      for n in body.getElementsByTagName("binding")]
        else:
            text = body.decode() if isinstance(body, bytes) else body
            labels = [line.strip('"') for line in text.splitlines()[1:]]
        assert labels == ["bone marrow MSC"], (fmt, labels)
    assert ask(ASK, sw.JSON).convert()["boolean"] is True
    assert ask(ASK, sw.XML).convert().getElementsByTagName("boolean")[0].firstChild.data == "true"
    for fmt in (sw.TURTLE, sw.N3, sw.RDFXML, sw.JSONLD, sw.XML):
        for query in (CONSTRUCT, DESCRIBE):
            result = ask(query, fmt)
            graph = result.convert()
            if not isinstance(graph, Graph):  # turtle, n3 and json-ld come back as bytes
                media = result.info()["content-type"].split(";")[0]
                kind = {"text/turtle": "turtle", "application/ld+json": "json-ld",
                        "application/rdf+xml": "xml"}[media]
                graph = Graph().parse(data=graph, format=kind)
            labels = {str(o) for o in graph.objects(
                URIRef("https://w3id.org/exokg/id/BM-MSC"), RDFS.label)}
            assert labels == {"bone marrow MSC"}, (fmt, query)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_rdflib_sparqlstore(server: str, fmt: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server, returnFormat=fmt)
    graph = Graph(store=store)
    assert [str(r[0]) for r in graph.query(SELECT)] == ["bone marrow MSC"]
    assert graph.query(ASK).askAnswer is True
    built = graph.query(CONSTRUCT).graph
    assert built is not None and len(built) == 1
    assert len(list(graph.triples((URIRef("https://w3id.org/exokg/id/BM-MSC"), RDFS.label,
                                   None)))) == 1


def test_csv_of_sparqlwrapper_parses(server: str) -> None:
    import csv

    sw = pytest.importorskip("SPARQLWrapper")
    client = sw.SPARQLWrapper(server)
    client.setQuery(SELECT)
    client.setReturnFormat(sw.CSV)
    rows = list(csv.reader(io.StringIO(client.query().convert().decode())))
    assert rows == [["label"], ["bone marrow MSC"]]
    assert unquote("%20") == " "
