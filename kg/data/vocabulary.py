"""Loading stages for the schema and the vocabulary (entities, synonyms, xrefs, parents)."""

from __future__ import annotations

from kg.data import schema
from kg.data.loading import _ID, XREF_MATCHES, LoaderBase, display_path
from kg.data.model import (
    Entity,
    Location,
    XrefRecord,
)
from kg.data.names import fold
from kg.data.tsv import Row, split_list

__all__ = ["VocabularyStages"]


class VocabularyStages(LoaderBase):
    """Reads the schema and the vocabulary files.

    ``schema/``, ``entities/``, ``synonyms/``, ``xrefs/``, ``ambiguous.tsv`` and
    ``unmapped.tsv``.
    """

    def load_schema(self) -> None:
        """The schema files (:mod:`kg.data.schema`) and ``prefixes.tsv``."""
        schema.load_schema(self, display_path)
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

    def load_entities(self) -> None:
        """Entities with their synonyms and verified xrefs, then the checks across them."""
        rows = self._entity_rows()
        known = {row["id"] for row in rows}
        synonyms, syn_rows = self._synonym_rows(known)
        xrefs = self._xref_rows(known)
        for row in rows:
            ent_id = row["id"]
            ent = Entity(
                id=ent_id, type=row["type"], label=row["label"],
                parents=tuple(split_list(row["parents"])),
                xrefs=tuple(dict.fromkeys([*split_list(row["xrefs"]), *(
                    x for x, m in xrefs.get(ent_id, []) if m == "exact")])),
                close_xrefs=tuple((m, x) for x, m in xrefs.get(ent_id, []) if m != "exact"),
                synonyms=tuple(synonyms.get(ent_id, [])), note=row["note"],
                location=Location(row.path, row.line),
            )
            self.cur.entities[ent.id] = ent
            self.names.add(ent.id, ent.id, is_id=True)
            self.names.add(ent.label, ent.id)
        self._check_labels(rows)
        self._check_synonyms(syn_rows)
        self._check_parents()
        self._check_cycles()

    def _entity_rows(self) -> list[Row]:
        """The usable rows of ``entities/`` (each problem reported)."""
        first_seen: dict[str, str] = {}
        rows: list[Row] = []
        for tab in self.tables("entities", "entities"):
            for row in tab.rows:
                ent_id = row["id"]
                if not _ID.match(ent_id):
                    self.error(row.where, f"id: '{ent_id}' may hold only ASCII letters, "
                               "digits, '-', '_' and '.'")
                elif ent_id in first_seen:
                    self.error(row.where, f"duplicate id '{ent_id}' (first defined at "
                               f"{first_seen[ent_id]})")
                elif row["type"] not in self.cur.types:
                    self.error(row.where, f"type: unknown type '{row['type']}' (known: "
                               f"{', '.join(sorted(self.cur.types))})")
                elif not row["label"]:
                    self.error(row.where, "label: empty")
                else:
                    for xref in split_list(row["xrefs"]):
                        self._check_curie(row, "xrefs", xref)
                    if row["xrefs"]:
                        self.warn(row.where, "xrefs: an unverified cross-reference; move it "
                                  "to xrefs/ with the file it was checked against (the "
                                  "column goes in 0.3)")
                    first_seen[ent_id] = row.where
                    rows.append(row)
        return rows

    def _synonym_rows(self, known: set[str]
                      ) -> tuple[dict[str, list[str]], list[tuple[Row, str]]]:
        """Synonyms per entity id, and the rows they came from."""
        synonyms: dict[str, list[str]] = {}
        syn_rows: list[tuple[Row, str]] = []
        for tab in self.tables("synonyms", "synonyms"):
            for row in tab.rows:
                ent_id, syn = row["entity"], row["synonym"]
                if ent_id not in known:
                    self.error(row.where, f"entity: unknown entity id '{ent_id}'")
                elif not syn:
                    self.error(row.where, "synonym: empty")
                elif syn in synonyms.get(ent_id, []):
                    self.warn(row.where, f"synonym '{syn}' of '{ent_id}' listed twice")
                else:
                    synonyms.setdefault(ent_id, []).append(syn)
                    syn_rows.append((row, ent_id))
        return synonyms, syn_rows

    def _xref_rows(self, known: set[str]) -> dict[str, list[tuple[str, str]]]:
        """Verified xrefs per entity id as (CURIE, match); each row kept as a record too."""
        xrefs: dict[str, list[tuple[str, str]]] = {}
        for tab in self.tables("xrefs", "xrefs"):
            for row in tab.rows:
                ent_id, xref, match = row["entity"], row["xref"], row["match"] or "exact"
                if ent_id not in known:
                    self.error(row.where, f"entity: unknown entity id '{ent_id}'")
                elif not self._check_curie(row, "xref", xref):
                    pass
                elif not (row["verified_by"] or (row["source"] and row["version"]
                                                 and row["source_label"])):
                    self.error(row.where, "source, version, source_label: empty (say which "
                               "file of the authority the identifier was checked against, its "
                               "version and the label it gives)")
                elif match not in XREF_MATCHES:
                    self.error(row.where, f"match: '{row['match']}' is not one of "
                               f"{', '.join(XREF_MATCHES)}")
                elif any(xref == x for x, _ in xrefs.get(ent_id, [])):
                    self.warn(row.where, f"xref '{xref}' of '{ent_id}' listed twice")
                else:
                    xrefs.setdefault(ent_id, []).append((xref, match))
                    self.cur.xref_records.append(XrefRecord(
                        entity=ent_id, xref=xref, match=match,
                        source_label=row["source_label"], source=row["source"],
                        version=row["version"], note=row["note"],
                        location=Location(row.path, row.line)))
        return xrefs

    def _check_labels(self, rows: list[Row]) -> None:
        """Two entities whose labels fold alike are almost surely one entity curated twice."""
        by_label: dict[str, str] = {}
        for row in rows:
            key = fold(row["label"])
            if key in by_label and by_label[key] != row["id"]:
                other = by_label[key]
                self.error(row.where, f"label '{row['label']}' is the label of '{other}' too "
                           f"({self.cur.entities[other].location}); merge the two entities")
            by_label.setdefault(key, row["id"])

    def _check_synonyms(self, syn_rows: list[tuple[Row, str]]) -> None:
        """A synonym may not be another entity's id or label; each is indexed."""
        for row, ent_id in syn_rows:
            clash = {e for e in self.names.candidates(row["synonym"]) if e != ent_id}
            labels = {e for e in clash if fold(self.cur.entities[e].label) == fold(row["synonym"])
                      or e == row["synonym"]}
            if labels:
                self.error(row.where, f"synonym '{row['synonym']}' of '{ent_id}' is the id or "
                           f"label of '{sorted(labels)[0]}'")
            self.names.add(row["synonym"], ent_id)

    def _check_parents(self) -> None:
        """Each parent exists, is not the entity, and its type pair has a parent predicate."""
        for ent in self.cur.entities.values():
            for parent in ent.parents:
                if parent not in self.cur.entities:
                    self.error(str(ent.location), f"parents: unknown entity id '{parent}'")
                elif parent == ent.id:
                    self.error(str(ent.location), "parents: an entity cannot be its own parent")
                else:
                    ptype = self.cur.entities[parent].type
                    if schema.parent_rule(self.cur, ent.type, ptype) is None:
                        self.error(str(ent.location), f"parents: '{parent}' is a {ptype}, and "
                                   f"schema/parents.tsv says nothing of a {ent.type} under a "
                                   f"{ptype} (add a row naming the predicate)")

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
                    self.error(str(self.cur.entities[node].location),
                               f"parents: cycle {' -> '.join(cycle)}")
                elif parent not in state:
                    visit(parent, [*trail, parent])
            state[node] = 2

        for ent_id in sorted(self.cur.entities):
            if ent_id not in state:
                visit(ent_id, [ent_id])

    def load_ambiguous(self) -> None:
        """Terms that may mean several entities (``ambiguous.tsv``)."""
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
        """Entities that no standard identifier fits, with why (``unmapped.tsv``)."""
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
