"""The output blocks of README.md and docs/ are what the program prints today."""

from __future__ import annotations

from .readme_blocks import ROOT, stale


def test_blocks_are_current() -> None:
    names = [str(path.relative_to(ROOT)) for path in stale()]
    assert names == [], f"stale blocks in {names}: run 'make readme'"
