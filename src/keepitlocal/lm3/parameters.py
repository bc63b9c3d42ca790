"""The one registry of LM3 method parameters, read from `reference/lm3/parameters.csv`.

Each parameter is declared once there, with its source, licence and date. A project overrides any
of them by name in its `proxies` object; the report lists every value used and where it came
from, so a reader can see which figures are published ones and which are the user's.
"""

from __future__ import annotations

import csv
import importlib.resources
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Parameter:
    name: str
    default: Decimal
    unit: str
    help: str
    source: str
    licence: str
    published: str


def _load() -> dict[str, Parameter]:
    table = importlib.resources.files("keepitlocal.reference") / "lm3" / "parameters.csv"
    rows = csv.DictReader(table.read_text(encoding="utf-8").splitlines())
    return {
        row["name"]: Parameter(
            name=row["name"],
            default=Decimal(row["default"]),
            unit=row["unit"],
            help=row["help"],
            source=row["source"],
            licence=row["licence"],
            published=row["published"],
        )
        for row in rows
    }


PARAMETERS: dict[str, Parameter] = _load()
