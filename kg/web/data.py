"""The data behind each page of the explorer, as plain JSON-ready dicts.

Every page of ``exokg serve`` and ``exokg site`` is rendered from one of these dicts, and
the same dict is the page's JSON twin, so the HTML, the API and the tests share one code
path. Each function calls the library's query function (no second implementation of any
query) and only adds what a page needs to link: citation records with their DOI and PubMed
links, registry links for cross-references, labels for ids.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from kg.data.index import Derived
from kg.data.model import Curation
from kg.errors import KGError
from kg.query.defaults import DEFAULT_SORT

if TYPE_CHECKING:
    from kg.query.paths import Hop

__all__ = [
    "DOI", "PUBMED", "REGISTRY", "NotFoundError", "PageError", "PathQuery", "choices", "citation",
    "claim_page", "claims_page", "entity_page", "hallmarks_page", "home_page", "matrix_page",
    "paths_page", "rank_page", "search_index", "search_page", "search_rules", "trials_page",
    "xref_link",
]

#: Where a compact identifier (``HGNC:3819``) is looked up: bioregistry resolves any prefix.
REGISTRY = "https://bioregistry.io/"
DOI = "https://doi.org/"
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"


class PageError(KGError):
    """A page was asked for with parameters that cannot be answered (HTTP 400)."""


class NotFoundError(KGError):
    """A page names something that does not exist (HTTP 404)."""


@dataclass(frozen=True)
class PathQuery:
    """The parameters of a path page (the filters of ``exokg paths``)."""

    source: str
    disease: str
    max_hops: int = 6
    via: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    asserted_only: bool = False
    evidence: str | None = None
    agent: str | None = None
    limit: int = 20
    exact: bool = False
    min_studies: int = 0
    min_evidence: str | None = None
    sort: str = DEFAULT_SORT
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def xref_link(curie: str) -> str:
    """The registry page of a compact identifier.

    Examples
    --------
    >>> xref_link("HGNC:3819")
    'https://bioregistry.io/HGNC:3819'
    """
    return REGISTRY + curie


def citation(cur: Curation, cite: str) -> dict[str, Any]:
    """A ``REVIEW:NUMBER`` citation as a record with its DOI and PubMed links (when known)."""
    from kg.query.summary import citation_text

    try:
        ref = cur.reference(cite)
    except KeyError:
        return {"citation": cite, "text": cite, "title": "", "doi": "", "pmid": "", "url": ""}
    doi, pmid = ref.any_doi, ref.any_pmid
    url = DOI + doi if doi else (PUBMED + pmid + "/" if pmid else "")
    return {"citation": cite, "text": citation_text(cur, cite), "title": ref.title,
            "year": ref.year, "doi": doi, "pmid": pmid, "url": url,
            "doi_url": DOI + doi if doi else "",
            "pubmed_url": PUBMED + pmid + "/" if pmid else "",
            "identified_at": list(ref.found_at)}


def claim_page(cur: Curation, claim_id: str) -> dict[str, Any]:
    """One claim: its chain in words, evidence, citations with links, flag and note."""
    from kg.query.summary import claim_summary

    claim = cur.claims.get(claim_id)
    if claim is None:
        raise NotFoundError(f"no claim '{claim_id}'")
    return {
        "id": claim.id, "summary": claim_summary(cur, claim), "agent": claim.agent,
        "source": _ref(cur, claim.source),
        "cargo": _ref(cur, claim.cargo) if claim.cargo else None,
        "entities": [_ref(cur, e) for e in claim.entities()],
        "evidence": list(claim.evidence), "model": claim.model,
        "citations": [citation(cur, c) for c in claim.refs],
        "review": claim.review, "where": claim.where, "basis": list(claim.basis),
        "flag": claim.flag, "note": claim.note,
        "check": cur.checks[claim.id]._asdict() if claim.id in cur.checks else None,
    }


def _ref(cur: Curation, entity_id: str) -> dict[str, str]:
    ent = cur.entities.get(entity_id)
    return {"id": entity_id, "label": cur.label(entity_id), "type": ent.type if ent else ""}


def entity_page(cur: Curation, name: str) -> dict[str, Any]:
    """An entity's card (:func:`kg.query.summary.card`) with links, neighbours and trials."""
    from kg.query.paths import neighbors
    from kg.query.summary import card

    data = card(cur, name)
    data["xrefs"] = [{"curie": x, "url": xref_link(x)} for x in data["xrefs"]]
    data["mappings"] = [{**m, "url": xref_link(m["curie"])} for m in data["mappings"]]
    for claim in data["claims"]:
        claim["citations"] = [citation(cur, c) for c in cur.claims[claim["id"]].refs]
    data["neighbours"] = [
        {**_ref(cur, n.entity), "direction": n.direction, "predicates": list(n.predicates),
         "claims": list(n.claims)}
        for n in neighbors(cur, data["id"], direction="both")]
    data["trials"] = [_trial(cur, t) for t in cur.trials.values()
                      if t.node_id in set(data["trials"])]
    data["flags"] = {c["id"]: c["flag"] for c in data["claims"] if c["flag"]}
    return data


