"""Load and validate the curated folder (``triples/``) into a :class:`~kg.data.model.Curation`.

Every problem is collected with its ``file:line`` and a one-line reason, so one run of
``exokg check`` reports them all. Names are resolved through the vocabulary
(:mod:`kg.data.names`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from kg.data.model import (
    AGENTS,
    DISEASE_VERBS,
    EVIDENCE,
    OPERATORS,
    PROCESS_VERBS,
    Attribute,
    Claim,
    Curation,
    Effect,
    Entity,
    EntityType,
    Location,
    Predicate,
    Problem,
    Reference,
    Review,
    Step,
    Trial,
    XrefRecord,
)
from kg.data.names import NameIndex, fold
from kg.data.tsv import Row, Table, check_header, read_table, split_list
from kg.errors import AmbiguousNameError, CurationError, DataFolderError, UnknownEntityError
from kg.graph.terms import PREDICATE_PROPERTY, TYPE_CLASS

#: Columns of each kind of file: (required, optional).
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "types": (("id", "label", "definition", "biolink"), ()),
    "predicates": (("id", "label", "definition", "sign", "kind"), ("biolink",)),
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
    "extra": (("subject", "predicate", "object", "source"), ("note",)),
}
#: Predicate kinds an edge table in ``extra/`` may use.
EXTRA_KINDS = frozenset({"causal", "hierarchy"})
#: RDF files ``extra/`` may hold, by suffix.
RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt"}

#: How an xref relates to the entity (SKOS mapping relations), ``exact`` when not stated.
XREF_MATCHES = ("exact", "close", "broad", "narrow")
#: Where a claim's details were read (``basis`` column of claims).
BASES = ("table", "text", "title")
#: Entity types a claim's cargo may have.
CARGO_TYPES = frozenset({"mirna", "lncrna", "circrna", "rna", "protein", "chemical"})
#: Attribute names allowed in ``attributes/``.
ATTRIBUTE_NAMES = frozenset({"obtained_from", "advantage", "limitation", "marker", "property"})

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_CLAIM_ID = re.compile(r"^[a-z0-9]+(-[A-Za-z0-9.]+)+$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_CITATION = re.compile(r"^([a-z0-9][a-z0-9_\-]*):(\d+)$")
_CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*:\S+$")
_NCT = re.compile(r"^NCT\d{8}$")
_STEP = re.compile(r"(?:^|\s+)(->|-\||-\?)(?:\s+|$)")

ENV_VAR = "EXOKG_DATA"


def default_data_dir() -> Path:
    """The curated folder used when none is given: ``$EXOKG_DATA`` or the shipped one."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    package = Path(__file__).resolve().parent.parent  # kg/
    packaged = package / "_data" / "triples"
    if packaged.is_dir():
        return packaged
    return package.parent / "triples"


def _display(root: Path, file: Path) -> str:
    """Path shown in messages: relative to the working directory when possible."""
    del root  # messages name files as the user would type them, from where they stand
    try:
        return os.path.relpath(file)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(file)


