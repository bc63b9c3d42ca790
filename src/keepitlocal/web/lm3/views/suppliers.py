"""LM3 step 4: the supplier list, uploads and one supplier's answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.accounts.models import Role
from keepitlocal.web.core.http import XLSX, OrgRequest, download, posted
from keepitlocal.web.core.uploads import max_upload_mb
from keepitlocal.web.lm3 import forms, reports, selectors, services, uploads
from keepitlocal.web.lm3.models import (
    Lm3Project,
    ResponseSource,
    Supplier,
    SupplierUpload,
    UploadStatus,
)
from keepitlocal.web.lm3.views._common import (
    PAGE_SIZE,
    PROBLEM_ROWS_SHOWN,
    org_project,
    refuse_if_closed,
    site_url,
    typed_percent,
    upload_staged,
    yes_no,
)

# --- step 4: suppliers -------------------------------------------------------------------


@org_required()
@require_http_methods(["GET", "POST"])
def suppliers(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    if refused := refuse_if_closed(request, project):
        return refused
    form = forms.UploadForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid() and (target := upload_staged(
            request, project, form, uploads.SUPPLIERS,
            back=reverse("lm3:suppliers", args=[project.pk]))):
        return redirect(target)
    show, q = request.GET.get("show", ""), request.GET.get("q", "").strip()[:100]
    where = request.GET.get("where", "")
    sort = request.GET.get("sort", "name")
    sort = sort if sort in selectors.SUPPLIER_SORTS else "name"
    listed = selectors.suppliers_listed(project, show=show, q=q, where=where, sort=sort)
    page = Paginator(listed, PAGE_SIZE)
    return render(request, "lm3/suppliers.html", {
        "project": project, "form": form, "show": show, "q": q, "where": where, "sort": sort,
        "sorts": selectors.SUPPLIER_SORTS,
        "query": urlencode({"q": q, "show": show, "where": where, "sort": sort}) + "&",
        "page": page.get_page(request.GET.get("page")),
        "progress": selectors.supplier_progress(project),
        "uploads_list": project.uploads.filter(kind=uploads.SUPPLIERS.kind)[:10],
        "max_mb": max_upload_mb(),
    })


@require_http_methods(["GET"])
def template_csv(request: HttpRequest, kind: str = "suppliers") -> HttpResponse:
    return download(uploads.template_csv(uploads.LAYOUTS[kind]).encode("utf-8-sig"),
                    f"{kind}-template.csv", "text/csv; charset=utf-8")


@require_http_methods(["GET"])
def template_xlsx(request: HttpRequest, kind: str = "suppliers") -> HttpResponse:
    return download(uploads.template_xlsx(uploads.LAYOUTS[kind]), f"{kind}-template.xlsx", XLSX)


def _upload(request: OrgRequest, pk: int, upload: int) -> SupplierUpload:
    project = org_project(request, pk)
    return get_object_or_404(project.uploads.select_related("project"), pk=upload)


def _row_form(row: Any, layout: uploads.Layout) -> Any:
    form = forms.ROW_FORMS[layout.kind](
        {f"row{row.pk}-{k}": getattr(row, k) for k in layout.fields}, prefix=f"row{row.pk}"
    )
    form.is_valid()
    for field, message in (row.problems or {}).items():
        if field in form.fields:
            form.add_error(field, message)
    return form


@org_required()
@require_http_methods(["GET"])
def upload_preview(request: OrgRequest, pk: int, upload: int) -> HttpResponse:
    staged = _upload(request, pk, upload)
    layout = staged.layout
    problem_rows = list(staged.rows.filter(ok=False)[:PROBLEM_ROWS_SHOWN])
    ready = staged.rows.filter(ok=True).count()
    left_out = staged.rows.filter(ok=False).count() + staged.problems_not_kept
    labels = forms.ROW_FORMS[layout.kind].base_fields
    return render(request, "lm3/upload.html", {
        "project": staged.project, "upload": staged, "layout": layout, "ready": ready,
        "left_out": left_out,
        "problem_rows": [(row, _row_form(row, layout)) for row in problem_rows],
        "more_problems": max(0, left_out - len(problem_rows)),
        "problem_counts": [(labels[k].label if k in labels else "Row", n)
                           for k, n in sorted(staged.problem_counts.items())],
        "ready_sample": staged.rows.filter(ok=True)[:5],
        "problems_kept": services.PROBLEM_ROWS_KEPT,
    })


@org_required(role=Role.EDITOR)
@require_POST
def upload_row(request: OrgRequest, pk: int, upload: int, row: int) -> HttpResponse:
    staged = _upload(request, pk, upload)
    if refused := refuse_if_closed(request, staged.project):
        return refused
    if staged.status != UploadStatus.PREVIEW:
        messages.error(request, "This upload has already been imported.")
        return redirect("lm3:upload", pk, upload)
    record = get_object_or_404(staged.rows, pk=row)
    if request.POST.get("action") == "drop":
        services.upload_row_drop(record)
        messages.success(request, f"Row {record.row} will be left out.")
        return redirect(reverse("lm3:upload", args=[pk, upload]) + "#problems")
    layout = staged.layout
    form = forms.ROW_FORMS[layout.kind](request.POST, prefix=f"row{record.pk}")
    form.is_valid()
    services.upload_row_fix(record, {k: form.cleaned_data.get(k, "") for k in layout.fields})
    if record.ok:
        messages.success(request, f"Row {record.row} ({record.name}) is ready to import.")
    else:
        messages.error(request, f"Row {record.row} still has a problem.")
    return redirect(reverse("lm3:upload", args=[pk, upload]) + "#problems")


@org_required(role=Role.EDITOR)
@require_POST
def upload_import(request: OrgRequest, pk: int, upload: int) -> HttpResponse:
    staged = _upload(request, pk, upload)
    if refused := refuse_if_closed(request, staged.project):
        return refused
    if staged.status != UploadStatus.PREVIEW:
        return redirect("lm3:upload", pk, upload)
    imported, left_out = services.upload_import(staged)
    layout = staged.layout
    text = (f"Imported {imported:,} {layout.noun if imported == 1 else layout.plural} from "
            f"{staged.file_name}.")
    if left_out:
        text += (f" {left_out:,} row was left out: it is listed below." if left_out == 1 else
                 f" {left_out:,} rows were left out: they are listed below.")
    messages.success(request, text)
    return redirect("lm3:upload", pk, upload)


@org_required(role=Role.EDITOR)
@require_POST
def upload_cancel(request: OrgRequest, pk: int, upload: int) -> HttpResponse:
    staged = _upload(request, pk, upload)
    if staged.status == UploadStatus.PREVIEW:
        services.upload_cancel(staged)
        messages.success(request, f"The upload of {staged.file_name} is cancelled: nothing "
                                  "was imported and nothing of it is kept.")
    if staged.layout is uploads.STAFF:
        return redirect(reverse("lm3:budget", args=[pk]) + "#staff")
    return redirect("lm3:suppliers", pk)


@org_required()
@require_http_methods(["GET"])
def upload_problems_csv(request: OrgRequest, pk: int, upload: int) -> HttpResponse:
    staged = _upload(request, pk, upload)
    return download(reports.upload_problems_csv(staged).encode("utf-8-sig"),
                    f"rows-left-out-{staged.pk}.csv", "text/csv; charset=utf-8")


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def supplier_add(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    if refused := refuse_if_closed(request, project):
        return refused
    form = forms.SupplierForm(posted(request), initial={"local": ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if services.supplier_name_taken(project, data["name"]):
            form.add_error("name", f"{data['name']} is already in the project")
        else:
            supplier = services.supplier_save(
                project, name=data["name"], spend=data["spend"], contact=data["contact"],
                email=data["email"], postcode=data["postcode"], local=yes_no(data["local"]),
            )
            messages.success(request, f"Added {supplier}.")
            return redirect("lm3:suppliers", project.pk)
    return render(request, "lm3/supplier_form.html", {"project": project, "form": form,
                                                      "supplier": None})


def _supplier(request: OrgRequest, pk: int, supplier: int) -> tuple[Lm3Project, Supplier]:
    project = org_project(request, pk)
    return project, get_object_or_404(
        project.suppliers.select_related("response"), pk=supplier
    )


@org_required()
@require_http_methods(["GET", "POST"])
def supplier_detail(request: OrgRequest, pk: int, supplier: int) -> HttpResponse:
    project, row = _supplier(request, pk, supplier)
    if refused := refuse_if_closed(request, project):
        return refused
    if request.method == "POST" and request.POST.get("action") == "remove":
        services.supplier_remove(row)
        messages.success(request, f"Removed {row}.")
        return redirect("lm3:suppliers", project.pk)
    if request.method == "POST" and request.POST.get("action") == "remove-response":
        services.response_remove(row)
        messages.success(request, f"Removed the answer of {row}.")
        return redirect("lm3:supplier", project.pk, row.pk)
    local = {True: "yes", False: "no", None: ""}[row.local]
    form = forms.SupplierForm(posted(request), initial={
        "name": row.name, "contact": row.contact, "email": row.email, "spend": row.spend,
        "postcode": row.postcode, "local": local,
    })
    if request.method == "POST" and form.is_valid() and services.supplier_name_taken(
            project, form.cleaned_data["name"], other_than=row.pk):
        form.add_error("name", f"{form.cleaned_data['name']} is already in the project")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.supplier_save(
            project, supplier=row, name=data["name"], spend=data["spend"],
            contact=data["contact"], email=data["email"], postcode=data["postcode"],
            local=yes_no(data["local"]),
        )
        messages.success(request, f"Saved {row}.")
        return redirect("lm3:supplier", project.pk, row.pk)
    response = getattr(row, "response", None)
    return render(request, "lm3/supplier.html", {
        "project": project, "supplier": row, "form": form, "response": response,
        "place": selectors.supplier_places(project, [row])[0],
    })


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def supplier_response(request: OrgRequest, pk: int, supplier: int) -> HttpResponse:
    project, row = _supplier(request, pk, supplier)
    if refused := refuse_if_closed(request, project):
        return refused
    existing = getattr(row, "response", None)
    initial = {}
    if existing is not None:
        initial = {"local_staff_percent": typed_percent(existing.local_staff_share),
                   "local_supplier_percent": typed_percent(existing.local_supplier_share),
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


@org_required(role=Role.EDITOR)
@require_POST
def supplier_remind(request: OrgRequest, pk: int, supplier: int) -> HttpResponse:
    project, row = _supplier(request, pk, supplier)
    if refused := refuse_if_closed(request, project):
        return refused
    sent = services.reminders_send(project, base_url=site_url(request), supplier_ids=[row.pk])
    if sent:
        messages.success(request, f"A reminder is on its way to {row.email}.")
    else:
        messages.error(request, f"No reminder sent: {row} has answered, has no e-mail address, "
                                "or has not been invited yet.")
    return redirect(request.POST.get("next") or reverse("lm3:progress", args=[project.pk]))


@org_required()
@require_http_methods(["GET"])
def suppliers_csv(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    return download(reports.suppliers_csv(project).encode("utf-8-sig"),
                    f"{reports.slug(project)}-suppliers.csv", "text/csv; charset=utf-8")
