"""Resolving the reviews' many spellings of one entity to its id.

A name is matched against entity ids, labels and synonyms: exactly first, then after
folding (case, Greek letters, spaces, hyphens, underscores, slashes, dots and apostrophes),
then loosely (:func:`loose`: species prefixes of miRNAs, ``microRNA-``/``miRNA-`` for
``miR-``, British and American spellings, a trailing "disease", "pathway" or "signalling
pathway", a plural or possessive "s"). A name that matches more than one entity at the first
level that finds any, or that is listed in ``ambiguous.tsv``, never resolves: the error
names the readings.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from kg.errors import AmbiguousNameError, UnknownEntityError

__all__ = ["NameIndex", "fold", "fold_rules", "loose"]

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
    return unicodedata.normalize("NFKC", name).casefold().translate(_FOLD_TABLE)


#: What :func:`fold` does to each character after case folding (one C-level pass).
_FOLD_TABLE: dict[int, str | None] = {**{ord(ch): None for ch in _DROP},
                                      **{ord(ch): word for ch, word in _GREEK.items()}}


# British -> American spellings met in the field, applied to folded text.
_SPELLINGS = (("signalling", "signaling"), ("ageing", "aging"), ("ischaem", "ischem"),
              ("tumour", "tumor"), ("oedema", "edema"), ("haem", "hem"), ("oestr", "estr"),
              ("anaem", "anem"), ("leukaem", "leukem"), ("isation", "ization"),
              ("behaviour", "behavior"), ("fibre", "fiber"))
_SPECIES = re.compile(r"^(?:hsa|mmu|rno)(?=mir|let|microrna|mirna)")
_MIRNA = re.compile(r"^(?:microrna|mirna)")
_SUFFIXES = ("signalingpathway", "signalingaxis", "pathway", "signaling", "disease")


def fold_rules() -> dict[str, object]:
    """What :func:`fold` and :func:`loose` do, as data (for a search that runs in a browser).

    ``greek`` maps a letter to its name, ``drop`` lists the characters dropped; ``species``
    and ``mirna`` are the regular expressions of miRNA prefixes (the same in JavaScript),
    ``spellings`` the British and American pairs and ``suffixes`` the endings :func:`loose`
    takes off (the first that matches).

    Examples
    --------
    >>> rules = fold_rules()
    >>> rules["greek"]["κ"], "-" in rules["drop"], rules["suffixes"][-1]
    ('kappa', True, 'disease')
    """
    return {"greek": dict(_GREEK), "drop": "".join(sorted(_DROP)),
            "species": _SPECIES.pattern, "mirna": _MIRNA.pattern,
            "spellings": [list(pair) for pair in _SPELLINGS], "suffixes": list(_SUFFIXES)}


def loose(name: str) -> str:
    """A looser key than :func:`fold`, for spellings that differ only by convention.

    Examples
    --------
    >>> loose("hsa-miR-21-5p") == loose("microRNA-21-5p") == loose("miR-21-5p")
    True
    >>> loose("NF-κB signaling pathway") == loose("NF-κB signalling")
    True
    >>> loose("Alzheimers") == loose("Alzheimer's disease") == loose("alzheimer")
    True
    """
    return _loosen(fold(name))


def _loosen(key: str) -> str:
    """:func:`loose` of a name already folded."""
    key = _MIRNA.sub("mir", _SPECIES.sub("", key))
    for british, american in _SPELLINGS:
        key = key.replace(british, american)
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key[: -len(suffix)]
            break
    if key.endswith("s") and len(key) > 3:
        key = key[:-1]
    return key


class NameIndex:
    """Maps names (ids, labels, synonyms) to entity ids.

    The folded and loose levels are filled when a name first needs them: a name given
    exactly as an id, label or synonym never pays for folding every name of the graph
    (at a million triples, 1.3 s per command).
    """

    def __init__(self) -> None:
        self._exact: dict[str, set[str]] = {}
        self._folded: dict[str, set[str]] = {}
        self._loose: dict[str, set[str]] = {}
        self._ambiguous: dict[str, tuple[str, ...]] = {}
        self._ids: set[str] = set()
        #: spellings added since the folded and loose levels were last filled
        self._pending: list[tuple[str, str]] = []

    def add(self, name: str, entity_id: str, *, is_id: bool = False) -> None:
        """Register ``name`` as a spelling of ``entity_id``."""
        if is_id:
            self._ids.add(entity_id)
        self._exact.setdefault(name, set()).add(entity_id)
        self._pending.append((name, entity_id))

    def _fill(self) -> None:
        """Fold the spellings added since the last call into the folded and loose levels."""
        for name, entity_id in self._pending:
            key = fold(name)
            self._folded.setdefault(key, set()).add(entity_id)
            self._loose.setdefault(_loosen(key), set()).add(entity_id)
        self._pending.clear()

    def mark_ambiguous(self, term: str, meanings: Iterable[str]) -> None:
        """Declare ``term`` ambiguous: it never resolves."""
        self._ambiguous[fold(term)] = tuple(meanings)

    def candidates(self, name: str) -> set[str]:
        """Entity ids a name could mean (exact match first, then folded, then loose)."""
        if name in self._ids:
            return {name}
        exact = self._exact.get(name)
        if exact:
            return set(exact)
        self._fill()
        folded = self._folded.get(fold(name))
        if folded:
            return set(folded)
        return set(self._loose.get(loose(name), set()))

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
