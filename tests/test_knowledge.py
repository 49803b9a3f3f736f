"""The curated knowledge is connected: conditions, a disease hierarchy, one sign per study's
relation, spellings that resolve, and standard identifiers checked against their sources."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.data.curation import load, name_index, resolve, validate
from kg.data.hierarchy import ancestors, descendants
from kg.data.loading import FLAG_KINDS, FLAG_SUBJECTS
from kg.data.model import Claim, Curation
from kg.data.names import NameIndex, fold, loose
from kg.errors import AmbiguousNameError, UnknownEntityError
from kg.graph.edges import hierarchy_predicate
from kg.query.coverage import NO_CONDITION, xref_coverage
from kg.query.paths import paths

#: Diseases at the top of the hierarchy: every other disease reaches one of them.
TOP_CLASSES = 20
#: Types for which most entities have a standard identifier (the rest are listed with a reason
#: in ``unmapped.tsv``). Hallmarks of ageing, circRNAs and the synthetic inhibitor have no
#: counterpart in the authorities' files; lncRNAs often have none either.
MAPPED_TYPES = ("cell", "chemical", "disease", "mirna", "pathway", "process", "protein",
                "source")


def _same(a: str, b: str) -> bool:
    return fold(a) == fold(b) or loose(a) == loose(b)


def test_every_xref_label_matches_or_is_explained(cur: Curation) -> None:
    for rec in cur.xref_records:
        ent = cur.entities[rec.entity]
        names = [ent.label, ent.id, *ent.synonyms]
        assert rec.source and rec.version, f"{rec.where}: source and version required"
        assert any(_same(rec.source_label, n) for n in names) or rec.note, (
            f"{rec.where}: {rec.xref} is '{rec.source_label}' in {rec.source}, which is not "
            f"a name of {rec.entity}; say why in the note")


def test_every_entity_is_mapped_or_has_a_reason(cur: Curation) -> None:
    for etype, row in xref_coverage(cur).items():
        assert row["unchecked"] == 0, f"{etype}: entities with neither xref nor reason"


@pytest.mark.parametrize("etype", MAPPED_TYPES)
def test_most_entities_of_each_type_have_standard_identifiers(cur: Curation, etype: str
                                                             ) -> None:
    row = xref_coverage(cur)[etype]
    assert row["share"] >= 0.9, row


def test_claims_name_their_condition_or_say_why_not(cur: Curation) -> None:
    for claim in cur.claims.values():
        if not claim.diseases:
            assert NO_CONDITION in claim.note.casefold(), (
                f"{claim.location}: {claim.id} names no condition; name it, or write "
                f"'{NO_CONDITION} REASON' in the note")
    with_condition = sum(bool(c.diseases) for c in cur.claims.values())
    assert with_condition / len(cur.claims) > 0.85


def test_every_disease_reaches_a_small_set_of_top_classes(cur: Curation) -> None:
    diseases = [e for e in cur.entities.values() if e.type == "disease"]
    tops = {e.id for e in diseases if not e.parents}
    assert 5 <= len(tops) <= TOP_CLASSES, sorted(tops)
    for ent in diseases:
        if ent.id not in tops:
            assert ancestors(cur, ent.id) & tops, f"{ent.where}: {ent.id} reaches no top class"


@pytest.mark.parametrize(("disease", "top"), [
    ("Alzheimer's disease", "neurological-disease"),
    ("Parkinson's disease", "neurological-disease"),
    ("ischaemic stroke", "neurological-disease"),
    ("traumatic brain injury", "neurological-disease"),
    ("knee osteoarthritis", "musculoskeletal-system-disease"),
])
def test_class_level_questions_reach_specific_diseases(cur: Curation, disease: str, top: str
                                                      ) -> None:
    assert resolve(cur, disease) in descendants(cur, top)


def test_paths_to_a_disease_class_include_its_members(cur: Curation) -> None:
    res = paths(cur, "MSC", "neurodegenerative disease", asserted_only=True, max_paths=20000)
    ends = {p.nodes[-1] for p in res.paths}
    assert {"Alzheimers-disease", "Parkinsons-disease"} <= ends


def test_sparql_hierarchy_walk_finds_members() -> None:
    query = ("SELECT ?d WHERE { ?d exo:isA+ id:neurological-disease } ORDER BY ?d")
    result = CliRunner().invoke(cli, ["sparql", query, "--format", "tsv"])
    assert result.exit_code == 0, result.output
    assert "id:Alzheimers-disease" in result.output
    assert "id:ischemic-stroke" in result.output


def test_no_study_gives_one_relation_two_signs(cur: Curation) -> None:
    clashes = [w for w in cur.warnings if "different signs" in w.message]
    assert clashes == [], "\n".join(map(str, clashes))


def test_a_sign_clash_is_warned_with_both_claims(mini: Path) -> None:
    claims = mini / "claims" / "toy2024.tsv"
    lines = claims.read_text(encoding="utf-8").splitlines()
    first = lines[1].split("\t")
    clash = [first[0] + "b", *first[1:]]
    clash[5] = clash[5].replace("-| PTEN", "-> PTEN")
    claims.write_text("\n".join([*lines, "\t".join(clash)]) + "\n", encoding="utf-8")
    cur, problems = validate(mini)
    assert problems == []
    messages = [w.message for w in cur.warnings if "different signs" in w.message]
    assert len(messages) == 1
    assert first[0] in messages[0] and first[0] + "b" in messages[0]
    result = CliRunner().invoke(cli, ["--data", str(mini), "check"])
    assert "different signs" in result.output


@pytest.mark.parametrize(("name", "entity"), [
    ("hsa-miR-21-5p", "miR-21-5p"),
    ("microRNA-21-5p", "miR-21-5p"),
    ("mmu-miR-146a-5p", "miR-146a-5p"),
    ("NF-kB signaling", "NF-kB"),
    ("NF-kB signaling pathway", "NF-kB"),
    ("Alzheimers", "Alzheimers-disease"),
    ("alzheimer", "Alzheimers-disease"),
    ("Alzheimer disease", "Alzheimers-disease"),
    ("Parkinsons", "Parkinsons-disease"),
    ("ischemic stroke", "ischemic-stroke"),
    ("ischaemic stroke", "ischemic-stroke"),
    ("p65", "NF-kB"),
    ("RELA", "NF-kB"),
])
def test_spellings_resolve(cur: Curation, name: str, entity: str) -> None:
    assert resolve(cur, name) == entity


def test_true_ambiguities_are_refused_with_their_readings(cur: Curation) -> None:
    with pytest.raises(AmbiguousNameError, match="PI3K-Akt or PI3K-Akt-mTOR"):
        resolve(cur, "PI3K")
    with pytest.raises(AmbiguousNameError, match="AD-MSC"):
        resolve(cur, "AD")


def test_spellings_added_after_a_lookup_still_fold() -> None:
    """The folded and loose levels are filled when first needed, also for later names."""
    index = NameIndex()
    index.add("NF-κB", "NF-kB")
    assert index.resolve("NF-κB") == "NF-kB"
    assert index.resolve("nf kappa b") == "NF-kB"
    index.add("Wnt/β-catenin signalling", "Wnt")
    assert index.resolve("wnt beta catenin") == "Wnt"
    with pytest.raises(UnknownEntityError, match="TGF"):
        index.resolve("TGF-β")


def test_records_are_immutable_named_tuples(cur: Curation) -> None:
    """As docs/python-api.md says: ``_asdict``, ``_replace``, no assignment."""
    claim = cur.claims["wei2024-s4.1-01"]
    assert claim._asdict()["id"] == claim.id and claim._fields[0] == "id"
    changed = claim._replace(note="checked")
    assert changed.note == "checked" and changed.id == claim.id and claim.note != "checked"
    with pytest.raises(AttributeError):
        claim.note = "x"  # type: ignore[misc]
    assert cur.entities["BM-MSC"]._replace(label="x").label == "x"


def test_one_name_index_per_curation(cur: Curation) -> None:
    """Resolving names twice builds the index of every spelling once."""
    resolve(cur, "BMSC")
    first = name_index(cur)
    assert resolve(cur, "bone marrow MSC") == "BM-MSC"
    assert name_index(cur) is first


def test_flags_are_shown_with_claims() -> None:
    result = CliRunner().invoke(cli, ["show", "BM-MSC"])
    assert result.exit_code == 0, result.output
    assert "flag: untraceable" in result.output
    result = CliRunner().invoke(cli, ["paths", "BM-MSC", "osteoarthritis", "--asserted-only",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "untraceable" in result.output


def test_same_source_sentence_names_every_source(cur: Curation) -> None:
    """quan2025: exosomes from bone marrow and adipose tissue degrade amyloid-beta."""
    split = [c for c in cur.claims.values() if c.id.startswith("quan2025-sfunc-03")]
    assert {c.source for c in split} == {"BM-MSC", "AD-MSC"}


def test_unmapped_entities_are_checked(mini: Path) -> None:
    (mini / "unmapped.tsv").write_text("entity\treason\nno-such-entity\tbecause\n",
                                       encoding="utf-8")
    _, problems = validate(mini)
    assert any("unmapped.tsv:2" in str(p) and "unknown entity" in str(p) for p in problems)


def test_xref_rows_must_say_where_they_were_checked(mini: Path) -> None:
    folder = mini / "xrefs"
    folder.mkdir(exist_ok=True)
    (folder / "x.tsv").write_text(
        "entity\txref\tmatch\tsource_label\tsource\tversion\tnote\n"
        "osteoarthritis\tmondo:0005178\texact\tosteoarthritis\t\t\t\n"
        "osteoarthritis\tmondo:0005178\tsimilar\tosteoarthritis\tmondo.json\tv1\t\n",
        encoding="utf-8")
    _, problems = validate(mini)
    text = "\n".join(map(str, problems))
    assert "xrefs/x.tsv:2: source, version, source_label: empty" in text
    assert "xrefs/x.tsv:3: match: 'similar' is not one of" in text


def test_copy_of_the_data_checks_clean(tmp_path: Path) -> None:
    from .conftest import TRIPLES

    shutil.copytree(TRIPLES, tmp_path / "t")
    _, problems = validate(tmp_path / "t")
    assert problems == []


# --- One rule for every row: flags, borrowed signs and citations, speculation, settings ---

_FLAG_ITEM = re.compile(r"^(?P<kind>[a-z][a-z ]*?)(?: \((?P<subject>[a-z]+)\))?: \S")
#: Kinds of flag that speak for the whole statement, so every claim that restates it (same
#: study, same place in the review, same effects) carries them too.
_STATEMENT_KINDS = {"as printed", "borrowed citation", "untraceable"}
#: Kinds of flag saying a claim does not really rest on the study it cites.
_CITATION_KINDS = {"citation mismatch", "untraceable", "borrowed citation"}
#: Wording of a note and the flag kind it calls for (the note vocabulary of triples/README.md).
_NOTE_NEEDS = {
    "inferred": re.compile(r"curator reading|inferred by the curator|"
                           r"as the reviews? states? (it |them )?(elsewhere|for|in )", re.I),
    "borrowed citation": re.compile(r"no citation of its own|sentence (itself )?(is )?uncited|"
                                    r"sentence has no citation", re.I),
}
#: Wording of a note saying the review only proposes the condition (speculation), or
#: recording the review's hedge on it ("hedged (potential)"). A hedge on the mechanism of a
#: reported result is written "hedged mechanism" and keeps its effect.
_SPECULATION = re.compile(r"great potential|may be (a )?promising|proposed only|"
                          r"no disease tested|proposed [\w-]+ potential|"
                          r"\bhedged\b(?! mechanism)|potential therapeutic (tool|strategy|agent)|"
                          r"promising (approach|strategy)", re.I)
#: A printed title that proposes a use rather than reports a result: a question, or a
#: possibility, a potential, a promise, a prospect, a hope.
_PROPOSING_TITLE = re.compile(r"\?\s*$|\bpossib|\bpotential\b|\bpromis|\bprospect|\bhope",
                              re.I)
#: Flag kinds that already warn the reader the cited study does not carry the claim as stated.
_NOT_CARRIED = {"citation mismatch", "untraceable", "borrowed citation", "title disagrees"}


def flag_items(claim: Claim) -> list[tuple[str, str]]:
    """The (kind, subject) of each item of a claim's flag (items are separated by ' | ')."""
    items = []
    for item in (i.strip() for i in claim.flag.split(" | ") if i.strip()):
        match = _FLAG_ITEM.match(item)
        assert match, f"{claim.location}: flag item '{item[:40]}' is not 'kind: text'"
        items.append((match["kind"], match["subject"] or ""))
    return items


