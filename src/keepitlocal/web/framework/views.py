"""Impact tracking pages: plans, the theory of change, indicators, measurements, evidence, reports.

Every view goes through org_required and fetches rows through the current organisation
(selectors.*_get use for_org), so another organisation's plan, value or file is "Page not found".
Viewers read everything and change nothing (POST needs an editor).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm, BaseModelForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from keepitlocal.framework.model import Period
from keepitlocal.framework.reference import KIND_LABELS, load_framework
from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.accounts.models import Role
from keepitlocal.web.core.areas import area_change, area_forms
from keepitlocal.web.core.http import XLSX, OrgRequest, download, posted
from keepitlocal.web.framework import feeds, forms, reports, selectors, services
from keepitlocal.web.framework.models import ImpactPlan, Indicator, Measurement


def _plan(request: OrgRequest, pk: int) -> ImpactPlan:
    return selectors.plan_get(request.org, pk)


def _name(request: HttpRequest) -> str:
    user: Any = request.user
    return str(getattr(user, "full_name", "") or getattr(user, "email", ""))


def _period_param(request: HttpRequest) -> str | None:
    text = request.GET.get("period", "").strip()
    if not text:
        return None
    try:
        return Period.parse(text).label
    except ValueError:
        raise Http404("Unknown period") from None


def _changed(
    request: HttpRequest,
    form: BaseForm,
    change: Callable[[dict[str, Any]], str],
    *,
    field: str | None = None,
) -> bool:
    """On a valid POST, make a change the services may refuse, from the form's cleaned values: a
    refusal (ValidationError) is shown on the form, a change made is announced with the message
    it returns."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        message = change(form.cleaned_data)
    except ValidationError as error:
        form.add_error(field, error)
        return False
    messages.success(request, message)
    return True


def _by(request: HttpRequest, values: dict[str, Any]) -> dict[str, Any]:
    """Who records a value, as the services take it: the signed-in user and the name typed."""
    return {"user": request.user, "recorded_by": values["recorded_by"]}


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    """A value as typed on the record and correct forms, as the services take it."""
    return {
        "value": values.get("value"),
        "statement": values.get("statement", ""),
        "source": values["source"],
    }


def _plan_saved(request: HttpRequest, form: BaseModelForm, plan: ImpactPlan, message: str) -> None:
    """Save a form over the plan, mark the plan changed and say so."""
    form.save()
    plan.touch()
    messages.success(request, message)


def _add_evidence(request: HttpRequest, measurement: Measurement, values: dict[str, Any]) -> int:
    """Attach a form's uploaded files and links to a value; how many were added."""
    added = services.evidence_add_files(measurement, values["files"], user=request.user)
    return added + services.evidence_add_links(measurement, values["links"], user=request.user)


def _to_indicator(plan: ImpactPlan, indicator_pk: int) -> HttpResponse:
    return redirect("framework:indicator", plan.pk, indicator_pk)


def _indicator_form(
    request: HttpRequest,
    template: str,
    plan: ImpactPlan,
    indicator: Indicator,
    form: BaseForm,
    change: Callable[[dict[str, Any]], str],
    *,
    field: str | None = None,
    **context: Any,
) -> HttpResponse:
    """A form page about one indicator of a plan: a change made goes back to the indicator, a
    GET or a refused change shows the form."""
    if _changed(request, form, change, field=field):
        return _to_indicator(plan, indicator.pk)
    return render(
        request,
        f"framework/{template}.html",
        {"plan": plan, "indicator": indicator, "form": form, **context},
    )


def _measurement_form(
    request: HttpRequest,
    plan: ImpactPlan,
    indicator: Indicator,
    form: BaseForm,
    change: Callable[[dict[str, Any]], str],
    **context: Any,
) -> HttpResponse:
    """The page recording or correcting one value of an indicator."""
    return _indicator_form(request, "measurement_form", plan, indicator, form, change, **context)


