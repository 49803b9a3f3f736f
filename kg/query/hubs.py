"""Hub pathways for one disease or class of diseases.

:func:`hubs` keeps the claims that reach the disease (or a disease below it in the
hierarchy), optionally only those of one agent or evidence kind, and ranks entities on the
flow graph of those claims alone with :func:`kg.query.rank.rank`: the hubs of
neurodegeneration are not the global ones.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kg.data.curation import entity_id
from kg.data.index import DerivedFor
from kg.data.model import Curation
from kg.errors import QueryError
from kg.query.claims import claim_filter
from kg.query.defaults import DEFAULT_PERMUTATIONS
from kg.query.rank import RankArgs, RankResult, rank

__all__ = ["HUB_RANKINGS", "HubArgs", "claims_reaching", "describe", "hubs"]


def claims_reaching(cur: Curation, disease: str | None = None, *, agent: str | None = None,
                    evidence: str | None = None, exact: bool = False) -> Curation:
    """A copy of ``cur`` holding only the claims that reach ``disease`` and pass the filters.

    The copy shares the records but has an index of its own (edges, adjacency), and leaves
    out the edge tables of ``extra/`` (they are not claims about the disease).

    Raises
    ------
    QueryError
        When no claim passes: there is nothing to rank.
    """
    keep = claim_filter(cur, disease=disease, agent=agent, evidence=evidence, exact=exact)
    kept = {k: c for k, c in cur.claims.items() if keep(c)}
    if not kept:
        what = f" reaching {cur.label(entity_id(cur, disease))}" if disease else ""
        raise QueryError(f"no claim{what} with the filters given")
    return replace(cur, claims=kept, extra_edges={}, extra_rdf=[], cache_key="")


def hubs(
    cur: Curation,
    disease: str | None = None,
    *,
    agent: str | None = None,
    evidence: str | None = None,
    exact: bool = False,
    entity_type: str = "pathway",
    level: str = "pathway",
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = 0,
    limit: int | None = None,
) -> RankResult:
    """Rank entities on the flow of the claims that reach one disease (and its subtypes).

    Parameters
    ----------
    cur : Curation
        The curated data.
    disease : str, optional
        A disease or disease class (id, label or synonym); None ranks every claim that
        passes the other filters.
    agent, evidence : str, optional
        Only claims with this agent or evidence kind.
    exact : bool
        Only claims about the disease named, not about narrower ones.
    entity_type, level, permutations, seed, limit
        As for :func:`kg.query.rank.rank`.

    Returns
    -------
    RankResult
        Counts (cargos, diseases, studies, claims) are those of the kept claims.

    Raises
    ------
    UnknownEntityError, AmbiguousNameError, QueryError
        An unknown or ambiguous name, a name that is not a disease, or no claim to rank.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> cur = load()
    >>> top = hubs(cur, "neurodegenerative disease", permutations=0).rows[0]
    >>> top.entity in {r.entity for r in hubs(cur, permutations=0).rows}
    True
    """
    if disease is None and agent is None and evidence is None:
        return rank(cur, entity_type=entity_type, level=level, permutations=permutations,
                    seed=seed, limit=limit)

    res = HUB_RANKINGS(cur, HubArgs(disease, agent, evidence, exact,
                                     RankArgs(entity_type, level, permutations, seed, limit)))
    return replace(res, rows=list(res.rows))


@dataclass(frozen=True)
class HubArgs:
    """The arguments of one filtered :func:`hubs`, which key its result in the index."""

    disease: str | None
    agent: str | None
    evidence: str | None
    exact: bool
    rank: RankArgs


def _hub_ranking(cur: Curation, args: HubArgs) -> RankResult:
    sub = claims_reaching(cur, args.disease, agent=args.agent, evidence=args.evidence,
                          exact=args.exact)
    r = args.rank
    return rank(sub, entity_type=r.entity_type, level=r.level, permutations=r.permutations,
                seed=r.seed, limit=r.limit)


#: The filtered rankings of a curation by their arguments: values of the whole curation
#: (the subgraph each is ranked on has no index of its own that outlives the call), kept
#: by the content-hash cache like the unfiltered ranking.
HUB_RANKINGS: DerivedFor[HubArgs, RankResult] = DerivedFor(
    "hubs", _hub_ranking, on_disk=True)


def describe(cur: Curation, disease: str | None = None, *, agent: str | None = None,
             evidence: str | None = None, exact: bool = False) -> str:
    """One line saying which claims :func:`hubs` ranks on (for the line above a table).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> describe(load(), "osteoarthritis", agent="exosome")  # doctest: +ELLIPSIS
    'ranked on the ... exosome claim(s) reaching osteoarthritis (and narrower diseases)'
    """
    keep = claim_filter(cur, disease=disease, agent=agent, evidence=evidence, exact=exact)
    count = sum(1 for c in cur.claims.values() if keep(c))
    kinds = " ".join(x for x in (evidence.replace("-", " ") if evidence else "", agent or "")
                     if x)
    reach = ""
    if disease is not None:
        label = cur.label(entity_id(cur, disease))
        reach = f" reaching {label}" + ("" if exact else " (and narrower diseases)")
    return f"ranked on the {count} {kinds + ' ' if kinds else ''}claim(s){reach}"
