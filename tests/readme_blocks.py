"""The output blocks of README.md and docs/, generated from the real commands (and the bench).

``python -m tests.readme_blocks`` rewrites every block between ``<!-- NAME_BLOCK -->`` and
``<!-- /NAME_BLOCK -->`` in README.md and in every Markdown page under docs/ (``make readme``
runs it); ``--check`` only reports stale blocks and exits 1. A block may appear in several
files; each one must appear somewhere. ``tests/test_docs.py`` runs the check, so a block
that no longer matches what the program prints fails the suite.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
BENCH = ROOT / "bench" / "results" / "latest.md"


def _command(*args: str, section: tuple[str, str] | None = None) -> Callable[[], str]:
    """A block showing ``exokg ARGS`` and what it prints (optionally one section of it)."""

    def make() -> str:
        from kg.cli import cli

        # the width of a pipe (kg.view.text.DEFAULT_WIDTH), whatever COLUMNS says here
        result = CliRunner().invoke(cli, list(args), env={"COLUMNS": None})
        if result.exit_code != 0:
            raise RuntimeError(f"exokg {' '.join(args)} failed: {result.output}")
        out = result.stdout
        if section is not None:
            start, end = section
            lines = out.splitlines()
            first = next(i for i, line in enumerate(lines) if line.startswith(start))
            last = next(i for i, line in enumerate(lines) if i > first and line.startswith(end))
            out = "\n".join(lines[first:last]) + "\n"
        shown = " ".join(f'"{a}"' if " " in a else a for a in args)
        return f"```\n$ exokg {shown}\n{out.rstrip()}\n```\n"

    return make


def _evaluation() -> str:
    """The leave-one-study-out figures of inferred paths, default ranking, hierarchy back-off."""
    from kg.data.curation import load
    from kg.query.defaults import DEFAULT_SORT
    from kg.query.holdout import evaluate, report
    from kg.query.related import HIERARCHY_DISCOUNT

    text = report(evaluate(load(), sort=DEFAULT_SORT, max_hops=6, hierarchy=HIERARCHY_DISCOUNT))
    return (f"```\n$ python bench/evaluate_paths.py --sort {DEFAULT_SORT} --via-hierarchy\n"
            f"{text.rstrip()}\n```\n")


def _bench() -> str:
    lines = BENCH.read_text(encoding="utf-8").splitlines()[1:]  # without the dated title
    body = [("#### " + line[3:]) if line.startswith("## ") else line for line in lines]
    return "\n".join(body).strip() + "\n"


BLOCKS: dict[str, Callable[[], str]] = {
    "COUNTS": _command("stats"),
    "XREFS": _command("coverage", section=("standard identifiers", "entities with no")),
    "STUDIES": _command("coverage", section=("cited studies with", "claims without a")),
    "CHECK": _command("show", "wei2024-t1-07"),
    "PATHS": _command("paths", "BMSC", "osteoarthritis", "--asserted-only", "--limit", "4"),
    "INFERRED": _command("paths", "umbilical cord MSC", "Parkinson's disease", "--limit", "2"),
    "RELATIVES": _command("paths", "AD-MSC", "knee osteoarthritis", "--via-hierarchy",
                          "--limit", "1"),
    "EVALUATION": _evaluation,
    "RANK": _command("rank", "--level", "family", "--limit", "8"),
    "QUERY": _command("sparql", "hub-pathways"),
    "CLAIMS": _command("claims", "--cargo", "miR-21-5p"),
    "TRIALS": _command("trials", "osteoarthritis"),
    "MATRIX": _command("matrix", "--limit", "6"),
    "HALLMARKS": _command("hallmarks", "--agent", "exosome"),
    "SEARCH": _command("search", "alzhimer"),
    "HUBS": _command("rank", "--disease", "neurodegenerative disease", "--limit", "5"),
    "BENCH": _bench,
}


def pages() -> list[Path]:
    """The files that may hold blocks: README.md and every Markdown page under docs/."""
    return [README, *sorted(DOCS.rglob("*.md"))]


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {name}_BLOCK -->\n).*?(<!-- /{name}_BLOCK -->)", re.S)


def render(text: str, contents: dict[str, str] | None = None) -> str:
    """``text`` (a README or docs page) with every block it holds regenerated.

    ``contents`` caches each block's text, so a block shown in several files is made once.
    """
    contents = {} if contents is None else contents
    for name, make in BLOCKS.items():
        pattern = _pattern(name)
        if not pattern.search(text):
            continue
        if name not in contents:
            contents[name] = make()
        content = contents[name]
        text = pattern.sub(lambda m, c=content: m.group(1) + c + m.group(2), text)
    return text


def render_all() -> dict[Path, tuple[str, str]]:
    """Each file with blocks: (its text now, its text with fresh blocks)."""
    contents: dict[str, str] = {}
    out = {}
    for path in pages():
        current = path.read_text(encoding="utf-8")
        out[path] = (current, render(current, contents))
    missing = [name for name in BLOCKS
               if not any(_pattern(name).search(text) for text, _ in out.values())]
    if missing:
        raise RuntimeError(f"no file has the markers of {', '.join(missing)}")
    return out


def stale() -> list[Path]:
    """The files whose blocks differ from what the program prints today."""
    return [path for path, (current, fresh) in render_all().items() if fresh != current]


def main(argv: list[str]) -> int:
    """Rewrite the blocks, or with ``--check`` report whether any is stale."""
    results = render_all()
    changed = [path for path, (current, fresh) in results.items() if fresh != current]
    if "--check" in argv:
        for path in changed:
            print(f"{path.relative_to(ROOT)}: blocks are stale: run 'make readme'",
                  file=sys.stderr)
        return 1 if changed else 0
    for path in changed:
        path.write_text(results[path][1], encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: blocks regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
