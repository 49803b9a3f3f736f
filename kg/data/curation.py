"""Load and validate the curated folder (``triples/``) into a :class:`~kg.data.model.Curation`.

Every problem is collected with its ``file:line`` and a one-line reason, so one run of
``exokg check`` reports them all. Names are resolved through the vocabulary
(:mod:`kg.data.names`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

from kg.data.extra import ExtraStages
from kg.data.index import Derived
from kg.data.loading import RDF_SUFFIXES, display_path
from kg.data.model import Curation
from kg.data.names import NameIndex
from kg.data.primary import PrimaryStages
from kg.data.records import RecordStages
from kg.data.vocabulary import VocabularyStages
from kg.errors import CurationError, DataFolderError, Problem

#: The loader's public functions, and the one table of the loading stages that
#: :mod:`kg.graph.rdf` takes from here (the RDF files ``extra/`` may hold).
__all__ = [
    "ENV_VAR", "RDF_SUFFIXES", "check_extra_rdf", "default_data_dir", "entity_id", "load",
    "name_index", "read_schema", "resolve", "validate",
]

ENV_VAR = "EXOKG_DATA"


def default_data_dir() -> Path:
    """The curated folder used when none is given: ``$EXOKG_DATA`` or the shipped one."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    package = Path(__file__).resolve().parent.parent  # kg/
    packaged = package / "_data" / "triples"
    if packaged.is_dir():
        return packaged
    return package.parent / "triples"



class _Loader(VocabularyStages, RecordStages, PrimaryStages, ExtraStages):
    """One validation run over a folder: the stages of each record kind, in order."""

    def run(self) -> Curation:
        stages: list[Callable[[], None]] = [
            self.load_schema, self.load_reviews, self.load_entities, self.load_ambiguous,
            self.load_unmapped,
            self.load_references, self.load_identifiers, self.load_claims, self.check_signs,
            self.load_checks, self.load_trials,
            self.load_attributes,
            self.load_extra]
        for stage in stages:
            stage()
        self.cur.warnings = self.warnings
        return self.cur




def validate(data_dir: str | os.PathLike[str] | None = None
             ) -> tuple[Curation, list[Problem]]:
    """Validate a curated folder; return what loaded and every problem found.

    Raises
    ------
    DataFolderError
        When the folder does not exist.
    """
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    if not root.exists():
        raise DataFolderError(f"curated data folder not found: {root}")
    if not root.is_dir():
        raise DataFolderError(f"curated data folder is not a folder: {root}")
    loader = _Loader(root)
    cur = loader.run()
    return cur, loader.problems


def read_schema(data_dir: str | os.PathLike[str] | None = None) -> Curation:
    """Only the schema of a curated folder (types, predicates, parent rules, prefixes).

    Raises
    ------
    CurationError
        When a schema file has a problem.

    Examples
    --------
    >>> read_schema().predicates["member_of"].rdf_property
    'memberOf'
    """
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    return _read_schema(root.resolve())


@functools.lru_cache(maxsize=4)
def _read_schema(root: Path) -> Curation:
    loader = _Loader(root)
    loader.load_schema()
    if loader.problems:
        raise CurationError(loader.problems)
    return loader.cur


def check_extra_rdf(cur: Curation) -> list[Problem]:
    """Parse every RDF file of ``extra/`` (with Oxigraph); a problem per file that fails."""
    import pyoxigraph as ox

    problems = []
    for path in cur.extra_rdf:
        file = Path(path)
        try:
            for _ in ox.parse(path=str(file), format=ox.RdfFormat.from_extension(file.suffix[1:])):
                pass
        except SyntaxError as exc:
            problems.append(Problem(display_path(file), f"not valid RDF: {exc}"))
        except OSError as exc:
            problems.append(Problem(display_path(file), f"cannot read: {exc}"))
    return problems


def name_index(cur: Curation) -> NameIndex:
    """The index of every id, label and synonym of a loaded curation.

    Built once per curation, and again only after its entities change.
    """
    return _NAME_INDEX(cur)


def _build_name_index(cur: Curation) -> NameIndex:
    index = NameIndex()
    for ent in cur.entities.values():
        index.add(ent.id, ent.id, is_id=True)
        index.add(ent.label, ent.id)
        for syn in ent.synonyms:
            index.add(syn, ent.id)
    for term, meanings in cur.ambiguous.items():
        index.mark_ambiguous(term, meanings)
    return index


#: Every id, label and synonym of a curation, and its ambiguous names.
_NAME_INDEX: Derived[NameIndex] = Derived("name_index", _build_name_index)


def resolve(cur: Curation, name: str) -> str:
    """Resolve a name (id, label or synonym) to an entity id of ``cur``.

    Raises
    ------
    UnknownEntityError
        No entity has that name; the error lists close matches.
    AmbiguousNameError
        The name could mean several entities.

    Examples
    --------
    >>> resolve(load(), "BMSC")
    'BM-MSC'
    """
    return name_index(cur).resolve(name)


def entity_id(cur: Curation, name: str) -> str:
    """``name`` itself when it is an entity id of ``cur``, else :func:`resolve` of it.

    What every public function calls on the names it is given, so each takes an id, a label
    or any synonym and raises the same typed errors as the CLI.

    Examples
    --------
    >>> entity_id(load(), "osteoarthritis")
    'osteoarthritis'
    """
    return name if name in cur.entities else resolve(cur, name)


def load(data_dir: str | os.PathLike[str] | None = None) -> Curation:
    """Load a curated folder, raising :class:`CurationError` if anything is wrong.

    Examples
    --------
    >>> cur = load()
    >>> cur.entities["BM-MSC"].label
    'bone marrow MSC'
    """
    cur, problems = validate(data_dir)
    if problems:
        raise CurationError(problems)
    return cur
