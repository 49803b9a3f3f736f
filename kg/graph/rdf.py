"""The curated graph as RDF (rdflib): schema, entities, claims with provenance, edges.

Each claim is a node of its own (an n-ary relation) with its fields, ``dcterms:source`` to
the primary study and ``prov:wasDerivedFrom`` to the review it was read in. The direct
entity-to-entity edges are materialised (``id:miR-146a-5p exo:inhibits id:IRAK1``) so that
property paths work in plain SPARQL 1.1, and each one, hierarchy links included, is described
by an ``exo:Edge`` statement (``rdf:subject/predicate/object``) carrying its kind, its sign
(none for a parent link), the claims that support it and how it is known: ``exo:derived``
and Biolink's ``knowledge_level`` and ``agent_type`` with the values of the KGX columns
(:func:`kg.graph.edges.knowledge_level`); the statement's IRI ends in the same 16 hex digits
as the edge's id in KGX and GraphML.

One emitter (:func:`_emit`) writes every triple, with IRIs and literals as plain strings,
into a :class:`Sink`: an rdflib ``Graph`` (:func:`build_rdf`) or N-Triples text bulk-loaded
into Oxigraph (:func:`build_store`, :func:`fill_store`), so the two views cannot drift apart.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol
from urllib.parse import quote

from kg.data import schema
from kg.data.curation import RDF_SUFFIXES
from kg.data.model import (
    SIGN_NAMES,
    Attribute,
    Claim,
    Curation,
    Reference,
    Review,
    Trial,
    is_trial_node,
)
from kg.data.runtime import no_cyclic_gc
from kg.errors import KGError
from kg.graph.edges import edges, knowledge_level, trial_nodes
from kg.graph.terms import edge_key

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

__all__ = [
    "PREFIXES", "EdgeStatement", "Sink", "build_rdf", "build_store", "emit", "entity_iri",
    "fill_store", "ntriples", "predicate_iri",
]


def entity_iri(entity_id: str) -> URIRef:
    """IRI of an entity (or trial) id.

    Examples
    --------
    >>> str(entity_iri("miR-146a-5p"))
    'https://w3id.org/exokg/id/miR-146a-5p'
    """
    from kg.graph.namespace import ID, TRIAL

    if is_trial_node(entity_id):
        return TRIAL[entity_id]
    return ID[entity_id]


def predicate_iri(predicate: str, cur: Curation) -> URIRef:
    """IRI of a predicate id of ``cur``'s ``schema/predicates.tsv``.

    Examples
    --------
    >>> from kg.data.curation import read_schema
    >>> str(predicate_iri("has_cargo", read_schema()))
    'https://w3id.org/exokg/schema#hasCargo'
    """
    from kg.graph.namespace import Vocabulary

    return Vocabulary(cur).predicate(predicate)


_BASE = "https://w3id.org/exokg/"

#: Prefixes bound in every serialization. Plain strings, so that reading them imports
#: neither rdflib nor :mod:`kg.graph.namespace` (a test checks them against its namespaces).
PREFIXES: dict[str, str] = {
    "exo": _BASE + "schema#", "id": _BASE + "id/", "claim": _BASE + "claim/",
    "ref": _BASE + "ref/", "trial": _BASE + "trial/", "report": _BASE + "trial-report/",
    "edge": _BASE + "edge/", "attr": _BASE + "attribute/",
    "biolink": "https://w3id.org/biolink/vocab/", "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class Sink(Protocol):
    """Where the emitter's triples go; every term is a plain string, IRIs without ``<>``."""

    def iri(self, s: str, p: str, o: str, /) -> None:
        """Add a triple whose object is an IRI."""

    def lit(self, s: str, p: str, o: str, /) -> None:
        """Add a triple whose object is a plain (``xsd:string``) literal."""

    def typed(self, s: str, p: str, o: str, datatype: str, /) -> None:
        """Add a triple whose object is a literal of ``datatype`` (lexical form ``o``)."""


