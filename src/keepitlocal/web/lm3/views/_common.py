"""Helpers every LM3 page uses: the project of the signed-in organisation, the closed guard."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from keepitlocal.web.core import parsing
from keepitlocal.web.core.http import OrgRequest
from keepitlocal.web.lm3 import selectors, services, uploads
from keepitlocal.web.lm3.models import Lm3Project

PAGE_SIZE = 50
PROBLEM_ROWS_SHOWN = 50


def org_project(request: OrgRequest, pk: int) -> Lm3Project:
    return selectors.lm3_project_get(request.org, pk)


def refuse_if_closed(request: HttpRequest, project: Lm3Project) -> HttpResponse | None:
    """A closed project's data is frozen: say so instead of changing it."""
    if project.is_closed and request.method == "POST":
        messages.error(request, f"{project} is closed, so its data can no longer change. "
                                "Reopen it first if you need to.")
        return redirect("lm3:overview", project.pk)
    return None


def site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def typed_percent(share: Decimal) -> str:
    """0.2 as "20" and 0.125 as "12.5": how the percentage was typed, never "2E+1"."""
    text = f"{(share * 100).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def upload_staged(
    request: OrgRequest, project: Lm3Project, form: Any, layout: uploads.Layout, back: str,
) -> str | None:
    """Where a valid form's file goes next: its checked rows, or (for a file over
    KEEPITLOCAL_BACKGROUND_PARSE_MB) the page of its background check; None with the refusal
    on the form. `back` is the page to return to from a refused or cancelled check."""
    upload = form.cleaned_data["file"]
    if parsing.in_background(upload):
        job = services.upload_read_later(project, upload=upload, user=request.user,
                                         layout=layout, back=back)
        return parsing.status_url(job)
    try:
        staged = services.upload_read(project, name=upload.name, stream=upload,
                                      user=request.user, layout=layout)
    except uploads.UploadError as error:
        form.add_error("file", str(error))
        return None
    return reverse("lm3:upload", args=[project.pk, staged.pk])
