"""The exports checked against outside references, offline.

- GraphML against the GraphML 1.1 XSD (vendored in ``tests/data/graphml-xsd``, see its README);
- KGX TSV against the Biolink model 4.4.6 (``tests/data/biolink``): classes, predicates,
  domains and ranges, canonical directions, enums, id prefixes; and with ``kgx validate``
  itself when an interpreter with kgx is available (``EXOKG_KGX_PYTHON``);
- the RDF, KGX and prefix map agree on IRIs;
- SHACL with the shapes graph alone (no class hierarchy from the data), in pyshacl and, when
  node is installed, in the JavaScript engine ``rdf-validate-shacl``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kg.data.model import Curation

DATA = Path(__file__).resolve().parent / "data"
XSD = DATA / "graphml-xsd"
BIOLINK = DATA / "biolink"
LOCAL_PREFIXES = {"exokg", "exokg.trial"}


# --------------------------------------------------------------------------- GraphML


def graphml_schema() -> Any:
    """The GraphML 1.1 XSD with every import resolved to the vendored copies (no network)."""
    from lxml import etree

    class Vendored(etree.Resolver):  # type: ignore[misc]
        def resolve(self, url: str, pubid: str, context: Any) -> Any:
            local = XSD / url.rsplit("/", 1)[-1]
            if not local.is_file():
                raise OSError(f"schema {url} is not vendored in {XSD}")
            return self.resolve_filename(str(local), context)

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Vendored())
    return etree.XMLSchema(etree.parse(str(XSD / "graphml.xsd"), parser))


@pytest.fixture(scope="module")
def graphml(cur: Curation) -> bytes:
    from kg.io.graphml import graphml_bytes

    return graphml_bytes(cur)


def test_graphml_validates_against_the_graphml_1_1_xsd(graphml: bytes) -> None:
    from lxml import etree

    schema = graphml_schema()
    ok = schema.validate(etree.fromstring(graphml))
    assert ok, [f"line {e.line}: {e.message}" for e in schema.error_log][:5]


def test_the_xsd_check_is_real(graphml: bytes) -> None:
    """Two edges with one id (what the export used to write) fail the schema."""
    from lxml import etree

    doc = etree.fromstring(graphml)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    first, second = doc.findall(".//g:edge", ns)[:2]
    second.set("id", first.get("id"))
    assert not graphml_schema().validate(doc)


def test_graphml_booleans_are_xml_schema_booleans(graphml: bytes) -> None:
    from lxml import etree

    doc = etree.fromstring(graphml)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {k.get("id") for k in doc.findall("g:key", ns) if k.get("attr.type") == "boolean"}
    assert keys, "no boolean attribute in the export"
    values = {d.text for d in doc.iter("{*}data") if d.get("key") in keys}
    assert values == {"true", "false"}


def test_graphml_edge_ids_are_the_edge_keys_of_every_export(cur: Curation,
                                                             graphml: bytes) -> None:
    import networkx as nx

    from kg.graph.edges import edges
    from kg.graph.terms import edge_key

    back = nx.read_graphml(io.BytesIO(graphml), force_multigraph=True)
    ids = [k for _, _, k in back.edges(keys=True)]
    assert len(ids) == len(set(ids)) == len(edges(cur))
    assert set(ids) == {"e" + edge_key(*e.key) for e in edges(cur)}
    assert {type(d) for _, _, d in back.edges(data="derived")} == {bool}


# --------------------------------------------------------------------------- Biolink


class Biolink:
    """Just enough of the Biolink model (its YAML) to check a KGX export."""

    def __init__(self) -> None:
        import yaml

        with gzip.open(BIOLINK / "biolink_model.yaml.gz", "rt", encoding="utf-8") as f:
            model = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        self.version: str = model["version"]
        self.uri: str = model["prefixes"]["biolink"]
        self.classes: dict[str, dict[str, Any]] = {
            k: v or {} for k, v in model["classes"].items()}
        self.slots: dict[str, dict[str, Any]] = {k: v or {} for k, v in model["slots"].items()}
        self.enums: dict[str, set[str]] = {
            k: set((v or {}).get("permissible_values") or {}) for k, v in model["enums"].items()}
        self.by_curie = {"biolink:" + "".join(w[:1].upper() + w[1:] for w in name.split()): name
                         for name in self.classes}
        self.prefixes: dict[str, str] = json.loads(
            (BIOLINK / "biolink_model_prefix_map.json").read_text(encoding="utf-8"))

    def cls(self, curie: str) -> str:
        assert curie in self.by_curie, f"{curie} is not a Biolink class"
        return self.by_curie[curie]

    def slot(self, curie: str) -> dict[str, Any]:
        name = curie.removeprefix("biolink:").replace("_", " ")
        assert name in self.slots, f"{curie} is not a Biolink slot"
        return self.slots[name]

    def ancestors(self, name: str) -> set[str]:
        """The class, its is_a chain and every mixin, transitively."""
        out, todo = set(), [name]
        while todo:
            c = todo.pop()
            if c in out:
                continue
            out.add(c)
            info = self.classes[c]
            todo += [info["is_a"]] if info.get("is_a") else []
            todo += info.get("mixins") or []
        return out

    def descendants(self, name: str) -> set[str]:
        return {c for c in self.classes if name in self.ancestors(c)}

    def slot_chain(self, name: str) -> list[str]:
        chain = [name]
        while self.slots[chain[-1]].get("is_a"):
            chain.append(self.slots[chain[-1]]["is_a"])
        return chain

    def inherited(self, slot: str, field: str) -> str | None:
        """A slot's domain or range, from the nearest slot in its is_a chain stating one."""
        return next((self.slots[s][field] for s in self.slot_chain(slot)
                     if self.slots[s].get(field)), None)

    def id_prefixes(self, name: str) -> set[str]:
        related = self.ancestors(name) | self.descendants(name)
        return {p for c in related for p in self.classes[c].get("id_prefixes") or []}


