"""Formatting query results for people (tables) and programs (JSON, TSV)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kg.data.model import Curation, sign_symbol
from kg.graph.edges import derivation, knowledge_level
from kg.query.summary import citation_text, claim_summary

if TYPE_CHECKING:  # the path search and the evidence are imported by what prints paths
    from kg.query.paths import GraphPath, Hop, PathResult
    from kg.query.related import HierarchyResult

__all__ = [
    "DEFAULT_WIDTH", "HANG", "MIN_COLUMN", "MIN_WIDTH", "card_rows", "card_text", "check_summary",
    "claim_card_text", "claim_tags", "column_widths", "coverage_rows", "coverage_text", "flags",
    "hierarchy_out", "hop_context", "hop_derivations", "hop_dict", "neighbor_rows",
    "net_effect_word",
    "path_dict", "paths_json", "paths_notes", "paths_out", "paths_table", "paths_tsv",
    "rank_header", "rank_legend", "rank_rows", "rows_out", "sign_word", "stats_rows", "stats_text",
    "table_width", "upstream_rows", "wrap_cell", "wrap_text",
]


def sign_word(sign: int | None, *, disease: bool) -> str:
    """Words for a path's net sign.

    Examples
    --------
    >>> sign_word(-1, disease=True)
    'alleviates (-)'
    >>> sign_word(None, disease=False)
    'unknown'
    """
    if sign is None:
        return "unknown"
    if disease:
        return "aggravates (+)" if sign > 0 else "alleviates (-)"
    return "increases (+)" if sign > 0 else "decreases (-)"


def _predicate_text(cur: Curation, predicate: str) -> str:
    """A predicate as a path listing reads it: its label (``has cargo``)."""
    row = cur.predicates.get(predicate)
    return row.label if row is not None else predicate


def _hop_text(cur: Curation, path: GraphPath) -> str:
    """The chain; a derived hop's arrow is dotted and marked ``derived``."""
    parts = [cur.label(path.nodes[0])]
    for hop in path.hops:
        preds = "/".join(sorted(_predicate_text(cur, e.predicate) for e in hop.edges))
        if hop.how == "derived":
            parts.append(f"..[{preds}, derived]..> {cur.label(hop.target)}")
        else:
            parts.append(f"-[{preds}]-> {cur.label(hop.target)}")
    return " ".join(parts)


def net_effect_word(path: GraphPath, *, disease: bool) -> str:
    """Words for a path's net effect: ``uncertain`` when the studies of a hop disagree.

    Examples
    --------
    >>> from kg.graph.edges import Edge
    >>> from kg.query.paths import GraphPath, Hop
    >>> up = Edge("a", "promotes", "d", 1, "causal", ("x",))
    >>> down = Edge("a", "reduces", "d", -1, "causal", ("y",))
    >>> net_effect_word(GraphPath(("a", "d"), (Hop("a", "d", (up, down)),), (), 2, 1.0),
    ...                 disease=True)
    'uncertain'
    >>> net_effect_word(GraphPath(("a", "d"), (Hop("a", "d", (down,)),), (), 1, 1.0),
    ...                 disease=True)
    'alleviates (-)'
    """
    if path.conflicting:
        return "uncertain"
    return sign_word(path.net_sign, disease=disease)


def hop_derivations(cur: Curation, hop: Hop) -> dict[str, str]:
    """Claim id -> how the claim gives a derived hop, in words (only claims deriving it)."""
    out: dict[str, str] = {}
    for e in hop.edges:
        for c in e.claim_ids:
            claim = cur.claims.get(c)
            text = derivation(cur, claim, hop.source, hop.target) if claim else ""
            if text and c not in out:
                out[c] = text
    return dict(sorted(out.items()))


def hop_context(cur: Curation, hop: Hop) -> dict[str, list[str]]:
    """The contexts of a hop's claims as plain data (disease and source labels)."""
    from kg.query.evidence import context

    ctx = context(cur, hop.claims)
    return {"diseases": [cur.label(d) for d in ctx.diseases],
            "sources": [cur.label(s) for s in ctx.sources], "species": list(ctx.species),
            "models": list(ctx.models), "evidence": list(ctx.evidence)}


def _signs_text(counts: dict[str, int]) -> str:
    """``+1/-2``: claims per sign of a hop whose studies disagree."""
    return "/".join(f"{k}{v}" for k, v in counts.items())


def _sign_counts(hop: Hop) -> dict[str, int]:
    return {sign_symbol(k): v for k, v in sorted(hop.sign_counts.items(),
                                                   key=lambda kv: -(kv[0] or 0))}


def claim_tags(agent: str, evidence: Iterable[str], flag: str = "") -> str:
    """The agent, evidence and flag of a claim, as every claim line shows them.

    Examples
    --------
    >>> claim_tags("exosome", ["in vivo", "in vitro"], "")
    '[exosome; in vivo, in vitro]'
    >>> claim_tags("cells", [], "one study only")
    '[cells; evidence not stated] [flag: one study only]'
    """
    ev = ", ".join(evidence) or "evidence not stated"
    return f"[{agent}; {ev}]" + (f" [flag: {flag}]" if flag else "")


