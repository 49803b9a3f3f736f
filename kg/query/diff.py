"""What changed between two curations: claims, trials, entities and edges.

:func:`diff` compares two loaded curations (:func:`kg.io.release.diff_folders` loads two
data folders or release folders and compares them).

- **Entities** an id that disappeared whose id or label is now the label, a synonym or the
  id of another entity was *renamed* (the new entity is new and takes only that one) or
  *merged* (the entity it went into existed before, or takes several). Renames and merges
  are applied to the old curation before anything else is compared, so a renamed entity
  does not also show up as every claim and edge that names it. Other entities are
  *added*, *removed* or *changed* (field by field).
- **Claims** and **trial reports** (by id): *added*, *removed*, or *changed*, each change
  one field with its old and new value, written as the curated cell reads.
- **Edges** (subject, predicate, object): *gained* and *lost*.

Examples
--------
>>> from kg.data.curation import load
>>> cur = load()
>>> d = diff(cur, cur)
>>> is_empty(d), d["claims"]["changed"]
(True, [])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from kg.data.model import Claim, Curation, Effect, Entity, Step, Trial
from kg.data.names import fold

__all__ = [
    "ROW_COLUMNS", "cell", "changes_markdown", "counts", "diff", "diff_rows", "is_empty", "renames",
]

#: Fields never compared (where a record stands in its file is not its content).
_SKIP = frozenset({"location", "id"})


def cell(value: Any) -> str:
    """A field value written as the curated cell reads (lists joined by ``|``).

    Examples
    --------
    >>> cell((Step("-|", ("PTEN",)), Step("->", ("AKT1", "MTOR"))))
    '-| PTEN -> AKT1 & MTOR'
    >>> cell((Effect("reduces", "inflammation"), Effect("promotes", "angiogenesis")))
    'reduces inflammation|promotes angiogenesis'
    >>> cell(("in vitro", "in vivo")), cell("")
    ('in vitro|in vivo', '')
    """
    if isinstance(value, tuple):
        if value and isinstance(value[0], Step):
            return " ".join(f"{s.operator} {' & '.join(s.entities)}" for s in value)
        if value and isinstance(value[0], Effect):
            return "|".join(f"{e.verb} {e.entity}" for e in value)
        return "|".join(cell(v) for v in value)
    return "" if value is None else str(value)


def _fields(record: Any) -> dict[str, str]:
    names = record._fields if hasattr(record, "_fields") else [
        f.name for f in dataclasses.fields(record)]
    return {n: cell(getattr(record, n)) for n in names if n not in _SKIP}


def _changes(old: Any, new: Any) -> list[dict[str, str]]:
    before, after = _fields(old), _fields(new)
    return [{"field": k, "old": before.get(k, ""), "new": after.get(k, "")}
            for k in after if before.get(k, "") != after.get(k, "")]


def _records(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    changed = [{"id": key, "changes": ch} for key in sorted(old.keys() & new.keys())
               if (ch := _changes(old[key], new[key]))]
    return {"added": sorted(new.keys() - old.keys()),
            "removed": sorted(old.keys() - new.keys()), "changed": changed}


def _names(ent: Entity) -> set[str]:
    return {fold(n) for n in (ent.id, ent.label, *ent.synonyms)}


def renames(old: Curation, new: Curation) -> dict[str, str]:
    """Old entity id -> new id, for each old id gone whose id or label a new entity carries.

    A removed id is matched by its id and its label against the id, the label and the
    synonyms of every entity of ``new`` (folded as names are); it is matched only when
    exactly one entity carries it.
    """
    gone = [old.entities[k] for k in sorted(old.entities.keys() - new.entities.keys())]
    if not gone:
        return {}
    carriers: dict[str, set[str]] = {}
    for ent in new.entities.values():
        for name in _names(ent):
            carriers.setdefault(name, set()).add(ent.id)
    out = {}
    for ent in gone:
        hits = set().union(*(carriers.get(fold(n), set()) for n in (ent.id, ent.label)))
        if len(hits) == 1:
            out[ent.id] = hits.pop()
    return out


def _map_claim(claim: Claim, ids: Callable[[str], str]) -> Claim:
    return claim._replace(
        source=ids(claim.source), cargo=ids(claim.cargo) if claim.cargo else "",
        mechanism=tuple(Step(s.operator, tuple(ids(e) for e in s.entities))
                        for s in claim.mechanism),
        processes=tuple(Effect(e.verb, ids(e.entity)) for e in claim.processes),
        diseases=tuple(Effect(e.verb, ids(e.entity)) for e in claim.diseases))


def _map_trial(trial: Trial, ids: Callable[[str], str]) -> Trial:
    return dataclasses.replace(trial, source=ids(trial.source),
                               diseases=tuple(ids(d) for d in trial.diseases))


def diff(old: Curation, new: Curation) -> dict[str, Any]:
    """Every difference from ``old`` to ``new`` (see the module docstring), as plain data."""
    from kg.graph.edges import edges

    moved = renames(old, new)

    def ids(entity: str) -> str:
        return moved.get(entity, entity)

    into: dict[str, list[str]] = {}
    for before, after in moved.items():
        into.setdefault(after, []).append(before)
    renamed = [{"old": olds[0], "new": target} for target, olds in sorted(into.items())
               if len(olds) == 1 and target not in old.entities]
    merged = [{"into": target, "from": sorted(olds)} for target, olds in sorted(into.items())
              if len(olds) > 1 or target in old.entities]
    kept = {item["old"] for item in renamed} | (old.entities.keys() - moved.keys())
    old_entities = {ids(k): e._replace(id=ids(k), parents=tuple(ids(p) for p in e.parents))
                    for k, e in old.entities.items() if k in kept}  # a renamed one as renamed
    entities = _records(old_entities, dict(new.entities))
    old_claims = {k: _map_claim(c, ids) for k, c in old.claims.items()}
    old_trials = {k: _map_trial(t, ids) for k, t in old.trials.items()}
    old_edges = {(ids(e.subject), e.predicate, ids(e.object)) for e in edges(old)}
    new_edges = {e.key for e in edges(new)}
    return {
        "claims": _records(old_claims, dict(new.claims)),
        "trials": _records(old_trials, dict(new.trials)),
        "entities": {**entities, "renamed": renamed, "merged": merged},
        "edges": {"gained": [list(k) for k in sorted(new_edges - old_edges)],
                  "lost": [list(k) for k in sorted(old_edges - new_edges)]},
    }


def is_empty(d: dict[str, Any]) -> bool:
    """Whether a diff found no difference at all."""
    return not any(items for part in d.values() for items in part.values())


def counts(d: dict[str, Any]) -> dict[str, dict[str, int]]:
    """How many items each part of a diff has (``claims.added`` ...)."""
    return {part: {kind: len(items) for kind, items in kinds.items()}
            for part, kinds in d.items()}


#: Columns of :func:`diff_rows`.
ROW_COLUMNS = ("part", "change", "id", "field", "old", "new")
_PARTS = {"claims": "claim", "trials": "trial", "entities": "entity"}


def diff_rows(d: dict[str, Any]) -> list[dict[str, str]]:
    """A diff as rows (:data:`ROW_COLUMNS`), for a table or TSV.

    One row per record added or removed, per changed field, per rename or merge and per
    edge gained or lost.

    Examples
    --------
    >>> d = {"claims": {"added": ["x-t1-01"], "removed": [], "changed": [
    ...     {"id": "x-t1-02", "changes": [{"field": "model", "old": "rat", "new": "mouse"}]}]},
    ...     "entities": {"added": [], "removed": [], "changed": [],
    ...                  "renamed": [{"old": "miR-1", "new": "miR-1-3p"}], "merged": []},
    ...     "edges": {"gained": [], "lost": [["a", "inhibits", "b"]]}}
    >>> for row in diff_rows(d): print(list(row.values()))
    ['claim', 'added', 'x-t1-01', '', '', '']
    ['claim', 'changed', 'x-t1-02', 'model', 'rat', 'mouse']
    ['entity', 'renamed', 'miR-1-3p', 'id', 'miR-1', 'miR-1-3p']
    ['edge', 'lost', 'a inhibits b', '', '', '']
    """
    rows: list[dict[str, str]] = []

    def row(part: str, change: str, ident: str, field: str = "", old: str = "",
            new: str = "") -> None:
        rows.append(dict(zip(ROW_COLUMNS, (part, change, ident, field, old, new),
                             strict=True)))

    for part, name in _PARTS.items():
        kinds = d.get(part)
        if not kinds:
            continue
        for kind in ("added", "removed"):
            for ident in kinds[kind]:
                row(name, kind, ident)
        for item in kinds["changed"]:
            for ch in item["changes"]:
                row(name, "changed", item["id"], ch["field"], ch["old"], ch["new"])
        for item in kinds.get("renamed", []):
            row(name, "renamed", item["new"], "id", item["old"], item["new"])
        for item in kinds.get("merged", []):
            row(name, "merged", item["into"], "id", ", ".join(item["from"]), item["into"])
    for kind in ("gained", "lost"):
        for s, p, o in d["edges"][kind]:
            row("edge", kind, f"{s} {p} {o}")
    return rows


def changes_markdown(d: dict[str, Any], previous: str, version: str) -> str:
    """Release notes (``CHANGES.md``) from a diff against the previous release."""
    n = counts(d)
    out = [f"# Changes in {version}", "", f"Compared with {previous} (made by `exokg diff`).",
           "", "| | added | removed | changed |", "|---|---|---|---|"]
    for part in ("claims", "trials", "entities"):
        out.append(f"| {part} | {n[part]['added']} | {n[part]['removed']} | "
                   f"{n[part]['changed']} |")
    out += ["", f"Entities renamed: {n['entities']['renamed']}; merged: "
            f"{n['entities']['merged']}. Edges gained: {n['edges']['gained']}; lost: "
            f"{n['edges']['lost']}.", ""]
    if is_empty(d):
        out += ["No differences.", ""]
        return "\n".join(out)

    def section(title: str, items: list[str]) -> None:
        if items:
            out.extend([f"## {title}", "", *(f"- {item}" for item in items), ""])

    for part in ("claims", "trials", "entities"):
        section(f"{part.capitalize()} added", [f"`{k}`" for k in d[part]["added"]])
        section(f"{part.capitalize()} removed", [f"`{k}`" for k in d[part]["removed"]])
        section(f"{part.capitalize()} changed", [
            f"`{item['id']}` {ch['field']}: `{ch['old']}` → `{ch['new']}`"
            for item in d[part]["changed"] for ch in item["changes"]])
    section("Entities renamed", [f"`{i['old']}` → `{i['new']}`"
                                 for i in d["entities"]["renamed"]])
    section("Entities merged", [f"{', '.join(f'`{f}`' for f in i['from'])} → `{i['into']}`"
                                for i in d["entities"]["merged"]])
    section("Edges gained", [f"{s} {p} {o}" for s, p, o in d["edges"]["gained"]])
    section("Edges lost", [f"{s} {p} {o}" for s, p, o in d["edges"]["lost"]])
    return "\n".join(out)