class EdgeStatement(NamedTuple):
    """The ``exo:Edge`` statement of one edge, whole.

    A sink with a ``statement`` method (``statement(edge: EdgeStatement) -> None``) is handed
    these instead of their triples (:meth:`triples`), so it can write an edge's node in one
    go (:mod:`kg.io.jsonld`).
    """

    node: str
    subject: str
    predicate: str
    object: str
    kind: str
    #: the sign's IRI, or None for a predicate without one (a parent link)
    sign: str | None
    derived: bool
    knowledge_level: str
    agent_type: str
    #: the IRIs of the claims and trial reports behind the edge, sorted
    supported_by: tuple[str, ...]
    #: the ``extra/`` tables that state it
    sources: tuple[str, ...]

    @staticmethod
    @functools.cache
    def properties() -> dict[str, str]:
        """The IRI of each property of a statement by its role (``Edge``: its class).

        Worked out once; the dict is shared, not to be changed.
        """
        t = _fixed_terms()
        exo = t.exo
        return {"type": t.type, "Edge": exo["Edge"], "subject": t.subject,
                "predicate": t.predicate, "object": t.object, "kind": exo["kind"],
                "sign": exo["sign"], "derived": exo["derived"], "level": t.knowledge_level,
                "agent": t.agent_type, "supported": exo["supportedBy"],
                "sources": exo["externalSource"], "boolean": t.boolean}

    def triples(self) -> list[tuple[str, str, str, str]]:
        """Its triples as ``(predicate, "iri" | "lit" | "typed", object, datatype)``."""
        p = self.properties()
        out = [(p["type"], "iri", p["Edge"], ""), (p["subject"], "iri", self.subject, ""),
               (p["predicate"], "iri", self.predicate, ""), (p["object"], "iri", self.object, ""),
               (p["kind"], "lit", self.kind, "")]
        if self.sign is not None:
            out.append((p["sign"], "iri", self.sign, ""))
        out += [(p["derived"], "typed", "true" if self.derived else "false", p["boolean"]),
                (p["level"], "lit", self.knowledge_level, ""),
                (p["agent"], "lit", self.agent_type, "")]
        out += [(p["supported"], "iri", rid, "") for rid in self.supported_by]
        out += [(p["sources"], "lit", source, "") for source in self.sources]
        return out


class _T:
    """The fixed IRIs the emitter writes, as plain strings (set by :func:`_fixed_terms`)."""

    ready: ClassVar[bool] = False
    type: ClassVar[str]
    label: ClassVar[str]
    comment: ClassVar[str]
    value: ClassVar[str]
    subject: ClassVar[str]
    predicate: ClassVar[str]
    object: ClassVar[str]
    alt_label: ClassVar[str]
    exact_match: ClassVar[str]
    #: the SKOS mapping property of each xref match (``exact``, ``close``, ``broad``, ``narrow``)
    match: ClassVar[dict[str, str]]
    dct_source: ClassVar[str]
    derived_from: ClassVar[str]
    knowledge_level: ClassVar[str]
    agent_type: ClassVar[str]
    boolean: ClassVar[str]
    title: ClassVar[str]
    id: ClassVar[str]
    trial: ClassVar[str]
    claim: ClassVar[str]
    ref: ClassVar[str]
    report: ClassVar[str]
    edge: ClassVar[str]
    attr: ClassVar[str]
    exo: ClassVar[dict[str, str]]
    signs: ClassVar[dict[Any, str]]
    process: ClassVar[dict[str, str]]
    disease: ClassVar[dict[str, str]]


#: The ``exo:`` terms the emitter writes (each checked by :func:`exo_term` once).
_EXO_USED = ("Claim", "Edge", "Attribute", "TrialReport", "Review", "Reference", "citation",
             "location", "agent", "source", "cargo", "donor", "mechanism", "involves",
             "evidence", "model", "dose", "kind", "sign", "derived", "supportedBy",
             "externalSource", "reportsTrial", "trialId", "describes", "attributeName",
             "authors", "year", "firstAuthor", "pmid", "citedAs", "journal", "volume",
             "issue", "pages", "doi", "route", "phase", "enrollment", "status", "design",
             "outcome", "promotesProcess", "reducesProcess", "modulatesProcess",
             "alleviates", "aggravates", "modulatesDisease")


_EXO, _RDF, _RDFS = PREFIXES["exo"], PREFIXES["rdf"], PREFIXES["rdfs"]
_OWL, _SKOS, _DCTERMS, _XSD = PREFIXES["owl"], PREFIXES["skos"], PREFIXES["dcterms"], \
    PREFIXES["xsd"]
_PROV, _BIOLINK = PREFIXES["prov"], PREFIXES["biolink"]