@org_required()
@require_http_methods(["GET"])
def index(request: OrgRequest) -> HttpResponse:
    plans = [selectors.plan_view(p) for p in selectors.plans_for(request.org)]
    return render(request, "framework/index.html", {"plans": plans, "framework": load_framework()})


@org_required()
@require_http_methods(["GET"])
def bank(request: OrgRequest) -> HttpResponse:
    framework = load_framework()
    groups = [
        {
            "characteristic": c,
            "activities": framework.activities_of(c.number),
            "kinds": [
                (
                    KIND_LABELS[k] + ("s" if k != "example" else ""),
                    [i for i in framework.indicators_of(c.number) if i.kind == k],
                )
                for k in ("example", "key", "other")
            ],
        }
        for c in framework.characteristics
    ]
    return render(request, "framework/bank.html", {"framework": framework, "groups": groups})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def plan_create(request: OrgRequest) -> HttpResponse:
    form = forms.PlanCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(org=request.org, name=form.cleaned_data["name"])
        messages.success(request, "The plan is started. Set out your theory of change.")
        return redirect("framework:theory", plan.pk)
    return render(request, "framework/plan_create.html", {"form": form})


@org_required()
@require_http_methods(["GET"])
def plan_detail(request: OrgRequest, pk: int) -> HttpResponse:
    view = selectors.plan_view(_plan(request, pk))
    return render(
        request,
        "framework/plan.html",
        {
            **reports.report_context(view),
            "rows": reports.rows(view),
            "checklist": view.report.checklist,
        },
    )


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def theory(request: OrgRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = forms.TheoryForm(posted(request), instance=plan)
    if request.method == "POST" and form.is_valid():
        _plan_saved(request, form, plan, "Your theory of change is saved.")
        return redirect("framework:area", plan.pk)
    return render(request, "framework/theory.html", {"form": form, "plan": plan})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def area(request: OrgRequest, pk: int) -> HttpResponse:
    """The area: council areas through the shared picker, or the LM3 step's radius."""
    from keepitlocal.geo import lad_name

    plan = _plan(request, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    add, radius = area_forms(
        request.POST, action, radius_km=plan.area_radius_km, centre=plan.area_centre
    )
    name = forms.AreaNameForm(
        request.POST if action == "name" else None, initial={"area_name": plan.area_name}
    )
    if request.method == "POST":
        if said := area_change(services, plan, action, request.POST, add, radius):
            messages.success(request, said)
            return redirect("framework:area", plan.pk)
        if action == "name" and name.is_valid():
            services.plan_update(plan, area_name=name.cleaned_data["area_name"])
            messages.success(request, "The name of the area is saved.")
            return redirect("framework:area", plan.pk)
        if action not in ("radius", "name", "add-lad"):
            raise Http404("Unknown action")
    return render(
        request,
        "framework/area.html",
        {
            "plan": plan,
            "add": add,
            "radius": radius,
            "name_form": name,
            "chosen": [(c, lad_name(c) or c) for c in plan.area_lads],
            "description": selectors.area_of(plan).describe(),
        },
    )


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def indicator_add(request: OrgRequest, pk: int) -> HttpResponse:
    """Choose an indicator from the bank under one characteristic, or go on to make your own."""
    plan = _plan(request, pk)
    framework = load_framework()
    try:
        number = int(request.GET.get("characteristic") or (plan.characteristics or [1])[0])
        characteristic = framework.characteristic(number)
    except (ValueError, IndexError):
        raise Http404("Unknown characteristic") from None
    form = forms.BankChoiceForm(posted(request), characteristic=number)
    if request.method == "POST" and form.is_valid():
        indicator = services.indicator_from_bank(plan, form.cleaned_data["indicator"])
        messages.success(request, f"Added “{indicator.label}”. Set its baseline and target.")
        return redirect("framework:indicator_edit", plan.pk, indicator.pk)
    return render(
        request,
        "framework/indicator_add.html",
        {
            "plan": plan,
            "form": form,
            "characteristic": characteristic,
            "characteristics": framework.characteristics,
        },
    )


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def indicator_edit(request: OrgRequest, pk: int, indicator_pk: int | None = None) -> HttpResponse:
    plan = _plan(request, pk)
    indicator = (
        selectors.indicator_get(plan, indicator_pk)
        if indicator_pk is not None
        else Indicator(organisation=plan.organisation, plan=plan)
    )
    bank = load_framework().indicator(indicator.bank_id) if indicator.bank_id else None
    form = forms.IndicatorForm(posted(request), instance=indicator, from_bank=bank is not None)
    if request.method == "POST" and form.is_valid():
        services.indicator_save(form.save(commit=False))
        messages.success(request, f"“{indicator.label}” is saved.")
        return redirect("framework:indicator", plan.pk, indicator.pk)
    return render(
        request,
        "framework/indicator_form.html",
        {
            "plan": plan,
            "indicator": indicator,
            "form": form,
            "bank": bank,
        },
    )


@org_required()
@require_http_methods(["GET"])
def indicator_detail(request: OrgRequest, pk: int, indicator_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    indicator = selectors.indicator_get(plan, indicator_pk)
    view = selectors.plan_view(plan)
    row = next(r for r in reports.rows(view) if r.indicator.pk == indicator.pk)
    periods: dict[str, list[Measurement]] = {}
    for measurement in view.measurements.get(indicator.pk, []):
        periods.setdefault(measurement.period, []).append(measurement)
    history = [
        {
            "period": period,
            "current": revisions[-1],
            "earlier": revisions[:-1][::-1],
            "evidence": view.evidence.get((indicator.pk, period), []),
            "fed": view.fed.get(revisions[-1].pk),
            "was": selectors.changed_since_recorded(revisions[-1], view.fed[revisions[-1].pk])
            if revisions[-1].pk in view.fed
            else None,
        }
        for period, revisions in sorted(periods.items(), key=lambda kv: Period.parse(kv[0]))
    ]
    chart = row.chart()
    return render(
        request,
        "framework/indicator.html",
        {
            "plan": plan,
            "indicator": indicator,
            "row": row,
            "history": history,
            "charts": [{"id": f"chart-{indicator.pk}", "figure": chart}] if chart else [],
            "feeds": feeds.feeds_for_unit(indicator.unit),
            "bank": load_framework().indicator(indicator.bank_id) if indicator.bank_id else None,
        },
    )


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def measurement_record(request: OrgRequest, pk: int, indicator_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    indicator = selectors.indicator_get(plan, indicator_pk)
    data = posted(request)
    form = forms.MeasurementForm(
        data,
        request.FILES if data is not None else None,
        unit=indicator.unit,
        initial={"recorded_by": _name(request)},
    )

    def record(values: dict[str, Any]) -> str:
        measurement = services.measurement_record(
            indicator, period=values["period"], **_by(request, values), **_typed(values)
        )
        _add_evidence(request, measurement, values)
        return f"The {values['period']} value is recorded."

    return _measurement_form(
        request, plan, indicator, form, record, multipart=True, heading="Record a value"
    )


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def measurement_correct(request: OrgRequest, pk: int, measurement_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    current = selectors.measurement_get(plan, measurement_pk)
    indicator = current.indicator
    form = forms.CorrectionForm(
        posted(request),
        unit=indicator.unit,
        initial={
            "recorded_by": _name(request),
            "value": None if current.value is None else f"{current.value.normalize():f}",
            "statement": current.statement,
            "source": current.source,
        },
    )

    def correct(values: dict[str, Any]) -> str:
        services.measurement_correct(
            current, reason=values["reason"], **_by(request, values), **_typed(values)
        )
        return f"The {current.period} value is corrected; the earlier value is kept in its history."

    heading = f"Correct the {current.period} value"
    return _measurement_form(
        request, plan, indicator, form, correct, current=current, heading=heading
    )


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def measurement_check(request: OrgRequest, pk: int, measurement_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    measurement = selectors.measurement_get(plan, measurement_pk)
    form = forms.CheckForm(posted(request), initial={"checked_by": _name(request)})

    def check(values: dict[str, Any]) -> str:
        services.measurement_check(measurement, **values)
        quality = measurement.get_quality_display().lower()
        return f"The {measurement.period} value is {quality}."

    return _indicator_form(
        request,
        "check_form",
        plan,
        measurement.indicator,
        form,
        check,
        field="checked_by",
        measurement=measurement,
    )


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def evidence_add(request: OrgRequest, pk: int, measurement_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    measurement = selectors.measurement_get(plan, measurement_pk)
    data = posted(request)
    form = forms.EvidenceForm(data, request.FILES if data is not None else None)

    def add(values: dict[str, Any]) -> str:
        added = _add_evidence(request, measurement, values)
        return f"{added} piece{'s' if added != 1 else ''} of evidence added."

    return _indicator_form(
        request, "evidence_form", plan, measurement.indicator, form, add, measurement=measurement
    )


@org_required()
@require_http_methods(["GET"])
def evidence_download(request: OrgRequest, pk: int, evidence_pk: int) -> HttpResponseBase:
    evidence = selectors.evidence_get(_plan(request, pk), evidence_pk)
    if not evidence.file:
        return redirect(evidence.url)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@org_required(role=Role.EDITOR)
@require_POST
def evidence_remove(request: OrgRequest, pk: int, evidence_pk: int) -> HttpResponse:
    evidence = selectors.evidence_get(_plan(request, pk), evidence_pk)
    indicator_pk = evidence.measurement.indicator_id
    services.evidence_remove(evidence)
    messages.success(request, f"Removed {evidence.name}.")
    return redirect("framework:indicator", pk, indicator_pk)


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def feed_link(request: OrgRequest, pk: int, indicator_pk: int, feed: str) -> HttpResponse:
    """Take an indicator's value from an LM3, local spend or Enabled Contribution result."""
    plan = _plan(request, pk)
    indicator = selectors.indicator_get(plan, indicator_pk)
    chosen = feeds.FEEDS.get(feed)
    if chosen is None or chosen.unit != indicator.unit:
        raise Http404("No such measured result for this indicator")
    choices = feeds.sources(request.org, chosen)
    form = forms.FeedForm(
        posted(request), feed=chosen, choices=choices, initial={"recorded_by": _name(request)}
    )

    def link(values: dict[str, Any]) -> str:
        services.feed_record(
            indicator,
            period=values["period"],
            feed=chosen.key,
            object_id=values["source"],
            **_by(request, values),
        )
        return f"The {values['period']} value now comes from the result."

    return _indicator_form(
        request, "feed_form", plan, indicator, form, link, feed=chosen, choices=choices
    )


@org_required()
@require_http_methods(["GET", "POST"])
def steps(request: OrgRequest, pk: int) -> HttpResponse:
    """The 10 steps as a checklist, with the notes of steps 2 and 7-10."""
    plan = _plan(request, pk)
    form = forms.StepsForm(posted(request), instance=plan)
    if request.method == "POST" and form.is_valid():
        _plan_saved(request, form, plan, "Your notes on the steps are saved.")
        return redirect("framework:steps", plan.pk)
    view = selectors.plan_view(plan)
    return render(
        request,
        "framework/steps.html",
        {
            "plan": plan,
            "form": form,
            "checklist": view.report.checklist,
        },
    )


@org_required()
@require_http_methods(["GET"])
def report(request: OrgRequest, pk: int) -> HttpResponse:
    view = selectors.plan_view(_plan(request, pk), _period_param(request))
    return render(request, "framework/report.html", reports.report_context(view))


@org_required()
@require_http_methods(["GET"])
def report_download(request: OrgRequest, pk: int, fmt: str) -> HttpResponse:
    view = selectors.plan_view(_plan(request, pk), _period_param(request))
    name = reports.slug(view) + (f"-{view.report.period.label}" if view.report.period else "")
    if fmt == "pdf":
        return download(reports.report_pdf(view), f"{name}.pdf", "application/pdf")
    if fmt == "xlsx":
        return download(reports.report_xlsx(view), f"{name}.xlsx", XLSX)
    raise Http404("Unknown format")
