"""What the report shows, for the web page, the PDF and the XLSX: built from the engine's report.

Numbers are formatted by keepitlocal.framework.present (one rounding rule for every output); the
XLSX keeps the exact values beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from keepitlocal.framework.model import QUALITY_LABELS
from keepitlocal.framework.present import (
    CONTRIBUTION,
    format_change,
    format_progress,
    format_value,
)
from keepitlocal.framework.progress import STATUS_LABELS, IndicatorProgress
from keepitlocal.framework.reference import load_framework
from keepitlocal.framework.units import UNIT_LABELS, is_numeric
from keepitlocal.web.core.exports import workbook_bytes
from keepitlocal.web.core.pdf import render_pdf
from keepitlocal.web.framework.models import Indicator
from keepitlocal.web.framework.selectors import PlanView

STATUS_TAGS = {
    "target met": "govuk-tag--green",
    "on the way": "govuk-tag--blue",
    "no change": "govuk-tag--grey",
    "moving away": "govuk-tag--orange",
}
QUALITY_TAGS = {
    "recorded": "govuk-tag--grey",
    "checked": "govuk-tag--blue",
    "triangulated": "govuk-tag--green",
}


@dataclass
class Row:
    """One indicator as the report and plan pages show it."""

    indicator: Indicator
    progress: IndicatorProgress
    fed_url: str

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def baseline(self) -> str:
        return format_value(self.unit, self.indicator.baseline) if is_numeric(self.unit) else "—"

    @property
    def target(self) -> str:
        return format_value(self.unit, self.indicator.target) if is_numeric(self.unit) else "—"

    @property
    def latest(self) -> str:
        latest = self.progress.latest
        if latest is None:
            return "—"
        return latest.statement if latest.value is None else format_value(self.unit, latest.value)

    @property
    def latest_period(self) -> str:
        return self.progress.latest.period.label if self.progress.latest else ""

    @property
    def change(self) -> str:
        return format_change(self.unit, self.progress.change)

    @property
    def progress_shown(self) -> str:
        return format_progress(self.progress.progress)

    @property
    def status(self) -> str:
        return STATUS_LABELS[self.progress.status]

    @property
    def status_tag(self) -> str:
        return STATUS_TAGS.get(self.progress.status, "govuk-tag--grey")

    @property
    def quality(self) -> str:
        latest = self.progress.latest
        return QUALITY_LABELS[latest.quality] if latest else ""

    @property
    def quality_tag(self) -> str:
        latest = self.progress.latest
        return QUALITY_TAGS[latest.quality] if latest else ""

    @property
    def evidence(self) -> int:
        latest = self.progress.latest
        return len(latest.evidence) if latest else 0

    @property
    def unit_label(self) -> str:
        return self.indicator.measure or UNIT_LABELS[self.unit]

    @property
    def series(self) -> list[dict[str, str]]:
        return [
            {
                "period": p.period.label,
                "value": p.statement if p.value is None else format_value(self.unit, p.value),
                "quality": QUALITY_LABELS[p.quality],
                "corrections": str(p.corrections),
            }
            for p in self.progress.series
        ]

    def chart(self) -> dict[str, Any] | None:
        """A Plotly figure of the values over time with the baseline and target as lines."""
        points = [p for p in self.progress.series if p.value is not None]
        if not is_numeric(self.unit) or not points:
            return None
        periods = [p.period.label for p in points]
        data: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "Measured",
                "x": periods,
                "y": [float(p.value) for p in points if p.value is not None],
                "line": {"color": "#1d70b8", "width": 3},
                "marker": {"size": 9},
                "hovertemplate": "%{x}: %{y}<extra></extra>",
            }
        ]
        for name, value, dash, colour in (
            ("Baseline", self.indicator.baseline, "dot", "#505a5f"),
            ("Target", self.indicator.target, "dash", "#00703c"),
        ):
            if value is not None:
                data.append(
                    {
                        "type": "scatter",
                        "mode": "lines",
                        "name": name,
                        "x": periods,
                        "y": [float(value)] * len(periods),
                        "line": {"color": colour, "dash": dash, "width": 2},
                        "hoverinfo": "skip",
                    }
                )
        return {
            "data": data,
            "layout": {
                "height": 240,
                "margin": {"l": 80, "r": 10, "t": 10, "b": 40},
                "font": {"family": "Arial, sans-serif", "size": 14, "color": "#0b0c0c"},
                "xaxis": {"type": "category", "title": {"text": "Period"}},
                "yaxis": {"title": {"text": self.unit_label}, "rangemode": "tozero"},
                "legend": {"orientation": "h", "y": -0.35},
                "showlegend": True,
            },
        }

    def svg(self, width: int = 110, height: int = 40) -> dict[str, Any] | None:
        """A small trend line for the PDF (no JavaScript there): points scaled into the box."""
        points = [p for p in self.progress.series if p.value is not None]
        if not is_numeric(self.unit) or len(points) < 1:
            return None
        values = [p.value for p in points if p.value is not None]
        marks = [v for v in (self.indicator.baseline, self.indicator.target) if v is not None]
        low, high = min(values + marks), max(values + marks)
        span = (high - low) or Decimal(1)

        def y(value: Decimal) -> float:
            return round(float(height - 6 - (value - low) / span * (height - 12)), 1)

        step = (width - 12) / max(len(values) - 1, 1)
        xy = [(round(6 + i * step, 1), y(v)) for i, v in enumerate(values)]
        return {
            "width": width,
            "height": height,
            "line": " ".join(f"{a},{b}" for a, b in xy),
            "points": xy,
            "baseline": y(self.indicator.baseline) if self.indicator.baseline is not None else None,
            "target": y(self.indicator.target) if self.indicator.target is not None else None,
        }


def rows(view: PlanView) -> list[Row]:
    out = []
    for indicator in view.indicators:
        progress = view.progress(indicator)
        fed_url = ""
        for measurement in view.measurements.get(indicator.pk, []):
            if measurement.pk in view.fed:
                fed_url = view.fed[measurement.pk].url
        out.append(Row(indicator, progress, fed_url))
    return out


def report_context(view: PlanView) -> dict[str, Any]:
    framework = load_framework()
    by_number: dict[int, list[Row]] = {}
    for row in rows(view):
        by_number.setdefault(row.indicator.characteristic, []).append(row)
    characteristics: list[dict[str, Any]] = [
        {
            "summary": summary,
            "characteristic": framework.characteristic(summary.number),
            "rows": by_number.get(summary.number, []),
        }
        for summary in view.report.characteristics
    ]
    charts = [
        {"id": f"chart-{row.indicator.pk}", "figure": figure}
        for group in characteristics
        for row in group["rows"]
        if (figure := row.chart())
    ]
    quality = view.report.quality
    return {
        "view": view,
        "report": view.report,
        "plan": view.plan,
        "characteristics": characteristics,
        "charts": charts,
        "quality": quality,
        "quality_rows": [(QUALITY_LABELS[q], n) for q, n in quality.by_quality.items()],
        "contribution": CONTRIBUTION,
        "period": view.report.period,
        "periods": [p.label for p in view.report.periods],
    }


def slug(view: PlanView) -> str:
    return slugify(view.plan.name)[:60] or "impact-plan"


def report_pdf(view: PlanView) -> bytes:
    return render_pdf("framework/report_pdf.html", report_context(view))


def report_xlsx(view: PlanView) -> bytes:
    """The plan, its indicators against baseline and target, and every value with its history."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    plan, result = view.plan, view.report
    workbook = Workbook()
    sheets: dict[str, list[list[Any]]] = {
        "Theory of change": [["Field", "Value"]],
        "Indicators": [
            [
                "Characteristic",
                "Indicator",
                "Bank id",
                "Unit",
                "Measure",
                "Baseline",
                "Baseline period",
                "Target",
                "Target period",
                "Latest value",
                "Latest period",
                "Change",
                "Progress (share of the way)",
                "Status",
                "Data quality",
                "Collection method",
                "Frequency",
            ]
        ],
        "Measurements": [
            [
                "Indicator",
                "Period",
                "Revision",
                "Current",
                "Value",
                "Statement",
                "Source",
                "Recorded by",
                "Quality",
                "Challenger",
                "Triangulated against",
                "Reason for correction",
                "Evidence",
            ]
        ],
        "10 steps": [["Step", "Title", "Done", "Detail"]],
    }
    sheets["Theory of change"] += [
        ["Organisation", str(plan.organisation)],
        ["Plan", plan.name],
        ["As of", result.period.label if result.period else "all periods"],
        ["Change sought", plan.change_sought],
        ["Activities", "\n".join(plan.activity_list)],
        ["Area", result.plan.area.describe()],
        ["Characteristics", ", ".join(str(c) for c in result.plan.characteristics)],
        ["Contribution, not attribution", CONTRIBUTION],
    ]
    for row in rows(view):
        item, indicator = row.progress, row.indicator
        latest = item.latest
        sheets["Indicators"].append(
            [
                indicator.characteristic,
                indicator.label,
                indicator.bank_id,
                indicator.unit,
                indicator.measure,
                indicator.baseline,
                indicator.baseline_period,
                indicator.target,
                indicator.target_period,
                None
                if latest is None
                else (latest.value if latest.value is not None else latest.statement),
                latest.period.label if latest else None,
                item.change,
                item.progress,
                row.status,
                row.quality,
                indicator.collection_method,
                indicator.frequency,
            ]
        )
        for point in item.series:
            for revision in point.history:
                sheets["Measurements"].append(
                    [
                        indicator.label,
                        point.period.label,
                        revision.revision,
                        "yes" if revision is point.history[-1] else "no",
                        revision.value,
                        revision.statement,
                        revision.source,
                        revision.recorded_by,
                        QUALITY_LABELS.get(revision.quality, revision.quality),
                        revision.checked_by,
                        revision.triangulation,
                        revision.reason,
                        "\n".join(revision.evidence),
                    ]
                )
    for state in result.checklist.steps:
        sheets["10 steps"].append(
            [state.step.number, state.step.title, "yes" if state.done else "no", state.detail]
        )
    first = True
    bold = Font(bold=True)
    for title, values in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title
        first = False
        for line in values:
            sheet.append(list(line))
        for cell in sheet[1]:
            cell.font = bold
    return workbook_bytes(workbook)
