"""`keepitlocal enabled` commands: Enabled Contribution of community anchors' tenants."""

from __future__ import annotations

from pathlib import Path

import click

from keepitlocal.cli._common import echo_json, engine_errors, json_option
from keepitlocal.enabled import calculate, read_demo, read_project, write_template
from keepitlocal.enabled.present import (
    reference_to_dict,
    render_reference,
    render_text,
    result_to_dict,
)
from keepitlocal.enabled.reference import load_reference


@click.group(name="enabled")
def group() -> None:
    """Enabled Contribution: jobs and GVA enabled through an anchor's tenants.

    Example: keepitlocal enabled calc --demo
    """


@group.command("calc")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="Use the shipped demo network instead of FILE.")
@json_option
def calc(file: Path | None, demo: bool, as_json: bool) -> None:
    """Enabled employment (FTE) and GVA per tenant, anchor and network.

    FILE is a JSON input file or an XLSX workbook (see `keepitlocal enabled template`).

    Example: keepitlocal enabled calc --demo
    """
    if demo == (file is not None):
        raise click.UsageError("give either FILE or --demo")
    with engine_errors():
        project = read_demo() if demo or file is None else read_project(file)
        result = calculate(project)
    if as_json:
        echo_json(result_to_dict(result))
    else:
        click.echo(render_text(result))


@group.command("template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="Fill it with the demo network as a worked example.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def template(file: Path, demo: bool, force: bool) -> None:
    """Write an XLSX workbook to collect tenants' survey returns.

    Example: keepitlocal enabled template tenants.xlsx
    """
    if file.suffix.lower() != ".xlsx":
        raise click.UsageError(f"{file}: the template is an Excel workbook; name it *.xlsx")
    if file.exists() and not force:
        raise click.ClickException(f"{file} already exists; use --force to overwrite it")
    with engine_errors():
        write_template(file, read_demo() if demo else None)
    click.echo(f"Wrote {file}. Fill in the Tenants sheet, then: keepitlocal enabled calc {file}")


@group.command("codes")
@json_option
def codes(as_json: bool) -> None:
    """List activity codes (use classes, SIC sections) with the reference values behind them.

    Example: keepitlocal enabled codes --json
    """
    reference = load_reference()
    if as_json:
        echo_json(reference_to_dict(reference))
    else:
        click.echo(render_reference(reference))