def _claim_line(cur: Curation, claim_id: str) -> str:
    claim = cur.claims[claim_id]
    cites = "; ".join(citation_text(cur, c) for c in claim.refs)
    flag = f"  [flag: {claim.flag}]" if claim.flag else ""
    return (f"{claim_id} {claim_tags(claim.agent, claim.evidence)}: {cites}; "
            f"read in {claim.review}, {claim.where}{flag}")


def flags(cur: Curation, claim_ids: Iterable[str]) -> dict[str, str]:
    """The curator's flags of the given claims (claims without one are left out)."""
    return {c: cur.claims[c].flag for c in sorted(set(claim_ids))
            if c in cur.claims and cur.claims[c].flag}


def _studies_text(n: int) -> str:
    """``1 study``, ``3 studies``."""
    return f"{n} stud{'y' if n == 1 else 'ies'}"


def path_dict(cur: Curation, rank: int, path: GraphPath,
              hop: Callable[[Hop], dict[str, Any]] | None = None) -> dict[str, Any]:
    """A path as plain data (the JSON output), with its evidence and each hop's.

    ``hop`` makes each hop's record (:func:`hop_dict` unless given: a page that shows many
    paths passes one that remembers the hops it has made).
    """
    target = cur.entities.get(path.nodes[-1])
    make = hop or (lambda h: hop_dict(cur, h))
    return {
        "rank": rank,
        "kind": path.kind,
        "net_sign": None if path.conflicting else path.net_sign,
        "net_effect": net_effect_word(path, disease=bool(target and target.type == "disease")),
        "conflicting_signs": path.conflicting,
        "context_joins": path.joins,
        "studies": path.studies,
        "evidence": path.strength,
        "score": path.score,
        "asserted_by": list(path.asserted_by),
        "nodes": [{"id": n, "label": cur.label(n),
                   "type": cur.entities[n].type if n in cur.entities else "trial"}
                  for n in path.nodes],
        "hops": [make(h) for h in path.hops],
        "flags": flags(cur, [c for h in path.hops for c in h.claims]),
    }


def hop_dict(cur: Curation, h: Hop) -> dict[str, Any]:
    """A hop of a path as plain data: its edges, how it is known, contexts and evidence."""
    return {
        "from": h.source, "to": h.target, "how": h.how,
        "derivations": hop_derivations(cur, h) if h.how == "derived" else {},
        "signs": _sign_counts(h), "conflicting": h.conflicting,
        "context": hop_context(cur, h),
        **_hop_evidence(cur, h.claims),
        "edges": [{"predicate": e.predicate, "sign": e.sign, "derived_sign": e.derived,
                   **dict(zip(("knowledge_level", "agent_type"), knowledge_level(e),
                              strict=True)),
                   "claims": list(e.claims), "sources": list(e.sources)}
                  for e in h.edges],
        "citations": sorted({citation_text(cur, r) for c in h.claims
                             for r in cur.claims[c].refs}),
        "flags": flags(cur, h.claims),
    }


def _hop_evidence(cur: Curation, claim_ids: Iterable[str]) -> dict[str, Any]:
    """A hop's support as plain data: its distinct studies and evidence (rule 2)."""
    from kg.query.evidence import edge_evidence

    ev = edge_evidence(cur, claim_ids)
    return {"studies": ev.studies, "evidence": ev.strength, "evidence_kinds": list(ev.kinds)}


def paths_json(cur: Curation, result: PathResult, shown: Sequence[GraphPath]) -> str:
    """The JSON output of a path query."""
    return json.dumps({
        "source": result.source, "target": result.target, "max_hops": result.max_hops,
        "found": result.found, "shown": len(shown), "capped": result.capped,
        "timed_out": result.timed_out,
        "paths": [path_dict(cur, i, p) for i, p in enumerate(shown, start=1)],
    }, indent=2, ensure_ascii=False)


def paths_tsv(cur: Curation, shown: Sequence[GraphPath]) -> str:
    """The TSV output of a path query: one row per path."""
    header = ["rank", "kind", "net_effect", "conflicting", "studies", "evidence", "score",
              "path", "claims"]
    lines = ["\t".join(header)]
    for i, p in enumerate(shown, start=1):
        d = path_dict(cur, i, p)
        claims = sorted({c for h in p.hops for c in h.claims})
        lines.append("\t".join(str(x) for x in (
            i, p.kind, d["net_effect"], str(p.conflicting).lower(), p.studies, p.strength,
            p.score,
            " > ".join(cur.label(n) for n in p.nodes), ",".join(claims))))
    return "\n".join(lines) + "\n"