def _fixed_terms() -> type[_T]:
    """Fill :class:`_T` with the fixed IRIs as plain strings (once).

    No rdflib is imported: a test checks each string against rdflib's namespaces and
    :func:`kg.graph.namespace.exo_term`.
    """
    if _T.ready:
        return _T
    _T.type, _T.label, _T.comment, _T.value = _RDF + "type", _RDFS + "label", \
        _RDFS + "comment", _RDF + "value"
    _T.subject, _T.predicate, _T.object = _RDF + "subject", _RDF + "predicate", _RDF + "object"
    _T.alt_label, _T.exact_match = _SKOS + "altLabel", _SKOS + "exactMatch"
    _T.match = {m: f"{_SKOS}{m}Match" for m in ("exact", "close", "broad", "narrow")}
    _T.dct_source, _T.derived_from = _DCTERMS + "source", _PROV + "wasDerivedFrom"
    _T.boolean, _T.title = _XSD + "boolean", _DCTERMS + "title"
    _T.knowledge_level, _T.agent_type = _BIOLINK + "knowledge_level", _BIOLINK + "agent_type"
    _T.id, _T.trial, _T.claim, _T.ref = PREFIXES["id"], PREFIXES["trial"], \
        PREFIXES["claim"], PREFIXES["ref"]
    _T.report, _T.edge, _T.attr = PREFIXES["report"], PREFIXES["edge"], PREFIXES["attr"]
    _T.exo = {name: _EXO + name for name in _EXO_USED}
    _T.signs = {sign: _EXO + name for sign, name in SIGN_NAMES.items()}
    _T.process = {verb: _T.exo[verb + "Process"] for verb in ("promotes", "reduces",
                                                                "modulates")}
    _T.disease = {"alleviates": _T.exo["alleviates"], "aggravates": _T.exo["aggravates"],
                  "modulates": _T.exo["modulatesDisease"]}
    _T.ready = True
    return _T


#: What N-Triples does not allow in an IRI (it would break the line or the term).
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]').search


def _checked(iri: str) -> str:
    """``iri``, or a :class:`KGError` when it cannot be written as an RDF IRI.

    Examples
    --------
    >>> _checked("https://w3id.org/exokg/id/IL6")
    'https://w3id.org/exokg/id/IL6'
    >>> _checked("https://w3id.org/exokg/id/IL 6")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: 'https://w3id.org/exokg/id/IL 6' is not a valid IRI (space, <, >, ...)
    """
    if _BAD_IRI(iri):
        raise KGError(f"{iri!r} is not a valid IRI (space, <, >, \", {{, }}, |, ^, ` or \\)")
    return iri


class _EntityIris(dict[str, str]):
    """Entity (and trial node) id -> IRI string, each made and checked once per build."""

    def __missing__(self, key: str) -> str:
        iri = self[key] = _checked((_T.trial if is_trial_node(key) else _T.id) + key)
        return iri


class _Terms:
    """The IRIs of one curation: its schema's classes and properties, its entities.

    The same IRIs as :class:`kg.graph.namespace.Vocabulary` (a test checks them), as plain
    strings made without rdflib: ``exo:`` and the local name of the schema row.
    """

    def __init__(self, cur: Curation) -> None:
        self.cur = cur
        self.entity = _EntityIris()
        self._classes = {t: _EXO + schema.type_class(cur, t) for t in schema.node_types(cur)}
        self._properties = {p: _EXO + schema.predicate_property(cur, p)
                            for p in cur.predicates}

    def type_class(self, type_id: str) -> str:
        """The class of a node type, as a string (``KGError`` for an undeclared type)."""
        hit = self._classes.get(type_id)
        return hit if hit is not None else _EXO + schema.type_class(self.cur, type_id)

    def predicate(self, predicate: str) -> str:
        """The property of a predicate, as a string (``KGError`` when undeclared)."""
        hit = self._properties.get(predicate)
        return hit if hit is not None else _EXO + schema.predicate_property(self.cur, predicate)


class _RdflibSink:
    """Adds the emitter's triples to an rdflib ``Graph`` (one ``URIRef`` per distinct IRI)."""

    def __init__(self, graph: Graph) -> None:
        from rdflib import Literal, URIRef

        self.add = graph.add
        self.iris: dict[str, URIRef] = {}
        self.uri, self.literal = URIRef, Literal

    def node(self, iri: str) -> URIRef:
        hit = self.iris.get(iri)
        if hit is None:
            hit = self.iris[iri] = self.uri(iri)
        return hit

    def iri(self, s: str, p: str, o: str, /) -> None:
        self.add((self.node(s), self.node(p), self.node(o)))

    def lit(self, s: str, p: str, o: str, /) -> None:
        self.add((self.node(s), self.node(p), self.literal(o)))

    def typed(self, s: str, p: str, o: str, datatype: str, /) -> None:
        self.add((self.node(s), self.node(p), self.literal(o, datatype=self.node(datatype))))


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r]').search
#: Every byte but the control characters (the line feed ends lines and is not one here).
_NOT_CONTROL = bytes(b for b in range(256) if not ((b < 0x20 and b != 0x0A) or b == 0x7F))
_LANGUAGE_TAG = re.compile(rb"@[a-zA-Z]").search


