"""Random damage to a curated folder: every problem is reported with file:line (or file),
never as a traceback."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import cli
from kg.data.curation import validate

from .conftest import MINI, TRIPLES

FILES = sorted(p.relative_to(MINI).as_posix() for p in MINI.rglob("*.tsv"))
# a problem's place: a curated file, optionally with :line
WHERE = re.compile(r"^[\w./-]+\.tsv(:\d+)?$")

cells = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "|", "||", " ", "-|", "-> ", "-? x", "toy2024:999", "toy2024:",
                     ":1", "alleviates", "promotes nothing", "\\", "\"", "#", "NCT1",
                     "in vivo|in vivo", "exosome", "cells", "AD", "\u03ba", "\ufeff"]),
)
raw_bytes = st.binary(max_size=60)


def _damage(folder: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(FILES), label="file")
    path = folder / name
    lines = path.read_bytes().split(b"\n")
    kind = data.draw(st.sampled_from(["cell", "line", "bytes", "truncate", "drop-header",
                                      "duplicate"]), label="kind")
    index = data.draw(st.integers(0, max(len(lines) - 1, 0)), label="line")
    if kind == "cell":
        cells_of = lines[index].split(b"\t")
        column = data.draw(st.integers(0, max(len(cells_of) - 1, 0)), label="column")
        cells_of[column] = data.draw(cells, label="value").encode("utf-8", "surrogatepass")
        lines[index] = b"\t".join(cells_of)
    elif kind == "line":
        new = data.draw(st.lists(cells, max_size=8), label="cells")
        lines.insert(index, "\t".join(new).encode("utf-8", "surrogatepass"))
    elif kind == "bytes":
        lines[index] = data.draw(raw_bytes, label="bytes")
    elif kind == "truncate":
        lines = lines[:index]
    elif kind == "drop-header":
        lines = lines[1:]
    else:
        lines.insert(index, lines[index])
    path.write_bytes(b"\n".join(lines))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_damage_is_reported_with_its_place(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mini"
        shutil.copytree(MINI, folder)
        shutil.copytree(TRIPLES / "schema", folder / "schema")
        for _ in range(data.draw(st.integers(1, 3), label="damages")):
            _damage(folder, data)
        _, problems = validate(folder)  # never raises
        for problem in problems:
            assert WHERE.match(problem.where), str(problem)
            assert problem.message
        result = CliRunner().invoke(cli, ["--data", str(folder), "check"])
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            repr(result.exception)
        assert "Traceback" not in result.output