def paths_table(cur: Curation, result: PathResult, shown: Sequence[GraphPath], *,
                explain: bool = False, width: int | None = None) -> str:
    """The human-readable output of a path query, wrapped to ``width`` (:func:`wrap_text`)."""
    from kg.query.evidence import edge_evidence

    if not result.found:
        return ""
    asserted = result.asserted
    out = [f"{result.found} path(s) from {cur.label(result.source)} to "
           f"{cur.label(result.target)} within {result.max_hops} hops: {asserted} asserted, "
           f"{result.found - asserted} inferred"]
    for i, p in enumerate(shown, start=1):
        d = path_dict(cur, i, p)
        flag = "  CONFLICTING SIGNS" if p.conflicting else ""
        if p.joins:
            flag += f"  CONTEXTS JOINED ({p.joins})"
        if d["flags"]:
            flag += f"  FLAGGED ({len(d['flags'])} claim(s))"
        out.append(f"#{i} {p.kind}  net: {d['net_effect']}  studies: {p.studies}  "
                   f"evidence: {p.strength}  score: {p.score:.4g}{flag}")
        out.append(f"   {_hop_text(cur, p)}")
        if p.joins:
            seen = " | ".join(", ".join(h["context"]["diseases"]) or "no disease named"
                              for h in d["hops"])
            out.append(f"   joins claims from different diseases: {seen}")
        if p.asserted:
            for cid in p.asserted_by:
                out.append(f"   claim {_claim_line(cur, cid)}")
                if explain:
                    out.append(f"      {claim_summary(cur, cur.claims[cid])}")
        else:
            for h in p.hops:
                ids = sorted(h.claims)
                sources = sorted({src for e in h.edges for src in e.sources})
                claims = [cur.claims[c] for c in ids if c in cur.claims]
                tags = (" " + claim_tags("/".join(sorted({c.agent for c in claims})),
                                         sorted({e for c in claims for e in c.evidence}))
                        if claims else "")
                hop_ev = edge_evidence(cur, ids)
                disagree = (f" signs {_signs_text(_sign_counts(h))} claims (studies disagree)"
                            if h.conflicting else "")
                out.append(f"   {cur.label(h.source)} -> {cur.label(h.target)} [{h.how}]: "
                           f"{', '.join(ids + [f'from {x}' for x in sources])}{tags}"
                           f" ({_studies_text(hop_ev.studies)}){disagree}")
                ctx = hop_context(cur, h)
                out.append(f"      context: {', '.join(ctx['diseases']) or 'no disease named'}"
                           f"; {', '.join(ctx['sources'])}"
                           f"; {', '.join(ctx['species']) or 'species not stated'}")
                if h.how == "derived":
                    out += [f"      derived from {cid}: {text}"
                            for cid, text in hop_derivations(cur, h).items()]
                out += [f"      flag {cid}: {text}" for cid, text in flags(cur, ids).items()
                        if not explain]
                if explain:
                    for cid in ids:
                        out.append(f"      {_claim_line(cur, cid)}")
                        out.append(f"         {claim_summary(cur, cur.claims[cid])}")
    return wrap_text("\n".join(out) + "\n", width)


#: Width of a table when standard output is not a terminal and ``COLUMNS`` is not set, so
#: that piped output and the README's examples are the same everywhere.
DEFAULT_WIDTH = 120
#: Narrowest table width honoured (a smaller ``COLUMNS`` counts as this).
MIN_WIDTH = 40
#: Narrowest a column is wrapped to; when the columns cannot all have this much (or their
#: widest cell, if less), each record is printed as a block of ``name  value`` lines.
MIN_COLUMN = 20
_GAP = "  "


def table_width() -> int:
    """How wide a table may be, in characters.

    ``COLUMNS`` if set, else the terminal's width if standard output is one, else
    :data:`DEFAULT_WIDTH`; never less than :data:`MIN_WIDTH`.
    """
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        width = int(env)
    elif sys.stdout.isatty():
        width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    else:
        width = DEFAULT_WIDTH
    return max(width, MIN_WIDTH)


class _CellWrapper(textwrap.TextWrapper):
    """Breaks lines between words and after a comma (``a,b`` lists of ids).

    Never inside a word that fits on a line.
    """

    def _split(self, text: str) -> list[str]:
        return [chunk for chunk in re.split(r"(\s+|(?<=,)(?=\S))", text) if chunk]


def wrap_cell(text: str, width: int) -> list[str]:
    """``text`` on lines of at most ``width`` characters, broken between words.

    A word longer than ``width`` is broken inside; nothing is dropped.

    Examples
    --------
    >>> wrap_cell("promotes bone mass; alleviates osteoporosis", 20)
    ['promotes bone mass;', 'alleviates', 'osteoporosis']
    >>> wrap_cell("wei2024-t2-12,wei2024-t2-19,wei2024-t2-21", 30)
    ['wei2024-t2-12,wei2024-t2-19,', 'wei2024-t2-21']
    >>> wrap_cell("quan2025-smech-07", 8), wrap_cell("", 5)
    (['quan2025', '-smech-', '07'], [''])
    """
    return _CellWrapper(width).wrap(" ".join(text.split())) or [""]


