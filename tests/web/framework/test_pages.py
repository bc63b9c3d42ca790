"""Impact tracking pages: isolation between organisations, roles, CSRF, evidence uploads,
corrections that keep history, and indicators fed by measured results."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keepitlocal.web.framework import services
from keepitlocal.web.framework.models import Evidence, ImpactPlan, Indicator, Measurement

PLAN_PAGES = ["plan", "theory", "area", "steps", "indicator_add", "indicator_create", "report"]
INDICATOR_PAGES = ["indicator", "indicator_edit", "measurement_record"]
VALUE_PAGES = ["measurement_correct", "measurement_check", "evidence_add"]
EVIDENCE_PAGES = ["evidence", "evidence_remove"]
EDITOR_ONLY_GET = [
    "theory",
    "area",
    "indicator_add",
    "indicator_create",
    "indicator_edit",
    "measurement_record",
    "measurement_correct",
    "measurement_check",
    "evidence_add",
]


@pytest.fixture
def two_orgs(make_org, make_member, make_plan):
    org_a, org_b = make_org("Anchor A"), make_org("Anchor B")
    alice = make_member("alice@example.org", org_a, "admin")
    make_member("bob@example.org", org_b, "admin")
    plan_a, plan_b = make_plan(org_a, "A's plan"), make_plan(org_b, "B's plan")
    indicator_b = plan_b.indicators.get()
    value_b = indicator_b.measurements.get(period="2024-25")
    [file_b] = services.evidence_add_files(
        value_b, [SimpleUploadedFile("b.csv", b"secret,1\n")], user=None
    ) and list(Evidence.objects.filter(measurement=value_b, url=""))
    return alice, plan_a, plan_b, indicator_b, value_b, file_b


def _urls(plan, indicator, value, evidence):
    urls = [reverse(f"framework:{n}", args=[plan.pk]) for n in PLAN_PAGES]
    urls += [reverse(f"framework:{n}", args=[plan.pk, indicator.pk]) for n in INDICATOR_PAGES]
    urls += [reverse("framework:feed_link", args=[plan.pk, indicator.pk, "lm3.lm3"])]
    urls += [reverse(f"framework:{n}", args=[plan.pk, value.pk]) for n in VALUE_PAGES]
    urls += [reverse(f"framework:{n}", args=[plan.pk, evidence.pk]) for n in EVIDENCE_PAGES]
    urls += [reverse("framework:report_download", args=[plan.pk, f]) for f in ("pdf", "xlsx")]
    return urls


def test_another_organisations_plan_value_and_evidence_are_not_found(client, two_orgs):
    alice, plan_a, plan_b, indicator_b, value_b, file_b = two_orgs
    client.force_login(alice)
    urls = _urls(plan_b, indicator_b, value_b, file_b)
    # B's indicator, value and file under A's own plan are not found either
    urls += [reverse(f"framework:{n}", args=[plan_a.pk, indicator_b.pk]) for n in INDICATOR_PAGES]
    urls += [reverse(f"framework:{n}", args=[plan_a.pk, value_b.pk]) for n in VALUE_PAGES]
    urls += [reverse(f"framework:{n}", args=[plan_a.pk, file_b.pk]) for n in EVIDENCE_PAGES]
    for url in urls:
        assert client.get(url).status_code in (404, 405), url
        response = client.post(
            url,
            {
                "name": "Hacked",
                "period": "2030",
                "value": "3",
                "recorded_by": "Mallory",
                "checked_by": "Mallory",
                "reason": "x",
                "links": "https://evil.example",
            },
        )
        assert response.status_code in (404, 405), url
    assert ImpactPlan.objects.get(pk=plan_b.pk).name == "B's plan"
    assert Measurement.objects.filter(indicator=indicator_b).count() == 2
    assert value_b.evidence.count() == 2 and Evidence.objects.filter(pk=file_b.pk).exists()
    index = client.get(reverse("framework:index")).content.decode()
    assert "A&#x27;s plan" in index and "B&#x27;s plan" not in index


def test_a_viewer_reads_everything_and_changes_nothing(make_org, make_member, make_plan, client):
    org = make_org()
    viewer = make_member("viewer@example.org", org, "viewer")
    plan = make_plan(org)
    indicator = plan.indicators.get()
    value = indicator.measurements.get(period="2024-25")
    [link] = value.evidence.all()
    client.force_login(viewer)
    for name in ("plan", "steps", "report"):
        page = client.get(reverse(f"framework:{name}", args=[plan.pk]))
        assert page.status_code == 200, name
        assert "Record a value" not in page.content.decode()
    assert (
        client.get(reverse("framework:indicator", args=[plan.pk, indicator.pk])).status_code == 200
    )
    for url in _urls(plan, indicator, value, link):
        name = url
        if any(f"/{part}/" in url for part in ("theory", "area", "record", "correct", "check")):
            assert client.get(url).status_code == 403, name
        assert client.post(
            url,
            {
                "name": "X",
                "period": "2030",
                "value": "3",
                "recorded_by": "V",
                "checked_by": "V2",
                "reason": "x",
                "step_7": "x",
            },
        ).status_code in (403, 405), name
    assert client.post(reverse("framework:plan_create"), {"name": "X"}).status_code == 403
    assert ImpactPlan.objects.count() == 1 and Measurement.objects.count() == 2
    assert value.evidence.count() == 1


def test_forms_need_their_csrf_token(make_org, make_member, make_plan, client_for):
    org = make_org()
    admin = make_member("admin@example.org", org, "admin")
    plan = make_plan(org)
    indicator = plan.indicators.get()
    client = client_for(admin, org, enforce_csrf_checks=True)
    posts = [
        (reverse("framework:plan_create"), {"name": "X"}),
        (
            reverse("framework:measurement_record", args=[plan.pk, indicator.pk]),
            {"period": "2026-27", "value": "2.4", "recorded_by": "A"},
        ),
        (reverse("framework:steps", args=[plan.pk]), {"step_7": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert ImpactPlan.objects.count() == 1 and indicator.measurements.count() == 2


def test_record_correct_check_and_triangulate_keep_history(
    make_org, make_member, make_plan, client_for
):
    org = make_org()
    admin = make_member("admin@example.org", org, "admin")
    plan = make_plan(org)
    indicator = plan.indicators.get()
    client = client_for(admin, org)
    current = indicator.measurements.get(period="2025-26")
    again = client.post(
        reverse("framework:measurement_record", args=[plan.pk, indicator.pk]),
        {"period": "2025-26", "value": "2.5", "recorded_by": "Asha"},
    )
    assert "already has a value: correct it instead" in again.content.decode()
    out_of_range = client.post(
        reverse("framework:measurement_record", args=[plan.pk, indicator.pk]),
        {"period": "2026-27", "value": "4", "recorded_by": "Asha"},
    )
    assert "an LM3 score from 1 to 3" in out_of_range.content.decode()
    response = client.post(
        reverse("framework:measurement_correct", args=[plan.pk, current.pk]),
        {"value": "2.3", "recorded_by": "Asha", "reason": "a double count"},
    )
    assert response.status_code == 302
    revisions = list(indicator.measurements.filter(period="2025-26").order_by("revision"))
    assert [(m.revision, m.value) for m in revisions] == [(1, Decimal("2.35")), (2, Decimal("2.3"))]
    corrected = revisions[-1]
    same = client.post(
        reverse("framework:measurement_check", args=[plan.pk, corrected.pk]),
        {"checked_by": "asha "},
    )
    assert "someone other than the person who recorded it" in same.content.decode()
    client.post(
        reverse("framework:measurement_check", args=[plan.pk, corrected.pk]),
        {"checked_by": "Ben", "triangulation": "the finance ledger"},
    )
    corrected.refresh_from_db()
    assert (corrected.quality, corrected.checked_by) == ("triangulated", "Ben")
    page = client.get(reverse("framework:indicator", args=[plan.pk, indicator.pk])).content.decode()
    assert "History: 1 earlier value" in page and "a double count" in page
    report = client.get(reverse("framework:report", args=[plan.pk])).content.decode()
    assert "about 60%" in report  # (2.3 - 2.0) / (2.5 - 2.0), to the nearest 5%
    assert "&#x27;contribution&#x27; not an &#x27;attribution&#x27;" in report


def test_evidence_uploads_are_size_limited_and_served_only_as_downloads(
    make_org, make_member, make_plan, client_for, settings
):
    settings.KEEPITLOCAL_MAX_UPLOAD_MB = 1
    org = make_org()
    admin = make_member("admin@example.org", org, "admin")
    plan = make_plan(org)
    value = plan.indicators.get().measurements.get(period="2025-26")
    client = client_for(admin, org)
    url = reverse("framework:evidence_add", args=[plan.pk, value.pk])
    big = SimpleUploadedFile("big.pdf", b"x" * (1024 * 1024 + 1))
    refused = client.post(url, {"files": [big]})
    assert "larger than 1 MB" in refused.content.decode() and value.evidence.count() == 0
    bad_link = client.post(url, {"links": "javascript:alert(1)"})
    assert "is not a web address" in bad_link.content.decode()
    page = SimpleUploadedFile(
        "../../evil.html", b"<script>alert(1)</script>", content_type="text/html"
    )
    ok = client.post(
        url,
        {
            "files": [page, SimpleUploadedFile("b.csv", b"a,b\n")],
            "links": "https://example.org/photo",
        },
    )
    assert ok.status_code == 302 and value.evidence.count() == 3
    stored = value.evidence.get(name="evil.html")
    assert "/" not in stored.file.name.removeprefix(f"framework/evidence/{org.pk}/")
    assert stored.file.name.endswith(".html") and ".." not in stored.file.name
    download = client.get(reverse("framework:evidence", args=[plan.pk, stored.pk]))
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"<script>alert(1)</script>"
    services.MAX_EVIDENCE, saved = 3, services.MAX_EVIDENCE
    try:
        full = client.post(url, {"links": "https://example.org/one-more"})
        assert "at most 3 files and links" in full.content.decode()
    finally:
        services.MAX_EVIDENCE = saved


def test_an_own_indicator_and_the_steps_move_the_checklist(make_org, make_member, client_for):
    org = make_org()
    admin = make_member("admin@example.org", org, "admin")
    client = client_for(admin, org)
    response = client.post(reverse("framework:plan_create"), {"name": "Our plan"})
    plan = ImpactPlan.objects.get()
    assert response["Location"] == reverse("framework:theory", args=[plan.pk])
    client.post(
        reverse("framework:theory", args=[plan.pk]),
        {
            "name": "Our plan",
            "change_sought": "More local jobs",
            "activities": "Job club",
            "characteristics": ["2", "5"],
        },
    )
    client.post(
        reverse("framework:area", args=[plan.pk]), {"action": "add-lad", "lad": "Calderdale"}
    )
    plan.refresh_from_db()
    assert plan.characteristics == [2, 5] and plan.area_lads == ["E08000033"]
    bad = client.post(
        reverse("framework:indicator_create", args=[plan.pk]),
        {
            "label": "Share",
            "characteristic": "2",
            "unit": "%",
            "baseline": "120",
            "baseline_period": "soon",
        },
    )
    text = bad.content.decode()
    assert "a percentage from 0 to 100" in text and "Enter the period as a year" in text
    client.post(
        reverse("framework:indicator_create", args=[plan.pk]),
        {
            "label": "Residents in work after the job club",
            "characteristic": "2",
            "unit": "count",
            "baseline": "10",
            "baseline_period": "2024",
            "target": "30",
            "target_period": "2026",
            "collection_method": "records",
            "frequency": "quarterly",
        },
    )
    indicator = Indicator.objects.get(plan=plan)
    steps = client.get(reverse("framework:steps", args=[plan.pk])).content.decode()
    assert "none yet for characteristic 5" in steps and 'aria-current="step"' in steps
    client.post(
        reverse("framework:indicator_add", args=[plan.pk]) + "?characteristic=5",
        {"indicator": "C5-K1"},
    )
    assert Indicator.objects.filter(plan=plan, bank_id="C5-K1").exists()
    client.post(
        reverse("framework:steps", args=[plan.pk]),
        {"existing_information": "Sign-ins", "step_7": "We contributed"},
    )
    plan.refresh_from_db()
    assert plan.step_7 == "We contributed"
    record = client.post(
        reverse("framework:measurement_record", args=[plan.pk, indicator.pk]),
        {"period": "2025", "value": "18", "recorded_by": "Asha", "source": "job club register"},
    )
    assert record.status_code == 302
    detail = client.get(reverse("framework:plan", args=[plan.pk])).content.decode()
    assert "about 40% of the way" in detail


def test_reports_download_as_pdf_and_xlsx_for_a_period(
    make_org, make_member, make_plan, client_for
):
    from io import BytesIO

    from openpyxl import load_workbook

    org = make_org()
    admin = make_member("admin@example.org", org, "admin")
    plan = make_plan(org)
    client = client_for(admin, org)
    pdf = client.get(
        reverse("framework:report_download", args=[plan.pk, "pdf"]) + "?period=2024-25"
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "2024-25.pdf" in pdf["Content-Disposition"]
    xlsx = client.get(reverse("framework:report_download", args=[plan.pk, "xlsx"]))
    book = load_workbook(BytesIO(xlsx.content))
    indicators = list(book["Indicators"].iter_rows(values_only=True))
    assert indicators[1][1] == "LM3 local multiplier measure" and indicators[1][9] == 2.35
    assert (
        client.get(reverse("framework:report", args=[plan.pk]) + "?period=never").status_code == 404
    )


def test_an_lm3_result_feeds_its_indicator_and_follows_it(make_org, make_member, client_for):
    from datetime import date

    from keepitlocal.web.lm3 import services as lm3_services
    from keepitlocal.web.lm3.models import PayrollMode

    org, other = make_org(), make_org("Elsewhere Trust")
    admin = make_member("admin@example.org", org, "admin")
    project = lm3_services.lm3_project_create(
        org=org,
        user=None,
        name="Turnover 2025/26",
        scope="turnover",
        period_start=date(2025, 4, 1),
        period_end=date(2026, 3, 31),
    )
    lm3_services.area_lad_add(project, "E08000033")
    lm3_services.payroll_set(
        project, mode=PayrollMode.TOTALS, local_pay=Decimal("60000"), nonlocal_pay=Decimal("20000")
    )
    lm3_services.supplier_save(
        project, name="Halifax Bakery", spend=Decimal("20000"), email="", local=True, postcode=""
    )
    theirs = lm3_services.lm3_project_create(
        org=other,
        user=None,
        name="Not yours",
        scope="turnover",
        period_start=date(2025, 4, 1),
        period_end=date(2026, 3, 31),
    )
    expected = lm3_services.lm3_result_compute(project)
    plan = services.plan_create(org=org, name="Plan")
    lm3 = services.indicator_from_bank(plan, "C1-K1")
    staff = services.indicator_from_bank(plan, "C1-O4")
    client = client_for(admin, org)
    link = reverse("framework:feed_link", args=[plan.pk, lm3.pk, "lm3.lm3"])
    form = client.get(link).content.decode()
    assert "Turnover 2025/26" in form and "Not yours" not in form
    stolen = client.post(link, {"source": theirs.pk, "period": "2025-26", "recorded_by": "A"})
    assert stolen.status_code == 200 and not lm3.measurements.exists()  # not a choice
    client.post(link, {"source": project.pk, "period": "2025-26", "recorded_by": "Asha"})
    client.post(
        reverse("framework:feed_link", args=[plan.pk, staff.pk, "lm3.local_staff_share"]),
        {"source": project.pk, "period": "2025-26", "recorded_by": "Asha"},
    )
    assert (
        client.get(reverse("framework:feed_link", args=[plan.pk, staff.pk, "lm3.lm3"])).status_code
        == 404
    )  # an LM3 score cannot feed a percentage
    page = client.get(reverse("framework:indicator", args=[plan.pk, lm3.pk])).content.decode()
    assert reverse("lm3:results", args=[project.pk]) in page
    shown = f"{expected.lm3.quantize(Decimal('0.01'))}"
    assert f"<strong>{shown}</strong>" in page
    staff_page = client.get(reverse("framework:indicator", args=[plan.pk, staff.pk]))
    assert "75.0%" in staff_page.content.decode()  # £60,000 of £80,000 pay to local staff
    # the source changes: the indicator follows, and says what it was when recorded
    lm3_services.payroll_set(
        project, mode=PayrollMode.TOTALS, local_pay=Decimal("20000"), nonlocal_pay=Decimal("60000")
    )
    changed = lm3_services.lm3_result_compute(project).lm3
    assert changed != expected.lm3
    page = client.get(reverse("framework:indicator", args=[plan.pk, lm3.pk])).content.decode()
    assert f"<strong>{changed.quantize(Decimal('0.01'))}</strong>" in page
    assert f"It was {shown} when it was recorded" in page
    # a deleted source is said so, not an error
    project.delete()
    page = client.get(reverse("framework:indicator", args=[plan.pk, lm3.pk]))
    assert page.status_code == 200 and "the source is gone" in page.content.decode()


@pytest.mark.postcodes
def test_the_demo_plan_has_two_periods_and_a_fed_lm3(db, client):
    from keepitlocal.web.demo import load_demo

    load_demo()
    data = load_demo()  # idempotent (and the password is new, so sign in with this one)
    plan = ImpactPlan.objects.for_org(data.anchor).get()
    lm3 = plan.indicators.get(bank_id="C1-K1")
    fed = lm3.measurements.get(period="2025-26")
    assert fed.feed == "lm3.lm3" and fed.feed_object_id
    assert sorted({m.period for m in Measurement.objects.filter(indicator__plan=plan)}) == [
        "2024-25",
        "2025-26",
    ]
    client.force_login(data.user)
    for name in ("plan", "steps", "report"):
        assert client.get(reverse(f"framework:{name}", args=[plan.pk])).status_code == 200
    page = client.get(reverse("framework:indicator", args=[plan.pk, lm3.pk])).content.decode()
    assert reverse("lm3:results", args=[fed.feed_object_id]) in page


def test_spend_and_enabled_results_feed_their_indicators(make_org, make_member, client_for):
    from keepitlocal.enabled import read_demo
    from keepitlocal.web.enabled import services as enabled_services
    from keepitlocal.web.enabled.selectors import project_result
    from keepitlocal.web.spend.models import AnalysisRun, RunStatus, SpendAnalysis

    org = make_org()
    admin = make_member("admin@example.org", org, "admin")
    analysis = SpendAnalysis.objects.create(
        organisation=org, name="Ledger 2024-25", council_code="E08000033"
    )
    plan = services.plan_create(org=org, name="Plan")
    local = services.indicator_from_bank(plan, "C1-E")
    jobs = services.indicator_from_bank(plan, "C2-K2")
    client = client_for(admin, org)
    link = reverse("framework:feed_link", args=[plan.pk, local.pk, "spend.local_share"])
    not_run = client.post(link, {"source": analysis.pk, "period": "2024-25", "recorded_by": "A"})
    assert "has no figure yet: the analysis has not been run yet" in not_run.content.decode()
    # the shape of keepitlocal.spend.result_to_dict, as a finished run stores it
    AnalysisRun.objects.create(
        organisation=org,
        analysis=analysis,
        status=RunStatus.DONE,
        result={"tiers": [{"tier": 1, "share": "0.4213"}], "vcse_share": "0.12"},
    )
    client.post(link, {"source": analysis.pk, "period": "2024-25", "recorded_by": "A"})
    page = client.get(reverse("framework:indicator", args=[plan.pk, local.pk])).content.decode()
    assert "42.1%" in page and reverse("spend:overview", args=[analysis.pk]) in page

    engine = read_demo()
    anchor = next(a for a in engine.anchors if a.local_authority == "Calderdale")
    year = enabled_services.project_create(org=org, year=2025)
    enabled_services.import_anchor(year, anchor, engine)
    exact = Decimal(project_result(year).anchor["employees_fte"]["exact"])
    client.post(
        reverse("framework:feed_link", args=[plan.pk, jobs.pk, "enabled.jobs"]),
        {"source": year.pk, "period": "2025", "recorded_by": "A"},
    )
    [value] = jobs.measurements.all()
    assert value.feed == "enabled.jobs" and value.value == exact.quantize(Decimal("0.0001"))
    page = client.get(reverse("framework:indicator", args=[plan.pk, jobs.pk])).content.decode()
    assert reverse("enabled:project", args=[year.pk]) in page
