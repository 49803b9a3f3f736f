"""The README's output blocks are what the program prints today."""

from __future__ import annotations

from .readme_blocks import README, render


def test_readme_blocks_are_current() -> None:
    current = README.read_text(encoding="utf-8")
    assert render(current) == current, "README.md blocks are stale: run 'make readme'"
