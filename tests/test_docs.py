"""The README and docs/: generated parts current, every relative link resolving, the site built.

The output blocks of README.md and docs/ are what the program prints today, the command pages
are each command's ``--help``, and ``mkdocs build --strict`` builds the site with no warning.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from . import docs_pages
from .readme_blocks import ROOT, pages, stale

#: a Markdown link or image: [text](target) or ![alt](target), the target without spaces
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def test_blocks_are_current() -> None:
    names = [str(path.relative_to(ROOT)) for path in stale()]
    assert names == [], f"stale blocks in {names}: run 'make readme'"


def test_command_pages_are_current() -> None:
    names = [str(path.relative_to(ROOT)) for path in docs_pages.stale()]
    assert names == [], f"stale command pages {names}: run 'make docs'"


def test_every_command_has_a_page() -> None:
    from kg.cli import cli

    listed = (docs_pages.COMMANDS / "index.md").read_text(encoding="utf-8")
    for name in cli.commands:
        page = docs_pages.COMMANDS / f"{name}.md"
        assert f"$ exokg {name} --help\nUsage: exokg {name}" in page.read_text(encoding="utf-8")
        assert f"]({name}.md)" in listed


def _prose(text: str) -> str:
    """``text`` without fenced code blocks and inline code (where a link is not a link)."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub and MkDocs both make it (for the headings used here)."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return re.sub(r"\s", "-", text)


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    return {_slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, re.M)}


def links(path: Path) -> list[str]:
    """The relative targets (files and anchors) that ``path`` links to."""
    targets = LINK.findall(_prose(path.read_text(encoding="utf-8")))
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def broken_links(path: Path) -> list[str]:
    """The relative links of ``path`` whose file (or heading) does not exist."""
    broken = []
    for target in links(path):
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        if not dest.exists() or (anchor and dest.suffix == ".md"
                                 and anchor not in _anchors(dest)):
            broken.append(target)
    return broken


def test_every_relative_link_resolves() -> None:
    files = pages()
    assert len(files) > 30 and sum(len(links(p)) for p in files) > 50  # the check sees them
    broken = {str(p.relative_to(ROOT)): b for p in files if (b := broken_links(p))}
    assert broken == {}


def test_the_link_check_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "there.md").write_text("# A page\n\n## Its part\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("[ok](there.md#its-part) ![gone](images/gone.png) [no](there.md#nope)\n"
                    "`[code](ignored.md)` [web](https://example.org) [self](#title)\n"
                    "# Title\n", encoding="utf-8")
    assert broken_links(page) == ["images/gone.png", "there.md#nope"]


def test_the_site_builds_without_warnings(tmp_path: Path) -> None:
    if shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("mkdocs is not installed: make test installs the 'docs' extra")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                             "--site-dir", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    built = tmp_path / "site"
    assert (built / "index.html").is_file() and (built / "commands" / "paths.html").is_file()
    assert (built / "images" / "view-paths.png").is_file()
