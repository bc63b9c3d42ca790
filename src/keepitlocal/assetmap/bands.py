"""Turnover bands: which band an income falls in, with lower bounds included.

The NCVO bands are packaged (reference/assetmap/bands.csv); a council may pass its own table of
the same shape. The seed's £200k-£500k band is counted beside them, not instead of them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from keepitlocal.errors import InputError, Problem

UNKNOWN = "income not given"


@dataclass(frozen=True)
class Band:
    name: str
    lower: Decimal
    upper: Decimal | None  # None: no upper bound

    def contains(self, income: Decimal) -> bool:
        return income >= self.lower and (self.upper is None or income < self.upper)

    def describe(self) -> str:
        if self.upper is None:
            return f"£{self.lower:,.0f} or more"
        return f"£{self.lower:,.0f} to under £{self.upper:,.0f}"


SEED_BAND = Band("£200k-£500k", Decimal(200_000), Decimal(500_000))


def parse_bands(text: str, file: str = "bands.csv") -> tuple[Band, ...]:
    """Bands from CSV text (band, lower, upper): contiguous, rising, the last may be open."""
    problems: list[Problem] = []
    bands: list[Band] = []
    for row, record in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            lower = Decimal(record.get("lower") or "")
            upper_text = (record.get("upper") or "").strip()
            upper = Decimal(upper_text) if upper_text else None
        except InvalidOperation:
            problems.append(Problem("lower and upper must be amounts in pounds", file=file,
                                    row=row, column="lower"))
            continue
        name = (record.get("band") or "").strip()
        if not name:
            problems.append(Problem("band has no name", file=file, row=row, column="band"))
            continue
        if bands and (bands[-1].upper is None or bands[-1].upper != lower):
            problems.append(Problem(f"band {name!r} must start where the one before ends",
                                    file=file, row=row, column="lower"))
        if upper is not None and upper <= lower:
            problems.append(Problem("upper must be above lower", file=file, row=row,
                                    column="upper"))
        bands.append(Band(name, lower, upper))
    if not bands and not problems:
        problems.append(Problem("no bands", file=file, row=1))
    if problems:
        raise InputError(problems)
    return tuple(bands)


def ncvo_bands() -> tuple[Band, ...]:
    text = resources.files("keepitlocal").joinpath("reference/assetmap/bands.csv").read_text(
        "utf-8")
    return parse_bands(text)


def load_bands(path: Path | None) -> tuple[Band, ...]:
    if path is None:
        return ncvo_bands()
    return parse_bands(path.read_text(encoding="utf-8-sig"), path.name)


def band_of(income: Decimal | None, bands: tuple[Band, ...]) -> str:
    """The band's name, "below the first band" for negative income, or UNKNOWN."""
    if income is None:
        return UNKNOWN
    for band in bands:
        if band.contains(income):
            return band.name
    return "below the first band"
