"""`keepitlocal framework`: the resilience framework's indicator bank and impact reports."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

import click

from keepitlocal.cli._common import echo_json, engine_errors, json_option
from keepitlocal.framework.io import read_plan, write_template
from keepitlocal.framework.model import PERIOD_HINT, Period
from keepitlocal.framework.present import bank_to_dict, render_bank, render_text, report_to_dict
from keepitlocal.framework.progress import report as plan_report
from keepitlocal.framework.reference import load_framework

DEMO_PLAN = "calder_valley_plan.json"


@click.group(name="framework")
def group() -> None:
    """Economic Resilience Framework: the 7 characteristics, indicator bank and impact plans.

    Example: keepitlocal framework indicators
    """


@group.command("indicators")
@click.option(
    "--characteristic",
    type=click.IntRange(1, 7),
    help="Only the indicators of this characteristic (1 to 7).",
)
@json_option
def indicators(characteristic: int | None, as_json: bool) -> None:
    """List the indicator bank: example, key and other measures of each characteristic.

    Example: keepitlocal framework indicators --characteristic 1
    """
    framework = load_framework()
    if as_json:
        echo_json(bank_to_dict(framework, characteristic))
    else:
        click.echo(render_bank(framework, characteristic), nl=False)


@group.command("report")
@click.argument("plan", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="Report the shipped demo plan instead of PLAN.")
@click.option("--period", help="Leave out measurements after this period, e.g. 2024-25.")
@json_option
def report(plan: Path | None, demo: bool, period: str | None, as_json: bool) -> None:
    """Report an impact plan: each indicator against its baseline and target, and the 10 steps.

    PLAN is a JSON plan file or an XLSX workbook (see `keepitlocal framework template` and
    docs/framework.md).

    Example: keepitlocal framework report plan.json --period 2024-25
    """
    if demo == (plan is not None):
        raise click.UsageError("give either PLAN or --demo")
    try:
        as_of = Period.parse(period) if period else None
    except ValueError as error:
        raise click.BadParameter(f"{error}; {PERIOD_HINT}", param_hint="--period") from None
    with engine_errors():
        if plan is None:
            with as_file(files("keepitlocal.framework").joinpath("demo", DEMO_PLAN)) as path:
                loaded = read_plan(path)
        else:
            loaded = read_plan(plan)
        result = plan_report(loaded, as_of)
    if as_json:
        echo_json(report_to_dict(result))
    else:
        click.echo(render_text(result))


@group.command("template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def template(file: Path, force: bool) -> None:
    """Write an empty XLSX workbook for an impact plan and its measurements.

    Example: keepitlocal framework template plan.xlsx
    """
    if file.suffix.lower() != ".xlsx":
        raise click.UsageError(f"{file}: the template is an Excel workbook; name it *.xlsx")
    if file.exists() and not force:
        raise click.ClickException(f"{file} already exists; use --force to overwrite it")
    write_template(file)
    click.echo(f"Wrote {file}. Fill in its sheets, then: keepitlocal framework report {file}")
