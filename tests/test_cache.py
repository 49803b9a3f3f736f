"""The content-hash cache: same answers, rebuilt after any edit, never in the way."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
import kg.io.cache
from kg.cli import cli
from kg.data.curation import load
from kg.data.model import Curation
from kg.io.cache import content_hash, load_cached, program_fingerprint

from .conftest import settle

# every test here starts from an empty cache of its own, not the session's shared one
pytestmark = pytest.mark.usefixtures("private_cache")


def run(folder: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--data", str(folder), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cached_answers_equal_fresh_ones(mini: Path, private_cache: Path) -> None:
    first = run(mini, "export", "-f", "nt", "-o", "-")
    assert any(private_cache.iterdir())  # something was cached
    second = run(mini, "export", "-f", "nt", "-o", "-")
    fresh = run(mini, "--no-cache", "export", "-f", "nt", "-o", "-")
    assert first == second == fresh
    assert run(mini, "sparql", "hub-pathways") == run(mini, "--no-cache", "sparql",
                                                          "hub-pathways")


def test_any_edit_changes_the_key(mini: Path) -> None:
    before = content_hash(mini)
    claims = mini / "claims" / "toy2024.tsv"
    claims.write_text(claims.read_text(encoding="utf-8").replace("rat", "mouse"),
                      encoding="utf-8")
    assert content_hash(mini) != before


def test_edited_folder_is_not_served_from_cache(mini: Path) -> None:
    run(mini, "stats")
    path = mini / "claims" / "toy2024.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # drop a claim
    assert "claims: 1" in run(mini, "stats")


def test_index_values_follow_an_edited_predicate_or_citation_row(mini: Path) -> None:
    """The edges follow a row of ``schema/predicates.tsv``, the study keys a citation row.

    Each is a value of the cached curation's index (the edges even kept in the entry): an
    edited table is a new entry whose values are computed again, never the old ones.
    """
    from kg.graph.edges import edges
    from kg.query.evidence import claim_study_keys

    def cargo_kinds(cur: Curation) -> set[str]:
        return {e.kind for e in edges(cur) if e.predicate == "has_cargo"}

    load_cached(mini, load)  # writes the entry
    warm = load_cached(mini, load)
    assert cargo_kinds(warm) == {"cargo"}
    assert claim_study_keys(warm)["toy2024-t1-01"] == {"smith2020"}

    predicates = mini / "schema" / "predicates.tsv"
    text = predicates.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("has_cargo\t"))
    predicates.write_text(text.replace(row, row.replace("\tcargo\t", "\tcausal\t", 1)),
                          encoding="utf-8")
    assert cargo_kinds(load_cached(mini, load)) == {"causal"}

    references = mini / "references" / "toy2024.tsv"  # citation toy2024:1 -> a new key
    references.write_text(references.read_text(encoding="utf-8").replace(
        "1\tsmith2020\t", "1\tsmith2020b\t"), encoding="utf-8")
    changed = load_cached(mini, load)
    assert changed.citations["toy2024:1"] == "smith2020b"
    assert claim_study_keys(changed)["toy2024-t1-01"] == {"smith2020b"}
    assert cargo_kinds(changed) == {"causal"}


def test_broken_cache_entry_falls_back(mini: Path, private_cache: Path) -> None:
    cur = load_cached(mini, load)
    entry = private_cache / cur.cache_key / "curation.pickle"
    assert entry.is_file()
    entry.write_bytes(b"not a pickle")
    again = load_cached(mini, load)
    assert sorted(again.claims) == sorted(cur.claims)


def test_cache_can_be_turned_off(mini: Path, private_cache: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EXOKG_CACHE", "off")
    run(mini, "export", "-o", "-")
    assert not any(private_cache.iterdir())


def _fingerprint(package_parent: Path) -> str:
    code = "from kg.io.cache import program_fingerprint; print(program_fingerprint())"
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True, cwd=package_parent)
    return out.stdout.strip()


def test_an_edit_of_the_program_changes_the_key(tmp_path: Path) -> None:
    """The key covers the code: a changed module is a miss, not the old graph."""
    shutil.copytree(Path(kg.__file__).parent, tmp_path / "kg",
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = _fingerprint(tmp_path)
    assert _fingerprint(tmp_path) == before  # stable while nothing changes
    rdf = tmp_path / "kg" / "graph" / "rdf.py"
    rdf.write_text(rdf.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _fingerprint(tmp_path) != before


def test_library_versions_are_in_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = program_fingerprint()
    program_fingerprint.cache_clear()
    monkeypatch.setattr(kg.io.cache, "LIBRARIES", (*kg.io.cache.LIBRARIES, "click"))
    try:
        assert program_fingerprint() != before
    finally:
        program_fingerprint.cache_clear()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_damaged_entries_are_rebuilt(mini: Path, private_cache: Path, damage: str) -> None:
    fresh = run(mini, "--no-cache", "export", "-f", "nt", "-o", "-")
    answer = run(mini, "--no-cache", "sparql", "hub-pathways")
    assert run(mini, "export", "-f", "nt", "-o", "-") == fresh
    assert run(mini, "sparql", "hub-pathways") == answer  # the store is cached too
    entries = [p for p in private_cache.rglob("*") if p.is_file()]
    assert any(p.name == "curation.pickle" for p in entries)
    assert any(p.name == "complete" for p in entries)
    for path in entries:
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            path.write_bytes(b"\x00garbage" * 3)
        else:
            path.write_bytes(b"")
    assert run(mini, "export", "-f", "nt", "-o", "-") == fresh
    assert run(mini, "export", "-f", "nt", "-o", "-") == fresh
    assert run(mini, "sparql", "hub-pathways") == answer


def test_unwritable_cache_folder(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                 ) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("EXOKG_CACHE", str(blocker / "cache"))
    fresh = run(mini, "--no-cache", "export", "-f", "nt", "-o", "-")
    assert run(mini, "export", "-f", "nt", "-o", "-") == fresh
    assert run(mini, "sparql", "hub-pathways")


def test_two_processes_fill_one_entry(mini: Path, private_cache: Path) -> None:
    """Started together on an empty cache, both give the right answer."""
    fresh = run(mini, "--no-cache", "export", "-f", "nt", "-o", "-")
    cmd = [sys.executable, "-m", "kg", "--data", str(mini), "export", "-f", "nt", "-o", "-"]
    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    for _ in range(3):
        settle(private_cache)  # the writers the last round's commands left
        shutil.rmtree(private_cache)
        private_cache.mkdir()
        procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(3)]
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err.decode()
            assert b"Traceback" not in err
            assert out.decode() == fresh
    assert run(mini, "export", "-f", "nt", "-o", "-") == fresh


@pytest.mark.parametrize(("fmt", "name"), [("json-ld", "g.jsonld"), ("graphml", "g.graphml")])
def test_every_file_export_is_kept(fmt: str, name: str, mini: Path, private_cache: Path,
                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = run(mini, "--no-cache", "export", "-f", fmt, "-o", "-")
    assert run(mini, "export", "-f", fmt, "-o", "-") == fresh
    # the second export reads the kept bytes: making them again would fail here
    import kg.io.graphml
    import kg.io.jsonld

    def refuse(*args: object) -> None:
        raise AssertionError("made again")

    monkeypatch.setattr(kg.io.jsonld, "jsonld_bytes", refuse)
    monkeypatch.setattr(kg.io.graphml, "graphml_bytes", refuse)
    assert run(mini, "export", "-f", fmt, "-o", "-") == fresh


def test_an_unreadable_entry_is_rebuilt_and_freezes_nothing(
        tmp_path: Path, mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a curation actually loaded is moved out of the collector's generations.

    ``gc.freeze`` is watched rather than the freeze count, which also falls whenever an
    object frozen earlier in the process is freed (by another test, or a worker's thread).
    """
    import gc
    import pickle

    from kg.io import cache

    frozen: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))
    entry = tmp_path / "curation.pickle"
    entry.write_bytes(b"not a pickle")
    assert cache._read_curation(entry) is None
    assert not frozen and gc.isenabled()
    good = tmp_path / "good.pickle"
    good.write_bytes(pickle.dumps((load(mini), {}, "")))
    assert cache._read_curation(good) is not None and frozen == [1]  # a loaded one is frozen