#: How much deeper than its line a wrapped line's continuation starts.
HANG = 2


def wrap_text(text: str, width: int | None = None) -> str:
    """Free text (lines of a report) with each line longer than ``width`` wrapped.

    ``width`` defaults to :func:`table_width`, the rule tables follow (never less than
    :data:`MIN_WIDTH`). A line is broken
    between words only, never inside one, so an id, a DOI or a URL stays whole (a single
    word longer than the line overflows it rather than break); continuation lines start
    :data:`HANG` characters deeper than their line, so they read as part of its item. Lines
    that fit, and every word, are kept as they are.

    Examples
    --------
    >>> line = "  quan2025-sfunc-10: the exosomes reduced autophagy and alleviated PD"
    >>> print(wrap_text(line, 40), end="")
      quan2025-sfunc-10: the exosomes
        reduced autophagy and alleviated PD
    >>> print(wrap_text("read on https://pubmed.ncbi.nlm.nih.gov/31234567/ today", 40), end="")
    read on
      https://pubmed.ncbi.nlm.nih.gov/31234567/
      today
    """
    total = max(table_width() if width is None else width, MIN_WIDTH)
    out = []
    for line in text.splitlines():
        if len(line) <= total:
            out.append(line)
            continue
        body = line.lstrip(" ")
        indent = " " * (len(line) - len(body))
        out += textwrap.wrap(body, total, initial_indent=indent,
                             subsequent_indent=indent + " " * HANG, break_long_words=False,
                             break_on_hyphens=False, replace_whitespace=False) or [line]
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def column_widths(natural: Sequence[int], room: int) -> list[int] | None:
    """Widths of columns whose widest cells are ``natural``, to fit ``room`` characters.

    Columns that fit keep their width; the others share what is left equally (the
    widest give way first). None when the columns cannot all get :data:`MIN_COLUMN`.

    Examples
    --------
    >>> column_widths([5, 30, 50], 60), column_widths([5, 30, 50], 200)
    ([5, 27, 28], [5, 30, 50])
    >>> column_widths([30, 30, 30, 30], 40) is None
    True
    """
    floor = [min(n, MIN_COLUMN) for n in natural]
    if sum(floor) > room:
        return None
    if sum(natural) <= room:
        return list(natural)
    cap = max(floor)
    while sum(min(n, max(f, cap + 1)) for n, f in zip(natural, floor, strict=True)) <= room:
        cap += 1
    widths = [min(n, max(f, cap)) for n, f in zip(natural, floor, strict=True)]
    spare = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: -natural[i]):
        if spare and widths[i] < natural[i]:
            widths[i] += 1
            spare -= 1
    return widths


def _stacked(cols: Sequence[str], cells: Sequence[Sequence[str]], width: int) -> str:
    """Records as blocks of ``column  value`` lines, values wrapped; a blank line between."""
    name = max(len(c) for c in cols)
    room = max(width - name - len(_GAP), MIN_COLUMN)
    blocks = []
    for row in cells:
        lines = []
        for col, value in zip(cols, row, strict=True):
            if not value:
                continue
            for i, part in enumerate(wrap_cell(value, room)):
                lines.append(f"{col if i == 0 else '':<{name}}{_GAP}{part}".rstrip())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def rows_out(rows: Sequence[dict[str, Any]], fmt: str, width: int | None = None) -> str:
    """Rows of plain values as an aligned table, TSV or JSON.

    The table is at most ``width`` characters wide (default :func:`table_width`): long
    cells wrap onto continuation lines, every word shown; when the columns cannot all be
    :data:`MIN_COLUMN` wide, each record is printed as a block of ``column  value`` lines
    instead. TSV and JSON keep every value whole on one line.

    Examples
    --------
    >>> print(rows_out([{"id": "a", "n": 1}, {"id": "bb", "n": 22}], "table"), end="")
    id  n
    --  --
    a   1
    bb  22
    >>> rows = [{"id": "a", "text": "promotes bone mass; alleviates osteoporosis"}]
    >>> print(rows_out(rows, "table", width=40), end="")
    id  text
    --  ------------------------------------
    a   promotes bone mass; alleviates
        osteoporosis
    >>> rows = [{"id": "a", "source": "umbilical cord MSC",
    ...          "effect": "promotes bone mass; alleviates osteoporosis", "where": "Table 2"}]
    >>> print(rows_out(rows * 2, "table", width=40), end="")
    id      a
    source  umbilical cord MSC
    effect  promotes bone mass; alleviates
            osteoporosis
    where   Table 2
    <BLANKLINE>
    id      a
    source  umbilical cord MSC
    effect  promotes bone mass; alleviates
            osteoporosis
    where   Table 2
    >>> rows_out([{"id": "a", "n": 1}], "tsv").split()
    ['id', 'n', 'a', '1']
    """
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n"
    if not rows:
        return ""
    cols = list(rows[0])
    if fmt == "tsv":
        cells = [[str(r[c]) for c in cols] for r in rows]
        return "\n".join(["\t".join(cols), *("\t".join(c) for c in cells)]) + "\n"
    cells = [[" ".join(str(r[c]).split()) for c in cols] for r in rows]
    total = max(table_width() if width is None else width, MIN_WIDTH)
    natural = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    widths = column_widths(natural, total - len(_GAP) * (len(cols) - 1))
    if widths is None:
        return _stacked(cols, cells, total)

    def fmt_row(values: Sequence[str]) -> list[str]:
        parts = [wrap_cell(v, w) for v, w in zip(values, widths, strict=True)]
        return [_GAP.join((p[i] if i < len(p) else "").ljust(w)
                          for p, w in zip(parts, widths, strict=True)).rstrip()
                for i in range(max(len(p) for p in parts))]

    lines = [*fmt_row(cols), _GAP.join("-" * w for w in widths)]
    for row in cells:
        lines += fmt_row(row)
    return "\n".join(lines) + "\n"


