"""`keepitlocal spend` commands."""

from __future__ import annotations

import click


@click.group(name="spend")
def group() -> None:
    """spend commands."""
