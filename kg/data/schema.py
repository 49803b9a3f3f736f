"""The schema of the graph, read from ``triples/schema/``: the one module that knows it.

Entity types are the rows of ``schema/types.tsv``, edge predicates the rows of
``schema/predicates.tsv``, and the meaning of a ``parents`` link between two types the rows
of ``schema/parents.tsv``. Every other module asks this one (through the loaded
:class:`~kg.data.model.Curation`) instead of listing type or predicate names itself, so
adding a type or a predicate is rows in those files:

``types.tsv``
    ``id``, ``label``, ``definition``, ``biolink`` (the Biolink category of its nodes),
    ``class`` (the RDF class ``exo:<class>``), ``claim_columns`` (the claim and trial columns
    its entities may fill: ``cargo``, ``source``, ``processes``, ``diseases``) and ``kgx_ids``
    (xref prefixes usable as KGX id, best first, ``prefix=biolink:Class|…``) and ``role`` (the
    part its entities play in a mechanism chain, see :data:`TYPE_ROLES`; empty for none).
``predicates.tsv``
    ``id``, ``label``, ``definition``, ``sign`` (``+ - ?`` of every edge with it, empty for
    parent links, which have none), ``kind`` (written to the exports), ``biolink``, ``role``
    (the curated field that makes it, see :data:`ROLES`), ``property`` (the RDF property
    ``exo:<property>``), ``kgx`` and ``kgx_inverse`` (the KGX predicate and direction when
    they differ from ``biolink``).
``parents.tsv``
    ``child_type``, ``parent_type``, ``predicate`` (a ``parent`` predicate) and ``kgx`` (the
    KGX predicate for that pair when it differs). A parent link between two types with no
    row is an error at the entity's file:line, never a silent default.

Trials are nodes too but not a row: their type, class and category are fixed here
(:data:`TRIAL_TYPE`), because trials come from ``trials/`` and not from ``entities/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kg.data.model import (
    SIGN_SYMBOLS,
    Curation,
    EntityType,
    Location,
    ParentRule,
    Predicate,
    Sign,
    is_trial_node,
)
from kg.data.terms import TERMS
from kg.data.tsv import Row, Table, split_list
from kg.errors import KGError

__all__ = [
    "CLAIM_COLUMNS", "DEFAULT_STYLE", "KINDS", "MIDDLE_COLUMN", "ROLES", "SCHEMA_FILES",
    "STYLES_FILE", "TRIAL_CATEGORY", "TRIAL_CLASS", "TRIAL_TYPE", "TYPE_ROLES", "Context",
    "KgxPredicate", "article", "category", "describe_types", "kgx_predicate", "load_schema",
    "node_styles", "node_type", "node_types", "parent_rule", "predicate_for", "predicate_property",
    "schema_of", "type_class", "type_column", "types_for", "types_with_role",
]

#: Node type of trials (not a row of ``types.tsv``).
TRIAL_TYPE = "trial"
#: RDF class of trial nodes.
TRIAL_CLASS = "ClinicalTrial"
#: Biolink category of trial nodes.
TRIAL_CATEGORY = "biolink:ClinicalTrial"

#: The curated field each predicate role comes from, and whether the role is chosen by sign.
ROLES: dict[str, tuple[str, bool]] = {
    "cargo": ("a claim's cargo (source has_cargo cargo)", False),
    "step": ("a step of a claim's mechanism chain (one predicate per sign)", True),
    "effect": ("a claim's effect on a process or disease (one predicate per sign)", True),
    "parent": ("a parents link of the vocabulary (chosen per type pair in parents.tsv)", False),
    "trial_source": ("a trial's MSC source", False),
    "trial_disease": ("a disease a trial studies", False),
}
#: Edge kinds the exports know (``exo:kind``, checked by the SHACL shapes).
KINDS = ("causal", "cargo", "trial", "hierarchy")
#: Columns of claims and trials whose names must resolve to an entity of given types.
CLAIM_COLUMNS = ("cargo", "source", "processes", "diseases")
#: The parts a type's entities may play in a mechanism chain, in reading order, with the
#: column the layered drawings put them in (a type with no role goes in the middle one).
TYPE_ROLES: dict[str, int] = {"source": 0, "cargo": 1, "target": 2, "pathway": 2,
                              "process": 3, "disease": 4}
#: The drawing column of a type with no role.
MIDDLE_COLUMN = 2

#: The views' styles file of the schema folder (colours and shapes per type and sign).
STYLES_FILE = "styles.json"
#: How the views draw a node type ``styles.json`` does not name.
DEFAULT_STYLE: dict[str, str] = {"color": "#666666", "shape": "dot"}

#: Schema files read by :func:`load_schema`, in order, with their column kind.
SCHEMA_FILES = (("types", "types"), ("predicates", "predicates"), ("parents", "parents"))

_CLASS_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_PROPERTY_NAME = re.compile(r"^[a-z][A-Za-z0-9]*$")
_TYPE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class Context(Protocol):
    """What the schema reader needs from a loading run (the loader provides it)."""

    root: Path
    cur: Curation

    def table(self, file: Path, kind: str) -> Table | None:
        """Read one table of the given kind (problems are recorded)."""

    def error(self, where: str, message: str) -> None:
        """Record one problem."""

    def warn(self, where: str, message: str) -> None:
        """Record one warning."""


# -- reading -----------------------------------------------------------------------------
def load_schema(ctx: Context, display: Callable[[Path], str]) -> None:
    """Read ``types.tsv``, ``predicates.tsv`` and ``parents.tsv`` into ``ctx.cur``.

    Every problem is reported with its file:line through ``ctx.error``.
    """
    readers = {"types": _type_row, "predicates": _predicate_row, "parents": _parent_row}
    for name, kind in SCHEMA_FILES:
        file = ctx.root / "schema" / f"{name}.tsv"
        if not file.is_file():
            ctx.error(display(file), "missing schema file")
            continue
        tab = ctx.table(file, kind)
        for row in tab.rows if tab else []:
            readers[name](ctx, row)
    _check_roles(ctx)
    _check_styles(ctx)


def _type_row(ctx: Context, row: Row) -> None:
    cur, tid, cls = ctx.cur, row["id"], row["class"]
    classes = {t.rdf_class: t.id for t in cur.types.values()}
    if tid in cur.types:
        ctx.error(row.where, f"duplicate type id '{tid}'")
    elif not _TYPE_ID.match(tid) or tid == TRIAL_TYPE:
        ctx.error(row.where, f"id: '{tid}' is not a lower-case type id (and not "
                  f"'{TRIAL_TYPE}', which is built in)")
    elif not _CLASS_NAME.match(cls):
        ctx.error(row.where, f"class: '{cls}' is not an RDF class name (CamelCase)")
    elif cls in classes or cls in _fixed_terms():
        ctx.error(row.where, f"class: '{cls}' is already the class of "
                  f"'{classes.get(cls, 'the exo: schema')}'")
    elif not row["biolink"].startswith("biolink:"):
        ctx.error(row.where, f"biolink: '{row['biolink']}' is not a biolink: category")
    else:
        columns = tuple(split_list(row["claim_columns"]))
        kgx_ids = tuple(tuple(item.split("=", 1)) for item in split_list(row["kgx_ids"]))
        bad = [c for c in columns if c not in CLAIM_COLUMNS]
        if bad:
            ctx.error(row.where, f"claim_columns: '{bad[0]}' is not one of "
                      f"{', '.join(CLAIM_COLUMNS)}")
        elif row["role"] not in ("", *TYPE_ROLES):
            ctx.error(row.where, f"role: '{row['role']}' is not one of {', '.join(TYPE_ROLES)} "
                      "(or empty)")
        elif any(len(pair) != 2 or not pair[1].startswith("biolink:") for pair in kgx_ids):
            ctx.error(row.where, "kgx_ids: write prefix=biolink:Class items separated by '|'")
        else:
            cur.types[tid] = EntityType(
                tid, row["label"], row["definition"], row["biolink"], rdf_class=cls,
                claim_columns=columns, kgx_ids=tuple((p, c) for p, c in kgx_ids),
                location=Location(row.path, row.line), role=row["role"])


def _predicate_row(ctx: Context, row: Row) -> None:
    cur, pid, prop = ctx.cur, row["id"], row["property"]
    if pid in cur.predicates:
        ctx.error(row.where, f"duplicate predicate id '{pid}'")
    elif row["sign"] not in ("", *SIGN_SYMBOLS.values()):
        ctx.error(row.where, f"sign: '{row['sign']}' is not +, - or ?")
    elif row["kind"] not in KINDS:
        ctx.error(row.where, f"kind: '{row['kind']}' is not one of {', '.join(KINDS)}")
    elif row["role"] not in ROLES:
        ctx.error(row.where, f"role: '{row['role']}' is not one of {', '.join(ROLES)}")
    elif (row["role"] == "parent") != (row["sign"] == ""):
        ctx.error(row.where, "sign: a parent predicate has no sign, every other one has one")
    elif not _PROPERTY_NAME.match(prop):
        ctx.error(row.where, f"property: '{prop}' is not an RDF property name (camelCase)")
    elif prop in {p.rdf_property for p in cur.predicates.values()} or prop in _fixed_terms():
        ctx.error(row.where, f"property: '{prop}' is already used")
    elif row["kgx_inverse"] not in ("", "yes"):
        ctx.error(row.where, f"kgx_inverse: '{row['kgx_inverse']}' is not 'yes' or empty")
    else:
        cur.predicates[pid] = Predicate(
            pid, row["label"], row["definition"], row["sign"], row["kind"], row["biolink"],
            role=row["role"], rdf_property=prop, kgx=row["kgx"],
            kgx_inverse=row["kgx_inverse"] == "yes", location=Location(row.path, row.line))


def _parent_row(ctx: Context, row: Row) -> None:
    cur = ctx.cur
    child, parent, pid = row["child_type"], row["parent_type"], row["predicate"]
    unknown = [t for t in (child, parent) if t not in cur.types]
    if unknown:
        ctx.error(row.where, f"unknown type '{unknown[0]}' (see schema/types.tsv)")
    elif pid not in cur.predicates or cur.predicates[pid].role != "parent":
        allowed = sorted(p.id for p in cur.predicates.values() if p.role == "parent")
        ctx.error(row.where, f"predicate: '{pid}' is not one of {', '.join(allowed)}")
    elif (child, parent) in cur.parent_rules:
        ctx.error(row.where, f"duplicate row for a {child} under a {parent} (first at "
                  f"{cur.parent_rules[(child, parent)].location})")
    else:
        cur.parent_rules[(child, parent)] = ParentRule(
            child, parent, pid, row["kgx"], Location(row.path, row.line))


def _check_roles(ctx: Context) -> None:
    """Each role has exactly one predicate (one per sign where the sign chooses).

    A second row for the same role (and sign) is an error at its file:line: the edges
    would silently follow whichever row came first.
    """
    file = f"{ctx.root.name}/schema/predicates.tsv"
    have: dict[tuple[str, Sign], Predicate] = {}
    for pred in ctx.cur.predicates.values():
        if pred.role == "parent":
            continue
        by_sign = ROLES[pred.role][1]
        key = (pred.role, pred.edge_sign if by_sign else 0)
        first = have.setdefault(key, pred)
        if first is not pred:
            spelled = f" with sign '{pred.sign}'" if by_sign else ""
            ctx.error(str(pred.location or file),
                      f"role: '{pred.id}' is a second predicate of role '{pred.role}'"
                      f"{spelled} (the first is '{first.id}' at {first.location}); "
                      "each role has one")
    for role, (what, by_sign) in ROLES.items():
        if role == "parent":
            continue
        for sign in SIGN_SYMBOLS if by_sign else [0]:
            if (role, sign) not in have:
                spelled = f" with sign '{SIGN_SYMBOLS[sign]}'" if by_sign else ""
                ctx.error(file, f"no predicate of role '{role}'{spelled} ({what})")


def _check_styles(ctx: Context) -> None:
    """Warn about each type ``styles.json`` gives no style (the views draw it the default way).

    A missing or unreadable styles file is left to the views, which say so when they need it.
    """
    import json

    try:
        styled = json.loads((ctx.root / "schema" / STYLES_FILE).read_text(encoding="utf-8"))
        nodes = set(styled.get("nodes", {}))
    except (OSError, ValueError, AttributeError):
        return
    for etype in ctx.cur.types.values():
        if etype.id not in nodes:
            ctx.warn(str(etype.location), f"type '{etype.id}' has no style in "
                     f"schema/{STYLES_FILE}; the views draw it with the default style")


def node_styles(cur: Curation, styles: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The node style of every node type: ``styles.json``'s, else :data:`DEFAULT_STYLE`.

    A type without a style (``exokg check`` warns) is drawn in the default colour and shape,
    labelled with its label from ``types.tsv``.

    Examples
    --------
    >>> from kg.data.curation import read_schema
    >>> node_styles(read_schema(), {"nodes": {}})["cell"]
    {'color': '#666666', 'shape': 'dot', 'label': 'cell type'}
    """
    given: dict[str, dict[str, Any]] = dict(styles.get("nodes", {}))
    for type_id in node_types(cur):
        if type_id not in given:
            label = cur.types[type_id].label if type_id in cur.types else type_id
            given[type_id] = {**DEFAULT_STYLE, "label": label}
    return given


