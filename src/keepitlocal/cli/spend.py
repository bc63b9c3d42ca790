"""`keepitlocal spend` commands: a thin shell over `keepitlocal.spend`."""

from __future__ import annotations

import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from keepitlocal.cli._common import echo_json, engine_errors, json_option
from keepitlocal.spend import SpendOptions, analyse, render_text, result_to_dict
from keepitlocal.spend import columns as spend_columns
from keepitlocal.spend import io as spend_io

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _share(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    except InvalidOperation:
        raise click.BadParameter(f"{value!r} is not a share (use 0.6 or 60%)") from None
    if not 0 <= number <= 1:
        raise click.BadParameter(f"{value!r} is not between 0 and 1")
    return number


@click.group(name="spend")
def group() -> None:
    """Local spend analysis of council "spending over £500" ledgers."""


@group.command("analyse")
@click.argument("ledgers", nargs=-1, required=True, type=_FILE)
@click.option("--suppliers", "suppliers", type=_FILE, required=True,
              help="The council's supplier (vendor) register, CSV or XLSX.")
@click.option("--council", required=True, help="GSS code of the council (LAD, or E10 county).")
@click.option("--tiers", type=_FILE, help="JSON file defining the tiers (replaces the preset).")
@click.option("--map", "mapping", type=_FILE, help="JSON column mapping for the ledgers.")
@click.option("--decisions", type=_FILE, help="Matching decisions: ledger name -> register id.")
@click.option("--exclusions", type=_FILE, help="JSON exclusion rules (replaces the default).")
@click.option("--multipliers", type=_FILE, help="JSON LM3 supplier multipliers.")
@click.option("--companies-house", type=_FILE, help="Companies House basic company data.")
@click.option("--charities", type=_FILE, help="Charity Commission register extract.")
@click.option("--backend", type=click.Choice(["duckdb", "pyspark"]), default="duckdb",
              show_default=True)
@click.option("--target", callback=_share, help="Local share to aim for, e.g. 0.6 or 60%.")
@click.option("--shift", callback=_share, default="0.10", show_default=True,
              help="Share of spend moved to local suppliers in the LM3 estimate.")
@click.option("--strict", is_flag=True, help="Fail on any unusable line or bad date.")
@json_option
def analyse_command(ledgers: tuple[Path, ...], suppliers: Path, council: str,
                    tiers: Path | None, mapping: Path | None, decisions: Path | None,
                    exclusions: Path | None, multipliers: Path | None,
                    companies_house: Path | None, charities: Path | None, backend: str,
                    target: Decimal | None, shift: Decimal, strict: bool,
                    as_json: bool) -> None:
    """Analyse LEDGER files: spend by tier, VCSE and SME shares, departments, periods.

    Example: keepitlocal spend analyse apr.csv may.csv --suppliers vendors.csv --council E08000033
    """
    options = SpendOptions(tiers=tiers, mapping=mapping, decisions=decisions,
                           exclusions=exclusions, multipliers=multipliers,
                           companies_house=companies_house, charities=charities,
                           backend=backend, target=target, shift=shift, strict=strict,
                           keep_lines=False)
    with engine_errors():
        result = analyse(list(ledgers), suppliers, council, options)
    if as_json:
        echo_json(result_to_dict(result))
    else:
        click.echo(render_text(result))


@group.command("columns")
@click.argument("ledgers", nargs=-1, required=True, type=_FILE)
@click.option("--map", "mapping", type=_FILE, help="JSON column mapping to check.")
@json_option
def columns_command(ledgers: tuple[Path, ...], mapping: Path | None, as_json: bool) -> None:
    """Show the columns detected in each LEDGER file (and how), to confirm or map them."""
    documents: list[dict[str, Any]] = []
    with engine_errors(), tempfile.TemporaryDirectory() as tmp:
        chosen = None
        if mapping is not None:
            chosen = spend_columns.mapping_from_dict(spend_io.read_json(mapping, "mapping"),
                                                     mapping.name)
        for path in ledgers:
            loaded = spend_io.peek(path, Path(tmp))
            found = spend_columns.detect_ledger(loaded.name, loaded.headers, loaded.header_row,
                                                chosen, loaded.sample)
            documents.append({
                "file": loaded.name, "format": loaded.format, "encoding": loaded.encoding,
                "header_row": loaded.header_row, "rows": loaded.rows,
                "headers": list(loaded.headers), "columns": found.columns, "how": found.how,
                "missing": list(found.missing),
                "mapping": {f: found.columns.get(f) for f in found.columns},
            })
    if as_json:
        echo_json(documents if len(documents) > 1 else documents[0])
        return
    for doc in documents:
        found_columns: dict[str, str] = doc["columns"]
        how: dict[str, str] = doc["how"]
        headers: list[str] = doc["headers"]
        missing: list[str] = doc["missing"]
        click.echo(f"{doc['file']} ({doc['format']}, {doc['encoding'] or 'binary'}, header on row "
                   f"{doc['header_row']}, {doc['rows']:,} rows)")
        for field, header in found_columns.items():
            click.echo(f"  {field:<15} <- {header!r} ({how[field]})")
        unused = [h for h in headers if h not in found_columns.values()]
        if unused:
            click.echo("  not used: " + ", ".join(map(repr, unused)))
        if missing:
            click.echo("  MISSING: " + ", ".join(missing)
                       + ' (map them with --map FILE.json, e.g. {"amount": "Net Amount"})')
