"""Reading and writing the curated TSV files, with file:line for every problem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.data.model import Problem


@dataclass(frozen=True)
class Row:
    """One data line of a TSV file: its 1-based line number and its cells by column."""

    path: str
    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")

    @property
    def where(self) -> str:
        """``path:line`` of the row."""
        return f"{self.path}:{self.line}"


@dataclass
class Table:
    """A parsed TSV file: header, rows, and the comment lines kept for rewriting."""

    path: str
    header: list[str]
    rows: list[Row]
    comments: list[str]
    crlf: bool = False


def split_list(cell: str) -> list[str]:
    """Split a ``|``-separated cell into its stripped, non-empty items.

    Examples
    --------
    >>> split_list(" a | b||c ")
    ['a', 'b', 'c']
    """
    return [item.strip() for item in cell.split("|") if item.strip()]


def check_header(header: Sequence[str], required: Sequence[str], optional: Sequence[str],
                 where: str, problems: list[Problem]) -> bool:
    """Report missing, unknown and repeated columns of a header; True when it is usable."""
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    dupes = sorted({c for c in header if list(header).count(c) > 1})
    for col in missing:
        problems.append(Problem(where, f"missing column '{col}' (the header has: "
                                       f"{', '.join(header)})"))
    for col in unknown:
        problems.append(Problem(where, f"unknown column '{col}'"))
    for col in dupes:
        problems.append(Problem(where, f"column '{col}' appears twice"))
    return not (missing or unknown or dupes)


def read_table(
    file: Path,
    display: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    problems: list[Problem] | None = None,
) -> Table | None:
    """Read one TSV file; append problems and return ``None`` when it cannot be used.

    ``display`` is the path shown in messages. Every malformed line is reported, not only
    the first; rows with the wrong number of cells are left out of the result.
    """
    problems = problems if problems is not None else []
    try:
        data = file.read_bytes()
    except OSError as exc:
        problems.append(Problem(display, f"cannot read file: {exc.strerror}"))
        return None
    if not data.strip():
        problems.append(Problem(display, "empty file (a header line is required)"))
        return None
    header: list[str] | None = None
    rows: list[Row] = []
    comments: list[str] = []
    crlf = False
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    for number, raw in enumerate(raw_lines, start=1):
        if raw.endswith(b"\r"):
            crlf = True
            raw = raw[:-1]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(
                f"{display}:{number}",
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                "save the file as UTF-8",
            ))
            continue
        if text.startswith("\ufeff"):
            text = text[1:]
        if not text.strip():
            continue
        if text.startswith("#"):
            comments.append(text)
            continue
        cells = [c.strip() for c in text.split("\t")]
        if header is None:
            header = cells
            if not check_header(header, required, optional, f"{display}:{number}", problems):
                return None
            continue
        if len(cells) != len(header):
            problems.append(Problem(
                f"{display}:{number}",
                f"expected {len(header)} tab-separated cells, found {len(cells)}",
            ))
            continue
        rows.append(Row(display, number, dict(zip(header, cells, strict=True))))
    if header is None:
        problems.append(Problem(display, "no header line (only comments or blank lines)"))
        return None
    return Table(display, header, rows, comments, crlf)


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]],
                 comments: Sequence[str] = ()) -> str:
    """Render a TSV file in canonical form: comments, header, rows, LF endings."""
    lines = [*comments, "\t".join(header)]
    lines.extend("\t".join(cells) for cells in rows)
    return "\n".join(lines) + "\n"
