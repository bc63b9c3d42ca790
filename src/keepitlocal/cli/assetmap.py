"""`keepitlocal assetmap`: the local VCSE sector from the public registers (thin shell over
keepitlocal.assetmap)."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from keepitlocal.assetmap.areas import AreaChoice, choose
from keepitlocal.assetmap.bands import SEED_BAND, load_bands
from keepitlocal.assetmap.build import VIEWS, AssetMap, build
from keepitlocal.assetmap.demo import DEMO_COUNCIL, demo_files
from keepitlocal.assetmap.deprivation import ATTRIBUTION
from keepitlocal.assetmap.export import (
    district_document,
    summary_document,
    tables,
    to_csv,
    to_xlsx,
)
from keepitlocal.assetmap.sources import REGISTER_NAMES, read_all
from keepitlocal.assetmap.summary import Summary, summarise
from keepitlocal.cli._common import echo_json, engine_errors, json_option
from keepitlocal.errors import InputError
from keepitlocal.money import pounds
from keepitlocal.registers.asset_tables import AssetTables, asset_tables_of
from keepitlocal.rounding import percent

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group(name="assetmap")
def group() -> None:
    """The local voluntary, community and social enterprise sector, from the registers.

    Example: keepitlocal assetmap build --demo
    """


@group.command(name="build")
@click.option("--council", multiple=True, metavar="CODE",
              help="LAD code(s) of the area, or a county council's E10 code for its districts "
                   "(repeat, or separate with commas).")
@click.option("--combined-authority", metavar="NAME",
              help="Instead of --council: a combined authority's member districts, e.g. "
                   "'West Yorkshire CA'.")
@click.option("--radius-km", type=float, help="Instead of --council: a radius around --centre.")
@click.option("--centre", metavar="POSTCODE", help="The centre of --radius-km.")
@click.option("--charities", type=FILE, multiple=True,
              help="Charity Commission register extract: publicextract.charity.zip, and "
                   "optionally the annual return part A, classification and area of operation "
                   "tables (repeat the option; zips or JSON).")
@click.option("--oscr", type=FILE, help="OSCR (Scotland) charity register CSV or zip.")
@click.option("--ccni", type=FILE, help="CCNI (Northern Ireland) register export CSV.")
@click.option("--companies-house", type=FILE,
              help="Companies House basic company data (CSV or zip); CICs, guarantee companies,"
                   " CIOs and societies are kept.")
@click.option("--grants", type=FILE, help="A 360Giving grants file (CSV or JSON).")
@click.option("--directory", type=FILE, help="The council's own directory (CSV or XLSX).")
@click.option("--directory-columns", metavar="JSON",
              help='Directory column mapping, e.g. \'{"name": "Group", "postcode": "PC"}\'.')
@click.option("--bands", type=FILE, help="Turnover bands CSV (band,lower,upper); default NCVO.")
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the map: .xlsx (organisations and every summary) or .csv "
                   "(organisations).")
@click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The register store used when no Charity Commission or Companies House "
                   "file is given (default: the one `keepitlocal registers load` fills).")
@click.option("--demo", is_flag=True,
              help="Use the packaged Calderdale demo registers (synthetic organisations).")
@json_option
def build_command(council: tuple[str, ...], combined_authority: str | None,
                  radius_km: float | None, centre: str | None, charities: tuple[Path, ...],
                  oscr: Path | None, ccni: Path | None,
                  companies_house: Path | None, grants: Path | None, directory: Path | None,
                  directory_columns: str | None, bands: Path | None, export_path: Path | None,
                  store_path: Path | None, demo: bool, as_json: bool) -> None:
    """Build the asset map of an area from the registers loaded once into the register store
    (`keepitlocal registers load`), or from the register files given.

    Every figure is given twice: by registered office (where head offices are) and by area of
    operation (where organisations say they work), because offices are not where work is.

    Example: keepitlocal assetmap build --council E10000008

    Example: keepitlocal assetmap build --council E08000033
    --charities publicextract.charity.zip --charities publicextract.charity_classification.zip
    --export calderdale.xlsx

    Example: keepitlocal assetmap build --demo
    """
    if demo:
        files = demo_files()
        if not (council or combined_authority or radius_km is not None or centre):
            council = (DEMO_COUNCIL,)
        charities = charities or tuple(files["charities"])
        grants = grants or files["grants"][0]
        directory = directory or files["directory"][0]
    with engine_errors(), ExitStack() as stack:
        choice = choose(council=council, combined_authority=combined_authority,
                        radius_km=radius_km, centre=centre)
        mapping = _mapping(directory_columns)
        tables = None
        if not (charities or companies_house) and not demo:
            tables = _stored(stack, store_path)
        if not (charities or oscr or ccni or companies_house or grants or directory or tables):
            raise InputError.one("no register given and none loaded into the register store",
                                 hint="load them once with `keepitlocal registers load "
                                      "charities FILE...`, or give --charities, --oscr, "
                                      "--ccni, --companies-house, --grants or --directory")
        sources = read_all(charities=charities, oscr_file=oscr, ccni_file=ccni,
                           companies_house_file=companies_house, grants_file=grants,
                           directory=directory, directory_mapping=mapping, store=tables,
                           area=choice.area)
        asset_map = build(sources, choice.area, bands=load_bands(bands))
        if export_path is not None:
            _export(asset_map, export_path)
    summaries = [summarise(asset_map, view) for view in VIEWS]
    if as_json:
        echo_json(_document(asset_map, choice, sources.stored, summaries, export_path))
        return
    _print(asset_map, choice, sources.stored, summaries)
    if export_path is not None:
        click.echo(f"\nwritten: {export_path}")


def _stored(stack: ExitStack, path: Path | None) -> AssetTables | None:
    """The register store's asset tables when registers are loaded into it, else None."""
    from keepitlocal.registers.store import available, open_store

    if not available(path):
        return None
    store = stack.enter_context(open_store(path, read_only=True))
    tables = asset_tables_of(store, read_only=True)
    return tables if tables is not None and tables.loads() else None


