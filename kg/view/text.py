"""Formatting query results for people (tables) and programs (JSON, TSV)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from kg.data.model import Curation
from kg.query.paths import Path, PathResult
from kg.query.summary import citation_text, claim_summary

_ARROW = {"has_cargo": "has cargo"}  # other predicates read as they are named


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


def _hop_text(cur: Curation, path: Path) -> str:
    parts = [cur.label(path.nodes[0])]
    for hop in path.hops:
        preds = "/".join(sorted(_ARROW.get(e.predicate, e.predicate) for e in hop.edges))
        parts.append(f"-[{preds}]-> {cur.label(hop.target)}")
    return " ".join(parts)


def _claim_line(cur: Curation, claim_id: str) -> str:
    claim = cur.claims[claim_id]
    cites = "; ".join(citation_text(cur, c) for c in claim.refs)
    flag = f"  [flag: {claim.flag}]" if claim.flag else ""
    return f"{claim_id}: {cites}; read in {claim.review}, {claim.where}{flag}"


def flags(cur: Curation, claim_ids: Iterable[str]) -> dict[str, str]:
    """The curator's flags of the given claims (claims without one are left out)."""
    return {c: cur.claims[c].flag for c in sorted(set(claim_ids))
            if c in cur.claims and cur.claims[c].flag}


def path_dict(cur: Curation, rank: int, path: Path) -> dict[str, Any]:
    """A path as plain data (the JSON output)."""
    target = cur.entities.get(path.nodes[-1])
    return {
        "rank": rank,
        "kind": path.kind,
        "net_sign": path.net_sign,
        "net_effect": sign_word(path.net_sign, disease=bool(target and target.type == "disease")),
        "conflicting_signs": path.conflicting,
        "studies": path.studies,
        "score": path.score,
        "asserted_by": list(path.asserted_by),
        "nodes": [{"id": n, "label": cur.label(n),
                   "type": cur.entities[n].type if n in cur.entities else "trial"}
                  for n in path.nodes],
        "hops": [{
            "from": h.source, "to": h.target,
            "edges": [{"predicate": e.predicate, "sign": e.sign, "derived_sign": e.derived,
                       "claims": list(e.claims), "sources": list(e.sources)}
                      for e in h.edges],
            "citations": sorted({citation_text(cur, r) for c in h.claims
                                 for r in cur.claims[c].refs}),
            "flags": flags(cur, h.claims),
        } for h in path.hops],
        "flags": flags(cur, [c for h in path.hops for c in h.claims]),
    }


def paths_json(cur: Curation, result: PathResult, shown: Sequence[Path]) -> str:
    """The JSON output of a path query."""
    return json.dumps({
        "source": result.source, "target": result.target, "max_hops": result.max_hops,
        "found": result.found, "shown": len(shown), "capped": result.capped,
        "timed_out": result.timed_out,
        "paths": [path_dict(cur, i, p) for i, p in enumerate(shown, start=1)],
    }, indent=2, ensure_ascii=False)


def paths_tsv(cur: Curation, shown: Sequence[Path]) -> str:
    """The TSV output of a path query: one row per path."""
    header = ["rank", "kind", "net_effect", "conflicting", "studies", "score", "path",
              "claims"]
    lines = ["\t".join(header)]
    for i, p in enumerate(shown, start=1):
        d = path_dict(cur, i, p)
        claims = sorted({c for h in p.hops for c in h.claims})
        lines.append("\t".join(str(x) for x in (
            i, p.kind, d["net_effect"], str(p.conflicting).lower(), p.studies, p.score,
            " > ".join(cur.label(n) for n in p.nodes), ",".join(claims))))
    return "\n".join(lines) + "\n"


def paths_table(cur: Curation, result: PathResult, shown: Sequence[Path], *,
                explain: bool = False) -> str:
    """The human-readable output of a path query."""
    if not result.found:
        return ""
    asserted = sum(1 for p in result.paths if p.asserted)
    out = [f"{result.found} path(s) from {cur.label(result.source)} to "
           f"{cur.label(result.target)} within {result.max_hops} hops: {asserted} asserted, "
           f"{result.found - asserted} inferred"]
    for i, p in enumerate(shown, start=1):
        d = path_dict(cur, i, p)
        flag = "  CONFLICTING SIGNS" if p.conflicting else ""
        if d["flags"]:
            flag += f"  FLAGGED ({len(d['flags'])} claim(s))"
        out.append(f"#{i} {p.kind}  net: {d['net_effect']}  studies: {p.studies}  "
                   f"score: {p.score:.4g}{flag}")
        out.append(f"   {_hop_text(cur, p)}")
        if p.asserted:
            for cid in p.asserted_by:
                out.append(f"   claim {_claim_line(cur, cid)}")
                if explain:
                    out.append(f"      {claim_summary(cur, cur.claims[cid])}")
        else:
            for h in p.hops:
                ids = sorted(h.claims)
                sources = sorted({src for e in h.edges for src in e.sources})
                out.append(f"   {cur.label(h.source)} -> {cur.label(h.target)}: "
                           f"{', '.join(ids + [f'from {x}' for x in sources])}")
                out += [f"      flag {cid}: {text}" for cid, text in flags(cur, ids).items()
                        if not explain]
                if explain:
                    for cid in ids:
                        out.append(f"      {_claim_line(cur, cid)}")
                        out.append(f"         {claim_summary(cur, cur.claims[cid])}")
    return "\n".join(out) + "\n"


def rows_out(rows: Sequence[dict[str, Any]], fmt: str) -> str:
    """Rows of plain values as an aligned table, TSV or JSON."""
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n"
    if not rows:
        return ""
    cols = list(rows[0])
    cells = [[str(r[c]) for c in cols] for r in rows]
    if fmt == "tsv":
        return "\n".join(["\t".join(cols), *("\t".join(c) for c in cells)]) + "\n"
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    widths = [min(w, 60) for w in widths]

    def fmt_row(values: Sequence[str]) -> str:
        return "  ".join(v[:w].ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([fmt_row(cols), fmt_row(["-" * w for w in widths]),
                      *(fmt_row(c) for c in cells)]) + "\n"