def _fixed_terms() -> frozenset[str]:
    """Local names the exo: namespace declares itself (a schema row may not reuse them)."""
    return frozenset(TERMS)


# -- lookups -----------------------------------------------------------------------------
def node_type(cur: Curation, node_id: str) -> str:
    """The type of a graph node: its entity's type, or :data:`TRIAL_TYPE`."""
    ent = cur.entities.get(node_id)
    if ent is not None:
        return ent.type
    if is_trial_node(node_id):
        return TRIAL_TYPE
    raise KGError(f"'{node_id}' is neither an entity nor a trial")


def node_types(cur: Curation) -> list[str]:
    """Every node type: the rows of ``types.tsv`` in order, then :data:`TRIAL_TYPE`."""
    return [*cur.types, TRIAL_TYPE]


def type_class(cur: Curation, type_id: str) -> str:
    """Local name of the RDF class of a node type (``KGError`` for an undeclared type)."""
    if type_id == TRIAL_TYPE:
        return TRIAL_CLASS
    row = cur.types.get(type_id)
    if row is None or not row.rdf_class:
        raise KGError(f"type '{type_id}' has no RDF class in schema/types.tsv")
    return row.rdf_class


def category(cur: Curation, type_id: str) -> str:
    """Biolink category of the nodes of a type."""
    if type_id == TRIAL_TYPE:
        return TRIAL_CATEGORY
    return cur.types[type_id].biolink


