"""`keepitlocal serve`: the web app."""

from __future__ import annotations

import click


@click.command()
@click.option("--demo", is_flag=True, help="Load a realistic example data set first.")
def serve(demo: bool) -> None:
    """Start the web app on SQLite."""
    raise click.ClickException("the web app is not built yet")
