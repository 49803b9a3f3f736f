"""Tabular exports: KGX TSV (Biolink) and a CSV pair for Neo4j's bulk import.

KGX: ``nodes.tsv`` (id, category, name, synonym, xref, provided_by) and ``edges.tsv`` (id,
subject, predicate, object, qualified_predicate, object_direction_qualifier,
original_predicate, knowledge_level, agent_type, primary_knowledge_source, publications,
supporting claims); lists are ``|``-separated. Causal edges use Biolink's qualified form:
``affects`` with ``qualified_predicate = causes`` and the direction (increased/decreased)
when the sign is known. ``infores:exokg`` is this project's source id (not yet registered).

Neo4j: ``nodes.csv`` (``id:ID``, ``name``, ``:LABEL``, ``synonyms:string[]``) and
``relationships.csv`` (``:START_ID``, ``:END_ID``, ``:TYPE``, ``sign``,
``claims:string[]``, ``citations:string[]``) for ``neo4j-admin database import`` with the
default array delimiter ``;``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from kg.curie import entity_curie
from kg.edges import Edge, edges, trial_nodes
from kg.errors import ExportError
from kg.export import atomic_write, check_target
from kg.model import Curation
from kg.summary import citation_text

INFORES = "infores:exokg"
KGX_NODE_COLUMNS = ["id", "category", "name", "synonym", "xref", "provided_by"]
KGX_EDGE_COLUMNS = ["id", "subject", "predicate", "object", "qualified_predicate",
                    "object_direction_qualifier", "original_predicate", "knowledge_level",
                    "agent_type", "primary_knowledge_source", "publications", "supporting_claims"]
_DIRECTION = {1: "increased", -1: "decreased", None: ""}


def _nodes(cur: Curation) -> list[tuple[str, str, str, list[str], list[str]]]:
    """(id, type, label, synonyms, xrefs) of every node, sorted."""
    out = [(e.id, e.type, e.label, list(e.synonyms), list(e.xrefs))
           for e in cur.entities.values()]
    out += [(t, "trial", t, [], []) for t in trial_nodes(cur)]
    return sorted(out)


def _category(cur: Curation, node_type: str) -> str:
    if node_type == "trial":
        return "biolink:ClinicalTrial"
    return cur.types[node_type].biolink


def _publications(cur: Curation, e: Edge) -> list[str]:
    pubs: set[str] = set()
    for rid in e.claims:
        refs = cur.claims[rid].refs if rid in cur.claims else cur.trials[rid].refs
        for cited in refs:
            ref = cur.reference(cited)
            if ref.pmid.isdigit():
                pubs.add(f"PMID:{ref.pmid}")
            elif ref.doi:
                pubs.add(f"doi:{ref.doi}")
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


def kgx_tables(cur: Curation) -> tuple[bytes, bytes]:
    """The KGX ``nodes.tsv`` and ``edges.tsv`` contents."""
    nodes = [[entity_curie(n), _category(cur, t), label, "|".join(syn), "|".join(xr), INFORES]
             for n, t, label, syn, xr in _nodes(cur)]
    rows = []
    for e in edges(cur):
        biolink = cur.predicates[e.predicate].biolink
        causal = e.kind == "causal"
        direction = _DIRECTION[e.sign] if causal else ""
        key = hashlib.sha1("\x1f".join(e.key).encode()).hexdigest()[:16]
        rows.append([
            f"exokg.edge:{key}", entity_curie(e.subject), biolink, entity_curie(e.object),
            "biolink:causes" if direction else "", direction, f"exo:{e.predicate}",
            "knowledge_assertion", "manual_agent", INFORES,
            "|".join(_publications(cur, e)) if e.claims else "", "|".join(e.claims)])
    return _tsv(KGX_NODE_COLUMNS, nodes), _tsv(KGX_EDGE_COLUMNS, rows)


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
        sign = {1: "+", -1: "-", None: "?"}[e.sign] if e.kind != "hierarchy" else ""
        rels.append([e.subject, e.object, e.predicate.upper(), sign, ";".join(e.claims),
                     ";".join(cites)])
    return (_tsv(["id:ID", "name", ":LABEL", "synonyms:string[]"], nodes, ","),
            _tsv([":START_ID", ":END_ID", ":TYPE", "sign", "claims:string[]",
                  "citations:string[]"], rels, ","))


#: Files each table format writes, with the start of their header line.
TABLE_FILES = {"kgx": (("nodes.tsv", "id\t"), ("edges.tsv", "id\t")),
               "neo4j": (("nodes.csv", "id:ID,"), ("relationships.csv", ":START_ID,"))}


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
    for name, header in TABLE_FILES[fmt]:
        check_target(target / name, "tsv", force=force, header=header)
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
    return [atomic_write(target / name, body) for name, body in zip(names, data, strict=True)]
