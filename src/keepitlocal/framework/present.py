"""One presentation of an impact report, shared by `--json`, the readable text and the web pages.

Values are shown to the precision their unit can bear and progress to the nearest 5%, with the
exact figures kept in the JSON: a survey score or a count of visitors does not know its third
decimal place, and the report should not pretend it does.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from keepitlocal.framework.model import QUALITY_LABELS, Period, PlanIndicator
from keepitlocal.framework.progress import (
    STATUS_LABELS,
    IndicatorProgress,
    PlanReport,
    Point,
    QualitySummary,
)
from keepitlocal.framework.reference import KIND_LABELS, BankIndicator, Framework

CONTRIBUTION = (
    "These results show the organisation's contribution to change in the area, made alongside "
    "others; they do not claim that it caused the change alone. The Keep it Local framework asks "
    "organisations to tell a 'contribution' not an 'attribution' story (Powerful Communities, "
    "Strong Economies, Locality, 2017)."
)
_PLACES = {"£": 0, "%": 1, "rating": 1, "multiplier": 2}


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_value(unit: str, value: Decimal | None) -> str:
    """A value as the report shows it: £12,500; 42.5%; 6.8 out of 10; 2.43; 1,250 m²."""
    if value is None:
        return "—"
    places = _PLACES.get(unit, 0 if value == value.to_integral_value() else 1)
    text = f"{_round(abs(value), places):,}"
    sign = "-" if value < 0 else ""
    if unit == "£":
        return f"{sign}£{text}"
    if unit == "%":
        return f"{sign}{text}%"
    if unit == "rating":
        return f"{sign}{text} out of 10"
    if unit == "area":
        return f"{sign}{text} m²"
    if unit == "hours":
        return f"{sign}{text} hours"
    return sign + text


def format_change(unit: str, change: Decimal | None) -> str:
    if change is None:
        return "—"
    if unit == "%":
        return ("+" if change > 0 else "") + f"{_round(change, 1)} points"
    return ("+" if change > 0 else "") + format_value(unit, change)


def format_progress(progress: Decimal | None) -> str:
    """Share of the way from baseline to target, to the nearest 5%: "about 60%"."""
    if progress is None:
        return "—"
    fives = _round(progress * 20, 0) * 5
    return f"about {fives}%"


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _period(period: Period | None) -> str | None:
    return None if period is None else period.label


def _point(indicator: PlanIndicator, point: Point) -> dict[str, Any]:
    return {
        "period": point.period.label,
        "value": _number(point.value),
        "shown": format_value(indicator.unit, point.value)
        if point.value is not None
        else point.statement,
        "statement": point.statement,
        "quality": point.quality,
        "source": point.source,
        "evidence": list(point.evidence),
        "recorded_by": point.recorded_by,
        "checked_by": point.checked_by,
        "corrections": point.corrections,
    }


def progress_to_dict(item: IndicatorProgress) -> dict[str, Any]:
    indicator = item.indicator
    return {
        "key": indicator.key,
        "label": indicator.label,
        "bank": indicator.bank_id,
        "characteristic": indicator.characteristic,
        "unit": indicator.unit,
        "measure": indicator.measure,
        "baseline": _number(indicator.baseline),
        "baseline_period": _period(indicator.baseline_period),
        "target": _number(indicator.target),
        "target_period": _period(indicator.target_period),
        "collection_method": indicator.collection_method,
        "frequency": indicator.frequency,
        "fed_by": indicator.fed_by or None,
        "latest": None if item.latest is None else _point(indicator, item.latest),
        "change": _number(item.change),
        "progress": _number(item.progress),
        "progress_shown": format_progress(item.progress),
        "status": item.status,
        "series": [_point(indicator, p) for p in item.series],
    }


def _quality(summary: QualitySummary) -> dict[str, Any]:
    return {
        "values": summary.values,
        **summary.by_quality,
        "with_evidence": summary.with_evidence,
        "corrected": summary.corrected,
    }


def report_to_dict(result: PlanReport) -> dict[str, Any]:
    plan = result.plan
    return {
        "organisation": plan.organisation,
        "name": plan.name,
        "period": _period(result.period),
        "periods": [p.label for p in result.periods],
        "theory_of_change": {
            "change_sought": plan.change_sought,
            "activities": list(plan.activities),
            "area": {
                "name": plan.area.describe(),
                "lad": list(plan.area.lad),
                "radius_km": _number(plan.area.radius_km),
                "centre": plan.area.centre,
            },
            "characteristics": list(plan.characteristics),
        },
        "indicators": [progress_to_dict(i) for i in result.indicators],
        "characteristics": [
            {
                "number": c.number,
                "name": c.name,
                "indicators": [i.indicator.key for i in c.indicators],
                "statuses": c.statuses,
                "quality": _quality(c.quality),
            }
            for c in result.characteristics
        ],
        "quality": _quality(result.quality),
        "steps": [
            {"number": s.step.number, "title": s.step.title, "done": s.done, "detail": s.detail}
            for s in result.checklist.steps
        ],
        "step_position": result.checklist.position,
        "contribution": CONTRIBUTION,
    }


def render_text(result: PlanReport) -> str:
    plan = result.plan
    lines = [f"{plan.name or 'Impact plan'}: {plan.organisation}"]
    if result.period:
        lines.append(f"As of {result.period.label}")
    lines += [
        "",
        f"Change sought: {plan.change_sought or '—'}",
        f"Area: {plan.area.describe() or '—'}",
    ]
    if plan.activities:
        lines.append("Activities: " + "; ".join(plan.activities))
    for summary in result.characteristics:
        lines += ["", f"Characteristic {summary.number}: {summary.name}"]
        for item in summary.indicators:
            unit = item.indicator.unit
            latest = item.latest
            shown = (
                "—"
                if latest is None
                else (
                    latest.statement if latest.value is None else format_value(unit, latest.value)
                )
            )
            lines.append(f"  {item.indicator.label} [{item.indicator.key}]")
            lines.append(
                f"    latest {shown}"
                + (
                    f" ({latest.period.label}, {QUALITY_LABELS[latest.quality].lower()})"
                    if latest
                    else ""
                )
                + f"; baseline {format_value(unit, item.indicator.baseline)}"
                + f"; target {format_value(unit, item.indicator.target)}"
            )
            lines.append(
                f"    {STATUS_LABELS[item.status]}"
                + (
                    f", {format_progress(item.progress)} of the way"
                    if item.progress is not None
                    else ""
                )
                + (
                    f"; change {format_change(unit, item.change)}"
                    if item.change is not None
                    else ""
                )
            )
    quality = result.quality
    lines += [
        "",
        f"Evidence quality: {quality.values} values; "
        + ", ".join(f"{n} {QUALITY_LABELS[q].lower()}" for q, n in quality.by_quality.items())
        + f"; {quality.with_evidence} with evidence; {quality.corrected} corrected",
        "",
        "10 steps:",
    ]
    for state in result.checklist.steps:
        mark = "x" if state.done else " "
        lines.append(f"  [{mark}] {state.step.number}. {state.step.title}: {state.detail}")
    lines += ["", CONTRIBUTION]
    return "\n".join(lines)


def bank_to_dict(framework: Framework, characteristic: int | None = None) -> dict[str, Any]:
    numbers = [characteristic] if characteristic else [c.number for c in framework.characteristics]
    return {
        "characteristics": [
            {
                "number": c.number,
                "name": c.name,
                "headline": c.headline,
                "example_outcome": c.example_outcome,
                "cited": str(c.cited),
                "indicators": [_bank(i) for i in framework.indicators_of(c.number)],
            }
            for c in (framework.characteristic(n) for n in numbers)
        ]
    }


def _bank(indicator: BankIndicator) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "kind": indicator.kind,
        "text": indicator.text,
        "unit": indicator.unit,
        "measure": indicator.measure,
        "fed_by": indicator.fed_by or None,
        "cited": str(indicator.cited),
        "repair": indicator.repair or None,
    }


def render_bank(framework: Framework, characteristic: int | None = None) -> str:
    lines: list[str] = []
    for entry in bank_to_dict(framework, characteristic)["characteristics"]:
        lines += [f"Characteristic {entry['number']}: {entry['name']}", f"  {entry['headline']}"]
        for kind in ("example", "key", "other"):
            rows = [i for i in entry["indicators"] if i["kind"] == kind]
            if rows:
                lines.append(
                    f"  {KIND_LABELS[kind]}s:" if kind != "example" else f"  {KIND_LABELS[kind]}:"
                )
            for row in rows:
                lines.append(f"    {row['id']:<7} {row['text']} ({row['measure']})")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
