"""Exclusion-rule pages of a spend analysis: list, add, edit, remove and reset the rules.

Kept apart from the other spend pages so each module stays small; the rule edits themselves are
in `services` (rule_add, rule_update, rule_remove).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.accounts.models import Role
from keepitlocal.web.core.http import OrgRequest, posted
from keepitlocal.web.spend import forms, reports, selectors, services
from keepitlocal.web.spend.models import SpendAnalysis


def _analysis(request: OrgRequest, pk: int) -> SpendAnalysis:
    return selectors.analysis_get(request.org, pk)


@org_required()
@require_http_methods(["GET", "POST"])
def rules(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    document = selectors.rules_document(analysis)
    action = request.POST.get("action") if request.method == "POST" else None
    if action not in (None, "add", "redacted"):
        raise Http404("Unknown action")
    taken = {r.get("id") for r in document["rules"]}
    add = forms.RuleForm(request.POST if action == "add" else None, taken=taken, prefix="add")
    redacted = forms.RedactedForm(request.POST if action == "redacted" else None,
                                  initial={"redacted": document.get("redacted", "")},
                                  prefix="redacted")
    if action == "add" and add.is_valid():
        services.rule_add(analysis, add.cleaned_data)
        messages.success(request, f"Added the rule {add.cleaned_data['id']}. Run the analysis "
                                  "again to apply it.")
        return redirect(reverse("spend:rules", args=[analysis.pk]) + "#rules")
    if action == "redacted" and redacted.is_valid():
        services.redacted_set(analysis, redacted.cleaned_data["redacted"])
        messages.success(request, "The pattern for redacted names is saved. Run the analysis "
                                  "again to apply it.")
        return redirect(reverse("spend:rules", args=[analysis.pk]) + "#redacted")
    done = analysis.latest_result_run
    excluded = (done.result or {}).get("exclusions", {}) if done else {}
    listed = [{**rule, "index": i, "excluded": excluded.get(rule.get("id")),
               "url": reports.drill_url(analysis, status="excluded", reason=rule.get("id"))}
              for i, rule in enumerate(document["rules"])]
    return render(request, "spend/rules.html", {
        "analysis": analysis, "rules": listed, "add": add, "redacted_form": redacted,
        "form": add if action == "add" else (redacted if action == "redacted" else None),
        "document": document, "done": done,
        "excluded_total": (done.result or {}).get("excluded_total") if done else None,
        "field_labels": forms.RULE_FIELD_LABELS,
    })


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def rule_edit(request: OrgRequest, pk: int, index: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    document = selectors.rules_document(analysis)
    rule = selectors.rule_at(document, index)
    taken = {r.get("id") for i, r in enumerate(document["rules"]) if i != index}
    form = forms.RuleForm(posted(request), taken=taken, initial=rule)
    if request.method == "POST" and form.is_valid():
        services.rule_update(analysis, index, form.cleaned_data)
        messages.success(request, f"Saved the rule {form.cleaned_data['id']}. Run the analysis "
                                  "again to apply it.")
        return redirect(reverse("spend:rules", args=[analysis.pk]) + "#rules")
    return render(request, "spend/rule_form.html",
                  {"analysis": analysis, "form": form, "rule": rule})


@org_required(role=Role.EDITOR)
@require_POST
def rule_remove(request: OrgRequest, pk: int, index: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    removed = services.rule_remove(analysis, index)
    messages.success(request, f"Removed the rule {removed.get('id')}. Run the analysis again "
                              "to count those lines.")
    return redirect(reverse("spend:rules", args=[analysis.pk]) + "#rules")


@org_required(role=Role.EDITOR)
@require_POST
def rules_reset(request: OrgRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    services.rules_reset(analysis)
    messages.success(request, "The rules are back to the ones shipped with keepitlocal.")
    return redirect("spend:rules", analysis.pk)
