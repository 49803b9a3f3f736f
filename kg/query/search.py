"""Finding entities by part of a name: substring and fuzzy matches over ids, labels, synonyms.

Names are compared after folding (case, Greek letters, spaces, hyphens, slashes and dots:
:func:`kg.data.names.fold`), so ``nfkb`` finds NF-κB. Each name of an entity is scored and
the entity keeps its best:

- ``exact`` (1.0): the folded name equals the folded query;
- ``resolved`` (1.0): the query is a looser spelling that the name resolver takes
  (``hsa-miR-21-5p``, ``microRNA-146``, ``Alzheimers``: :func:`kg.data.names.loose`);
- ``ambiguous`` (1.0): the query is an abbreviation listed in ``ambiguous.tsv`` (``AD``),
  and the entity one of its readings;
- ``prefix`` (0.85 to 0.95): the folded name starts with the query;
- ``substring`` (0.7 to 0.8): the query occurs inside the folded name;
- ``fuzzy`` (0.6 x ratio): difflib's similarity ratio is at least 0.7.

The fuzzy ratio is the best of the query against the whole name and against the name's
first ``len(query)`` and ``len(query) + 1`` characters, so a misspelt start of a long name
(``alzhimer``) is found. A prefix that stops inside a word (``miR-21`` in ``miR-210``)
scores 0.05 less than one that ends at a word boundary (``miR-21-5p``). Within a band,
shorter names (closer to the query) score higher; ties go by label.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from kg.data.index import Derived
from kg.data.model import Curation, Entity
from kg.data.names import fold, loose
from kg.errors import QueryError

__all__ = ["FUZZY_CUTOFF", "SearchHit", "search"]

#: Lowest difflib ratio a fuzzy match needs.
FUZZY_CUTOFF = 0.7


@dataclass(frozen=True)
class SearchHit:
    """One entity found: who it is, which of its names matched, how and how well."""

    id: str
    type: str
    label: str
    synonyms: tuple[str, ...]
    matched: str
    how: str
    score: float


def _at_boundary(name: str, size: int) -> bool:
    """True when the first ``size`` folded characters of ``name`` end at a word boundary.

    A boundary is a separator (hyphen, space ...) or a change between letters and digits,
    so ``miR-21`` ends at a boundary in ``miR-21-5p`` and ``miR-21a`` but not in ``miR-210``.

    Examples
    --------
    >>> _at_boundary("miR-21-5p", 5), _at_boundary("miR-21a-3p", 5), _at_boundary("miR-210", 5)
    (True, True, False)
    """
    count = 0
    for i, ch in enumerate(name):
        if count >= size:
            return not ch.isalnum() or ch.isdigit() != name[i - 1].isdigit()
        count += len(fold(ch))
    return True


def _score(query: str, name: str, original: str = "") -> tuple[str, float] | None:
    """How a folded name matches a folded query, and the score (None: no match).

    ``original`` (the name before folding) lets a prefix that ends at a word boundary score
    higher (:func:`_at_boundary`).

    Examples
    --------
    >>> _score("mir21", "mir21")
    ('exact', 1.0)
    >>> _score("mir21", "mir215p", "miR-21-5p"), _score("mir21", "mir210", "miR-210")
    (('prefix', 0.936), ('prefix', 0.892))
    >>> _score("xyz", "mir21") is None
    True
    """
    if not query or not name:
        return None
    if name == query:
        return "exact", 1.0
    closeness = len(query) / len(name)
    if name.startswith(query):
        bonus = 0.0 if not original or _at_boundary(original, len(query)) else -0.05
        return "prefix", round(0.9 + 0.05 * closeness + bonus, 3)
    if query in name:
        return "substring", round(0.7 + 0.1 * closeness, 3)
    ratio = 0.0
    for candidate in {name, name[: len(query)], name[: len(query) + 1]}:
        matcher = difflib.SequenceMatcher(None, query, candidate)
        if matcher.real_quick_ratio() >= FUZZY_CUTOFF and matcher.quick_ratio() >= FUZZY_CUTOFF:
            ratio = max(ratio, matcher.ratio())
    if ratio < FUZZY_CUTOFF:
        return None
    return "fuzzy", round(0.6 * ratio, 3)


def _names(cur: Curation) -> list[tuple[Entity, tuple[tuple[str, str, str], ...]]]:
    """Every entity with its names (label, id, synonyms), folded and loose, computed once."""
    return _SEARCH_NAMES(cur)


_SEARCH_NAMES: Derived[list[tuple[Entity, tuple[tuple[str, str, str], ...]]]] = Derived(
    "search_names", lambda cur: [
        (e, tuple((n, fold(n), loose(n)) for n in dict.fromkeys((e.label, e.id, *e.synonyms))))
        for e in cur.entities.values()])


def search(cur: Curation, text: str, *, entity_type: str | None = None, limit: int | None = 20
           ) -> list[SearchHit]:
    """Entities whose id, label or a synonym contains ``text`` or resembles it, best first.

    Parameters
    ----------
    cur : Curation
        The curated data.
    text : str
        Part of a name, in any case and spelling of Greek letters and hyphens.
    entity_type : str, optional
        Only entities of this type (``mirna``, ``disease`` ...).
    limit : int, optional
        Keep the best ``limit`` hits (None or 0: all).

    Returns
    -------
    list of SearchHit
        Sorted by score (highest first), then label. A looser spelling that the name
        resolver would take (``hsa-miR-21-5p``) scores 1.0 like an exact name; an ambiguous
        abbreviation lists every entity it can mean.

    Raises
    ------
    QueryError
        An unknown type or an empty query.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> [h.id for h in search(load(), "miR-21", entity_type="mirna", limit=3)]
    ['miR-21', 'miR-21-5p', 'miR-21a-3p']
    """
    query = fold(text)
    if not query:
        raise QueryError("give some text to search for")
    if entity_type is not None and entity_type not in cur.types:
        raise QueryError(f"unknown type '{entity_type}' (known: {', '.join(sorted(cur.types))})")
    key = loose(text)
    # per entity its best name: higher score, then an exact fold, then the very text typed
    best: dict[str, tuple[tuple[float, bool, bool], str, str]] = {}
    for ent, names in _names(cur):
        if entity_type is not None and ent.type != entity_type:
            continue
        for name, folded, loosened in names:
            hit = _score(query, folded, name)
            if hit is None and loosened == key:
                hit = ("resolved", 1.0)
            if hit is None:
                continue
            how, score = hit
            rank = (score, how == "exact", name == text)
            if ent.id not in best or rank > best[ent.id][0]:
                best[ent.id] = (rank, how, text if how == "resolved" else name)
    for term, meanings in cur.ambiguous.items():
        if fold(term) == query:  # an abbreviation of several entities: list every reading
            for ent_id in meanings:
                reading = cur.entities.get(ent_id)
                rank = (1.0, False, False)
                if reading is not None and (entity_type in (None, reading.type)) \
                        and (ent_id not in best or best[ent_id][0] < rank):
                    best[ent_id] = (rank, "ambiguous", term)
    hits = [SearchHit(e, cur.entities[e].type, cur.entities[e].label,
                      cur.entities[e].synonyms, name, how, rank[0])
            for e, (rank, how, name) in best.items()]
    hits.sort(key=lambda h: (-h.score, h.label.casefold(), h.id))
    return hits[:limit] if limit else hits
