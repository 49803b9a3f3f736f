"""Path queries and ranking on toy graphs whose answers are worked out by hand."""

from __future__ import annotations

import pytest

from kg.data.model import Claim, Curation, Effect, Entity, EntityType, Reference, Step
from kg.query.paths import QueryError, neighbors, path_score, paths, upstream
from kg.query.rank import family_of, rank

TYPES = ["source", "mirna", "protein", "pathway", "process", "disease"]


def toy() -> Curation:
    """S has c1 -| T1 -| P ; S has c2 -| P ; S has c1 -> T2 (reduces X) ; S3 has c3 (X, D).

    Claims: A  S > c1 -| T1 -| P, alleviates D
            B  S > c2 -| P, alleviates D
            C  S > c1 -> T2, reduces X
            E  S3 > c3, reduces X, alleviates D
    """
    cur = Curation(root="toy")
    cur.types = {t: EntityType(t, t, "", "") for t in TYPES}
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


def test_igraph_betweenness_equals_networkx(cur: Curation) -> None:
    import networkx as nx

    from kg.query.rank import flow_graph

    g, _ = flow_graph(cur)
    sources = [n for n in g if cur.entities[n].type == "source"]
    targets = [n for n in g if cur.entities[n].type == "disease"]
    expected = nx.betweenness_centrality_subset(g, sources, targets, normalized=False)
    res = rank(cur, entity_type="pathway", permutations=0)
    for row in res.rows:
        assert row.betweenness == pytest.approx(expected[row.entity], abs=1e-5)
