"""LM3 online pages: thin views over services (writes) and selectors (reads)."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from keepitlocal import lm3
from keepitlocal.errors import InputError, KeepItLocalError
from keepitlocal.geo import find_lads, lad_name
from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.accounts.models import Role
from keepitlocal.web.core.exports import neutralise
from keepitlocal.web.core.http import XLSX, download, posted
from keepitlocal.web.core.uploads import max_upload_mb
from keepitlocal.web.lm3 import forms, reports, selectors, services, uploads
from keepitlocal.web.lm3.models import (
    SURVEY_PURPOSE,
    AreaKind,
    Lm3Project,
    PayrollMode,
    ResponseSource,
    Status,
    Supplier,
    SupplierUpload,
    UploadStatus,
)
from keepitlocal.web.surveys.services import link_mark_used
from keepitlocal.web.surveys.views import survey_link_view

PAGE_SIZE = 50
PROBLEM_ROWS_SHOWN = 50


def _project(request: HttpRequest, pk: int) -> Lm3Project:
    return selectors.lm3_project_get(request.org, pk)  # type: ignore[attr-defined]


def _closed(request: HttpRequest, project: Lm3Project) -> HttpResponse | None:
    """A closed project's data is frozen: say so instead of changing it."""
    if project.is_closed and request.method == "POST":
        messages.error(request, f"{project} is closed, so its data can no longer change. "
                                "Reopen it first if you need to.")
        return redirect("lm3:overview", project.pk)
    return None


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


# --- projects ----------------------------------------------------------------------------


