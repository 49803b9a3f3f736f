"""Walking the vocabulary's hierarchy (``parents``): ancestors and descendants."""

from __future__ import annotations

from kg.data.index import Derived
from kg.data.model import Curation

__all__ = ["ancestors", "descendants"]


def ancestors(cur: Curation, entity_id: str) -> set[str]:
    """Every entity above ``entity_id`` in the hierarchy.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> "hallmark-chronic-inflammation" in ancestors(load(), "neuroinflammation")
    True
    """
    found: set[str] = set()
    todo = [entity_id]
    while todo:
        ent = cur.entities.get(todo.pop())
        for parent in ent.parents if ent else ():
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


def descendants(cur: Curation, entity_id: str) -> set[str]:
    """Entities below ``entity_id`` in the hierarchy (children, their children ...).

    Examples
    --------
    >>> from kg.data.curation import load
    >>> "WJ-MSC" in descendants(load(), "UC-MSC")
    True
    """
    children = _CHILDREN(cur)
    found: set[str] = set()
    todo = [entity_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    found.discard(entity_id)
    return found


def _children(cur: Curation) -> dict[str, set[str]]:
    """The entities right below each entity."""
    children: dict[str, set[str]] = {}
    for ent in cur.entities.values():
        for parent in ent.parents:
            children.setdefault(parent, set()).add(ent.id)
    return children


#: The entities right below each entity, computed once per curation (not to be changed).
_CHILDREN: Derived[dict[str, set[str]]] = Derived("children", _children)
