"""`keepitlocal lm3`: calculate an LM3 from a project file, or write a workbook template."""

from __future__ import annotations

from pathlib import Path

import click

from keepitlocal import lm3
from keepitlocal.cli._common import echo_json, engine_errors, json_option


@click.group(name="lm3")
def group() -> None:
    """Local Multiplier 3 of an organisation's turnover or a contract.

    Example: keepitlocal lm3 calc --demo
    """


@group.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--demo", is_flag=True, help="Use the bundled demo project instead of FILE.")
@json_option
def calc(file: Path | None, demo: bool, as_json: bool) -> None:
    """Calculate the LM3 of FILE: an LM3 project file (.json) or workbook (.xlsx).

    Example: keepitlocal lm3 calc project.json --json
    """
    if demo:
        file = lm3.DEMO_PROJECT
    if file is None:
        raise click.UsageError("give a project FILE, or --demo")
    with engine_errors():
        result = lm3.run(lm3.read_project(file))
    if as_json:
        echo_json(lm3.result_to_dict(result))
    else:
        click.echo(lm3.render_text(result))


@group.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def template(file: Path, force: bool) -> None:
    """Write an empty LM3 workbook to FILE (.xlsx) to fill in.

    Example: keepitlocal lm3 template my-project.xlsx
    """
    if file.exists() and not force:
        raise click.ClickException(f"{file} already exists; use --force to overwrite it")
    if file.suffix.lower() != ".xlsx":
        raise click.ClickException(f"{file} should end in .xlsx")
    lm3.write_workbook(file)
    click.echo(f"Wrote {file}: fill in its sheets, then run `keepitlocal lm3 calc {file}`.")