# --- check, stats, cards, coverage ---------------------------------------------------------


def check_summary(cur: Curation, folder: object) -> str:
    """What ``exokg check`` reports after the problems: files read and records counted."""
    out = [f"read {len(cur.files)} files from {folder}",
           f"{len(cur.entities)} entities, {sum(len(e.synonyms) for e in cur.entities.values())} "
           f"synonyms, {len(cur.claims)} claims, {len(cur.references)} references, "
           f"{len(cur.trials)} trial reports, {len(cur.attributes)} attributes"]
    if cur.extra_edges or cur.extra_rdf:
        out.append(f"extra: {len(cur.extra_edges)} edges from edge tables, "
                   f"{len(cur.extra_rdf)} RDF file(s)")
    if cur.warnings:
        out.append(f"{len(cur.warnings)} warning(s)")
    return "\n".join(out) + "\n"


def stats_text(data: dict[str, Any]) -> str:
    """The text of ``exokg stats`` from :func:`kg.query.summary.stats`'s data."""
    out = [f"entities: {data['entity_total']} ({data['synonyms']} synonyms)"]
    out += [f"  {etype:<10} {n:>5}" for etype, n in data["entities"].items()]
    out.append(f"claims: {data['claims']}")
    out += [f"  {review:<10} {n:>5}" for review, n in data["claims_by_review"].items()]
    out += [f"  agent={agent:<8} {n:>3}" for agent, n in data["claims_by_agent"].items()]
    out.append(f"references: {data['references']} studies "
               f"({data['references_cited_by_claims']} cited by claims), "
               f"{data['reviews']} reviews")
    out.append(f"trials: {data['trials']} ({data['trial_reports']} reports); "
               f"attributes: {data['attributes']}")
    out.append(f"edges: {data['edges']}")
    out += [f"  {pred:<12} {n:>5}" for pred, n in data["edges_by_predicate"].items()]
    return "\n".join(out) + "\n"


def stats_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """``exokg stats`` as records (group, name, count): its TSV output.

    Examples
    --------
    >>> for row in stats_rows({"entities": {"mirna": 3}, "claims": 5}): print(row)
    {'group': 'entities', 'name': 'mirna', 'count': 3}
    {'group': 'claims', 'name': '', 'count': 5}
    """
    rows = []
    for key, value in data.items():
        if isinstance(value, dict):
            rows += [{"group": key, "name": k, "count": n} for k, n in value.items()]
        else:
            rows.append({"group": key, "name": "", "count": value})
    return rows


def _card_claim(claim: dict[str, Any]) -> list[str]:
    evidence = claim["evidence"]
    via = f" (from {claim['via_label']})" if claim.get("via") else ""
    return [f"  {claim['id']} [{', '.join(claim['roles'])}]{via} {claim['summary']}",
            f"      {claim_tags(claim['agent'], evidence, claim['flag'])}",
            f"      {'; '.join(claim['citations'])}; read in {claim['review']}, "
            f"{claim['where']}"]


