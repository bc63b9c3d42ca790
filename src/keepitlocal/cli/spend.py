"""`keepitlocal spend` commands: a thin shell over `keepitlocal.spend`."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from keepitlocal.cli._common import echo_json, engine_errors, json_option
from keepitlocal.errors import InputError
from keepitlocal.parameters import value
from keepitlocal.spend import SpendOptions, analyse, render_text, result_to_dict
from keepitlocal.spend import columns as spend_columns
from keepitlocal.spend import io as spend_io
from keepitlocal.spend.model import DetectedColumns, Progress, UnreadableFiles

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
    """Local spend analysis of council "spending over £500" ledgers.

    Example: keepitlocal spend columns apr.csv
    """


@contextmanager
def _loaded_registers(skip: bool) -> Iterator[Any]:
    """The store of loaded national registers, when there is one and it is wanted."""
    from keepitlocal.registers.store import available, open_store

    if skip or not available():
        yield None
        return
    with open_store(read_only=True) as store:
        yield store if store.loaded() else None


@contextmanager
def _progress_bar(wanted: bool) -> Iterator[Callable[[Progress], None] | None]:
    """A progress bar on the terminal (stderr), for a person watching; nothing otherwise."""
    stream = sys.stderr
    if not wanted or not stream.isatty():
        yield None
        return
    steps = 1000
    with click.progressbar(length=steps, file=stream, label="Analysing",
                           show_percent=True, item_show_func=lambda text: text) as bar:
        def tell(progress: Progress) -> None:
            bar.update(max(0, int(progress.fraction * steps) - bar.pos), progress.describe())

        yield tell


@group.command("analyse")
@click.argument("ledgers", nargs=-1, required=True, type=_FILE)
@click.option("--suppliers", "suppliers", type=_FILE,
              help="The council's supplier (vendor) register, CSV or XLSX. Without it, names "
                   "are matched against the loaded national registers only.")
@click.option("--no-registers", is_flag=True,
              help="Do not match against the registers loaded with `keepitlocal registers load`.")
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
@click.option("--shift", callback=_share, default=str(value("spend", "shift_share")),
              show_default=True,
              help="Share of spend moved to local suppliers in the LM3 estimate.")
@click.option("--strict", is_flag=True, help="Fail on any unusable line or bad date.")
@click.option("--skip-unreadable", is_flag=True,
              help="Analyse the files that can be read and list the others, instead of stopping.")
@click.option("--memory-limit", metavar="SIZE",
              help='Hold the data engine to this much memory (e.g. "2GB"), spilling the rest '
                   "to a temporary folder: a slower run on a smaller machine.")
@click.option("--ingested", type=click.Path(dir_okay=False, path_type=Path),
              help="Keep the parsed ledgers in this DuckDB file, with the suppliers as "
                   "matched and the lines' sums beside it; a later run with the same ledgers "
                   "and mapping reads them from there instead of the files (and, with the same "
                   "registers, decisions and rules on lines, matches and sums nothing again).")
@json_option
def analyse_command(ledgers: tuple[Path, ...], suppliers: Path | None, no_registers: bool,
                    council: str,
                    tiers: Path | None, mapping: Path | None, decisions: Path | None,
                    exclusions: Path | None, multipliers: Path | None,
                    companies_house: Path | None, charities: Path | None, backend: str,
                    target: Decimal | None, shift: Decimal, strict: bool,
                    skip_unreadable: bool, memory_limit: str | None, ingested: Path | None,
                    as_json: bool) -> None:
    """Analyse LEDGER files: spend by tier, VCSE and SME shares, departments, periods.

    Example: keepitlocal spend analyse apr.csv may.csv --suppliers vendors.csv --council E08000033

    Example, with the national registers loaded once (keepitlocal registers load) and no
    vendor list: keepitlocal spend analyse apr.csv --council E08000033

    Example, reading the ledgers once and re-running with other tiers: keepitlocal spend
    analyse *.csv --council E08000033 --ingested ledgers.duckdb --tiers tiers.json
    """
    options = SpendOptions(tiers=tiers, mapping=mapping, decisions=decisions,
                           exclusions=exclusions, multipliers=multipliers,
                           companies_house=companies_house, charities=charities,
                           backend=backend, target=target, shift=shift, strict=strict,
                           skip_unreadable=skip_unreadable, keep_lines=False,
                           ingested=ingested, memory_limit=memory_limit)
    try:
        with engine_errors(), _loaded_registers(no_registers) as national, \
                _progress_bar(not as_json) as progress:
            options.registers = national
            options.progress = progress
            result = analyse(list(ledgers), suppliers, council, options)
    except click.ClickException as error:
        if not isinstance(error.__cause__, UnreadableFiles):
            raise
        _explain_unreadable(error.__cause__)
        raise click.ClickException("nothing analysed: map the files above with --map, or add "
                                   "--skip-unreadable to analyse the others") from None
    if as_json:
        echo_json(result_to_dict(result))
    else:
        click.echo(render_text(result))
        for file in result.unreadable:
            click.echo(f"Skipped {file.file}: " + "; ".join(p.message for p in file.problems),
                       err=True)


def _explain_unreadable(error: UnreadableFiles) -> None:
    """Every file that could not be mapped, with its headers and a `--map` file to start from."""
    click.echo(f"{len(error.files)} file(s) cannot be read as they are"
               + (f" ({error.readable} other file(s) can: add --skip-unreadable to analyse "
                  "those alone)" if error.readable else "") + ":", err=True)
    examples: dict[str, Any] = {}
    for file in error.files:
        click.echo(f"  {file.file}" + (f" (header on row {file.header_row})"
                                       if file.header_row else "") + ":", err=True)
        for problem in file.problems:
            click.echo(f"    {problem.message}", err=True)
        if file.headers:
            click.echo("    headers: " + ", ".join(map(repr, file.headers)), err=True)
        examples.update(file.example_mapping.get("files", {}))
    if examples:
        click.echo("A mapping to check and save as map.json, then pass with --map map.json:",
                   err=True)
        click.echo(json.dumps({"files": examples}, indent=2, ensure_ascii=False), err=True)


@group.command("columns")
@click.argument("ledgers", nargs=-1, required=True, type=_FILE)
@click.option("--map", "mapping", type=_FILE, help="JSON column mapping to check.")
@json_option
def columns_command(ledgers: tuple[Path, ...], mapping: Path | None, as_json: bool) -> None:
    """Show the columns detected in each LEDGER file, why, and what came second.

    Exits 1 when a file lacks an amount, date or supplier column, after listing every file.

    Example: keepitlocal spend columns apr.csv may.xlsx --json
    """
    documents: list[dict[str, Any]] = []
    with engine_errors(), tempfile.TemporaryDirectory() as tmp:
        chosen = None
        if mapping is not None:
            chosen = spend_columns.mapping_from_dict(spend_io.read_json(mapping, "mapping"),
                                                     mapping.name)
        for path in ledgers:
            header_row = chosen.header_rows.get(path.name) if chosen else None
            try:
                loaded = spend_io.peek(path, Path(tmp), header_row)
                found = spend_columns.detect_ledger(loaded.name, loaded.headers,
                                                    loaded.header_row, chosen, loaded.sample)
            except InputError as error:
                documents.append({"file": path.name, "error": [str(p) for p in error.problems]})
                continue
            documents.append(_columns_document(loaded, found))
    if as_json:
        echo_json(documents if len(documents) > 1 else documents[0])
    else:
        for doc in documents:
            _print_columns(doc)
    if any(doc.get("error") or doc.get("missing") for doc in documents):
        raise SystemExit(1)


def _columns_document(loaded: spend_io.LoadedFile, found: DetectedColumns) -> dict[str, Any]:
    document: dict[str, Any] = {
        "file": loaded.name, "format": loaded.format, "encoding": loaded.encoding,
        "header_row": loaded.header_row, "rows": loaded.rows,
        "headers": list(loaded.headers), "columns": found.columns, "how": found.how,
        "choices": {f: {"header": c.header, "score": c.score, "reasons": list(c.reasons),
                        "runner_up": c.runner_up, "runner_up_score": c.runner_up_score,
                        "lost_because": c.lost_because} for f, c in found.choices.items()},
        "notes": list(found.notes), "missing": list(found.missing),
        "mapping": {f: found.columns.get(f) for f in found.columns},
    }
    if found.period:
        document["period"] = found.period
    if found.missing:
        document["example_mapping"] = spend_columns.example_mapping(found)
    return document


def _print_columns(doc: dict[str, Any]) -> None:
    if doc.get("error"):
        click.echo(f"{doc['file']}: cannot be read")
        for text in doc["error"]:
            click.echo(f"  {text}")
        return
    click.echo(f"{doc['file']} ({doc['format']}, {doc['encoding'] or 'binary'}, header on row "
               f"{doc['header_row']}, {doc['rows']:,} rows)")
    for field, header in doc["columns"].items():
        choice = doc["choices"].get(field, {})
        click.echo(f"  {field:<15} <- {header!r} ({doc['how'][field]}"
                   + (f", score {choice['score']}" if choice.get("score") else "") + ")")
        for reason in choice.get("reasons", []):
            click.echo(f"{'':<21}{reason}")
        if choice.get("runner_up"):
            click.echo(f"{'':<21}runner-up {choice['runner_up']!r} (score "
                       f"{choice['runner_up_score']}): lost because {choice['lost_because']}")
    if doc.get("period"):
        click.echo(f"  {'period':<15} <- {doc['period']!r} (given for the whole file)")
    for note in doc["notes"]:
        click.echo(f"  note: {note}")
    unused = [h for h in doc["headers"] if h not in doc["columns"].values()]
    if unused:
        click.echo("  not used: " + ", ".join(map(repr, unused)))
    if doc["missing"]:
        click.echo("  MISSING: " + ", ".join(doc["missing"]) + ". Map them with --map FILE.json, "
                   "for example:")
        click.echo("    " + json.dumps(doc["example_mapping"], ensure_ascii=False))
