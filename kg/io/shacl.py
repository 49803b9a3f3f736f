"""SHACL validation of the built graph against ``triples/schema/shapes.ttl`` (pyshacl).

The shapes name the entity classes one by one (``exo:TypedEntity``); :func:`shapes_graph`
adds to that list, and to the ``rdfs:subClassOf exo:Entity`` links, every class of
``schema/types.tsv`` that the file does not list yet, so a type added by a row is checked
like the others without an edit of ``shapes.ttl``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KGError

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.data.model import Curation

__all__ = ["Violation", "shapes_graph", "shapes_path", "validate_shapes"]


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node that fails, the shape, and what it requires."""

    focus: str
    shape: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.focus}: {self.shape} shape{where}: {self.message}"


def shapes_path(cur: Curation) -> Path:
    """The shapes file of a curated folder."""
    return Path(cur.root) / "schema" / "shapes.ttl"


def shapes_graph(cur: Curation) -> Graph:
    """The folder's shapes, with every entity class of its schema in ``exo:TypedEntity``."""
    from rdflib import RDFS, BNode, Graph
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    from kg.data.schema import node_types
    from kg.graph.namespace import EXO, Vocabulary

    path = shapes_path(cur)
    try:
        shapes = Graph().parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise KGError(f"shapes file not found: {path}") from exc
    except Exception as exc:  # rdflib raises several kinds for bad Turtle
        raise KGError(f"cannot read shapes file {path}: {exc}") from exc
    # a shape of shapes.ttl, not a term of the exported vocabulary
    head = shapes.value(EXO._NS["TypedEntity"], SH["or"])
    if head is None:
        return shapes
    members = Collection(shapes, head)
    listed = {shapes.value(m, SH["class"]) for m in members}
    vocab = Vocabulary(cur)
    for type_id in node_types(cur):
        cls = vocab.type_class(type_id)
        shapes.add((cls, RDFS.subClassOf, EXO.Entity))
        if cls not in listed:
            member = BNode()
            shapes.add((member, SH["class"], cls))
            members.append(member)
    return shapes


def validate_shapes(cur: Curation, data: Graph) -> list[Violation]:
    """Validate ``data`` (the RDF of ``cur``) against the folder's shapes; every violation."""
    import pyshacl
    from rdflib import RDFS, URIRef
    from rdflib.namespace import SH

    shapes = shapes_graph(cur)
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                    advanced=False, allow_warnings=True)
    out = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        source = report.value(result, SH.sourceShape)
        node_shape = next(iter(shapes.subjects(SH.property, source)), source)
        label = shapes.value(node_shape, RDFS.label) if node_shape is not None else None
        path_term = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        out.append(Violation(
            focus=data.namespace_manager.normalizeUri(focus)
            if isinstance(focus, URIRef) else str(focus),
            shape=str(label or node_shape),
            path=data.namespace_manager.normalizeUri(path_term)
            if isinstance(path_term, URIRef) else "",
            message=str(message or "")))
    return sorted(out, key=lambda v: (v.focus, v.shape, v.path, v.message))
