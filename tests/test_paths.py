"""Path queries and ranking on toy graphs whose answers are worked out by hand."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from kg.data.curation import read_schema
from kg.data.model import Claim, Curation, Effect, Entity, EntityType, Reference, Step
from kg.graph.edges import Edge
from kg.query.paths import (
    GraphPath,
    QueryError,
    _distances_to,
    _endpoint_ids,
    _ends,
    _reverse,
    _Search,
    _walk,
    neighbors,
    path_score,
    paths,
    rank_key,
    upstream,
)
from kg.query.rank import (
    DECIMALS,
    _betweenness,
    _claims_by_entity,
    _members,
    _to_igraph,
    family_of,
    flow_edges,
    flow_graph,
    rank,
    z_score,
)

TYPES = ["source", "mirna", "protein", "pathway", "process", "disease"]


def toy() -> Curation:
    """S has c1 -| T1 -| P ; S has c2 -| P ; S has c1 -> T2 (reduces X) ; S3 has c3 (X, D).

    Claims: A  S > c1 -| T1 -| P, alleviates D
            B  S > c2 -| P, alleviates D
            C  S > c1 -> T2, reduces X
            E  S3 > c3, reduces X, alleviates D
    """
    cur = Curation(root="toy")
    roles = dict(zip(TYPES, ["source", "cargo", "target", "pathway", "process", "disease"],
                     strict=True))
    cur.types = {t: EntityType(t, t, "", "", role=roles[t]) for t in TYPES}
    cur.predicates, cur.parent_rules = read_schema().predicates, read_schema().parent_rules
    for ent_id, etype, parents in [
        ("S", "source", ()), ("S3", "source", ()), ("c1", "mirna", ()), ("c2", "mirna", ()),
        ("c3", "mirna", ()), ("T1", "protein", ()), ("T2", "protein", ()),
        ("P", "pathway", ("Pfam",)), ("Pfam", "pathway", ()), ("X", "process", ()),
        ("D", "disease", ()), ("Dsub", "disease", ("D",)),
    ]:
        cur.entities[ent_id] = Entity(ent_id, etype, ent_id, parents)
    for n in range(1, 5):
        cur.citations[f"toy:{n}"] = f"study{n}"
        cur.references[f"study{n}"] = Reference(f"study{n}", "A. B", "2020", f"T{n}")
    cur.claims = {c.id: c for c in [
        Claim("toy-a-1", "exosome", "S", cargo="c1",
              mechanism=(Step("-|", ("T1",)), Step("-|", ("P",))),
              diseases=(Effect("alleviates", "D"),), refs=("toy:1",), review="toy"),
        Claim("toy-b-1", "exosome", "S", cargo="c2", mechanism=(Step("-|", ("P",)),),
              diseases=(Effect("alleviates", "D"),), refs=("toy:2",), review="toy"),
        Claim("toy-c-1", "exosome", "S", cargo="c1", mechanism=(Step("->", ("T2",)),),
              processes=(Effect("reduces", "X"),), refs=("toy:3",), review="toy"),
        Claim("toy-e-1", "exosome", "S3", cargo="c3", processes=(Effect("reduces", "X"),),
              diseases=(Effect("alleviates", "D"),), refs=("toy:4",), review="toy",
              evidence=("in vivo",)),
    ]}
    return cur


def test_paths_by_hand() -> None:
    res = paths(toy(), "S", "D")
    got = [(p.nodes, p.kind, p.net_sign, p.conflicting, p.studies) for p in res.paths]
    assert got == [
        (("S", "c2", "P", "D"), "asserted", -1, False, 1),
        (("S", "c1", "T1", "P", "D"), "asserted", -1, False, 1),
        (("S", "c1", "T2", "X", "D"), "inferred", -1, False, 1),
    ]
    assert res.paths[0].asserted_by == ("toy-b-1",)
    assert res.found == 3 and not res.capped and not res.timed_out


def test_degree_damped_score_by_hand() -> None:
    res = paths(toy(), "S", "D")
    # distinct neighbours: S 2, c2 2, P 3, D 2 -> (2*2)^-.4 (2*3)^-.4 (3*2)^-.4
    assert res.paths[0].score == pytest.approx(4 ** -0.4 * 6 ** -0.8)
    assert res.paths[1].score == pytest.approx(6 ** -1.6)
    assert path_score(("a", "b"), {"a": 2, "b": 2}, w=0.5) == pytest.approx(0.5)


def test_inferred_path_through_conflicting_hop_is_flagged() -> None:
    cur = toy()
    # claim H: c1 activates P (no disease). P -> D is 'reduces' in claim A but 'promotes'
    # in claim B, so the stitched path S > c1 > P > D has a hop with both signs.
    cur.claims["toy-h-1"] = Claim("toy-h-1", "exosome", "S", cargo="c1",
                                  mechanism=(Step("->", ("P",)),), refs=("toy:3",),
                                  review="toy")
    res = paths(cur, "S", "D")
    (stitched,) = [p for p in res.paths if p.nodes == ("S", "c1", "P", "D")]
    assert stitched.kind == "inferred"
    assert stitched.conflicting
    assert stitched.net_sign is None
    # the asserted path through the same hop is read with claim A's own edges only
    (own,) = [p for p in res.paths if p.nodes == ("S", "c1", "T1", "P", "D")]
    assert own.asserted and not own.conflicting and own.net_sign == -1


def test_path_invariants_on_toy() -> None:
    cur = toy()
    for p in paths(cur, "S", "D").paths:
        assert p.nodes[0] == "S" and p.nodes[-1] == "D"
        assert len(set(p.nodes)) == len(p.nodes)
        for hop, (u, v) in zip(p.hops, zip(p.nodes, p.nodes[1:], strict=False), strict=True):
            assert (hop.source, hop.target) == (u, v)
            assert hop.edges and all(e.claims for e in hop.edges)


def test_filters() -> None:
    cur = toy()
    assert [p.nodes for p in paths(cur, "S", "D", avoid=["c2"]).paths] == [
        ("S", "c1", "T1", "P", "D"), ("S", "c1", "T2", "X", "D")]
    assert [p.nodes for p in paths(cur, "S", "D", via=["X"]).paths] == [
        ("S", "c1", "T2", "X", "D")]
    assert len(paths(cur, "S", "D", asserted_only=True).paths) == 2
    assert [p.nodes for p in paths(cur, "S", "D", max_hops=3).paths] == [("S", "c2", "P", "D")]
    assert paths(cur, "S", "D", evidence="in-vivo").paths == []
    assert [p.nodes for p in paths(cur, "S3", "D", evidence="in-vivo").paths] == [
        ("S3", "c3", "X", "D")]


def test_cap_is_reported() -> None:
    res = paths(toy(), "S", "D", max_paths=1)
    assert res.capped and len(res.paths) == 1


def test_subtypes_of_the_disease_count() -> None:
    cur = toy()
    cur.claims["toy-g-1"] = Claim("toy-g-1", "exosome", "S3", cargo="c3",
                                  diseases=(Effect("alleviates", "Dsub"),),
                                  refs=("toy:4",), review="toy")
    assert ("S3", "c3", "Dsub") in [p.nodes for p in paths(cur, "S3", "D").paths]
    assert ("S3", "c3", "Dsub") not in [
        p.nodes for p in paths(cur, "S3", "D", include_subtypes=False).paths]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"via": ["X"], "avoid": ["X"]}, "cannot both pass through and avoid X"),
    ({"max_hops": 0}, "--max-hops must be at least 1"),
    ({"avoid": ["D"]}, "cannot avoid the source or the target itself"),
])
def test_conflicting_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        paths(toy(), "S", "D", **kwargs)  # type: ignore[arg-type]


def test_no_path() -> None:
    assert paths(toy(), "S3", "T1").paths == []


def test_neighbors_and_upstream() -> None:
    cur = toy()
    out = neighbors(cur, "c1", direction="out")
    assert [(n.entity, n.predicates) for n in out] == [("T1", ("inhibits",)),
                                                        ("T2", ("activates",))]
    assert [n.entity for n in neighbors(cur, "P", direction="in", entity_type="mirna")] == ["c2"]
    ups = upstream(cur, "D")
    assert [(u.role, u.entity, u.studies) for u in ups] == [
        ("source", "S", 2), ("source", "S3", 1), ("cargo", "c1", 1), ("cargo", "c2", 1),
        ("cargo", "c3", 1)]


def test_rank_by_hand() -> None:
    cur = toy()
    res = rank(cur, entity_type="pathway", permutations=0)
    (row,) = res.rows
    assert row.entity == "P"
    # source->disease pairs: (S, D) has one shortest path S-c2-P-D; (S3, D) avoids P
    assert row.betweenness == pytest.approx(1.0)
    assert (row.cargos, row.diseases, row.studies, row.claims) == (2, 1, 2, 2)
    assert row.degree == 3


def test_rank_family_rolls_up_and_is_deterministic() -> None:
    cur = toy()
    assert family_of(cur, "P") == "Pfam"
    res = rank(cur, entity_type="pathway", level="family", permutations=5, seed=7)
    assert [r.entity for r in res.rows] == ["Pfam"]
    assert res.rows[0].members == ("P",)
    again = rank(cur, entity_type="pathway", level="family", permutations=5, seed=7)
    assert again.rows == res.rows


def test_rank_rejects_unknown_type() -> None:
    with pytest.raises(QueryError, match="unknown type 'gene'"):
        rank(toy(), entity_type="gene")


@pytest.mark.parametrize("level", ["pathway", "family"])
def test_igraph_measures_equal_networkx(cur: Curation, level: str) -> None:
    """What the module docstring of kg.query.rank promises, on the curated graph."""
    import networkx as nx

    g, _ = flow_graph(cur, level)
    pairs, _ = flow_edges(cur, level)
    h, names = _to_igraph(pairs)
    index = {n: i for i, n in enumerate(names)}
    sources = [n for n in g if cur.entities[n].type == "source"]
    targets = [n for n in g if cur.entities[n].type == "disease"]
    expected = nx.betweenness_centrality_subset(g, sources, targets, normalized=False)
    raw = _betweenness(h, [index[n] for n in sources], [index[n] for n in targets], None, 0)
    assert max(expected.values()) > 50  # the tolerance below is absolute, on large values
    for n in g:
        assert raw[index[n]] == pytest.approx(expected[n], rel=0, abs=1e-12), n
    # PageRank: igraph's is the converged value; networkx's pure-Python iteration reaches it
    # when run to a tight tolerance, and is within its own default tolerance otherwise
    pagerank = h.pagerank(directed=True)
    tight = _pagerank_python(g, tol=1e-13, max_iter=10_000)
    default = _pagerank_python(g)
    for n in g:
        assert pagerank[index[n]] == pytest.approx(tight[n], rel=0, abs=1e-10), n
        assert pagerank[index[n]] == pytest.approx(default[n], rel=0, abs=len(g) * 1e-6), n
    # the rows report both rounded to DECIMALS places: within half a unit of the last one
    res = rank(cur, entity_type="pathway", level=level, permutations=0)
    half = 0.5 * 10 ** -DECIMALS + 1e-12
    for row in res.rows:
        assert row.betweenness == pytest.approx(expected[row.entity], rel=0, abs=half)
        assert row.pagerank == pytest.approx(tight[row.entity], rel=0, abs=half)
        assert row.betweenness == round(row.betweenness, DECIMALS)


def _pagerank_python(g: object, **kwargs: float) -> dict[str, float]:
    """networkx's PageRank without scipy (which this environment does not install)."""
    from networkx.algorithms.link_analysis import pagerank_alg

    run = getattr(pagerank_alg, "_pagerank_python", None)
    if run is None:
        pytest.skip("this networkx has no pure-Python PageRank")
    return dict(run(g, **kwargs))


