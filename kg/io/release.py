"""``exokg release``: one folder a researcher can cite and a machine can read.

A release folder holds

``exports/``
    the graph in every format of :mod:`kg.io.formats` (``exokg.ttl``, ``exokg.nt``,
    ``exokg.jsonld``, ``exokg.graphml``, ``kgx/``, ``neo4j/``);
``data/``
    the curated folder as read: the tables with their ``datapackage.json`` and
    ``README.md``, the other schema files, and ``extra/`` when there is one;
``queries/``
    the example SPARQL queries;
``nanopubs/``
    each claim as one nanopublication with a trusty URI (:mod:`kg.io.nanopubs`), and
    ``index.tsv`` from claim to URI;
``CHANGES.md``
    what changed since an earlier release or data folder (``previous``), from
    :func:`kg.query.diff.diff`;
``dataset.ttl``
    the description of the data set in VoID and DCAT (:func:`dataset_graph`);
``CITATION.cff``, ``ro-crate-metadata.json``
    how to cite it, and its RO-Crate metadata;
``SHA256SUMS``
    the SHA-256 of every other file, as ``sha256sum -c`` reads it.

The same inputs (curated data, version, date, creators, earlier release) give the same
bytes: nothing depends on the clock, the machine or the order of a directory listing.

The folder follows the write rule of :mod:`kg.io.files`: its parent must exist; it is
written into a new folder beside it and put in place only when whole; an existing folder
is replaced only when it is empty or an earlier release, unless ``force``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.data.model import Curation
from kg.errors import ExportError

__all__ = [
    "DATASET_PREFIXES", "EXPORT_NAME", "MARKERS", "MEDIA_TYPES", "SUMS", "Creator", "ReleaseInfo",
    "build_release", "check_release_target", "citation_cff", "counts", "data_folder",
    "dataset_graph", "diff_folders", "files_of", "is_release", "previous_name", "release_date",
    "release_of", "ro_crate", "sha256", "sums_text", "turtle", "write_release",
]

#: Files that mark a folder as an earlier release (it may be replaced without ``force``).
MARKERS = ("SHA256SUMS", "ro-crate-metadata.json", "dataset.ttl")
#: The checksum file.
SUMS = "SHA256SUMS"
#: Base name of the single-file exports.
EXPORT_NAME = "exokg"
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Media types of the files a release holds, by suffix.
MEDIA_TYPES = {
    ".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
    ".graphml": "application/graphml+xml", ".tsv": "text/tab-separated-values",
    ".csv": "text/csv", ".json": "application/json", ".md": "text/markdown",
    ".rq": "application/sparql-query", ".cff": "application/x-yaml",
    ".trig": "application/trig",
    "": "text/plain",
}


@dataclass(frozen=True)
class Creator:
    """A creator of the data: a person (family and given names) or an organisation."""

    name: str
    family: str = ""
    given: str = ""

    @classmethod
    def parse(cls, text: str) -> Creator:
        """``Family, Given`` is a person; anything else names an organisation.

        Examples
        --------
        >>> Creator.parse("Curie, Marie")
        Creator(name='Marie Curie', family='Curie', given='Marie')
        >>> Creator.parse("The exokg curators").family
        ''
        """
        family, sep, given = (part.strip() for part in text.partition(","))
        if not family:
            raise ExportError(f"creator '{text}': write 'Family, Given' or an organisation")
        if sep and given:
            return cls(f"{given} {family}", family, given)
        return cls(family)

    @property
    def is_person(self) -> bool:
        """Whether the creator is a person."""
        return bool(self.family)


@dataclass(frozen=True)
class ReleaseInfo:
    """What a release is, beyond its data: version, date and creators."""

    version: str
    date: str
    creators: tuple[Creator, ...]

    def __post_init__(self) -> None:
        if not _VERSION.match(self.version):
            raise ExportError(f"version '{self.version}': use letters, digits and . + _ - "
                              "(such as 1.0.0)")
        if not _DATE.match(self.date):
            raise ExportError(f"date '{self.date}' is not YYYY-MM-DD")
        if not self.creators:
            raise ExportError("a release needs at least one creator (--creator)")

    @property
    def iri(self) -> str:
        """The IRI of the release as a data set."""
        from kg.graph.namespace import BASE

        return f"{BASE}release/{self.version}"


def release_date(given: str | None) -> str:
    """The release date: ``given``, else the date of ``SOURCE_DATE_EPOCH`` (UTC).

    Raises
    ------
    ExportError
        When neither is given: a release never takes its date from the clock.
    """
    if given:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        import datetime

        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).strftime("%Y-%m-%d")
    raise ExportError("give the release date with --date YYYY-MM-DD (or set "
                      "SOURCE_DATE_EPOCH): it is never read from the clock")


def previous_name(folder: Path) -> str:
    """How release notes name an earlier release (its version) or data folder (its name)."""
    if is_release(folder):
        try:
            doc = json.loads((folder / "ro-crate-metadata.json").read_text(encoding="utf-8"))
            root = next(e for e in doc["@graph"] if e.get("@id") == "./")
            return f"release {root['version']}"
        except (OSError, ValueError, KeyError, StopIteration):
            pass
    return f"the data folder {folder.name}"


def release_of(data_dir: str | os.PathLike[str]) -> dict[str, str] | None:
    """The version and date of the release whose ``data/`` folder ``data_dir`` is, else None.

    Read from the release's ``ro-crate-metadata.json``, so the explorer and the static site
    of a release's data can say which release they show.
    """
    folder = Path(data_dir)
    parent = folder.parent
    if folder.name != "data" or not is_release(parent):
        return None
    try:
        doc = json.loads((parent / "ro-crate-metadata.json").read_text(encoding="utf-8"))
        root = next(e for e in doc["@graph"] if e.get("@id") == "./")
        return {"version": str(root["version"]), "date": str(root["datePublished"])}
    except (OSError, ValueError, KeyError, StopIteration, TypeError, AttributeError):
        return None


def is_release(folder: Path) -> bool:
    """Whether ``folder`` holds an earlier release (its marker files)."""
    return all((folder / name).is_file() for name in MARKERS)


def data_folder(path: str | os.PathLike[str]) -> Path:
    """The curated folder of ``path``: a release folder's ``data/``, else ``path`` itself."""
    folder = Path(path)
    if is_release(folder) and (folder / "data").is_dir():
        return folder / "data"
    return folder