def _mapping(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError.one(f"--directory-columns is not JSON ({error.msg})") from None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise InputError.one('--directory-columns must be {"field": "header", ...}')
    return mapping


def _export(asset_map: AssetMap, path: Path) -> None:
    suffix = path.suffix.lower()
    all_tables = tables(asset_map)
    if suffix == ".xlsx":
        path.write_bytes(to_xlsx(all_tables))
    elif suffix == ".csv":
        path.write_bytes(to_csv(all_tables[0]))
    else:
        raise InputError.one(f"cannot export to {path.name}", hint="use a .xlsx or .csv name")


def _document(asset_map: AssetMap, choice: AreaChoice, stored: list[str],
              summaries: list[Summary], export: Path | None) -> dict[str, Any]:
    return {
        "area": asset_map.area.describe(),
        "area_chosen": choice.name,
        "from_store": stored,
        "registers": [{"register": REGISTER_NAMES.get(r.kind, r.kind), "file": r.file,
                       "published": r.published.isoformat() if r.published else None,
                       "rows": r.rows, "kept": r.kept,
                       "problems": [str(p) for p in r.problems],
                       "problems_not_listed": r.problems_dropped} for r in asset_map.reports],
        "organisations_read": asset_map.read_count,
        "placed_at": asset_map.placed_levels,
        "views": [summary_document(s) for s in summaries],
        "district_deprivation": [district_document(d) for d in asset_map.districts],
        "attribution": ATTRIBUTION,
        "export": str(export) if export else None,
    }


def _print(asset_map: AssetMap, choice: AreaChoice, stored: list[str],
           summaries: list[Summary]) -> None:
    click.echo(f"VCSE asset map: {choice.name}")
    for line in stored:
        click.echo(f"Using {line}")
    click.echo("\nRegisters read:")
    for report in asset_map.reports:
        published = report.published.isoformat() if report.published else "date not stated"
        click.echo(f"  {REGISTER_NAMES.get(report.kind, report.kind)}: {report.file}, "
                   f"published {published}; {report.kept:,} of {report.rows:,} rows used")
        for problem in report.problems[:5]:
            click.echo(f"    problem: {problem}")
        more = len(report.problems) - 5 + report.problems_dropped
        if more > 0:
            click.echo(f"    … and {more:,} more problems (--json lists them)")
    levels = ", ".join(f"{k} {v:,}" for k, v in asset_map.placed_levels.items())
    click.echo(f"\n{asset_map.read_count:,} organisations read after merging; placed: {levels}")
    for summary in summaries:
        click.echo(f"\n== {summary.view_label}")
        total = summary.total
        click.echo(f"  {total.count:,} active organisations, income {pounds(total.income)} "
                   f"({total.with_income:,} give an income); {summary.removed_count:,} removed")
        click.echo("  by turnover band (latest income):")
        for name, tally in summary.by_band.items():
            click.echo(f"    {name:<22} {tally.count:>7,}  {pounds(tally.income):>18}")
        click.echo(f"    {'seed band ' + SEED_BAND.describe():<22} {summary.seed_band.count:>7,}"
                   f"  {pounds(summary.seed_band.income):>18}")
        click.echo("  by deprivation decile (IoD2025; 1 = most deprived):")
        for name, tally in summary.by_decile.items():
            click.echo(f"    {name:<22} {tally.count:>7,}  {pounds(tally.income):>18}")
        click.echo("  top activities:")
        for name, tally in list(summary.by_activity.items())[:8]:
            click.echo(f"    {name[:40]:<40} {tally.count:>7,}")
        recent = summary.years[-10:]
        if recent:
            click.echo("  year: registered / removed / on the register at year end")
            for year in recent:
                click.echo(f"    {year.year}: {year.registered:,} / {year.removed:,} / "
                           f"{year.active_at_end:,}")
        click.echo(f"  government income (latest annual returns): contracts "
                   f"{pounds(summary.government_contracts)}, grants "
                   f"{pounds(summary.government_grants)} "
                   f"({summary.with_government_income:,} organisations)")
        if summary.grants_received:
            click.echo(f"  360Giving grants received: {pounds(summary.grants_received)}")
    if asset_map.districts:
        deciles = asset_map.districts[0].deciles
        click.echo(f"\nDistricts: share of neighbourhoods (LSOA 2021) in England's {deciles} "
                   "most deprived deciles (IoD2025; England only)")
        for district in asset_map.districts:
            share = percent(district.share) if district.share is not None else district.note
            click.echo(f"  {district.name:<30} {district.most_deprived:>5,} of "
                       f"{district.lsoas:>5,}  {share}")
    click.echo(f"\n{ATTRIBUTION}")
