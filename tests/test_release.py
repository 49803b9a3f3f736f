"""exokg release: one folder, the same bytes for the same inputs, valid for every validator."""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, VOID

from kg.cli import cli
from kg.errors import ExportError
from kg.io.release import Creator, ReleaseInfo, release_date, write_release

from .conftest import TRIPLES

DATA = Path(__file__).resolve().parent / "data"
ARGS = ["0.2.0", "--creator", "Curie, Marie", "--creator", "The exokg curators",
        "--date", "2026-12-07"]


def release(out: Path, *extra: str, data: Path = TRIPLES) -> Any:
    return CliRunner().invoke(cli, ["--data", str(data), "release", *ARGS, "-o", str(out),
                                    *extra])


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def rel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rel") / "exokg-0.2.0"
    result = release(out)
    assert result.exit_code == 0, result.output
    return out


def test_release_holds_every_part(rel: Path) -> None:
    names = set(tree(rel))
    from kg.io.formats import formats

    for name, fmt in formats().items():
        if fmt.kind == "file":
            assert f"exports/exokg{fmt.suffixes[0]}" in names
        else:
            assert all(f"exports/{name}/{file}" in names for file, _ in fmt.files)
    for part in ("CITATION.cff", "SHA256SUMS", "ro-crate-metadata.json", "dataset.ttl",
                 "data/datapackage.json", "data/claims/wei2024-tables.tsv",
                 "data/schema/types.tsv", "queries/claims-for-entity.rq"):
        assert part in names
    assert not any(Path(n).name.startswith(".") for n in names)