def diff_folders(old: str | os.PathLike[str], new: str | os.PathLike[str]) -> dict[str, Any]:
    """:func:`kg.query.diff.diff` of two data folders or release folders (each validated)."""
    from kg.data.curation import load
    from kg.query.diff import diff

    return diff(load(data_folder(old)), load(data_folder(new)))


def check_release_target(out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Check, before any work, that a release may be written to ``out``.

    Raises
    ------
    ExportError
        Naming the missing parent folder, a file in the way, or the folder that would be
        lost (not empty and not an earlier release, without ``force``).
    """
    from kg.io.files import check_folder_target

    return check_folder_target(out, "release", earlier=is_release, force=force)


def sha256(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_of(root: Path) -> list[str]:
    """Every file under ``root``, as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def sums_text(root: Path, names: list[str]) -> str:
    """``SHA256SUMS`` of ``names`` under ``root``, one ``hash  path`` line each."""
    return "".join(f"{sha256(root / name)}  {name}\n" for name in names)


# -- the parts ---------------------------------------------------------------------------
def _write(root: Path, rel: str, data: bytes) -> Path:
    from kg.io.files import atomic_write

    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, data)


def _exports(cur: Curation, root: Path, cache: bool) -> None:
    from kg.io.formats import export, formats

    folder = root / "exports"
    folder.mkdir()
    for name, fmt in formats().items():
        out = folder / (name if fmt.kind == "folder" else EXPORT_NAME + fmt.suffixes[0])
        export(cur, name, out, cache=cache)


def _data(cur: Curation, data_dir: Path, root: Path) -> None:
    from kg.io.datapackage import DESCRIPTOR, curated_files, descriptor_bytes

    tables = {rel for rel, _ in curated_files(data_dir)}
    for rel in sorted(tables):
        _write(root, f"data/{rel}", (data_dir / rel).read_bytes())
    others = [data_dir / "README.md", *sorted((data_dir / "schema").glob("*.*")),
              *sorted((data_dir / "extra").glob("*.*"))]  # extra/: edge tables, RDF files
    for extra in others:
        rel = extra.relative_to(data_dir).as_posix()
        if extra.is_file() and rel not in tables and not extra.name.startswith("."):
            _write(root, f"data/{rel}", extra.read_bytes())
    _write(root, f"data/{DESCRIPTOR}", descriptor_bytes(cur, data_dir))


