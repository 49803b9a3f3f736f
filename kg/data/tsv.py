"""Reading and writing the curated TSV files, with file:line for every problem."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import Problem

__all__ = ["Row", "RowReader", "Table", "check_header", "format_table", "read_table", "split_list"]


class Row(dict[str, str]):
    """One data line of a TSV file: its cells by column, its file and 1-based line number.

    A column the file does not have reads as ``""``. A dict itself (not a wrapper of one), so
    reading a cell is one lookup in C: the loader reads about ten per row.

    Examples
    --------
    >>> row = Row("claims.tsv", 3, {"id": "x"})
    >>> row["id"], row["note"], row.where
    ('x', '', 'claims.tsv:3')
    """

    __slots__ = ("line", "path")

    def __init__(self, path: str, line: int, cells: Iterable[tuple[str, str]] | dict[str, str]
                 ) -> None:
        super().__init__(cells)
        self.path = path
        self.line = line

    def __missing__(self, column: str) -> str:
        return ""

    @property
    def cells(self) -> dict[str, str]:
        """The cells by column (the row itself)."""
        return self

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


class RowReader:
    """Turns the raw lines of one TSV file into :class:`Row` s, reporting bad lines.

    Used for whole files (:func:`read_table`) and for streamed ones (edge tables of
    ``extra/``), so both read lines the same way: CRLF noted, a BOM dropped, blank lines
    skipped, ``#`` lines kept as comments, the first other line the header, and every line
    that is not UTF-8 or has the wrong number of cells reported and left out.
    After iterating, :attr:`header` is None when the file had no header line and
    :attr:`ok` False when the header was unusable (iteration then stops at once).
    """

    def __init__(self, display: str, required: Sequence[str], optional: Sequence[str],
                 problems: list[Problem]) -> None:
        self.display = display
        self.required = required
        self.optional = optional
        self.problems = problems
        self.header: list[str] | None = None
        self.comments: list[str] = []
        self.crlf = False
        self.ok = True

    def rows(self, raw_lines: Iterable[bytes]) -> Iterator[Row]:
        """The data rows of ``raw_lines`` (bytes, with or without line endings)."""
        for number, raw in enumerate(raw_lines, start=1):
            raw = raw.rstrip(b"\n")
            if raw.endswith(b"\r"):
                self.crlf = True
                raw = raw[:-1]
            text = self._decode(raw, number)
            if text is None or not text.strip():
                continue
            if text.startswith("#"):
                self.comments.append(text)
                continue
            cells = [c.strip() for c in text.split("\t")]
            if self.header is None:
                self.header = cells
                if not check_header(cells, self.required, self.optional,
                                    f"{self.display}:{number}", self.problems):
                    self.ok = False
                    return
                continue
            if len(cells) != len(self.header):
                self.problems.append(Problem(
                    f"{self.display}:{number}",
                    f"expected {len(self.header)} tab-separated cells, found {len(cells)}",
                ))
                continue
            yield Row(self.display, number, zip(self.header, cells, strict=True))

    def _decode(self, raw: bytes, number: int) -> str | None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problems.append(Problem(
                f"{self.display}:{number}",
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                "save the file as UTF-8",
            ))
            return None
        return text[1:] if text.startswith("\ufeff") else text


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
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    reader = RowReader(display, required, optional, problems)
    rows = list(reader.rows(raw_lines))
    if not reader.ok:
        return None
    if reader.header is None:
        problems.append(Problem(display, "no header line (only comments or blank lines)"))
        return None
    return Table(display, reader.header, rows, reader.comments, reader.crlf)


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]],
                 comments: Sequence[str] = ()) -> str:
    """Render a TSV file in canonical form: comments, header, rows, LF endings."""
    lines = [*comments, "\t".join(header)]
    lines.extend("\t".join(cells) for cells in rows)
    return "\n".join(lines) + "\n"
