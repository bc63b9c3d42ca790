"""An impact plan (the economic theory of change) and the measurements recorded against it.

Plain data: the web app and the plan file both become these, and `progress` reads only these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

QUALITIES = ("recorded", "checked", "triangulated")
QUALITY_LABELS = {
    "recorded": "Recorded",
    "checked": "Checked by a challenger",
    "triangulated": "Triangulated",
}
FREQUENCIES = ("monthly", "quarterly", "annual", "one-off")
# step 4 of the 10 steps (001 line 1710) names these ways; "measured result" is a value fed from
# an LM3, local spend or Enabled Contribution result, "records" the organisation's own data
COLLECTION_METHODS = (
    "survey",
    "financial information",
    "existing survey information",
    "focus group",
    "case study",
    "photo or video",
    "records",
    "measured result",
    "other",
)

_YEAR = re.compile(r"^(\d{4})$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^(\d{4})\s*[- ]?\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
PERIOD_HINT = (
    'write a year ("2024"), a financial year ("2024-25"), a quarter ("2024 Q3") '
    'or a month ("2024-07")'
)


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period, ordered by when it starts; `label` is as the organisation wrote it."""

    start: date
    months: int  # 12, 3 or 1, so that "2024" and "2024 Q1" are different periods
    label: str = field(compare=False)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period label; raises ValueError naming it when it is not one we know."""
        label = " ".join(str(text).split())
        if match := _YEAR.match(label):
            return cls(date(int(match[1]), 1, 1), 12, label)
        if match := _FINANCIAL_YEAR.match(label):
            first = int(match[1])
            second = int(match[2]) if len(match[2]) == 4 else (first // 100) * 100 + int(match[2])
            if second == first + 1:  # so "2011-12" is a financial year, not December 2011
                return cls(date(first, 4, 1), 12, label)
            if not ((month := _MONTH.match(label)) and 1 <= int(month[2]) <= 12):
                raise ValueError(f"{text!r} is not a financial year (the years must follow on)")
            return cls(date(first, int(month[2]), 1), 1, label)
        if match := _QUARTER.match(label):
            return cls(date(int(match[1]), 3 * int(match[2]) - 2, 1), 3, label)
        raise ValueError(f"{text!r} is not a period we can read")

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Area:
    """The area in which the change will take place (step 1): LAD codes or a radius, and a name."""

    lad: tuple[str, ...] = ()
    radius_km: Decimal | None = None
    centre: str | None = None
    name: str = ""

    def describe(self) -> str:
        if self.name:
            return self.name
        if self.lad:
            return ", ".join(self.lad)
        if self.radius_km is not None:
            return f"{self.radius_km} km around {self.centre}"
        return ""


@dataclass(frozen=True)
class PlanIndicator:
    """An indicator the organisation chose: from the bank (`bank_id`) or its own."""

    key: str
    label: str
    characteristic: int
    unit: str
    measure: str = ""
    bank_id: str | None = None
    baseline: Decimal | None = None
    baseline_period: Period | None = None
    target: Decimal | None = None
    target_period: Period | None = None
    collection_method: str = ""
    frequency: str = ""
    fed_by: str = ""  # a measured result feeding it, e.g. "lm3.lm3" (see docs/framework.md)
    row: int | str | None = None  # where it was read, for error messages
    file: str = ""  # the file (and sheet) it was read from, when not the plan's own


@dataclass(frozen=True)
class Measurement:
    """One value for one indicator and period; a correction is a higher `revision` of it.

    A value is never overwritten: the plan keeps every revision, and the highest is current.
    """

    indicator: str
    period: Period
    value: Decimal | None = None
    statement: str = ""  # the text of a qualitative ("text") indicator, or a note on a number
    source: str = ""
    evidence: tuple[str, ...] = ()
    recorded_by: str = ""
    quality: str = "recorded"
    checked_by: str = ""
    triangulation: str = ""  # the other source(s) the value was compared with
    revision: int = 1
    reason: str = ""  # why a revision corrects the one before
    row: int | str | None = None
    file: str = ""


@dataclass(frozen=True)
class Plan:
    """An organisation's economic theory of change (step 1) with its measurements."""

    organisation: str
    change_sought: str
    activities: tuple[str, ...] = ()
    area: Area = field(default_factory=Area)
    characteristics: tuple[int, ...] = ()
    indicators: tuple[PlanIndicator, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    existing_information: str = ""  # step 2: what is already collected
    step_notes: dict[int, str] = field(default_factory=dict)  # steps 7-10, in the plan's words
    name: str = ""
    source: str = "plan"

    def indicator(self, key: str) -> PlanIndicator | None:
        return next((i for i in self.indicators if i.key == key), None)
