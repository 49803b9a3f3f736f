"""Data integrity over every curated file: each problem names its file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.data.curation import validate
from kg.data.model import Curation
from kg.io.lint import lint

from .conftest import TRIPLES


def test_curated_data_has_no_problems() -> None:
    cur, problems = validate(TRIPLES)
    assert not problems, "\n".join(str(p) for p in problems)
    assert cur.claims or cur.entities


def test_files_are_canonical() -> None:
    result = lint(TRIPLES)
    assert not result.problems, "\n".join(str(p) for p in result.problems)
    assert not result.unformatted, (
        "not in canonical form (run 'exokg lint --fix'): " + ", ".join(result.unformatted))


def _claim_files() -> list[Path]:
    return sorted((TRIPLES / "claims").glob("*.tsv"))


# That every claim is cited (each citation resolving), names a known review and says where
# in it it was read, and that every entity has a known type and a label, is what loading
# guarantees: tests/test_bad_input.py breaks each rule on a copy and expects the message.


def test_every_reference_has_a_full_record(cur: Curation) -> None:
    for ref in cur.references.values():
        where = ", ".join(ref.cited_as)
        assert ref.title, f"{where}: no title"
        assert ref.authors or ref.note, f"{where}: no authors and no note saying why"
        assert ref.year.isdigit() and len(ref.year) == 4, f"{where}: year {ref.year!r}"


def test_a_reference_whose_key_year_differs_from_print_says_why(cur: Curation) -> None:
    """A key names the study with its real year; when the printed year differs, the note
    records the slip and its correction (a lost note leaves a silent disagreement)."""
    for ref in cur.references.values():
        match = re.search(r"(\d{4})[a-z]?$", ref.key)
        if match and match.group(1) != ref.year:
            assert ref.note, (f"{', '.join(ref.cited_as)}: key {ref.key} but printed year "
                              f"{ref.year}; say in the note what was printed and what is right")


def test_every_entity_is_used_or_structural(cur: Curation) -> None:
    """An entity no claim, trial, attribute or child refers to is dead weight."""
    used: set[str] = set()
    for claim in cur.claims.values():
        used.update(claim.entities())
    for trial in cur.trials.values():
        used.add(trial.source)
        used.update(trial.diseases)
    used.update(a.entity for a in cur.attributes)
    for ent in cur.entities.values():
        used.update(ent.parents)
    unused = sorted(e.id for e in cur.entities.values()
                    if e.id not in used and e.type != "hallmark")
    assert not unused, f"entities used nowhere: {unused}"


@pytest.mark.parametrize("path", _claim_files(), ids=lambda p: p.name)
def test_claim_ids_follow_their_review(cur: Curation, path: Path) -> None:
    rel = path.name
    mine = [c for c in cur.claims.values() if c.location and c.location.path.endswith(rel)]
    for claim in mine:
        assert claim.id.startswith(claim.review + "-"), f"{claim.location}: {claim.id}"


def test_no_cord_blood_confusion(cur: Curation) -> None:
    """Cord-blood MSCs are not umbilical-cord MSCs: neither is the other's synonym."""
    uc, ucb = cur.entities["UC-MSC"], cur.entities["UCB-MSC"]
    assert not {s.casefold() for s in uc.synonyms} & {s.casefold() for s in ucb.synonyms}
    assert "UCB-MSC" not in uc.parents and "UC-MSC" not in ucb.parents


def test_derived_data_follows_every_kind_of_change() -> None:
    import pickle

    from kg.data.index import Derived
    from kg.data.model import Curation, Entity, Records

    cur = Curation(root="toy")
    assert isinstance(cur.entities, Records)
    calls: list[int] = []

    def count(cur: Curation) -> int:
        calls.append(1)
        return len(cur.entities)

    size = Derived("size", count)
    assert size(cur) == 0 and size(cur) == 0 and len(calls) == 1
    changes = [
        lambda: cur.entities.__setitem__("a", Entity("a", "source", "a")),
        lambda: cur.entities.update(b=Entity("b", "source", "b")),
        lambda: cur.entities.setdefault("c", Entity("c", "source", "c")),
        lambda: cur.entities.pop("c"),
        lambda: cur.entities.__delitem__("b"),
        lambda: cur.entities.__ior__({"d": Entity("d", "source", "d")}),
        lambda: cur.entities.popitem(),
        lambda: cur.entities.clear(),
        lambda: setattr(cur, "entities", {"e": Entity("e", "source", "e")}),
    ]
    for change in changes:
        change()
        assert size(cur) == len(cur.entities)
    assert len(calls) == 1 + len(changes)
    assert isinstance(cur.entities, Records)  # a plain dict assigned became Records
    again = pickle.loads(pickle.dumps(cur))
    assert isinstance(again.entities, Records) and list(again.entities) == ["e"]


def test_derived_data_follows_the_schema_rows_and_citations(mini_cur: Curation) -> None:
    """Edges follow a changed predicate row; study keys follow a changed citation."""
    from dataclasses import replace

    from kg.graph.edges import edges
    from kg.query.evidence import claim_study_keys

    cur = mini_cur
    assert {e.kind for e in edges(cur) if e.predicate == "has_cargo"} == {"cargo"}
    cur.predicates["has_cargo"] = replace(cur.predicates["has_cargo"], kind="causal")
    assert {e.kind for e in edges(cur) if e.predicate == "has_cargo"} == {"causal"}
    claim = next(iter(cur.claims.values()))
    before = claim_study_keys(cur)[claim.id]
    cur.citations[claim.refs[0]] = "another-study"
    assert claim_study_keys(cur)[claim.id] != before
    assert "another-study" in claim_study_keys(cur)[claim.id]


def test_the_name_index_follows_the_ambiguous_names(mini_cur: Curation) -> None:
    """A name declared ambiguous after the name index was built no longer resolves."""
    from kg.data.curation import resolve
    from kg.errors import AmbiguousNameError

    assert resolve(mini_cur, "PTEN") == "PTEN"
    mini_cur.ambiguous["PTEN"] = ("PTEN", "PI3K-Akt")
    with pytest.raises(AmbiguousNameError):
        resolve(mini_cur, "pten")
