"""Commands for the questions researchers ask: claims, trials, matrix, hallmarks, search.

Each calls one function of :mod:`kg.query` (``claims``, ``trials``, ``matrix``,
``hallmarks``, ``search``) and prints its records with :mod:`kg.view.questions`. A valid
question with no answer prints why to standard error and exits with code 3.
"""

from __future__ import annotations

import sys

import click

from kg.cli.base import (
    EXIT_NO_RESULT,
    State,
    cli,
    format_option,
    handle_errors,
    limit_option,
    pass_state,
)

__all__ = ["AGENT", "CHECKED", "EVIDENCE", "claims", "hallmarks", "matrix", "search", "trials"]

AGENT = click.Choice(["exosome", "cells"])
EVIDENCE = click.Choice(["clinical", "in-vivo", "in-vitro", "not-stated"])
#: Values of ``claims --checked`` (:data:`kg.query.claims.CHECKED`, spelled out to keep the
#: CLI's import light; a test keeps them equal).
CHECKED = ("supports", "partly", "silent", "contradicts", "any", "unchecked")


def _empty(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(EXIT_NO_RESULT)


def _limited(total: int, limit: int) -> int:
    """How many records to print under ``--limit`` (0: all)."""
    return min(total, limit) if limit else total


def _note_limit(total: int, shown: int, what: str) -> None:
    """After the records: a note on standard error when ``--limit`` left some out."""
    if shown < total:
        click.echo(f"note: showing {shown} of {total} {what} (--limit; 0 shows all)", err=True)


@cli.command()
@click.option("--source", metavar="SOURCE", help="MSC source of the exosomes or cells.")
@click.option("--cargo", metavar="CARGO", help="Cargo carried (miRNA, lncRNA, protein …).")
@click.option("--target", metavar="ENTITY",
              help="Any entity of the mechanism chain (gene, protein, pathway, RNA).")
@click.option("--pathway", metavar="PATHWAY",
              help="A pathway of the mechanism chain (its member genes count unless --exact).")
@click.option("--process", metavar="PROCESS",
              help="A process the claim changes, or a hallmark of ageing.")
@click.option("--disease", metavar="DISEASE", help="A disease, injury or class of diseases.")
@click.option("--review", metavar="KEY", help="Only claims read in this review (e.g. wei2024).")
@click.option("--agent", type=AGENT, help="Only exosome claims or only MSC cell-therapy claims.")
@click.option("--evidence", type=EVIDENCE, help="Only claims with this kind of evidence.")
@click.option("--study", metavar="STUDY",
              help="Only claims citing this study (reference key, REVIEW:NUMBER, PMID or DOI).")
@click.option("--exact", is_flag=True,
              help="Match only the entities named, not narrower ones (miR-21 without "
                   "miR-21-5p).")
@click.option("--checked", type=click.Choice(CHECKED),
              help="Only claims whose cited study's abstract was read with this verdict "
                   "(any: checked at all; unchecked: not checked).")
@limit_option(50, "Claims")
@format_option
@pass_state
@handle_errors
def claims(state: State, source: str | None, cargo: str | None, target: str | None,
           pathway: str | None, process: str | None, disease: str | None, review: str | None,
           agent: str | None, evidence: str | None, study: str | None, exact: bool,
           checked: str | None, limit: int, fmt: str) -> None:
    """List the claims matching the filters, one line each, with evidence and citations.

    Entity filters take an id, a label or any synonym and include narrower entities
    (osteoarthritis finds knee osteoarthritis) unless --exact. Each line gives the source,
    agent, cargo, mechanism, effects, evidence (kind and species), citation, where it was
    read and the curator's flag. Exit code 3 when no claim matches.
    """
    from kg.query.claims import claims as find
    from kg.view.questions import claim_records, render

    cur = state.curation()
    rows = find(cur, source=source, cargo=cargo, target=target, pathway=pathway,
                process=process, disease=disease, review=review, agent=agent,
                evidence=evidence.replace("-", " ") if evidence else None, study=study,
                exact=exact, checked=checked)
    if not rows:
        _empty("no claim matches the filters given")
    shown = rows[:_limited(len(rows), limit)]
    if fmt == "table":
        studies = len({k for r in rows for k in r.studies})
        flagged = sum(1 for r in rows if r.flag)
        click.echo(f"{len(rows)} claim(s) from {studies} distinct studies"
                   f"{f'; {flagged} flagged' if flagged else ''}")
    click.echo(render(claim_records(shown, fmt), fmt), nl=False)
    _note_limit(len(rows), len(shown), "claims")


@cli.command()
@click.argument("disease", required=False)
@click.option("--source", metavar="SOURCE", help="MSC source of the exosomes or cells.")
@click.option("--agent", type=AGENT, help="Only exosome trials or only MSC cell-therapy trials.")
@click.option("--phase", metavar="PHASE", help="Trial phase, e.g. 1, 2 or 1/2 (1 also "
              "matches phase 1/2).")
@click.option("--status", metavar="STATUS", help="Trial status, e.g. Completed or Recruiting.")
@click.option("--exact", is_flag=True,
              help="Only the disease and source named, not narrower ones.")
@limit_option(50, "Trial reports")
@format_option
@pass_state
@handle_errors
def trials(state: State, disease: str | None, source: str | None, agent: str | None,
           phase: str | None, status: str | None, exact: bool, limit: int, fmt: str) -> None:
    """List the clinical trials of DISEASE (or all), as the reviews report them.

    Narrower diseases count (osteoarthritis finds the knee-osteoarthritis trial) unless
    --exact. Registered trials come first; clinical studies a review cites without a registry
    number follow, marked 'published study'. A trial reported twice (in a table and in the
    text) has a line per report. Exit code 3 when none matches.
    """
    from kg.query.trials import REGISTERED
    from kg.query.trials import trials as find
    from kg.view.questions import render, trial_records

    cur = state.curation()
    rows = find(cur, disease, source=source, agent=agent, phase=phase, status=status,
                exact=exact)
    if not rows:
        _empty("no trial matches" + (" the filters given" if any(
            (disease, source, agent, phase, status)) else ""))
    shown = rows[:_limited(len(rows), limit)]
    if fmt == "table":
        registered = len({r.trial for r in rows if r.kind == REGISTERED})
        published = len({r.trial for r in rows if r.kind != REGISTERED})
        click.echo(f"{len(rows)} report(s) of {registered} registered trial(s) and "
                   f"{published} published clinical study(ies) without a registry number")
    click.echo(render(trial_records(shown, fmt), fmt), nl=False)
    _note_limit(len(rows), len(shown), "trial reports")


@cli.command()
@click.option("--rows", "row_kind", type=click.Choice(["source", "cargo"]), default="source",
              show_default=True, help="What the rows are.")
@click.option("--cols", "col_kind", type=click.Choice(["disease", "hallmark"]),
              default="disease", show_default=True,
              help="What the columns are (a claim reaches a hallmark through its processes).")
@click.option("--agent", type=AGENT, help="Only exosome claims or only MSC cell-therapy claims.")
@click.option("--evidence", type=EVIDENCE, help="Only claims with this kind of evidence.")
@limit_option(30, "Cells")
@format_option
@pass_state
@handle_errors
def matrix(state: State, row_kind: str, col_kind: str, agent: str | None,
           evidence: str | None, limit: int, fmt: str) -> None:
    """Count distinct studies per source (or cargo) and disease (or hallmark).

    One line per non-empty cell, most-studied first, with the claims beside the count. A
    study read in a table row and again in the text, or in two reviews, counts once.
    Exit code 3 when no claim passes the filters.
    """
    from kg.query.matrix import matrix as tabulate
    from kg.view.questions import matrix_records, render

    cur = state.curation()
    result = tabulate(cur, row_kind, col_kind, agent=agent,
                      evidence=evidence.replace("-", " ") if evidence else None)
    if not result.cells:
        _empty(f"no claim connects a {row_kind} to a {col_kind} with the filters given")
    shown = _limited(len(result.cells), limit)
    if fmt == "table":
        click.echo(f"{len(result.rows)} {row_kind}s x {len(result.cols)} {col_kind}s, "
                   f"{len(result.cells)} non-empty cells; counts are distinct studies")
    click.echo(render(matrix_records(result, fmt, shown), fmt), nl=False)
    _note_limit(len(result.cells), shown, "cells")


@cli.command()
@click.option("--agent", type=AGENT, help="Only exosome claims or only MSC cell-therapy claims.")
@click.option("--evidence", type=EVIDENCE, help="Only claims with this kind of evidence.")
@format_option
@pass_state
@handle_errors
def hallmarks(state: State, agent: str | None, evidence: str | None, fmt: str) -> None:
    """Roll claims and distinct studies up by hallmark of ageing.

    A claim counts once under each hallmark any of its processes belongs to; the top
    processes and sources say what the count is made of. Exit code 3 when no claim reaches
    a hallmark.
    """
    from kg.query.matrix import hallmarks as roll_up
    from kg.view.questions import hallmark_records, render

    cur = state.curation()
    rows = roll_up(cur, agent=agent, evidence=evidence.replace("-", " ") if evidence else None)
    if not any(r.claims for r in rows):
        _empty("no claim reaches a hallmark of ageing with the filters given")
    if fmt == "table":
        reached = {c for r in rows for c in r.claims}
        click.echo(f"{len(reached)} claim(s) reach {sum(1 for r in rows if r.claims)} of "
                   f"{len(rows)} hallmarks of ageing")
    click.echo(render(hallmark_records(rows, fmt), fmt), nl=False)


@cli.command()
@click.argument("text")
@click.option("--type", "entity_type", metavar="TYPE",
              help="Only entities of this type (mirna, protein, pathway, disease …).")
@limit_option(20, "Entities")
@format_option
@pass_state
@handle_errors
def search(state: State, text: str, entity_type: str | None, limit: int, fmt: str) -> None:
    """Find entities by part of a name, a synonym or a misspelling of TEXT.

    Case, Greek letters, hyphens and spaces do not matter (nfkb finds NF-κB); misspellings
    are found by similarity. Exit code 3 when nothing matches.
    """
    from kg.query.search import search as find
    from kg.view.questions import render, search_records

    cur = state.curation()
    hits = find(cur, text, entity_type=entity_type, limit=None)
    if not hits:
        _empty(f"no entity matches '{text}'" + (f" among {entity_type}" if entity_type else ""))
    shown = hits[:_limited(len(hits), limit)]
    click.echo(render(search_records(shown, fmt), fmt), nl=False)
    _note_limit(len(hits), len(shown), "matches")