@cache
def biolink() -> Biolink:
    return Biolink()


@pytest.fixture(scope="module")
def kgx(cur: Curation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.io.tables import write_tables

    folder = tmp_path_factory.mktemp("kgx")
    write_tables(cur, "kgx", folder)
    return folder


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_kgx_categories_are_concrete_biolink_classes(kgx: Path) -> None:
    bl = biolink()
    for node in read_tsv(kgx / "nodes.tsv"):
        info = bl.classes[bl.cls(node["category"])]
        assert not info.get("mixin") and not info.get("abstract"), node
        assert "named thing" in bl.ancestors(bl.cls(node["category"])), node


def test_kgx_node_ids_use_standard_curies(cur: Curation, kgx: Path) -> None:
    """A node with an exact xref Biolink knows is identified by it; local ids stay in xref."""
    from kg.graph.curie import entity_curie
    from kg.io.tables import BIOLINK_PREFIX, biolink_curie

    bl = biolink()
    nodes = read_tsv(kgx / "nodes.tsv")
    ids = [n["id"] for n in nodes]
    assert len(ids) == len(set(ids))
    local = {}
    mapped = {e[end] for e in read_tsv(kgx / "edges.tsv") if e["predicate"].endswith("_match")
              for end in ("subject", "object")}
    for n in nodes:
        mine = [x for x in [n["id"], *n["xref"].split("|")] if x.split(":")[0] in LOCAL_PREFIXES]
        if not mine:  # a mapped ontology term, not an entity: only there to end mapping edges
            # spelled with Biolink's prefix, or in a namespace Biolink's context lacks
            # (FamPlex, OBA: see KGX_EXPLAINED)
            prefix = n["id"].split(":")[0]
            assert n["id"] in mapped, n
            assert prefix in bl.prefixes or prefix in {"fplx", "oba"}, n
            continue
        assert len(mine) == 1, n
        local[mine[0].split(":", 1)[1]] = n
    assert set(local) == set(cur.entities) | {t.node_id for t in cur.trials.values()}
    uses = Counter(x for e in cur.entities.values() for x in e.xrefs)
    for ent in cur.entities.values():
        node = local[ent.id]
        prefix = node["id"].split(":", 1)[0]
        usable = [x for x in ent.xrefs if x.split(":")[0] in dict(cur.types[ent.type].kgx_ids)]
        if prefix in LOCAL_PREFIXES:
            # only when it has no usable xref, or each one is another node's xref too
            assert all(uses[x] > 1 for x in usable), node
            assert node["id"] == entity_curie(ent.id)
            continue
        assert node["id"] in {biolink_curie(x) for x in usable}, node
        assert prefix in bl.prefixes, node
        assert prefix in bl.id_prefixes(bl.cls(node["category"])), node
    assert set(BIOLINK_PREFIX.values()) <= set(bl.prefixes)


def test_kgx_edges_follow_the_biolink_model(kgx: Path) -> None:
    bl = biolink()
    category = {n["id"]: bl.cls(n["category"]) for n in read_tsv(kgx / "nodes.tsv")}
    seen = set()
    for e in read_tsv(kgx / "edges.tsv"):
        slot = bl.slot(e["predicate"])
        name = e["predicate"].removeprefix("biolink:").replace("_", " ")
        assert "related to" in bl.slot_chain(name), e
        assert not slot.get("mixin") and not slot.get("abstract") and not slot.get("deprecated")
        inverse = slot.get("inverse")
        assert not (inverse and (bl.slots[inverse].get("annotations") or {}).get(
            "canonical_predicate")), f"{e['predicate']} is the non-canonical direction"
        for end, field in (("subject", "domain"), ("object", "range")):
            want = bl.inherited(name, field)
            if want and want != "named thing":
                assert want in bl.ancestors(category[e[end]]), (
                    f"{e['id']}: {e[end]} ({category[e[end]]}) is outside the {field} "
                    f"'{want}' of {e['predicate']}")
        if e["qualified_predicate"]:
            bl.slot(e["qualified_predicate"])
        if e["object_direction_qualifier"]:
            assert e["object_direction_qualifier"] in bl.enums["DirectionQualifierEnum"]
        assert e["knowledge_level"] in bl.enums["KnowledgeLevelEnum"]
        assert e["agent_type"] in bl.enums["AgentTypeEnum"]
        seen.add(e["predicate"])
    assert {"biolink:affects", "biolink:has_part", "biolink:subclass_of"} <= seen


def test_kgx_columns_are_biolink_slots(kgx: Path) -> None:
    from kg.io.tables import KGX_EDGE_COLUMNS, KGX_NODE_COLUMNS

    bl = biolink()
    for column in {*KGX_NODE_COLUMNS, *KGX_EDGE_COLUMNS} - {"supporting_claims"}:
        bl.slot(column)


def kgx_python() -> str | None:
    """An interpreter with kgx installed: ``$EXOKG_KGX_PYTHON``, else this one if it has it."""
    env = os.environ.get("EXOKG_KGX_PYTHON")
    if env:
        return env
    import importlib.util

    return sys.executable if importlib.util.find_spec("kgx") is not None else None


#: kgx validate, offline: bmt reads the vendored Biolink YAML, kgx's JSON-LD context is the
#: vendored Biolink prefix map, and any attempt to open a socket fails the run.
KGX_RUNNER = r"""
import contextlib, gzip, io, json, pathlib, socket, sys, tempfile

def offline(*args, **kwargs):
    raise OSError("kgx validate tried to use the network")

socket.socket.connect = offline
socket.create_connection = offline
model, report, *inputs = sys.argv[1:]
schema = pathlib.Path(tempfile.mkdtemp())
for name in ("biolink_model", "attributes"):  # the model imports attributes.yaml
    with gzip.open(f"{model}/{name}.yaml.gz", "rt", encoding="utf-8") as f:
        (schema / f"{name}.yaml").write_text(f.read(), encoding="utf-8")
from bmt import Toolkit
Toolkit.__init__.__defaults__ = (str(schema / "biolink_model.yaml"),
                                 {"predicate mappings": []})
toolkit = Toolkit()
import kgx.config
kgx.config.jsonld_context_map["biolink"] = {
    **json.load(open(f"{model}/biolink_model_prefix_map.json")),
    "biolink": "https://w3id.org/biolink/vocab/"}
import kgx.utils.kgx_utils as utils
import kgx.validator as validator
from kgx.cli.cli_utils import validate
utils._default_toolkit = toolkit
utils.get_toolkit = validator.get_toolkit = lambda biolink_release=None: toolkit
with contextlib.redirect_stderr(io.StringIO()):
    errors = validate(inputs, "tsv", None, None)
json.dump({"model": toolkit.get_model_version(), "errors": errors}, open(report, "w"))
"""

#: What kgx still reports, and why (docs/formats.md, on KGX, says the same).
KGX_EXPLAINED = {
    # nodes with no exact xref in a namespace Biolink knows keep the local id
    "prefix exokg", "prefix exokg.trial",
    # Biolink lists CLINICALTRIALS as ClinicalTrial's id prefix but not in its JSON-LD context
    "prefix CLINICALTRIALS",
    # FamPlex families (a mapped term, or an entity's only exact xref): not in Biolink's context
    "prefix fplx",
    # OBA (Ontology of Biological Attributes), the replacement of an obsolete EFO trait: a
    # close match only, and not in Biolink's context
    "prefix oba",
    # kgx's CamelCase test (^([A-Z][a-z\d]+)+$) rejects Biolink classes spelled with acronyms
    "camelcase MicroRNA", "camelcase NoncodingRNAProduct", "camelcase RNAProduct",
}


@pytest.mark.slow
def test_kgx_validate_reports_only_explained_messages(kgx: Path, tmp_path: Path) -> None:
    python = kgx_python()
    if python is None:
        if os.environ.get("CI"):
            pytest.fail("no interpreter with kgx: 'make test' installs it in .venv-kgx")
        pytest.skip("no interpreter with kgx (set EXOKG_KGX_PYTHON; kgx's dependencies "
                    "conflict with this environment's, so it lives in its own venv)")
    report = tmp_path / "report.json"
    subprocess.run([python, "-c", KGX_RUNNER, str(BIOLINK), str(report),
                    str(kgx / "nodes.tsv"), str(kgx / "edges.tsv")],
                   check=True, timeout=600, capture_output=True)
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["model"] == biolink().version
    found = set()
    for level in result["errors"].values():
        for kind, messages in level.items():
            for message in messages:
                prefix = re.search(r"CURIE prefix '([^']*)'", message)
                camel = re.search(r"Category '([^']*)' is not in CamelCase", message)
                key = (f"prefix {prefix.group(1)}" if prefix else
                       f"camelcase {camel.group(1)}" if camel else f"{kind}: {message}")
                found.add(key)
    assert found <= KGX_EXPLAINED, sorted(found - KGX_EXPLAINED)


# --------------------------------------------------------------------------- one set of IRIs


def test_prefix_map_rdf_and_biolink_agree_on_namespaces(cur: Curation) -> None:
    from kg.graph.namespace import BIOLINK as BIOLINK_NS
    from kg.graph.namespace import CLAIM, EDGE, EXO, ID, REF, TRIAL

    assert cur.prefixes["biolink"] == str(BIOLINK_NS) == biolink().uri
    assert cur.prefixes["exo"] == str(EXO)
    assert {cur.prefixes[p] for p in ("exokg", "exokg.claim", "exokg.edge", "exokg.ref",
                                      "exokg.trial")} == {
        str(ID), str(CLAIM), str(EDGE), str(REF), str(TRIAL)}


def test_every_edge_has_an_edge_statement_in_rdf(cur: Curation) -> None:
    from rdflib import RDF, Literal

    from kg.graph.edges import edges
    from kg.graph.namespace import EDGE, EXO
    from kg.graph.rdf import build_rdf, entity_iri, predicate_iri
    from kg.graph.terms import edge_key

    g = build_rdf(cur)
    kinds = set()
    for e in edges(cur):
        node = EDGE[edge_key(*e.key)]
        assert (node, RDF.type, EXO.Edge) in g, e
        assert g.value(node, RDF.subject) == entity_iri(e.subject)
        assert g.value(node, RDF.predicate) == predicate_iri(e.predicate, cur)
        assert g.value(node, RDF.object) == entity_iri(e.object)
        assert g.value(node, EXO.kind) == Literal(e.kind)
        kinds.add(e.kind)
    assert "hierarchy" in kinds
    assert len(set(g.subjects(RDF.type, EXO.Edge))) == len(edges(cur))


def test_kgx_original_predicates_are_the_rdf_properties(cur: Curation, kgx: Path) -> None:
    from rdflib import OWL, RDF, URIRef

    from kg.graph.curie import converter, expand
    from kg.graph.rdf import build_rdf

    g = build_rdf(cur)
    conv = converter(cur)
    used = {r["original_predicate"] for r in read_tsv(kgx / "edges.tsv")
            if not r["predicate"].endswith("_match")}  # mappings are no exokg property
    for curie in used:
        iri = URIRef(expand(conv, curie))
        assert (iri, RDF.type, OWL.ObjectProperty) in g, curie
        assert next(g.subject_objects(iri), None) is not None, curie


def test_graphml_kgx_and_rdf_name_edges_alike(cur: Curation, kgx: Path,
                                              graphml: bytes) -> None:
    from lxml import etree
    from rdflib import RDF

    from kg.graph.namespace import EDGE, EXO
    from kg.graph.rdf import build_rdf

    rdf = {str(s).removeprefix(str(EDGE)) for s in build_rdf(cur).subjects(RDF.type, EXO.Edge)}
    kgx_ids = {r["id"].removeprefix("exokg.edge:") for r in read_tsv(kgx / "edges.tsv")
               if not r["predicate"].endswith("_match")}  # xref mappings are not graph edges
    gml = {e.get("id").removeprefix("e") for e in etree.fromstring(graphml).iter("{*}edge")}
    assert rdf == kgx_ids == gml


# --------------------------------------------------------------------------- SHACL


def rdf_without_schema(cur: Curation) -> Any:
    """The export with every schema triple removed: no class hierarchy in the data graph."""
    from rdflib import OWL, RDF, RDFS

    from kg.graph.rdf import build_rdf

    g = build_rdf(cur)
    for cls in set(g.subjects(RDF.type, OWL.Class)):
        g.remove((cls, None, None))
    g.remove((None, RDFS.subClassOf, None))
    return g


@pytest.mark.slow  # pyshacl over the real graph: about 10 s, more on a busy machine
def test_shapes_hold_with_the_shapes_graph_alone(cur: Curation) -> None:
    """An engine that takes class links only from the shapes graph still sees a conforming
    export (the data graph here has no rdfs:subClassOf at all)."""
    import pyshacl
    from rdflib import Graph

    from kg.io.shacl import shapes_path

    shapes = Graph().parse(shapes_path(cur), format="turtle")
    conforms, _, text = pyshacl.validate(rdf_without_schema(cur), shacl_graph=shapes,
                                         ont_graph=None, inference="none", advanced=False)
    assert conforms, text[:2000]


def test_shapes_name_every_entity_class(cur: Curation) -> None:
    """The shapes list the entity classes explicitly, so they must list all of them."""
    from rdflib import RDF, RDFS, Graph, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    from kg.data.schema import node_types, type_class
    from kg.graph.namespace import EXO
    from kg.io.shacl import shapes_path

    shapes = Graph().parse(shapes_path(cur), format="turtle")
    want = {URIRef(str(EXO) + c) for c in (type_class(cur, t) for t in node_types(cur))}
    entity_shape = URIRef(str(EXO) + "EntityShape")
    assert (entity_shape, RDF.type, SH.NodeShape) in shapes
    assert set(shapes.objects(entity_shape, SH.targetClass)) == want
    assert set(shapes.subjects(RDFS.subClassOf, EXO.Entity)) == want
    typed = Collection(shapes, shapes.value(URIRef(str(EXO) + "TypedEntity"), SH["or"]))
    assert {shapes.value(member, SH["class"]) for member in typed} == want
    assert (None, SH["class"], EXO.Entity) not in shapes
    assert (None, SH.targetClass, EXO.Entity) not in shapes


def _node() -> str | None:
    return shutil.which("node")


JS_ENGINE = DATA / "shacl-js" / "validate.cjs"


@pytest.mark.slow
@pytest.mark.skipif(_node() is None, reason="node is not installed")
def test_rdf_validate_shacl_engine_agrees(cur: Curation, tmp_path: Path) -> None:
    """rdf-validate-shacl (JavaScript, bundled in tests/data/shacl-js) finds the export
    conforming, and finds the violation pyshacl finds in a broken copy."""
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS

    from kg.graph.namespace import CLAIM
    from kg.graph.rdf import build_rdf
    from kg.io.formats import serialize
    from kg.io.shacl import shapes_path

    def run(data: bytes) -> dict[str, Any]:
        path = tmp_path / "data.nt"
        path.write_bytes(data)
        out = subprocess.run([str(_node()), str(JS_ENGINE), str(shapes_path(cur)), str(path)],
                             check=True, capture_output=True, text=True, timeout=300)
        result: dict[str, Any] = json.loads(out.stdout)
        return result

    assert run(serialize(build_rdf(cur), "nt"))["conforms"]
    alone = run(serialize(rdf_without_schema(cur), "nt"))  # class links only in the shapes
    assert alone["engine"].startswith("rdf-validate-shacl")
    assert alone["conforms"], alone["results"][:5]
    g = build_rdf(cur)
    claim = CLAIM["wei2024-t1-07"]
    g.remove((claim, DCTERMS.source, None))
    g.remove((claim, URIRef("https://w3id.org/exokg/schema#agent"), None))
    bad = run(serialize(g, "nt"))
    assert not bad["conforms"]
    assert {(r["focus"], r["path"]) for r in bad["results"]} == {
        (str(claim), str(DCTERMS.source)),
        (str(claim), "https://w3id.org/exokg/schema#agent")}
