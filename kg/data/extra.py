"""Loading stage for ``extra/``: edge tables (streamed) and RDF files merged as they are."""

from __future__ import annotations

from pathlib import Path

from kg.data.loading import COLUMNS, EXTRA_KINDS, RDF_SUFFIXES, LoaderBase, display_path
from kg.data.tsv import Row, RowReader

__all__ = ["ExtraStages"]


class ExtraStages(LoaderBase):
    """Reads ``extra/``."""

    def load_extra(self) -> None:
        """Edge tables (streamed, row by row) and RDF files of ``extra/``."""
        folder = self.root / "extra"
        if not folder.is_dir():
            return
        for file in sorted(folder.iterdir()):
            display = display_path(file)
            if file.suffix == ".tsv":
                self.cur.files.append(display)
                self._extra_table(file, display)
            elif file.suffix in RDF_SUFFIXES:
                self.cur.files.append(display)
                self.cur.extra_rdf.append(str(file))
            elif file.is_file() and not file.name.startswith("."):
                self.warn(display, "ignored: extra/ takes .tsv edge tables and .ttl/.nt files")

    def _extra_table(self, file: Path, display: str) -> None:
        required, optional = COLUMNS["extra"]
        resolved: dict[str, str | None] = {}

        def name(row: Row, column: str) -> str | None:
            text = row[column]
            if text not in resolved:
                before = len(self.problems)
                resolved[text] = self.resolve(row, column, text)
                if len(self.problems) > before:
                    return None  # reported once here; later rows with it are left quiet
            elif resolved[text] is None:
                self.error(row.where, f"{column}: '{text}' does not resolve (see above)")
            return resolved[text]

        reader = RowReader(display, required, optional, self.problems)
        with file.open("rb") as handle:
            for row in reader.rows(handle):
                pred = self.cur.predicates.get(row["predicate"])
                if pred is None or pred.kind not in EXTRA_KINDS:
                    allowed = sorted(p.id for p in self.cur.predicates.values()
                                     if p.kind in EXTRA_KINDS)
                    self.error(row.where, f"predicate: '{row['predicate']}' is not one of "
                               f"{', '.join(allowed)}")
                    continue
                if not row["source"]:
                    self.error(row.where, "source: empty (say where the edge comes from)")
                    continue
                subject, obj = name(row, "subject"), name(row, "object")
                if subject is None or obj is None:
                    continue
                if subject == obj:
                    self.error(row.where, f"'{row['subject']}' acts on itself (self-loop)")
                    continue
                self.cur.extra_edges.setdefault((subject, pred.id, obj), set()).add(
                    row["source"])
        if reader.ok and reader.header is None:
            self.error(display, "empty file (a header line is required)")
