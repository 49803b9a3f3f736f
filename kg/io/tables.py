"""Tabular exports: KGX TSV (Biolink) and a CSV pair for Neo4j's bulk import.

KGX: ``nodes.tsv`` (id, category, name, synonym, xref, provided_by) and ``edges.tsv`` (id,
subject, predicate, object, qualified_predicate, object_direction_qualifier,
original_predicate, knowledge_level, agent_type, primary_knowledge_source, publications,
supporting claims); lists are ``|``-separated.

Node ids: a node with an exact cross-reference in a namespace Biolink knows gets that CURIE
as its id, spelled with Biolink's prefix (``HGNC:3819``, ``MONDO:0004975``,
``mirbase:MI0000477``); the ``kgx_ids`` column of ``schema/types.tsv`` gives the order of
preference per entity type and the concrete Biolink class each choice implies (an HGNC gene
is a ``biolink:Gene``, a UniProt entry a ``biolink:Protein``); a trial with an NCT number
is ``CLINICALTRIALS:NCT…`` (Biolink's id prefix for ``ClinicalTrial``). The local CURIE
(``exokg:FOXO1``) is then kept in ``xref``.
A node keeps its local id when it has no such xref, or when another node carries it too.

Edges: causal edges use Biolink's qualified form (``affects`` with ``qualified_predicate =
causes`` and the direction, increased/decreased, when the sign is known). A derived edge
(read off a claim's reported effects, :func:`kg.graph.edges.derivation`) is a
``logical_entailment`` by an ``automated_agent``; every other edge a ``knowledge_assertion``
by a ``manual_agent`` (the curator). The predicate and
its direction are columns of ``schema/predicates.tsv`` (``biolink``, ``kgx``, ``kgx_inverse``)
and, for parent links, of ``schema/parents.tsv`` (``kgx`` per type pair). Hierarchy links are
written as Biolink states them: ``part_of`` in its canonical direction (``parent has_part
child``), ``is_a`` as ``subclass_of`` between ontology classes, ``derives_from`` between RNAs
(a mature miRNA arm comes from its precursor) and ``member_of`` for genes and chemicals in a
group; a trial is ``related_to_at_instance_level`` its disease (Biolink's ``studied_to_treat``
needs a drug or treatment as subject, not a study). ``original_predicate`` is the exokg
property as the RDF export spells it (``exo:hasCargo``), stated for the edge's original
direction. ``infores:exokg`` is this project's source id (not yet registered).

Neo4j: ``nodes.csv`` (``id:ID``, ``name``, ``:LABEL``, ``synonyms:string[]``) and
``relationships.csv`` (``:START_ID``, ``:END_ID``, ``:TYPE``, ``sign``,
``claims:string[]``, ``citations:string[]``) for ``neo4j-admin database import`` with the
default array delimiter ``;``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from kg.data import schema
from kg.data.model import NCT_PREFIX, Curation, sign_symbol
from kg.errors import ExportError
from kg.graph.curie import entity_curie
from kg.graph.edges import STATED_LEVEL, Edge, edges, knowledge_level, trial_nodes
from kg.graph.terms import edge_key
from kg.io.files import check_target, write_output
from kg.io.formats import TABLE_FILES
from kg.query.summary import citation_text

__all__ = [
    "BIOLINK_PREFIX", "INFORES", "KGX_EDGE_COLUMNS", "KGX_NODE_COLUMNS", "MAPPING_PREDICATES",
    "TABLE_FILES", "biolink_curie", "check_table_folder", "kgx_nodes", "kgx_predicate",
    "kgx_tables", "knowledge_level", "mapping_rows", "neo4j_tables", "write_tables",
]

INFORES = "infores:exokg"
KGX_NODE_COLUMNS = ["id", "category", "name", "synonym", "xref", "provided_by"]
KGX_EDGE_COLUMNS = ["id", "subject", "predicate", "object", "qualified_predicate",
                    "object_direction_qualifier", "original_predicate", "knowledge_level",
                    "agent_type", "primary_knowledge_source", "publications", "supporting_claims"]
_DIRECTION = {1: "increased", -1: "decreased", None: ""}

#: Prefix of ``schema/prefixes.tsv`` (bioregistry) -> the prefix Biolink's context uses.
BIOLINK_PREFIX: dict[str, str] = {
    "hgnc": "HGNC", "ncbigene": "NCBIGene", "uniprot": "UniProtKB", "mirbase": "mirbase",
    "rnacentral": "RNACENTRAL", "chebi": "CHEBI", "go": "GO", "reactome": "REACT",
    "wikipathways": "WIKIPATHWAYS", "kegg.pathway": "KEGG.PATHWAY", "mondo": "MONDO",
    "doid": "DOID", "hp": "HP", "efo": "EFO", "cl": "CL", "uberon": "UBERON", "maxo": "MAXO",
    "pubmed": "PMID", "doi": "doi",
    # Biolink's context has one miRBase prefix; mature accessions (MIMAT…) are miRBase's too
    "mirbase.mature": "mirbase",
}

#: Biolink predicate of a non-exact mapping, and whether its KGX edge runs term -> entity
#: (``narrow_match`` is the non-canonical inverse of ``broad_match``).
MAPPING_PREDICATES: dict[str, tuple[str, bool]] = {
    "close": ("biolink:close_match", False),
    "broad": ("biolink:broad_match", False),
    "narrow": ("biolink:broad_match", True),
}

#: Category of a mapped term's node by prefix, where the term's kind does not follow the
#: entity's type (an UBERON tissue mapped from an MSC source is an anatomical entity).
_TERM_CATEGORY = {"uberon": "biolink:AnatomicalEntity", "fplx": "biolink:GeneFamily",
                  "oba": "biolink:PhenotypicFeature"}

#: An exact xref in one of these namespaces fixes the class even when it cannot be the id.
_CLASS_ONLY = {"fplx": "biolink:GeneFamily"}


def _nodes(cur: Curation) -> list[tuple[str, str, str, list[str], list[str]]]:
    """(id, type, label, synonyms, xrefs) of every node, sorted."""
    out = [(e.id, e.type, e.label, list(e.synonyms), list(e.xrefs))
           for e in cur.entities.values()]
    out += [(t, schema.TRIAL_TYPE, t, [], []) for t in trial_nodes(cur)]
    return sorted(out)


def biolink_curie(curie: str) -> str:
    """A CURIE of ``schema/prefixes.tsv`` spelled with Biolink's prefix (else unchanged).

    Examples
    --------
    >>> biolink_curie("hgnc:3819"), biolink_curie("fplx:AKT")
    ('HGNC:3819', 'fplx:AKT')
    """
    prefix, _, local = curie.partition(":")
    return f"{BIOLINK_PREFIX[prefix]}:{local}" if prefix in BIOLINK_PREFIX else curie


def kgx_nodes(cur: Curation) -> dict[str, tuple[str, str]]:
    """Node id -> (KGX id, Biolink category), for every entity and trial.

    The id is the node's most preferred usable xref (``kgx_ids`` of its type's row) that no
    other node carries, else the local CURIE.
    """
    nodes = _nodes(cur)
    uses = Counter(x for *_, xrefs in nodes for x in set(xrefs))
    chosen: dict[str, tuple[str, str]] = {}
    for node, node_type, _, _, xrefs in nodes:
        by_prefix: dict[str, str] = {}
        for x in sorted(xrefs):
            if uses[x] == 1:
                by_prefix.setdefault(x.split(":", 1)[0], x)
        row = cur.types.get(node_type)
        pick = next(((by_prefix[p], cat) for p, cat in (row.kgx_ids if row else ())
                     if p in by_prefix), None)
        if pick is not None:
            chosen[node] = (biolink_curie(pick[0]), pick[1])
        elif node_type == schema.TRIAL_TYPE and node.startswith(NCT_PREFIX):
            chosen[node] = (f"CLINICALTRIALS:{node}", schema.TRIAL_CATEGORY)
        else:
            prefixes = {x.split(":", 1)[0] for x in xrefs}
            cat = next((c for p, c in _CLASS_ONLY.items() if p in prefixes),
                       schema.category(cur, node_type))
            chosen[node] = (entity_curie(node), cat)
    return chosen


def kgx_predicate(cur: Curation, e: Edge) -> tuple[str, bool]:
    """The Biolink predicate of an edge, and whether it runs object -> subject.

    Read from the schema rows (:func:`kg.data.schema.kgx_predicate`).
    """
    pred = schema.kgx_predicate(cur, e.subject, e.predicate, e.object)
    return pred.predicate, pred.inverse


def _publications(cur: Curation, e: Edge) -> list[str]:
    pubs: set[str] = set()
    for rid in e.claims:
        refs = cur.claims[rid].refs if rid in cur.claims else cur.trials[rid].refs
        for cited in refs:
            ref = cur.reference(cited)
            if ref.any_pmid.isdigit():
                pubs.add(f"PMID:{ref.any_pmid}")
            elif ref.any_doi:
                pubs.add(f"doi:{ref.any_doi}")
            else:
                pubs.add(f"exokg.ref:{ref.key}")
    return sorted(pubs)


def _tsv(header: list[str], rows: list[list[str]], delimiter: str = "\t") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n",
                        quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def mapping_rows(cur: Curation, ids: dict[str, tuple[str, str]]
                 ) -> tuple[list[list[str]], list[list[str]]]:
    """KGX nodes and edges of the close, broad and narrow mappings.

    Exact mappings are the node's id or its ``xref``; every other one is an edge with its
    Biolink mapping predicate (``close_match``, ``broad_match``; a narrow match is written
    as the term's ``broad_match`` to the entity) to the mapped term. The term is the node
    that already carries that id, else a node of its own, named with the label the
    authority's file gives it (``source_label`` of ``xrefs/``).
    """
    taken = {kid: category for kid, category in ids.values()}
    labels = {(r.entity, r.xref): r.source_label for r in cur.xref_records}
    terms: dict[str, list[str]] = {}
    edges_out = []
    for ent in sorted(cur.entities.values(), key=lambda e: e.id):
        kid = ids[ent.id][0]
        row = cur.types.get(ent.type)
        for match, xref in ent.close_xrefs:
            term = biolink_curie(xref)
            prefix = xref.split(":", 1)[0]
            if term not in taken and term not in terms:
                category = _TERM_CATEGORY.get(prefix) or dict(row.kgx_ids if row else ()).get(
                    prefix) or schema.category(cur, ent.type)
                terms[term] = [term, category, labels.get((ent.id, xref), ""), "", "",
                               INFORES]
            predicate, flip = MAPPING_PREDICATES[match]
            subject, obj = (term, kid) if flip else (kid, term)
            edges_out.append([
                f"exokg.edge:{edge_key(ent.id, 'skos:' + match + 'Match', xref)}", subject,
                predicate, obj, "", "", "", *STATED_LEVEL, INFORES,
                "", ""])
    return list(terms.values()), edges_out


def kgx_tables(cur: Curation) -> tuple[bytes, bytes]:
    """The KGX ``nodes.tsv`` and ``edges.tsv`` contents."""
    ids = kgx_nodes(cur)
    nodes = []
    for n, _, label, syn, xr in _nodes(cur):
        kid, category = ids[n]
        xrefs = sorted({entity_curie(n), *(biolink_curie(x) for x in xr)} - {kid})
        nodes.append([kid, category, label, "|".join(syn), "|".join(xrefs), INFORES])
    term_nodes, rows = mapping_rows(cur, ids)
    nodes += term_nodes
    for e in edges(cur):
        predicate, flip = kgx_predicate(cur, e)
        subject, obj = ids[e.subject][0], ids[e.object][0]
        if flip:
            subject, obj = obj, subject
        direction = _DIRECTION[e.sign] if e.kind == "causal" else ""
        rows.append([
            f"exokg.edge:{edge_key(*e.key)}", subject, predicate, obj,
            "biolink:causes" if direction else "", direction,
            f"exo:{schema.predicate_property(cur, e.predicate)}",
            *knowledge_level(e), INFORES,
            "|".join(_publications(cur, e)) if e.claims else "", "|".join(e.claims)])
    rows.sort()
    return _tsv(KGX_NODE_COLUMNS, sorted(nodes)), _tsv(KGX_EDGE_COLUMNS, rows)


def neo4j_tables(cur: Curation) -> tuple[bytes, bytes]:
    """The Neo4j bulk-import ``nodes.csv`` and ``relationships.csv`` contents."""

    def clean(text: str) -> str:
        return text.replace(";", ",")  # ';' separates array items

    nodes = [[n, label, t.capitalize(), ";".join(clean(s) for s in syn)]
             for n, t, label, syn, _ in _nodes(cur)]
    rels = []
    for e in edges(cur):
        cites = sorted({clean(citation_text(cur, r)) for c in e.claims if c in cur.claims
                        for r in cur.claims[c].refs})
        sign = sign_symbol(e.sign) if e.has_sign else ""
        rels.append([e.subject, e.object, e.predicate.upper(), sign, ";".join(e.claims),
                     ";".join(cites)])
    return (_tsv(["id:ID", "name", ":LABEL", "synonyms:string[]"], nodes, ","),
            _tsv([":START_ID", ":END_ID", ":TYPE", "sign", "claims:string[]",
                  "citations:string[]"], rels, ","))


#: Files each table format writes, with the start of their header line.


def check_table_folder(fmt: str, folder: str | Path, *, force: bool = False) -> Path:
    """Check that ``fmt`` tables may be written into ``folder`` (see :func:`check_target`).

    The folder itself is created when its parent exists; files of other kinds in it are
    never overwritten without ``force``.
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file; -f {fmt} writes two files into a folder")
    if not target.exists():
        check_target(target, "tsv")  # its parent folder must exist
        return target
    for name, _ in TABLE_FILES[fmt]:
        check_target(target / name, "tsv", force=force)
    return target


def write_tables(cur: Curation, fmt: str, folder: str | Path, *, force: bool = False
                 ) -> list[Path]:
    """Write ``kgx`` or ``neo4j`` tables into ``folder`` (each file atomically)."""
    target = check_table_folder(fmt, folder, force=force)
    data = kgx_tables(cur) if fmt == "kgx" else neo4j_tables(cur)
    try:
        target.mkdir(exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {target}: {exc.strerror or exc}") from exc
    names = [name for name, _ in TABLE_FILES[fmt]]
    return [write_output(target / name, body) for name, body in zip(names, data, strict=True)]
