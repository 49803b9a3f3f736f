"""Loading stages for the primary record: identifiers of the cited studies, checked claims.

``identifiers.tsv`` gives a cited study (a reference key) the DOI and PMID read on the
publisher's, PubMed's or PMC's page, with the page's address, or says why none was recorded.
``checks.tsv`` records, per mechanism claim, whether the cited study's abstract supports it.
Neither adds or changes a claim: the facts still come from the reviews.
"""

from __future__ import annotations

from kg.data.loading import _DOI, _PAGE, _PMID, VERDICTS, LoaderBase
from kg.data.model import Check
from kg.data.tsv import split_list

__all__ = ["PrimaryStages"]


class PrimaryStages(LoaderBase):
    """Reads ``identifiers.tsv`` (after the references) and ``checks.tsv`` (after the claims)."""

    def load_identifiers(self) -> None:
        """Looked-up DOIs and PMIDs of the cited studies, each with the page that shows it."""
        file = self.root / "identifiers.tsv"
        if not file.is_file():
            return
        tab = self.table(file, "identifiers")
        seen: set[str] = set()
        for row in tab.rows if tab else []:
            key, doi, pmid = row["key"], row["doi"], row["pmid"]
            pages = tuple(split_list(row["page"]))
            ref = self.cur.references.get(key)
            if ref is None:
                self.error(row.where, f"key: '{key}' is no reference key")
                continue
            if key in seen:
                self.error(row.where, f"key: '{key}' listed twice")
                continue
            seen.add(key)
            if doi and not _DOI.match(doi):
                self.error(row.where, f"doi: '{doi}' is not a DOI (10.NNNN/...)")
                continue
            if pmid and not _PMID.match(pmid):
                self.error(row.where, f"pmid: '{pmid}' is not a PMID (digits)")
                continue
            bad = [p for p in pages if not _PAGE.match(p)]
            if bad:
                self.error(row.where, f"page: '{bad[0]}' is not a web address")
                continue
            if (doi or pmid) and not pages:
                self.error(row.where, "page: empty (name the page that shows the identifier)")
                continue
            if not (doi or pmid) and not row["note"]:
                self.error(row.where, "note: empty (say why no identifier was recorded)")
                continue
            for name, printed, found in (("doi", ref.doi, doi), ("pmid", ref.pmid, pmid)):
                if printed and found and printed.casefold() != found.casefold():
                    self.warn(row.where, f"{name}: '{found}' differs from the printed "
                              f"'{printed}'")
            self.cur.references[key] = ref._replace(
                found_doi=doi, found_pmid=pmid, found_at=pages, found_note=row["note"])

    def load_checks(self) -> None:
        """Per mechanism claim: does the cited study's abstract support it (``checks.tsv``)."""
        file = self.root / "checks.tsv"
        if not file.is_file():
            return
        tab = self.table(file, "checks")
        for row in tab.rows if tab else []:
            cid, verdict, page, why = row["claim"], row["verdict"], row["page"], row["why"]
            claim = self.cur.claims.get(cid)
            if claim is None:
                self.error(row.where, f"claim: unknown claim id '{cid}'")
            elif cid in self.cur.checks:
                self.error(row.where, f"claim: '{cid}' checked twice")
            elif not claim.mechanism:
                self.error(row.where, f"claim: '{cid}' names no mechanism; only mechanism "
                           "claims are checked")
            elif verdict not in VERDICTS:
                self.error(row.where, f"verdict: '{verdict}' must be one of "
                           f"{', '.join(VERDICTS)}")
            elif not _PAGE.match(page):
                self.error(row.where, "page: give the address of the page holding the "
                           "abstract")
            elif not why:
                self.error(row.where, "why: empty (say in a few words why)")
            else:
                self.cur.checks[cid] = Check(cid, verdict, page, why)