class _Loader:
    """One validation run over a folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.cur = Curation(root=str(root))
        self.names = NameIndex()

    # -- helpers ---------------------------------------------------------------------
    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(Problem(where, message, "warning"))

    def files(self, sub: str) -> list[Path]:
        folder = self.root / sub
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.suffix == ".tsv" and p.is_file())

    def table(self, file: Path, kind: str) -> Table | None:
        required, optional = COLUMNS[kind]
        display = _display(self.root, file)
        self.cur.files.append(display)
        tab = read_table(file, display, required, optional, self.problems)
        if tab is not None and tab.crlf:
            self.warn(display, "CRLF line endings; run 'exokg lint --fix'")
        return tab

    def tables(self, sub: str, kind: str) -> list[Table]:
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
                           f"{what or ' or '.join(sorted(types))}")
                return None
        return ent_id

    def citations(self, row: Row, column: str = "refs", *, required: bool = True
                  ) -> tuple[str, ...]:
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
        review = row["review"]
        if review not in self.cur.reviews:
            self.error(row.where, f"review: unknown review '{review}' (see reviews.tsv)")
        if not row["where"]:
            self.error(row.where, "where: empty (say where in the review it was read)")
        return review

    # -- stages ----------------------------------------------------------------------
    def load_schema(self) -> None:
        for name in ("types", "predicates"):
            file = self.root / "schema" / f"{name}.tsv"
            if not file.is_file():
                self.error(_display(self.root, file), "missing schema file")
                continue
            tab = self.table(file, name)
            for row in tab.rows if tab else []:
                if row["id"] in self.cur.types or row["id"] in self.cur.predicates:
                    self.error(row.where, f"duplicate {name[:-1]} id '{row['id']}'")
                elif name == "types" and row["id"] not in TYPE_CLASS:
                    self.error(row.where, f"type '{row['id']}' has no RDF class in kg.graph.terms")
                elif name == "predicates" and row["id"] not in PREDICATE_PROPERTY:
                    self.error(row.where, f"predicate '{row['id']}' has no RDF property in "
                               "kg.graph.terms")
                elif name == "types":
                    self.cur.types[row["id"]] = EntityType(
                        row["id"], row["label"], row["definition"], row["biolink"])
                else:
                    if row["sign"] not in ("", "+", "-", "?"):
                        self.error(row.where, f"sign: '{row['sign']}' is not +, - or ?")
                    self.cur.predicates[row["id"]] = Predicate(
                        row["id"], row["label"], row["definition"], row["sign"], row["kind"],
                        row["biolink"])
        file = self.root / "schema" / "prefixes.tsv"
        if file.is_file():
            tab = self.table(file, "prefixes")
            for row in tab.rows if tab else []:
                if row["prefix"] in self.cur.prefixes:
                    self.error(row.where, f"duplicate prefix '{row['prefix']}'")
                elif not row["uri_prefix"].startswith(("http://", "https://")):
                    self.error(row.where, f"uri_prefix: '{row['uri_prefix']}' is not an "
                               "http(s) URI prefix")
                else:
                    self.cur.prefixes[row["prefix"]] = row["uri_prefix"]

    def load_reviews(self) -> None:
        file = self.root / "reviews.tsv"
        if not file.is_file():
            self.error(_display(self.root, file), "missing file")
            return
        tab = self.table(file, "reviews")
        for row in tab.rows if tab else []:
            key = row["key"]
            if not _KEY.match(key):
                self.error(row.where, f"key: '{key}' is not a lower-case key")
            elif key in self.cur.reviews:
                self.error(row.where, f"duplicate review key '{key}'")
            else:
                self.cur.reviews[key] = Review(**{c: row[c] for c in (
                    "key", "authors", "year", "title", "journal", "volume", "issue", "pages",
                    "doi", "seed")})

    def load_entities(self) -> None:
        first_seen: dict[str, str] = {}
        rows: list[Row] = []
        for tab in self.tables("entities", "entities"):
            for row in tab.rows:
                ent_id = row["id"]
                if not _ID.match(ent_id):
                    self.error(row.where, f"id: '{ent_id}' may hold only ASCII letters, "
                               "digits, '-', '_' and '.'")
                    continue
                if ent_id in first_seen:
                    self.error(row.where, f"duplicate id '{ent_id}' (first defined at "
                               f"{first_seen[ent_id]})")
                    continue
                if row["type"] not in self.cur.types:
                    self.error(row.where, f"type: unknown type '{row['type']}' (known: "
                               f"{', '.join(sorted(self.cur.types))})")
                    continue
                if not row["label"]:
                    self.error(row.where, "label: empty")
                    continue
                for xref in split_list(row["xrefs"]):
                    self._check_curie(row, "xrefs", xref)
                first_seen[ent_id] = row.where
                rows.append(row)
        synonyms: dict[str, list[str]] = {}
        syn_rows: list[tuple[Row, str]] = []
        for tab in self.tables("synonyms", "synonyms"):
            for row in tab.rows:
                ent_id, syn = row["entity"], row["synonym"]
                if ent_id not in first_seen:
                    self.error(row.where, f"entity: unknown entity id '{ent_id}'")
                    continue
                if not syn:
                    self.error(row.where, "synonym: empty")
                    continue
                if syn in synonyms.get(ent_id, []):
                    self.warn(row.where, f"synonym '{syn}' of '{ent_id}' listed twice")
                    continue
                synonyms.setdefault(ent_id, []).append(syn)
                syn_rows.append((row, ent_id))
        xrefs: dict[str, list[tuple[str, str]]] = {}
        for tab in self.tables("xrefs", "xrefs"):
            for row in tab.rows:
                ent_id, xref = row["entity"], row["xref"]
                if ent_id not in first_seen:
                    self.error(row.where, f"entity: unknown entity id '{ent_id}'")
                elif not self._check_curie(row, "xref", xref):
                    pass
                elif not (row["verified_by"] or (row["source"] and row["version"]
                                                 and row["source_label"])):
                    self.error(row.where, "source, version, source_label: empty (say which "
                               "file of the authority the identifier was checked against, its "
                               "version and the label it gives)")
                elif (row["match"] or "exact") not in XREF_MATCHES:
                    self.error(row.where, f"match: '{row['match']}' is not one of "
                               f"{', '.join(XREF_MATCHES)}")
                elif any(xref == x for x, _ in xrefs.get(ent_id, [])):
                    self.warn(row.where, f"xref '{xref}' of '{ent_id}' listed twice")
                else:
                    xrefs.setdefault(ent_id, []).append((xref, row["match"] or "exact"))
                    self.cur.xref_records.append(XrefRecord(
                        entity=ent_id, xref=xref, match=row["match"] or "exact",
                        source_label=row["source_label"], source=row["source"],
                        version=row["version"], note=row["note"],
                        where=Location(row.path, row.line)))
        for row in rows:
            ent = Entity(
                id=row["id"], type=row["type"], label=row["label"],
                parents=tuple(split_list(row["parents"])),
                xrefs=tuple(dict.fromkeys([*split_list(row["xrefs"]), *(
                    x for x, m in xrefs.get(row["id"], []) if m == "exact")])),
                close_xrefs=tuple((m, x) for x, m in xrefs.get(row["id"], []) if m != "exact"),
                synonyms=tuple(synonyms.get(row["id"], [])), note=row["note"],
                where=Location(row.path, row.line),
            )
            self.cur.entities[ent.id] = ent
            self.names.add(ent.id, ent.id, is_id=True)
            self.names.add(ent.label, ent.id)
        # two entities whose labels fold alike are almost surely one entity curated twice
        by_label: dict[str, str] = {}
        for row in rows:
            key = fold(row["label"])
            if key in by_label and by_label[key] != row["id"]:
                other = by_label[key]
                self.error(row.where, f"label '{row['label']}' is the label of '{other}' too "
                           f"({self.cur.entities[other].where}); merge the two entities")
            by_label.setdefault(key, row["id"])
        for row, ent_id in syn_rows:
            clash = {e for e in self.names.candidates(row["synonym"]) if e != ent_id}
            labels = {e for e in clash if fold(self.cur.entities[e].label) == fold(row["synonym"])
                      or e == row["synonym"]}
            if labels:
                self.error(row.where, f"synonym '{row['synonym']}' of '{ent_id}' is the id or "
                           f"label of '{sorted(labels)[0]}'")
            self.names.add(row["synonym"], ent_id)
        for ent in self.cur.entities.values():
            for parent in ent.parents:
                if parent not in self.cur.entities:
                    self.error(str(ent.where), f"parents: unknown entity id '{parent}'")
                elif parent == ent.id:
                    self.error(str(ent.where), "parents: an entity cannot be its own parent")
        self._check_cycles()

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

    def _check_cycles(self) -> None:
        state: dict[str, int] = {}

        def visit(node: str, trail: list[str]) -> None:
            state[node] = 1
            for parent in self.cur.entities[node].parents:
                if parent not in self.cur.entities or parent == node:
                    continue
                if state.get(parent) == 1:
                    cycle = [*trail[trail.index(parent):], parent] if parent in trail else [
                        node, parent]
                    self.error(str(self.cur.entities[node].where),
                               f"parents: cycle {' -> '.join(cycle)}")
                elif parent not in state:
                    visit(parent, [*trail, parent])
            state[node] = 2

        for ent_id in sorted(self.cur.entities):
            if ent_id not in state:
                visit(ent_id, [ent_id])

    def load_ambiguous(self) -> None:
        file = self.root / "ambiguous.tsv"
        if not file.is_file():
            return
        tab = self.table(file, "ambiguous")
        for row in tab.rows if tab else []:
            meanings = tuple(split_list(row["meanings"]))
            if len(meanings) < 2:
                self.error(row.where, "meanings: an ambiguous term needs two or more meanings")
                continue
            self.cur.ambiguous[row["term"]] = meanings
            self.names.mark_ambiguous(row["term"], meanings)

    def load_unmapped(self) -> None:
        file = self.root / "unmapped.tsv"
        if not file.is_file():
            return
        tab = self.table(file, "unmapped")
        for row in tab.rows if tab else []:
            ent_id = row["entity"]
            if ent_id not in self.cur.entities:
                self.error(row.where, f"entity: unknown entity id '{ent_id}'")
            elif not row["reason"]:
                self.error(row.where, "reason: empty (say why no standard identifier fits)")
            elif ent_id in self.cur.unmapped:
                self.error(row.where, f"entity: '{ent_id}' listed twice")
            elif self.cur.entities[ent_id].xrefs:
                self.error(row.where, f"entity: '{ent_id}' has an exact xref; it is not "
                           "unmapped")
            else:
                self.cur.unmapped[ent_id] = row["reason"]

    def load_references(self) -> None:
        titles: dict[str, tuple[str, str]] = {}  # folded title -> (key, where)
        key_title: dict[str, tuple[str, str]] = {}  # key -> (folded title, where)
        for file in self.files("references"):
            review = file.stem
            tab = self.table(file, "references")
            if tab is None:
                continue
            if review not in self.cur.reviews:
                self.error(tab.path, f"file name '{review}' is not a review key in reviews.tsv")
                continue
            for row in tab.rows:
                number, key = row["number"], row["key"]
                if not number.isdigit():
                    self.error(row.where, f"number: '{number}' is not a whole number")
                    continue
                if not _KEY.match(key):
                    self.error(row.where, f"key: '{key}' is not a lower-case key")
                    continue
                if not row["title"]:
                    self.error(row.where, "title: empty")
                    continue
                citation = f"{review}:{int(number)}"
                if citation in self.cur.citations:
                    self.error(row.where, f"duplicate reference number {number}")
                    continue
                folded = fold(re.sub(r"[^\w]", "", row["title"]))
                if key in key_title and key_title[key][0] != folded:
                    self.error(row.where, f"key '{key}' names a different title at "
                               f"{key_title[key][1]}; give one of them another key")
                    continue
                if folded in titles and titles[folded][0] != key:
                    self.warn(row.where, f"same title as '{titles[folded][0]}' "
                              f"({titles[folded][1]}); if it is one paper, use one key")
                titles.setdefault(folded, (key, row.where))
                key_title.setdefault(key, (folded, row.where))
                self.cur.citations[citation] = key
                old = self.cur.references.get(key)
                cited = (*old.cited_as, citation) if old else (citation,)
                if old:
                    self.cur.references[key] = Reference(**{
                        **old.__dict__, "cited_as": cited})
                else:
                    self.cur.references[key] = Reference(
                        **{c: row[c] for c in ("key", "authors", "year", "title", "journal",
                                                "volume", "issue", "pages", "doi", "pmid",
                                                "note")},
                        cited_as=cited)

    def _effects(self, row: Row, column: str, verbs: dict[str, int | None],
                 types: frozenset[str]) -> tuple[Effect, ...]:
        out = []
        for item in split_list(row[column]):
            verb, _, name = item.partition(" ")
            if verb not in verbs:
                self.error(row.where, f"{column}: '{item}' must start with "
                           f"{', '.join(verbs)}")
                continue
            if not name.strip():
                self.error(row.where, f"{column}: '{item}' names nothing after '{verb}'")
                continue
            ent = self.resolve(row, column, name.strip(), types)
            if ent:
                out.append(Effect(verb, ent))
        return tuple(out)

    def _mechanism(self, row: Row, head: str | None) -> tuple[Step, ...] | None:
        text = row["mechanism"]
        if not text:
            return ()
        parts = _STEP.split(text.strip())
        if parts[0].strip():
            self.error(row.where, f"mechanism: must start with an operator "
                       f"({', '.join(OPERATORS)}), found '{parts[0].strip()}'")
            return None
        steps: list[Step] = []
        ok = True
        prev = {head} if head else set()
        for i in range(1, len(parts), 2):
            op, names = parts[i], parts[i + 1] if i + 1 < len(parts) else ""
            items = [n.strip() for n in names.split(" & ")]
            if not names.strip() or not all(items):
                self.error(row.where, f"mechanism: operator '{op}' is not followed by a name")
                ok = False
                continue
            ids = []
            for name in items:
                ent = self.resolve(row, "mechanism", name)
                if ent is None:
                    ok = False
                    continue
                if ent in prev:
                    self.error(row.where, f"mechanism: '{name}' acts on itself (self-loop)")
                    ok = False
                ids.append(ent)
            prev = set(ids)
            steps.append(Step(op, tuple(ids)))
        return tuple(steps) if ok else None

    def load_claims(self) -> None:
        first_seen: dict[str, str] = {}
        for tab in self.tables("claims", "claims"):
            for row in tab.rows:
                self._claim(row, first_seen)

    def _claim(self, row: Row, first_seen: dict[str, str]) -> None:
        cid = row["id"]
        if not _CLAIM_ID.match(cid):
            self.error(row.where, f"id: '{cid}' is not of the form review-part-number")
            return
        if cid in first_seen:
            self.error(row.where, f"duplicate id '{cid}' (first defined at {first_seen[cid]})")
            return
        first_seen[cid] = row.where
        before = len(self.problems)
        if row["agent"] not in AGENTS:
            self.error(row.where, f"agent: '{row['agent']}' is not one of {', '.join(AGENTS)}")
        source = self.resolve(row, "source", row["source"], frozenset({"source"}),
                              "an MSC source") if row["source"] else None
        if not row["source"]:
            self.error(row.where, "source: empty (write MSC when the review does not say)")
        cargo = ""
        if row["cargo"]:
            cargo = self.resolve(row, "cargo", row["cargo"], CARGO_TYPES,
                                 "a cargo (miRNA, lncRNA, circRNA, RNA, protein, chemical)") or ""
        mechanism = self._mechanism(row, cargo or source)
        processes = self._effects(row, "processes", PROCESS_VERBS,
                                  frozenset({"process", "hallmark"}))
        diseases = self._effects(row, "diseases", DISEASE_VERBS, frozenset({"disease"}))
        evidence = tuple(split_list(row["evidence"]))
        for ev in evidence:
            if ev not in EVIDENCE:
                self.error(row.where, f"evidence: '{ev}' is not one of {', '.join(EVIDENCE)}")
        refs = self.citations(row)
        review = self.review_of(row)
        basis = tuple(split_list(row["basis"]))
        for item in basis:
            if item not in BASES:
                self.error(row.where, f"basis: '{item}' is not one of {', '.join(BASES)}")
        if not (row["mechanism"] or row["processes"] or row["diseases"]):
            self.error(row.where, "the claim names no mechanism, process or disease")
        if len(self.problems) > before or source is None or mechanism is None:
            return
        self.cur.claims[cid] = Claim(
            id=cid, agent=row["agent"], source=source, donor=row["donor"], cargo=cargo,
            mechanism=mechanism, processes=processes, diseases=diseases, evidence=evidence,
            model=row["model"], dose=row["dose"], refs=refs, review=review,
            where=row["where"], note=row["note"], location=Location(row.path, row.line),
            basis=basis, flag=row["flag"])

    def check_signs(self) -> None:
        """Warn when one study gives one relation different signs in different claims.

        Relations are the mechanism steps (from each entity of a step to each of the next)
        and the head's effect on each process and disease. A conflict whose claims all carry
        a ``flag`` is a disagreement the curator has documented and is not repeated.
        """
        cur = self.cur
        seen: dict[tuple[str, str, str], dict[str, list[Claim]]] = {}
        for claim in cur.claims.values():
            relations: list[tuple[str, str, str]] = []
            prev: tuple[str, ...] = (claim.head,)
            for step in claim.mechanism:
                relations += [(a, b, step.operator) for a in prev for b in step.entities]
                prev = step.entities
            relations += [(claim.head, eff.entity, eff.verb)
                          for eff in (*claim.processes, *claim.diseases)]
            for key in cur.study_keys(claim):
                for a, b, sign in relations:
                    seen.setdefault((key, a, b), {}).setdefault(sign, []).append(claim)
        for (key, a, b), by_sign in sorted(seen.items()):
            claims = [c for group in by_sign.values() for c in group]
            if len(by_sign) < 2 or all(c.flag for c in claims):
                continue
            readings = "; ".join(f"'{sign}' in {', '.join(sorted({c.id for c in group}))}"
                                 for sign, group in sorted(by_sign.items()))
            first = min(claims, key=lambda c: c.id)
            where = str(first.location) if first.location else first.id
            self.warn(where, f"study {key} gives {a} -> {b} different signs: {readings} "
                      "(reconcile them, or flag both claims when the reviews disagree)")

    def load_trials(self) -> None:
        first_seen: dict[str, str] = {}
        for tab in self.tables("trials", "trials"):
            for row in tab.rows:
                tid = row["id"]
                if not _CLAIM_ID.match(tid):
                    self.error(row.where, f"id: '{tid}' is not of the form review-part-number")
                    continue
                if tid in first_seen:
                    self.error(row.where, f"duplicate id '{tid}' (first defined at "
                               f"{first_seen[tid]})")
                    continue
                first_seen[tid] = row.where
                before = len(self.problems)
                trial = row["trial"]
                if not (_NCT.match(trial) or _CITATION.match(trial)):
                    self.error(row.where, f"trial: '{trial}' is neither an NCT number "
                               "(NCT + 8 digits) nor REVIEW:NUMBER")
                elif _CITATION.match(trial) and trial not in self.cur.citations:
                    self.error(row.where, f"trial: citation '{trial}' does not resolve")
                if row["agent"] not in AGENTS:
                    self.error(row.where, f"agent: '{row['agent']}' is not one of "
                               f"{', '.join(AGENTS)}")
                source = self.resolve(row, "source", row["source"], frozenset({"source"}),
                                      "an MSC source")
                diseases = [self.resolve(row, "diseases", d, frozenset({"disease"}))
                            for d in split_list(row["diseases"])]
                if not diseases:
                    self.error(row.where, "diseases: empty")
                refs = self.citations(row, required=False)
                review = self.review_of(row)
                if len(self.problems) > before or source is None:
                    continue
                self.cur.trials[tid] = Trial(
                    id=tid, trial=trial, agent=row["agent"], source=source,
                    diseases=tuple(d for d in diseases if d), route=row["route"],
                    phase=row["phase"], enrollment=row["enrollment"], status=row["status"],
                    design=row["design"], outcome=row["outcome"], refs=refs, review=review,
                    where=row["where"], note=row["note"], location=Location(row.path, row.line))

    def load_attributes(self) -> None:
        for tab in self.tables("attributes", "attributes"):
            for row in tab.rows:
                before = len(self.problems)
                ent = self.resolve(row, "entity", row["entity"])
                if row["attribute"] not in ATTRIBUTE_NAMES:
                    self.error(row.where, f"attribute: '{row['attribute']}' is not one of "
                               f"{', '.join(sorted(ATTRIBUTE_NAMES))}")
                if not row["value"]:
                    self.error(row.where, "value: empty")
                refs = self.citations(row, required=False)
                review = self.review_of(row)
                if len(self.problems) > before or ent is None:
                    continue
                self.cur.attributes.append(Attribute(
                    ent, row["attribute"], row["value"], refs, review, row["where"],
                    Location(row.path, row.line)))

    def load_extra(self) -> None:
        """Edge tables (streamed, row by row) and RDF files of ``extra/``."""
        folder = self.root / "extra"
        if not folder.is_dir():
            return
        for file in sorted(folder.iterdir()):
            display = _display(self.root, file)
            if file.suffix == ".tsv":
                self.cur.files.append(display)
                self._extra_table(file, display)
            elif file.suffix in RDF_SUFFIXES:
                self.cur.files.append(display)
                self.cur.extra_rdf.append(str(file))
            elif file.is_file() and not file.name.startswith("."):
                self.warn(display, "ignored: extra/ takes .tsv edge tables and .ttl/.nt files")

    def _extra_table(self, file: Path, display: str) -> None:
        required, optional = COLUMNS["extra"]
        header: list[str] | None = None
        resolved: dict[str, str | None] = {}

        def name(row: Row, column: str) -> str | None:
            text = row[column]
            if text not in resolved:
                before = len(self.problems)
                resolved[text] = self.resolve(row, column, text)
                if len(self.problems) > before:
                    return None  # reported once here; later rows with it are left quiet
            elif resolved[text] is None:
                self.error(row.where, f"{column}: '{text}' does not resolve (see above)")
            return resolved[text]

        with file.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                raw = raw.rstrip(b"\r\n")
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    self.error(f"{display}:{number}", f"not valid UTF-8 (byte "
                               f"0x{raw[exc.start]:02x} at column {exc.start + 1})")
                    continue
                if not text.strip() or text.startswith("#"):
                    continue
                cells = [c.strip() for c in text.split("\t")]
                if header is None:
                    header = cells
                    if not check_header(header, required, optional, f"{display}:{number}",
                                        self.problems):
                        return
                    continue
                if len(cells) != len(header):
                    self.error(f"{display}:{number}", f"expected {len(header)} tab-separated "
                               f"cells, found {len(cells)}")
                    continue
                row = Row(display, number, dict(zip(header, cells, strict=True)))
                pred = self.cur.predicates.get(row["predicate"])
                if pred is None or pred.kind not in EXTRA_KINDS:
                    allowed = sorted(p.id for p in self.cur.predicates.values()
                                     if p.kind in EXTRA_KINDS)
                    self.error(row.where, f"predicate: '{row['predicate']}' is not one of "
                               f"{', '.join(allowed)}")
                    continue
                if not row["source"]:
                    self.error(row.where, "source: empty (say where the edge comes from)")
                    continue
                subject, obj = name(row, "subject"), name(row, "object")
                if subject is None or obj is None:
                    continue
                if subject == obj:
                    self.error(row.where, f"'{row['subject']}' acts on itself (self-loop)")
                    continue
                self.cur.extra_edges.setdefault((subject, pred.id, obj), set()).add(
                    row["source"])
        if header is None:
            self.error(display, "empty file (a header line is required)")

    def run(self) -> Curation:
        stages: list[Callable[[], None]] = [
            self.load_schema, self.load_reviews, self.load_entities, self.load_ambiguous,
            self.load_unmapped,
            self.load_references, self.load_claims, self.check_signs, self.load_trials,
            self.load_attributes,
            self.load_extra]
        for stage in stages:
            stage()
        self.cur.warnings = self.warnings
        return self.cur


def validate(data_dir: str | os.PathLike[str] | None = None
             ) -> tuple[Curation, list[Problem]]:
    """Validate a curated folder; return what loaded and every problem found.

    Raises
    ------
    DataFolderError
        When the folder does not exist.
    """
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    if not root.exists():
        raise DataFolderError(f"curated data folder not found: {root}")
    if not root.is_dir():
        raise DataFolderError(f"curated data folder is not a folder: {root}")
    loader = _Loader(root)
    cur = loader.run()
    return cur, loader.problems


def check_extra_rdf(cur: Curation) -> list[Problem]:
    """Parse every RDF file of ``extra/`` (with Oxigraph); a problem per file that fails."""
    import pyoxigraph as ox

    formats = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
    problems = []
    for path in cur.extra_rdf:
        file = Path(path)
        try:
            for _ in ox.parse(path=str(file), format=formats[file.suffix]):
                pass
        except SyntaxError as exc:
            problems.append(Problem(_display(Path(cur.root), file), f"not valid RDF: {exc}"))
        except OSError as exc:
            problems.append(Problem(_display(Path(cur.root), file), f"cannot read: {exc}"))
    return problems


def name_index(cur: Curation) -> NameIndex:
    """An index of every id, label and synonym of a loaded curation."""
    index = NameIndex()
    for ent in cur.entities.values():
        index.add(ent.id, ent.id, is_id=True)
        index.add(ent.label, ent.id)
        for syn in ent.synonyms:
            index.add(syn, ent.id)
    for term, meanings in cur.ambiguous.items():
        index.mark_ambiguous(term, meanings)
    return index


def resolve(cur: Curation, name: str) -> str:
    """Resolve a name (id, label or synonym) to an entity id of ``cur``.

    Raises
    ------
    UnknownEntityError
        No entity has that name; the error lists close matches.
    AmbiguousNameError
        The name could mean several entities.

    Examples
    --------
    >>> resolve(load(), "BMSC")
    'BM-MSC'
    """
    return name_index(cur).resolve(name)


def entity_id(cur: Curation, name: str) -> str:
    """``name`` itself when it is an entity id of ``cur``, else :func:`resolve` of it.

    What every public function calls on the names it is given, so each takes an id, a label
    or any synonym and raises the same typed errors as the CLI.

    Examples
    --------
    >>> entity_id(load(), "osteoarthritis")
    'osteoarthritis'
    """
    return name if name in cur.entities else resolve(cur, name)


def load(data_dir: str | os.PathLike[str] | None = None) -> Curation:
    """Load a curated folder, raising :class:`CurationError` if anything is wrong.

    Examples
    --------
    >>> cur = load()
    >>> cur.entities["BM-MSC"].label
    'bone marrow MSC'
    """
    cur, problems = validate(data_dir)
    if problems:
        raise CurationError(problems)
    return cur