def _trial(cur: Curation, trial: Any) -> dict[str, Any]:
    return {"id": trial.id, "trial": trial.trial, "agent": trial.agent,
            "source": _ref(cur, trial.source),
            "diseases": [_ref(cur, d) for d in trial.diseases],
            "phase": trial.phase, "status": trial.status, "enrollment": trial.enrollment,
            "route": trial.route, "outcome": trial.outcome,
            "citations": [citation(cur, c) for c in trial.refs],
            "review": trial.review, "where": trial.where}


def search_page(cur: Curation, text: str, limit: int = 20) -> dict[str, Any]:
    """Entities a search text may mean: the resolved entity first, then fuzzy matches.

    A name that resolves (id, label, any synonym, folded or loose spelling) gives its entity
    as ``match``; otherwise ``match`` is empty. ``results`` lists it and then names that look
    alike or contain the text, each with the entity it belongs to.
    """
    from kg.data.curation import name_index
    from kg.errors import AmbiguousNameError, UnknownEntityError

    text = text.strip()
    out: dict[str, Any] = {"q": text, "match": None, "ambiguous": [], "results": []}
    if not text:
        return out
    index = name_index(cur)
    try:
        out["match"] = _ref(cur, index.resolve(text))
    except AmbiguousNameError as exc:
        out["ambiguous"] = [_ref(cur, m) for m in exc.candidates if m in cur.entities]
    except UnknownEntityError:
        pass
    from kg.query.search import search

    seen: dict[str, dict[str, Any]] = {}
    if out["match"]:
        seen[out["match"]["id"]] = {**out["match"], "name": text}
    for ref in out["ambiguous"]:
        seen.setdefault(ref["id"], {**ref, "name": text})
    for hit in search(cur, text, limit=limit):
        seen.setdefault(hit.id, {**_ref(cur, hit.id), "name": hit.matched, "how": hit.how})
    out["results"] = list(seen.values())[:limit]
    return out


def search_index(cur: Curation) -> list[dict[str, Any]]:
    """Every entity with its names, for a search box that runs without a server.

    ``ambiguous`` lists the abbreviations that can mean the entity among others
    (``ambiguous.tsv``: ``AD`` for Alzheimer's disease and for AD-MSC), so that searching
    one lists all its readings, as ``exokg search`` does.
    """
    readings: dict[str, list[str]] = {}
    for term, meanings in sorted(cur.ambiguous.items()):
        for ent_id in meanings:
            readings.setdefault(ent_id, []).append(term)
    return [{"id": e.id, "label": e.label, "type": e.type, "names": [e.id, *e.synonyms],
             "ambiguous": readings.get(e.id, [])}
            for e in sorted(cur.entities.values(), key=lambda e: e.id)]


