"""The claims matching any combination of entities, review, agent, evidence and study.

Every entity argument takes an id, a label or a synonym, and includes the entities below it
in the hierarchy unless ``exact=True``: ``disease="osteoarthritis"`` also finds claims
about knee osteoarthritis, ``source="UC-MSC"`` those about Wharton's jelly MSCs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kg.data.curation import entity_id
from kg.data.hierarchy import descendants
from kg.data.loading import VERDICTS
from kg.data.model import AGENTS, EVIDENCE, Claim, Curation
from kg.data.schema import types_for, types_with_role
from kg.errors import QueryError
from kg.query.evidence import NOT_STATED, claim_evidence

__all__ = [
    "CHECKED", "FILTER_COLUMNS", "ClaimRow", "claim_filter", "claim_row", "claims", "filter_types",
]

#: The claim column each filter reads, whose types (``claim_columns`` of ``types.tsv``) it
#: accepts; ``pathway`` and ``disease`` accept the types of that ``role`` (a disease model
#: fills the ``diseases`` column but is no disease), ``target`` any type.
FILTER_COLUMNS = {"source": "source", "cargo": "cargo", "process": "processes"}


def filter_types(cur: Curation, role: str) -> frozenset[str] | None:
    """The entity types a filter accepts, read from the schema (None: any type).

    Examples
    --------
    >>> from kg.data.curation import read_schema
    >>> sorted(filter_types(read_schema(), "process")), filter_types(read_schema(), "target")
    (['hallmark', 'process'], None)
    """
    if role in FILTER_COLUMNS:
        return types_for(cur, FILTER_COLUMNS[role])
    if role in ("pathway", "disease"):
        return types_with_role(cur, role)
    return None


@dataclass(frozen=True)
class ClaimRow:
    """One claim as a reader wants it: names as labels, citations as text, evidence graded."""

    id: str
    source: str
    source_id: str
    agent: str
    cargo: str
    cargo_id: str
    mechanism: str
    effects: tuple[str, ...]
    evidence: tuple[str, ...]
    strength: str
    species: tuple[str, ...]
    model: str
    citations: tuple[str, ...]
    studies: tuple[str, ...]
    review: str
    where: str
    basis: tuple[str, ...]
    flag: str


def claim_row(cur: Curation, claim: Claim, labels: dict[str, str] | None = None) -> ClaimRow:
    """A :class:`ClaimRow` of one claim (``labels``: entity id -> label, to reuse a map).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> row = claim_row(cur, cur.claims["li2025-sAS-02"])
    >>> row.cargo, row.mechanism, row.strength
    ('miR-21a-5p', '-| KLF6 & ERK1/2 signalling', 'in vivo')
    """
    from kg.query.summary import citation_text

    names = labels if labels is not None else {k: e.label for k, e in cur.entities.items()}
    ev = claim_evidence(cur, claim)
    return ClaimRow(
        id=claim.id, source=names.get(claim.source, claim.source), source_id=claim.source,
        agent=claim.agent, cargo=names.get(claim.cargo, claim.cargo) if claim.cargo else "",
        cargo_id=claim.cargo, mechanism=claim.mechanism_text(names),
        effects=tuple(f"{e.verb} {names.get(e.entity, e.entity)}"
                      for e in (*claim.processes, *claim.diseases)),
        evidence=claim.evidence, strength=ev.strength, species=ev.species, model=claim.model,
        citations=tuple(citation_text(cur, c) for c in claim.refs), studies=ev.studies,
        review=claim.review, where=claim.where, basis=claim.basis, flag=claim.flag)


def _entities(cur: Curation, name: str | None, role: str, exact: bool) -> set[str] | None:
    """The ids a filter matches (None: no filter), checked against the role's types."""
    if name is None:
        return None
    ent = entity_id(cur, name)
    allowed = filter_types(cur, role)
    etype = cur.entities[ent].type
    if allowed is not None and etype not in allowed:
        raise QueryError(f"'{name}' is a {etype} ({cur.label(ent)}), not a {role}; "
                         f"--{role} takes a {' or '.join(sorted(allowed))}")
    return {ent} if exact else {ent} | descendants(cur, ent)


def _study(cur: Curation, study: str) -> str:
    """The reference key a study argument names: a key, ``REVIEW:NUMBER``, a PMID or a DOI."""
    if study in cur.references:
        return study
    if study in cur.citations:
        return cur.citations[study]
    wanted = study.strip().casefold().removeprefix("pmid:").removeprefix("https://doi.org/")
    for ref in cur.references.values():
        if wanted and wanted in (ref.any_pmid.casefold(), ref.any_doi.casefold()):
            return ref.key
    raise QueryError(f"unknown study '{study}' (give a reference key, REVIEW:NUMBER, "
                     "a PMID or a DOI)")


#: Values of the ``checked`` filter: a verdict of ``checks.tsv``, any of them, or none.
CHECKED = (*VERDICTS, "any", "unchecked")
_VERDICT_SETS = {**{v: {v} for v in VERDICTS}, "any": set(VERDICTS), "unchecked": {""}}


