"""What commands import: the ranking does not pull matplotlib in through igraph."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_ranking_keeps_matplotlib_out() -> None:
    pytest.importorskip("matplotlib")  # the researcher's environment: matplotlib installed
    code = ("import sys; from kg.data.curation import load; from kg.query.rank import rank; "
            "res = rank(load(), permutations=2); assert res.rows; "
            "print('matplotlib' in sys.modules); import matplotlib.pyplot")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