# --- the pieces paths() and rank() are made of -----------------------------------------


def test_endpoint_ids_resolve_names_and_refuse_one_entity_twice() -> None:
    cur = toy()
    assert _endpoint_ids(cur, "S", "D", ["X"], ["c2"], 3) == (
        "S", "D", frozenset({"X"}), frozenset({"c2"}))
    with pytest.raises(QueryError, match="source and target are the same entity"):
        _endpoint_ids(cur, "D", "D", (), (), 3)


def test_ends_include_subtypes_unless_asked_not_to() -> None:
    cur = toy()
    assert _ends(cur, "S", "D", frozenset(), True) == ({"S"}, {"D", "Dsub"})
    assert _ends(cur, "S", "D", frozenset(), False) == ({"S"}, {"D"})
    assert _ends(cur, "S", "D", frozenset({"Dsub"}), True) == ({"S"}, {"D"})
    # a start that is also an end only ends paths
    assert _ends(cur, "Pfam", "Pfam", frozenset(), True) == (set(), {"Pfam", "P"})


def _layers(width: int, depth: int) -> dict[str, dict[str, list[Edge]]]:
    """s -> every node of layer 1 -> every node of layer 2 ... -> t: width ** depth paths."""
    layers = [["s"], *([f"n{d}-{i}" for i in range(width)] for d in range(depth)), ["t"]]
    return {u: {v: [Edge(u, "activates", v, 1, "causal", ("x",))] for v in nxt}
            for here, nxt in pairwise(layers) for u in here}


