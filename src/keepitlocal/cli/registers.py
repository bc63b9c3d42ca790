"""`keepitlocal registers` commands: load the national registers once, list what is loaded."""

from __future__ import annotations

from pathlib import Path

import click

from keepitlocal.cli._common import echo_json, engine_errors, json_option
from keepitlocal.errors import InputError
from keepitlocal.registers import load as registers_load
from keepitlocal.registers.store import open_store

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_STORE = click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path),
                      help="A DuckDB store file. Default: the web app's PostgreSQL database "
                           "when DATABASE_URL is a postgres:// URL, else registers.duckdb in "
                           "$KEEPITLOCAL_DATA_DIR (or ~/.cache/keepitlocal).")


@click.group(name="registers")
def group() -> None:
    """National registers (Companies House, charities, Contracts Finder), loaded once.

    Example: keepitlocal registers load companies-house BasicCompanyDataAsOneFile-2024-05-01.zip
    """


@group.command("load")
@click.argument("kind", type=click.Choice(sorted(registers_load.KINDS)))
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=_FILE)
@_STORE
@json_option
def load_command(kind: str, files: tuple[Path, ...], store_path: Path | None,
                 as_json: bool) -> None:
    """Read FILE once into the store, replacing that register's previous copy.

    KIND is companies-house (the basic company data zip), charities (the Charity Commission
    extract's charity table, JSON zip, optionally followed by its annual return part A,
    classification and area of operation tables, which the asset map uses) or
    contracts-finder (OCDS award releases, JSON).

    Example: keepitlocal registers load companies-house BasicCompanyDataAsOneFile-2024-05-01.zip

    Example: keepitlocal registers load charities publicextract.charity.zip
    publicextract.charity_annual_return_parta.zip publicextract.charity_classification.zip
    publicextract.charity_area_of_operation.zip
    """
    file, *more = files
    with engine_errors():
        if more and kind != "charities":
            raise InputError.one(f"{kind} is one file; {len(files)} were given",
                                 hint="only the charities extract comes as several tables")
    with engine_errors(), open_store(store_path) as store:
        result = registers_load.load(store, kind, file, more)
    loaded, report = result
    if as_json:
        echo_json({"register": loaded.kind, "file": loaded.file,
                   "published": loaded.published.isoformat() if loaded.published else None,
                   "rows": loaded.rows, "rows_read": report.rows,
                   "problems": [str(p) for p in report.problems]})
        return
    click.echo(f"loaded {loaded.rows:,} rows: {loaded.label}")
    for problem in report.problems[:20]:
        click.echo(f"  {problem}")
    if len(report.problems) > 20 or report.problems_dropped:
        click.echo(f"  ... and {len(report.problems) - 20 + report.problems_dropped} more")


@group.command("list")
@_STORE
@json_option
def list_command(store_path: Path | None, as_json: bool) -> None:
    """What is loaded: each register, its file, publication date, load time and rows.

    Example: keepitlocal registers list
    """
    with engine_errors(), open_store(store_path, read_only=True) as store:
        loads = store.loaded()
    if as_json:
        echo_json([{"register": x.kind, "file": x.file,
                    "published": x.published.isoformat() if x.published else None,
                    "loaded_at": x.loaded_at.isoformat(timespec="seconds"), "rows": x.rows}
                   for x in loads])
        return
    if not loads:
        click.echo("no registers loaded (keepitlocal registers load --help)")
    for x in loads:
        published = x.published.isoformat() if x.published else "unknown"
        click.echo(f"{x.kind:<20} {x.rows:>10,} rows  published {published}  loaded "
                   f"{x.loaded_at:%Y-%m-%d %H:%M} UTC  {x.file}")
