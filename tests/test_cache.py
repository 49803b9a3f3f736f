"""The content-hash cache: same answers, rebuilt after any edit, never in the way."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kg.cache import content_hash, load_cached
from kg.cli import cli
from kg.curation import load


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