def card_text(data: dict[str, Any], limit: int = 0, width: int | None = None) -> str:
    """The text of ``exokg show`` from :func:`kg.query.summary.card`'s data.

    ``limit`` caps the claims listed (0: all); a last line says how many were left out.
    Lines are wrapped to ``width`` (:func:`wrap_text`).
    """
    out = [f"{data['label']}  [{data['id']}, {data['type']}]"]
    if data["synonyms"]:
        out.append(f"synonyms: {', '.join(data['synonyms'])}")
    if data["parents"]:
        out.append("parents: " + ", ".join(p["label"] for p in data["parents"]))
    if data["children"]:
        out.append("children: " + ", ".join(c["label"] for c in data["children"]))
    out.append(f"xrefs: {', '.join(data['xrefs']) or '(none verified yet)'}")
    related = [f"{m['curie']} ({m['match']})" for m in data.get("mappings", ())
               if m["match"] != "exact"]
    if related:
        out.append(f"related mappings: {', '.join(related)}")
    if data["note"]:
        out.append(f"note: {data['note']}")
    out += [f"{a['attribute']}: {a['value']} ({a['review']}, {a['where']})"
            for a in data["attributes"]]
    claims = data["claims"]
    narrower = sum(1 for c in claims if c.get("via"))
    out.append(f"claims: {len(claims)}" + (f" ({narrower} of narrower entities, marked "
                                           "'from')" if narrower else ""))
    shown = claims[:limit] if limit else claims
    for claim in shown:
        out += _card_claim(claim)
    if len(shown) < len(claims):
        out.append(f"  ... {len(claims) - len(shown)} more (--limit 0 shows all)")
    if data["trials"]:
        out.append(f"trials: {', '.join(data['trials'])}")
    return wrap_text("\n".join(out) + "\n", width)


def card_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The claims of a card as records: the TSV output of ``exokg show``."""
    return [{"claim": c["id"], "entity": c.get("via") or data["id"],
             "roles": ",".join(c["roles"]), "agent": c["agent"],
             "evidence": ",".join(c["evidence"]), "summary": c["summary"],
             "citations": "; ".join(c["citations"]), "review": c["review"],
             "where": c["where"], "flag": c["flag"]} for c in data["claims"]]


def claim_card_text(data: dict[str, Any], width: int | None = None) -> str:
    """A claim as ``exokg show CLAIM`` prints it (data of :func:`kg.query.summary.claim_card`).

    Lines are wrapped to ``width`` (:func:`wrap_text`).
    """
    evidence = ", ".join(data["evidence"]) or "not stated"
    model = f"; model {data['model']}" if data["model"] else ""
    dose = f"; dose {data['dose']}" if data["dose"] else ""
    basis = f" ({', '.join(data['basis'])})" if data["basis"] else ""
    lines = [f"{data['id']} (claim): {data['summary']}",
             f"  {data['agent']}; evidence {evidence}{model}{dose}",
             f"  read in {data['review']}, {data['where']}{basis}"]
    if data["flag"]:
        lines.append(f"  flag: {data['flag']}")
    lines.append("cited studies:")
    for study in data["studies"]:
        lines.append(f"  {study['text']}: {study['title']}")
        ids = [f"doi:{study['doi']}"] if study["doi"] else []
        ids += [f"PMID:{study['pmid']}"] if study["pmid"] else []
        if ids:
            where = ("as printed" if study["printed"]
                     else "read on " + ", ".join(study["identified_at"]))
            lines.append(f"    {' '.join(ids)} ({where})")
        else:
            lines.append(f"    no DOI or PMID: {study['not_identified'] or 'not looked up'}")
    check = data["check"]
    lines.append(f"primary check: {check['verdict']}: {check['why']} ({check['page']})"
                 if check else "primary check: not checked against the cited abstract")
    if data["note"]:
        lines.append(f"note: {data['note']}")
    return wrap_text("\n".join(lines) + "\n", width)


def _aligned(columns: Sequence[tuple[str, int]], rows: list[dict[str, Any]],
             width: int) -> list[str]:
    """A small table of a report, at most ``width`` wide.

    ``columns`` are (name, width) pairs, the first left-aligned and the others right-aligned,
    joined by a space and indented two, when that fits; else ``rows`` through
    :func:`rows_out` at that width, indented two.
    """
    def line(values: Sequence[Any]) -> str:
        cells = [f"{v!s:<{w}}" if i == 0 else f"{v!s:>{w}}"
                 for i, (v, (_, w)) in enumerate(zip(values, columns, strict=True))]
        return "  " + " ".join(cells)

    lines = [line([name for name, _ in columns]),
             *(line([row[name] for name, _ in columns]) for row in rows)]
    if max(map(len, lines)) <= width:
        return lines
    return ["  " + text if text else text
            for text in rows_out(rows, "table", width - 2).splitlines()]


def coverage_text(data: dict[str, Any], width: int | None = None) -> str:
    """The coverage report as text (what ``exokg coverage`` prints).

    Lines are wrapped to ``width`` (:func:`wrap_text`); its small tables keep their columns,
    printed as :func:`rows_out` prints a table when they would not fit.
    """
    total = max(table_width() if width is None else width, MIN_WIDTH)
    lines = []
    for review, places in data["claims_by_place"].items():
        lines.append(f"{review}: {sum(places.values())} records")
        lines += [f"  {where:<48} {n:>4}" for where, n in places.items()]
    lines.append(f"references ({data['studies']} distinct studies):")
    for review, ref in data["references"].items():
        lines.append(f"  {review}: {ref['listed']} listed, {ref['cited_by_records']} cited by "
                     "claims/trials/attributes")
        if ref["not_cited"]:
            lines.append(f"    not cited by any record: {ref['not_cited']}")
    lines.append("standard identifiers (verified against the authority's file), per type:")
    rows = [{"type": etype, "entities": row["entities"], "exact": row["exact"],
             "related": row["related_only"], "unmapped": row["unmapped"],
             "unchecked": row["unchecked"], "exact%": f"{row['exact_share']:.0%}",
             "share": f"{row['share']:.0%}"} for etype, row in data["xrefs"].items()]
    lines += _aligned([("type", 10), ("entities", 8), ("exact", 6), ("related", 8),
                       ("unmapped", 9), ("unchecked", 9), ("exact%", 6), ("share", 6)],
                      rows, total)
    lines.append("  (related: only a close, broad or narrow match; exact%: share with an exact "
                 "match; share: exact or related, all exported)")
    if data["unmapped"]:
        lines.append(f"entities with no standard counterpart ({len(data['unmapped'])}):")
        lines += [f"  {ent}: {why}" for ent, why in data["unmapped"].items()]
    if data["unchecked"]:
        lines.append(f"entities not yet checked ({len(data['unchecked'])}): "
                     + ", ".join(data["unchecked"]))
    lines.append("cited studies with a DOI or PMID (printed or looked up), per review:")
    rows = [{"review": review, "listed": row["listed"], "DOI": row["doi"], "PMID": row["pmid"],
             "either": row["either"], "DOI%": f"{row['doi_share']:.0%}",
             "PMID%": f"{row['pmid_share']:.0%}", "share": f"{row['share']:.0%}",
             "looked up": row["looked_up"]} for review, row in data["identifiers"].items()]
    lines += _aligned([("review", 10), ("listed", 6), ("DOI", 5), ("PMID", 5), ("either", 6),
                       ("DOI%", 5), ("PMID%", 5), ("share", 6), ("looked up", 9)], rows, total)
    lines.append("mechanism claims checked against the cited study's abstract, per review:")
    for review, row in data["checks"].items():
        verdicts = ", ".join(f"{v} {n}" for v, n in row["verdicts"].items())
        lines.append(f"  {review}: {row['checked']} of {row['mechanism_claims']} "
                     f"({row['share']:.0%}); {verdicts}")
    missing = data["claims_without_condition"]
    lines.append(f"claims without a condition ({len(missing)}):")
    lines += [f"  {cid}: {why}" for cid, why in missing.items()]
    return wrap_text("\n".join(lines) + "\n", total)


def coverage_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Records per review and table/section: the TSV output of ``exokg coverage``."""
    return [{"review": review, "place": place, "records": n}
            for review, places in data["claims_by_place"].items()
            for place, n in places.items()]


