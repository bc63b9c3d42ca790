"""`keepitlocal geo` commands: build the postcode store, look postcodes up, find LAD codes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import click

from keepitlocal.cli._common import echo_json, engine_errors, json_option
from keepitlocal.geo import (
    InvalidPostcode,
    PostcodeStore,
    UnknownPostcode,
    build_store,
    default_store,
    find_lads,
    lad_name,
)
from keepitlocal.geo import io as geo_io


@click.group(name="geo")
def group() -> None:
    """UK postcodes and local authority districts, offline.

    Example: keepitlocal geo lookup "HX1 2JJ"
    """


def _store(ctx: click.Context) -> PostcodeStore:
    """The store to use: one passed in by the caller (tests, embedding), else the default."""
    given = ctx.find_root().obj
    if isinstance(given, dict) and isinstance(given.get("postcode_store"), PostcodeStore):
        return given["postcode_store"]
    return default_store()


@group.command()
@click.option("--force", is_flag=True, help="Rebuild even if the store exists.")
def build(force: bool) -> None:
    """Build the local postcode store from the packaged ONS data (one-off, seconds).

    Lookups build it automatically on first use; this command does it up front, e.g. while
    installing. The store lives in $KEEPITLOCAL_DATA_DIR, else ~/.cache/keepitlocal.

    Example: keepitlocal geo build --force
    """
    path = geo_io.store_path()
    if geo_io.is_complete(path) and not force:
        store = PostcodeStore.load(path)
        click.echo(f"Already built: {path} ({len(store):,} postcodes). Use --force to rebuild.")
        return
    with engine_errors():
        store = build_store(progress=lambda message: click.echo(message, err=True), replace=force)
    click.echo(f"Postcode store ready: {store.path} ({len(store):,} postcodes)")


def _number(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


@group.command()
@click.argument("postcodes", nargs=-1, required=True)
@json_option
@click.pass_context
def lookup(ctx: click.Context, postcodes: Sequence[str], as_json: bool) -> None:
    """Look up POSTCODES: coordinates, LAD and how precisely they were placed.

    `level` is "unit" for the postcode itself, or "sector"/"district" when an unknown postcode
    (terminated, or a typo in the last letters) was placed at the centre of its sector or
    district. Invalid or unknown postcodes are reported and make the exit code 1.

    Example: keepitlocal geo lookup "HX1 2JJ" bt11aa
    """
    store = _store(ctx)
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    for given in postcodes:
        try:
            location = store.lookup(given)
        except (InvalidPostcode, UnknownPostcode) as error:
            errors.append(str(error))
            rows.append({"postcode": given, "error": str(error)})
            continue
        rows.append(
            {
                "postcode": given,
                "normalised": location.postcode,
                "lat": _number(location.lat),
                "lon": _number(location.lon),
                "lad": location.lad,
                "lad_name": lad_name(location.lad) if location.lad else None,
                "level": location.level,
                "error": None,
            }
        )
    if as_json:
        echo_json(rows)
    else:
        _print_table([row for row in rows if row.get("error") is None])
    for message in errors:
        click.echo(f"Error: {message}", err=True)
    if errors:
        ctx.exit(1)


def _print_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    headers = ["postcode", "normalised", "lat", "lon", "LAD", "LAD name", "level"]
    table = [
        [
            row["postcode"],
            row["normalised"],
            "-" if row["lat"] is None else f"{row['lat']:.5f}",
            "-" if row["lon"] is None else f"{row['lon']:.5f}",
            row["lad"] or "-",
            row["lad_name"] or "-",
            row["level"],
        ]
        for row in rows
    ]
    widths = [max(len(str(line[i])) for line in [headers, *table]) for i in range(len(headers))]
    numeric = {2, 3}
    for line in [headers, *table]:
        cells = [
            str(cell).rjust(width) if i in numeric else str(cell).ljust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        click.echo("  ".join(cells).rstrip())


@group.command()
@click.argument("query")
@json_option
@click.pass_context
def lads(ctx: click.Context, query: str, as_json: bool) -> None:
    """Find local authority district codes by name (or check a code).

    Example: keepitlocal geo lads bristol
    """
    found = find_lads(query)
    if as_json:
        echo_json([{"code": code, "name": name} for code, name in found])
    else:
        for code, name in found:
            click.echo(f"{code}  {name}")
    if not found:
        click.echo(f"Error: no local authority district matches {query!r}", err=True)
        ctx.exit(1)