def test_every_flag_item_names_a_known_kind(cur: Curation) -> None:
    for claim in cur.claims.values():
        for kind, subject in flag_items(claim):
            assert kind in FLAG_KINDS, f"{claim.location}: flag kind '{kind}' unknown"
            assert not subject or subject in FLAG_SUBJECTS, (
                f"{claim.location}: flag subject '{subject}' unknown")
            if kind == "title disagrees":
                assert subject, f"{claim.location}: say what the title disagrees on"
            if kind == "from title":
                assert "title" in claim.basis, f"{claim.location}: basis lacks 'title'"


@pytest.mark.parametrize("kind", sorted(_NOTE_NEEDS))
def test_a_note_that_says_how_a_detail_was_supplied_has_its_flag(cur: Curation, kind: str
                                                                 ) -> None:
    """A sign borrowed from other studies or a general reading, and a citation borrowed from
    a neighbouring sentence, are flagged on every row that does it, not only on some."""
    for claim in cur.claims.values():
        if _NOTE_NEEDS[kind].search(claim.note):
            assert kind in {k for k, _ in flag_items(claim)}, (
                f"{claim.location}: {claim.id}'s note says so; flag it '{kind}: ...'")


def test_claims_restating_one_statement_share_its_flags(cur: Curation) -> None:
    groups: dict[tuple[object, ...], list[Claim]] = {}
    for claim in cur.claims.values():
        key = (claim.refs, claim.review, claim.where, claim.processes, claim.diseases)
        groups.setdefault(key, []).append(claim)
    for claims in groups.values():
        kinds = {c.id: {k for k, _ in flag_items(c)} & _STATEMENT_KINDS for c in claims}
        assert len({frozenset(k) for k in kinds.values()}) == 1, (
            f"{claims[0].location}: one statement, different flags: {kinds}")


