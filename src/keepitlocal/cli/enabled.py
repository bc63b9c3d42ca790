"""`keepitlocal enabled` commands."""

from __future__ import annotations

import click


@click.group(name="enabled")
def group() -> None:
    """enabled commands."""
