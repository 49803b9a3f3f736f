"""The curated folder as a Frictionless Data Package: ``datapackage.json``, made by code.

Each curated TSV file (the files :data:`kg.io.lint.LAYOUT` names, in its order) is one
resource with a Table Schema. The fields are the file's own header line, in its order; each
field's type and constraints come from what the loader checks: the column lists of
:data:`kg.data.loading.COLUMNS`, the id patterns of :mod:`kg.data.loading`, and the allowed
values read from the schema rows (the type ids of ``schema/types.tsv``, the kinds, roles and
signs of ``schema/predicates.tsv``, the review keys of ``reviews.tsv``). The file is never
written by hand: ``exokg datapackage`` writes it and a test checks the committed file equals
what this module makes, so it cannot drift from the schema.

The files are tab-separated with no quoting (a ``"`` in a cell is text) and ``#`` comment
lines, which the dialect of every resource says.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from kg.data import loading, schema
from kg.data.model import AGENTS, EVIDENCE, SIGN_SYMBOLS, Curation, Review
from kg.errors import ExportError

__all__ = [
    "DESCRIPTION", "DESCRIPTOR", "DIALECT", "LICENSE", "TITLE", "curated_files", "descriptor",
    "descriptor_bytes", "resource_name", "review_citation", "stale_warning",
]

#: File name of the descriptor in the data folder.
DESCRIPTOR = "datapackage.json"
#: The licence of the curated data (an SPDX id), with its page and title.
LICENSE = ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/",
           "Creative Commons Attribution 4.0 International")
#: Title of the data set (the package, the release description, the citation).
TITLE = "exokg: a curated knowledge graph of MSC exosome mechanisms in ageing"
#: One-sentence description of the data set.
DESCRIPTION = ("Mechanisms of mesenchymal stem/stromal cell (MSC) exosomes in ageing and "
               "age-related disease, curated by hand from three published reviews: claims "
               "(cargo, targets, pathways, processes, diseases), trials and the vocabulary "
               "they use, each claim traced to the review, its place there and the cited "
               "study.")
#: The dialect of every curated file: tab-separated, unquoted, ``#`` comments.
DIALECT: dict[str, Any] = {"delimiter": "\t", "quoteChar": "\u0000", "doubleQuote": False,
                           "commentChar": "#", "header": True}

_INTEGER_COLUMNS = {("references", "number"), ("references", "year"), ("reviews", "year")}
#: Columns whose cell the loader rejects when empty, by file kind.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "types": ("id", "label", "class", "biolink"),
    "predicates": ("id", "label", "kind", "role", "property"),
    "parents": ("child_type", "parent_type", "predicate"),
    "prefixes": ("prefix", "uri_prefix"),
    "reviews": ("key", "authors", "year", "title"),
    "references": ("number", "key", "title"),
    "entities": ("id", "type", "label"),
    "synonyms": ("entity", "synonym"),
    "xrefs": ("entity", "xref"),
    "ambiguous": ("term", "meanings"),
    "unmapped": ("entity", "reason"),
    "claims": ("id", "agent", "source", "refs", "review", "where"),
    "trials": ("id", "trial", "agent", "source", "diseases", "review", "where"),
    "attributes": ("entity", "attribute", "value", "review", "where"),
    "identifiers": ("key",),
    "checks": ("claim", "verdict", "page", "why"),
}
#: The column that identifies a row, by file kind (unique within its file).
_KEYS = {"types": "id", "predicates": "id", "prefixes": "prefix", "reviews": "key",
         "references": "number", "entities": "id", "claims": "id", "trials": "id",
         "ambiguous": "term", "unmapped": "entity", "identifiers": "key", "checks": "claim"}


def _pattern(regex: re.Pattern[str]) -> str:
    """A loader regex as a Table Schema pattern (matched against the whole cell)."""
    return regex.pattern.removeprefix("^").removesuffix("$")


def _list_of(values: list[str]) -> str:
    """A pattern for a ``|``-separated list whose items are each one of ``values``."""
    one = "(" + "|".join(re.escape(v) for v in values) + ")"
    return f"{one}( *\\| *{one})*"


def _constraints(cur: Curation, kind: str) -> dict[str, dict[str, Any]]:
    """The constraints of the columns of one file kind (beyond ``required``)."""
    types = list(cur.types)
    reviews = sorted(cur.reviews)
    citation = _pattern(loading._CITATION)
    citations = f"{citation}( *\\| *{citation})*"
    rules: dict[str, dict[str, dict[str, Any]]] = {
        "types": {"id": {"pattern": _pattern(schema._TYPE_ID)},
                  "class": {"pattern": _pattern(schema._CLASS_NAME)},
                  "biolink": {"pattern": "biolink:.+"},
                  "claim_columns": {"pattern": _list_of(list(schema.CLAIM_COLUMNS))},
                  "role": {"enum": list(schema.TYPE_ROLES)}},
        "predicates": {"sign": {"enum": list(SIGN_SYMBOLS.values())},
                       "kind": {"enum": list(schema.KINDS)},
                       "role": {"enum": list(schema.ROLES)},
                       "property": {"pattern": _pattern(schema._PROPERTY_NAME)},
                       "kgx_inverse": {"enum": ["yes"]}},
        "parents": {"child_type": {"enum": types}, "parent_type": {"enum": types},
                    "predicate": {"enum": sorted(p.id for p in cur.predicates.values()
                                                 if p.role == "parent")}},
        "reviews": {"key": {"pattern": _pattern(loading._KEY)}},
        "references": {"key": {"pattern": _pattern(loading._KEY)}, "number": {"minimum": 0}},
        "entities": {"id": {"pattern": _pattern(loading._ID)}, "type": {"enum": types}},
        "xrefs": {"xref": {"pattern": _pattern(loading._CURIE)},
                  "match": {"enum": list(loading.XREF_MATCHES)}},
        "claims": {"id": {"pattern": _pattern(loading._CLAIM_ID)},
                   "agent": {"enum": list(AGENTS)}, "review": {"enum": reviews},
                   "refs": {"pattern": citations},
                   "evidence": {"pattern": _list_of(list(EVIDENCE))},
                   "basis": {"pattern": _list_of(list(loading.BASES))}},
        "trials": {"id": {"pattern": _pattern(loading._CLAIM_ID)},
                   "trial": {"pattern": f"{_pattern(loading._NCT)}|{citation}"},
                   "agent": {"enum": list(AGENTS)}, "review": {"enum": reviews},
                   "refs": {"pattern": citations}},
        "identifiers": {"key": {"pattern": _pattern(loading._KEY)},
                        "doi": {"pattern": _pattern(loading._DOI)},
                        "pmid": {"pattern": _pattern(loading._PMID)}},
        "checks": {"claim": {"pattern": _pattern(loading._CLAIM_ID)},
                   "verdict": {"enum": list(loading.VERDICTS)}},
        "attributes": {"attribute": {"enum": sorted(loading.ATTRIBUTE_NAMES)},
                       "review": {"enum": reviews}, "refs": {"pattern": citations}},
    }
    return rules.get(kind, {})


def _header(file: Path) -> list[str]:
    """The header line of a curated file (the first line that is not blank or a comment)."""
    with file.open(encoding="utf-8") as handle:
        for line in handle:
            text = line.rstrip("\r\n").removeprefix("\ufeff")
            if text.strip() and not text.startswith("#"):
                return [c.strip() for c in text.split("\t")]
    raise ExportError(f"{file} has no header line")


def _field(cur: Curation, kind: str, column: str) -> dict[str, Any]:
    """The Table Schema field of one column of one file kind."""
    is_int = (kind, column) in _INTEGER_COLUMNS
    field: dict[str, Any] = {"name": column, "type": "integer" if is_int else "string"}
    if not is_int:
        field["format"] = "default"
    constraints: dict[str, Any] = dict(_constraints(cur, kind).get(column, {}))
    if column in _REQUIRED.get(kind, ()):
        constraints["required"] = True
    if _KEYS.get(kind) == column:
        constraints["unique"] = True
    if constraints:
        field["constraints"] = dict(sorted(constraints.items()))
    return field


def resource_name(rel: str) -> str:
    """The resource name of a curated file: its path without ``.tsv``, ``/`` as ``-``.

    Examples
    --------
    >>> resource_name("claims/wei2024-tables.tsv"), resource_name("schema/types.tsv")
    ('claims-wei2024-tables', 'schema-types')
    """
    return rel.removesuffix(".tsv").replace("/", "-").lower()


def curated_files(root: Path) -> list[tuple[str, str]]:
    """(path relative to ``root``, file kind) of every curated TSV file, in layout order."""
    from kg.io.lint import LAYOUT, _files

    return [(file.relative_to(root).as_posix(), kind)
            for entry, kind, _ in LAYOUT for file in _files(root, entry)]


def descriptor(cur: Curation, root: Path) -> dict[str, Any]:
    """The Data Package descriptor of the data folder ``root`` (whose curation is ``cur``)."""
    from kg import __version__

    resources = []
    for rel, kind in curated_files(root):
        header = _header(root / rel)
        required, optional = loading.COLUMNS[kind]
        unknown = [c for c in header if c not in (*required, *optional)]
        if unknown:
            raise ExportError(f"{rel}: unknown column '{unknown[0]}' (run exokg check)")
        fields = [_field(cur, kind, column) for column in header]
        table_schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
        key = _KEYS.get(kind)
        if key in header:
            table_schema["primaryKey"] = [key]
        resources.append({
            "name": resource_name(rel), "path": rel, "profile": "tabular-data-resource",
            "format": "tsv", "mediatype": "text/tab-separated-values", "encoding": "utf-8",
            "dialect": DIALECT, "schema": table_schema,
            "description": f"{kind} records (the columns are explained in README.md)"})
    spdx, url, title = LICENSE
    return {
        "profile": "tabular-data-package",
        "name": "exokg-curated",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": __version__,
        "licenses": [{"name": spdx, "path": url, "title": title}],
        "sources": [_source(r) for r in sorted(cur.reviews.values(), key=lambda r: r.key)],
        "resources": resources,
    }


def review_citation(review: Review) -> str:
    """A review as one line: authors (year). title. journal (where given)."""
    journal = f" {review.journal}." if review.journal else ""
    return f"{review.authors} ({review.year}). {review.title}.{journal}"


def _source(review: Review) -> dict[str, str]:
    out = {"title": review_citation(review)}
    if review.doi:
        out["path"] = f"https://doi.org/{review.doi}"
    return out


def stale_warning(cur: Curation, root: Path) -> str:
    """A warning when ``root/datapackage.json`` exists and is not what the schema makes now.

    A folder without the file (a user's own data folder) gets no warning.
    """
    target = root / DESCRIPTOR
    if not target.is_file():
        return ""
    try:
        current = descriptor_bytes(cur, root)
    except ExportError as exc:
        return f"{target}: cannot be made ({exc})"
    if target.read_bytes() != current:
        return f"{target}: out of date (a file, a header or a schema row changed); run " \
               "'exokg datapackage'"
    return ""


def descriptor_bytes(cur: Curation, root: Path) -> bytes:
    """``datapackage.json`` as written: sorted keys, two-space indent, a final newline."""
    doc = descriptor(cur, root)
    return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
