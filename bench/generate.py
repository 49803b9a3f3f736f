"""Synthetic curated folders shaped like ``triples/``, for the benchmarks.

The real vocabulary (entities, synonyms, schema) is copied, so the names the example queries
and path queries use exist; real claims are not, so every size is synthetic alike. Then
synthetic entities, references and claims are added until the built graph reaches the
requested number of triples. Entity types follow the real mix; which entity a claim names is
drawn with a Zipf-like preference, so a few hubs collect many edges as NF-κB does in the real
data. Everything is seeded: the same size and seed give the same folder.

    python bench/generate.py 100000 bench/.data/100k
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from bisect import bisect
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIPLES = ROOT / "triples"
REVIEW = "syn2026"

#: share of each type among synthetic entities (the real mix, sources and hallmarks fixed)
TYPE_MIX = {"mirna": 0.16, "lncrna": 0.03, "circrna": 0.01, "protein": 0.30, "chemical": 0.01,
            "pathway": 0.05, "process": 0.23, "disease": 0.21}
#: synthetic entities per synthetic claim (the real data has about 1.3)
ENTITIES_PER_CLAIM = 0.6
#: RDF triples one synthetic claim adds, measured on a 2,000-claim sample (see calibrate())
TRIPLES_PER_CLAIM = 41.5


class Picker:
    """Draws from a list with weight 1/rank**s (a few hubs, a long tail)."""

    def __init__(self, items: list[str], rng: random.Random, s: float = 1.0) -> None:
        self.items = items
        self.rng = rng
        self.cum = list(accumulate(1.0 / (i + 1) ** s for i in range(len(items))))

    def __call__(self) -> str:
        """One item."""
        return self.items[bisect(self.cum, self.rng.random() * self.cum[-1])]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(header), *("\t".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _real_ids(kind: str) -> dict[str, list[str]]:
    by_type: dict[str, list[str]] = {}
    for file in sorted((TRIPLES / "entities").glob("*.tsv")):
        for line in file.read_text(encoding="utf-8").splitlines()[1:]:
            cells = line.split("\t")
            by_type.setdefault(cells[1], []).append(cells[0])
    del kind
    return by_type


def generate(out: Path, claims: int, seed: int = 0) -> dict[str, int]:
    """Write a curated folder with the real data plus ``claims`` synthetic claims."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(TRIPLES, out, ignore=shutil.ignore_patterns(  # what names real studies
        "claims", "references", "trials", "attributes", "xrefs", "identifiers.tsv",
        "checks.tsv", "datapackage.json"))
    (out / "reviews.tsv").write_text(
        "key\tauthors\tyear\ttitle\n"
        f"{REVIEW}\tSynthetic Generator\t2026\tSynthetic claims for benchmarks\n",
        encoding="utf-8")
    real = _real_ids("all")
    n_entities = max(50, int(claims * ENTITIES_PER_CLAIM))
    pools: dict[str, list[str]] = {t: list(real.get(t, [])) for t in TYPE_MIX}
    rows = []
    for etype, share in TYPE_MIX.items():
        for i in range(int(n_entities * share)):
            ent_id = f"syn-{etype}-{i:07d}"
            parents = ""
            if etype == "protein" and rng.random() < 0.2:
                parents = rng.choice(real["pathway"])
            elif etype == "process":
                parents = rng.choice(real["hallmark"])
            elif etype == "pathway" and rng.random() < 0.3:
                parents = rng.choice(real["pathway"])
            rows.append([ent_id, etype, f"synthetic {etype} {i}", parents, "", ""])
            pools[etype].append(ent_id)
    # hubs first: real entities keep the front of each pool (they are the hubs)
    _write(out / "entities" / "synthetic.tsv", ["id", "type", "label", "parents", "xrefs",
                                                 "note"], rows)
    n_refs = max(10, claims // 2)
    _write(out / "references" / f"{REVIEW}.tsv",
           ["number", "key", "authors", "year", "title", "journal", "volume", "issue", "pages",
            "doi", "pmid", "note"],
           [[str(i), f"syn{i:07d}", f"A. Author{i}", str(2000 + i % 25),
             f"Synthetic study number {i}", "Journal of Benchmarks", str(i % 50), "", "1-9",
             "", "", ""] for i in range(1, n_refs + 1)])
    pick = {t: Picker(p, rng) for t, p in pools.items()}
    pick["source"] = Picker(real["source"], rng)
    targets = [t for t in ("protein", "mirna", "pathway", "protein", "pathway")]
    crows = []
    ops = ["->", "-|", "-|", "-?"]
    for i in range(1, claims + 1):
        cargo_type = rng.choices(["mirna", "lncrna", "protein", "circrna", ""],
                                 [0.55, 0.1, 0.2, 0.03, 0.12])[0]
        cargo = pick[cargo_type]() if cargo_type else ""
        seen = {cargo}
        steps = []
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            ent = pick[rng.choice(targets)]()
            if ent in seen:
                continue
            seen.add(ent)
            steps.append(f"{rng.choice(ops)} {ent}")
        procs = {pick["process"]() for _ in range(rng.choice([1, 1, 2]))} - seen
        disease = pick["disease"]() if rng.random() < 0.8 else ""
        if not steps and not procs and not disease:
            disease = pick["disease"]()
        crows.append([
            f"{REVIEW}-t1-{i:07d}", rng.choice(["exosome", "exosome", "exosome", "cells"]),
            pick["source"](), rng.choice(["human", "rat", "mouse", ""]), cargo,
            " ".join(steps),
            "|".join(f"{rng.choice(['promotes', 'reduces', 'reduces'])} {p}" for p in
                     sorted(procs)),
            f"alleviates {disease}" if disease else "",
            rng.choice(["in vitro", "in vivo", "in vitro|in vivo", ""]), "", "",
            f"{REVIEW}:{rng.randint(1, n_refs)}", REVIEW, f"Table 1, row {i}", ""])
    _write(out / "claims" / f"{REVIEW}.tsv",
           ["id", "agent", "source", "donor", "cargo", "mechanism", "processes", "diseases",
            "evidence", "model", "dose", "refs", "review", "where", "note"], crows)
    return {"claims": claims, "entities": len(rows), "references": n_refs}


def claims_for(triples: int) -> int:
    """How many synthetic claims give about ``triples`` RDF triples in all."""
    base = 2_100  # schema and the real vocabulary
    return max(0, int((triples - base) / TRIPLES_PER_CLAIM))


def calibrate(folder: Path) -> float:
    """Triples per synthetic claim, measured (used to set TRIPLES_PER_CLAIM)."""
    sys.path.insert(0, str(ROOT))
    from kg.data.curation import load
    from kg.graph.rdf import build_store

    generate(folder, 2000)
    big = len(build_store(load(folder)))
    real = len(build_store(load(TRIPLES)))
    return (big - real) / 2000


def main() -> None:
    """Command line: ``generate.py TRIPLES FOLDER [--seed N]`` or ``--calibrate FOLDER``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("triples", nargs="?", type=float)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    if args.calibrate:
        print(f"{calibrate(args.folder):.1f} triples per synthetic claim")
        return
    counts = generate(args.folder, claims_for(int(args.triples)), args.seed)
    print(f"wrote {args.folder}: {counts}")


if __name__ == "__main__":
    main()
