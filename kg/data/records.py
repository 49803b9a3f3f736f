"""Loading stages for the records read in the reviews: references, claims, trials, attributes."""

from __future__ import annotations

import re
from typing import Any

from kg.data import schema
from kg.data.loading import (
    _CITATION,
    _CLAIM_ID,
    _KEY,
    _NCT,
    _STEP,
    ATTRIBUTE_NAMES,
    BASES,
    LoaderBase,
    display_path,
)
from kg.data.model import (
    AGENTS,
    DISEASE_VERBS,
    EVIDENCE,
    OPERATORS,
    PROCESS_VERBS,
    Attribute,
    Claim,
    Effect,
    Location,
    Reference,
    Review,
    Step,
    Trial,
)
from kg.data.names import fold
from kg.data.tsv import Row, split_list

__all__ = ["ClaimStages", "RecordStages", "ReferenceStages", "TrialStages"]


class ReferenceStages(LoaderBase):
    """Reads ``reviews.tsv`` and ``references/``."""

    def load_reviews(self) -> None:
        """The source reviews (``reviews.tsv``)."""
        file = self.root / "reviews.tsv"
        if not file.is_file():
            self.error(display_path(file), "missing file")
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

    def load_references(self) -> None:
        """Each review's reference list (``references/<review>.tsv``)."""
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
                    self.cur.references[key] = old._replace(cited_as=cited)
                else:
                    printed: dict[str, Any] = {
                        c: row[c] for c in ("key", "authors", "year", "title", "journal",
                                            "volume", "issue", "pages", "doi", "pmid", "note")}
                    self.cur.references[key] = Reference(**printed, cited_as=cited)


class ClaimStages(LoaderBase):
    """Reads ``claims/`` and checks that one study gives one relation one sign."""

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
        """The mechanism claims (``claims/``)."""
        first_seen: dict[str, str] = {}
        types = {column: schema.types_for(self.cur, column)
                 for column in ("source", "cargo", "processes", "diseases")}
        for tab in self.tables("claims", "claims"):
            for row in tab.rows:
                self._claim(row, first_seen, types)

    def _claim(self, row: Row, first_seen: dict[str, str],
               column_types: dict[str, frozenset[str]]) -> None:
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
        source = self.resolve(row, "source", row["source"],
                              column_types["source"]) if row["source"] else None
        if not row["source"]:
            self.error(row.where, "source: empty (write MSC when the review does not say)")
        cargo = ""
        if row["cargo"]:
            types = column_types["cargo"]
            cargo = self.resolve(row, "cargo", row["cargo"], types, "a cargo ("
                                 f"{schema.describe_types(self.cur, types)})") or ""
        mechanism = self._mechanism(row, cargo or source)
        processes = self._effects(row, "processes", PROCESS_VERBS, column_types["processes"])
        diseases = self._effects(row, "diseases", DISEASE_VERBS, column_types["diseases"])
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


class TrialStages(LoaderBase):
    """Reads ``trials/`` and ``attributes/``."""

    def load_trials(self) -> None:
        """The clinical trial reports (``trials/``)."""
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
                source = self.resolve(row, "source", row["source"],
                                      schema.types_for(self.cur, "source"))
                diseases = [self.resolve(row, "diseases", d, schema.types_for(self.cur, "diseases"))
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
        """Facts about single entities (``attributes/``)."""
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


class RecordStages(ReferenceStages, ClaimStages, TrialStages):
    """Every stage of the records read in the reviews."""