def _may_differ(text: bytes) -> bool:
    r"""True where the emitter's text may differ from Oxigraph's canonical N-Triples.

    That is: characters a canonical writer escapes in its own way (tab, other control
    characters), and anything that is not exactly an IRI triple or a quoted literal as
    :class:`_NTriples` writes them (an ``xsd:string`` datatype, a language tag). Text without
    these is taken as it is (parsing and rewriting 1M triples costs ~3 s); text with them
    goes through Oxigraph's parser and writer. Three scans in C (deleting every other byte,
    then two substring searches): one regular expression with alternatives read 1M triples
    at 65 MB/s (2.6 s), these take 0.2 s.

    Examples
    --------
    >>> _may_differ(b'<a> <b> "x" .\n'), _may_differ(b'<a> <b> "x\ty" .\n')
    (False, True)
    >>> _may_differ(b'<a> <b> "x"@en .\n'), _may_differ(b'<a> <b> "5 @ 3" .\n')
    (True, False)
    """
    return (bool(text.translate(None, _NOT_CONTROL)) or b"XMLSchema#string>" in text
            or (b"@" in text and _LANGUAGE_TAG(text) is not None))


class _NTriples:
    """N-Triples lines, handed to ``flush`` (as UTF-8 bytes) every ``chunk`` triples.

    The text only has to be valid N-Triples: Oxigraph parses it and keeps canonical terms.
    """

    def __init__(self, flush: Callable[[bytes], Any], chunk: int = 250_000) -> None:
        self.lines: list[str] = []
        self.chunk = chunk
        self.sent = flush

    def iri(self, s: str, p: str, o: str, /) -> None:
        self.lines.append(f"<{s}> <{p}> <{o}> .\n")
        if len(self.lines) >= self.chunk:
            self.flush()

    def lit(self, s: str, p: str, o: str, /) -> None:
        if _NEEDS_ESCAPE(o):
            o = o.translate(_ESCAPES)
        self.lines.append(f'<{s}> <{p}> "{o}" .\n')
        if len(self.lines) >= self.chunk:
            self.flush()

    def typed(self, s: str, p: str, o: str, datatype: str, /) -> None:
        if _NEEDS_ESCAPE(o):
            o = o.translate(_ESCAPES)
        self.lines.append(f'<{s}> <{p}> "{o}"^^<{datatype}> .\n')
        if len(self.lines) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        """Hand the lines gathered so far on."""
        if self.lines:
            text = "".join(self.lines).encode("utf-8")
            self.lines = []
            self.sent(text)


def build_rdf(cur: Curation) -> Graph:
    """Build the RDF view of a curation as an rdflib ``Graph``.

    Examples
    --------
    >>> from rdflib import RDF
    >>> from kg.data.curation import load
    >>> from kg.graph.namespace import Vocabulary
    >>> cur = load()
    >>> (entity_iri("BM-MSC"), RDF.type, Vocabulary(cur).type_class("source")) in build_rdf(cur)
    True
    """
    from rdflib import Graph

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, replace=True)
    _emit(_RdflibSink(g), cur)
    for path in cur.extra_rdf:
        try:
            g.parse(path, format=RDF_SUFFIXES[Path(path).suffix])
        except Exception as exc:  # rdflib raises several kinds for bad RDF
            raise KGError(f"{path}: not valid RDF: {exc}") from exc
    return g


def build_store(cur: Curation) -> Any:
    """Build the same RDF view in an in-memory Oxigraph store (``pyoxigraph.Store``).

    Oxigraph parses, serialises and answers SPARQL in compiled code; the CLI uses it for
    export and queries. A test proves the two builders give the same triples.
    """
    import pyoxigraph as ox

    store = ox.Store()
    fill_store(store, cur, bulk=False)
    return store


