"""Every figure the impact report shows: progress per indicator, series, summaries, the 10 steps.

One place computes them; the CLI, the web pages and the PDF only format what these return. A value
is compared with the plan's baseline and target and nothing else: the framework asks organisations
to tell a contribution story, not to claim they caused a change (001 line 1693).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from keepitlocal.framework.model import QUALITIES, Measurement, Period, Plan, PlanIndicator
from keepitlocal.framework.reference import Framework, Step, load_framework
from keepitlocal.framework.units import is_numeric

STATUS_LABELS = {
    "target met": "Target met",
    "on the way": "Moving towards the target",
    "no change": "No change from the baseline",
    "moving away": "Moving away from the target",
    "no target": "No target set",
    "no baseline": "No baseline set",
    "no measurements": "Not measured yet",
    "qualitative": "Written statement",
}


@dataclass(frozen=True)
class Point:
    """The current value of an indicator in one period, with how far it has been checked."""

    period: Period
    value: Decimal | None
    statement: str
    quality: str
    source: str
    evidence: tuple[str, ...]
    recorded_by: str
    checked_by: str
    corrections: int  # earlier revisions this value replaced
    history: tuple[Measurement, ...]  # every revision, oldest first


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: PlanIndicator
    series: tuple[Point, ...]
    latest: Point | None
    change: Decimal | None  # latest value − baseline
    progress: Decimal | None  # (latest − baseline) ÷ (target − baseline): 1 means the target is met
    status: str


@dataclass(frozen=True)
class QualitySummary:
    """How far the current values have been checked (step 6), and how many carry evidence."""

    values: int
    by_quality: dict[str, int]
    with_evidence: int
    corrected: int


@dataclass(frozen=True)
class CharacteristicSummary:
    number: int
    name: str
    indicators: tuple[IndicatorProgress, ...]
    statuses: dict[str, int]
    quality: QualitySummary


@dataclass(frozen=True)
class StepState:
    step: Step
    done: bool
    detail: str


@dataclass(frozen=True)
class Checklist:
    steps: tuple[StepState, ...]

    @property
    def position(self) -> int | None:
        """The first step not done yet, or None when all ten are."""
        return next((s.step.number for s in self.steps if not s.done), None)

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done)


@dataclass(frozen=True)
class PlanReport:
    plan: Plan
    period: Period | None  # measurements after this period are left out; None means all
    periods: tuple[Period, ...]
    indicators: tuple[IndicatorProgress, ...]
    characteristics: tuple[CharacteristicSummary, ...]
    quality: QualitySummary
    checklist: Checklist


def current_points(measurements: Iterable[Measurement]) -> dict[tuple[str, Period], Point]:
    """The highest revision for each indicator and period, keeping the ones it replaced."""
    revisions: dict[tuple[str, Period], list[Measurement]] = defaultdict(list)
    for measurement in measurements:
        revisions[(measurement.indicator, measurement.period)].append(measurement)
    points = {}
    for key, history in revisions.items():
        history.sort(key=lambda m: m.revision)
        current = history[-1]
        points[key] = Point(
            period=current.period,
            value=current.value,
            statement=current.statement,
            quality=current.quality,
            source=current.source,
            evidence=current.evidence,
            recorded_by=current.recorded_by,
            checked_by=current.checked_by,
            corrections=len(history) - 1,
            history=tuple(history),
        )
    return points


def indicator_progress(indicator: PlanIndicator, series: Iterable[Point]) -> IndicatorProgress:
    """Where an indicator stands: its latest value against its baseline and target."""
    ordered = tuple(sorted(series, key=lambda p: p.period))
    latest = ordered[-1] if ordered else None
    change = progress = None
    if not is_numeric(indicator.unit):
        status = "qualitative" if latest else "no measurements"
    elif latest is None or latest.value is None:
        status = "no measurements"
    elif indicator.baseline is None:
        status = "no baseline"
    else:
        change = latest.value - indicator.baseline
        if indicator.target is None:
            status = "no target"
        elif indicator.target == indicator.baseline:  # a target to hold a level
            status = "target met" if latest.value == indicator.target else "moving away"
        else:
            progress = change / (indicator.target - indicator.baseline)
            status = (
                "target met"
                if progress >= 1
                else "on the way"
                if progress > 0
                else "no change"
                if progress == 0
                else "moving away"
            )
    return IndicatorProgress(indicator, ordered, latest, change, progress, status)


def quality_summary(points: Iterable[Point]) -> QualitySummary:
    points = list(points)
    by_quality = {quality: 0 for quality in QUALITIES}
    for point in points:
        by_quality[point.quality] = by_quality.get(point.quality, 0) + 1
    return QualitySummary(
        values=len(points),
        by_quality=by_quality,
        with_evidence=sum(1 for p in points if p.evidence),
        corrected=sum(1 for p in points if p.corrections),
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def checklist(plan: Plan, framework: Framework | None = None) -> Checklist:
    """Which of the 10 steps (001 lines 1705-1717) the plan shows as done, and why not the rest."""
    framework = framework or load_framework()
    points = current_points(plan.measurements)
    indicators = plan.indicators
    measured = {key for key, _ in points}
    unmeasured = [i.label for i in indicators if i.key not in measured]
    unchecked = [p for p in points.values() if p.quality == "recorded"]
    without_method = [i.label for i in indicators if not (i.collection_method and i.frequency)]
    chosen = set(plan.characteristics)
    uncovered = sorted(chosen - {i.characteristic for i in indicators})
    step1_missing = [
        what
        for what, present in (
            ("the change sought", plan.change_sought.strip()),
            ("activities", plan.activities),
            ("the area", plan.area.describe()),
            ("characteristics", plan.characteristics),
        )
        if not present
    ]
    states: list[tuple[bool, str]] = [
        (not step1_missing, "add " + ", ".join(step1_missing) if step1_missing else "set out"),
        (
            bool(plan.existing_information.strip() or any(i.fed_by for i in indicators)),
            "noted" if plan.existing_information.strip() else "say what is already collected",
        ),
        (
            bool(indicators) and not uncovered,
            _count(len(indicators), "indicator")
            + (
                f"; none yet for characteristic {', '.join(map(str, uncovered))}"
                if uncovered
                else ""
            ),
        ),
        (
            bool(indicators) and not without_method,
            f"no method or frequency for {_count(len(without_method), 'indicator')}"
            if without_method
            else "every indicator has a method and frequency",
        ),
        (
            bool(indicators) and not unmeasured,
            f"{len(indicators) - len(unmeasured)} of {_count(len(indicators), 'indicator')} "
            + ("has a value" if len(indicators) == 1 else "have a value"),
        ),
        (
            bool(points) and not unchecked,
            f"{len(unchecked)} of {len(points)} values not yet checked by a challenger"
            if unchecked
            else "every value checked",
        ),
    ]
    for number in (7, 8, 9, 10):
        note = plan.step_notes.get(number, "").strip()
        states.append((bool(note), note or "not recorded yet"))
    return Checklist(
        tuple(
            StepState(step, done, detail)
            for step, (done, detail) in zip(framework.steps, states, strict=True)
        )
    )


def report(
    plan: Plan, period: Period | None = None, framework: Framework | None = None
) -> PlanReport:
    """The whole report of a plan, as of `period` (its measurements up to and including it)."""
    framework = framework or load_framework()
    measurements = tuple(m for m in plan.measurements if period is None or m.period <= period)
    as_of = replace(plan, measurements=measurements)
    points = current_points(measurements)
    by_indicator: dict[str, list[Point]] = defaultdict(list)
    for (key, _), point in points.items():
        by_indicator[key].append(point)
    progress = tuple(indicator_progress(i, by_indicator.get(i.key, ())) for i in plan.indicators)
    numbers = sorted(set(plan.characteristics) | {i.characteristic for i in plan.indicators})
    summaries = []
    for number in numbers:
        own = tuple(p for p in progress if p.indicator.characteristic == number)
        statuses: dict[str, int] = defaultdict(int)
        for item in own:
            statuses[item.status] += 1
        summaries.append(
            CharacteristicSummary(
                number=number,
                name=framework.characteristic(number).name,
                indicators=own,
                statuses=dict(statuses),
                quality=quality_summary(p for item in own for p in item.series),
            )
        )
    return PlanReport(
        plan=plan,
        period=period,
        periods=tuple(sorted({m.period for m in plan.measurements})),
        indicators=progress,
        characteristics=tuple(summaries),
        quality=quality_summary(points.values()),
        checklist=checklist(as_of, framework),
    )
