"""Commands that make and compare releases: datapackage, release, diff."""

from __future__ import annotations

import sys

import click

from kg.cli.base import State, cli, format_option, handle_errors, pass_state

__all__ = ["datapackage", "diff", "release"]


@cli.command()
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 when the committed file differs from the schema's.")
@pass_state
@handle_errors
def datapackage(state: State, check_only: bool) -> None:
    """Write datapackage.json (a Frictionless Data Package) into the data folder.

    One Table Schema per curated TSV file, made from the schema rows; never edit the file
    by hand (like lint --fix, this command rewrites it in place). --check compares instead
    of writing.
    """
    from kg.io.datapackage import DESCRIPTOR, descriptor_bytes
    from kg.io.files import atomic_write

    target = state.data_dir / DESCRIPTOR
    data = descriptor_bytes(state.curation(), state.data_dir)
    current = target.read_bytes() if target.is_file() else None
    if check_only:
        if current != data:
            click.echo(f"{target} is {'missing' if current is None else 'out of date'}; "
                       "run 'exokg datapackage'", err=True)
            sys.exit(1)
        click.echo(f"ok: {target} is up to date")
        return
    # the data folder's own generated file, rewritten in place as 'exokg lint --fix' does
    if current == data:
        click.echo(f"unchanged: {target}", err=True)
        return
    atomic_write(target, data)
    click.echo(f"wrote {target}", err=True)


@cli.command()
@click.argument("version")
@click.option("-o", "--output", required=True, metavar="FOLDER",
              help="The release folder (its parent must exist).")
@click.option("--creator", "creators", multiple=True, required=True, metavar="NAME",
              help="A creator of the data: 'Family, Given' for a person, else an "
                   "organisation (repeatable, in order).")
@click.option("--date", metavar="YYYY-MM-DD",
              help="Release date (default: from SOURCE_DATE_EPOCH; never the clock).")
@click.option("--previous", metavar="DIR", type=click.Path(exists=True, file_okay=False),
              help="An earlier release (or data folder): write CHANGES.md against it.")
@click.option("--force", is_flag=True,
              help="Replace a non-empty folder that is not an earlier release.")
@pass_state
@handle_errors
def release(state: State, version: str, output: str, creators: tuple[str, ...],
            date: str | None, previous: str | None, force: bool) -> None:
    """Write a citable release of the graph into one folder.

    Every export format, the curated tables with their datapackage.json, the example
    queries, a VoID and DCAT description (dataset.ttl), CITATION.cff, RO-Crate metadata and
    SHA256SUMS; with --previous, CHANGES.md (exokg diff against it). The same data,
    version, date and creators give the same bytes.
    """
    from kg.io.release import Creator, ReleaseInfo, check_release_target, release_date
    from kg.io.release import write_release as write

    info = ReleaseInfo(version, release_date(date), tuple(Creator.parse(c) for c in creators))
    check_release_target(output, force=force)  # before any work
    names = write(state.curation(), state.data_dir, info, output, previous=previous, force=force,
                  cache=state.cache, say=lambda step: click.echo(f"writing {step}", err=True))
    click.echo(f"wrote {output}: {len(names)} files (check with: cd {output} && "
               "sha256sum -c SHA256SUMS)", err=True)


@cli.command()
@click.argument("old", type=click.Path(exists=True, file_okay=False))
@click.argument("new", type=click.Path(exists=True, file_okay=False))
@format_option
@handle_errors
def diff(old: str, new: str, fmt: str) -> None:
    """Show what changed between two release folders or two data folders.

    One row per claim or trial report added or removed, per changed field, per entity
    renamed or merged, and per edge gained or lost. Renames and merges are applied first,
    so a renamed entity does not also show as every claim that names it. --format json
    prints the whole diff as one object.
    """
    import json

    from kg.io.release import diff_folders
    from kg.query.diff import diff_rows, is_empty
    from kg.view.text import rows_out

    result = diff_folders(old, new)
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    elif fmt == "table" and is_empty(result):
        click.echo("no differences")
    else:
        click.echo(rows_out(diff_rows(result), fmt), nl=False)