def test_checksums_cover_every_other_file(rel: Path) -> None:
    lines = (rel / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(tree(rel)) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((rel / name).read_bytes()).hexdigest() == digest, name


def test_same_inputs_give_the_same_bytes(rel: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = CliRunner().invoke(cli, ["--no-cache", "--data", str(TRIPLES), "release", *ARGS,
                                      "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert tree(again) == tree(rel)


def test_release_data_loads_and_equals_the_source(rel: Path) -> None:
    from kg.data.curation import load

    assert load(rel / "data").claims.keys() == load(TRIPLES).claims.keys()
    for name, data in tree(rel / "data").items():
        if name != "datapackage.json":
            assert (TRIPLES / name).read_bytes() == data


def test_refuses_a_folder_that_is_not_a_release(tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    result = release(out)
    assert result.exit_code == 1
    assert "is not empty and is not an earlier release; use --force" in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]  # no stage left behind


def test_force_replaces_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "mine.txt").write_text("lost", encoding="utf-8")
    result = release(out, "--force")
    assert result.exit_code == 0, result.output
    assert not (out / "mine.txt").exists() and (out / "SHA256SUMS").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]


def test_an_earlier_release_is_replaced_whole(rel: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    shutil.copytree(rel, out)
    (out / "exports" / "stale.txt").write_text("from an older release", encoding="utf-8")
    result = release(out)
    assert result.exit_code == 0, result.output
    assert tree(out) == tree(rel)


def test_missing_parent_and_file_in_the_way(tmp_path: Path) -> None:
    missing = release(tmp_path / "no" / "such")
    assert missing.exit_code == 1 and "does not exist (create it first)" in missing.output
    (tmp_path / "file").write_text("x", encoding="utf-8")
    on_file = release(tmp_path / "file")
    assert on_file.exit_code == 1 and "it is a file" in on_file.output


def test_date_is_never_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with pytest.raises(ExportError, match="--date"):
        release_date(None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    assert release_date(None) == "2026-05-28"
    assert release_date("2026-01-02") == "2026-01-02"


def test_release_without_a_date_is_refused(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = CliRunner().invoke(cli, ["--data", str(TRIPLES), "release", "0.2.0", "-o",
                                      str(tmp_path / "r"), "--creator", "Curie, Marie"])
    assert result.exit_code == 1 and "--date YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "r").exists()


def test_release_data_package_is_valid(rel: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(rel / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])


def test_bad_version_date_and_creator() -> None:
    with pytest.raises(ExportError, match="version"):
        ReleaseInfo("1 0", "2026-01-01", (Creator("x"),))
    with pytest.raises(ExportError, match="YYYY-MM-DD"):
        ReleaseInfo("1.0", "7 Dec 2026", (Creator("x"),))
    with pytest.raises(ExportError, match="at least one creator"):
        ReleaseInfo("1.0", "2026-01-01", ())
    with pytest.raises(ExportError, match="Family, Given"):
        Creator.parse(" , Marie")


def test_write_release_leaves_out_alone_on_error(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.data.curation import load
    from kg.io import release as module

    out = tmp_path / "r"
    out.mkdir()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module, "citation_cff", fail)
    info = ReleaseInfo("1.0", "2026-01-01", (Creator("x"),))
    with pytest.raises(ExportError, match="No space left on device; nothing was changed"):
        write_release(load(TRIPLES), TRIPLES, info, out)
    assert list(out.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


# -- the description: VoID and DCAT -------------------------------------------------------
def test_void_triple_count_equals_the_turtle_export(rel: Path) -> None:
    desc = Graph().parse(rel / "dataset.ttl")
    exported = Graph().parse(rel / "exports" / "exokg.ttl")
    (count,) = desc.objects(None, VOID.triples)
    assert int(count) == len(exported) > 0
    (entities,) = desc.objects(URIRef("https://w3id.org/exokg/release/0.2.0"), VOID.entities)
    from kg.data.curation import load

    assert int(entities) == len(load(TRIPLES).entities)


def test_dataset_names_the_three_reviews_and_the_licence(rel: Path) -> None:
    desc = Graph().parse(rel / "dataset.ttl")
    ds = URIRef("https://w3id.org/exokg/release/0.2.0")
    reviews = {str(o).rsplit("/", 1)[1] for o in desc.objects(ds, PROV.wasDerivedFrom)}
    assert reviews == {"li2025", "quan2025", "wei2024"}
    assert "creativecommons.org/licenses/by/4.0" in (rel / "dataset.ttl").read_text()


def test_dcat_conforms_to_dcat_ap_shapes(rel: Path) -> None:
    from pyshacl import validate

    shapes = Graph().parse(DATA / "dcat-ap" / "dcat-ap_2.1.1_shacl_shapes.ttl")
    conforms, _, text = validate(Graph().parse(rel / "dataset.ttl"), shacl_graph=shapes)
    assert conforms, text


def test_dcat_ap_shapes_catch_a_broken_description(rel: Path) -> None:
    from pyshacl import validate
    from rdflib.namespace import DCAT, DCTERMS

    shapes = Graph().parse(DATA / "dcat-ap" / "dcat-ap_2.1.1_shacl_shapes.ttl")
    desc = Graph().parse(rel / "dataset.ttl")
    desc.remove((None, DCTERMS.title, None))
    desc.remove((None, DCAT.accessURL, None))
    conforms, _, text = validate(desc, shacl_graph=shapes)
    assert not conforms and "dcat:accessURL" in text and "dct:title" in text


# -- CITATION.cff and RO-Crate ------------------------------------------------------------
def test_citation_cff_validates(rel: Path) -> None:
    from cffconvert.cli.create_citation import create_citation
    from cffconvert.cli.validate_or_write_output import validate_or_write_output

    text = (rel / "CITATION.cff").read_text(encoding="utf-8")
    assert "family-names: \"Curie\"" in text and "name: \"The exokg curators\"" in text
    citation = create_citation(str(rel / "CITATION.cff"), None)
    validate_or_write_output(None, "cff", True, citation)  # raises when invalid


def test_citation_cff_validator_rejects_a_bad_file(tmp_path: Path) -> None:
    import jsonschema
    from cffconvert.cli.create_citation import create_citation

    bad = tmp_path / "CITATION.cff"
    bad.write_text("cff-version: 1.2.0\nmessage: x\ntitle: t\nauthors: []\n", encoding="utf-8")
    citation = create_citation(str(bad), None)
    with pytest.raises(jsonschema.ValidationError, match="is too short"):
        citation.validate()


ROCRATE_CONTEXT = "https://w3id.org/ro/crate/1.1/context"


@pytest.fixture(scope="session")
def rocrate_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The validator's HTTP cache, holding the RO-Crate 1.1 context shipped in tests/data.

    The validator fetches the context through its own cached session; offline, it reads
    only that cache. The cache is filled here through a transport that serves the local
    copy, so no request leaves the machine.
    """
    import requests
    import urllib3
    from requests.adapters import HTTPAdapter
    from requests_cache import CachedSession

    body = gzip.decompress((DATA / "ro-crate" / "context-1.1.jsonld.gz").read_bytes())

    class Local(HTTPAdapter):
        def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
                 ) -> requests.Response:
            assert request.url == ROCRATE_CONTEXT, request.url
            raw = urllib3.HTTPResponse(body=io.BytesIO(body), status=200,
                                       headers={"Content-Type": "application/ld+json"},
                                       preload_content=False, request_url=request.url)
            return self.build_response(request, raw)

    path = str(tmp_path_factory.mktemp("rocrate") / "http-cache")
    session = CachedSession(cache_name=path, backend="sqlite", expire_after=-1)
    session.mount("https://", Local())
    session.mount("http://", Local())
    assert session.get(ROCRATE_CONTEXT).status_code == 200
    session.close()
    return path


def roc_issues(folder: Path, cache: str) -> list[str]:
    from rocrate_validator import services

    result = services.validate({"rocrate_uri": str(folder), "profile_identifier": "ro-crate-1.1",
                                "requirement_severity": "REQUIRED", "offline": True,
                                "cache_path": cache})
    return [str(issue.message) for issue in result.get_issues()]


def test_ro_crate_is_valid_at_the_required_level(rel: Path, rocrate_cache: str) -> None:
    pytest.importorskip("rocrate_validator")
    assert roc_issues(rel, rocrate_cache) == []


def test_ro_crate_validator_catches_a_missing_root(rel: Path, tmp_path: Path,
                                                   rocrate_cache: str) -> None:
    import json

    pytest.importorskip("rocrate_validator")
    broken = tmp_path / "broken"
    shutil.copytree(rel, broken)
    meta = broken / "ro-crate-metadata.json"
    doc = json.loads(meta.read_text(encoding="utf-8"))
    for entity in doc["@graph"]:
        if entity["@id"] == "./":
            del entity["datePublished"]
    meta.write_text(json.dumps(doc), encoding="utf-8")
    assert any("datePublished" in issue for issue in roc_issues(broken, rocrate_cache))


def test_extra_folder_goes_into_the_release(mini: Path, tmp_path: Path) -> None:
    from kg.data.curation import load

    (mini / "extra").mkdir()
    (mini / "extra" / "targets.tsv").write_text(
        "subject\tpredicate\tobject\tsource\nmiRNA-1\tinhibits\tPTEN\tTestDB 1.0\n",
        encoding="utf-8")
    out = tmp_path / "r"
    result = release(out, data=mini)
    assert result.exit_code == 0, result.output
    assert (out / "data" / "extra" / "targets.tsv").read_bytes() == \
        (mini / "extra" / "targets.tsv").read_bytes()
    assert load(out / "data").extra_edges.keys() == load(mini).extra_edges.keys() != set()


def test_explorer_and_site_front_page_show_the_release(rel: Path) -> None:
    from kg.data.curation import load
    from kg.io.release import release_of
    from kg.web import data as pages
    from kg.web.draw import decorate
    from kg.web.render import Links, render

    assert release_of(rel / "data") == {"version": "0.2.0", "date": "2026-12-07"}
    assert release_of(TRIPLES) is None and release_of(rel) is None

    def front(folder: Path) -> str:
        cur = load(folder)
        data = pages.home_page(cur)
        links = Links(site=True)
        return render("index.html", data, links, json_url="index.json",
                      choices=pages.choices(cur), **decorate(cur, "index.html", data, links))

    assert "Release 0.2.0 of 2026-12-07." in front(rel / "data")
    assert "(not a release)" in front(TRIPLES)
