"""The one registry of method parameters, for every engine: `reference/<engine>/parameters.csv`.

Each parameter is declared once, with its value, unit, what it is for, its source, licence and
date; engines, the command line and the web read it from here and never write the value again
(a test searches the code for copies). A project may override a parameter by name; its report
lists every value used and where it came from.
"""

from __future__ import annotations

import csv
import importlib.resources
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

ENGINES = ("lm3", "spend", "enabled", "assetmap")
COLUMNS = ("name", "default", "unit", "help", "source", "licence", "published")


@dataclass(frozen=True)
class Parameter:
    name: str
    default: Decimal
    unit: str
    help: str
    source: str
    licence: str
    published: str
    engine: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # an engine's own columns


@cache
def parameters(engine: str) -> dict[str, Parameter]:
    """Every parameter of `engine`, by name, read once."""
    table = importlib.resources.files("keepitlocal.reference") / engine / "parameters.csv"
    rows = csv.DictReader(table.read_text(encoding="utf-8").splitlines())
    return {
        row["name"]: Parameter(
            **{c: row[c] for c in COLUMNS if c != "default"},
            default=Decimal(row["default"]),
            engine=engine,
            extra={k: v for k, v in row.items() if k not in COLUMNS},
        )
        for row in rows
    }


def value(engine: str, name: str) -> Decimal:
    """The published (or chosen) value of one parameter."""
    return parameters(engine)[name].default


def everything() -> list[Parameter]:
    return [p for engine in ENGINES for p in parameters(engine).values()]
