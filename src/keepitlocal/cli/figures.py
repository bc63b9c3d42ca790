"""`keepitlocal figures`: the figure catalogue, as docs/figures.md."""

from __future__ import annotations

import click

from keepitlocal import figures as catalogue


@click.command("figures")
def figures() -> None:
    """Print the figure catalogue (docs/figures.md): each result key, the function that
    computes it, its parameters, its docs section and seed lines.

    Example: keepitlocal figures
    """
    click.echo(catalogue.markdown(), nl=False)
