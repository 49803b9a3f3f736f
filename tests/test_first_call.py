"""The first call after a data edit (issue 26): the RDF build without rdflib or curies.

The emitter spells its fixed IRIs, the schema's classes and properties and the xref IRIs as
plain strings; these tests hold them equal to what rdflib's namespaces,
:class:`kg.graph.namespace.Vocabulary` and ``curies`` give, and check that an export on an
empty cache imports neither library (nor networkx, for JSON-LD and GraphML).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from kg.data import schema
from kg.data.model import SIGN_NAMES, Curation

from .conftest import CLI_PROBE, settle


def _probe(*libraries: str) -> str:
    """The CLI probe, printing which of ``libraries`` the command imported."""
    return CLI_PROBE + f"""
print("loaded:", sorted({{m.split(".")[0] for m in sys.modules}} & set({libraries!r})),
      file=sys.stderr)
"""


_PROBE = _probe("rdflib", "curies", "networkx")


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "graphml"])
def test_an_export_on_an_empty_cache_imports_no_rdflib_curies_or_networkx(
        fmt: str, mini: Path, private_cache: Path, tmp_path: Path) -> None:
    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    out = tmp_path / f"g.{fmt}"
    done = subprocess.run([sys.executable, "-c", _PROBE, "--data", str(mini), "export", "-f",
                           fmt, "-o", str(out)], env=env, capture_output=True, text=True,
                          check=True)
    assert "loaded: []" in done.stderr, done.stderr
    assert out.read_bytes().count(b"\n") > 100  # nor networkx (JSON-LD, GraphML)


def test_the_fixed_terms_are_the_namespaces_terms() -> None:
    from rdflib import RDF, RDFS
    from rdflib.namespace import DCTERMS, SKOS, XSD

    from kg.graph.namespace import (
        ATTR,
        BIOLINK,
        CLAIM,
        EDGE,
        ID,
        PROV,
        REF,
        REPORT,
        TRIAL,
        exo_term,
    )
    from kg.graph.rdf import _EXO_USED, _fixed_terms

    t = _fixed_terms()
    s = str
    assert (t.type, t.label, t.comment, t.value) == (s(RDF.type), s(RDFS.label),
                                                     s(RDFS.comment), s(RDF.value))
    assert (t.subject, t.predicate, t.object) == (s(RDF.subject), s(RDF.predicate),
                                                  s(RDF.object))
    assert (t.alt_label, t.exact_match) == (s(SKOS.altLabel), s(SKOS.exactMatch))
    assert t.match == {"exact": s(SKOS.exactMatch), "close": s(SKOS.closeMatch),
                       "broad": s(SKOS.broadMatch), "narrow": s(SKOS.narrowMatch)}
    assert (t.dct_source, t.derived_from, t.boolean, t.title) == (
        s(DCTERMS.source), s(PROV.wasDerivedFrom), s(XSD.boolean), s(DCTERMS.title))
    assert (t.knowledge_level, t.agent_type) == (s(BIOLINK.knowledge_level),
                                                 s(BIOLINK.agent_type))
    assert (t.id, t.trial, t.claim, t.ref, t.report, t.edge, t.attr) == tuple(
        s(ns) for ns in (ID, TRIAL, CLAIM, REF, REPORT, EDGE, ATTR))
    # each exo: term the emitter writes is one the namespace declares (a typo raises there)
    assert t.exo == {name: str(exo_term(name)) for name in _EXO_USED}
    assert t.signs == {sign: str(exo_term(name)) for sign, name in SIGN_NAMES.items()}


def test_every_fixed_term_of_the_schema_is_declared() -> None:
    from kg.data.terms import TERMS
    from kg.graph.namespace import exo_term

    for name in TERMS:
        exo_term(name)  # raises for a term kg.graph.namespace.EXO does not declare


def test_the_schema_iris_are_the_vocabulary_s(cur: Curation) -> None:
    from kg.graph.namespace import Vocabulary
    from kg.graph.rdf import _Terms

    vocab, terms = Vocabulary(cur), _Terms(cur)
    for type_id in schema.node_types(cur):
        assert terms.type_class(type_id) == str(vocab.type_class(type_id))
    for predicate in cur.predicates:
        assert terms.predicate(predicate) == str(vocab.predicate(predicate))


def test_the_prefix_map_expands_as_curies_does(cur: Curation) -> None:
    curies = pytest.importorskip("curies")
    from kg.graph.curie import converter

    ours, theirs = converter(cur), curies.Converter.from_prefix_map(cur.prefixes)
    xrefs = {x for ent in cur.entities.values() for _, x in ent.mappings}
    xrefs |= {f"{prefix}:0000001" for prefix in cur.prefixes} | {"nope:1", "hgnc:"}
    assert len(xrefs) > 100
    for xref in sorted(xrefs):
        assert ours.expand(xref) == theirs.expand(xref), xref


def test_a_ranking_is_kept_by_the_cache_for_its_arguments(
        mini: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.query.rank
    from kg.data.curation import load
    from kg.io.cache import load_cached
    from kg.query.hubs import hubs
    from kg.query.rank import rank

    first = load_cached(mini, load)
    fresh = rank(first, permutations=3)
    by_type = rank(first, entity_type="protein", permutations=3)
    filtered = hubs(first, agent="exosome", permutations=3)
    assert len(list(private_cache.glob("*/derived-*.pickle"))) == 3

    def again(*args: object) -> None:
        raise AssertionError("ranked again on a warm call")

    monkeypatch.setattr(kg.query.rank, "_rank_flow", again)
    warm = load_cached(mini, load)
    assert rank(warm, permutations=3) == fresh and rank(warm, permutations=3) is not fresh
    assert rank(warm, entity_type="protein", permutations=3) == by_type
    assert hubs(warm, agent="exosome", permutations=3) == filtered
    with pytest.raises(AssertionError, match="ranked again"):  # other arguments: not kept
        rank(warm, permutations=4)
    with pytest.raises(AssertionError, match="ranked again"):  # records changed: not kept
        warm.claims.pop(sorted(warm.claims)[0])
        rank(warm, permutations=3)


def test_a_ranking_of_changed_records_is_not_written(mini: Path, private_cache: Path) -> None:
    from kg.data.curation import load
    from kg.io.cache import load_cached
    from kg.query.rank import rank

    cur = load_cached(mini, load)
    cur.claims.pop(sorted(cur.claims)[0])
    changed = rank(cur, permutations=2)
    assert not list(private_cache.glob("*/derived-*.pickle"))
    assert rank(load_cached(mini, load), permutations=2) != changed


def test_a_warm_rank_does_not_import_igraph(mini: Path, private_cache: Path) -> None:
    probe = _probe("igraph", "networkx")
    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    command = [sys.executable, "-c", probe, "--data", str(mini), "rank", "--format", "json"]
    cold = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    warm = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "loaded: ['igraph']" in cold.stderr, cold.stderr
    assert "loaded: []" in warm.stderr, warm.stderr
    assert warm.stdout == cold.stdout and '"betweenness"' in warm.stdout


@pytest.mark.parametrize("args", [["stats"], ["export", "-f", "nt", "-o", "-"]])
def test_the_command_line_writes_its_entries_after_the_command(
        args: list[str], mini: Path, private_cache: Path) -> None:
    """``exokg`` writes a new entry when its command is done (in a process of its own); a
    call that comes before it is complete waits for it instead of loading again."""
    from kg.data.curation import load
    from kg.io.cache import load_cached

    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    first = subprocess.run([sys.executable, "-m", "kg", "--data", str(mini), *args], env=env,
                           capture_output=True, text=True, check=True)

    def again(root: Path) -> None:
        raise AssertionError("loaded again: the entry was not written")

    cur = load_cached(mini, again)
    assert cur.cache_key and cur.claims == load(mini).claims
    warm = subprocess.run([sys.executable, "-m", "kg", "--data", str(mini), *args], env=env,
                          capture_output=True, text=True, check=True)
    assert warm.stdout == first.stdout
    assert not [p for p in private_cache.rglob("*") if p.name.startswith("tmp")]


def test_an_entry_kept_back_is_not_written_for_changed_records(
        mini: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.io.cache as cache
    from kg.data.curation import load

    monkeypatch.setattr(cache, "_LATER", [])
    cur = cache.load_cached(mini, load)
    pending = list(cache._LATER or [])
    assert len(pending) == 1
    assert not list(private_cache.glob("*/curation.pickle"))  # kept back, not written yet
    cur.claims.pop(sorted(cur.claims)[0])  # the command changed its records meanwhile
    for _, write in pending:
        write()
    assert not [p for p in private_cache.rglob("*") if p.is_file()]


def test_a_first_sparql_answers_from_memory_and_leaves_the_store_on_disk(
        mini: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.io.cache as cache
    from kg.data.curation import load

    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    command = [sys.executable, "-m", "kg", "--data", str(mini), "sparql", "hub-pathways"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=True)

    def in_memory(cur: Curation) -> None:
        raise AssertionError("built again: the on-disk store was not written")

    monkeypatch.setattr(cache, "_in_memory", in_memory)
    store = cache.store_for(cache.load_cached(mini, load))
    assert len(store) == int(next(private_cache.glob("*/oxigraph/complete")).read_text())
    warm = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert warm.stdout == first.stdout and "id:" in warm.stdout


def test_serve_writes_its_entries_while_it_runs(mini: Path, private_cache: Path) -> None:
    """A server runs on: its entries are written when it starts, and its store is on disk."""
    import signal
    import socket

    pytest.importorskip("uvicorn")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "--data", str(mini), "serve",
                             "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert "exokg explorer on" in proc.stdout.readline()
        from kg.io.cache import _wait_for_writer

        folders = list(private_cache.glob("*/"))
        assert len(folders) == 1
        _wait_for_writer(folders[0])
        assert (folders[0] / "curation.pickle").is_file()
        assert (folders[0] / "oxigraph" / "complete").is_file()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "graphml", "kgx"])
def test_an_export_imports_no_query_module(fmt: str, mini: Path, private_cache: Path,
                                           tmp_path: Path) -> None:
    """The command line takes its defaults from :mod:`kg.query.defaults`, which imports
    nothing: an export of the whole graph asks no question and imports none of the path
    search, its evidence, the selections or the ranking."""
    probe = CLI_PROBE + """