def types_for(cur: Curation, column: str) -> frozenset[str]:
    """Types whose entities may fill a claim or trial column (``cargo``, ``source`` ...)."""
    return frozenset(t.id for t in cur.types.values() if column in t.claim_columns)


def types_with_role(cur: Curation, role: str) -> frozenset[str]:
    """Types whose entities play a part in a mechanism chain (``source``, ``pathway`` ...)."""
    return frozenset(t.id for t in cur.types.values() if t.role == role)


def type_column(cur: Curation, type_id: str) -> int:
    """The column of a type in the layered drawings: its role's (:data:`TYPE_ROLES`).

    Trials come first (-1); a type with no role, or none the schema knows, the middle.

    Examples
    --------
    >>> from kg.data.curation import read_schema
    >>> [type_column(read_schema(), t) for t in ("trial", "source", "mirna", "disease", "cell")]
    [-1, 0, 1, 4, 2]
    """
    if type_id == TRIAL_TYPE:
        return -1
    row = cur.types.get(type_id)
    return TYPE_ROLES.get(row.role, MIDDLE_COLUMN) if row is not None else MIDDLE_COLUMN


def describe_types(cur: Curation, types: frozenset[str]) -> str:
    """The labels of some types for messages, in schema order (``miRNA or protein``)."""
    return " or ".join(t.label for t in cur.types.values() if t.id in types) or "nothing"


