"""Reads: an anchor's projects, the engine input built from them, and the engine's results.

Every figure on every page comes from here, and here only from `keepitlocal.enabled`: the
engine's Project is built with `project_from_dict` from the database, `calculate` runs it, and
`result_to_dict` presents it. The network view adds anchors' figures with the engine's own
`total`, so its confidence rule is the engine's too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db.models import QuerySet

from keepitlocal.enabled import calculate, project_from_dict, result_to_dict
from keepitlocal.enabled.engine import area_totals, total
from keepitlocal.enabled.present import STATUS_FLAGS, area_to_dict, total_to_dict
from keepitlocal.enabled.result import NetworkResult
from keepitlocal.errors import InputError, Problem
from keepitlocal.web.accounts.models import Organisation, OrganisationKind
from keepitlocal.web.enabled.models import (
    EnabledProject,
    ProjectOverride,
    ProjectShare,
    Tenant,
    name_key,
    plain,
)

ROUTE_LABELS = {
    "reported_fte": "Reported FTE",
    "headcount_hours": "Headcount × weekly hours",
    "headcount_factor": "Headcount × industry FTE factor",
    "floorspace_density": "Floorspace ÷ employment density",
    "reported_gva": "Reported GVA",
    "turnover_ratio": "Turnover × industry GVA ratio",
    "employees_gva_per_fte": "FTE × industry GVA per FTE",
    "excluded": "Excluded",
}
CONFIDENCE_LABELS = {"high": "High", "moderate": "Moderate", "excluded": "Excluded"}


def projects_for(org: Organisation) -> list[EnabledProject]:
    return list(EnabledProject.objects.for_org(org).order_by("-year"))


def project_get(org: Organisation, pk: int) -> EnabledProject:
    """One of the organisation's years; another organisation's is a 404 (core.middleware)."""
    return EnabledProject.objects.for_org(org).select_related("organisation").get(pk=pk)


def project_parts(project: EnabledProject) -> dict[str, Any]:
    """What the year's page lists beside its result: tenants, overrides, shares, other years."""
    tenants = list(project.tenants.all())
    return {
        "tenants": tenants,
        "overrides": list(project.overrides.all()),
        "shares": list(project.shares.select_related("council")),
        "other_years": EnabledProject.objects.for_org(project.organisation)
        .exclude(pk=project.pk).exists(),
        "survey_tenants": [t for t in tenants if t.survey_sent_at],
    }


def survey_waiting(project: EnabledProject) -> QuerySet[Tenant]:
    """Tenants with an address who have not answered the survey yet."""
    return project.tenants.exclude(contact_email="").filter(survey_answered_at__isnull=True)


def survey_tenant(link: Any) -> Tenant:
    """The tenant a survey link was issued for."""
    return Tenant.objects.select_related("project", "organisation").get(
        pk=link.target_id, organisation=link.organisation)


def tenant_get(project: EnabledProject, pk: int) -> Tenant:
    return Tenant.objects.for_org(project.organisation).get(pk=pk, project=project)


def override_get(project: EnabledProject, pk: int) -> ProjectOverride:
    return ProjectOverride.objects.for_org(project.organisation).get(pk=pk, project=project)


def share_get(project: EnabledProject, pk: int) -> ProjectShare:
    return ProjectShare.objects.for_org(project.organisation).select_related("council").get(
        pk=pk, project=project)


def engine_input(project: EnabledProject) -> dict[str, Any]:
    """The project as the engine's JSON input file: what `export/input.json` downloads.

    Tenants with no activity code are left out (the engine needs one); the pages list them as
    waiting for data, so none is silently dropped.
    """
    overrides: dict[str, Any] = {}
    for item in project.overrides.all():
        entry: dict[str, str] = {"value": plain(item.value)}
        if item.note:
            entry["note"] = item.note
        if item.table == "full_time_hours":
            overrides["full_time_hours"] = entry
        else:
            overrides.setdefault(item.table, {})[item.code] = entry
    anchor: dict[str, Any] = {
        "name": project.organisation.name,
        "tenants": [t.as_engine() for t in project.tenants.all() if t.has_activity],
    }
    if project.local_authority:
        anchor["local_authority"] = project.local_authority
    data: dict[str, Any] = {"name": project.title, "anchors": [anchor]}
    if project.notes:
        data["notes"] = project.notes
    if overrides:
        data["overrides"] = overrides
    return data


@dataclass
class ProjectResult:
    """What the results pages show: the engine's result as a dict, or the problems it found."""

    project: EnabledProject
    result: NetworkResult | None = None
    document: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)
    waiting: list[Tenant] = field(default_factory=list)
    tenant_ids: dict[str, int] = field(default_factory=dict)

    @property
    def anchor(self) -> dict[str, Any] | None:
        return self.document["anchors"][0] if self.document else None

    @property
    def references(self) -> dict[str, dict[str, Any]]:
        return {r["id"]: r for r in self.document["references"]} if self.document else {}

    @property
    def unverified(self) -> list[dict[str, Any]]:
        return [r for r in self.references.values() if r["unverified"]]

    def rows(self) -> list[dict[str, Any]]:
        """One row per tenant, as Table 1 of the appendix: figure, method and confidence."""
        if not self.anchor:
            return []
        refs = self.references
        rows = []
        for tenant in self.anchor["tenants"]:
            row = dict(tenant)
            for kind in ("employees", "gva"):
                figure = dict(tenant[kind])
                figure["route_label"] = ROUTE_LABELS.get(figure["route"], figure["route"])
                figure["unverified"] = [
                    refs[i] for i in figure["references"] if i in refs and refs[i]["unverified"]
                ]
                row[kind] = figure
            row["figures"] = [row["employees"], row["gva"]]
            row["confidence_label"] = CONFIDENCE_LABELS[tenant["confidence"]]
            row["pk"] = self.tenant_ids.get(name_key(tenant["name"]))
            rows.append(row)
        return rows