def _verdict(cur: Curation, claim_id: str) -> str:
    check = cur.checks.get(claim_id)
    return check.verdict if check else ""


def _evidence(evidence: str | None) -> str | None:
    if evidence is None:
        return None
    kind = evidence.replace("-", " ").strip().casefold()
    if kind not in (*EVIDENCE, NOT_STATED):
        raise QueryError(f"evidence must be one of {', '.join((*EVIDENCE, NOT_STATED))}, "
                         f"not '{evidence}'")
    return kind


def claim_filter(
    cur: Curation, *, source: str | None = None, cargo: str | None = None,
    target: str | None = None, pathway: str | None = None, process: str | None = None,
    disease: str | None = None, review: str | None = None, agent: str | None = None,
    evidence: str | None = None, study: str | None = None, exact: bool = False,
    checked: str | None = None,
) -> Callable[[Claim], bool]:
    """A predicate that keeps the claims matching every filter given (see :func:`claims`).

    Names are resolved and checked once, here, so that a bad name fails before any claim
    is read.
    """
    sources = _entities(cur, source, "source", exact)
    cargos = _entities(cur, cargo, "cargo", exact)
    targets = _entities(cur, target, "target", exact)
    pathways = _entities(cur, pathway, "pathway", exact)
    processes = _entities(cur, process, "process", exact)
    diseases = _entities(cur, disease, "disease", exact)
    if review is not None and review not in cur.reviews:
        raise QueryError(f"unknown review '{review}' (known: {', '.join(sorted(cur.reviews))})")
    if agent is not None and agent not in AGENTS:
        raise QueryError(f"agent must be one of {', '.join(AGENTS)}, not '{agent}'")
    kind = _evidence(evidence)
    key = _study(cur, study) if study is not None else None
    if checked is not None and checked not in CHECKED:
        raise QueryError(f"checked must be one of {', '.join(CHECKED)}, not '{checked}'")

    def keep(c: Claim) -> bool:
        chain = {e for s in c.mechanism for e in s.entities}
        return ((sources is None or c.source in sources)
                and (cargos is None or c.cargo in cargos)
                and (targets is None or bool(chain & targets))
                and (pathways is None or bool(chain & pathways))
                and (processes is None or any(e.entity in processes for e in c.processes))
                and (diseases is None or any(e.entity in diseases for e in c.diseases))
                and (review is None or c.review == review)
                and (agent is None or c.agent == agent)
                and (kind is None or (kind in c.evidence if kind != NOT_STATED
                                      else not c.evidence))
                and (key is None or key in cur.study_keys(c))
                and (checked is None or _verdict(cur, c.id) in _VERDICT_SETS[checked]))

    return keep


def claims(
    cur: Curation, *, source: str | None = None, cargo: str | None = None,
    target: str | None = None, pathway: str | None = None, process: str | None = None,
    disease: str | None = None, review: str | None = None, agent: str | None = None,
    evidence: str | None = None, study: str | None = None, exact: bool = False,
    checked: str | None = None,
) -> list[ClaimRow]:
    """The claims matching every filter given, sorted by id.

    Parameters
    ----------
    cur : Curation
        The curated data.
    source, cargo, disease : str, optional
        The MSC source, the cargo, the disease (ids, labels or synonyms).
    target : str, optional
        Any entity of the mechanism chain (a gene, protein, pathway or RNA).
    pathway : str, optional
        A pathway of the mechanism chain (with ``exact=False`` its member genes count).
    process : str, optional
        A process the claim changes, or a hallmark of ageing (its processes count).
    review : str, optional
        A review key (``wei2024``, ``quan2025``, ``li2025``).
    agent : str, optional
        ``exosome`` or ``cells``.
    evidence : str, optional
        ``clinical``, ``in vivo``, ``in vitro`` (or hyphenated), or ``not stated``.
    study : str, optional
        One study: its reference key, ``REVIEW:NUMBER``, PMID or DOI.
    exact : bool
        Match only the entities named, not the narrower ones below them.
    checked : str, optional
        What the cited study's abstract says (``checks.tsv``): ``supports``, ``partly``,
        ``silent``, ``contradicts``, ``any`` (checked at all) or ``unchecked``.

    Returns
    -------
    list of ClaimRow

    Raises
    ------
    UnknownEntityError, AmbiguousNameError
        A name that resolves to no entity, or to several.
    QueryError
        A name of the wrong type, an unknown review, agent, evidence kind or study.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> [r.cargo for r in claims(load(), cargo="miR-21-5p")]
    ['miR-21-5p', 'miR-21-5p']
    """
    keep = claim_filter(cur, source=source, cargo=cargo, target=target, pathway=pathway,
                        process=process, disease=disease, review=review, agent=agent,
                        evidence=evidence, study=study, exact=exact, checked=checked)
    labels = {k: e.label for k, e in cur.entities.items()}
    return [claim_row(cur, c, labels) for c in sorted(cur.claims.values(), key=lambda c: c.id)
            if keep(c)]