def article(words: str) -> str:
    """``a`` or ``an`` before ``words`` (an acronym is read letter by letter).

    Examples
    --------
    >>> article("MSC source"), article("disease"), article("cell type"), article("RNA")
    ('an', 'a', 'a', 'an')
    """
    first = words.split()[0] if words.split() else "x"
    if first.isupper() and len(first) > 1:
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    return "an" if first[0].lower() in "aeiou" else "a"


def predicate_property(cur: Curation, predicate: str) -> str:
    """Local name of the RDF property of a predicate (``KGError`` when undeclared)."""
    row = cur.predicates.get(predicate)
    if row is None or not row.rdf_property:
        raise KGError(f"predicate '{predicate}' has no RDF property in schema/predicates.tsv")
    return row.rdf_property


def predicate_for(cur: Curation, role: str, sign: Sign = 0) -> Predicate:
    """The predicate of a role (of a role and sign, for ``step`` and ``effect``)."""
    for pred in cur.predicates.values():
        if pred.role == role and (not ROLES[role][1] or pred.edge_sign == sign):
            return pred
    raise KGError(f"schema/predicates.tsv has no predicate of role '{role}'")


def parent_rule(cur: Curation, child_type: str, parent_type: str) -> ParentRule | None:
    """What a parent link from a ``child_type`` to a ``parent_type`` means (None: no row)."""
    return cur.parent_rules.get((child_type, parent_type))


@dataclass(frozen=True)
class KgxPredicate:
    """How an edge is written in KGX: the Biolink predicate and whether it runs backwards."""

    predicate: str
    inverse: bool


def kgx_predicate(cur: Curation, subject: str, predicate: str, obj: str) -> KgxPredicate:
    """The KGX predicate of an edge: the pair's row in ``parents.tsv``, else the predicate's."""
    pred = cur.predicates[predicate]
    if pred.role == "parent" and subject in cur.entities and obj in cur.entities:
        rule = parent_rule(cur, cur.entities[subject].type, cur.entities[obj].type)
        if rule is not None and rule.kgx:
            return KgxPredicate(rule.kgx, pred.kgx_inverse)
    return KgxPredicate(pred.kgx or pred.biolink, pred.kgx_inverse)


# -- the schema of a curation -------------------------------------------------------------
def schema_of(cur: Curation) -> Curation:
    """The curation whose schema rows apply: ``cur`` itself, which must have them.

    A curation without predicate rows (one built by hand without ``read_schema``) is an
    error, never quietly given the shipped schema: its edges would carry predicate ids its
    own data folder may not have.

    Raises
    ------
    KGError
        When ``cur`` has no predicate rows.
    """
    if not cur.predicates:
        raise KGError(f"the curation of '{cur.root}' has no schema rows (schema/*.tsv); "
                      "load it with kg.data.curation.load, or copy read_schema()'s rows in")
    return cur
