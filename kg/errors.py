"""Typed errors of the ``kg`` library; the CLI turns each into a one-line message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AmbiguousNameError", "CurationError", "DataFolderError", "ExportError", "KGError",
    "MissingExtraError", "Problem", "QueryError", "UnknownEntityError",
]


@dataclass(frozen=True)
class Problem:
    """A validation problem: where it is (``file:line``) and what is wrong."""

    where: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.where}: {prefix}{self.message}"


class KGError(Exception):
    """Base class of every error the library raises on purpose."""


class DataFolderError(KGError):
    """The curated data folder is missing or is not a folder."""


class CurationError(KGError):
    """The curated files have problems; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        first = str(self.problems[0]) if self.problems else ""
        super().__init__(f"{count} problem(s) in the curated data; first: {first}")


class UnknownEntityError(KGError):
    """A name matches no entity of the vocabulary."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean: {', '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"unknown entity '{name}'{hint}")


class AmbiguousNameError(KGError):
    """A name could mean more than one entity, so it is not resolved."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        super().__init__(
            f"ambiguous name '{name}': it can mean {' or '.join(self.candidates)}; "
            "write the full name or the id"
        )


class QueryError(KGError):
    """A question was asked in a way that cannot be answered (a bad filter, limit or name)."""


class ExportError(KGError):
    """An export could not be written."""


class MissingExtraError(KGError):
    """An optional dependency is not installed; the message names the extra that adds it."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(f"{purpose} needs {package}, which is not installed: "
                         f"pip install 'exokg[{extra}]'")
