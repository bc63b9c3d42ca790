"""Reading plans: the organisation's rows turned into the engine's Plan, and its report.

Fed measurements take the source's current value here, so every page, the PDF and the XLSX show
the same figure, computed once by keepitlocal.framework.progress.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from keepitlocal.errors import Problem
from keepitlocal.framework import model as engine
from keepitlocal.framework.progress import PlanReport, report
from keepitlocal.framework.reference import Framework, load_framework
from keepitlocal.framework.validation import plan_problems
from keepitlocal.web.framework import feeds
from keepitlocal.web.framework.models import Evidence, ImpactPlan, Indicator, Measurement

FOUR_PLACES = Decimal("0.0001")  # what Measurement.value keeps


def plans_for(org: Any) -> QuerySet[ImpactPlan]:
    return ImpactPlan.objects.for_org(org)


def plan_get(org: Any, pk: int) -> ImpactPlan:
    """The organisation's plan, or 404: another organisation's plan is not found."""
    return ImpactPlan.objects.for_org(org).get_or_404(pk=pk)


def indicator_get(plan: ImpactPlan, pk: int) -> Indicator:
    return Indicator.objects.for_org(plan.organisation).filter(plan=plan).get_or_404(pk=pk)


def measurement_get(plan: ImpactPlan, pk: int) -> Measurement:
    return (
        Measurement.objects.for_org(plan.organisation)
        .filter(indicator__plan=plan)
        .select_related("indicator")
        .get_or_404(pk=pk)
    )


def evidence_get(plan: ImpactPlan, pk: int) -> Evidence:
    return (
        Evidence.objects.for_org(plan.organisation)
        .filter(measurement__indicator__plan=plan)
        .get_or_404(pk=pk)
    )


def _period(text: str) -> engine.Period | None:
    try:
        return engine.Period.parse(text) if text else None
    except ValueError:
        return None


def area_of(plan: ImpactPlan) -> engine.Area:
    from keepitlocal.geo import lad_name

    lads = tuple(plan.area_lads) if plan.area_kind == "lad" else ()
    name = plan.area_name or ", ".join(lad_name(code) or code for code in lads)
    return engine.Area(
        lad=lads,
        radius_km=plan.area_radius_km if plan.area_kind == "radius" else None,
        centre=plan.area_centre if plan.area_kind == "radius" else None,
        name=name,
    )


def engine_indicator(indicator: Indicator) -> engine.PlanIndicator:
    return engine.PlanIndicator(
        key=indicator.key,
        label=indicator.label,
        characteristic=indicator.characteristic,
        unit=indicator.unit,
        measure=indicator.measure,
        bank_id=indicator.bank_id or None,
        baseline=indicator.baseline,
        baseline_period=_period(indicator.baseline_period),
        target=indicator.target,
        target_period=_period(indicator.target_period),
        collection_method=indicator.collection_method,
        frequency=indicator.frequency,
        fed_by=indicator.fed_by,
    )


@dataclass
class PlanView:
    """A plan with its rows, the engine's report and the current value of every fed measurement."""

    plan: ImpactPlan
    indicators: list[Indicator]
    measurements: dict[int, list[Measurement]]  # by indicator pk, every revision
    evidence: dict[tuple[int, str], list[Evidence]]  # by (indicator pk, period), all revisions
    fed: dict[int, feeds.FedValue]  # by measurement pk
    report: PlanReport
    problems: list[Problem] = field(default_factory=list)

    def progress(self, indicator: Indicator) -> Any:
        return next(p for p in self.report.indicators if p.indicator.key == indicator.key)


def plan_view(
    plan: ImpactPlan, period: str | None = None, framework: Framework | None = None
) -> PlanView:
    framework = framework or load_framework()
    indicators = list(Indicator.objects.for_org(plan.organisation).filter(plan=plan))
    rows = list(
        Measurement.objects.for_org(plan.organisation)
        .filter(indicator__plan=plan)
        .order_by("indicator", "period", "revision")
    )
    evidence: dict[tuple[int, str], list[Evidence]] = defaultdict(list)
    for item in (
        Evidence.objects.for_org(plan.organisation)
        .filter(measurement__indicator__plan=plan)
        .select_related("measurement")
    ):
        evidence[(item.measurement.indicator_id, item.measurement.period)].append(item)
    by_indicator: dict[int, list[Measurement]] = defaultdict(list)
    fed: dict[int, feeds.FedValue] = {}
    measurements = []
    keys = {i.pk: i.key for i in indicators}
    for row in rows:
        by_indicator[row.indicator_id].append(row)
        when = _period(row.period)
        if when is None:
            continue
        value = row.value
        source = row.source
        if row.feed and row.feed_object_id and row.feed in feeds.FEEDS:
            current = feeds_read(plan.organisation, row.feed, row.feed_object_id)
            fed[row.pk] = current
            value, source = current.value, current.source
        measurements.append(
            engine.Measurement(
                indicator=keys[row.indicator_id],
                period=when,
                value=value,
                statement=row.statement,
                source=source,
                evidence=tuple(e.name for e in evidence[(row.indicator_id, row.period)]),
                recorded_by=row.recorded_by,
                quality=row.quality,
                checked_by=row.checked_by,
                triangulation=row.triangulation,
                revision=row.revision,
                reason=row.reason,
                row=row.pk,
            )
        )
    document = engine.Plan(
        organisation=str(plan.organisation),
        name=plan.name,
        change_sought=plan.change_sought,
        activities=tuple(plan.activity_list),
        area=area_of(plan),
        characteristics=tuple(int(c) for c in plan.characteristics),
        indicators=tuple(engine_indicator(i) for i in indicators),
        measurements=tuple(measurements),
        existing_information=plan.existing_information,
        step_notes={n: getattr(plan, f"step_{n}") for n in (7, 8, 9, 10)},
        source=plan.name,
    )
    as_of = _period(period) if period else None
    return PlanView(
        plan=plan,
        indicators=indicators,
        measurements=dict(by_indicator),
        evidence=dict(evidence),
        fed=fed,
        report=report(document, as_of, framework),
        problems=[p for p in plan_problems(document, framework) if p.column != "value"],
    )


def feeds_read(org: Any, key: str, pk: int) -> feeds.FedValue:
    """A feed's current value; a source deleted since is said so, not an error page."""
    from django.http import Http404

    try:
        return feeds.read(org, key, pk)
    except Http404:
        return feeds.FedValue(None, "a result that has been deleted", "", "the source is gone")


def changed_since_recorded(measurement: Measurement, current: feeds.FedValue) -> Decimal | None:
    """The value recorded when the feed was linked, if the source has moved since."""
    if measurement.value is None or current.value is None:
        return None
    return None if measurement.value == current.value.quantize(FOUR_PLACES) else measurement.value
