"""From stored ratings to the engine's results, and the rows and chart the pages show.

Only submitted raters count: a draft is nobody's business but its rater's. Every figure shown
comes from keepitlocal.framework.assessment; this module only reads rows and arranges them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from keepitlocal.framework import assessment as engine
from keepitlocal.framework.principles import level_name, maturity_scale, principles
from keepitlocal.web.accounts.models import Organisation, OrganisationKind, User
from keepitlocal.web.assessment.models import (
    Assessment,
    Champion,
    ComparisonOptIn,
    NetworkStatus,
    Rater,
    Rating,
)


def engine_assessment(assessment: Assessment) -> engine.Assessment:
    ratings = Rating.objects.for_org(assessment.organisation).filter(
        rater__assessment=assessment, rater__submitted_at__isnull=False
    )
    return engine.Assessment(
        assessed_on=assessment.assessed_on,
        target=assessment.target_level,
        label=assessment.title,
        ratings=tuple(
            engine.Rating(rater=str(r.rater_id), statement=r.statement, level=r.level,
                          evidence=r.evidence, owner=r.owner)
            for r in ratings
        ),
    )


def result(assessment: Assessment) -> engine.AssessmentResult:
    return engine.assess(engine_assessment(assessment))


def previous(assessment: Assessment) -> Assessment | None:
    """The organisation's assessment before this one (by date, then by when it was made)."""
    return Assessment.objects.for_org(assessment.organisation).filter(
        Q(assessed_on__lt=assessment.assessed_on)
        | Q(assessed_on=assessment.assessed_on, pk__lt=assessment.pk)
    ).first()  # ordering is newest first


def rater_for(assessment: Assessment, user: User) -> Rater | None:
    return assessment.raters.filter(user=user).first()


def may_see_results(assessment: Assessment, user: User) -> bool:
    """Not while the user's own rating is still a draft: independent means unanchored."""
    mine = rater_for(assessment, user)
    return mine is None or mine.submitted


@dataclass(frozen=True)
class Page:
    """Everything the result page, the PDF and the downloads show about one assessment."""

    assessment: Assessment
    result: engine.AssessmentResult
    raters: list[Rater]
    previous: Assessment | None
    comparison: engine.Comparison | None

    @property
    def submitted(self) -> list[Rater]:
        return [r for r in self.raters if r.submitted]

    def names(self) -> dict[str, str]:
        return {str(r.pk): r.name for r in self.raters}

    def profile_rows(self) -> list[dict[str, Any]]:
        before = {c.id: c for c in self.comparison.principles} if self.comparison else {}
        rows = []
        for profile in self.result.profiles:
            change = before.get(profile.principle.id)
            rows.append({
                "principle": profile.principle, "profile": profile,
                "lowest": level_name(profile.lowest) if profile.lowest is not None else "–",
                "highest": level_name(profile.highest) if profile.highest is not None else "–",
                "previous": change.before if change else None,
                "change": change.change if change else None,
            })
        return rows

    def statement_rows(self) -> list[dict[str, Any]]:
        """Per statement: agreed rating, spread, each submitted rater's level, evidence."""
        names = self.names()
        by_rater: dict[tuple[int, str], Rating] = {
            (r.rater_id, r.statement): r
            for r in Rating.objects.for_org(self.assessment.organisation).filter(
                rater__in=self.submitted)
        }
        before = {c.id: c for c in self.comparison.statements} if self.comparison else {}
        rows = []
        for item in self.result.statements:
            levels = []
            for rater in self.submitted:
                rating = by_rater.get((rater.pk, item.statement.id))
                levels.append({"rater": rater, "answered": rating is not None,
                               "level": rating.level if rating else None})
            change = before.get(item.statement.id)
            rows.append({
                "item": item, "statement": item.statement,
                "agreed": level_name(item.agreed), "levels": levels,
                "spread": item.spread,
                "range": (f"{item.lowest}–{item.highest}" if item.spread else
                          (str(item.lowest) if item.lowest is not None else "–")),
                "evidence": [(names.get(key, key), text) for key, text in item.evidence],
                "previous": level_name(change.before)
                if change and isinstance(change.before, int) else None,
                "change": change.change if change else None,
            })
        return rows

    def grouped_statements(self) -> list[tuple[Any, list[dict[str, Any]]]]:
        rows = self.statement_rows()
        return [(p, [r for r in rows if r["statement"].principle == p.id]) for p in principles()]


