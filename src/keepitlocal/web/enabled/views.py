"""Enabled contribution pages: years, tenants, results, exports, comparison, sharing, network.

Every view goes through org_required and fetches rows through the current organisation
(`for_org`), so another organisation's project by URL is "Page not found". The network view
shows a council only what anchors shared with it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from keepitlocal.enabled.present import METHOD
from keepitlocal.errors import InputError
from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.accounts.models import OrganisationKind, Role
from keepitlocal.web.core import parsing
from keepitlocal.web.core.http import XLSX, OrgRequest, confirmed, download, posted, problem_summary
from keepitlocal.web.enabled import exports, selectors, services
from keepitlocal.web.enabled.forms import (
    CompareForm,
    InviteTenantForm,
    OverrideForm,
    ProjectCreateForm,
    ProjectForm,
    ShareForm,
    TenantForm,
    UploadForm,
)
from keepitlocal.web.enabled.models import (
    EnabledProject,
    Source,
    Tenant,
)
from keepitlocal.web.enabled.survey import PURPOSE, SendForm, TenantSurveyForm
from keepitlocal.web.surveys.services import link_mark_used
from keepitlocal.web.surveys.views import survey_link_view

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "results.csv"),
    "xlsx": (XLSX, "results.xlsx"),
    "pdf": ("application/pdf", "report.pdf"),
    "input.json": ("application/json", "input.json"),
    "input.xlsx": (XLSX, "tenants.xlsx"),
}


def _project(request: OrgRequest, pk: int) -> EnabledProject:
    return selectors.project_get(request.org, pk)


def _result_context(computed: selectors.ProjectResult) -> dict:
    return {
        "computed": computed,
        "project": computed.project,
        "document": computed.document,
        "anchor": computed.anchor,
        "rows": computed.rows(),
        "references": computed.document["references"] if computed.document else [],
        "unverified": computed.unverified,
        "method": METHOD,
    }


@org_required()
@require_http_methods(["GET"])
def index(request: OrgRequest) -> HttpResponse:
    projects = [selectors.project_result(p) for p in selectors.projects_for(request.org)]
    return render(request, "enabled/index.html", {
        "results": projects,
        "is_council": request.org.kind == OrganisationKind.COUNCIL,
        "shares_received": bool(selectors.network_years(request.org)),
    })


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def project_create(request: OrgRequest) -> HttpResponse:
    form = ProjectCreateForm(posted(request), org=request.org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = services.project_create(
            org=request.org, year=data["year"], name=data["name"],
            local_authority=data["local_authority"], notes=data["notes"],
            copy_from=data.get("copy_from"),
        )
        messages.success(request, f"{project.year} is set up. Add its tenants.")
        return redirect("enabled:project", pk=project.pk)
    return render(request, "enabled/project_form.html", {"form": form, "creating": True})


@org_required()
@require_http_methods(["GET"])
def project_detail(request: OrgRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    computed = selectors.project_result(project)
    return render(request, "enabled/project.html",
                  {**_result_context(computed), **selectors.project_parts(project)})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def project_edit(request: OrgRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = ProjectForm(posted(request), instance=project, org=request.org)
    if request.method == "POST" and form.is_valid():
        services.project_update(form.save(commit=False))
        messages.success(request, "Saved.")
        return redirect("enabled:project", pk=project.pk)
    return render(request, "enabled/project_form.html", {"form": form, "project": project})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def project_delete(request: OrgRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)

    def delete() -> str:
        year = project.year
        services.project_delete(project)
        return f"The {year} project and its tenants are deleted."

    return confirmed(request, delete, then=reverse("enabled:index"),
                     template="enabled/confirm_delete.html", context={
        "project": project, "what": f"the {project.year} project",
        "detail": f"Its {project.tenants.count()} tenants, overrides and shares are deleted too.",
    })


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def tenant_edit(request: OrgRequest, pk: int, tenant_pk: int | None = None) -> HttpResponse:
    project = _project(request, pk)
    tenant = (
        selectors.tenant_get(project, tenant_pk)
        if tenant_pk is not None
        else Tenant(project=project, organisation=request.org, source=Source.ENTERED)
    )
    form = TenantForm(posted(request), instance=tenant, project=project)
    if request.method == "POST" and form.is_valid():
        services.tenant_save(project, form.save(commit=False))
        messages.success(request, f"{form.instance.name} is saved.")
        if "add_another" in request.POST:
            return redirect("enabled:tenant_create", pk=project.pk)
        return redirect("enabled:project", pk=project.pk)
    return render(request, "enabled/tenant_form.html", {
        "form": form, "project": project, "tenant": tenant if tenant.pk else None,
    })


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def tenant_delete(request: OrgRequest, pk: int, tenant_pk: int) -> HttpResponse:
    project = _project(request, pk)
    tenant = selectors.tenant_get(project, tenant_pk)

    def delete() -> str:
        services.tenant_delete(tenant)
        return f"{tenant.name} is removed from {project.year}."

    return confirmed(request, delete, then=reverse("enabled:project", args=[project.pk]),
                     template="enabled/confirm_delete.html", context={
        "project": project, "what": tenant.name,
        "detail": f"The tenant and its answers are removed from {project.year}.",
    })


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def upload(request: OrgRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = UploadForm(posted(request), request.FILES if request.method == "POST" else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if parsing.in_background(file):
            return redirect(parsing.status_url(services.read_upload_later(
                project, upload=file, anchor_name=form.cleaned_data["anchor"],
                user=request.user)))
        try:
            anchor, engine_project = services.read_upload(
                file, anchor_name=form.cleaned_data["anchor"]
            )
        except InputError as error:
            problems = error.problems
        else:
            count = services.import_anchor(project, anchor, engine_project)
            messages.success(request, services.imported_message(count))
            return redirect("enabled:project", pk=project.pk)
    return render(request, "enabled/upload.html", {
        "form": form, "project": project, **problem_summary(problems),
        "tenant_count": project.tenants.count(),
    }, status=400 if problems else 200)


@org_required()
@require_http_methods(["GET", "POST"])
def overrides(request: OrgRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = OverrideForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.override_save(
            project, table=data["table"], code=data["code"], value=data["value"],
            note=data["note"],
        )
        messages.success(request, "Your value is saved and used in the results.")
        return redirect("enabled:overrides", pk=project.pk)
    computed = selectors.project_result(project)
    return render(request, "enabled/overrides.html", {
        **_result_context(computed), "form": form, "overrides": list(project.overrides.all()),
    })


@org_required(role=Role.EDITOR)
@require_POST
def override_delete(request: OrgRequest, pk: int, override_pk: int) -> HttpResponse:
    project = _project(request, pk)
    item = selectors.override_get(project, override_pk)
    services.override_delete(item)
    messages.success(request, f"Your value for {item} is removed.")
    return redirect("enabled:overrides", pk=project.pk)


@org_required()
@require_http_methods(["GET"])
def export(request: OrgRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404("No such download.")
    project = _project(request, pk)
    computed = selectors.project_result(project)
    if fmt == "csv":
        body = exports.results_csv(computed)
    elif fmt == "xlsx":
        body = exports.results_xlsx(computed)
    elif fmt == "pdf":
        body = exports.report_pdf(computed, _result_context(computed))
    elif fmt == "input.json":
        body = exports.input_json(computed)
    else:
        body = exports.input_xlsx(computed)
    content_type, suffix = EXPORTS[fmt]
    name = f"enabled-{slugify(project.organisation.name)}-{project.year}-{suffix}"
    return download(body, name, content_type)


@org_required()
@require_http_methods(["GET"])
def compare(request: OrgRequest) -> HttpResponse:
    projects = selectors.projects_for(request.org)
    if len(projects) < 2:
        messages.info(request, "You need two years to compare: start another year first.")
        return redirect("enabled:index")
    initial = {"a": projects[1].pk, "b": projects[0].pk}
    form = CompareForm(request.GET or initial, org=request.org)
    context: dict = {"form": form}
    if form.is_valid():
        a = selectors.project_result(form.cleaned_data["a"])
        b = selectors.project_result(form.cleaned_data["b"])
        totals = []
        for label, kind, key in (
            ("Enabled employment (FTE)", "fte", "employees_fte"),
            ("Enabled GVA (£ a year)", "money", "gva_pounds"),
        ):
            ta = a.anchor[key] if a.anchor else None
            tb = b.anchor[key] if b.anchor else None
            totals.append({"label": label, "kind": kind, "a": ta, "b": tb,
                           "change": selectors.total_change(ta, tb)})
        context.update({"a": a, "b": b, "totals": totals,
                        "tenants": selectors.tenant_comparison(a, b)})
    return render(request, "enabled/compare.html", context)


@org_required(role=Role.ADMIN)
@require_http_methods(["GET", "POST"])
def share(request: OrgRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = ShareForm(posted(request), org=request.org)
    if request.method == "POST" and form.is_valid():
        council = form.cleaned_data["council"]
        services.share_create(project, council, request.user,
                              invited=form.cleaned_data["invited"])
        messages.success(request, f"{council} can now see your {project.year} totals.")
        return redirect("enabled:share", pk=project.pk)
    return render(request, "enabled/share.html", {
        "form": form, "project": project, "shares": list(project.shares.select_related("council")),
    })


@org_required(role=Role.ADMIN)
@require_POST
def share_delete(request: OrgRequest, pk: int, share_pk: int) -> HttpResponse:
    project = _project(request, pk)
    item = selectors.share_get(project, share_pk)
    services.share_delete(item)
    messages.success(request, f"{item.council} can no longer see your {project.year} totals.")
    return redirect("enabled:share", pk=project.pk)


@org_required()
@require_http_methods(["GET"])
def network(request: OrgRequest) -> HttpResponse:
    years = selectors.network_years(request.org)
    year = None
    if years:
        try:
            year = int(request.GET.get("year", years[0]))
        except ValueError:
            year = years[0]
        if year not in years:
            year = years[0]
    view = selectors.network(request.org, year) if year is not None else None
    by_year = [
        (y, selectors.network(request.org, y)) for y in years
    ] if len(years) > 1 else []
    return render(request, "enabled/network.html", {
        "years": years, "year": year, "view": view, "by_year": by_year,
        "is_council": request.org.kind == OrganisationKind.COUNCIL,
        "share_code": services.share_code(request.org)
        if request.org.kind == OrganisationKind.COUNCIL and request.membership.is_admin else "",
    })


# --- the tenant survey ---------------------------------------------------------------------


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def survey_send(request: OrgRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    invite = InviteTenantForm(request.POST if "add" in request.POST else None)
    send = SendForm(request.POST if "send" in request.POST else None, project=project,
                    initial={"tenants": selectors.survey_waiting(project)})
    if "add" in request.POST and invite.is_valid():
        try:
            tenant = services.tenant_invite(project, **invite.cleaned_data)
        except ValidationError as error:
            invite.add_error("name", error)
        else:
            messages.success(request, f"{tenant.name} is added. Send the survey when you are "
                                      "ready.")
            return redirect("enabled:survey_send", pk=project.pk)
    if "send" in request.POST and send.is_valid():
        chosen = list(send.cleaned_data["tenants"])
        services.survey_send(project, chosen, lambda token: request.build_absolute_uri(
            reverse("enabled:survey", args=[token])))
        messages.success(request, f"The survey is on its way to {len(chosen)} tenant"
                                  f"{'s' if len(chosen) != 1 else ''}.")
        return redirect("enabled:project", pk=project.pk)
    tenants = list(project.tenants.all())
    return render(request, "enabled/survey_send.html", {
        "project": project, "invite": invite, "send": send, "tenants": tenants,
        "without_email": [t for t in tenants if not t.contact_email],
    })


@survey_link_view(PURPOSE)
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, link: Any, token: str) -> HttpResponse:
    """Public: the tenant's survey, reached only through its e-mailed link."""
    tenant = selectors.survey_tenant(link)
    form = TenantSurveyForm(posted(request), instance=tenant, project=tenant.project)
    if request.method == "POST" and form.is_valid():
        services.survey_answer_save(form)
        link_mark_used(link)
        return render(request, "enabled/survey_thanks.html", {"tenant": tenant})
    return render(request, "enabled/survey.html", {"form": form, "tenant": tenant,
                                                   "project": tenant.project})