def speculative_effects(cur: Curation) -> list[str]:
    """Claims that state a proposed use as an effect (alleviates or aggravates a condition).

    Two readings of one row: its note records the review's hedge on the condition (or says
    the use is only proposed), or the row rests on nothing but studies whose printed titles
    only propose the use (a question, a possibility, a potential) and states no evidence nor
    flags that the study does not carry it. The second needs no curator's wording: it reads
    the row's own evidence, flags and references.
    """
    found = []
    for claim in cur.claims.values():
        if not [e for e in claim.diseases if e.verb != "modulates"]:
            continue
        if _SPECULATION.search(claim.note):
            found.append(f"{claim.location}: {claim.id}'s note says the use is only proposed")
        elif (not claim.evidence and claim.refs
              and not {k for k, _ in flag_items(claim)} & _NOT_CARRIED
              and all(_PROPOSING_TITLE.search(cur.reference(r).title) for r in claim.refs)):
            found.append(f"{claim.location}: {claim.id} rests only on studies whose titles "
                         "propose the use, with no evidence stated")
    return found


def test_speculation_is_not_an_effect(cur: Curation) -> None:
    """'May be promising', 'great potential', 'can be a potential therapeutic tool': the
    review proposes a use; nothing alleviates. The claim names no condition and its note says
    'no condition: proposed only ...'."""
    assert speculative_effects(cur) == []