def _queries(root: Path) -> dict[str, str]:
    from kg.query.sparql import example_queries

    titles = {}
    for name, (path, title) in example_queries().items():
        _write(root, f"queries/{name}.rq", path.read_bytes())
        titles[name] = title
    return titles


def counts(cur: Curation, root: Path) -> dict[str, int]:
    """Triples (the lines of ``exports/exokg.nt``), entities and claims of the release."""
    nt = root / "exports" / f"{EXPORT_NAME}.nt"
    with nt.open("rb") as handle:
        triples = sum(1 for line in handle if line.strip() and not line.startswith(b"#"))
    return {"triples": triples, "entities": len(cur.entities), "claims": len(cur.claims)}


def dataset_graph(cur: Curation, info: ReleaseInfo, root: Path, numbers: dict[str, int],
                  queries: dict[str, str]) -> Any:
    """The release described in VoID and DCAT (an rdflib graph).

    The data set: title, description, version, date, licence, creators, the reviews it was
    read from (``prov:wasDerivedFrom``), its counts (``void:triples``, ``void:entities``
    and one class partition for the claims), one distribution per export, and the example
    queries as ``sh:SPARQLExecutable`` (as SPARQL example collections write them).
    """
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, VOID, XSD

    from kg.graph.namespace import EXO, REF
    from kg.io.datapackage import DESCRIPTION, LICENSE, TITLE

    schema_org = Namespace("https://schema.org/")
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dcterms", DCTERMS), ("foaf", FOAF), ("void", VOID),
                       ("prov", PROV), ("sh", SH), ("schema", schema_org), ("owl", OWL),
                       ("exo", EXO), ("ref", REF)):
        g.bind(prefix, ns)
    ds = URIRef(info.iri)
    base = info.iri + "/"
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((ds, DCTERMS.identifier, Literal(info.version)))
    g.add((ds, OWL.versionInfo, Literal(info.version)))
    g.add((ds, URIRef(str(DCAT) + "version"), Literal(info.version)))  # DCAT 3
    g.add((ds, DCTERMS.issued, Literal(info.date, datatype=XSD.date)))
    g.add((ds, DCTERMS.license, URIRef(LICENSE[1])))
    for keyword in ("mesenchymal stem cell", "exosome", "ageing", "knowledge graph"):
        g.add((ds, DCAT.keyword, Literal(keyword, lang="en")))
    for i, creator in enumerate(info.creators, start=1):
        agent = URIRef(f"{base}creator/{i}")
        g.add((ds, DCTERMS.creator, agent))
        g.add((agent, RDF.type, FOAF.Person if creator.is_person else FOAF.Organization))
        g.add((agent, RDF.type, FOAF.Agent))
        g.add((agent, FOAF.name, Literal(creator.name)))
        if creator.is_person:
            g.add((agent, FOAF.familyName, Literal(creator.family)))
            g.add((agent, FOAF.givenName, Literal(creator.given)))
    from kg.io.datapackage import review_citation

    for review in sorted(cur.reviews.values(), key=lambda r: r.key):
        node = URIRef(REF + review.key)
        g.add((ds, PROV.wasDerivedFrom, node))
        g.add((ds, DCTERMS.source, node))
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, DCTERMS.title, Literal(review.title)))
        g.add((node, DCTERMS.bibliographicCitation, Literal(review_citation(review))))
    g.add((ds, VOID.triples, Literal(numbers["triples"], datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(numbers["entities"], datatype=XSD.integer)))
    part = URIRef(f"{base}partition/claims")
    g.add((ds, VOID.classPartition, part))
    g.add((part, VOID["class"], EXO.Claim))
    g.add((part, VOID.entities, Literal(numbers["claims"], datatype=XSD.integer)))
    g.add((ds, VOID.uriSpace, Literal("https://w3id.org/exokg/")))
    g.add((ds, VOID.vocabulary, URIRef(str(EXO))))
    from kg.io.formats import formats

    for name, fmt in formats().items():
        rel = f"exports/{name}/" if fmt.kind == "folder" else \
            f"exports/{EXPORT_NAME}{fmt.suffixes[0]}"
        dist = URIRef(base + rel)
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.accessURL, dist))
        g.add((dist, DCTERMS.title, Literal(f"{fmt.description} ({rel})")))
        g.add((dist, DCTERMS.license, URIRef(LICENSE[1])))
        if fmt.kind == "file":
            g.add((dist, DCAT.downloadURL, dist))
            g.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/"
                                                + MEDIA_TYPES[fmt.suffixes[0]])))
            g.add((dist, DCAT.byteSize, Literal((root / rel).stat().st_size,
                                                datatype=XSD.decimal)))
        if name in ("turtle", "nt", "json-ld"):
            g.add((ds, VOID.dataDump, dist))
    for name, title in queries.items():
        query = URIRef(f"{base}queries/{name}")
        g.add((query, RDF.type, SH.SPARQLExecutable))
        g.add((query, RDF.type, SH.SPARQLSelectExecutable))
        g.add((query, RDFS.label, Literal(name)))
        g.add((query, RDFS.comment, Literal(title, lang="en")))
        g.add((query, SH.select, Literal((root / "queries" / f"{name}.rq").read_text(
            encoding="utf-8"))))
        g.add((query, schema_org.target, ds))
    return g