print("query modules:", sorted(set(sys.modules) & {"kg.query.paths", "kg.query.evidence",
                                                   "kg.query.select", "kg.query.rank"}),
      file=sys.stderr)
"""
    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    done = subprocess.run([sys.executable, "-c", probe, "--data", str(mini), "export", "-f",
                           fmt, "-o", str(tmp_path / "out")], env=env, capture_output=True,
                          text=True, check=True)
    assert "query modules: []" in done.stderr, done.stderr


def test_a_sparql_query_without_service_letters_imports_no_rdflib(
        mini: Path, private_cache: Path) -> None:
    """The shipped queries are plain (:func:`kg.query.sparql.plainly_local`): run unparsed."""
    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    for _ in range(2):  # the first call after an edit, then the warm one
        done = subprocess.run([sys.executable, "-c", _PROBE, "--data", str(mini), "sparql",
                               "hub-pathways"], env=env, capture_output=True, text=True,
                              check=True)
        assert "loaded: []" in done.stderr, done.stderr
        assert "id:" in done.stdout


def test_the_process_ends_with_its_codes_and_all_its_output(mini: Path,
                                                            private_cache: Path) -> None:
    """``exokg`` ends without the interpreter's teardown (``kg.__main__._end``): the exit
    code, every byte written to a pipe, and the cache entries its writer leaves are kept."""
    from click.testing import CliRunner

    from kg.cli import cli

    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    command = [sys.executable, "-m", "kg", "--data", str(mini)]
    expected = CliRunner().invoke(cli, ["--data", str(mini), "--no-cache", "export", "-f", "nt",
                                        "-o", "-"]).output
    done = subprocess.run([*command, "export", "-f", "nt", "-o", "-"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == expected and len(expected) > 10_000
    settle(private_cache)
    assert list(private_cache.glob("*/curation.pickle"))  # the writer ran at the end
    missing = subprocess.run([*command, "show", "no-such-entity"], env=env,
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "unknown entity" in missing.stderr
    head = subprocess.run(f"{shlex.join(command)} export -f nt -o - | head -c 10",
                          shell=True, env=env, capture_output=True, text=True)
    assert len(head.stdout) == 10, head.stderr
    assert "Traceback" not in head.stderr and "Exception" not in head.stderr, head.stderr


def test_a_profiled_command_still_writes_its_profile(mini: Path, private_cache: Path,
                                                     tmp_path: Path) -> None:
    """Under ``python -m cProfile`` the process ends the usual way: the profile is written."""
    env = {**os.environ, "EXOKG_CACHE": str(private_cache)}
    out = tmp_path / "stats.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "kg", "--data",
                    str(mini), "stats"], env=env, capture_output=True, check=True)
    assert out.stat().st_size > 1000


def test_the_command_line_alone_sets_the_collector_s_thresholds() -> None:
    """``import kg`` leaves the collector alone; ``exokg`` runs with ``GC_THRESHOLD``."""
    program = (
        "import atexit, gc, sys\n"
        "print('start', gc.get_threshold())\n"
        "import kg, kg.cli, kg.__main__ as entry\n"
        "print('library', gc.get_threshold())\n"
        "atexit.register(lambda: print('command', gc.get_threshold(), entry.GC_THRESHOLD))\n"
        "sys.argv = ['exokg', '--help']\n"
        "entry.run()\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          check=True)
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines()
                 if line.startswith(("start", "library", "command")))
    assert lines["library"] == lines["start"]
    threshold, wanted = lines["command"].rsplit(" (", 1)
    assert threshold == "(" + wanted and threshold != lines["library"]


def test_a_store_loaded_alongside_the_emitter_holds_the_bulk_loaded_triples(
        cur: Curation) -> None:
    import pyoxigraph as ox

    from kg.graph.rdf import _load_alongside, fill_store

    bulk = set(fill_store(ox.Store(), cur))
    assert set(fill_store(ox.Store(), cur, bulk=False)) == bulk
    small = ox.Store()  # many chunks, more than the queue holds

    def load(text: bytes) -> None:
        small.load(input=text, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())

    _load_alongside(cur, load, chunk=500)
    assert set(small) == bulk and len(bulk) > 10_000


def test_a_failed_load_alongside_is_raised_and_never_hangs(cur: Curation) -> None:
    from kg.errors import KGError
    from kg.graph.rdf import _load_alongside

    calls: list[int] = []

    def load(text: bytes) -> None:
        calls.append(len(text))
        if len(calls) == 3:
            raise KGError("the third chunk is refused")

    with pytest.raises(KGError, match="third chunk"):
        _load_alongside(cur, load, chunk=200)
    assert len(calls) == 3  # nothing loaded after the failure


def test_the_edge_lines_written_in_one_go_are_the_sink_s_own(mini: Path) -> None:
    """:func:`kg.graph.rdf._edges_text` writes what the sink's calls write, escapes included."""
    import sys as system

    from kg.data.curation import load
    from kg.graph.rdf import _emit, _NTriples

    class CallByCall(_NTriples):  # not the N-Triples sink itself: the generic path
        pass

    cur = load(mini)
    edge = next(iter(sorted(cur.claims.values())[0].mechanism)).entities[0]
    target = sorted(cur.entities)[0]
    cur.extra_edges[(edge, "regulates", target)] = {'a "quoted" lab\\run', "line\nbreak"}
    fast, slow = _NTriples(print, system.maxsize), CallByCall(print, system.maxsize)
    _emit(fast, cur)
    _emit(slow, cur)
    assert sorted(fast.lines) == sorted(slow.lines)
    assert any('\\"quoted\\" lab\\\\run' in line for line in fast.lines)
    assert any("line\\nbreak" in line for line in fast.lines)