def fill_store(store: Any, cur: Curation, *, bulk: bool = True) -> Any:
    """Load the RDF view of ``cur`` into an empty Oxigraph ``store`` (memory or disk).

    The triples go in as N-Triples text, a chunk at a time, so no Python object is made per
    triple and a store on disk never has the whole graph in memory. ``bulk`` (for a store
    on disk) uses Oxigraph's bulk loader; without it (a store in memory) each chunk is
    loaded in one transaction, without validating the IRIs again (the emitter checked
    them), which is a quarter faster for a store in memory, and in a thread of its own while
    the next chunk is emitted (:func:`_load_alongside`; Oxigraph loads without the GIL).

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> from kg.data.curation import load
    >>> len(fill_store(ox.Store(), load())) == len(build_rdf(load()))
    True
    """
    import pyoxigraph as ox

    put = store.bulk_load if bulk else functools.partial(store.load, lenient=True)

    def load(text: bytes) -> None:
        try:
            put(input=text, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        except SyntaxError as exc:  # only a term the checks above missed gets here
            raise KGError(f"the RDF view of {cur.root} is not valid N-Triples: {exc}") from exc

    if bulk:
        _emit_text(cur, load)
    else:
        _load_alongside(cur, load)
    for path in cur.extra_rdf:
        fmt = ox.RdfFormat.from_extension(Path(path).suffix[1:])
        try:
            store.bulk_load(path=path, format=fmt, to_graph=ox.DefaultGraph())
        except SyntaxError as exc:
            raise KGError(f"{path}: not valid RDF: {exc}") from exc
    return store


def ntriples(cur: Curation) -> bytes:
    r"""The RDF view of ``cur`` as canonical N-Triples, sorted, each triple once; no store.

    The emitter's lines are sorted and joined as text; they are already in the canonical form
    a store's dump has unless :func:`_may_differ` says otherwise, when the text goes through
    Oxigraph's parser and writer and the lines are sorted again (with those of ``extra/``):
    the bytes equal :func:`kg.io.files.serialize_store` of :func:`build_store`, without
    building or dumping a store (a test checks it). ``exokg export -f nt|turtle`` writes
    from these.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> nt = ntriples(load())
    >>> nt.count(b"\n") == len(build_store(load()))
    True
    """
    import pyoxigraph as ox

    from kg.graph.lines import sorted_lines, sorted_text

    nt = ox.RdfFormat.N_TRIPLES
    sink = _NTriples(lambda text: None, chunk=sys.maxsize)  # every line kept, as text
    with no_cyclic_gc():  # millions of short-lived strings: the collector only slows this
        _emit(sink, cur)
        data = sorted_text(sink.lines)
        sink.lines = []
        differ = _may_differ(data)
        if not differ and not cur.extra_rdf:  # the emitter's lines are Oxigraph's own
            return data
        if differ:
            try:
                data = ox.serialize(ox.parse(data, format=nt), format=nt) or b""
            except SyntaxError as exc:  # only a term the checks above missed gets here
                raise KGError(f"the RDF view of {cur.root} is not valid N-Triples: {exc}"
                              ) from exc
        lines = data.splitlines()
        del data
        for path in cur.extra_rdf:
            fmt = ox.RdfFormat.from_extension(Path(path).suffix[1:])
            try:
                triples = (q.triple for q in ox.parse(path=path, format=fmt))
                lines.extend((ox.serialize(triples, format=nt) or b"").splitlines())
            except SyntaxError as exc:
                raise KGError(f"{path}: not valid RDF: {exc}") from exc
        return sorted_lines(lines)


def _load_alongside(cur: Curation, load: Callable[[bytes], Any], chunk: int = 8_000) -> None:
    """Emit the N-Triples of ``cur`` a chunk at a time, each ``load``-ed by another thread.

    ``load`` runs in one worker thread, in order, while the next chunk is emitted (a quarter
    of a first ``sparql`` on the curated data, with a second core); at most four chunks
    wait, so memory stays bounded at any size. The worker's error is raised here, and the
    emitter stops feeding it once it has failed.
    """
    import queue

    chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
    failed: list[BaseException] = []

    def work() -> None:
        while (text := chunks.get()) is not None:
            if failed:
                continue  # drained, so the emitter never blocks on a dead worker
            try:
                load(text)
            except BaseException as exc:  # handed to the emitting thread
                failed.append(exc)

    worker = threading.Thread(target=work, name="exokg-load", daemon=True)
    worker.start()
    try:
        _emit_text(cur, chunks.put, chunk=chunk)
    finally:
        chunks.put(None)
        worker.join()
    if failed:
        raise failed[0]


def _emit_text(cur: Curation, flush: Callable[[bytes], Any], chunk: int = 250_000) -> None:
    """Emit the RDF view of ``cur`` as N-Triples text, handed to ``flush`` a chunk at a time."""
    sink = _NTriples(flush, chunk)
    with no_cyclic_gc():  # millions of short-lived strings: the collector only slows this
        _emit(sink, cur)
        sink.flush()


def emit(sink: Sink, cur: Curation) -> None:
    """Add every triple of the RDF view of ``cur`` (without ``extra/`` RDF files) to ``sink``.

    Any :class:`Sink` will do: :mod:`kg.io.jsonld` gathers the triples by subject.
    """
    _emit(sink, cur)


def _emit(g: Sink, cur: Curation) -> None:
    """Add every triple of the curation's RDF view to ``g``."""
    _fixed_terms()
    terms = _Terms(cur)
    _schema(g, cur, terms)
    for review in cur.reviews.values():
        _reference(g, review, review=True)
    for ref in cur.references.values():
        _reference(g, ref, review=False)
    _entities(g, cur, terms)
    for claim in cur.claims.values():
        _claim(g, cur, claim, terms.entity)
    for trial in cur.trials.values():
        _trial(g, cur, trial, terms.entity)
    for attr in cur.attributes:
        _attribute(g, cur, attr, terms.entity)
    _edges(g, cur, terms)


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _lit(g: Sink, s: str, p: str, value: str) -> None:
    if value:
        g.lit(s, p, value)


def _provenance(g: Sink, node: str, cur: Curation, refs: tuple[str, ...], review: str,
                where: str, note: str) -> None:
    """Citations (as written and as study nodes), the review read in, location, note."""
    for cited in refs:
        g.lit(node, _T.exo["citation"], cited)
        g.iri(node, _T.dct_source, _T.ref + cur.citations[cited])
    g.iri(node, _T.derived_from, _T.ref + review)
    _lit(g, node, _T.exo["location"], where)
    _lit(g, node, _T.comment, note)


def _schema(g: Sink, cur: Curation, terms: _Terms) -> None:
    """The schema: the classes and properties of the schema rows, then the fixed terms."""
    from kg.data.terms import TERMS

    a, owl_class, sub = _T.type, _OWL + "Class", _RDFS + "subClassOf"
    g.iri(_EXO, a, _OWL + "Ontology")
    g.lit(_EXO, _T.label, "exokg schema")
    for t in cur.types.values():
        cls = terms.type_class(t.id)
        g.iri(cls, a, owl_class)
        g.lit(cls, _T.label, t.label)
        g.lit(cls, _T.comment, t.definition)
        g.iri(cls, sub, _EXO + "Entity")
        if t.biolink.startswith("biolink:"):
            g.iri(cls, _SKOS + "closeMatch", _BIOLINK + t.biolink.split(":", 1)[1])
    for p in cur.predicates.values():
        prop = terms.predicate(p.id)
        g.iri(prop, a, _OWL + "ObjectProperty")
        g.lit(prop, _T.label, p.label)
        g.lit(prop, _T.comment, p.definition)
        if p.biolink.startswith("biolink:"):
            g.iri(prop, _SKOS + "closeMatch", _BIOLINK + p.biolink.split(":", 1)[1])
        if p.role == "parent":
            g.iri(prop, _RDFS + "subPropertyOf", _SKOS + "broader")
    signs = set(SIGN_NAMES.values())
    for name, (label, comment) in TERMS.items():
        term = _EXO + name
        if name[0].isupper():
            g.iri(term, a, owl_class)
        elif name in signs:
            g.iri(term, a, _EXO + "Sign")
        else:
            g.iri(term, a, _RDF + "Property")
        g.lit(term, _T.label, label)
        g.lit(term, _T.comment, comment)
    g.iri(terms.type_class(schema.TRIAL_TYPE), sub, _EXO + "Entity")
    g.iri(_EXO + "Review", sub, _EXO + "Reference")
    g.iri(_EXO + "Reference", sub, _DCTERMS + "BibliographicResource")
    g.iri(_EXO + "Edge", sub, _RDF + "Statement")
    g.iri(_EXO + "Claim", sub, _PROV + "Entity")


def _reference(g: Sink, ref: Reference | Review, *, review: bool) -> None:
    exo = _T.exo
    node = _checked(_T.ref + ref.key)
    g.iri(node, _T.type, exo["Review" if review else "Reference"])
    _lit(g, node, _T.title, ref.title)
    _lit(g, node, exo["authors"], ref.authors)
    _lit(g, node, exo["year"], ref.year)
    for field in ("journal", "volume", "issue", "pages", "doi"):
        _lit(g, node, exo[field], getattr(ref, field))
    if isinstance(ref, Reference):
        _lit(g, node, exo["firstAuthor"], ref.first_author)
        _lit(g, node, exo["pmid"], ref.pmid)
        _identifiers(g, node, ref)
        _lit(g, node, _T.comment, ref.note)
        for cited in ref.cited_as:
            g.lit(node, exo["citedAs"], cited)
        g.lit(node, _T.label, ref.short())
    else:
        g.lit(node, _T.label, f"{ref.key} (review)")


def _identifiers(g: Sink, node: str, ref: Reference) -> None:
    """A study's DOI and PMID (printed or looked up) as ``dcterms:identifier``.

    Written ``doi:...`` and ``PMID:...``, with ``rdfs:seeAlso`` to the doi.org and PubMed pages.
    """
    ident, see = PREFIXES["dcterms"] + "identifier", PREFIXES["rdfs"] + "seeAlso"
    if ref.any_doi:
        g.lit(node, ident, "doi:" + ref.any_doi)
        g.iri(node, see, "https://doi.org/" + quote(ref.any_doi, safe="/:;()._-"))
    if ref.any_pmid:
        g.lit(node, ident, "PMID:" + ref.any_pmid)
        g.iri(node, see, f"https://pubmed.ncbi.nlm.nih.gov/{ref.any_pmid}/")


def _entities(g: Sink, cur: Curation, terms: _Terms) -> None:
    """Entities (typed with their schema class, labels, synonyms, xrefs) and trial nodes."""
    from kg.graph.curie import converter, expand

    conv = converter(cur)  # a plain prefix lookup: no library to import
    a, label, alt = _T.type, _T.label, _T.alt_label
    for ent in cur.entities.values():
        node = terms.entity[ent.id]
        g.iri(node, a, terms.type_class(ent.type))
        g.lit(node, label, ent.label)
        for syn in ent.synonyms:
            g.lit(node, alt, syn)
        for match, xref in ent.mappings:
            g.iri(node, _T.match[match], _checked(expand(conv, xref)))
        _lit(g, node, _T.comment, ent.note)
    trial_class = terms.type_class(schema.TRIAL_TYPE)
    for node_id in trial_nodes(cur):
        node = terms.entity[node_id]
        g.iri(node, a, trial_class)
        g.lit(node, label, node_id)


def _claim(g: Sink, cur: Curation, claim: Claim, iri: dict[str, str]) -> None:
    """One claim node with its fields and provenance."""
    node = _checked(_T.claim + claim.id)
    g.iri(node, _T.type, _T.exo["Claim"])
    g.lit(node, _T.label, claim.id)
    _lit(g, node, _T.exo["agent"], claim.agent)
    g.iri(node, _T.exo["source"], iri[claim.source])
    if claim.cargo:
        g.iri(node, _T.exo["cargo"], iri[claim.cargo])
    _lit(g, node, _T.exo["donor"], claim.donor)
    _lit(g, node, _T.exo["mechanism"], claim.mechanism_text())
    for step in claim.mechanism:
        for ent_id in step.entities:
            g.iri(node, _T.exo["involves"], iri[ent_id])
    for eff in claim.processes:
        g.iri(node, _T.process[eff.verb], iri[eff.entity])
    for eff in claim.diseases:
        g.iri(node, _T.disease[eff.verb], iri[eff.entity])
    for ev in claim.evidence:
        g.lit(node, _T.exo["evidence"], ev)
    _lit(g, node, _T.exo["model"], claim.model)
    _lit(g, node, _T.exo["dose"], claim.dose)
    _provenance(g, node, cur, claim.refs, claim.review, claim.where, claim.note)


def _trial(g: Sink, cur: Curation, trial: Trial, iri: dict[str, str]) -> None:
    """One trial report node with its fields and provenance."""
    node = _checked(_T.report + trial.id)
    g.iri(node, _T.type, _T.exo["TrialReport"])
    g.lit(node, _T.label, trial.id)
    g.iri(node, _T.exo["reportsTrial"], iri[trial.node_id])
    _lit(g, node, _T.exo["trialId"], trial.trial)
    _lit(g, node, _T.exo["agent"], trial.agent)
    g.iri(node, _T.exo["source"], iri[trial.source])
    for field in ("route", "phase", "enrollment", "status", "design", "outcome"):
        _lit(g, node, _T.exo[field], getattr(trial, field))
    _provenance(g, node, cur, trial.refs, trial.review, trial.where, trial.note)


def _attribute(g: Sink, cur: Curation, attr: Attribute, iri: dict[str, str]) -> None:
    """One attribute node (a fact about an entity) with its provenance."""
    node = _T.attr + _hash(attr.entity, attr.attribute, attr.value, attr.review, attr.where)
    g.iri(node, _T.type, _T.exo["Attribute"])
    g.iri(node, _T.exo["describes"], iri[attr.entity])
    g.lit(node, _T.exo["attributeName"], attr.attribute)
    g.lit(node, _T.value, attr.value)
    _provenance(g, node, cur, attr.refs, attr.review, attr.where, "")


def _edges(g: Sink, cur: Curation, terms: _Terms) -> None:
    """Each edge materialised, and described by its ``exo:Edge`` statement."""
    t, iri = _T, terms.entity
    signed = {p.id for p in cur.predicates.values() if p.has_sign}  # a parent link has none
    if type(g) is _NTriples:
        _edges_text(g, cur, terms, signed)
        return
    statement: Callable[[EdgeStatement], None] | None = getattr(g, "statement", None)
    add, add_lit = g.iri, g.lit
    for e in edges(cur):
        s, p, o = iri[e.subject], terms.predicate(e.predicate), iri[e.object]
        add(s, p, o)
        level, agent = knowledge_level(e)  # the values of the KGX columns
        edge = EdgeStatement(
            t.edge + edge_key(e.subject, e.predicate, e.object), s, p, o, e.kind,
            t.signs[e.sign] if e.predicate in signed else None, e.derived, level, agent,
            tuple((t.claim if rid in cur.claims else t.report) + rid for rid in e.claims),
            e.sources)
        if statement is not None:
            statement(edge)
            continue
        for prop, kind, value, datatype in edge.triples():
            if kind == "iri":
                add(edge.node, prop, value)
            elif kind == "lit":
                add_lit(edge.node, prop, value)
            else:
                g.typed(edge.node, prop, value, datatype)


def _text(value: str) -> str:
    """A literal's lexical form as N-Triples writes it between its quotes."""
    return value.translate(_ESCAPES) if _NEEDS_ESCAPE(value) else value


def _edges_text(g: _NTriples, cur: Curation, terms: _Terms, signed: set[str]) -> None:
    """:func:`_edges` for the N-Triples sink: each edge's lines written in one go.

    The same lines the sink's ``iri``, ``lit`` and ``typed`` write (a test holds the two
    ways equal), without a call per triple: the edges are most of the graph's triples (a
    tenth of a first export at a million triples).
    """
    t, iri, claims = _T, terms.entity, cur.claims
    prop = EdgeStatement.properties()  # the IRIs of the statement's triples, by role
    has_type = f"> <{prop['type']}> <{prop['Edge']}> .\n"
    has_subject, has_predicate, has_object = (f"> <{prop['subject']}> <",
                                              f"> <{prop['predicate']}> <",
                                              f"> <{prop['object']}> <")
    has_kind, has_sign = f"> <{prop['kind']}> \"", f"> <{prop['sign']}> <"
    derived = {flag: f'> <{prop["derived"]}> "{"true" if flag else "false"}"'
                     f"^^<{prop['boolean']}> .\n" for flag in (True, False)}
    has_level, has_agent = f"> <{prop['level']}> \"", f"> <{prop['agent']}> \""
    supported, external = f"> <{prop['supported']}> <", f"> <{prop['sources']}> \""
    record = {True: t.claim, False: t.report}
    lines = g.lines
    for e in edges(cur):
        s, p, o = iri[e.subject], terms.predicate(e.predicate), iri[e.object]
        node = "<" + t.edge + edge_key(e.subject, e.predicate, e.object)
        level, agent = knowledge_level(e)
        lines += (f"<{s}> <{p}> <{o}> .\n", node + has_type,
                  f"{node}{has_subject}{s}> .\n", f"{node}{has_predicate}{p}> .\n",
                  f"{node}{has_object}{o}> .\n", f'{node}{has_kind}{_text(e.kind)}" .\n')
        if e.predicate in signed:
            lines.append(f"{node}{has_sign}{t.signs[e.sign]}> .\n")
        lines += (node + derived[e.derived], f'{node}{has_level}{_text(level)}" .\n',
                  f'{node}{has_agent}{_text(agent)}" .\n')
        for rid in e.claims:
            lines.append(f"{node}{supported}{record[rid in claims]}{rid}> .\n")
        for source in e.sources:
            lines.append(f'{node}{external}{_text(source)}" .\n')
        if len(lines) >= g.chunk:
            g.flush()
            lines = g.lines
