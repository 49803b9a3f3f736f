"""Shared fixtures: the real curation, and a small curated folder to break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.data.curation import load
from kg.data.model import Curation

ROOT = Path(__file__).resolve().parent.parent
TRIPLES = ROOT / "triples"
MINI = Path(__file__).resolve().parent / "data" / "mini"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                  ) -> Path:
    """Every test gets its own cache folder: nothing is read from or left in the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("EXOKG_CACHE", str(folder))
    return folder


@pytest.fixture(scope="session")
def cur() -> Curation:
    """The project's real curated data, validated."""
    return load(TRIPLES)


@pytest.fixture()
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small test folder, with the project's schema files."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    shutil.copytree(TRIPLES / "schema", target / "schema")
    return target


@pytest.fixture()
def mini_cur(mini: Path) -> Curation:
    """The small test folder, loaded."""
    return load(mini)
