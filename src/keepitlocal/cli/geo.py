"""`keepitlocal geo` commands."""

from __future__ import annotations

import click


@click.group(name="geo")
def group() -> None:
    """geo commands."""
