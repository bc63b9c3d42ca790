"""LM3 projects: list, create, edit, delete, import; the area (step 2) and budget (step 3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from keepitlocal.errors import InputError, KeepItLocalError
from keepitlocal.geo import lad_name
from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.accounts.models import Role
from keepitlocal.web.core import parsing
from keepitlocal.web.core.areas import area_change, area_forms
from keepitlocal.web.core.http import OrgRequest, confirmed, posted, problem_summary
from keepitlocal.web.lm3 import forms, project_files, selectors, services, uploads
from keepitlocal.web.lm3.models import AreaKind, PayrollMode
from keepitlocal.web.lm3.views._common import (
    org_project,
    refuse_if_closed,
    upload_staged,
    yes_no,
)

# --- projects ----------------------------------------------------------------------------


@org_required()
@require_http_methods(["GET"])
def index(request: OrgRequest) -> HttpResponse:
    projects = selectors.lm3_project_list(request.org)
    return render(request, "lm3/index.html", {"projects": projects})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def project_create(request: OrgRequest) -> HttpResponse:
    form = forms.ProjectForm(posted(request), initial={"scope": "turnover"})
    if request.method == "POST" and form.is_valid():
        project = services.lm3_project_create(
            org=request.org, user=request.user, **form.cleaned_data
        )
        messages.success(request, f"{project} is set up. Next, choose the local area.")
        return redirect("lm3:area", project.pk)
    return render(request, "lm3/project_form.html", {"form": form, "project": None})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def project_edit(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    if refused := refuse_if_closed(request, project):
        return refused
    form = forms.ProjectForm(posted(request), initial={
        "name": project.name, "scope": project.scope, "period_start": project.period_start,
        "period_end": project.period_end,
    })
    if request.method == "POST" and form.is_valid():
        services.lm3_project_update(project, **form.cleaned_data)
        messages.success(request, "The project's name and period are saved.")
        return redirect("lm3:overview", project.pk)
    return render(request, "lm3/project_form.html", {"form": form, "project": project})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def project_delete(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)

    def delete() -> str:
        name = str(project)
        services.lm3_project_delete(project)
        return f"{name} is deleted."

    return confirmed(request, delete, then=reverse("lm3:index"),
                     template="lm3/project_delete.html", context={"project": project})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def project_import(request: OrgRequest) -> HttpResponse:
    form = forms.ProjectFileForm(posted(request), request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if parsing.in_background(upload):
            return redirect(parsing.status_url(project_files.lm3_project_import_later(
                org=request.org, user=request.user, upload=upload)))
        try:
            engine_project = project_files.lm3_project_read(upload.name, upload)
        except KeepItLocalError as error:
            problems = error.problems if isinstance(error, InputError) else [str(error)]
        else:
            project = project_files.lm3_project_import(
                org=request.org, user=request.user, project=engine_project
            )
            return redirect(parsing.announce(request, project_files.project_imported(project)))
    return render(request, "lm3/project_import.html",
                  {"form": form, **problem_summary(problems)})


@org_required()
@require_http_methods(["GET"])
def overview(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    progress = selectors.supplier_progress(project)
    return render(request, "lm3/overview.html", {
        "project": project, "progress": progress,
        "steps": selectors.steps(project, progress),
        "area": selectors.area_description(project),
    })


# --- step 2: the area --------------------------------------------------------------------


@org_required()
@require_http_methods(["GET", "POST"])
def area(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    if refused := refuse_if_closed(request, project):
        return refused
    action = request.POST.get("action") if request.method == "POST" else None
    add, radius = area_forms(request.POST, action, radius_km=project.area_radius_km,
                             centre=project.area_centre)
    if request.method == "POST":
        if said := area_change(services, project, action, request.POST, add, radius):
            messages.success(request, said)
            return redirect("lm3:area", project.pk)
        if action == "use-lads":
            services.area_kind_set(project, AreaKind.LAD)
            return redirect("lm3:area", project.pk)
        if action not in ("radius", "add-lad"):
            raise Http404("Unknown action")
    chosen = [(code, lad_name(code) or code) for code in project.area_lads]
    return render(request, "lm3/area.html", {
        "project": project, "add": add, "chosen": chosen,
        "editable": request.membership.can_edit and not project.is_closed,
        "radius": radius, "form": next((f for f in (add, radius) if f.is_bound), None),
        "description": selectors.area_description(project),
        "words": selectors.area_words(project),
        "counts": selectors.area_counts(project),
    })


# --- step 3: the budget ------------------------------------------------------------------


@org_required()
@require_http_methods(["GET", "POST"])
def budget(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    if refused := refuse_if_closed(request, project):
        return refused
    action = request.POST.get("action") if request.method == "POST" else None
    payroll = forms.PayrollForm(
        request.POST if action == "payroll" else None,
        initial={"mode": project.payroll_mode, "local_pay": project.local_pay,
                 "nonlocal_pay": project.nonlocal_pay},
    )
    staff = forms.StaffForm(request.POST if action == "staff" else None, prefix="staff",
                            initial={"local": ""})
    cost = forms.OtherCostForm(request.POST if action == "cost" else None, prefix="cost")
    staff_file = forms.StaffUploadForm(request.POST if action == "staff-file" else None,
                                       request.FILES or None, prefix="staff-file")
    if action == "staff-file" and staff_file.is_valid() and (target := upload_staged(
            request, project, staff_file, uploads.STAFF,
            back=reverse("lm3:budget", args=[project.pk]) + "#staff")):
        return redirect(target)
    if action == "payroll" and payroll.is_valid():
        data = payroll.cleaned_data
        services.payroll_set(project, mode=data["mode"], local_pay=data["local_pay"],
                             nonlocal_pay=data["nonlocal_pay"])
        messages.success(request, "Payroll saved.")
        return redirect(reverse("lm3:budget", args=[project.pk]) + "#payroll")
    if action == "staff" and staff.is_valid():
        data = staff.cleaned_data
        if project.payroll_mode != PayrollMode.PEOPLE:
            services.payroll_set(project, mode=PayrollMode.PEOPLE)
        services.staff_add(project, label=data["label"], pay=data["pay"],
                           postcode=data["postcode"],
                           local=yes_no(data["local"]))
        messages.success(request, f"Added {data['label']}.")
        return redirect(reverse("lm3:budget", args=[project.pk]) + "#staff")
    if action == "cost" and cost.is_valid():
        data = cost.cleaned_data
        services.other_cost_add(project, label=data["label"], spend=data["spend"],
                                local=data["local"] == "yes")
        messages.success(request, f"Added {data['label']}.")
        return redirect(reverse("lm3:budget", args=[project.pk]) + "#costs")
    if action not in (None, "payroll", "staff", "cost", "staff-file"):
        raise Http404("Unknown action")
    bound = next((f for f in (payroll, staff, cost, staff_file) if f.is_bound), None)
    staff_total, costs_total = selectors.budget_totals(project)
    return render(request, "lm3/budget.html", {
        "project": project, "payroll": payroll, "staff_form": staff, "cost_form": cost,
        "staff_file_form": staff_file, "form": bound,
        "staff_uploads": project.uploads.filter(kind=uploads.STAFF.kind)[:5],
        "staff": project.staff.all(), "costs": project.other_costs.all(),
        "staff_total": staff_total, "costs_total": costs_total,
        "area_words": selectors.area_words(project),
    })


@org_required(role=Role.EDITOR)
@require_POST
def staff_remove(request: OrgRequest, pk: int, member: int) -> HttpResponse:
    project = org_project(request, pk)
    if refused := refuse_if_closed(request, project):
        return refused
    row = get_object_or_404(project.staff, pk=member)
    services.staff_remove(row)
    messages.success(request, f"Removed {row.label}.")
    return redirect(reverse("lm3:budget", args=[project.pk]) + "#staff")


@org_required(role=Role.EDITOR)
@require_POST
def cost_remove(request: OrgRequest, pk: int, cost: int) -> HttpResponse:
    project = org_project(request, pk)
    if refused := refuse_if_closed(request, project):
        return refused
    row = get_object_or_404(project.other_costs, pk=cost)
    services.other_cost_remove(row)
    messages.success(request, f"Removed {row.label}.")
    return redirect(reverse("lm3:budget", args=[project.pk]) + "#costs")