#: Prefixes of ``dataset.ttl``.
DATASET_PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#", "dcterms": "http://purl.org/dc/terms/",
    "exo": "https://w3id.org/exokg/schema#", "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#", "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "ref": "https://w3id.org/exokg/ref/",
    "schema": "https://schema.org/", "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#", "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def turtle(graph: Any, prefixes: dict[str, str]) -> bytes:
    """Turtle of an rdflib graph without blank nodes, the same bytes on every run.

    Written by Oxigraph from the sorted N-Triples (subjects in order, prefixes sorted).
    """
    from kg.graph.lines import sorted_lines
    from kg.io.files import turtle_from_ntriples

    lines = graph.serialize(format="nt", encoding="utf-8").splitlines()
    return turtle_from_ntriples(sorted_lines(lines), prefixes)


def _yaml(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def citation_cff(cur: Curation, info: ReleaseInfo) -> str:
    """``CITATION.cff`` (Citation File Format 1.2.0) of the release."""
    from kg.io.datapackage import DESCRIPTION, LICENSE, TITLE

    lines = ["cff-version: 1.2.0", "message: \"If you use this data set, please cite it as "
             "below, and the reviews it was curated from.\"", "type: dataset",
             f"title: {_yaml(TITLE)}", f"version: {_yaml(info.version)}",
             f"date-released: \"{info.date}\"", f"license: {LICENSE[0]}",
             f"abstract: {_yaml(DESCRIPTION)}", "keywords:",
             *(f"  - {_yaml(k)}" for k in ("mesenchymal stem cell", "exosome", "ageing",
                                           "knowledge graph")),
             "authors:"]
    lines += _cff_people(info.creators, "  ")
    lines.append("references:")
    for review in sorted(cur.reviews.values(), key=lambda r: r.key):
        lines += ["  - type: article", f"    title: {_yaml(review.title)}",
                  f"    year: {int(review.year)}" if review.year.isdigit() else "",
                  "    authors:"]
        people = tuple(Creator(n, *reversed(n.rsplit(" ", 1))) if " " in n else Creator(n)
                       for n in (a.strip() for a in review.authors.split(";")) if n)
        lines += _cff_people(people, "      ")
        if review.journal:
            lines.append(f"    journal: {_yaml(review.journal)}")
        if review.doi:
            lines.append(f"    doi: {_yaml(review.doi)}")
    return "\n".join(line for line in lines if line) + "\n"


def _cff_people(creators: tuple[Creator, ...], indent: str) -> list[str]:
    out = []
    for c in creators:
        if c.is_person:
            out += [f"{indent}- family-names: {_yaml(c.family)}",
                    f"{indent}  given-names: {_yaml(c.given)}"]
        else:
            out.append(f"{indent}- name: {_yaml(c.name)}")
    return out


def ro_crate(info: ReleaseInfo, root: Path, names: list[str]) -> dict[str, Any]:
    """The RO-Crate 1.1 metadata of the release folder (every file a ``File`` entity)."""
    from kg.io.datapackage import DESCRIPTION, LICENSE, TITLE

    creators = []
    graph: list[dict[str, Any]] = [
        {"@id": "ro-crate-metadata.json", "@type": "CreativeWork",
         "conformsTo": {"@id": "https://w3id.org/ro/crate/1.1"}, "about": {"@id": "./"}}]
    for i, c in enumerate(info.creators, start=1):
        entity: dict[str, Any] = {"@id": f"#creator-{i}",
                                  "@type": "Person" if c.is_person else "Organization",
                                  "name": c.name}
        if c.is_person:
            entity.update(familyName=c.family, givenName=c.given)
        creators.append(entity)
    files = [n for n in names if n != "ro-crate-metadata.json"]
    authors = [{"@id": c["@id"]} for c in creators]
    root_entity = {
        "@id": "./", "@type": "Dataset", "name": TITLE, "description": DESCRIPTION,
        "version": info.version, "datePublished": info.date, "identifier": info.iri,
        "license": {"@id": LICENSE[1]},
        "author": authors[0] if len(authors) == 1 else authors,  # one: a single value
        "isBasedOn": {"@id": "data/datapackage.json"},
        "hasPart": [{"@id": n} for n in files],
    }
    graph.append(root_entity)
    for name in files:
        entity = {"@id": name, "@type": "File", "name": name,
                  "encodingFormat": MEDIA_TYPES.get(Path(name).suffix, "text/plain")}
        if name != SUMS:  # the checksums are in SHA256SUMS (the 1.1 context has no term)
            entity["contentSize"] = str((root / name).stat().st_size)
        graph.append(entity)
    graph += creators
    graph.append({"@id": LICENSE[1], "@type": "CreativeWork", "name": LICENSE[2],
                  "identifier": LICENSE[0]})
    return {"@context": "https://w3id.org/ro/crate/1.1/context", "@graph": graph}


# -- the whole folder --------------------------------------------------------------------
def build_release(cur: Curation, data_dir: Path, info: ReleaseInfo, root: Path, *,
                  previous: Path | None = None, cache: bool = True,
                  say: Callable[[str], None] = lambda _: None) -> list[str]:
    """Write every file of a release into the empty folder ``root``; return their names."""
    say("exports")
    _exports(cur, root, cache)
    say("curated tables")
    _data(cur, data_dir, root)
    queries = _queries(root)
    say("nanopublications")
    from kg.io.nanopubs import write_nanopubs

    write_nanopubs(cur, info, root / "nanopubs")
    numbers = counts(cur, root)
    _write(root, "dataset.ttl", turtle(dataset_graph(cur, info, root, numbers, queries),
                                       DATASET_PREFIXES))
    _write(root, "CITATION.cff", citation_cff(cur, info).encode())
    if previous is not None:
        from kg.data.curation import load
        from kg.query.diff import changes_markdown, diff

        notes = changes_markdown(diff(load(data_folder(previous)), cur),
                                 previous_name(previous), info.version)
        _write(root, "CHANGES.md", notes.encode())
    for hidden in [p for p in root.rglob(".*") if p.is_file()]:
        hidden.unlink()  # bookkeeping of the writers (a record of what they wrote): not data
    names = sorted({*files_of(root), SUMS, "ro-crate-metadata.json"})
    # the crate lists SHA256SUMS (written after it, so without size or checksum); the sums
    # then cover every other file, the crate included
    _write(root, "ro-crate-metadata.json", _crate_bytes(info, root, names))
    _write(root, SUMS, sums_text(root, [n for n in names if n != SUMS]).encode())
    return names


def _crate_bytes(info: ReleaseInfo, root: Path, names: list[str]) -> bytes:
    doc = ro_crate(info, root, names)
    return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def write_release(cur: Curation, data_dir: Path, info: ReleaseInfo,
                  out: str | os.PathLike[str], *, previous: str | os.PathLike[str] | None = None,
                  force: bool = False, cache: bool = True,
                  say: Callable[[str], None] = lambda _: None) -> list[str]:
    """Write the release folder ``out``; return the names of its files.

    The files are written into a new folder beside ``out``, which then takes the place of
    ``out`` (an earlier release there, or with ``force`` any folder, is removed only once
    the new one is whole); an error or Ctrl-C on the way leaves ``out`` as it was.

    Raises
    ------
    ExportError
        When ``out`` may not be written (:func:`check_release_target`) or writing fails.
    """
    root = check_release_target(out, force=force)
    before = Path(previous) if previous is not None else None
    if before is not None and not before.is_dir():
        raise ExportError(f"--previous {before}: not a folder")
    from kg.io.files import staged_folder

    old: Path | None = None
    try:
        with staged_folder(root, "release") as stage:
            names = build_release(cur, data_dir, info, stage, previous=before, cache=cache,
                                  say=say)
            if root.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{root.name}.old.",
                                            dir=root.absolute().parent))
                os.replace(root, old / "release")
            try:
                os.replace(stage, root)
            except OSError:
                if old is not None:  # put the earlier folder back
                    os.replace(old / "release", root)
                raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return names