def _search(adj: dict[str, dict[str, list[Edge]]], max_hops: int) -> _Search:
    return _Search(adj, _distances_to(_reverse(adj), {"t"}), {"s"}, {"t"}, frozenset(),
                   max_hops)


def _every(nodes: tuple[str, ...]) -> Any:
    """A ``keep`` for :func:`_walk` that keeps every path found, as its node tuple."""
    return nodes


class _All:
    """Collects what :func:`_walk` finds, in the order found (stands in for ``_Best``)."""

    def __init__(self) -> None:
        self.paths: list[Any] = []

    @property
    def seen(self) -> int:
        return len(self.paths)

    def add(self, path: Any) -> None:
        self.paths.append(path)


def _run(adj: dict[str, dict[str, list[Edge]]], max_hops: int, max_paths: int,
         deadline: float) -> tuple[list[Any], bool, bool]:
    found = _All()
    capped, timed_out = _walk(_search(adj, max_hops), _every, found, max_paths,  # type: ignore[arg-type]
                              deadline)
    return found.paths, capped, timed_out


def test_walk_finds_every_path_in_sorted_order() -> None:
    adj = _layers(3, 2)
    found, capped, timed_out = _run(adj, 3, 100, float("inf"))
    assert found == sorted(found) and len(found) == 9 and not capped and not timed_out
    assert found[0] == ("s", "n0-0", "n1-0", "t")
    assert _run(adj, 2, 100, float("inf"))[0] == []  # too few hops


