"""Resolving the reviews' many spellings of one entity to its id.

A name is matched against entity ids, labels and synonyms: exactly first, then after
folding (case, Greek letters, spaces, hyphens, underscores, slashes and dots). A name that
folds to more than one entity, or that is listed in ``ambiguous.tsv``, never resolves.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from kg.errors import AmbiguousNameError, UnknownEntityError

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega",
}
_DROP = set(" \t-_–—‐‑/.·'’`")


def fold(name: str) -> str:
    """Fold a name for loose matching.

    Examples
    --------
    >>> fold("NF-κB") == fold("NF-kappa B") == fold("nfkappab")
    True
    >>> fold("miR-146a-5p")
    'mir146a5p'
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    out = []
    for ch in text:
        if ch in _DROP:
            continue
        out.append(_GREEK.get(ch, ch))
    return "".join(out)


class NameIndex:
    """Maps names (ids, labels, synonyms) to entity ids."""

    def __init__(self) -> None:
        self._exact: dict[str, set[str]] = {}
        self._folded: dict[str, set[str]] = {}
        self._ambiguous: dict[str, tuple[str, ...]] = {}
        self._ids: set[str] = set()

    def add(self, name: str, entity_id: str, *, is_id: bool = False) -> None:
        """Register ``name`` as a spelling of ``entity_id``."""
        if is_id:
            self._ids.add(entity_id)
        self._exact.setdefault(name, set()).add(entity_id)
        self._folded.setdefault(fold(name), set()).add(entity_id)

    def mark_ambiguous(self, term: str, meanings: Iterable[str]) -> None:
        """Declare ``term`` ambiguous: it never resolves."""
        self._ambiguous[fold(term)] = tuple(meanings)

    def candidates(self, name: str) -> set[str]:
        """Entity ids a name could mean (exact match first, then folded)."""
        if name in self._ids:
            return {name}
        exact = self._exact.get(name)
        if exact:
            return set(exact)
        return set(self._folded.get(fold(name), set()))

    def resolve(self, name: str) -> str:
        """Resolve ``name`` to one entity id.

        Raises
        ------
        AmbiguousNameError
            When the name is declared ambiguous or matches several entities.
        UnknownEntityError
            When the name matches no entity; the error lists close matches.
        """
        name = name.strip()
        if fold(name) in self._ambiguous and name not in self._ids:
            raise AmbiguousNameError(name, self._ambiguous[fold(name)])
        found = self.candidates(name)
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            raise AmbiguousNameError(name, tuple(sorted(found)))
        raise UnknownEntityError(name, self.close_matches(name))

    def close_matches(self, name: str, n: int = 5) -> tuple[str, ...]:
        """Known names that look like ``name`` (for error messages)."""
        key = fold(name)
        by_fold: dict[str, str] = {}
        for spelled in self._exact:
            by_fold.setdefault(fold(spelled), spelled)
        hits = difflib.get_close_matches(key, list(by_fold), n=n, cutoff=0.6)
        if not hits:
            hits = [k for k in by_fold if key and key in k][:n]
        return tuple(by_fold[h] for h in hits)
