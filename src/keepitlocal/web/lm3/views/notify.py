"""LM3 step 5: inviting suppliers, reminders and the progress page."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.accounts.models import Role
from keepitlocal.web.core.http import OrgRequest, posted
from keepitlocal.web.lm3 import forms, selectors, services
from keepitlocal.web.lm3.models import Supplier
from keepitlocal.web.lm3.views._common import PAGE_SIZE, org_project, refuse_if_closed, site_url

# --- step 5: notify, then progress -------------------------------------------------------


@org_required()
@require_http_methods(["GET", "POST"])
def notify(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    if refused := refuse_if_closed(request, project):
        return refused
    form = forms.NotifyForm(posted(request),
                            initial={"message_to_suppliers": project.message_to_suppliers})
    progress = selectors.supplier_progress(project)
    to_invite = selectors.invitations_pending(project)
    if request.method == "POST" and form.is_valid():
        if not to_invite:
            messages.error(request, "There is nobody to invite: every supplier with an e-mail "
                                    "address has been invited or has answered.")
            return redirect("lm3:notify", project.pk)
        services.lm3_project_update(
            project, message_to_suppliers=form.cleaned_data["message_to_suppliers"]
        )
        sent = services.invitations_send(project, base_url=site_url(request))
        messages.success(request, f"{sent:,} invitations are on their way. Answers appear "
                                  "here as they come in.")
        return redirect("lm3:progress", project.pk)
    sample = selectors.invitation_sample(project)
    preview = render_to_string("lm3/email/survey.txt", {
        "project": project, "supplier": sample or Supplier(name="Example Supplier Ltd"),
        "url": site_url(request) + "/lm3/survey/…/", "area": selectors.area_words(project),
        "expires": timezone.now() + timedelta(days=_link_days()), "reminder": False,
    })
    return render(request, "lm3/notify.html", {
        "project": project, "form": form, "progress": progress, "to_invite": to_invite,
        "preview": preview, "no_email": selectors.suppliers_without_email(project),
        "link_days": _link_days(),
    })


def _link_days() -> int:
    from keepitlocal.web.surveys.services import link_days

    return link_days()


@org_required(role=Role.EDITOR)
@require_POST
def remind_all(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    if refused := refuse_if_closed(request, project):
        return refused
    sent = services.reminders_send(project, base_url=site_url(request))
    messages.success(request, f"{sent:,} reminders are on their way." if sent else
                     "Nobody to remind: every invited supplier has answered.")
    return redirect("lm3:progress", project.pk)


@org_required()
@require_http_methods(["GET"])
def progress(request: OrgRequest, pk: int) -> HttpResponse:
    project = org_project(request, pk)
    waiting = Paginator(selectors.nonrespondents(project), PAGE_SIZE)
    return render(request, "lm3/progress.html", {
        "project": project, "progress": selectors.supplier_progress(project),
        "waiting": waiting.get_page(request.GET.get("page")),
        "recent": selectors.recent_answers(project),
    })


@org_required()
@never_cache
@require_http_methods(["GET"])
def progress_json(request: OrgRequest, pk: int) -> JsonResponse:
    """What the progress page polls: counts, the confidence, and which listed rows answered."""
    project = org_project(request, pk)
    data = selectors.supplier_progress(project).as_json()
    shown = [int(x) for x in request.GET.get("shown", "").split(",") if x.isdigit()][:200]
    data["answered"] = selectors.answered_among(project, shown)
    data["status"] = project.status
    return JsonResponse(data)
