"""Commands that make and compare releases: datapackage, release, diff."""

from __future__ import annotations

import sys

import click

from kg.cli.base import State, cli, handle_errors, pass_state


@cli.command()
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 when the committed file differs from the schema's.")
@pass_state
@handle_errors
def datapackage(state: State, check_only: bool) -> None:
    """Write datapackage.json (a Frictionless Data Package) into the data folder.

    One Table Schema per curated TSV file, made from the schema rows; never edit the file
    by hand. --check compares instead of writing.
    """
    from kg.io.datapackage import DESCRIPTOR, descriptor_bytes
    from kg.io.files import atomic_write, check_target

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
    check_target(target, "json-ld")
    if current == data:
        click.echo(f"unchanged: {target}", err=True)
        return
    atomic_write(target, data)
    click.echo(f"wrote {target}", err=True)