# --- rows of the query commands -------------------------------------------------------------


def neighbor_rows(cur: Curation, found: Iterable[Any]) -> list[dict[str, Any]]:
    """The records of ``exokg neighbors`` from :func:`kg.query.paths.neighbors`."""
    return [{"direction": n.direction, "entity": n.entity, "label": cur.label(n.entity),
             "type": cur.entities[n.entity].type if n.entity in cur.entities else "trial",
             "predicates": ",".join(n.predicates), "claims": len(n.claims)} for n in found]


def _claim_mix(cur: Curation, claim_ids: Iterable[str]) -> dict[str, str]:
    claims = [cur.claims[c] for c in claim_ids if c in cur.claims]
    return {"agents": ",".join(sorted({c.agent for c in claims})),
            "evidence": ",".join(sorted({e for c in claims for e in c.evidence})),
            "flagged": str(sum(1 for c in claims if c.flag))}


def upstream_rows(cur: Curation, found: Iterable[Any]) -> list[dict[str, Any]]:
    """The records of ``exokg upstream``: with the agents, evidence and flags of the claims."""
    return [{"role": u.role, "entity": u.entity, "label": cur.label(u.entity),
             "studies": u.studies, "claims": len(u.claims), **_claim_mix(cur, u.claims),
             "claim_ids": ",".join(u.claims)} for u in found]


def rank_rows(res: Any) -> list[dict[str, Any]]:
    """The records of ``exokg rank`` from :func:`kg.query.rank.rank`'s result."""
    return [{"rank": i, "entity": r.entity, "label": r.label, "betweenness": r.betweenness,
             "z": "" if r.z is None else r.z, "pagerank": r.pagerank, "degree": r.degree,
             "cargos": r.cargos, "diseases": r.diseases, "studies": r.studies,
             "claims": r.claims} for i, r in enumerate(res.rows, start=1)]


def rank_header(res: Any, entity_type: str) -> str:
    """The line above the ``exokg rank`` table: what was ranked and how."""
    sampled = (f"sampled betweenness ({res.sample} sources)" if res.sample
               else "exact betweenness")
    return (f"{len(res.rows)} {entity_type} entities ranked on the source->disease flow "
            f"({res.nodes} nodes, {res.edges} edges; {sampled}; z from "
            f"{res.permutations} degree-preserving rewirings, seed {res.seed})\n")