#: quan2025-sfunc-04 and quan2025-sbio-04 as they were before the audit: Parkinson's and
#: Alzheimer's disease alleviated where the review only offers the vesicles as a possible
#: tool ("can be a potential therapeutic tool", "potentially modulating ... promise").
_OLD_ROWS = {
    "quan2025-sfunc-04": "quan2025-sfunc-04\texosome\tMSC\t\t\t\tpromotes neuroprotection\t"
    "alleviates Parkinsons-disease\t\t\t\tquan2025:101\tquan2025\tThe function and clinical "
    "significance of MSC-Exo\ttext\t\tproteins or miRNAs delivered to neurons to restore neural "
    "function",
    "quan2025-sbio-04": "quan2025-sbio-04\texosome\tBM-MSC\t\tITGA5\t-? synaptic-vesicle-cycle\t\t"
    "alleviates Alzheimers-disease\t\t\t\tquan2025:68\tquan2025\tThe biological characteristics "
    "of MSC-Exo\ttext\ttitle disagrees (condition): cited title is on angiogenesis in ischaemic "
    "tissue, not Alzheimer disease; kept as the review words it\thedged (potential); FLAG: cited "
    "title is about pro-angiogenic and pro-lymphangiogenic effects in ischaemic tissue (see "
    "sbio-05), not Alzheimer disease; kept the review wording",
}


