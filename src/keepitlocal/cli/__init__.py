"""The `keepitlocal` command: thin click groups over the engines, one module per group."""

from __future__ import annotations

import click

from keepitlocal.cli import (
    assetmap,
    enabled,
    figures,
    framework,
    geo,
    lm3,
    registers,
    serve,
    spend,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="keepitlocal")
def main() -> None:
    """Measure, show and grow how much public money stays local.

    Example: keepitlocal lm3 calc --demo
    """


main.add_command(lm3.group)
main.add_command(geo.group)
main.add_command(enabled.group)
main.add_command(spend.group)
main.add_command(registers.group)
main.add_command(framework.group)
main.add_command(assetmap.group)
main.add_command(figures.figures)
main.add_command(serve.serve)
main.add_command(serve.manage)
