"""Plain-data summaries of a curation: counts (``stats``) and entity cards (``card``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from kg.data.model import Claim, Curation
from kg.graph.edges import edges

__all__ = ["card", "citation_text", "claim_card", "claim_roles", "claim_summary", "stats"]


def stats(cur: Curation) -> dict[str, Any]:
    """Counts of everything curated, as plain data.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> s = stats(load())
    >>> s["entities"]["source"] > 0
    True
    """
    all_edges = edges(cur)
    cited = {cur.citations[c] for claim in cur.claims.values() for c in claim.refs}
    return {
        "entities": dict(sorted(Counter(e.type for e in cur.entities.values()).items())),
        "entity_total": len(cur.entities),
        "synonyms": sum(len(e.synonyms) for e in cur.entities.values()),
        "claims": len(cur.claims),
        "claims_by_review": dict(sorted(Counter(c.review for c in cur.claims.values()).items())),
        "claims_by_agent": dict(sorted(Counter(c.agent for c in cur.claims.values()).items())),
        "references": len(cur.references),
        "references_cited_by_claims": len(cited),
        "reviews": len(cur.reviews),
        "trials": len({t.node_id for t in cur.trials.values()}),
        "trial_reports": len(cur.trials),
        "attributes": len(cur.attributes),
        "edges": len(all_edges),
        "edges_by_predicate": dict(sorted(Counter(e.predicate for e in all_edges).items())),
    }


def citation_text(cur: Curation, citation: str) -> str:
    """``Zhang 2021, Aging (Albany NY) [wei2024:40]`` for a ``REVIEW:NUMBER`` citation."""
    ref = cur.reference(citation)
    journal = f", {ref.journal}" if ref.journal else ""
    return f"{ref.short()}{journal} [{citation}]"


def claim_roles(claim: Claim, entity_id: str) -> list[str]:
    """The roles an entity plays in a claim (source, cargo, target, process, disease)."""
    roles = []
    if claim.source == entity_id:
        roles.append("source")
    if claim.cargo == entity_id:
        roles.append("cargo")
    if any(entity_id in s.entities for s in claim.mechanism):
        roles.append("mechanism")
    if any(e.entity == entity_id for e in claim.processes):
        roles.append("process")
    if any(e.entity == entity_id for e in claim.diseases):
        roles.append("disease")
    return roles


def claim_summary(cur: Curation, claim: Claim) -> str:
    """One line describing a claim with labels: ``BM-MSC > miR-1 -| PTEN; promotes ...``."""
    head = cur.label(claim.source)
    if claim.cargo:
        head += f" > {cur.label(claim.cargo)}"
    parts = [head]
    # labels of this claim's own entities only: a map of every entity per call made each
    # card O(claims x entities) on large graphs
    mech = claim.mechanism_text({e: cur.label(e) for s in claim.mechanism for e in s.entities})
    if mech:
        parts[0] += f" {mech}"
    effects = [f"{e.verb} {cur.label(e.entity)}" for e in (*claim.processes, *claim.diseases)]
    if effects:
        parts.append("; ".join(effects))
    return " : ".join(parts)


def _card_claims(cur: Curation, entity_id: str, narrower: set[str]) -> list[dict[str, Any]]:
    """The claims naming ``entity_id`` (or, marked with ``via``, one of ``narrower``)."""
    claims = []
    for claim in sorted(cur.claims.values(), key=lambda c: c.id):
        roles = claim_roles(claim, entity_id)
        via = ""
        if not roles:
            for other in sorted(narrower):
                roles = claim_roles(claim, other)
                if roles:
                    via = other
                    break
        if not roles:
            continue
        claims.append({
            "id": claim.id,
            "roles": roles,
            "via": via,
            "via_label": cur.label(via) if via else "",
            "agent": claim.agent,
            "summary": claim_summary(cur, claim),
            "evidence": list(claim.evidence),
            "citations": [citation_text(cur, c) for c in claim.refs],
            "review": claim.review,
            "where": claim.where,
            "basis": list(claim.basis),
            "flag": claim.flag,
            "note": claim.note,
        })
    return claims


def card(cur: Curation, entity: str, *, descendants: bool = False) -> dict[str, Any]:
    """Everything known about one entity (a name, synonym or id), as plain data.

    With ``descendants`` the claims and trials of narrower entities come too (``show
    osteoarthritis`` then lists knee osteoarthritis's claims); each such claim names the
    narrower entity in ``via`` (empty for the entity's own claims).

    Raises
    ------
    UnknownEntityError, AmbiguousNameError
        When the name resolves to no entity, or to several.
    """
    from kg.data.curation import entity_id as resolve_id
    from kg.data.hierarchy import descendants as below

    entity_id = resolve_id(cur, entity)
    ent = cur.entities[entity_id]
    narrower = below(cur, entity_id) if descendants else set()
    children = sorted(e.id for e in cur.entities.values() if entity_id in e.parents)
    covered = {entity_id} | narrower
    trials = sorted({t.node_id for t in cur.trials.values()
                     if t.source in covered or covered & set(t.diseases)})
    attributes = [{"attribute": a.attribute, "value": a.value, "review": a.review,
                   "where": a.where} for a in cur.attributes if a.entity == entity_id]
    return {
        "id": ent.id,
        "type": ent.type,
        "label": ent.label,
        "synonyms": list(ent.synonyms),
        "parents": [{"id": p, "label": cur.label(p)} for p in ent.parents],
        "children": [{"id": c, "label": cur.label(c)} for c in children],
        "xrefs": list(ent.xrefs),
        "mappings": [{"curie": x, "match": m} for m, x in ent.mappings],
        "note": ent.note,
        "defined_at": str(ent.location) if ent.location else "",
        "claims": _card_claims(cur, entity_id, narrower),
        "trials": trials,
        "attributes": attributes,
    }


def claim_card(cur: Curation, claim_id: str) -> dict[str, Any]:
    """One claim as ``exokg show CLAIM`` gives it.

    Its chain in words, where it was read, the cited studies with their DOI and PMID (and the
    pages these were read on), and what the cited study's abstract says of it
    (``checks.tsv``), or ``None`` when it was not checked.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> c = claim_card(load(), "wei2024-s4.1-01")
    >>> c["kind"], c["source"], c["review"]
    ('claim', 'BM-MSC', 'wei2024')
    """
    claim = cur.claims[claim_id]
    studies = []
    for cite in claim.refs:
        ref = cur.reference(cite)
        studies.append({"citation": cite, "text": citation_text(cur, cite), "title": ref.title,
                        "doi": ref.any_doi, "pmid": ref.any_pmid,
                        "printed": bool(ref.doi or ref.pmid),
                        "identified_at": list(ref.found_at), "not_identified": ref.found_note
                        if not (ref.any_doi or ref.any_pmid) else ""})
    check = cur.checks.get(claim_id)
    return {"kind": "claim", "id": claim.id, "summary": claim_summary(cur, claim),
            "agent": claim.agent, "source": claim.source, "cargo": claim.cargo,
            "entities": claim.entities(), "evidence": list(claim.evidence),
            "model": claim.model, "dose": claim.dose,
            "citations": [citation_text(cur, r) for r in claim.refs],
            "review": claim.review, "where": claim.where, "basis": list(claim.basis),
            "flag": claim.flag, "note": claim.note, "studies": studies,
            "check": check._asdict() if check else None}
