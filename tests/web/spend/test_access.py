"""Who may see and change an analysis: another organisation gets "Page not found", viewers read,
editors change, and every change needs the CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from keepitlocal.web.spend.models import AnalysisRun, MatchDecision, SpendAnalysis

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]


def _urls(analysis, decision=None):
    ledger = analysis.ledgers.first()
    register = analysis.registers.first()
    run = analysis.runs.first()
    pk = analysis.pk
    gets = [reverse(f"spend:{name}", args=[pk]) for name in (
        "overview", "edit", "delete", "files", "rules", "dashboard", "lines", "lines_csv",
        "review", "figures_csv", "figures_xlsx", "summary_pdf")]
    gets += [reverse("spend:columns", args=[pk, ledger.pk]),
             reverse("spend:rule_edit", args=[pk, 0]),
             reverse("spend:run_status", args=[pk, run.pk]),
             reverse("spend:run_json", args=[pk, run.pk]),
             reverse("spend:lines", args=[pk]) + "?tier=1"]
    posts = [reverse("spend:run", args=[pk]), reverse("spend:ledger_remove", args=[pk, ledger.pk]),
             reverse("spend:register_remove", args=[pk, register.pk]),
             reverse("spend:rule_remove", args=[pk, 0]), reverse("spend:rules_reset", args=[pk]),
             reverse("spend:delete", args=[pk])]
    if decision is not None:
        posts.append(reverse("spend:decision_remove", args=[pk, decision.pk]))
    return gets, posts


def test_another_organisations_analysis_is_not_found(client, make_org, make_member, analysed):
    other = make_org("Kirklees Council", kind="council")
    outsider = make_member("outsider@example.org", other, "admin")
    client.force_login(outsider)
    gets, posts = _urls(analysed)
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url).status_code == 404, url
    assert SpendAnalysis.objects.filter(pk=analysed.pk).exists()
    assert analysed.ledgers.count() == 2 and analysed.registers.count() == 1
    # Their own analysis cannot reach our files or decisions either.
    from keepitlocal.web.spend import services

    theirs = services.analysis_create(org=other, user=None, name="Theirs",
                                      council_code="E08000034", target_share=None,
                                      shift_share=services.Decimal("0.1"))
    ours = MatchDecision.objects.create(organisation=analysed.organisation, key="acme",
                                        ledger_name="Acme", register_id="S1")
    ledger = analysed.ledgers.first()
    run = analysed.runs.first()
    for url in (reverse("spend:columns", args=[theirs.pk, ledger.pk]),
                reverse("spend:run_status", args=[theirs.pk, run.pk]),
                reverse("spend:run_json", args=[theirs.pk, run.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("spend:decision_remove", args=[theirs.pk, ours.pk])).status_code \
        == 404
    assert MatchDecision.objects.filter(pk=ours.pk).exists()
    assert client.get(reverse("spend:index")).content.count(b"Spending 2024/25") == 0


def test_viewers_read_everything_and_change_nothing(client, viewer, analysed):
    client.force_login(viewer)
    gets, posts = _urls(analysed)
    for url in gets:
        expected = 403 if any(p in url for p in ("/edit/", "/delete/", "/columns/", "/rules/0/")) \
            else 302 if url.endswith(f"/runs/{analysed.latest_run.pk}/") else 200  # done: on to
        assert client.get(url).status_code == expected, url                 # the dashboard
    for url in posts:
        assert client.post(url).status_code == 403, url
    files = reverse("spend:files", args=[analysed.pk])
    from .conftest import upload

    assert client.post(files, {"action": "ledger", "ledger-file": upload("april.csv")}
                       ).status_code == 403
    assert client.post(reverse("spend:review", args=[analysed.pk]),
                       {"ledger_name": "x", "choice": "no match"}).status_code == 403
    assert client.post(reverse("spend:create"), {"name": "x"}).status_code == 403
    page = client.get(reverse("spend:dashboard", args=[analysed.pk])).content.decode()
    assert "Run the analysis again" not in page
    assert AnalysisRun.objects.count() == 1 and analysed.ledgers.count() == 2


def test_changes_need_the_csrf_token(editor, analysed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    _, posts = _urls(analysed)
    for url in posts:
        assert client.post(url).status_code == 403, url
    assert client.post(reverse("spend:create"), {"name": "x", "council_code": "E08000033",
                                                 "shift_percent": "10"}).status_code == 403
    assert AnalysisRun.objects.count() == 1 and SpendAnalysis.objects.count() == 1


def test_signed_out_users_are_sent_to_sign_in(client, analysed):
    gets, _ = _urls(analysed)
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url, url
