"""The index of a curation: every value derived from its records, computed once, typed.

Each :class:`~kg.data.model.Curation` carries one :class:`Index` (``cur.index``). It holds the
values that are worked out from the records and asked for again and again: the edges, the
adjacency of the path search, the study keys and diseases of every claim, the name index,
the search names, the rankings. Each value is computed the first time it is asked for, and
again only after the records it is computed from change (:meth:`Curation.fingerprint`
watches every tracked table: claims, trials, entities, the schema rows, references,
citations and the edges of ``extra/``).

A value is named by a typed key, not a string. The layer that computes a value declares
its key next to the code that computes it, as a module constant::

    _EDGES: Derived[list[Edge]] = Derived("edges", _edges)      # kg/graph/edges.py

    def edges(cur: Curation) -> list[Edge]:
        return _EDGES(cur)                                       # typed: list[Edge]

and values that depend on arguments (a ranking for its entity type, level, seed...) use a
:class:`DerivedFor` keyed by a frozen dataclass of those arguments. Why keys and not one
class with an attribute per value: the index lives in ``kg.data``, the lowest layer, and
most values are of types of the layers above it (``Edge`` in ``kg.graph``, ``RankResult``
in ``kg.query``), which ``kg.data`` may not import (the layers contract of
``pyproject.toml``). A key carries its value's type to mypy, so ``_EDGES(cur)`` is a
``list[Edge]`` without a cast at the call site, and the index itself stays ignorant of
what the values are.

A disk cache (:mod:`kg.io.cache`) attaches a :class:`Shelf` to the index of a curation it
loaded: values whose key says ``on_disk`` are then read from the cache entry instead of
computed (a single value from the pickled curation, a value with arguments from a file of
its own) and a value with arguments, once computed, is written there, as long as the
records are those the entry was made of.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from kg.data.model import Curation

__all__ = ["Derived", "DerivedFor", "Index", "Shelf"]

_T = TypeVar("_T")
_A = TypeVar("_A", bound=Hashable)


class Derived(Generic[_T]):
    """The key of one value computed from a curation by ``make(cur)``.

    ``name`` identifies the value in a disk cache and in messages; ``on_disk`` asks a
    cache that keeps the curation to keep this value with it (the edges, which every
    query starts from).

    Examples
    --------
    >>> from kg.data.model import Curation
    >>> size = Derived("size", lambda cur: len(cur.entities))
    >>> cur = Curation(root="toy")
    >>> size(cur)
    0
    """

    __slots__ = ("make", "name", "on_disk")

    def __init__(self, name: str, make: Callable[[Curation], _T], *,
                 on_disk: bool = False) -> None:
        self.name = name
        self.make = make
        self.on_disk = on_disk

    def __call__(self, cur: Curation) -> _T:
        """The value for ``cur``: from its index, else computed now."""
        return cur.index.value(cur, self)

    def __repr__(self) -> str:
        return f"Derived({self.name!r})"


class DerivedFor(Generic[_A, _T]):
    """The key of values computed from a curation and arguments by ``make(cur, args)``.

    ``args`` is hashable, in practice a frozen dataclass; each distinct one has a slot of
    its own. With ``on_disk``, a cache that keeps the curation keeps each such value in a
    file of its own, named by ``name`` and ``repr(args)`` (so a frozen dataclass's repr
    must say everything that tells two arguments apart).
    """

    __slots__ = ("make", "name", "on_disk")

    def __init__(self, name: str, make: Callable[[Curation, _A], _T], *,
                 on_disk: bool = False) -> None:
        self.name = name
        self.make = make
        self.on_disk = on_disk

    def __call__(self, cur: Curation, args: _A) -> _T:
        """The value for ``cur`` and ``args``: from its index, else computed now."""
        return cur.index.value_for(cur, self, args)

    def file_name(self, args: _A) -> str:
        """How a disk cache names the value of ``args``."""
        return f"{self.name}:{args!r}"

    def __repr__(self) -> str:
        return f"DerivedFor({self.name!r})"


class Shelf(Protocol):
    """The values a disk cache keeps for one curation, as loaded (see :mod:`kg.io.cache`)."""

    #: :meth:`Curation.fingerprint` of the records as loaded: the shelf holds their values
    stamp: int
    #: values of the :class:`Derived` keys with ``on_disk``, by name, pickled with the curation
    kept: dict[str, Any]

    def read(self, name: str) -> Any:
        """The value kept under ``name`` (:meth:`DerivedFor.file_name`); KeyError if none."""

    def write(self, name: str, value: Any) -> None:
        """Keep ``value`` under ``name``."""


class Index:
    """Every derived value of one curation, each valid for one :meth:`Curation.fingerprint`.

    Made empty with its curation (and with every copy of it: :func:`dataclasses.replace`,
    :func:`copy.copy`, a pickle round trip), filled as values are asked for through their
    keys (:class:`Derived`, :class:`DerivedFor`), emptied whole when the records change.

    Examples
    --------
    >>> from kg.data.model import Curation, Entity
    >>> calls = []
    >>> size = Derived("size", lambda cur: calls.append(1) or len(cur.entities))
    >>> cur = Curation(root="toy")
    >>> size(cur), size(cur), len(calls)
    (0, 0, 1)
    >>> cur.entities["a"] = Entity("a", "source", "a")
    >>> size(cur), len(calls)
    (1, 2)
    """

    __slots__ = ("_stamp", "_values", "shelf")

    def __init__(self) -> None:
        self._stamp: int | None = None
        self._values: dict[Hashable, Any] = {}
        #: where a disk cache keeps values of this curation (None: computed every process)
        self.shelf: Shelf | None = None

    def __reduce__(self) -> tuple[type[Index], tuple[()]]:
        return (Index, ())  # pickled empty: the cache keeps the values it wants itself

    def _current(self, cur: Curation) -> dict[Hashable, Any]:
        """The slots, emptied first when the records changed since they were filled."""
        stamp = cur.fingerprint()
        if stamp != self._stamp:
            self._values.clear()
            self._stamp = stamp
        return self._values

    def _shelf(self) -> Shelf | None:
        """The shelf, when it holds values of the records as they are now."""
        shelf = self.shelf
        return shelf if shelf is not None and shelf.stamp == self._stamp else None

    def value(self, cur: Curation, key: Derived[_T]) -> _T:
        """The value of ``key`` for ``cur`` (which this index belongs to)."""
        slots = self._current(cur)
        if key in slots:
            return cast(_T, slots[key])
        shelf = self._shelf() if key.on_disk else None
        if shelf is not None and key.name in shelf.kept:
            value = cast(_T, shelf.kept[key.name])
        else:
            value = key.make(cur)
        slots[key] = value
        return value

    def value_for(self, cur: Curation, key: DerivedFor[_A, _T], args: _A) -> _T:
        """The value of ``key`` with ``args`` for ``cur`` (which this index belongs to)."""
        slots = self._current(cur)
        slot = (key, args)
        if slot in slots:
            return cast(_T, slots[slot])
        shelf = self._shelf() if key.on_disk else None
        name = key.file_name(args)
        try:
            if shelf is None:
                raise KeyError(name)
            value = cast(_T, shelf.read(name))
        except KeyError:
            value = key.make(cur, args)
            if shelf is not None and self._shelf() is shelf:  # records unchanged meanwhile
                shelf.write(name, value)
        slots[slot] = value
        return value

    def kept(self, cur: Curation) -> dict[str, Any]:
        """The values computed so far whose key says ``on_disk``, by name (for a cache)."""
        return {key.name: value for key, value in self._current(cur).items()
                if isinstance(key, Derived) and key.on_disk}