def test_walk_reports_cap_only_when_paths_are_left() -> None:
    adj = _layers(3, 2)
    assert _run(adj, 3, 9, float("inf"))[1:] == (False, False)
    found, capped, _ = _run(adj, 3, 4, float("inf"))
    assert capped and len(found) == 4


def test_walk_stops_at_the_deadline() -> None:
    # 4 ** 5 = 1024 paths: the clock is read every 1024 steps, and the deadline has passed
    found, capped, timed_out = _run(_layers(4, 5), 6, 10_000, 0.0)
    assert timed_out and not capped and 0 < len(found) < 4 ** 5


def test_a_small_search_never_reads_the_clock() -> None:
    res = paths(toy(), "S", "D", timeout=-1.0)
    assert not res.timed_out  # fewer than 1024 steps: the clock is never read
    assert len(res.paths) == 3


def test_z_score_by_hand() -> None:
    assert z_score(3.0, [1.0, 1.0, 4.0]) == pytest.approx(round((3 - 2) / 2 ** 0.5, 3))
    assert z_score(3.0, []) is None


def test_members_and_claims_by_entity() -> None:
    cur = toy()
    assert _members({"P": "Pfam", "Pfam": "Pfam"}) == {"Pfam": ["P"]}
    by_entity = _claims_by_entity(cur)
    assert sorted(c.id for c in by_entity["P"]) == ["toy-a-1", "toy-b-1"]
    assert "S" not in by_entity  # a claim's own source is not counted


def test_old_name_of_the_path_record_still_works() -> None:
    import kg.query.paths as module

    with pytest.warns(DeprecationWarning, match="Path is now kg.query.paths.GraphPath"):
        old = module.Path
    assert old is GraphPath
    assert type(paths(toy(), "S", "D").paths[0]) is GraphPath
    with pytest.raises(AttributeError, match="has no attribute 'Paths'"):
        module.Paths  # noqa: B018


