"""LM3 results: the page, the PDF, the CSV and the project exports; closing a project."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from keepitlocal import lm3
from keepitlocal.errors import InputError, KeepItLocalError
from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.accounts.models import Role
from keepitlocal.web.core.http import XLSX, OrgRequest, download, problem_summary
from keepitlocal.web.lm3 import reports, selectors, services
from keepitlocal.web.lm3.models import Lm3Project, Status
from keepitlocal.web.lm3.views._common import org_project

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
def results(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    result, problems = _result(project)
    context: dict[str, Any] = {"project": project, "result": result,
                               **problem_summary(problems, shown=50)}
    if result is not None:
        context |= reports.result_context(result)
        context["chart"] = reports.plotly_figure(result)
    return render(request, "lm3/results.html", context)


@org_required()
@require_http_methods(["GET"])
def results_pdf(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    result, _ = _result(project)
    if result is None:
        messages.error(request, "The results cannot be computed yet: fix the problems listed.")
        return redirect("lm3:results", project.pk)
    pdf = reports.results_pdf(project, result)
    return download(pdf, f"{reports.slug(project)}-lm3.pdf", "application/pdf")


@org_required()
@require_http_methods(["GET"])
def results_csv(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    result, _ = _result(project)
    if result is None:
        messages.error(request, "The results cannot be computed yet: fix the problems listed.")
        return redirect("lm3:results", project.pk)
    return download(reports.results_csv(result).encode("utf-8-sig"),
                    f"{reports.slug(project)}-lm3.csv", "text/csv; charset=utf-8")


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def close(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
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
def reopen(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    if project.status == Status.CLOSED:
        services.lm3_project_reopen(project)
        messages.success(request, f"{project} is open again: survey links that have not "
                                  "expired accept answers.")
    return redirect("lm3:overview", project.pk)


@org_required()
@require_http_methods(["GET"])
def export_json(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    document = lm3.project_to_dict(services.lm3_project_build(project))
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
    return download(text.encode("utf-8"), f"{reports.slug(project)}.json",
                    "application/json; charset=utf-8")


@org_required()
@require_http_methods(["GET"])
def export_xlsx(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
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
