"""The shared part of one loading run: the columns of each file kind, problems, lookups.

:class:`LoaderBase` holds the run's state (the :class:`~kg.data.model.Curation` being
filled, the problems, the name index) and the helpers every stage uses: reading tables,
resolving names, checking citations. The stages themselves live by record kind in
:mod:`kg.data.vocabulary` (schema and vocabulary), :mod:`kg.data.records` (reviews,
references, claims, trials, attributes) and :mod:`kg.data.extra` (``extra/``);
:mod:`kg.data.curation` combines them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from kg.data import schema
from kg.data.model import Curation
from kg.data.names import NameIndex
from kg.data.tsv import Row, Table, read_table, split_list
from kg.errors import AmbiguousNameError, Problem, UnknownEntityError

__all__ = [
    "ATTRIBUTE_NAMES", "BASES", "COLUMNS", "EXTRA_KINDS", "FLAG_KINDS", "FLAG_SUBJECTS",
    "RDF_SUFFIXES", "VERDICTS", "XREF_MATCHES", "LoaderBase", "display_path", "relocate",
]

#: Columns of each kind of file: (required, optional).
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "types": (("id", "label", "definition", "biolink", "class"),
              ("claim_columns", "kgx_ids", "role")),
    "predicates": (("id", "label", "definition", "sign", "kind", "role", "property"),
                   ("biolink", "kgx", "kgx_inverse")),
    "parents": (("child_type", "parent_type", "predicate"), ("kgx",)),
    "prefixes": (("prefix", "uri_prefix", "source"), ()),
    "reviews": (("key", "authors", "year", "title"),
                ("journal", "volume", "issue", "pages", "doi", "seed")),
    "references": (("number", "key", "authors", "year", "title"),
                   ("journal", "volume", "issue", "pages", "doi", "pmid", "note")),
    "entities": (("id", "type", "label"), ("parents", "xrefs", "note")),
    "synonyms": (("entity", "synonym"), ("seen_in",)),
    "xrefs": (("entity", "xref"),
              ("match", "source_label", "source", "version", "verified_by", "note")),
    "ambiguous": (("term", "meanings"), ("note",)),
    "unmapped": (("entity", "reason"), ()),
    "claims": (("id", "agent", "source", "cargo", "mechanism", "processes", "diseases",
                "refs", "review", "where"),
               ("donor", "evidence", "model", "dose", "basis", "flag", "note")),
    "trials": (("id", "trial", "agent", "source", "diseases", "refs", "review", "where"),
               ("route", "phase", "enrollment", "status", "design", "outcome", "note")),
    "attributes": (("entity", "attribute", "value", "refs", "review", "where"), ()),
    "identifiers": (("key",), ("doi", "pmid", "page", "note")),
    "checks": (("claim", "verdict"), ("page", "why")),
    "extra": (("subject", "predicate", "object", "source"), ("note",)),
}
#: Predicate kinds an edge table in ``extra/`` may use.
EXTRA_KINDS = frozenset({"causal", "hierarchy"})
#: RDF files ``extra/`` may hold, by suffix, with their rdflib format name.
RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt"}

#: How an xref relates to the entity (SKOS mapping relations), ``exact`` when not stated.
XREF_MATCHES = ("exact", "close", "broad", "narrow")
#: Where a claim's details were read (``basis`` column of claims).
BASES = ("table", "text", "title")
#: Kinds of caveat a claim's ``flag`` names, each item written ``kind: text`` or
#: ``kind (subject): text`` (see ``triples/README.md``).
FLAG_KINDS = ("slip corrected", "title disagrees", "from title", "inferred",
              "borrowed citation", "citation mismatch", "untraceable", "sign conflict",
              "as printed")
#: What a flag item may say it concerns (required for ``title disagrees``).
FLAG_SUBJECTS = ("condition", "source", "agent", "cargo", "target", "sign", "model")
#: What a cited study's abstract says of a claim (``checks.tsv``), strongest first.
VERDICTS = ("supports", "partly", "silent", "contradicts")
#: Attribute names allowed in ``attributes/``.
ATTRIBUTE_NAMES = frozenset({"obtained_from", "advantage", "limitation", "marker", "property"})

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_CLAIM_ID = re.compile(r"^[a-z0-9]+(-[A-Za-z0-9.]+)+$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_CITATION = re.compile(r"^([a-z0-9][a-z0-9_\-]*):(\d+)$")
_CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*:\S+$")
_NCT = re.compile(r"^NCT\d{8}$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^[1-9]\d{0,8}$")
_PAGE = re.compile(r"^https?://\S+$")
_STEP = re.compile(r"(?:^|\s+)(->|-\||-\?)(?:\s+|$)")


def display_path(file: Path) -> str:
    """Path shown in messages: relative to the working directory when possible.

    Messages name files as the user would type them, from where they stand.
    """
    try:
        return os.path.relpath(file)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(file)


def relocate(cur: Curation, origin: str) -> None:
    """Re-root, in place, the file paths a curation was loaded with from the folder ``origin``.

    The loader names files as :func:`display_path` shows them from the working directory
    (``triples/claims/wei2024.tsv``), in every record's location, the warnings, the list of
    files read and the RDF files of ``extra/``; a curation kept by :mod:`kg.io.cache` and read
    from another directory would point at the wrong files (or fail to open its RDF files).
    Each path is taken back to the file it named and shown again from where this process
    stands. Only the records that carry a location are replaced (a named tuple is), so call
    this before anything is derived from them.
    """
    import dataclasses

    shown: dict[str, str] = {}

    def moved(path: str) -> str:
        hit = shown.get(path)
        if hit is None:
            hit = shown[path] = display_path(Path(os.path.normpath(os.path.join(origin, path))))
        return hit

    files = set(cur.files)

    def where(text: str) -> str:  # "file:line", "file", or no file at all (a record's id)
        path, colon, line = text.rpartition(":")
        if colon and line.isdigit() and path in files:
            return f"{moved(path)}:{line}"
        return moved(text) if text in files else text

    def relocated(rec: Any) -> Any:
        loc = rec.location
        if loc is None:
            return rec
        loc = loc._replace(path=moved(loc.path))
        if isinstance(rec, tuple):  # a named tuple: replaced
            replaced: Any = rec._replace(location=loc)  # type: ignore[attr-defined]
            return replaced
        object.__setattr__(rec, "location", loc)  # a frozen dataclass just unpickled
        return rec

    tables: tuple[dict[Any, Any], ...] = (cur.types, cur.predicates, cur.parent_rules,
                                          cur.entities, cur.claims, cur.trials)
    for records in tables:
        for key, rec in list(records.items()):
            new = relocated(rec)
            if new is not rec:
                records[key] = new
    for rec in (*cur.attributes, *cur.xref_records):
        relocated(rec)
    cur.warnings = [dataclasses.replace(w, where=where(w.where)) for w in cur.warnings]
    cur.files = [moved(f) for f in cur.files]
    cur.extra_rdf = [moved(f) for f in cur.extra_rdf]


class LoaderBase:
    """One validation run over a folder: its state and the helpers every stage uses."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.cur = Curation(root=str(root))
        self.names = NameIndex()

    def error(self, where: str, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(where, message))

    def warn(self, where: str, message: str) -> None:
        """Record one warning."""
        self.warnings.append(Problem(where, message, "warning"))

    def files(self, sub: str) -> list[Path]:
        """The ``.tsv`` files of a sub-folder, sorted."""
        folder = self.root / sub
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.suffix == ".tsv" and p.is_file())

    def table(self, file: Path, kind: str) -> Table | None:
        """Read one table of a file kind (problems recorded; CRLF warned about)."""
        required, optional = COLUMNS[kind]
        display = display_path(file)
        self.cur.files.append(display)
        tab = read_table(file, display, required, optional, self.problems)
        if tab is not None and tab.crlf:
            self.warn(display, "CRLF line endings; run 'exokg lint --fix'")
        return tab

    def tables(self, sub: str, kind: str) -> list[Table]:
        """Every readable table of a sub-folder."""
        return [t for f in self.files(sub) if (t := self.table(f, kind)) is not None]

    def resolve(self, row: Row, column: str, name: str, types: frozenset[str] | None = None,
                what: str = "") -> str | None:
        """Resolve a name in a cell; report a problem and return None when it fails."""
        try:
            ent_id = self.names.resolve(name)
        except (UnknownEntityError, AmbiguousNameError) as exc:
            self.error(row.where, f"{column}: {exc}")
            return None
        if types is not None:
            etype = self.cur.entities[ent_id].type
            if etype not in types:
                self.error(row.where, f"{column}: '{name}' is a {etype}, expected "
                           f"{what or self._expected(types)}")
                return None
        return ent_id

    def _expected(self, types: frozenset[str]) -> str:
        text = schema.describe_types(self.cur, types)
        return f"{schema.article(text)} {text}"

    def citations(self, row: Row, column: str = "refs", *, required: bool = True
                  ) -> tuple[str, ...]:
        """The citations of a cell that resolve (each other one reported)."""
        refs = split_list(row[column])
        if required and not refs:
            self.error(row.where, f"{column}: no reference given (write REVIEW:NUMBER)")
        good = []
        for ref in refs:
            m = _CITATION.match(ref)
            if not m:
                self.error(row.where, f"{column}: '{ref}' is not of the form REVIEW:NUMBER")
            elif ref not in self.cur.citations:
                review, number = m.groups()
                if review not in self.cur.reviews:
                    self.error(row.where, f"{column}: citation '{ref}': unknown review '{review}'")
                else:
                    self.error(row.where, f"{column}: citation '{ref}' does not resolve "
                               f"({review}'s reference list has no number {number})")
            else:
                good.append(ref)
        return tuple(good)

    def review_of(self, row: Row) -> str:
        """The review a row names, with its ``where`` (both checked)."""
        review = row["review"]
        if review not in self.cur.reviews:
            self.error(row.where, f"review: unknown review '{review}' (see reviews.tsv)")
        if not row["where"]:
            self.error(row.where, "where: empty (say where in the review it was read)")
        return review

    def _check_curie(self, row: Row, column: str, curie: str) -> bool:
        if not _CURIE.match(curie):
            self.error(row.where, f"{column}: '{curie}' is not a CURIE (prefix:id)")
            return False
        prefix = curie.split(":", 1)[0]
        if prefix not in self.cur.prefixes:
            self.error(row.where, f"{column}: unknown prefix '{prefix}' in '{curie}' (add it "
                       "to schema/prefixes.tsv)")
            return False
        return True
