"""The framework itself, read from the packaged tables with the seed line of every element.

The characteristics, indicator bank and steps are data, not code, so that a correction to the
reading of the report is an edit to one CSV row (see `reference/framework/README.md`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

UNITS = ("£", "count", "%", "hours", "area", "rating", "text", "multiplier", "quantity")
KINDS = ("example", "key", "other")
KIND_LABELS = {"example": "Example indicator", "key": "Key indicator", "other": "Other measure"}


@dataclass(frozen=True)
class Citation:
    """Where a text comes from: seed file prefix and the line it starts on."""

    seed: str
    line: int

    def __str__(self) -> str:
        return f"seed {self.seed}, line {self.line}"


@dataclass(frozen=True)
class FrameworkPrinciple:
    number: int
    name: str
    meaning: str
    cited: Citation


@dataclass(frozen=True)
class Activity:
    characteristic: int
    number: int
    text: str
    cited: Citation


@dataclass(frozen=True)
class BankIndicator:
    """One indicator of the bank: the example, key and other measures under a characteristic."""

    id: str
    characteristic: int
    kind: str
    text: str
    unit: str
    measure: str
    cited: Citation
    repair: str = ""
    fed_by: str = ""


@dataclass(frozen=True)
class Characteristic:
    number: int
    name: str
    headline: str
    looks_like: str
    example_outcome: str
    example_indicator: str
    cited: Citation


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    text: str
    cited: Citation


@dataclass(frozen=True)
class Framework:
    principles: tuple[FrameworkPrinciple, ...]
    characteristics: tuple[Characteristic, ...]
    activities: tuple[Activity, ...]
    indicators: tuple[BankIndicator, ...]
    steps: tuple[Step, ...]

    def characteristic(self, number: int) -> Characteristic:
        return self.characteristics[number - 1]

    def indicator(self, ident: str) -> BankIndicator | None:
        return self._by_id().get(ident.strip().upper())

    def indicators_of(self, characteristic: int) -> list[BankIndicator]:
        return [i for i in self.indicators if i.characteristic == characteristic]

    def activities_of(self, characteristic: int) -> list[Activity]:
        return [a for a in self.activities if a.characteristic == characteristic]

    def _by_id(self) -> dict[str, BankIndicator]:
        return _index(self.indicators)


@lru_cache(maxsize=1)
def _index(indicators: tuple[BankIndicator, ...]) -> dict[str, BankIndicator]:
    return {i.id.upper(): i for i in indicators}


def _rows(name: str) -> list[dict[str, str]]:
    text = files("keepitlocal.reference").joinpath("framework", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def load_framework() -> Framework:
    """The packaged framework (read once)."""
    principles = tuple(
        FrameworkPrinciple(
            int(r["number"]), r["name"], r["meaning"], Citation(r["seed"], int(r["name_line"]))
        )
        for r in _rows("framework_principles.csv")
    )
    characteristics = tuple(
        Characteristic(
            number=int(r["number"]),
            name=r["name"],
            headline=r["headline"],
            looks_like=r["looks_like"],
            example_outcome=r["example_outcome"],
            example_indicator=r["example_indicator"],
            cited=Citation(r["seed"], int(r["headline_line"])),
        )
        for r in _rows("characteristics.csv")
    )
    activities = tuple(
        Activity(int(r["characteristic"]), int(r["number"]), r["text"], _cited(r))
        for r in _rows("activities.csv")
    )
    indicators = tuple(
        BankIndicator(
            id=r["id"],
            characteristic=int(r["characteristic"]),
            kind=r["kind"],
            text=r["text"],
            unit=r["unit"],
            measure=r["measure"],
            cited=_cited(r),
            repair=r["repair"],
            fed_by=r["fed_by"],
        )
        for r in _rows("indicators.csv")
    )
    steps = tuple(
        Step(int(r["number"]), r["title"], r["text"], _cited(r)) for r in _rows("steps.csv")
    )
    return Framework(principles, characteristics, activities, indicators, steps)


def _cited(row: dict[str, str]) -> Citation:
    return Citation(row["seed"], int(row["line"]))
