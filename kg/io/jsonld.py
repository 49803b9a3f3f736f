"""JSON-LD written straight from the emitter's triples: no rdflib graph, no JSON-LD library.

The document is compacted with the graph's prefixes as its ``@context`` (those of
:data:`kg.graph.rdf.PREFIXES` a reader of the curated graph needs) and ordered throughout:
nodes sorted by ``@id``, keys sorted, every value array sorted (a JSON-LD value array is an
unordered set). It is the document rdflib's JSON-LD serializer gives for the same graph and
context, ordered the same way (:func:`kg.io.files.graph_bytes`), byte for byte for exokg's own
triples; a test checks that, and that rdflib reads back the graph of the Turtle export.

Triples of RDF files in ``extra/`` are read with Oxigraph. Where rdflib would write a few of
their terms differently, this writer keeps them as they are: an ``rdf:first``/``rdf:rest``
chain stays a chain of nodes (not an ``@list``), a typed literal other than a canonical
``xsd:boolean`` or ``xsd:integer`` keeps its lexical form and datatype (rdflib turns an
``xsd:double`` into a JSON number), and a literal ``rdf:type`` stays under its property.
"""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.data.model import Curation
from kg.errors import ExportError, KGError

if TYPE_CHECKING:
    from kg.graph.rdf import EdgeStatement

__all__ = ["CONTEXT_PREFIXES", "Term", "jsonld_bytes"]

#: The prefixes of the ``@context``: the graph's own, less those it writes few terms of.
CONTEXT_PREFIXES = ("exo", "id", "claim", "ref", "trial", "report", "edge", "attr", "skos",
                    "dcterms", "prov", "rdfs", "biolink")

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_TYPE, _RDF_NIL = _RDF + "type", _RDF + "nil"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_BOOLEAN, _INTEGER, _STRING = _XSD + "boolean", _XSD + "integer", _XSD + "string"
_CANONICAL_INTEGER = re.compile(r"0|-?[1-9][0-9]*").fullmatch

#: An object: ``("i", iri)``, ``("b", "_:id")``, ``("l", text)`` (a plain literal),
#: ``("t", text, datatype)`` or ``("g", text, language)``.
Term = tuple[str, ...]


class _Nodes:
    """The triples gathered by subject, then predicate; each triple once (a :class:`Sink`).

    An edge's statement is kept whole (:meth:`statement`), its node written in one go; it
    becomes triples again if anything else is said of its node (an ``extra/`` RDF file).
    """

    def __init__(self) -> None:
        self.subjects: dict[str, dict[str, dict[Term, None]]] = {}
        self.statements: dict[str, EdgeStatement] = {}

    def statement(self, edge: EdgeStatement) -> None:
        if edge.node in self.subjects or edge.node in self.statements:
            self._spread(edge)
        else:
            self.statements[edge.node] = edge

    def _spread(self, edge: EdgeStatement) -> None:
        """Add an edge statement as its triples."""
        for prop, kind, value, datatype in edge.triples():
            if kind == "typed":
                self.typed(edge.node, prop, value, datatype)
            else:
                self.add(edge.node, prop, ("i" if kind == "iri" else "l", value))

    def _said_of(self, s: str) -> None:
        """Something else is said of ``s``: its kept statement, if any, becomes triples."""
        edge = self.statements.pop(s, None)
        if edge is not None:
            self._spread(edge)

    def _subject(self, s: str) -> dict[str, dict[Term, None]]:
        """The properties of a subject not yet gathered (its kept statement spread first)."""
        if s in self.statements:
            self._said_of(s)
        return self.subjects.setdefault(s, {})

    def add(self, s: str, p: str, o: Term) -> None:
        props = self.subjects.get(s) or self._subject(s)
        values = props.get(p)
        if values is None:
            values = props[p] = {}
        values[o] = None

    def iri(self, s: str, p: str, o: str, /) -> None:
        props = self.subjects.get(s) or self._subject(s)
        values = props.get(p)
        if values is None:
            values = props[p] = {}
        values["i", o] = None  # add(s, p, ("i", o)) written out: most triples come here

    def lit(self, s: str, p: str, o: str, /) -> None:
        props = self.subjects.get(s) or self._subject(s)
        values = props.get(p)
        if values is None:
            values = props[p] = {}
        values["l", o] = None

    def typed(self, s: str, p: str, o: str, datatype: str, /) -> None:
        self.add(s, p, ("t", o, datatype) if datatype != _STRING else ("l", o))

    def count(self) -> int:
        """How many distinct triples were added."""
        return (sum(len(values) for props in self.subjects.values() for values in props.values())
                + sum(8 + (e.sign is not None) + len(e.supported_by) + len(e.sources)
                      for e in self.statements.values()))