@org_required()
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    projects = selectors.lm3_project_list(request.org)  # type: ignore[attr-defined]
    return render(request, "lm3/index.html", {"projects": projects})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    form = forms.ProjectForm(posted(request), initial={"scope": "turnover"})
    if request.method == "POST" and form.is_valid():
        project = services.lm3_project_create(
            org=request.org, user=request.user, **form.cleaned_data  # type: ignore[attr-defined]
        )
        messages.success(request, f"{project} is set up. Next, choose the local area.")
        return redirect("lm3:area", project.pk)
    return render(request, "lm3/project_form.html", {"form": form, "project": None})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if refused := _closed(request, project):
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
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if request.method == "POST":
        name = str(project)
        services.lm3_project_delete(project)
        messages.success(request, f"{name} is deleted.")
        return redirect("lm3:index")
    return render(request, "lm3/project_delete.html", {"project": project})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def project_import(request: HttpRequest) -> HttpResponse:
    form = forms.ProjectFileForm(posted(request), request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            engine_project = services.lm3_project_read(upload.name, upload)
        except KeepItLocalError as error:
            problems = error.problems if isinstance(error, InputError) else [str(error)]
        else:
            project = services.lm3_project_import(
                org=request.org, user=request.user, project=engine_project  # type: ignore[attr-defined]
            )
            messages.success(
                request, f"Imported {project} with {project.suppliers.count():,} suppliers."
            )
            return redirect("lm3:overview", project.pk)
    return render(request, "lm3/project_import.html", {"form": form, "problems": problems})


@org_required()
@require_http_methods(["GET"])
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    progress = selectors.supplier_progress(project)
    return render(request, "lm3/overview.html", {
        "project": project, "progress": progress,
        "steps": selectors.steps(project, progress),
        "area": selectors.area_description(project),
    })


# --- step 2: the area --------------------------------------------------------------------


@org_required()
@require_http_methods(["GET", "POST"])
def area(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if refused := _closed(request, project):
        return refused
    search = forms.LadSearchForm(request.GET or None)
    radius = forms.RadiusForm(
        request.POST if request.POST.get("action") == "radius" else None,
        initial={"radius_km": project.area_radius_km, "centre": project.area_centre},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        code = request.POST.get("code", "").strip().upper()
        if action == "add-lad" and lad_name(code):
            services.area_lad_add(project, code)
            messages.success(request, f"Added {lad_name(code)} to the area.")
            return redirect("lm3:area", project.pk)
        if action == "remove-lad":
            services.area_lad_remove(project, code)
            messages.success(request, f"Removed {lad_name(code) or code} from the area.")
            return redirect("lm3:area", project.pk)
        if action == "use-lads":
            services.area_kind_set(project, AreaKind.LAD)
            return redirect("lm3:area", project.pk)
        if action == "radius" and radius.is_valid():
            services.area_radius_set(
                project, km=radius.cleaned_data["radius_km"], centre=radius.cleaned_data["centre"]
            )
            messages.success(request, "The area is now a distance around a postcode.")
            return redirect("lm3:area", project.pk)
        if action not in ("radius",):
            raise Http404("Unknown action")
    results: list[tuple[str, str]] = []
    if search.is_valid() and search.cleaned_data["q"]:
        results = find_lads(search.cleaned_data["q"])[:20]
    chosen = [(code, lad_name(code) or code) for code in project.area_lads]
    return render(request, "lm3/area.html", {
        "project": project, "search": search, "results": results, "chosen": chosen,
        "radius": radius, "form": radius if radius.is_bound else None,
        "description": selectors.area_description(project),
        "words": selectors.area_words(project),
        "counts": selectors.area_counts(project),
        "searched": bool(search.is_bound and search.data.get("q")),
    })


# --- step 3: the budget ------------------------------------------------------------------


@org_required()
@require_http_methods(["GET", "POST"])
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if refused := _closed(request, project):
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
                           postcode=_normal_postcode(data["postcode"]),
                           local=_yes_no(data["local"]))
        messages.success(request, f"Added {data['label']}.")
        return redirect(reverse("lm3:budget", args=[project.pk]) + "#staff")
    if action == "cost" and cost.is_valid():
        data = cost.cleaned_data
        services.other_cost_add(project, label=data["label"], spend=data["spend"],
                                local=data["local"] == "yes")
        messages.success(request, f"Added {data['label']}.")
        return redirect(reverse("lm3:budget", args=[project.pk]) + "#costs")
    if action not in (None, "payroll", "staff", "cost"):
        raise Http404("Unknown action")
    bound = next((f for f in (payroll, staff, cost) if f.is_bound), None)
    return render(request, "lm3/budget.html", {
        "project": project, "payroll": payroll, "staff_form": staff, "cost_form": cost,
        "form": bound,
        "staff": project.staff.all(), "costs": project.other_costs.all(),
        "staff_total": project.staff.aggregate(t=Sum("pay"))["t"] or Decimal(0),
        "costs_total": project.other_costs.aggregate(t=Sum("spend"))["t"] or Decimal(0),
        "area_words": selectors.area_words(project),
    })


def _normal_postcode(text: str) -> str:
    from keepitlocal.geo import is_valid_postcode, normalise_postcode

    return normalise_postcode(text) if text and is_valid_postcode(text) else ""


@org_required(role=Role.EDITOR)
@require_POST
def staff_remove(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    project = _project(request, pk)
    if refused := _closed(request, project):
        return refused
    row = get_object_or_404(project.staff, pk=member)
    services.staff_remove(row)
    messages.success(request, f"Removed {row.label}.")
    return redirect(reverse("lm3:budget", args=[project.pk]) + "#staff")


@org_required(role=Role.EDITOR)
@require_POST
def cost_remove(request: HttpRequest, pk: int, cost: int) -> HttpResponse:
    project = _project(request, pk)
    if refused := _closed(request, project):
        return refused
    row = get_object_or_404(project.other_costs, pk=cost)
    services.other_cost_remove(row)
    messages.success(request, f"Removed {row.label}.")
    return redirect(reverse("lm3:budget", args=[project.pk]) + "#costs")


# --- step 4: suppliers -------------------------------------------------------------------


@org_required()
@require_http_methods(["GET", "POST"])
def suppliers(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if refused := _closed(request, project):
        return refused
    form = forms.UploadForm(posted(request), request.FILES or None)
    upload_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged = services.supplier_upload_read(
                project, name=upload.name, stream=upload, user=request.user
            )
        except uploads.UploadError as error:
            upload_error = str(error)
            form.add_error("file", upload_error)
        else:
            return redirect("lm3:upload", project.pk, staged.pk)
    show, q = request.GET.get("show", ""), request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.suppliers_filtered(project, show=show, q=q), PAGE_SIZE)
    return render(request, "lm3/suppliers.html", {
        "project": project, "form": form, "show": show, "q": q,
        "query": urlencode({"q": q, "show": show}) + "&",
        "page": page.get_page(request.GET.get("page")),
        "progress": selectors.supplier_progress(project),
        "uploads_list": project.uploads.exclude(status=UploadStatus.CANCELLED)[:10],
        "max_mb": max_upload_mb(),
    })


@require_http_methods(["GET"])
def template_csv(request: HttpRequest) -> HttpResponse:
    return download(uploads.template_csv().encode("utf-8-sig"), "suppliers-template.csv",
                    "text/csv; charset=utf-8")


@require_http_methods(["GET"])
def template_xlsx(request: HttpRequest) -> HttpResponse:
    return download(uploads.template_xlsx(), "suppliers-template.xlsx", XLSX)


def _upload(request: HttpRequest, pk: int, upload: int) -> SupplierUpload:
    project = _project(request, pk)
    return get_object_or_404(project.uploads.select_related("project"), pk=upload)


def _row_form(row: Any) -> forms.UploadRowForm:
    form = forms.UploadRowForm(
        {f"row{row.pk}-{k}": getattr(row, k) for k in uploads.FIELDS}, prefix=f"row{row.pk}"
    )
    form.is_valid()
    for field, message in (row.problems or {}).items():
        if field in form.fields:
            form.add_error(field, message)
    return form


@org_required()
@require_http_methods(["GET"])
def upload_preview(request: HttpRequest, pk: int, upload: int) -> HttpResponse:
    staged = _upload(request, pk, upload)
    if staged.status == UploadStatus.CANCELLED:
        raise Http404("This upload was cancelled")
    problem_rows = list(staged.rows.filter(ok=False)[:PROBLEM_ROWS_SHOWN])
    ready = staged.rows.filter(ok=True).count()
    left_out = staged.rows.filter(ok=False).count()
    return render(request, "lm3/upload.html", {
        "project": staged.project, "upload": staged, "ready": ready, "left_out": left_out,
        "problem_rows": [(row, _row_form(row)) for row in problem_rows],
        "more_problems": max(0, left_out - len(problem_rows)),
        "ready_sample": staged.rows.filter(ok=True)[:5],
    })


@org_required(role=Role.EDITOR)
@require_POST
def upload_row(request: HttpRequest, pk: int, upload: int, row: int) -> HttpResponse:
    staged = _upload(request, pk, upload)
    if refused := _closed(request, staged.project):
        return refused
    if staged.status != UploadStatus.PREVIEW:
        messages.error(request, "This upload has already been imported.")
        return redirect("lm3:upload", pk, upload)
    record = get_object_or_404(staged.rows, pk=row)
    if request.POST.get("action") == "drop":
        services.upload_row_drop(record)
        messages.success(request, f"Row {record.row} will be left out.")
        return redirect(reverse("lm3:upload", args=[pk, upload]) + "#problems")
    form = forms.UploadRowForm(request.POST, prefix=f"row{record.pk}")
    form.is_valid()
    services.upload_row_fix(record, {k: form.cleaned_data.get(k, "") for k in uploads.FIELDS})
    if record.ok:
        messages.success(request, f"Row {record.row} ({record.name}) is ready to import.")
    else:
        messages.error(request, f"Row {record.row} still has a problem.")
    return redirect(reverse("lm3:upload", args=[pk, upload]) + "#problems")


@org_required(role=Role.EDITOR)
@require_POST
def upload_import(request: HttpRequest, pk: int, upload: int) -> HttpResponse:
    staged = _upload(request, pk, upload)
    if refused := _closed(request, staged.project):
        return refused
    if staged.status != UploadStatus.PREVIEW:
        return redirect("lm3:upload", pk, upload)
    imported, left_out = services.supplier_import(staged)
    text = f"Imported {imported:,} suppliers from {staged.file_name}."
    if left_out:
        text += (f" {left_out:,} row was left out: it is listed below." if left_out == 1 else
                 f" {left_out:,} rows were left out: they are listed below.")
    messages.success(request, text)
    return redirect("lm3:upload", pk, upload)


@org_required(role=Role.EDITOR)
@require_POST
def upload_cancel(request: HttpRequest, pk: int, upload: int) -> HttpResponse:
    staged = _upload(request, pk, upload)
    if staged.status == UploadStatus.PREVIEW:
        services.upload_cancel(staged)
        messages.success(request, f"The upload of {staged.file_name} is cancelled: nothing "
                                  "was imported.")
    return redirect("lm3:suppliers", pk)


@org_required()
@require_http_methods(["GET"])
def upload_problems_csv(request: HttpRequest, pk: int, upload: int) -> HttpResponse:
    staged = _upload(request, pk, upload)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Row", *uploads.TEMPLATE_HEADER, "Problems"])
    for row in staged.rows.filter(ok=False).iterator(chunk_size=2000):
        writer.writerow([neutralise(v) for v in (
            row.row, row.name, row.contact, row.email, row.spend, row.postcode, row.local,
            "; ".join(f"{k}: {v}" for k, v in row.problems.items()),
        )])
    return download(out.getvalue().encode("utf-8-sig"), f"rows-left-out-{staged.pk}.csv",
                    "text/csv; charset=utf-8")


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def supplier_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if refused := _closed(request, project):
        return refused
    form = forms.SupplierForm(posted(request), initial={"local": ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if project.suppliers.filter(name__iexact=data["name"].strip()).exists():
            form.add_error("name", f"{data['name']} is already in the project")
        else:
            supplier = services.supplier_save(
                project, name=data["name"], spend=data["spend"], contact=data["contact"],
                email=data["email"], postcode=data["postcode"], local=_yes_no(data["local"]),
            )
            messages.success(request, f"Added {supplier}.")
            return redirect("lm3:suppliers", project.pk)
    return render(request, "lm3/supplier_form.html", {"project": project, "form": form,
                                                      "supplier": None})


def _supplier(request: HttpRequest, pk: int, supplier: int) -> tuple[Lm3Project, Supplier]:
    project = _project(request, pk)
    return project, get_object_or_404(
        project.suppliers.select_related("response"), pk=supplier
    )


@org_required()
@require_http_methods(["GET", "POST"])
def supplier_detail(request: HttpRequest, pk: int, supplier: int) -> HttpResponse:
    project, row = _supplier(request, pk, supplier)
    if refused := _closed(request, project):
        return refused
    if request.method == "POST" and request.POST.get("action") == "remove":
        services.supplier_remove(row)
        messages.success(request, f"Removed {row}.")
        return redirect("lm3:suppliers", project.pk)
    if request.method == "POST" and request.POST.get("action") == "remove-response":
        services.response_remove(row)
        messages.success(request, f"Removed the answer of {row}.")
        return redirect("lm3:supplier", project.pk, row.pk)
    local = {True: "yes", False: "no"}.get(row.local, "")  # type: ignore[call-overload]
    form = forms.SupplierForm(posted(request), initial={
        "name": row.name, "contact": row.contact, "email": row.email, "spend": row.spend,
        "postcode": row.postcode, "local": local,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.supplier_save(
            project, supplier=row, name=data["name"], spend=data["spend"],
            contact=data["contact"], email=data["email"], postcode=data["postcode"],
            local=_yes_no(data["local"]),
        )
        messages.success(request, f"Saved {row}.")
        return redirect("lm3:supplier", project.pk, row.pk)
    response = getattr(row, "response", None)
    return render(request, "lm3/supplier.html", {
        "project": project, "supplier": row, "form": form, "response": response,
    })


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def supplier_response(request: HttpRequest, pk: int, supplier: int) -> HttpResponse:
    project, row = _supplier(request, pk, supplier)
    if refused := _closed(request, project):
        return refused
    existing = getattr(row, "response", None)
    initial = {}
    if existing is not None:
        initial = {"local_staff_percent": _pct(existing.local_staff_share),
                   "local_supplier_percent": _pct(existing.local_supplier_share),
                   "respondent": existing.respondent, "note": existing.note,
                   "source": existing.source if existing.source in ("phone", "paper") else ""}
    form = forms.ResponseForm(posted(request), initial=initial,
                              area=selectors.area_words(project))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.response_record(
            row, local_staff_share=data["local_staff_percent"] / 100,
            local_supplier_share=data["local_supplier_percent"] / 100, source=data["source"],
            user=request.user, respondent=data["respondent"], note=data["note"],
        )
        how = ResponseSource(data["source"]).label.lower()
        messages.success(request, f"Saved the answer of {row} ({how}).")
        return redirect("lm3:supplier", project.pk, row.pk)
    return render(request, "lm3/supplier_response.html",
                  {"project": project, "supplier": row, "form": form})


def _pct(share: Decimal) -> str:
    """0.2 as "20" and 0.125 as "12.5": how the percentage was typed, never "2E+1"."""
    text = f"{(share * 100).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@org_required(role=Role.EDITOR)
@require_POST
def supplier_remind(request: HttpRequest, pk: int, supplier: int) -> HttpResponse:
    project, row = _supplier(request, pk, supplier)
    if refused := _closed(request, project):
        return refused
    sent = services.reminders_send(project, base_url=_base_url(request), supplier_ids=[row.pk])
    if sent:
        messages.success(request, f"A reminder is on its way to {row.email}.")
    else:
        messages.error(request, f"No reminder sent: {row} has answered, has no e-mail address, "
                                "or has not been invited yet.")
    return redirect(request.POST.get("next") or reverse("lm3:progress", args=[project.pk]))


@org_required()
@require_http_methods(["GET"])
def suppliers_csv(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return download(reports.suppliers_csv(project).encode("utf-8-sig"),
                    f"{reports.slug(project)}-suppliers.csv", "text/csv; charset=utf-8")


# --- step 5: notify, then progress -------------------------------------------------------


@org_required()
@require_http_methods(["GET", "POST"])
def notify(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if refused := _closed(request, project):
        return refused
    form = forms.NotifyForm(posted(request),
                            initial={"message_to_suppliers": project.message_to_suppliers})
    progress = selectors.supplier_progress(project)
    to_invite = project.suppliers.exclude(email="").filter(
        response__isnull=True, invited_at__isnull=True).count()
    if request.method == "POST" and form.is_valid():
        if not to_invite:
            messages.error(request, "There is nobody to invite: every supplier with an e-mail "
                                    "address has been invited or has answered.")
            return redirect("lm3:notify", project.pk)
        services.lm3_project_update(
            project, message_to_suppliers=form.cleaned_data["message_to_suppliers"]
        )
        sent = services.invitations_send(project, base_url=_base_url(request))
        messages.success(request, f"{sent:,} invitations are on their way. Answers appear "
                                  "here as they come in.")
        return redirect("lm3:progress", project.pk)
    sample = project.suppliers.exclude(email="").order_by("-spend").first()
    preview = render_to_string("lm3/email/survey.txt", {
        "project": project, "supplier": sample or Supplier(name="Example Supplier Ltd"),
        "url": _base_url(request) + "/lm3/survey/…/", "area": selectors.area_words(project),
        "expires": timezone.now() + timedelta(days=_link_days()), "reminder": False,
    })
    return render(request, "lm3/notify.html", {
        "project": project, "form": form, "progress": progress, "to_invite": to_invite,
        "preview": preview, "no_email": project.suppliers.filter(email="").count(),
        "link_days": _link_days(),
    })


def _link_days() -> int:
    from keepitlocal.web.surveys.services import link_days

    return link_days()


@org_required(role=Role.EDITOR)
@require_POST
def remind_all(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if refused := _closed(request, project):
        return refused
    sent = services.reminders_send(project, base_url=_base_url(request))
    messages.success(request, f"{sent:,} reminders are on their way." if sent else
                     "Nobody to remind: every invited supplier has answered.")
    return redirect("lm3:progress", project.pk)


@org_required()
@require_http_methods(["GET"])
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    waiting = Paginator(selectors.nonrespondents(project), PAGE_SIZE)
    return render(request, "lm3/progress.html", {
        "project": project, "progress": selectors.supplier_progress(project),
        "waiting": waiting.get_page(request.GET.get("page")),
        "recent": project.suppliers.filter(response__isnull=False)
        .select_related("response").order_by("-response__updated_at")[:10],
    })


@org_required()
@never_cache
@require_http_methods(["GET"])
def progress_json(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress page polls: counts, the confidence, and which listed rows answered."""
    project = _project(request, pk)
    data = selectors.supplier_progress(project).as_json()
    shown = [int(x) for x in request.GET.get("shown", "").split(",") if x.isdigit()][:200]
    data["answered"] = list(
        project.suppliers.filter(pk__in=shown, response__isnull=False)
        .values_list("pk", flat=True)
    )
    data["status"] = project.status
    return JsonResponse(data)


# --- results -----------------------------------------------------------------------------


def _result(project: Lm3Project) -> tuple[Any, list[Any]]:
    try:
        return services.lm3_result_compute(project), []
    except InputError as error:
        return None, error.problems
    except KeepItLocalError as error:
        return None, [str(error)]


@org_required()
@require_http_methods(["GET"])
def results(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    result, problems = _result(project)
    context: dict[str, Any] = {"project": project, "result": result, "problems": problems}
    if result is not None:
        context |= reports.result_context(result)
        context["chart"] = reports.plotly_figure(result)
    return render(request, "lm3/results.html", context)


@org_required()
@require_http_methods(["GET"])
def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    result, _ = _result(project)
    if result is None:
        messages.error(request, "The results cannot be computed yet: fix the problems listed.")
        return redirect("lm3:results", project.pk)
    pdf = reports.results_pdf(project, result)
    return download(pdf, f"{reports.slug(project)}-lm3.pdf", "application/pdf")


@org_required()
@require_http_methods(["GET"])
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    result, _ = _result(project)
    if result is None:
        messages.error(request, "The results cannot be computed yet: fix the problems listed.")
        return redirect("lm3:results", project.pk)
    return download(reports.results_csv(result).encode("utf-8-sig"),
                    f"{reports.slug(project)}-lm3.csv", "text/csv; charset=utf-8")


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if project.is_closed:
        return redirect("lm3:results", project.pk)
    if request.method == "POST":
        services.lm3_project_close(project)
        messages.success(request, f"{project} is closed: survey links no longer accept "
                                  "answers and the figures are final.")
        return redirect("lm3:results", project.pk)
    return render(request, "lm3/close.html", {
        "project": project, "progress": selectors.supplier_progress(project),
    })


@org_required(role=Role.EDITOR)
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if project.status == Status.CLOSED:
        services.lm3_project_reopen(project)
        messages.success(request, f"{project} is open again: survey links that have not "
                                  "expired accept answers.")
    return redirect("lm3:overview", project.pk)


@org_required()
@require_http_methods(["GET"])
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    document = lm3.project_to_dict(services.lm3_project_build(project))
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
    return download(text.encode("utf-8"), f"{reports.slug(project)}.json",
                    "application/json; charset=utf-8")


@org_required()
@require_http_methods(["GET"])
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    result, _ = _result(project)
    content = reports.project_workbook(services.lm3_project_build(project), result)
    return download(content, f"{reports.slug(project)}.xlsx", XLSX)


# --- Plotly, served from the installed package ---------------------------------------------


@cache
def _plotly_source() -> tuple[bytes, bytes]:
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    data = path.read_bytes()
    return data, gzip.compress(data, compresslevel=6)


@require_http_methods(["GET"])
def plotly_js(request: HttpRequest) -> HttpResponse:
    """plotly.min.js from the installed plotly package: local, and always its own version."""
    plain, packed = _plotly_source()
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(packed, content_type="text/javascript; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(plain, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "private, max-age=86400"
    response["Vary"] = "Accept-Encoding"
    return response


# --- the supplier's survey (public, through its e-mailed link) ---------------------------


@survey_link_view(SURVEY_PURPOSE)
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, link: Any, token: str) -> HttpResponse:
    """A supplier answers (or corrects) its two shares. The link names the supplier: nothing in
    the form can point at another one."""
    row = Supplier.objects.select_related("project", "project__organisation").filter(
        pk=link.target_id, project__organisation=link.organisation
    ).first()
    if row is None:
        raise Http404("No survey matches this link.")
    project = row.project
    words = selectors.area_words(project)
    existing = getattr(row, "response", None)
    initial = {}
    if existing is not None:
        initial = {"local_staff_percent": _pct(existing.local_staff_share),
                   "local_supplier_percent": _pct(existing.local_supplier_share),
                   "respondent": existing.respondent}
    form = forms.SurveyForm(posted(request), initial=initial, area=words)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.response_record(
                row, local_staff_share=data["local_staff_percent"] / 100,
                local_supplier_share=data["local_supplier_percent"] / 100,
                source=ResponseSource.SURVEY, respondent=data["respondent"],
            )
        except services.ProjectClosed:
            return render(request, "surveys/closed.html", {"link": link}, status=410)
        link_mark_used(link)
        return redirect(reverse("lm3:survey", kwargs={"token": token}) + "?saved=1")
    return render(request, "lm3/survey.html", {
        "supplier": row, "project": project, "organisation": project.organisation,
        "form": form, "area": words, "existing": existing, "link": link,
        "saved": request.GET.get("saved") == "1" and existing is not None,
    })