def page(assessment: Assessment) -> Page:
    current = result(assessment)
    earlier = previous(assessment)
    comparison = engine.compare(result(earlier), current) if earlier else None
    return Page(assessment=assessment, result=current, raters=list(assessment.raters.all()),
                previous=earlier, comparison=comparison)


def profile_figure(view: Page) -> dict[str, Any]:
    """Score per principle as horizontal bars (this assessment, and the previous one if any),
    for Plotly.newPlot; the table beside it has the same figures."""
    import plotly.graph_objects as go

    names = [f"{p.principle.number}. {p.principle.name}" for p in view.result.profiles]
    figure = go.Figure()
    if view.comparison is not None and view.previous is not None:
        figure.add_trace(go.Bar(
            y=names, x=[float(c.before) if c.before is not None else None
                        for c in view.comparison.principles],
            name=f"{view.previous.title} ({view.previous.assessed_on:%b %Y})",
            orientation="h", marker_color="#b1b4b6",
            hovertemplate="%{y}: %{x:.1f}<extra>%{fullData.name}</extra>",
        ))
    figure.add_trace(go.Bar(
        y=names, x=[float(p.score) if p.score is not None else None for p in view.result.profiles],
        name=f"{view.assessment.title} ({view.assessment.assessed_on:%b %Y})",
        orientation="h", marker_color="#005a30",
        text=[str(p.score) if p.score is not None else "" for p in view.result.profiles],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.1f}<extra>%{fullData.name}</extra>",
    ))
    levels = maturity_scale()
    figure.update_layout(
        barmode="group", height=420, margin={"l": 190, "r": 30, "t": 10, "b": 90},
        font={"family": "Arial, sans-serif", "size": 13, "color": "#0b0c0c"},
        xaxis={"range": [0, levels[-1].level + 0.3], "tickvals": [m.level for m in levels],
               "ticktext": [f"{m.level} {m.name}" for m in levels]},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.25},
        plot_bgcolor="#ffffff", paper_bgcolor="#ffffff",
    )
    return json.loads(figure.to_json())


# --- membership and the network ---------------------------------------------------------------


def network_status(org: Organisation) -> NetworkStatus:
    found = NetworkStatus.objects.for_org(org).first()
    return found or NetworkStatus(organisation=org)


def membership(org: Organisation) -> tuple[NetworkStatus, list[Champion], engine.MembershipStatus]:
    status = network_status(org)
    champions = list(Champion.objects.for_org(org))
    state = engine.MembershipState(
        endorsed_on=status.endorsed_on,
        champions=tuple(engine.Champion(c.name, c.role, c.level) for c in champions),
        conversation=status.conversation,
        conversation_on=status.conversation_on,
        working_with_locality=status.working_with_locality,
        internal_processes=status.internal_processes,
    )
    return status, champions, engine.membership_status(state)


def opted_in(org: Organisation) -> bool:
    return ComparisonOptIn.objects.for_org(org).exists()


def network_latest() -> dict[str, engine.AssessmentResult]:
    """Each opted-in council's latest assessment with at least one submitted rater."""
    councils = Organisation.objects.filter(
        kind=OrganisationKind.COUNCIL,
        pk__in=ComparisonOptIn.objects.values("organisation"),
    )
    latest: dict[str, engine.AssessmentResult] = {}
    for council in councils:
        assessment = Assessment.objects.for_org(council).filter(
            raters__submitted_at__isnull=False).distinct().first()
        if assessment is not None:
            latest[str(council.pk)] = result(assessment)
    return latest


def network_rows(org: Organisation) -> tuple[list[dict[str, Any]], int]:
    """The aggregate per principle beside this council's own latest score; and the number of
    councils sharing."""
    latest = network_latest()
    aggregates = engine.network_comparison(latest)
    own_assessment = Assessment.objects.for_org(org).filter(
        raters__submitted_at__isnull=False).distinct().first()
    own = result(own_assessment) if own_assessment else None
    rows = [{
        "aggregate": agg,
        "own": own.profile(agg.principle.id).score if own else None,
    } for agg in aggregates]
    return rows, len(latest)