def search_rules() -> dict[str, Any]:
    """What the static site's search page needs to score names as :mod:`kg.query.search`.

    The folding rules of :func:`kg.data.names.fold_rules` and the lowest fuzzy ratio.
    """
    from kg.data.names import fold_rules
    from kg.query.search import FUZZY_CUTOFF

    return {**fold_rules(), "cutoff": FUZZY_CUTOFF}


#: Hop records of path answers kept for the next answers (a hop is on many of them: the
#: static site's 1,416 answers show 38,012 hops, of which 1,456 differ); the memo
#: starts again when it holds more.
_PAGE_HOPS_MAX = 20_000
_PAGE_HOPS: Derived[dict[Hop, dict[str, Any]]] = Derived("page_hops", lambda cur: {})


def paths_page(cur: Curation, q: PathQuery) -> dict[str, Any]:
    """A path query's answer, as ``exokg paths --format json`` prints it, plus labels.

    A hop's record (:func:`kg.view.text.hop_dict`, with its labels and its claims'
    citations) depends only on the hop: it is made once and shared by the answers showing it.
    """
    from kg.data.curation import entity_id
    from kg.query.paths import paths
    from kg.view.text import hop_dict, path_dict

    src, dst = entity_id(cur, q.source), entity_id(cur, q.disease)
    result = paths(cur, src, dst, max_hops=q.max_hops, via=[entity_id(cur, v) for v in q.via],
                   avoid=[entity_id(cur, a) for a in q.avoid],
                   asserted_only=q.asserted_only, evidence=q.evidence, agent=q.agent,
                   include_subtypes=not q.exact, min_studies=q.min_studies,
                   min_evidence=q.min_evidence, sort=q.sort, keep=q.limit or None)
    shown = result.paths if q.limit == 0 else result.paths[: q.limit]
    made = _PAGE_HOPS(cur)
    if len(made) > _PAGE_HOPS_MAX:
        made.clear()

    def page_hop(hop: Hop) -> dict[str, Any]:
        record = made.get(hop)
        if record is None:
            record = made[hop] = hop_dict(cur, hop)
            record["from_label"], record["to_label"] = cur.label(hop.source), cur.label(
                hop.target)
            claims = sorted({c for e in record["edges"] for c in e["claims"]})
            record["claim_records"] = [
                {"id": c, "flag": cur.claims[c].flag,
                 "citations": [citation(cur, r) for r in cur.claims[c].refs]}
                for c in claims]
        return record

    listed = [path_dict(cur, i, p, page_hop) for i, p in enumerate(shown, start=1)]
    return {
        "source": result.source, "target": result.target,
        "source_label": cur.label(result.source), "target_label": cur.label(result.target),
        "max_hops": result.max_hops, "found": result.found, "shown": len(shown),
        "asserted": result.asserted, "inferred": result.found - result.asserted,
        "capped": result.capped, "timed_out": result.timed_out,
        "query": {"source": q.source, "disease": q.disease, "max_hops": q.max_hops,
                  "via": list(q.via), "avoid": list(q.avoid),
                  "asserted_only": q.asserted_only, "evidence": q.evidence,
                  "agent": q.agent, "limit": q.limit, "exact": q.exact,
                  "min_studies": q.min_studies, "min_evidence": q.min_evidence,
                  "sort": q.sort},
        "paths": listed,
    }


def choices(cur: Curation) -> dict[str, list[dict[str, str]]]:
    """Sources and diseases for the path form's pickers, sorted by label."""
    def of(kind: str) -> list[dict[str, str]]:
        return [_ref(cur, e.id) for e in sorted(cur.entities.values(),
                                                 key=lambda e: e.label.lower())
                if e.type == kind]
    return {"sources": of("source"), "diseases": of("disease")}