def rank_legend(res: Any) -> str:
    """The lines under the ``exokg rank`` table.

    What the rows are ranked by (and why not betweenness, when not), and what each column
    means.
    """
    lines = [f"ranked by {res.ranked_by}" + (
        ", then claims, because " + "; ".join(res.notes) if res.notes else
        ", then PageRank, then degree")]
    lines += [
        "betweenness: for every source->disease pair, the share of its shortest paths "
        "through the entity, summed",
        f"z: betweenness against {res.permutations} degree-preserving rewirings (above 0: "
        "more central than chance; empty when it cannot be computed)",
        "pagerank: PageRank on the flow graph; degree: neighbours in the flow graph",
        "cargos, diseases: distinct cargos and diseases of the claims naming the entity",
        "studies: distinct studies of those claims; claims: how many claims",
    ]
    return "".join(f"{line}\n" for line in lines)


def paths_notes(cur: Curation, result: PathResult, shown: int, *, filtered: bool,
                max_paths: int, timeout: float) -> list[str]:
    """The notes a path query prints to standard error (caps, limits, no path)."""
    notes = []
    if result.capped:
        notes.append(f"note: stopped after {max_paths} paths (--max-paths); more may exist. "
                     "Narrow the query with --via, --avoid or --max-hops.")
    if result.timed_out:
        notes.append(f"note: stopped after {timeout:g} s (--timeout) with {result.found} "
                     "paths; more may exist.")
    if shown < result.found:
        notes.append(f"note: showing {shown} of {result.found} paths (--limit)")
    if not result.paths:
        notes.append(f"no path from {cur.label(result.source)} to {cur.label(result.target)} "
                     f"within {result.max_hops} hops"
                     f"{' with the filters given' if filtered else ''}")
    return notes


def paths_out(cur: Curation, result: PathResult, shown: Sequence[GraphPath], fmt: str, *,
              explain: bool = False) -> str:
    """A path query's answer in ``fmt`` (table, json or tsv)."""
    if fmt == "json":
        return paths_json(cur, result, shown) + "\n"
    if fmt == "tsv":
        return paths_tsv(cur, shown)
    return paths_table(cur, result, shown, explain=explain)


def hierarchy_out(cur: Curation, hit: HierarchyResult, shown: Sequence[GraphPath], fmt: str,
                  *, explain: bool = False) -> str:
    """The answer of ``paths --via-hierarchy`` when it backed off to a disease's relatives.

    Every form says that the paths end at a relative of the disease asked for (and which,
    under what class, how many steps up), never at the disease itself.
    """
    rel = {n: hit.relation(cur, n) for n in {p.nodes[-1] for p in shown}}
    note = {"disease": hit.disease, "level": hit.level, "classes": list(hit.classes),
            "discount": hit.discount, "weight": hit.weight}
    if fmt == "json":
        data = json.loads(paths_json(cur, hit.result, shown))
        data["target"] = hit.disease
        data["via_hierarchy"] = note
        for d, p in zip(data["paths"], shown, strict=True):
            d["kind"] = f"{p.kind}, to a relative"
            d["ends_at_relative"] = rel[p.nodes[-1]]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "tsv":
        lines = paths_tsv(cur, shown).splitlines()
        return "\n".join([lines[0] + "\tends_at_relative",
                          *(f"{line}\t{rel[p.nodes[-1]]}"
                            for line, p in zip(lines[1:], shown, strict=True))]) + "\n"
    res = hit.result
    steps = f"{hit.level} step{'s' if hit.level != 1 else ''} up"
    head = [f"no path reaches {cur.label(hit.disease)} within {res.max_hops} hops; through "
            f"the disease hierarchy, paths reach its nearest relatives {steps} (under "
            f"{', '.join(cur.label(c) for c in hit.classes)}). They end at a related disease, "
            f"not at {cur.label(hit.disease)}: hypotheses about a relative (weight "
            f"x{hit.weight:g}).",
            f"{res.found} path(s) from {cur.label(res.source)} to relatives of "
            f"{cur.label(hit.disease)} within {res.max_hops} hops: {res.asserted} asserted, "
            f"{res.found - res.asserted} inferred"]
    # unwrapped (one line per item), marked, then wrapped as a whole
    body = paths_table(cur, res, shown, explain=explain, width=sys.maxsize).splitlines()[1:]
    marks = {f"#{i} {p.kind}  ": f"#{i} {p.kind}, to a relative ({cur.label(p.nodes[-1])})  "
             for i, p in enumerate(shown, start=1)}
    for n, line in enumerate(body):
        mark = next((m for m in marks if line.startswith(m)), None)
        if mark is not None:
            body[n] = marks[mark] + line[len(mark):]
    ends = ["where they end:", *(f"   {rel[n]}" for n in sorted(rel))]
    return wrap_text("\n".join([*head, *body, *ends]) + "\n")
