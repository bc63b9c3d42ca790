"""What every command shares: turning engine errors into clear messages and printing JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import click

from keepitlocal.errors import KeepItLocalError


@contextmanager
def engine_errors() -> Iterator[None]:
    """Translate an engine's input error into a ClickException (exit code 1, message on stderr)."""
    try:
        yield
    except KeepItLocalError as error:
        raise click.ClickException(str(error)) from error


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def echo_json(document: Any) -> None:
    """Print one JSON document; Decimals as strings so no penny is lost to float."""
    click.echo(json.dumps(document, indent=2, default=_default, ensure_ascii=False))


def json_option(function: Callable[..., Any]) -> Callable[..., Any]:
    option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
    return option(function)
