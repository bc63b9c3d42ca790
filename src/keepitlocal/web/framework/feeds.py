"""Indicators fed by results measured elsewhere in keepitlocal: LM3, local spend, Enabled.

Each feed reads its source through that app's own models and engine result, so the value shown
is the source's current value (a recalculated LM3 or a new spend run shows at once), and links
back to the exact result. Only the current organisation's sources are ever read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse

from keepitlocal.errors import KeepItLocalError

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class FedValue:
    """A source's current value, where to see it, and why there is none when there is none."""

    value: Decimal | None
    source: str
    url: str
    problem: str = ""


@dataclass(frozen=True)
class Feed:
    key: str
    label: str
    unit: str
    app: str  # "lm3", "spend" or "enabled"
    read: Callable[[dict[str, Any]], Any]  # the figure, from the source's result document


FEEDS = {
    feed.key: feed
    for feed in (
        Feed("lm3.lm3", "LM3 score of an LM3 project", "multiplier", "lm3", lambda d: d["lm3"]),
        Feed(
            "lm3.local_supplier_share",
            "Share of an LM3 project's supplier spend with local suppliers",
            "%",
            "lm3",
            lambda d: Decimal(str(d["suppliers"]["local_spend_share"])) * HUNDRED,
        ),
        Feed(
            "lm3.local_staff_share",
            "Share of an LM3 project's staff pay going to staff living in the area",
            "%",
            "lm3",
            lambda d: Decimal(str(d["staff"]["local_pay_share"])) * HUNDRED,
        ),
        Feed(
            "spend.local_share",
            "Share of a spend analysis's spend in the council area",
            "%",
            "spend",
            lambda d: Decimal(str(d["tiers"][0]["share"])) * HUNDRED,
        ),
        Feed(
            "spend.vcse_share",
            "Share of a spend analysis's spend with VCSE organisations",
            "%",
            "spend",
            lambda d: Decimal(str(d["vcse_share"])) * HUNDRED,
        ),
        Feed(
            "enabled.gva",
            "GVA enabled through tenants in an Enabled Contribution year",
            "£",
            "enabled",
            lambda d: d["gva_pounds"]["exact"],
        ),
        Feed(
            "enabled.jobs",
            "FTE jobs enabled through tenants in an Enabled Contribution year",
            "count",
            "enabled",
            lambda d: d["employees_fte"]["exact"],
        ),
    )
}


def feeds_for_unit(unit: str) -> list[Feed]:
    return [feed for feed in FEEDS.values() if feed.unit == unit]


def sources(org: Any, feed: Feed) -> list[tuple[int, str]]:
    """The organisation's results this feed can read, newest first, as (id, name)."""
    if feed.app == "lm3":
        from keepitlocal.web.lm3.selectors import lm3_project_list

        return [(p.pk, str(p)) for p in lm3_project_list(org)]
    if feed.app == "spend":
        from keepitlocal.web.spend.selectors import analysis_list

        return [(a.pk, a.name) for a in analysis_list(org)]
    from keepitlocal.web.enabled.selectors import projects_for

    return [(p.pk, p.title) for p in projects_for(org)]


def _lm3(org: Any, pk: int) -> tuple[str, str, dict[str, Any] | None, str]:
    from keepitlocal import lm3
    from keepitlocal.web.lm3 import services
    from keepitlocal.web.lm3.selectors import lm3_project_get

    project = lm3_project_get(org, pk)
    url = reverse("lm3:results", args=[project.pk])
    if project.final_result:
        return f"LM3: {project}", url, project.final_result, ""
    try:
        document = lm3.result_to_dict(services.lm3_result_compute(project))
    except KeepItLocalError:
        return f"LM3: {project}", url, None, "the LM3 cannot be calculated yet"
    return f"LM3: {project}", url, document, ""


def _spend(org: Any, pk: int) -> tuple[str, str, dict[str, Any] | None, str]:
    from keepitlocal.web.spend.selectors import analysis_get

    analysis = analysis_get(org, pk)
    url = reverse("spend:overview", args=[analysis.pk])
    run = analysis.latest_result_run
    if run is None or not run.result:
        return f"Local spend: {analysis.name}", url, None, "the analysis has not been run yet"
    return f"Local spend: {analysis.name}", url, run.result, ""


def _enabled(org: Any, pk: int) -> tuple[str, str, dict[str, Any] | None, str]:
    from keepitlocal.web.enabled.models import EnabledProject
    from keepitlocal.web.enabled.selectors import project_result

    project = EnabledProject.objects.for_org(org).get_or_404(pk=pk)
    url = reverse("enabled:project", args=[project.pk])
    computed = project_result(project)
    if computed.anchor is None:
        return f"Enabled contribution: {project.title}", url, None, "no figures yet"
    return f"Enabled contribution: {project.title}", url, computed.anchor, ""


_READERS = {"lm3": _lm3, "spend": _spend, "enabled": _enabled}


def read(org: Any, key: str, pk: int) -> FedValue:
    """The current value of feed `key` from the organisation's result `pk` (404 if not theirs)."""
    feed = FEEDS[key]
    source, url, document, problem = _READERS[feed.app](org, pk)
    if document is None:
        return FedValue(None, source, url, problem)
    try:
        value = Decimal(str(feed.read(document)))
    except (KeyError, IndexError, TypeError, ArithmeticError):
        return FedValue(None, source, url, "the result does not hold this figure")
    return FedValue(value, source, url)
