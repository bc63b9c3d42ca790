"""Checks on an impact plan that do not depend on how it was read (file or web form).

Each check returns Problems naming the indicator or measurement and what to do, so a plan file
reports every fault at once, as `lm3 calc` does.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

from keepitlocal.errors import Problem
from keepitlocal.framework.model import (
    COLLECTION_METHODS,
    FREQUENCIES,
    QUALITIES,
    Measurement,
    Plan,
    PlanIndicator,
)
from keepitlocal.framework.reference import UNITS, Framework, load_framework
from keepitlocal.framework.units import is_numeric, unit_hint, value_problem


class _Locate(Protocol):
    def __call__(self, message: str, column: str, hint: str | None = None) -> Problem: ...


def _locator(source: str, row: int | str | None) -> _Locate:
    """Problems about one indicator or measurement, all located at the same file and row."""

    def at(message: str, column: str, hint: str | None = None) -> Problem:
        return Problem(message, file=source, row=row, column=column, hint=hint)

    return at


def indicator_problems(
    indicator: PlanIndicator, framework: Framework, source: str = "plan"
) -> list[Problem]:
    at = _locator(indicator.file or source, indicator.row or f"indicator {indicator.key}")
    problems = []
    if not 1 <= indicator.characteristic <= len(framework.characteristics):
        problems.append(
            at(
                f"characteristic {indicator.characteristic} is not one of the seven",
                column="characteristic",
                hint="use a number from 1 to 7",
            )
        )
    choices = (
        ("unit", indicator.unit, UNITS),
        ("collection_method", indicator.collection_method, COLLECTION_METHODS),
        ("frequency", indicator.frequency, FREQUENCIES),
    )
    for column, given, allowed in choices:
        # a unit is always needed; a collection method or frequency only when given
        if given not in allowed and (given or column == "unit"):
            problems.append(
                at(
                    f"unknown {column.replace('_', ' ')} {given!r}",
                    column=column,
                    hint="use one of " + ", ".join(allowed),
                )
            )
    for column, value in (("baseline", indicator.baseline), ("target", indicator.target)):
        if value is None:
            continue
        if not is_numeric(indicator.unit):
            problems.append(
                at(
                    f"a {indicator.unit} indicator has no {column} number",
                    column=column,
                    hint="leave it empty",
                )
            )
        elif message := value_problem(indicator.unit, value):
            problems.append(at(message, column=column, hint="give " + unit_hint(indicator.unit)))
    return problems


def measurement_problems(
    measurement: Measurement, indicator: PlanIndicator | None, source: str = "plan"
) -> list[Problem]:
    at = _locator(measurement.file or source, measurement.row)
    if indicator is None:
        return [
            at(
                f"no indicator has the key {measurement.indicator!r}",
                column="indicator",
                hint="use the key of an indicator in the plan",
            )
        ]
    problems = []
    if is_numeric(indicator.unit):
        if measurement.value is None:
            problems.append(
                at("value is missing", column="value", hint="give " + unit_hint(indicator.unit))
            )
        elif message := value_problem(indicator.unit, measurement.value):
            problems.append(at(message, column="value", hint="give " + unit_hint(indicator.unit)))
    elif not measurement.statement.strip():
        problems.append(
            at(
                "statement is missing",
                column="statement",
                hint="a text indicator is recorded as a written statement",
            )
        )
    if measurement.quality not in QUALITIES:
        problems.append(
            at(
                f"unknown quality {measurement.quality!r}",
                column="quality",
                hint="use recorded, checked or triangulated",
            )
        )
    elif measurement.quality != "recorded":
        if not measurement.checked_by.strip():
            problems.append(
                at(
                    f"a {measurement.quality} value needs the name of its challenger",
                    column="checked_by",
                    hint="give who checked it (step 6: an internal 'challenger')",
                )
            )
        elif (
            measurement.checked_by.strip().casefold() == measurement.recorded_by.strip().casefold()
        ):
            problems.append(
                at(
                    "the challenger is the person who recorded the value",
                    column="checked_by",
                    hint="someone other than the recorder checks it",
                )
            )
    if measurement.quality == "triangulated" and not measurement.triangulation.strip():
        problems.append(
            at(
                "a triangulated value needs the other source it was compared with",
                column="triangulation",
                hint="say which other source confirms it",
            )
        )
    if measurement.revision < 1:
        problems.append(
            at("revision should be 1 or more", column="revision", hint="1 is the first value")
        )
    elif measurement.revision > 1 and not measurement.reason.strip():
        problems.append(
            at(
                f"revision {measurement.revision} corrects an earlier value but gives no reason",
                column="reason",
                hint="say why the value was corrected",
            )
        )
    return problems


def plan_problems(plan: Plan, framework: Framework | None = None) -> list[Problem]:
    """Every reason the plan cannot be reported as it is."""
    framework = framework or load_framework()
    source = plan.source
    problems = []
    keys = Counter(i.key for i in plan.indicators)
    for key, count in keys.items():
        if count > 1:
            problems.append(
                Problem(
                    f"{count} indicators have the key {key!r}",
                    file=source,
                    column="key",
                    hint="give each indicator its own key",
                )
            )
    for number in plan.characteristics:
        if not 1 <= number <= len(framework.characteristics):
            problems.append(
                Problem(
                    f"characteristic {number} is not one of the seven",
                    file=source,
                    column="characteristics",
                    hint="use numbers from 1 to 7",
                )
            )
    for indicator in plan.indicators:
        problems += indicator_problems(indicator, framework, source)
        if indicator.characteristic not in plan.characteristics:
            problems.append(
                Problem(
                    f"indicator {indicator.key!r} is under characteristic "
                    f"{indicator.characteristic}, which the plan does not choose",
                    file=indicator.file or source,
                    row=indicator.row,
                    column="characteristic",
                    hint=f"add {indicator.characteristic} to the plan's characteristics",
                )
            )
    seen: Counter[tuple[str, object, int]] = Counter()
    for measurement in plan.measurements:
        problems += measurement_problems(measurement, plan.indicator(measurement.indicator), source)
        seen[(measurement.indicator, measurement.period, measurement.revision)] += 1
    for (key, period, revision), count in seen.items():
        if count > 1:
            problems.append(
                Problem(
                    f"{count} values for {key!r} in {period} are all revision {revision}",
                    file=source,
                    column="revision",
                    hint='mark a correction with the next "revision" and its "reason"',
                )
            )
    return problems