def project_result(project: EnabledProject) -> ProjectResult:
    """The engine's figures for one year of one anchor."""
    tenants = list(project.tenants.all())
    out = ProjectResult(
        project=project,
        waiting=[t for t in tenants if not t.has_activity],
        tenant_ids={name_key(t.name): t.pk for t in tenants},
    )
    data = engine_input(project)
    if not data["anchors"][0]["tenants"]:
        return out
    try:
        engine_project = project_from_dict(data)
        out.result = calculate(engine_project)
    except InputError as error:
        out.problems = list(error.problems)
        return out
    out.document = result_to_dict(out.result)
    return out


def status_flag(status: str) -> str:
    return STATUS_FLAGS.get(status, status)


def tenant_comparison(a: ProjectResult, b: ProjectResult) -> list[dict[str, Any]]:
    """Tenants of two years side by side, matched by name; a tenant of one year only is kept."""
    rows: dict[str, dict[str, Any]] = {}
    for side, result in (("a", a), ("b", b)):
        for row in result.rows():
            key = name_key(row["name"])
            rows.setdefault(key, {"name": row["name"], "a": None, "b": None})[side] = row
    return list(rows.values())


def total_change(a: dict[str, Any] | None, b: dict[str, Any] | None) -> Decimal | None:
    """B's exact total less A's: how a figure moved between two years (both from the engine)."""
    if not a or not b:
        return None
    return Decimal(b["exact"]) - Decimal(a["exact"])


# --- the network view: what anchors have shared with a council ------------------------------


def shares_received(council: Organisation) -> list[ProjectShare]:
    """Only what anchors chose to share with this organisation; nothing else is reachable."""
    return list(
        ProjectShare.objects.filter(council=council)
        .select_related("project", "project__organisation", "organisation")
        .order_by("project__organisation__name", "-project__year")
    )


def network_years(council: Organisation) -> list[int]:
    return sorted(
        set(
            ProjectShare.objects.filter(council=council).values_list("project__year", flat=True)
        ),
        reverse=True,
    )


@dataclass
class NetworkView:
    year: int | None
    anchors: list[dict[str, Any]]
    employees_fte: dict[str, Any] | None
    gva_pounds: dict[str, Any] | None
    by_local_authority: list[dict[str, Any]]
    unverified: list[dict[str, Any]]


def network(council: Organisation, year: int | None) -> NetworkView:
    """The shared anchors' totals for one year, and the network's, added up by the engine.

    Each anchor's figures are calculated with its own overrides, exactly as the anchor sees them.
    """
    shares = [s for s in shares_received(council) if year is None or s.project.year == year]
    anchors = []
    results = []
    unverified: dict[str, dict[str, Any]] = {}
    for share in shares:
        computed = project_result(share.project)
        entry: dict[str, Any] = {
            "anchor": share.project.organisation.name,
            "year": share.project.year,
            "local_authority": share.project.local_authority or "(not given)",
            "shared_at": share.created_at,
            "employees_fte": None,
            "gva_pounds": None,
            "waiting": len(computed.waiting),
            "has_problems": bool(computed.problems),
        }
        if computed.result is not None and computed.anchor is not None:
            entry["employees_fte"] = computed.anchor["employees_fte"]
            entry["gva_pounds"] = computed.anchor["gva_pounds"]
            results.append((entry, computed.result))
            for ref in computed.unverified:
                unverified.setdefault(ref["id"], ref)
        anchors.append(entry)
    counted = [a for _, result in results for a in result.anchors]
    tenants = [t for a in counted for t in a.tenants]
    return NetworkView(
        year=year,
        anchors=anchors,
        employees_fte=total_to_dict(total(t.employees for t in tenants), "fte")
        if tenants else None,
        gva_pounds=total_to_dict(total(t.gva for t in tenants), "pounds") if tenants else None,
        by_local_authority=[area_to_dict(area) for area in area_totals(counted)],
        unverified=list(unverified.values()),
    )


# --- share codes ---------------------------------------------------------------------------

SHARE_SALT = "keepitlocal.enabled.share-invitation"
SHARE_CODE_DAYS = 30


def council_from_code(code: str) -> Organisation | None:
    """The council a share code was made for, or None if the code is wrong or too old."""
    try:
        pk = signing.loads(code.strip(), salt=SHARE_SALT, max_age=timedelta(days=SHARE_CODE_DAYS))
    except signing.BadSignature:
        return None
    return Organisation.objects.filter(pk=pk, kind=OrganisationKind.COUNCIL).first()
