"""No command that writes ever loses a user's file.

The rule (docs/formats.md, "One rule for every command that writes"): an existing file is
replaced only with ``--force``, when it is empty, or when exokg wrote it and it holds exactly
the bytes it wrote (the folder's ``.exokg-written`` record says so; the content is never
guessed from). These tests try the files a researcher keeps beside their exports, a fuzz of
contents that look like exports, edited exports, devices, and the static site.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import cli
from kg.errors import ExportError
from kg.io.files import RECORD, check_target, write_output

#: Files a user keeps, each with a command that would write the same kind of name.
USER_FILES = {
    "notes.md": (["export", "-f", "turtle"], "# My notes\n\nSee the figure.\n"),
    "analysis.ipynb": (["export", "-f", "json-ld"],
                       json.dumps({"cells": [], "nbformat": 4, "nbformat_minor": 5})),
    "pyproject.toml": (["export", "-f", "turtle"], '[project]\nname = "mine"\n'),
    "pom.xml": (["export", "-f", "graphml"],
                '<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion></project>\n'),
    "homepage.html": (["view"],
          "<!doctype html>\n<html><body>my page</body></html>\n"),
    "graph.nt": (["export", "-f", "nt"], "<http://a/s> <http://a/p> <http://a/o> .\n"),
}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("name", sorted(USER_FILES))
def test_a_users_file_is_never_replaced_without_force(mini: Path, tmp_path: Path,
                                                      name: str) -> None:
    command, content = USER_FILES[name]
    target = tmp_path / name
    target.write_text(content, encoding="utf-8")
    code, out = run("--data", str(mini), *command, "-o", str(target))
    assert code == 1, out
    assert f"{target} exists and is not a file exokg wrote" in out and "--force" in out
    assert target.read_text(encoding="utf-8") == content
    assert not (tmp_path / RECORD).exists()
    code, out = run("--data", str(mini), *command, "-o", str(target), "--force")
    assert code == 0, out
    assert target.read_text(encoding="utf-8") != content


def test_an_earlier_export_is_replaced_but_an_edited_one_is_kept(mini: Path,
                                                                 tmp_path: Path) -> None:
    target = tmp_path / "g.ttl"
    assert run("--data", str(mini), "export", "-o", str(target))[0] == 0
    first = target.read_bytes()
    record = json.loads((tmp_path / RECORD).read_text(encoding="utf-8"))
    assert list(record["files"]) == ["g.ttl"]
    code, out = run("--data", str(mini), "export", "-o", str(target))
    assert code == 0, out  # exokg's own, unchanged: replaced
    assert target.read_bytes() == first
    target.write_bytes(first + b"# my comment\n")  # now it is the user's
    code, out = run("--data", str(mini), "export", "-o", str(target))
    assert code == 1 and "or it was changed since" in out
    assert target.read_bytes().endswith(b"# my comment\n")


def test_a_record_of_another_folder_or_file_does_not_count(mini: Path, tmp_path: Path) -> None:
    """The record vouches for a name in its own folder and for the bytes written, no more."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert run("--data", str(mini), "export", "-o", str(tmp_path / "a" / "g.ttl"))[0] == 0
    other = tmp_path / "b" / "g.ttl"
    other.write_bytes((tmp_path / "a" / "g.ttl").read_bytes()[:-1])
    code, _ = run("--data", str(mini), "export", "-o", str(other))
    assert code == 1 and other.read_bytes() == (tmp_path / "a" / "g.ttl").read_bytes()[:-1]
    (tmp_path / "a" / RECORD).write_text("not json", encoding="utf-8")  # a broken record
    code, _ = run("--data", str(mini), "export", "-o", str(tmp_path / "a" / "g.ttl"))
    assert code == 1  # vouches for nothing


def test_tables_and_devices(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "kgx"
    assert run("--data", str(mini), "export", "-f", "kgx", "-o", str(folder))[0] == 0
    assert run("--data", str(mini), "export", "-f", "kgx", "-o", str(folder))[0] == 0
    edges = folder / "edges.tsv"
    edges.write_text("id\tmy own edges\n", encoding="utf-8")  # same header, other content
    code, out = run("--data", str(mini), "export", "-f", "kgx", "-o", str(folder))
    assert code == 1 and "edges.tsv exists" in out
    assert edges.read_text(encoding="utf-8") == "id\tmy own edges\n"
    if os.path.exists("/dev/null"):  # a device is written into, never replaced
        code, out = run("--data", str(mini), "export", "-f", "nt", "-o", "/dev/null")
        assert code == 0, out
        assert not Path("/dev/null").is_file()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.sampled_from(["", "@prefix", "PREFIX", "<", "#", "[", "{", "_:", "<?xml",
                             "<graphml", "<!doctype html>", "<html>", "id\t", "id:ID,"]),
       body=st.binary(min_size=1, max_size=200),
       kind=st.sampled_from(["turtle", "nt", "json-ld", "graphml", "html", "tsv"]))
def test_fuzz_no_content_makes_a_file_replaceable(tmp_path: Path, head: str, body: bytes,
                                                  kind: str) -> None:
    target = tmp_path / "out.file"
    target.write_bytes(head.encode() + body)
    with pytest.raises(ExportError, match="--force"):
        check_target(target, kind)
    write_output(target, head.encode() + body)  # once exokg wrote these very bytes ...
    assert check_target(target, kind) == target  # ... it may replace them
    target.write_bytes(head.encode() + body + b"x")
    with pytest.raises(ExportError):
        check_target(target, kind)
    (tmp_path / RECORD).unlink()


def test_an_edited_page_of_an_earlier_site_stops_the_whole_rewrite(mini: Path,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run("--data", str(mini), "site", "-o", str(out), "-j", "1")[0] == 0
    record = json.loads((out / RECORD).read_text(encoding="utf-8"))["files"]
    assert "index.html" in record and any(n.startswith("entity/") for n in record)
    assert RECORD not in record
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")  # the publisher's own
    assert run("--data", str(mini), "site", "-o", str(out), "-j", "1")[0] == 0
    page = out / "rank.html"
    page.write_text("my edited ranking", encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, out_text = run("--data", str(mini), "site", "-o", str(out), "-j", "1")
    assert code == 1 and "rank.html" in out_text and "nothing was changed" in out_text
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    code, out_text = run("--data", str(mini), "site", "-o", str(out), "-j", "1", "--force")
    assert code == 0, out_text
    assert page.read_text(encoding="utf-8") != "my edited ranking"
    assert (out / "CNAME").read_text(encoding="utf-8") == "example.org\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "site"]


def test_a_site_never_replaces_a_users_page_in_a_folder_of_exports(mini: Path,
                                                                   tmp_path: Path) -> None:
    """A folder holding exokg's record (an export) and a user's own index.html."""
    out = tmp_path / "www"
    out.mkdir()
    assert run("--data", str(mini), "export", "-o", str(out / "g.ttl"))[0] == 0
    (out / "index.html").write_text("<html>my home page</html>", encoding="utf-8")
    code, text = run("--data", str(mini), "site", "-o", str(out), "-j", "1")
    assert code == 1 and "index.html" in text
    assert (out / "index.html").read_text(encoding="utf-8") == "<html>my home page</html>"
    assert not (out / "entity").exists()
