"""The curated graph as RDF (rdflib): schema, entities, claims with provenance, edges.

Each claim is a node of its own (an n-ary relation) with its fields, ``dcterms:source`` to
the primary study and ``prov:wasDerivedFrom`` to the review it was read in. The direct
entity-to-entity edges are materialised (``id:miR-146a-5p exo:inhibits id:IRAK1``) so that
property paths work in plain SPARQL 1.1, and each one, hierarchy links included, is described
by an ``exo:Edge`` statement (``rdf:subject/predicate/object``) carrying its kind, its sign
(none for a parent link) and the claims that support it; the statement's IRI ends in the
same 16 hex digits as the edge's id in KGX and GraphML.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS, XSD

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
from kg.errors import KGError
from kg.graph.edges import edges, trial_nodes
from kg.graph.namespace import (
    ATTR,
    BIOLINK,
    CLAIM,
    EDGE,
    EXO,
    ID,
    PROV,
    REF,
    REPORT,
    TERMS,
    TRIAL,
    Vocabulary,
    exo_term,
)
from kg.graph.terms import edge_key

if TYPE_CHECKING:
    from rdflib.term import Node

_SIGN = {sign: exo_term(name) for sign, name in SIGN_NAMES.items()}
_PROCESS_PROP = {"promotes": EXO.promotesProcess, "reduces": EXO.reducesProcess,
                 "modulates": EXO.modulatesProcess}
_DISEASE_PROP = {"alleviates": EXO.alleviates, "aggravates": EXO.aggravates,
                 "modulates": EXO.modulatesDisease}


def entity_iri(entity_id: str) -> URIRef:
    """IRI of an entity (or trial) id.

    Examples
    --------
    >>> str(entity_iri("miR-146a-5p"))
    'https://w3id.org/exokg/id/miR-146a-5p'
    """
    if is_trial_node(entity_id):
        return TRIAL[entity_id]
    return ID[entity_id]


def predicate_iri(predicate: str, cur: Curation | None = None) -> URIRef:
    """IRI of a predicate id of ``schema/predicates.tsv`` (of ``cur``, else the shipped one).

    Examples
    --------
    >>> str(predicate_iri("has_cargo"))
    'https://w3id.org/exokg/schema#hasCargo'
    """
    return Vocabulary(cur if cur is not None else schema.shipped_schema()).predicate(predicate)


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _lit(g: Sink, s: Node, p: URIRef, value: str) -> None:
    if value:
        g.add((s, p, Literal(value)))


def _provenance(g: Sink, node: URIRef, cur: Curation, refs: tuple[str, ...], review: str,
                where: str, note: str) -> None:
    """Citations (as written and as study nodes), the review read in, location, note."""
    for cited in refs:
        g.add((node, EXO.citation, Literal(cited)))
        g.add((node, DCTERMS.source, REF[cur.citations[cited]]))
    g.add((node, PROV.wasDerivedFrom, REF[review]))
    _lit(g, node, EXO.location, where)
    _lit(g, node, RDFS.comment, note)


def _schema(g: Sink, cur: Curation, vocab: Vocabulary) -> None:
    """The schema: the classes and properties of the schema rows, then the fixed terms."""
    g.add((URIRef(str(EXO)), RDF.type, OWL.Ontology))
    g.add((URIRef(str(EXO)), RDFS.label, Literal("exokg schema")))
    for t in cur.types.values():
        cls = vocab.type_class(t.id)
        g.add((cls, RDF.type, OWL.Class))
        g.add((cls, RDFS.label, Literal(t.label)))
        g.add((cls, RDFS.comment, Literal(t.definition)))
        g.add((cls, RDFS.subClassOf, EXO.Entity))
        if t.biolink.startswith("biolink:"):
            g.add((cls, SKOS.closeMatch, BIOLINK[t.biolink.split(":", 1)[1]]))
    for p in cur.predicates.values():
        prop = vocab.predicate(p.id)
        g.add((prop, RDF.type, OWL.ObjectProperty))
        g.add((prop, RDFS.label, Literal(p.label)))
        g.add((prop, RDFS.comment, Literal(p.definition)))
        if p.biolink.startswith("biolink:"):
            g.add((prop, SKOS.closeMatch, BIOLINK[p.biolink.split(":", 1)[1]]))
        if p.role == "parent":
            g.add((prop, RDFS.subPropertyOf, SKOS.broader))
    for name, (label, comment) in TERMS.items():
        term = exo_term(name)
        if name[0].isupper():
            g.add((term, RDF.type, OWL.Class))
        elif name in SIGN_NAMES.values():
            g.add((term, RDF.type, EXO.Sign))
        else:
            g.add((term, RDF.type, RDF.Property))
        g.add((term, RDFS.label, Literal(label)))
        g.add((term, RDFS.comment, Literal(comment)))
    g.add((vocab.type_class(schema.TRIAL_TYPE), RDFS.subClassOf, EXO.Entity))
    g.add((EXO.Review, RDFS.subClassOf, EXO.Reference))
    g.add((EXO.Reference, RDFS.subClassOf, DCTERMS.BibliographicResource))
    g.add((EXO.Edge, RDFS.subClassOf, RDF.Statement))
    g.add((EXO.Claim, RDFS.subClassOf, PROV.Entity))


def _reference(g: Sink, ref: Reference | Review, *, review: bool) -> None:
    node = REF[ref.key]
    g.add((node, RDF.type, EXO.Review if review else EXO.Reference))
    _lit(g, node, DCTERMS.title, ref.title)
    _lit(g, node, EXO.authors, ref.authors)
    _lit(g, node, EXO.year, ref.year)
    for field in ("journal", "volume", "issue", "pages", "doi"):
        _lit(g, node, exo_term(field), getattr(ref, field))
    if isinstance(ref, Reference):
        _lit(g, node, EXO.firstAuthor, ref.first_author)
        _lit(g, node, EXO.pmid, ref.pmid)
        _lit(g, node, RDFS.comment, ref.note)
        for cited in ref.cited_as:
            g.add((node, EXO.citedAs, Literal(cited)))
        g.add((node, RDFS.label, Literal(ref.short())))
    else:
        g.add((node, RDFS.label, Literal(f"{ref.key} (review)")))


#: Prefixes bound in every serialization.
PREFIXES: dict[str, str] = {
    "exo": str(EXO), "id": str(ID), "claim": str(CLAIM), "ref": str(REF),
    "trial": str(TRIAL), "report": str(REPORT), "edge": str(EDGE), "attr": str(ATTR),
    "biolink": str(BIOLINK), "prov": str(PROV), "skos": str(SKOS), "dcterms": str(DCTERMS),
    "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD),
}


class Sink(Protocol):
    """Anything triples can be added to (an rdflib Graph, or a buffer for Oxigraph)."""

    def add(self, triple: tuple[Node, Node, Node], /) -> Any:
        """Add one triple."""


def build_rdf(cur: Curation) -> Graph:
    """Build the RDF view of a curation as an rdflib ``Graph``.

    Examples
    --------
    >>> from kg.data.curation import load
    >>> g = build_rdf(load())
    >>> (entity_iri("BM-MSC"), RDF.type, EXO.Source) in g
    True
    """
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, replace=True)
    _emit(g, cur)
    for path in cur.extra_rdf:
        try:
            g.parse(path, format=RDF_SUFFIXES[Path(path).suffix])
        except Exception as exc:  # rdflib raises several kinds for bad RDF
            raise KGError(f"{path}: not valid RDF: {exc}") from exc
    return g


class _OxigraphSink:
    """Converts rdflib terms to Oxigraph terms as they come, in chunks into a store."""

    CHUNK = 100_000

    def __init__(self, store: Any) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.store = store
        self.graph = ox.DefaultGraph()
        self.iris: dict[str, Any] = {}
        self.chunk: list[Any] = []

    def node(self, term: Node) -> Any:
        if isinstance(term, URIRef):
            hit = self.iris.get(term)
            if hit is None:
                hit = self.iris[term] = self.ox.NamedNode(str(term))
            return hit
        if isinstance(term, Literal):
            if term.language:
                return self.ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return self.ox.Literal(str(term), datatype=self.node(term.datatype))
            return self.ox.Literal(str(term))
        raise TypeError(f"unexpected RDF term {term!r}")

    def add(self, triple: tuple[Node, Node, Node], /) -> None:
        s, p, o = triple
        self.chunk.append(self.ox.Quad(self.node(s), self.node(p), self.node(o), self.graph))
        if len(self.chunk) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        self.store.extend(self.chunk)
        self.chunk = []


def build_store(cur: Curation) -> Any:
    """Build the same RDF view in an in-memory Oxigraph store (``pyoxigraph.Store``).

    Oxigraph parses, serialises and answers SPARQL in compiled code; the CLI uses it for
    export and queries. A test proves the two builders give isomorphic graphs.
    """
    import gc

    import pyoxigraph as ox

    store = ox.Store()
    sink = _OxigraphSink(store)
    # millions of short-lived term objects: the cyclic collector only slows this down
    enabled = gc.isenabled()
    gc.disable()
    try:
        _emit(sink, cur)
        sink.flush()
    finally:
        if enabled:
            gc.enable()
    for path in cur.extra_rdf:
        fmt = ox.RdfFormat.from_extension(Path(path).suffix[1:])
        try:
            store.bulk_load(path=path, format=fmt, to_graph=ox.DefaultGraph())
        except SyntaxError as exc:
            raise KGError(f"{path}: not valid RDF: {exc}") from exc
    return store


def _emit(g: Sink, cur: Curation) -> None:
    """Add every triple of the curation's RDF view to ``g``."""
    vocab = Vocabulary(cur)
    _schema(g, cur, vocab)
    for review in cur.reviews.values():
        _reference(g, review, review=True)
    for ref in cur.references.values():
        _reference(g, ref, review=False)
    _entities(g, cur, vocab)
    for claim in cur.claims.values():
        _claim(g, cur, claim)
    for trial in cur.trials.values():
        _trial(g, cur, trial)
    for attr in cur.attributes:
        _attribute(g, cur, attr)
    _edges(g, cur, vocab)