def _paths(cur: kg.Curation) -> dict[str, object]:
    """Every file path a curation holds: record locations, warnings, files, extra RDF."""
    tables = (cur.types, cur.predicates, cur.parent_rules, cur.entities, cur.claims,
              cur.trials)
    return {
        "locations": sorted(str(rec.location) for records in tables
                            for rec in records.values() if rec.location is not None),
        "others": sorted(str(rec.location) for rec in (*cur.attributes, *cur.xref_records)
                         if rec.location is not None),
        "warnings": sorted(str(w) for w in cur.warnings),
        "files": cur.files,
        "extra_rdf": cur.extra_rdf,
    }


def test_a_curation_cached_from_another_directory_names_the_files_from_here(
        mini: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache keeps the paths as shown from the directory that filled it; read from
    another directory, they are shown from there (issue 26's file:line bug), and the RDF
    files of ``extra/`` still open."""
    (mini / "extra").mkdir()
    (mini / "extra" / "more.ttl").write_text(
        '<https://example.org/a> <https://example.org/says> "hello" .\n', encoding="utf-8")
    claims = mini / "claims" / "toy2024.tsv"  # CRLF: a warning naming the file
    claims.write_bytes(claims.read_bytes().replace(b"\n", b"\r\n"))
    elsewhere = mini.parent / "elsewhere" / "deeper"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(mini.parent)
    filled = load_cached(Path("mini"), load)
    assert (private_cache / filled.cache_key / "curation.pickle").is_file()
    assert "mini/entities/all.tsv:2" in _paths(filled)["locations"]
    monkeypatch.chdir(elsewhere)
    folder = Path("../../mini")
    cached = load_cached(folder, load)
    assert cached.cache_key == filled.cache_key  # read from the entry, not loaded again
    fresh = load(folder)
    assert _paths(cached) == _paths(fresh)
    assert "../../mini/entities/all.tsv:2" in _paths(cached)["locations"]
    assert any("../../mini/claims/toy2024.tsv" in w for w in _paths(cached)["warnings"])
    # a warning that names no file keeps its place as it is
    from kg.data.loading import relocate
    from kg.errors import Problem

    filled.warnings = [Problem("toy2024-t1-01", "a record, not a file", "warning")]
    relocate(filled, str(mini.parent))
    assert [w.where for w in filled.warnings] == ["toy2024-t1-01"]
    assert cached.extra_rdf == ["../../mini/extra/more.ttl"]
    # a command run from there: the entity's file and line, and the extra RDF merged
    shown = run(folder, "show", "AD-MSC", "--format", "json")
    assert '"defined_at": "../../mini/entities/all.tsv:2"' in shown
    assert "<https://example.org/says>" in run(folder, "export", "-f", "nt", "-o", "-")
