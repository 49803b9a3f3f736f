"""Clinical trials and published clinical studies, as the reviews report them.

Each row is one report of a trial in one review (a trial listed in a table and described
again in the text is two reports, next to each other). A trial with a registry number
(``NCT…``) is ``registered``; a clinical study the review cites without one (its trial
column is ``REVIEW:NUMBER`` in the data) is a ``published study``, listed too so that a
reader looks in one place. A claim with ``clinical`` evidence whose study no trial report
cites is a published clinical study too (its row's id is the claim's, its trial the claim's
citation), so that ``trials`` and ``claims --evidence clinical`` never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.data.curation import entity_id
from kg.data.hierarchy import descendants
from kg.data.model import AGENTS, Claim, Curation, Trial
from kg.errors import QueryError

__all__ = [
    "PUBLISHED", "REGISTERED", "TrialRow", "claim_trial_row", "clinical_claims", "trial_of",
    "trial_row", "trials",
]

REGISTERED = "registered"
PUBLISHED = "published study"


@dataclass(frozen=True)
class TrialRow:
    """One report of a trial: what was given to whom, how far it got, what came out."""

    id: str
    trial: str
    kind: str
    agent: str
    source: str
    source_id: str
    diseases: tuple[str, ...]
    disease_ids: tuple[str, ...]
    phase: str
    enrollment: str
    status: str
    route: str
    design: str
    outcome: str
    citations: tuple[str, ...]
    review: str
    where: str
    note: str


def trial_row(cur: Curation, trial: Trial) -> TrialRow:
    """A :class:`TrialRow` of one curated trial report.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> row = trial_row(cur, cur.trials["wei2024-t3-03"])
    >>> row.kind, row.trial
    ('published study', 'wei2024:179')
    """
    from kg.query.summary import citation_text

    registered = trial.trial.startswith("NCT")
    refs = trial.refs or (() if registered else (trial.trial,))
    return TrialRow(
        id=trial.id, trial=trial.trial, kind=REGISTERED if registered else PUBLISHED,
        agent=trial.agent, source=cur.label(trial.source), source_id=trial.source,
        diseases=tuple(cur.label(d) for d in trial.diseases), disease_ids=trial.diseases,
        phase=trial.phase, enrollment=trial.enrollment, status=trial.status,
        route=trial.route, design=trial.design, outcome=trial.outcome,
        citations=tuple(citation_text(cur, r) for r in refs if r in cur.citations),
        review=trial.review, where=trial.where, note=trial.note)


def _phase_matches(wanted: str, phase: str) -> bool:
    """``1`` matches phases ``1`` and ``1/2``; other values match case-insensitively.

    Examples
    --------
    >>> _phase_matches("2", "1/2"), _phase_matches("1/2", "1/2"), _phase_matches("2", "1")
    (True, True, False)
    """
    want = wanted.strip().casefold().removeprefix("phase").strip()
    have = phase.strip().casefold()
    return want == have or want in have.split("/")


def trials(
    cur: Curation,
    disease: str | None = None,
    *,
    source: str | None = None,
    agent: str | None = None,
    phase: str | None = None,
    status: str | None = None,
    exact: bool = False,
) -> list[TrialRow]:
    """Trial reports, for one disease (and the diseases below it) or all.

    Parameters
    ----------
    cur : Curation
        The curated data.
    disease : str, optional
        A disease (id, label or synonym); with ``exact=False`` narrower diseases count
        (``osteoarthritis`` finds the knee-osteoarthritis trial).
    source : str, optional
        The MSC source (narrower sources count unless ``exact``).
    agent : str, optional
        ``exosome`` or ``cells``.
    phase : str, optional
        ``1``, ``2``, ``1/2`` ...: ``1`` also matches phase 1/2 trials.
    status : str, optional
        ``Completed``, ``Recruiting`` ... (case-insensitive, whole value).
    exact : bool
        Only the disease and source named, not narrower ones.

    Returns
    -------
    list of TrialRow
        Registered trials first, then published studies; within each by trial, then by
        report id (reports of one trial come together).

    Raises
    ------
    UnknownEntityError, AmbiguousNameError
        A name that resolves to no entity, or to several.
    QueryError
        A name of the wrong type, or an unknown agent.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> [r.trial for r in trials(load(), "osteoarthritis")]
    ['NCT05060107', 'quan2025:10', 'quan2025:11', 'quan2025:12']
    """
    wanted = trial_of(cur, disease) if disease is not None else None
    if wanted is not None:
        disease = None
    diseases = _narrower(cur, disease, "disease", exact)
    sources = _narrower(cur, source, "source", exact)
    if agent is not None and agent not in AGENTS:
        raise QueryError(f"agent must be one of {', '.join(AGENTS)}, not '{agent}'")
    rows = []
    for t in cur.trials.values():
        if wanted is not None and wanted not in (t.node_id, t.id, t.trial):
            continue
        if diseases is not None and not diseases & set(t.diseases):
            continue
        if sources is not None and t.source not in sources:
            continue
        if agent is not None and t.agent != agent:
            continue
        if phase is not None and not _phase_matches(phase, t.phase):
            continue
        if status is not None and status.strip().casefold() != t.status.casefold():
            continue
        rows.append(trial_row(cur, t))
    if phase is None and status is None:  # a claim states neither
        for claim in clinical_claims(cur):
            if wanted is not None and wanted not in (claim.id, *claim.refs):
                continue
            if diseases is not None and not diseases & {d.entity for d in claim.diseases}:
                continue
            if sources is not None and claim.source not in sources:
                continue
            if agent is not None and claim.agent != agent:
                continue
            rows.append(claim_trial_row(cur, claim))
    rows.sort(key=lambda r: (r.kind != REGISTERED, r.trial, r.id))
    return rows


def trial_of(cur: Curation, name: str) -> str | None:
    """The trial a name is, when it is one; else None.

    A registry id, a trial node or report id, or the id or citation of a clinical claim
    (:func:`clinical_claims`).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> trial_of(cur, "NCT04388982"), trial_of(cur, "osteoarthritis")
    ('NCT04388982', None)
    """
    if name in cur.trials or any(name in (t.node_id, t.trial) for t in cur.trials.values()):
        return name
    claims = clinical_claims(cur)
    if any(name == c.id or name in c.refs for c in claims):
        return name
    return None


def clinical_claims(cur: Curation) -> list[Claim]:
    """Claims with ``clinical`` evidence whose studies no trial report cites.

    A trial report cites a study through its ``refs`` or, for a published study, its trial
    column (``REVIEW:NUMBER``); a claim citing one of those studies is that report already.
    """
    def keys(refs: Iterable[str]) -> set[str]:
        return {cur.citations[r] for r in refs if r in cur.citations}

    reported = set().union(*(keys((*t.refs, t.trial)) for t in cur.trials.values()))
    return [c for c in cur.claims.values()
            if "clinical" in c.evidence and not keys(c.refs) & reported]


def claim_trial_row(cur: Curation, claim: Claim) -> TrialRow:
    """A clinical claim as a published study's row (what the claim says of it).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> row = claim_trial_row(cur, cur.claims["quan2025-sintro-01"])
    >>> row.kind, row.trial, row.id
    ('published study', 'quan2025:10', 'quan2025-sintro-01')
    """
    from kg.query.summary import citation_text

    return TrialRow(
        id=claim.id, trial=", ".join(claim.refs), kind=PUBLISHED, agent=claim.agent,
        source=cur.label(claim.source), source_id=claim.source,
        diseases=tuple(cur.label(d.entity) for d in claim.diseases),
        disease_ids=tuple(d.entity for d in claim.diseases), phase="", enrollment="",
        status="", route=claim.dose, design=claim.model, outcome=claim.note,
        citations=tuple(citation_text(cur, r) for r in claim.refs if r in cur.citations),
        review=claim.review, where=claim.where, note=f"clinical claim {claim.id}")


def _narrower(cur: Curation, name: str | None, etype: str, exact: bool) -> set[str] | None:
    if name is None:
        return None
    ent = entity_id(cur, name)
    if cur.entities[ent].type != etype:
        raise QueryError(f"'{name}' is a {cur.entities[ent].type} ({cur.label(ent)}), "
                         f"not a {etype}")
    return {ent} if exact else {ent} | descendants(cur, ent)
