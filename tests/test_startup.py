"""What commands import: nothing heavy that the command does not use.

A researcher's environment has matplotlib, NumPy and often pandas installed; python-igraph
imports matplotlib when it is present and NumPy on every graph it builds, only to check
argument types. Each of these adds a tenth of a second to a command that answers in a few
tenths (the latency target is 1.5x a bare ``import networkx``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

#: Modules no query command needs (``exokg view``, ``export`` and ``serve`` have their own).
HEAVY = ("matplotlib", "numpy", "pandas", "scipy", "IPython", "pyvis", "jinja2")

RUNNER = """
import json, sys
from kg.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="exokg", standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def _loaded_by(*args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", RUNNER.format(heavy=HEAVY), *args],
                         capture_output=True, text=True, check=True, timeout=300)
    loaded: list[str] = json.loads(out.stderr.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize("args", [
    ("rank",),
    ("rank", "--disease", "neurodegenerative disease"),
    ("paths", "BM-MSC", "osteoarthritis"),
    ("show", "miR-146a-5p"),
    ("claims", "--cargo", "miR-21"),
    ("matrix",),
    ("hallmarks",),
    ("trials", "osteoarthritis"),
    ("search", "mir-21"),
], ids=lambda a: " ".join(a))
def test_query_commands_import_nothing_heavy(args: tuple[str, ...]) -> None:
    assert _loaded_by(*args) == []


def test_ranking_keeps_matplotlib_out_in_the_api() -> None:
    pytest.importorskip("matplotlib")  # the researcher's environment: matplotlib installed
    code = ("import sys; from kg.data.curation import load; from kg.query.rank import rank; "
            "res = rank(load(), permutations=2); assert res.rows; "
            "print('matplotlib' in sys.modules, 'numpy' in sys.modules); "
            "import matplotlib.pyplot, numpy")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False False"


@pytest.mark.parametrize("args", [
    ("view", "miR-146a-5p"),
    ("view", "--engine", "svg", "--paths", "BMSC", "osteoarthritis"),
    ("view", "--disease", "osteoarthritis"),
], ids=lambda a: " ".join(a))
def test_view_imports_pyvis_only_for_its_engine(args: tuple[str, ...], tmp_path: Path) -> None:
    page = tmp_path / "view.html"
    assert _loaded_by(*args, "-o", str(page)) == []
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")  # it did run


def test_the_pyvis_engine_is_seen_importing_pyvis(tmp_path: Path) -> None:
    """The probe above can see pyvis: ``--engine pyvis`` imports it (and only it)."""
    page = tmp_path / "view.html"
    assert "pyvis" in _loaded_by("view", "--engine", "pyvis", "miR-146a-5p", "-o", str(page))
    assert page.exists()