def _split(iri: str) -> tuple[str, str | None]:
    """The namespace and local name of an IRI, cut at its last ``#``, else ``/``, else ``:``."""
    for delim in "#/:":
        at = iri.rfind(delim)
        if at > -1:
            return iri[:at + 1], iri[at + 1:]
    return iri, None


class _Compactor:
    """IRIs shortened with the context's prefixes, each worked out once."""

    def __init__(self, context: dict[str, str]) -> None:
        self.by_namespace = {ns: prefix for prefix, ns in context.items()}
        self.ids: dict[str, str] = {}
        self.symbols: dict[str, str] = {}

    def id(self, iri: str) -> str:
        """An ``@id`` value: ``prefix:local`` where the namespace is a prefix's, else the IRI."""
        hit = self.ids.get(iri)
        if hit is None:
            if iri.startswith("_:"):
                hit = iri
            else:
                ns, name = _split(iri)
                prefix = self.by_namespace.get(ns)
                hit = f"{prefix}:{name}" if prefix and name is not None else iri
            self.ids[iri] = hit
        return hit

    def symbol(self, iri: str) -> str:
        """A key or ``@type`` value: a prefix's own name for its namespace, else :meth:`id`."""
        hit = self.symbols.get(iri)
        if hit is None:
            hit = self.symbols[iri] = self.by_namespace.get(iri) or self.id(iri)
        return hit


def _value(o: Term, c: _Compactor) -> Any:
    """The compacted JSON-LD value of an object that is not an ``rdf:type``."""
    kind = o[0]
    if kind == "l":
        return o[1]
    if kind == "i":
        return {"@list": []} if o[1] == _RDF_NIL else {"@id": c.id(o[1])}
    if kind == "b":
        return {"@id": o[1]}
    if kind == "g":
        return {"@language": o[2], "@value": o[1]}
    text, datatype = o[1], o[2]
    if datatype == _BOOLEAN and text in ("true", "false"):
        return text == "true"
    if datatype == _INTEGER and _CANONICAL_INTEGER(text):
        return int(text)
    return {"@type": c.symbol(datatype), "@value": text}


def _dumps(value: Any, indent: str) -> str:
    """``value`` written as ``json.dumps(..., indent=2, ensure_ascii=False, sort_keys=True)``.

    ``indent`` is the depth it is nested at.
    """
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{encode_basestring(k)}: {_dumps(v, inner)}"
                 for k, v in sorted(value.items())]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if not value:
        return "[]"
    return "[\n" + ",\n".join(inner + _dumps(v, inner) for v in value) + "\n" + indent + "]"


