"""`keepitlocal lm3` commands."""

from __future__ import annotations

import click


@click.group(name="lm3")
def group() -> None:
    """lm3 commands."""