def _entities(g: Sink, cur: Curation, vocab: Vocabulary) -> None:
    """Entities (typed with their schema class, labels, synonyms, xrefs) and trial nodes."""
    from kg.graph.curie import converter, expand

    conv = converter(cur)
    for ent in cur.entities.values():
        node = entity_iri(ent.id)
        g.add((node, RDF.type, vocab.type_class(ent.type)))
        g.add((node, RDFS.label, Literal(ent.label)))
        for syn in ent.synonyms:
            g.add((node, SKOS.altLabel, Literal(syn)))
        for xref in ent.xrefs:
            g.add((node, SKOS.exactMatch, URIRef(expand(conv, xref))))
        _lit(g, node, RDFS.comment, ent.note)
    trial_class = vocab.type_class(schema.TRIAL_TYPE)
    for node_id in trial_nodes(cur):
        node = entity_iri(node_id)
        g.add((node, RDF.type, trial_class))
        g.add((node, RDFS.label, Literal(node_id)))


def _claim(g: Sink, cur: Curation, claim: Claim) -> None:
    """One claim node with its fields and provenance."""
    node = CLAIM[claim.id]
    g.add((node, RDF.type, EXO.Claim))
    g.add((node, RDFS.label, Literal(claim.id)))
    _lit(g, node, EXO.agent, claim.agent)
    g.add((node, EXO.source, entity_iri(claim.source)))
    if claim.cargo:
        g.add((node, EXO.cargo, entity_iri(claim.cargo)))
    _lit(g, node, EXO.donor, claim.donor)
    _lit(g, node, EXO.mechanism, claim.mechanism_text())
    for step in claim.mechanism:
        for ent_id in step.entities:
            g.add((node, EXO.involves, entity_iri(ent_id)))
    for eff in claim.processes:
        g.add((node, _PROCESS_PROP[eff.verb], entity_iri(eff.entity)))
    for eff in claim.diseases:
        g.add((node, _DISEASE_PROP[eff.verb], entity_iri(eff.entity)))
    for ev in claim.evidence:
        g.add((node, EXO.evidence, Literal(ev)))
    _lit(g, node, EXO.model, claim.model)
    _lit(g, node, EXO.dose, claim.dose)
    _provenance(g, node, cur, claim.refs, claim.review, claim.where, claim.note)