def _sort_key(value: Any) -> str:
    """How :func:`kg.io.files.graph_bytes` orders a value array: by the value's compact JSON."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _node(subject: str, props: dict[str, dict[Term, None]], c: _Compactor) -> dict[str, Any]:
    """One node object: its ``@id``, ``@type`` and one key per predicate, arrays sorted."""
    node: dict[str, Any] = {"@id": c.id(subject)}
    for p, objects in props.items():
        if p == _RDF_TYPE:
            types = [c.symbol(o[1]) if o[0] == "i" else o[1]
                     for o in objects if o[0] in ("i", "b")]
            if types:
                node["@type"] = types[0] if len(types) == 1 else sorted(types, key=_sort_key)
            literal = [_value(o, c) for o in objects if o[0] not in ("i", "b")]
            if not literal:
                continue
            values = literal
        else:
            values = [_value(o, c) for o in objects]
        node[c.symbol(p)] = values[0] if len(values) == 1 else sorted(values, key=_sort_key)
    return node


class _Writer:
    """The text of each node, written directly (the document is nearly all nodes).

    Each value is written as ``json.dumps(..., indent=2, ensure_ascii=False)`` writes it at
    its depth, and value arrays are ordered by the value's compact JSON
    (``json.dumps(value, sort_keys=True, ensure_ascii=False)``), as
    :func:`kg.io.files.graph_bytes` orders them; a test holds the whole document equal to
    that function's for the curated data.
    """

    #: the depth of a node's keys and of the values of an array
    KEY, ITEM = "      ", "        "

    def __init__(self, c: _Compactor) -> None:
        self.c = c
        self.ids: dict[tuple[str, str], str] = {}
        self.keys: dict[str, str] = {}
        self.edge_keys: dict[str, str] = {}

    def id_object(self, iri: str, indent: str) -> str:
        hit = self.ids.get((iri, indent))
        if hit is None:
            hit = f'{{\n{indent}  "@id": {encode_basestring(self.c.id(iri))}\n{indent}}}'
            self.ids[(iri, indent)] = hit
        return hit

    def value(self, o: Term, indent: str) -> tuple[str, str]:
        """The compact JSON of an object (its sort key) and its text at ``indent``."""
        kind = o[0]
        if kind == "l":
            text = encode_basestring(o[1])
            return text, text
        if kind == "i" and o[1] != _RDF_NIL:
            return '{"@id": ' + encode_basestring(self.c.id(o[1])) + "}", \
                self.id_object(o[1], indent)
        value = _value(o, self.c)
        return _sort_key(value), _dumps(value, indent)

    def node(self, subject: str, props: dict[str, dict[Term, None]]) -> str:
        """One node of ``@graph`` (four spaces deep).

        Its ``@id``, ``@type`` and one key per predicate, keys sorted.
        """
        c, key_indent, item, enc = self.c, self.KEY, self.ITEM, encode_basestring
        entries = [("@id", enc(c.id(subject)))]
        symbols, ids = c.symbols, self.ids
        for p, objects in props.items():
            if p == _RDF_TYPE:
                types = [c.symbol(o[1]) if o[0] == "i" else o[1]
                         for o in objects if o[0] in ("i", "b")]
                if len(types) == 1:
                    entries.append(("@type", enc(types[0])))
                elif types:
                    entries.append(("@type", "[\n" + ",\n".join(
                        item + enc(t) for t in sorted(types, key=_sort_key))
                        + "\n" + key_indent + "]"))
                objects = {o: None for o in objects if o[0] not in ("i", "b")}
                if not objects:
                    continue
            key = symbols.get(p) or c.symbol(p)
            if len(objects) == 1:
                o = next(iter(objects))
                if o[0] == "l":
                    text = enc(o[1])
                elif o[0] == "i":
                    text = ids.get((o[1], key_indent)) or self.value(o, key_indent)[1]
                else:
                    text = self.value(o, key_indent)[1]
            else:
                text = "[\n" + ",\n".join(item + t for _, t in sorted(
                    self.value(o, item) for o in objects)) + "\n" + key_indent + "]"
            entries.append((key, text))
        entries.sort()
        keys = self.keys
        return "    {\n" + ",\n".join((keys.get(k) or self.key(k)) + t
                                       for k, t in entries) + "\n    }"

    def edge(self, e: EdgeStatement) -> str:
        """An edge's node, from its statement: what :meth:`node` writes of its triples.

        Written straight from the statement's fields (a test holds it equal to
        :meth:`node` of the same triples, for every shape of edge).
        """
        c, enc, key_indent, item = self.c, encode_basestring, self.KEY, self.ITEM
        keys = self.edge_keys or self._edge_keys(e)
        id_object = self.id_object
        entries = [("@id", enc(c.id(e.node))), ("@type", keys["@type"]),
                   (keys["subject"], id_object(e.subject, key_indent)),
                   (keys["predicate"], id_object(e.predicate, key_indent)),
                   (keys["object"], id_object(e.object, key_indent)),
                   (keys["kind"], enc(e.kind)),
                   (keys["derived"], "true" if e.derived else "false"),
                   (keys["level"], enc(e.knowledge_level)), (keys["agent"], enc(e.agent_type))]
        if e.sign is not None:
            entries.append((keys["sign"], id_object(e.sign, key_indent)))
        if len(e.supported_by) == 1:
            entries.append((keys["supported"], id_object(e.supported_by[0], key_indent)))
        elif e.supported_by:
            entries.append((keys["supported"], "[\n" + ",\n".join(item + text for _, text in sorted(
                ('{"@id": ' + enc(c.id(rid)) + "}", id_object(rid, item))
                for rid in e.supported_by)) + "\n" + key_indent + "]"))
        if len(e.sources) == 1:
            entries.append((keys["sources"], enc(e.sources[0])))
        elif e.sources:
            entries.append((keys["sources"], "[\n" + ",\n".join(
                item + text for text in sorted(enc(x) for x in e.sources)) + "\n" + key_indent
                + "]"))
        entries.sort()
        line_keys = self.keys
        return "    {\n" + ",\n".join((line_keys.get(k) or self.key(k)) + t
                                       for k, t in entries) + "\n    }"

    def _edge_keys(self, e: EdgeStatement) -> dict[str, str]:
        """The keys of an edge node's properties (and its ``@type``), worked out once."""
        props = e.properties()
        self.edge_keys = {role: self.c.symbol(iri) for role, iri in props.items()}
        self.edge_keys["@type"] = encode_basestring(self.c.symbol(props["Edge"]))
        return self.edge_keys

    def key(self, name: str) -> str:
        """The start of a key's line: indent, the key as JSON, the colon."""
        hit = self.keys[name] = f"{self.KEY}{encode_basestring(name)}: "
        return hit