def rank_page(cur: Curation, *, entity_type: str = "pathway", level: str = "pathway",
              disease: str | None = None, agent: str | None = None,
              evidence: str | None = None, limit: int = 20) -> dict[str, Any]:
    """Hub ranking (:func:`kg.query.hubs.hubs`), for every claim or those reaching a disease."""
    from kg.query.hubs import describe, hubs
    from kg.view.text import rank_legend

    res = hubs(cur, disease or None, agent=agent, evidence=evidence, entity_type=entity_type,
               level=level, limit=limit or None)
    disease_id = None
    if disease:
        from kg.data.curation import entity_id

        disease_id = entity_id(cur, disease)
    return {
        "entity_type": entity_type, "level": level, "disease": disease_id,
        "disease_label": cur.label(disease_id) if disease_id else "",
        "agent": agent, "evidence": evidence,
        "description": describe(cur, disease or None, agent=agent, evidence=evidence),
        "nodes": res.nodes, "edges": res.edges, "permutations": res.permutations,
        "seed": res.seed, "sample": res.sample,
        "ranked_by": res.ranked_by, "notes": list(res.notes),
        "legend": rank_legend(res).splitlines(),
        "rows": [{"rank": i, "entity": r.entity, "label": r.label, "type": _ref(cur, r.entity)
                  ["type"], "betweenness": r.betweenness, "z": r.z, "pagerank": r.pagerank,
                  "degree": r.degree, "cargos": r.cargos, "diseases": r.diseases,
                  "studies": r.studies, "claims": r.claims}
                 for i, r in enumerate(res.rows, start=1)],
    }


def trials_page(cur: Curation, disease: str | None = None, **filters: Any) -> dict[str, Any]:
    """Trial reports (:func:`kg.query.trials.trials`), with citation links."""
    from kg.query.trials import trials

    rows = []
    for row in trials(cur, disease or None, **filters):
        data = asdict(row)
        record = cur.trials.get(row.id)
        refs = record.refs if record else cur.claims[row.id].refs if row.id in cur.claims else ()
        data["citation_records"] = [citation(cur, c) for c in refs]
        data["node"] = record.node_id if record else ""
        rows.append(data)
    return {"disease": disease, "filters": filters, "rows": rows,
            "claim_ids": sorted(r["id"] for r in rows if r["id"] in cur.claims)}


def claims_page(cur: Curation, **filters: Any) -> dict[str, Any]:
    """Claims matching filters (:func:`kg.query.claims.claims`), with citation links."""
    from kg.query.claims import claims

    rows = []
    for row in claims(cur, **filters):
        data = asdict(row)
        data["citation_records"] = [citation(cur, c) for c in cur.claims[row.id].refs]
        rows.append(data)
    return {"filters": {k: v for k, v in filters.items() if v}, "rows": rows}


def matrix_page(cur: Curation, rows: str = "source", cols: str = "disease", *,
                agent: str | None = None, evidence: str | None = None) -> dict[str, Any]:
    """Source (or cargo) x disease (or hallmark): distinct studies and claims per cell."""
    from kg.query.matrix import matrix

    res = matrix(cur, rows, cols, agent=agent, evidence=evidence)
    return {"rows": [_ref(cur, r) for r in res.rows], "cols": [_ref(cur, c) for c in res.cols],
            "row_kind": res.row_kind, "col_kind": res.col_kind, "agent": agent,
            "evidence": evidence,
            "cells": {f"{c.row}|{c.col}": {"studies": c.studies, "claims": list(c.claims),
                                           "strength": c.strength} for c in res.cells}}


def hallmarks_page(cur: Curation, *, agent: str | None = None, evidence: str | None = None
                   ) -> dict[str, Any]:
    """Claims and studies rolled up by hallmark of ageing (:func:`kg.query.matrix.hallmarks`)."""
    from kg.query.matrix import hallmarks

    return {"agent": agent, "evidence": evidence,
            "rows": [asdict(h) for h in hallmarks(cur, agent=agent, evidence=evidence)]}


def home_page(cur: Curation) -> dict[str, Any]:
    """Counts for the front page (:func:`kg.query.summary.stats`), and the release shown.

    ``release`` is the version and date of the release whose ``data/`` is being served
    (:func:`kg.io.release.release_of`), None for a data folder that is not one.
    """
    from kg.io.release import release_of
    from kg.query.summary import stats

    return {"stats": stats(cur), "choices": choices(cur), "release": release_of(cur.root)}
