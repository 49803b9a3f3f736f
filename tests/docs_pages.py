"""The command reference of docs/commands/: one page per command, generated from its --help.

``python -m tests.docs_pages`` writes ``docs/commands/NAME.md`` for every command of
``exokg --help`` and ``docs/commands/index.md`` listing them (``make docs`` and ``make readme``
run it); ``--check`` only reports pages that are stale, missing or left over from a removed
command, and exits 1. ``tests/test_docs.py`` runs the check, so a page can never say other
than what ``exokg NAME --help`` prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ROOT / "docs" / "commands"
#: the width the help is wrapped to, whatever the terminal that runs the generator
WIDTH = 100

#: the docs page that explains each command at length (the commands not listed have none)
EXPLAINED = {
    "check": "data.md", "lint": "data.md", "coverage": "data.md", "stats": "data.md",
    "show": "data.md", "paths": "paths.md", "neighbors": "paths.md", "upstream": "paths.md",
    "rank": "rank.md", "claims": "questions.md", "trials": "questions.md",
    "matrix": "questions.md", "hallmarks": "questions.md", "search": "questions.md",
    "view": "views.md", "serve": "web.md", "site": "web.md", "queries": "formats.md",
    "sparql": "formats.md", "export": "formats.md", "push": "formats.md",
    "release": "releases.md", "diff": "releases.md", "datapackage": "releases.md",
}

HEADER = ("<!-- generated from the command's --help by `python -m tests.docs_pages` "
          "(make docs): do not edit -->\n")


def _help(*args: str) -> str:
    from kg.cli import cli

    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="exokg",
                                terminal_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"exokg {' '.join(args)} --help failed: {result.output}")
    return result.output.rstrip()


def _commands() -> dict[str, click.Command]:
    from kg.cli import cli

    return dict(sorted(cli.commands.items()))


def _summary(command: click.Command) -> str:
    return command.get_short_help_str(limit=1000)


def command_page(name: str, command: click.Command) -> str:
    """The page of one command: its summary, its whole --help, and where it is explained."""
    text = f"# exokg {name}\n\n{HEADER}\n{_summary(command)}\n\n"
    text += f"```\n$ exokg {name} --help\n{_help(name)}\n```\n"
    if name in EXPLAINED:
        page = EXPLAINED[name]
        title = (ROOT / "docs" / page).read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        text += f"\nExplained at length in [{title}](../{page}).\n"
    return text


def index_page() -> str:
    """The list of commands, each with its summary, and the options every command takes."""
    rows = "\n".join(f"| [`{name}`]({name}.md) | {_summary(command)} |"
                     for name, command in _commands().items())
    return (f"# Commands\n\n{HEADER}\nEvery command has a page with its whole `--help`; "
            "exit codes are the same for every command: 0 success, 1 error or invalid data, "
            "2 usage error, 3 a valid question with no answer.\n\n"
            f"| command | what it does |\n|---|---|\n{rows}\n\n"
            f"```\n$ exokg --help\n{_help()}\n```\n")


def pages() -> dict[Path, str]:
    """Every page of docs/commands/ as it should be."""
    out = {COMMANDS / "index.md": index_page()}
    for name, command in _commands().items():
        out[COMMANDS / f"{name}.md"] = command_page(name, command)
    return out


def stale() -> list[Path]:
    """Pages that differ from what they should be, are missing, or name no command."""
    want = pages()
    have = set(COMMANDS.glob("*.md")) if COMMANDS.is_dir() else set()
    wrong = [p for p, text in want.items()
             if not p.is_file() or p.read_text(encoding="utf-8") != text]
    return sorted(wrong + sorted(have - set(want)))


def main(argv: list[str]) -> int:
    """Write the pages (removing those of removed commands), or ``--check`` them."""
    if "--check" in argv:
        for path in stale():
            print(f"{path.relative_to(ROOT)} is stale: run 'make docs'", file=sys.stderr)
        return 1 if stale() else 0
    want = pages()
    COMMANDS.mkdir(parents=True, exist_ok=True)
    for path in set(COMMANDS.glob("*.md")) - set(want):
        path.unlink()
        print(f"{path.relative_to(ROOT)} removed")
    for path, text in want.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(ROOT)} written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
