"""Local spend pages: thin views over services (writes), selectors (reads) and reports.

Every view goes through `org_required` and fetches through the current organisation, so another
organisation's analysis, file, run or drill-down is "Page not found".
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from keepitlocal.parameters import value
from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.accounts.models import Role
from keepitlocal.web.core import parsing
from keepitlocal.web.core.fields import AreaField
from keepitlocal.web.core.forms import field_of
from keepitlocal.web.core.http import XLSX, OrgRequest, confirmed, download, posted
from keepitlocal.web.core.uploads import UploadError, max_upload_mb
from keepitlocal.web.spend import forms, reports, selectors, services
from keepitlocal.web.spend.models import (
    NO_MATCH,
    AnalysisRun,
    NationalKind,
    RunStatus,
    SpendAnalysis,
)

NATIONAL_FORMS: dict[str, Any] = {
    NationalKind.COMPANIES_HOUSE.value: forms.CompaniesHouseUploadForm,
    NationalKind.CHARITIES.value: forms.CharitiesUploadForm,
}
LINES_PAGE = 50
REVIEW_PAGE = 20


def _analysis(request: OrgRequest, pk: int) -> SpendAnalysis:
    return selectors.analysis_get(request.org, pk)


def _area_note(request: HttpRequest, form: Any) -> None:
    """Say so when a former district was turned into the council that covers it now."""
    choice = field_of(form, "council_code", AreaField).choice
    if choice is not None and choice.note:
        messages.info(request, choice.note)


def _ajax(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


# --- analyses ------------------------------------------------------------------------------


@org_required()
@require_http_methods(["GET"])
def index(request: OrgRequest) -> HttpResponse:
    analyses = selectors.analysis_list(request.org)
    return render(request, "spend/index.html", {"analyses": analyses})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def create(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = forms.AnalysisForm(posted(request), initial={
        "council_code": org.lad_code,
        "shift_percent": forms.percent_text(value("spend", "shift_share"))})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        analysis = services.analysis_create(
            org=org, user=request.user, name=data["name"], council_code=data["council_code"],
            target_share=data["target_percent"], shift_share=data["shift_percent"],
            tiers=data["tiers_json"])
        messages.success(request, f"{analysis} is set up. Next, upload the ledgers and the "
                                  "supplier register.")
        _area_note(request, form)
        return redirect("spend:files", analysis.pk)
    return render(request, "spend/analysis_form.html", {"form": form, "analysis": None})


@org_required()
@require_http_methods(["GET"])
def tiers_help(request: OrgRequest) -> HttpResponse:
    """How to write your own tiers, with the preset of the organisation's council to start
    from (the engine's own preset, as the JSON the tiers box takes)."""
    import json

    from keepitlocal.errors import InputError
    from keepitlocal.spend import tiers as spend_tiers

    code = request.GET.get("council") or request.org.lad_code or ""
    try:
        example = json.dumps(spend_tiers.preset(code).to_spec(), indent=2)
    except InputError:
        example = ""
    return render(request, "spend/tiers_help.html", {
        "example": example, "council": selectors.council_name(code) if example else ""})


@org_required()
@require_http_methods(["GET"])
def overview(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    run = analysis.latest_run
    done = analysis.latest_result_run
    ledgers = list(analysis.ledgers.all())
    return render(request, "spend/overview.html", {
        "analysis": analysis, "run": run, "done": done,
        "ledgers": [(ledger, selectors.missing_fields(ledger)) for ledger in ledgers],
        "register": analysis.registers.first(),
        "problems": selectors.readiness(analysis),
        "stale": selectors.is_stale(analysis, done),
        "council": selectors.council_name(analysis.council_code),
        "rules": (analysis.exclusion_rules or {}).get("rules", []),
        "waiting": len(selectors.review_entries(done, analysis.organisation)),
        "rows": sum(f.rows for f in ledgers if not f.left_out),
        "used": sum(1 for f in ledgers if not f.left_out),
        "left_out": [f for f in ledgers if f.left_out],
    })


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def edit(request: OrgRequest, pk: int) -> HttpResponse:
    import json

    analysis = _analysis(request, pk)
    form = forms.AnalysisForm(posted(request), initial={
        "name": analysis.name, "council_code": analysis.council_code,
        "target_percent": forms.percent_text(analysis.target_share),
        "shift_percent": forms.percent_text(analysis.shift_share),
        "tiers_json": json.dumps(analysis.tiers, indent=2) if analysis.tiers else "",
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.analysis_update(
            analysis, name=data["name"], council_code=data["council_code"],
            target_share=data["target_percent"], shift_share=data["shift_percent"],
            tiers=data["tiers_json"])
        messages.success(request, "The settings are saved. Run the analysis again to see "
                                  "their effect.")
        _area_note(request, form)
        return redirect("spend:overview", analysis.pk)
    return render(request, "spend/analysis_form.html", {"form": form, "analysis": analysis})


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def delete(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)

    def delete() -> str:
        name = str(analysis)
        services.analysis_delete(analysis)
        return f"{name} is deleted, with its files and results."

    return confirmed(request, delete, then=reverse("spend:index"), template="spend/delete.html",
                     context={"analysis": analysis})


# --- files ---------------------------------------------------------------------------------


@org_required()
@require_http_methods(["GET", "POST"])
def files(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    if action not in (None, "ledger", "register", *NATIONAL_FORMS):
        raise Http404("Unknown action")

    def bound(name: str, form_class: Any) -> Any:
        return form_class(request.POST if action == name else None,
                          request.FILES if action == name else None, prefix=name)

    ledger_form = bound("ledger", forms.FileUploadForm)
    register_form = bound("register", forms.RegisterUploadForm)
    national_forms = {kind: bound(kind, form_class)
                      for kind, form_class in NATIONAL_FORMS.items()}
    form = {"ledger": ledger_form, "register": register_form, **national_forms}.get(
        action or "")
    if action and form is not None and form.is_valid():
        upload = form.cleaned_data["file"]
        if parsing.in_background(upload):
            job = services.upload_later(analysis, action=action, upload=upload,
                                        user=request.user)
            target = parsing.status_url(job)
            return JsonResponse({"redirect": target}) if _ajax(request) else redirect(target)
        try:
            if action == "ledger":
                landing = services.ledger_uploaded(
                    services.ledger_add(analysis, upload=upload, user=request.user))
            elif action == "register":
                landing = services.register_uploaded(
                    services.register_set(analysis, upload=upload, user=request.user))
            else:
                landing = services.national_uploaded(services.national_set(
                    analysis, kind=action, upload=upload, user=request.user))
        except UploadError as refused:
            for problem in refused.problems[:10]:
                form.add_error("file", str(problem))
        else:
            target = parsing.announce(request, landing)
            if _ajax(request):
                return JsonResponse({"redirect": target})
            return redirect(target)
    loaded = selectors.national_files(analysis)
    return render(request, "spend/files.html", {
        "analysis": analysis, "ledger_form": ledger_form, "register_form": register_form,
        "form": form if action else None,
        "ledgers": [(f, selectors.missing_fields(f)) for f in analysis.ledgers.all()],
        "register": analysis.registers.first(),
        "national": [(kind, national_forms[kind], loaded.get(kind)) for kind in NATIONAL_FORMS],
        "national_loaded": bool(loaded),
        "max_mb": max_upload_mb(),
    })


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def columns(request: OrgRequest, pk: int, ledger: int) -> HttpResponse:
    """The column step: what the engine found and why, the file's first rows, and the three
    choices a person can make (header row, period for the whole file, what each column holds)."""
    analysis = _analysis(request, pk)
    row = selectors.ledger_get(analysis, ledger)
    action = request.POST.get("action", "mapping") if request.method == "POST" else None
    if action not in (None, "mapping", "header_row", "period"):
        raise Http404("Unknown action")
    header_form = forms.HeaderRowForm(request.POST if action == "header_row" else None,
                                      rows=max(len(row.head), row.header_row),
                                      initial=row.header_row)
    period_form = forms.PeriodForm(request.POST if action == "period" else None,
                                   initial=row.period or "")
    back = reverse("spend:columns", args=[analysis.pk, row.pk])
    if action == "header_row" and header_form.is_valid():
        try:
            services.ledger_header_row_set(row, header_form.cleaned_data["header_row"])
        except UploadError as refused:
            header_form.add_error("header_row", "; ".join(map(str, refused.problems[:3])))
        else:
            messages.success(request, f"The column names of {row} are now read from row "
                                      f"{row.header_row}. Check the columns below.")
            return redirect(back + "#columns")
    if action == "period" and period_form.is_valid():
        period = period_form.cleaned_data["period"]
        services.ledger_period_set(row, period)
        messages.success(request, f"Every line of {row} is counted in {period}." if period
                         else f"{row} has no period of its own now: its date column is used.")
        return redirect(back)
    remembered = selectors.remembered_mapping(row)
    mapping = selectors.mapping_for(row)
    roles = {header: field for field, header in mapping.items() if header}
    form = forms.MappingForm(request.POST if action == "mapping" else None,
                             headers=list(row.headers), initial_roles=roles,
                             period_given=bool(row.period))
    if action == "mapping" and form.is_valid():
        services.mapping_save(row, form.cleaned_data["mapping"], request.user)
        messages.success(request, f"The columns of {row} are saved, and will be used for every "
                                  "file with the same header row.")
        return redirect("spend:files", analysis.pk)
    found = selectors.detection(row)
    return render(request, "spend/columns.html", {
        "analysis": analysis, "ledger": row, "form": form, "remembered": remembered is not None,
        "rows": selectors.column_rows(row, mapping),
        "choices": forms.ROLE_CHOICES, "found": found,
        "explained": [(selectors.FIELD_LABELS[f], c) for f, c in found.choices.items()],
        "missing": [selectors.FIELD_LABELS[f] for f in found.missing],
        "date_missing": "date" in found.missing and not mapping.get("date"),
        "header_form": header_form, "period_form": period_form,
        "suggested_period": selectors.suggested_period(row),
        **selectors.head_table(row),
        "errors_form": next((f for f in (form, header_form, period_form) if f.errors), None),
    })


@org_required(role=Role.EDITOR)
@require_POST
def ledger_remove(request: OrgRequest, pk: int, ledger: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    row = selectors.ledger_get(analysis, ledger)
    services.ledger_remove(row)
    messages.success(request, f"Removed {row}.")
    return redirect("spend:files", analysis.pk)


@org_required(role=Role.EDITOR)
@require_POST
def ledger_leave_out(request: OrgRequest, pk: int, ledger: int) -> HttpResponse:
    """"Analyse the rest without it" for a file that cannot be mapped, or include it again."""
    analysis = _analysis(request, pk)
    row = selectors.ledger_get(analysis, ledger)
    left_out = request.POST.get("left_out") == "yes"
    services.ledger_leave_out(row, left_out)
    messages.success(request, f"{row} is left out: the analysis runs on the other files."
                     if left_out else f"{row} is back in the analysis.")
    return redirect(reverse("spend:files", args=[analysis.pk]) + f"#ledger-{row.pk}")


@org_required(role=Role.EDITOR)
@require_POST
def register_remove(request: OrgRequest, pk: int, register: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    row = selectors.register_get(analysis, register)
    services.register_remove(row)
    messages.success(request, f"Removed the supplier register {row}.")
    return redirect(reverse("spend:files", args=[analysis.pk]) + "#register")


@org_required(role=Role.EDITOR)
@require_POST
def national_remove(request: OrgRequest, pk: int, national: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    row = selectors.national_get(analysis, national)
    services.national_remove(row)
    messages.success(request, f"Removed the {row.get_kind_display()} {row}.")
    return redirect(reverse("spend:files", args=[analysis.pk]) + "#national")


# --- running -------------------------------------------------------------------------------


@org_required(role=Role.EDITOR)
@require_POST
def run(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    problems = selectors.readiness(analysis)
    if problems:
        messages.error(request, "The analysis cannot run yet: " + " ".join(problems))
        return redirect("spend:overview", analysis.pk)
    started = services.run_start(analysis, request.user)
    return redirect("spend:run_status", analysis.pk, started.pk)


@org_required()
@require_http_methods(["GET"])
def run_status(request: OrgRequest, pk: int, run_id: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    row = selectors.run_get(analysis, run_id)
    done = analysis.latest_result_run
    if row.status == RunStatus.DONE and done is not None and done.pk == row.pk:
        # Finished before the page was opened: go straight on to the figures.
        finished = row.finished_at.strftime("%H:%M") if row.finished_at else ""
        messages.success(request, f"The analysis finished{' at ' + finished if finished else ''}"
                                  ": these are its figures.")
        return redirect("spend:dashboard", analysis.pk)
    return render(request, "spend/run.html", {
        "analysis": analysis, "run": row, "data": selectors.run_state(analysis, row),
    })


@org_required()
@never_cache
@require_http_methods(["GET"])
def run_json(request: OrgRequest, pk: int, run_id: int) -> JsonResponse:
    analysis = _analysis(request, pk)
    row = selectors.run_get(analysis, run_id)
    return JsonResponse(selectors.run_state(analysis, row))


# --- results -------------------------------------------------------------------------------


def _done(request: HttpRequest, analysis: SpendAnalysis) -> AnalysisRun | None:
    done = analysis.latest_result_run
    if done is None or not done.result:
        return None
    return done


@org_required()
@require_http_methods(["GET"])
def dashboard(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    done = _done(request, analysis)
    context: dict[str, Any] = {"analysis": analysis, "done": done,
                               "latest": analysis.latest_run}
    if done is not None:
        context |= reports.dashboard_context(analysis, done)
        context["stale"] = selectors.is_stale(analysis, done)
        context["waiting"] = len(selectors.review_entries(done, analysis.organisation))
        context["left_out"] = list(analysis.ledgers.filter(left_out=True))
    return render(request, "spend/dashboard.html", context)


@org_required()
@require_http_methods(["GET"])
def lines(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    done = _done(request, analysis)
    if done is None:
        raise Http404("No results yet")
    filters, kind = selectors.clean_filters(request.GET)
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    rows = selectors.drill(done, filters, kind, limit=number * LINES_PAGE + 1)
    query = {k: v for k, v in {**filters, "kind": kind}.items() if v != ""}
    page_rows = rows[(number - 1) * LINES_PAGE: number * LINES_PAGE] if rows is not None else []
    return render(request, "spend/lines.html", {
        "analysis": analysis, "done": done, "rows": page_rows, "kept": rows is not None,
        "number": number, "first": (number - 1) * LINES_PAGE + 1,
        "last": (number - 1) * LINES_PAGE + len(page_rows),
        "has_next": rows is not None and len(rows) > number * LINES_PAGE,
        "query": urlencode(query), "title": selectors.describe_filters(
            filters, kind, done.result or {}),
    })


@org_required()
@require_http_methods(["GET"])
def lines_csv(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    done = _done(request, analysis)
    if done is None:
        raise Http404("No results yet")
    filters, kind = selectors.clean_filters(request.GET)
    rows = selectors.drill(done, filters, kind)
    if rows is None:
        raise Http404("The lines of this run are no longer kept")
    return download(reports.lines_csv(rows).encode("utf-8-sig"),
                    f"{reports.slug(analysis)}-lines.csv", "text/csv; charset=utf-8")


@org_required()
@require_http_methods(["GET", "POST"])
def review(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    org = analysis.organisation
    done = _done(request, analysis)
    if request.method == "POST":
        ledger_name = request.POST.get("ledger_name", "")
        choice = request.POST.get("choice", "")
        chosen = selectors.review_candidate(done, ledger_name, choice) if choice else None
        if chosen is None:
            messages.error(request, f"Choose a supplier from the register for “{ledger_name}”, "
                                    "or “no match”.")
            return redirect(reverse("spend:review", args=[analysis.pk]))
        register_id, register_name = chosen
        services.decision_save(org, ledger_name=ledger_name, register_id=register_id,
                               register_name=register_name, user=request.user)
        said = "has no match in the register" if register_id == NO_MATCH else \
            f"is {register_name}"
        messages.success(request, f"Saved: “{ledger_name}” {said}. Run the analysis again to "
                                  "use the decision.")
        return redirect(reverse("spend:review", args=[analysis.pk]))
    entries = selectors.review_entries(done, org)
    page = Paginator(entries, REVIEW_PAGE).get_page(request.GET.get("page"))
    decisions = selectors.MatchDecision.objects.for_org(org)
    return render(request, "spend/review.html", {
        "analysis": analysis, "done": done, "page": page, "entries": entries,
        "decisions": decisions, "stale": selectors.is_stale(analysis, done),
        "no_match": NO_MATCH,
    })


@org_required(role=Role.EDITOR)
@require_POST
def decision_remove(request: OrgRequest, pk: int, decision: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    row = selectors.decision_get(analysis.organisation, decision)
    services.decision_remove(row)
    messages.success(request, f"Forgot the decision for “{row.ledger_name}”. Run the analysis "
                              "again to match it afresh.")
    return redirect(reverse("spend:review", args=[analysis.pk]) + "#decisions")


# --- exports -------------------------------------------------------------------------------


def _export_run(request: HttpRequest, analysis: SpendAnalysis) -> AnalysisRun:
    done = _done(request, analysis)
    if done is None:
        raise Http404("No results yet")
    return done


@org_required()
@require_http_methods(["GET"])
def figures_csv(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    done = _export_run(request, analysis)
    return download(reports.figures_csv(done.result or {}).encode("utf-8-sig"),
                    f"{reports.slug(analysis)}-figures.csv", "text/csv; charset=utf-8")


@org_required()
@require_http_methods(["GET"])
def figures_xlsx(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    done = _export_run(request, analysis)
    return download(reports.figures_xlsx(done.result or {}),
                    f"{reports.slug(analysis)}-figures.xlsx", XLSX)


@org_required()
@require_http_methods(["GET"])
def summary_pdf(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    done = _export_run(request, analysis)
    return download(reports.summary_pdf(analysis, done),
                    f"{reports.slug(analysis)}-summary.pdf", "application/pdf")