def test_speculation_check_catches_the_rows_it_was_written_for(tmp_path: Path) -> None:
    """The check is not vacuous: put the two speculative rows back as they were (one caught
    by its note, one, whose note says nothing of the hedge, by its cited title alone) and it
    reports both."""
    from .conftest import TRIPLES

    shutil.copytree(TRIPLES, tmp_path / "t")
    table = tmp_path / "t" / "claims" / "quan2025.tsv"
    lines = table.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        cid = line.split("\t", 1)[0]
        if cid in _OLD_ROWS:
            lines[i] = _OLD_ROWS[cid]
    table.write_text("\n".join(lines), encoding="utf-8")
    found = speculative_effects(load(tmp_path / "t"))
    assert len(found) == 2
    assert "quan2025-sbio-04's note says the use is only proposed" in found[0] + found[1]
    assert "quan2025-sfunc-04 rests only on studies whose titles propose" in found[0] + found[1]


def _conditions(cur: Curation, claim: Claim) -> frozenset[str]:
    return frozenset(e.entity for e in claim.diseases
                     if cur.entities[e.entity].type == "disease")


def test_one_study_one_condition(cur: Curation) -> None:
    """Claims on one study name the same condition (or one above the other), 'no condition'
    included. Two claims may part ways only when one of them does not really rest on the
    study (its citation is borrowed or does not match), or when both flag the condition
    (the review and the cited title disagree, and each side says so)."""
    by_study: dict[str, list[Claim]] = {}
    for claim in cur.claims.values():
        if len(claim.refs) == 1:
            by_study.setdefault(cur.reference(claim.refs[0]).key, []).append(claim)

    def related(a: frozenset[str], b: frozenset[str]) -> bool:
        return a == b or any(x == y or x in ancestors(cur, y) or y in ancestors(cur, x)
                             for x in a for y in b)

    def kinds(claim: Claim) -> set[tuple[str, str]]:
        return set(flag_items(claim))

    def loose_citation(claim: Claim) -> bool:
        return any(k in _CITATION_KINDS for k, _ in kinds(claim))

    def condition_flag(claim: Claim) -> bool:
        return any(k in ("title disagrees", "from title") and s == "condition"
                   for k, s in kinds(claim))

    for claims in by_study.values():
        for a in claims:
            for b in claims:
                if a.id >= b.id or related(_conditions(cur, a), _conditions(cur, b)):
                    continue
                assert (loose_citation(a) or loose_citation(b)
                        or (condition_flag(a) and condition_flag(b))), (
                    f"{a.location}: {a.id} and {b.id} read one study with unrelated "
                    f"conditions {sorted(_conditions(cur, a))} and "
                    f"{sorted(_conditions(cur, b))}")


def test_models_and_procedures_are_not_diseases(cur: Curation) -> None:
    """What a type declares decides: a procedure is a setting, never alleviated; a disease
    model links to the disease it models; no disease sits under either."""
    types = {e.id: e.type for e in cur.entities.values()}
    kinds_in_diseases = {types[e.entity] for c in cur.claims.values() for e in c.diseases}
    assert kinds_in_diseases <= {"disease", "model", "procedure"}, kinds_in_diseases
    for claim in cur.claims.values():
        for eff in claim.diseases:
            if types[eff.entity] == "procedure":
                assert eff.verb == "modulates", (
                    f"{claim.location}: {claim.id} {eff.verb} a procedure ({eff.entity})")
    for ent in cur.entities.values():
        parent_types = {types[p] for p in ent.parents}
        if ent.type == "disease":
            assert not parent_types & {"model", "procedure"}, f"{ent.where}: {ent.id}"
        if ent.type == "model":
            assert parent_types == {"disease"}, f"{ent.where}: {ent.id} models no disease"
    assert hierarchy_predicate("model", "disease", cur) == "model_of"
    for trial in cur.trials.values():
        assert all(types[d] == "disease" for d in trial.diseases), trial.id


def test_a_disease_model_rolls_up_to_its_disease_but_is_not_one(cur: Curation) -> None:
    eae = resolve(cur, "EAE")
    assert cur.entities[eae].type == "model"
    assert eae in descendants(cur, "multiple-sclerosis")
    assert resolve(cur, "colitis") in descendants(cur, "inflammatory-bowel-disease")
