"""Self-assessment pages: assessments, independent rating, results, action plan, downloads,
network membership and the anonymised comparison across councils.

Every view goes through org_required and fetches rows through the current organisation
(`for_org`), so another organisation's assessment or action by URL is "Page not found"; viewers
read but cannot change anything (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from keepitlocal.framework import assessment as engine
from keepitlocal.framework.principles import commitments, maturity_scale
from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.accounts.models import OrganisationKind, Role, User
from keepitlocal.web.assessment import exports, selectors, services
from keepitlocal.web.assessment.forms import (
    ActionForm,
    AssessmentForm,
    ChampionForm,
    NetworkStatusForm,
    RatingForm,
)
from keepitlocal.web.assessment.models import Action, Assessment, Champion, Team
from keepitlocal.web.core.http import XLSX, OrgRequest, download, posted

EXPORTS = {
    "pdf": ("application/pdf", "report.pdf"),
    "xlsx": (XLSX, "ratings.xlsx"),
    "csv": ("text/csv; charset=utf-8", "ratings.csv"),
}


def _assessment(request: OrgRequest, pk: int) -> Assessment:
    return Assessment.objects.for_org(request.org).get_or_404(pk=pk)


def _user(request: HttpRequest) -> User:
    """The signed-in user (org_required has already turned anyone else away)."""
    assert isinstance(request.user, User)
    return request.user


@org_required()
@require_http_methods(["GET"])
def index(request: OrgRequest) -> HttpResponse:
    assessments = list(Assessment.objects.for_org(request.org).prefetch_related("raters"))
    status = selectors.membership(request.org)[2]
    return render(request, "assessment/index.html", {
        "assessments": assessments, "status": status,
        "scale": maturity_scale(), "is_council": request.org.kind == OrganisationKind.COUNCIL,
    })


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def create(request: OrgRequest) -> HttpResponse:
    form = AssessmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.organisation = request.org
        item.created_by = _user(request)
        item.save()
        messages.success(request, f"{item.title} is set up. Each colleague now rates it.")
        return redirect("assessment:detail", pk=item.pk)
    return render(request, "assessment/form.html", {"form": form, "heading": "New assessment",
                                                    "submit": "Create the assessment"})


@org_required()
@require_http_methods(["GET"])
def detail(request: OrgRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    mine = selectors.rater_for(item, _user(request))
    context: dict[str, Any] = {"assessment": item, "mine": mine,
                               "raters": list(item.raters.all())}
    if selectors.may_see_results(item, _user(request)):
        view = selectors.page(item)
        context.update({
            "view": view, "profiles": view.profile_rows(), "groups": view.grouped_statements(),
            "chart": selectors.profile_figure(view) if view.submitted else None,
            "gaps": view.result.gaps, "actions": item.actions.count(),
        })
    return render(request, "assessment/detail.html", context)


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def rate(request: OrgRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    mine = selectors.rater_for(item, _user(request))
    if mine is not None and mine.submitted:
        messages.info(request, "You have submitted your answers; they can no longer change.")
        return redirect("assessment:detail", pk=item.pk)
    submitting = "submit" in request.POST
    initial = RatingForm.initial_from(mine.team, list(mine.ratings.all())) if mine else {
        "team": Team.COMMISSIONING}
    form = RatingForm(posted(request), initial=initial, submitting=submitting)
    if request.method == "POST" and form.is_valid():
        services.save_ratings(item, _user(request), form.cleaned_data["team"], form.answers(),
                              submit=submitting)
        if submitting:
            messages.success(request, "Your answers are submitted. Here is the result so far.")
            return redirect("assessment:detail", pk=item.pk)
        messages.success(request, "Your draft is saved. Nobody else can see it.")
        return redirect("assessment:rate", pk=item.pk)
    return render(request, "assessment/rate.html", {
        "assessment": item, "form": form, "mine": mine, "scale": maturity_scale(),
    }, status=400 if form.errors else 200)


@org_required()
@require_http_methods(["GET", "POST"])
def actions(request: OrgRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    if request.method == "POST":
        added = services.generate_actions(item)
        messages.success(request, f"{added} actions were added from the gaps."
                         if added else "Every gap already has an action.")
        return redirect("assessment:actions", pk=item.pk)
    return render(request, "assessment/actions.html", {
        "assessment": item, "actions": list(item.actions.all()),
        "gaps": len(selectors.result(item).gaps),
        "can_see": selectors.may_see_results(item, _user(request)),
    })


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def action_edit(request: OrgRequest, pk: int, action_pk: int | None = None) -> HttpResponse:
    item = _assessment(request, pk)
    action = (Action.objects.for_org(request.org).get_or_404(pk=action_pk, assessment=item)
              if action_pk is not None else Action(organisation=request.org, assessment=item))
    form = ActionForm(posted(request), instance=action)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The action is saved.")
        return redirect("assessment:actions", pk=item.pk)
    return render(request, "assessment/form.html", {
        "form": form, "assessment": item,
        "heading": "Change an action" if action.pk else "Add an action", "submit": "Save",
    })


@org_required(role=Role.EDITOR)
@require_POST
def action_delete(request: OrgRequest, pk: int, action_pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    Action.objects.for_org(request.org).get_or_404(pk=action_pk, assessment=item).delete()
    messages.success(request, "The action is removed.")
    return redirect("assessment:actions", pk=item.pk)


@org_required()
@require_http_methods(["GET"])
def export(request: OrgRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404("No such download.")
    item = _assessment(request, pk)
    if not selectors.may_see_results(item, _user(request)):
        raise Http404("Submit your own answers first.")
    view = selectors.page(item)
    if fmt == "pdf":
        body = exports.report_pdf(view)
    elif fmt == "xlsx":
        body = exports.ratings_xlsx(view)
    else:
        body = exports.ratings_csv(view).encode("utf-8-sig")
    content_type, suffix = EXPORTS[fmt]
    name = f"self-assessment-{slugify(item.organisation.name)}-{item.assessed_on}-{suffix}"
    return download(body, name, content_type)


# --- network membership -----------------------------------------------------------------------


@org_required()
@require_http_methods(["GET", "POST"])
def network(request: OrgRequest) -> HttpResponse:
    status = selectors.network_status(request.org)
    form = NetworkStatusForm(posted(request), instance=status)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The membership record is saved.")
        return redirect("assessment:network")
    return _network_page(request, form, ChampionForm())


def _network_page(request: OrgRequest, form: NetworkStatusForm, champion_form: ChampionForm
                  ) -> HttpResponse:
    status, champions, summary = selectors.membership(request.org)
    return render(request, "assessment/network.html", {
        "form": form, "status": status, "champions": champions, "summary": summary,
        "commitments": commitments(), "champion_form": champion_form,
    }, status=400 if form.errors or champion_form.errors else 200)


@org_required(role=Role.EDITOR)
@require_POST
def champion_add(request: OrgRequest) -> HttpResponse:
    form = ChampionForm(request.POST)
    if form.is_valid():
        champion = form.save(commit=False)
        champion.organisation = request.org
        champion.save()
        messages.success(request, f"{champion.name} is added as a champion.")
        return redirect("assessment:network")
    return _network_page(
        request, NetworkStatusForm(instance=selectors.network_status(request.org)), form)


@org_required(role=Role.EDITOR)
@require_POST
def champion_delete(request: OrgRequest, champion_pk: int) -> HttpResponse:
    champion = Champion.objects.for_org(request.org).get_or_404(pk=champion_pk)
    champion.delete()
    messages.success(request, f"{champion.name} is removed.")
    return redirect("assessment:network")


# --- anonymised comparison across councils -----------------------------------------------------


@org_required()
@require_http_methods(["GET", "POST"])
def compare(request: OrgRequest) -> HttpResponse:
    is_council = request.org.kind == OrganisationKind.COUNCIL
    if request.method == "POST":
        if not request.membership.is_admin:
            raise PermissionDenied("Only an admin can choose whether the council shares.")
        services.set_opt_in(request.org, _user(request), request.POST.get("share") == "yes")
        messages.success(request, "Your choice is saved.")
        return redirect("assessment:compare")
    rows, sharing = selectors.network_rows(request.org)
    return render(request, "assessment/compare.html", {
        "rows": rows, "sharing": sharing, "opted_in": selectors.opted_in(request.org),
        "min_group": engine.MIN_GROUP, "is_council": is_council,
        "target": engine.DEFAULT_TARGET,
    })