def test_path_evidence_by_hand() -> None:
    # only claim E (S3 > c3, reduces X, alleviates D) states evidence: in vivo
    cur = toy()
    assert {p.strength for p in paths(cur, "S", "D").paths} == {"not stated"}
    assert [(p.nodes, p.strength) for p in paths(cur, "S3", "D").paths] == [
        (("S3", "c3", "X", "D"), "in vivo")]
    # the inferred S > c1 > T2 > X > D is as weak as its weakest hop, whatever X -> D has
    assert paths(cur, "S", "D", min_evidence="in-vivo").found == 0
    assert paths(cur, "S3", "D", min_evidence="in-vivo").found == 1
    assert paths(cur, "S3", "D", min_evidence="in-vitro").found == 1  # at least in vitro
    assert paths(cur, "S3", "D", min_evidence="clinical").found == 0
    assert paths(cur, "S", "D", min_studies=2).found == 0
    assert paths(cur, "S", "D", min_studies=1).found == 3


def test_path_evidence_follows_the_written_rule(cur: Curation) -> None:
    from kg.query.evidence import path_evidence

    res = paths(cur, "BM-MSC", "osteoarthritis")
    assert res.found > 100
    for p in res.paths:
        ev = path_evidence(cur, p)
        assert (p.studies, p.strength) == (ev.studies, ev.strength), p.nodes


@pytest.mark.parametrize("sort", ["studies", "evidence", "score"])
def test_keeping_the_best_k_gives_the_same_top_k(cur: Curation, sort: str) -> None:
    full = paths(cur, "BM-MSC", "osteoarthritis", sort=sort)
    for k in (1, 5, 40):
        top = paths(cur, "BM-MSC", "osteoarthritis", sort=sort, keep=k)
        assert top.paths == full.paths[:k]
        assert (top.found, top.asserted) == (full.found, sum(p.asserted for p in full.paths))


def test_sort_orders(cur: Curation) -> None:
    from kg.query.evidence import strength_rank

    by_evidence = paths(cur, "BM-MSC", "osteoarthritis", sort="evidence").paths
    for group in (True, False):
        ranks = [strength_rank(p.strength) for p in by_evidence if p.asserted is group]
        assert ranks == sorted(ranks)
    by_studies = [p for p in paths(cur, "BM-MSC", "osteoarthritis", sort="studies").paths
                  if not p.asserted]
    assert [p.studies for p in by_studies] == sorted((p.studies for p in by_studies),
                                                     reverse=True)
    by_score = [p for p in paths(cur, "BM-MSC", "osteoarthritis", sort="score").paths
                if not p.asserted]
    assert [p.score for p in by_score] == sorted((p.score for p in by_score), reverse=True)


def test_the_search_holds_at_most_twice_keep_paths() -> None:
    from kg.query.paths import GraphPath, _Best

    best = _Best(3, lambda p: rank_key(p, "studies"))
    peak = 0
    for i in range(500):
        best.add(GraphPath(("s", f"x{i:03d}", "d"), (), (), i % 7, 1.0 / (i + 1)))
        peak = max(peak, len(best.paths))
    assert peak <= 2 * 3 + 16 and best.seen == 500
    assert [p.studies for p in best.ranked()] == [6, 6, 6]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"sort": "citations"}, "unknown sort"),
    ({"min_studies": -1}, "--min-studies"),
    ({"min_evidence": "anecdote"}, "unknown evidence"),
    ({"keep": 0}, "keep must be"),
])
def test_ranking_options_are_checked(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        paths(toy(), "S", "D", **kwargs)


def test_a_deadline_already_past_stops_the_search(cur: Curation) -> None:
    res = paths(cur, "MSC", "Alzheimer's disease", max_hops=8, deadline=0.0)
    assert res.timed_out and res.found < paths(cur, "MSC", "Alzheimer's disease",
                                               max_hops=8, max_paths=10**7).found


def test_ranking_says_exact_when_every_source_is_used(cur: Curation,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.query.rank as rank_module
    from kg.view.text import rank_header

    # a graph above the sampling size with fewer sources than a sample: all are used
    monkeypatch.setattr(rank_module, "EXACT_LIMIT", 10)
    res = rank(cur, permutations=0)
    assert res.sample is None
    assert "exact betweenness" in rank_header(res, "pathway")
