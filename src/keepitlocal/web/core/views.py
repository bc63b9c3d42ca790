"""The home page, the About page, placeholders for capabilities still to come, and the page of
a large upload being read in the background."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from keepitlocal.web.accounts.access import current_membership, org_required
from keepitlocal.web.accounts.models import Role
from keepitlocal.web.core import nav, parsing
from keepitlocal.web.core.http import OrgRequest, problem_summary
from keepitlocal.web.core.models import JobStatus, ParseJob


def home(request: HttpRequest) -> HttpResponse:
    capabilities = [item for item in nav.items() if item.key != "home"]
    return render(
        request,
        "core/home.html",
        {"capabilities": capabilities, "membership": current_membership(request)},
    )


@login_not_required
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def coming_soon(request: HttpRequest, key: str) -> HttpResponse:
    item = nav.get(key)
    if item is None or item.key == "home":
        raise Http404("No such capability.")
    return render(request, "core/coming_soon.html", {"item": item})


# --- a large upload being read by the background worker (core.parsing) ---------------------


def _job(request: OrgRequest, pk: int) -> ParseJob:
    return get_object_or_404(ParseJob.objects.for_org(request.org), pk=pk)


@org_required()
@require_http_methods(["GET"])
def upload_job(request: OrgRequest, pk: int) -> HttpResponse:
    """How far the worker has got with the file; once it is stored, the page the upload lands
    on in the request (with the same messages); if refused, why and what to do."""
    job = _job(request, pk)
    if job.status == JobStatus.DONE and job.landing:
        return redirect(parsing.announce(request, parsing.Landing(
            job.landing, [(level, text) for level, text in job.notes])))
    return render(request, "core/upload_job.html", {
        "job": job, "state": parsing.state(job), **problem_summary(job.problems)})


@org_required()
@never_cache
@require_http_methods(["GET"])
def upload_job_json(request: OrgRequest, pk: int) -> JsonResponse:
    return JsonResponse(parsing.state(_job(request, pk)))


@org_required(role=Role.EDITOR)
@require_POST
def upload_job_cancel(request: OrgRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if parsing.cancel(job):
        messages.success(request, f"The check of {job} is cancelled: nothing of it is kept.")
        return redirect(job.back)
    return redirect("core:upload_job", job.pk)
