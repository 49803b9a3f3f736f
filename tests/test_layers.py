"""The layers of ``kg`` are a contract: import-linter checks it on every run of the tests.

``[tool.importlinter]`` in ``pyproject.toml`` names the order once (DESIGN.md): cli > web >
view > io > query > graph > data > errors. ``lint-imports`` fails on any import that points
upward, including imports inside functions and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .conftest import ROOT


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not os.path.exists(exe):
        pytest.fail("lint-imports is not installed: pip install -e '.[test]'")
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([exe, "--no-cache"], cwd=root, env=env, capture_output=True,
                          text=True, check=False, timeout=300)


def test_layers_contract_is_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_every_package_of_kg_is_a_layer() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    named = {part.strip() for layer in contract["layers"] for part in layer.split("|")}
    packages = {f"kg.{p.name}" for p in (ROOT / "kg").iterdir()
                if (p / "__init__.py").is_file()}
    assert packages <= named, sorted(packages - named)


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """The check can fail: a copy of kg whose data layer imports the graph layer."""
    shutil.copytree(ROOT / "kg", tmp_path / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    hierarchy = tmp_path / "kg" / "data" / "hierarchy.py"
    hierarchy.write_text(hierarchy.read_text(encoding="utf-8")
                         + "\n\ndef _up() -> None:\n    import kg.graph.edges  # noqa: F401\n",
                         encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "kg.data.hierarchy -> kg.graph.edges" in result.stdout