def _trial(g: Sink, cur: Curation, trial: Trial) -> None:
    """One trial report node with its fields and provenance."""
    node = REPORT[trial.id]
    g.add((node, RDF.type, EXO.TrialReport))
    g.add((node, RDFS.label, Literal(trial.id)))
    g.add((node, EXO.reportsTrial, entity_iri(trial.node_id)))
    _lit(g, node, EXO.trialId, trial.trial)
    _lit(g, node, EXO.agent, trial.agent)
    g.add((node, EXO.source, entity_iri(trial.source)))
    for field in ("route", "phase", "enrollment", "status", "design", "outcome"):
        _lit(g, node, exo_term(field), getattr(trial, field))
    _provenance(g, node, cur, trial.refs, trial.review, trial.where, trial.note)


def _attribute(g: Sink, cur: Curation, attr: Attribute) -> None:
    """One attribute node (a fact about an entity) with its provenance."""
    node = ATTR[_hash(attr.entity, attr.attribute, attr.value, attr.review, attr.where)]
    g.add((node, RDF.type, EXO.Attribute))
    g.add((node, EXO.describes, entity_iri(attr.entity)))
    g.add((node, EXO.attributeName, Literal(attr.attribute)))
    g.add((node, RDF.value, Literal(attr.value)))
    _provenance(g, node, cur, attr.refs, attr.review, attr.where, "")


def _edges(g: Sink, cur: Curation, vocab: Vocabulary) -> None:
    """Each edge materialised, and described by its ``exo:Edge`` statement."""
    for e in edges(cur):
        s, p, o = entity_iri(e.subject), vocab.predicate(e.predicate), entity_iri(e.object)
        g.add((s, p, o))
        node = EDGE[edge_key(e.subject, e.predicate, e.object)]
        g.add((node, RDF.type, EXO.Edge))
        g.add((node, RDF.subject, s))
        g.add((node, RDF.predicate, p))
        g.add((node, RDF.object, o))
        g.add((node, EXO.kind, Literal(e.kind)))
        if cur.predicates[e.predicate].has_sign:  # a parent link has no sign
            g.add((node, EXO.sign, _SIGN[e.sign]))
        g.add((node, EXO.derived, Literal(e.derived, datatype=XSD.boolean)))
        for rid in e.claims:
            g.add((node, EXO.supportedBy, CLAIM[rid] if rid in cur.claims else REPORT[rid]))
        for source in e.sources:
            g.add((node, EXO.externalSource, Literal(source)))