def _graph(nodes: _Nodes, context: dict[str, str]) -> str:
    c = _Compactor(context)
    if len(nodes.subjects) + len(nodes.statements) <= 1:
        for node in list(nodes.statements):
            nodes._said_of(node)
    ordered = sorted((encode_basestring(c.id(s)), s)
                     for s in (*nodes.subjects, *nodes.statements))
    if len(ordered) <= 1:  # one node is the document itself, as rdflib writes it
        body = [_node(s, nodes.subjects[s], c) for _, s in ordered]
        top = {"@context": context, **body[0]} if body else {"@context": context, "@graph": []}
        return _dumps(top, "") + "\n"
    writer = _Writer(c)
    return ("{\n  \"@context\": " + _dumps(context, "  ") + ",\n  \"@graph\": [\n"
            + ",\n".join(writer.node(s, nodes.subjects[s]) if s in nodes.subjects
                          else writer.edge(nodes.statements[s]) for _, s in ordered)
            + "\n  ]\n}\n")


def _extra(nodes: _Nodes, path: str) -> None:
    """Add the triples of an RDF file of ``extra/``, read with Oxigraph."""
    import pyoxigraph as ox

    def term(t: Any) -> Term:
        if isinstance(t, ox.NamedNode):
            return ("i", t.value)
        if isinstance(t, ox.BlankNode):
            return ("b", "_:" + t.value)
        if isinstance(t, ox.Literal):
            if t.language:
                if getattr(t, "direction", None):
                    raise ExportError(f"{path}: JSON-LD export of a directional literal "
                                      f"({t}) is not supported")
                return ("g", t.value, t.language)
            datatype = t.datatype.value
            return ("l", t.value) if datatype == _STRING else ("t", t.value, datatype)
        raise ExportError(f"{path}: JSON-LD cannot hold the triple term {t}")

    fmt = ox.RdfFormat.from_extension(Path(path).suffix[1:])
    try:
        for quad in ox.parse(path=path, format=fmt):
            s, p, o = term(quad.subject), quad.predicate.value, term(quad.object)
            nodes.add(s[1], p, o)
    except SyntaxError as exc:
        raise KGError(f"{path}: not valid RDF: {exc}") from exc


def jsonld_bytes(cur: Curation) -> tuple[bytes, int]:
    """The RDF view of ``cur`` as compacted, ordered JSON-LD (UTF-8) and its triple count.

    Examples
    --------
    >>> import json
    >>> from kg.data.curation import load
    >>> data, count = jsonld_bytes(load())
    >>> doc = json.loads(data)
    >>> sorted(doc["@context"])[:3], count > 1000
    (['attr', 'biolink', 'claim'], True)
    """
    from kg.data.runtime import no_cyclic_gc
    from kg.graph.rdf import PREFIXES, emit

    nodes = _Nodes()
    context = {prefix: PREFIXES[prefix] for prefix in sorted(CONTEXT_PREFIXES)}
    with no_cyclic_gc():
        emit(nodes, cur)
        for path in cur.extra_rdf:
            _extra(nodes, path)
        return _graph(nodes, context).encode("utf-8"), nodes.count()
