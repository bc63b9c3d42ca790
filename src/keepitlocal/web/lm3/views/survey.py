"""The supplier's survey, public through its e-mailed link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from keepitlocal.web.core.http import posted
from keepitlocal.web.lm3 import forms, selectors, services
from keepitlocal.web.lm3.models import SURVEY_PURPOSE, Supplier
from keepitlocal.web.lm3.views._common import typed_percent
from keepitlocal.web.surveys.services import TargetByToken, unavailable_context
from keepitlocal.web.surveys.views import survey_link_view

# --- the supplier's survey (public, through its e-mailed link) ---------------------------

# The link and its supplier (with project, organisation and answer) in the page's one query.
_supplier_by_token = TargetByToken(
    lambda: Supplier.objects.select_related("project", "project__organisation", "response"),
    owner="project__organisation_id",
)


@survey_link_view(SURVEY_PURPOSE, target=_supplier_by_token)
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, link: Any, token: str, row: Supplier) -> HttpResponse:
    """A supplier answers (or corrects) its two shares. The link names the supplier: nothing in
    the form can point at another one."""
    project = row.project
    words = selectors.area_words(project)
    existing = getattr(row, "response", None)
    initial = {}
    if existing is not None:
        initial = {"local_staff_percent": typed_percent(existing.local_staff_share),
                   "local_supplier_percent": typed_percent(existing.local_supplier_share),
                   "respondent": existing.respondent}
    form = forms.SurveyForm(posted(request), initial=initial, area=words)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_answer_record(
                row, link, local_staff_share=data["local_staff_percent"] / 100,
                local_supplier_share=data["local_supplier_percent"] / 100,
                respondent=data["respondent"],
            )
        except services.ProjectClosed:
            return render(request, "surveys/closed.html", unavailable_context(link), status=410)
        return redirect(reverse("lm3:survey", kwargs={"token": token}) + "?saved=1")
    return render(request, "lm3/survey.html", {
        "supplier": row, "project": project, "organisation": project.organisation,
        "form": form, "area": words, "existing": existing, "link": link,
        "saved": request.GET.get("saved") == "1" and existing is not None,
    })
