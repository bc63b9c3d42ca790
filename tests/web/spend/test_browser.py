"""Local spend in a real Chromium: a council officer creates an analysis, uploads two ledgers in
different header layouts and the supplier register, checks the columns, runs the analysis
(watching its progress), resolves a match, runs again, reads the dashboard, drills down and
downloads the PDF. Every page is checked (screenshot and axe), on a desktop and on a phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from keepitlocal.web.spend.models import AnalysisRun, ColumnMappingMemory, MatchDecision

from ..pdf import pdf_first_page_png, pdf_text
from .conftest import FILES
from .test_national import charities_json

pytestmark = [pytest.mark.browser, pytest.mark.postcodes,
              pytest.mark.django_db(transaction=True)]


class HeldQueue:
    """Stands in for the task queue: runs wait until the test lets them go, as with a worker."""

    def __init__(self) -> None:
        self.hold = True
        self.waiting: list[int] = []

    def enqueue(self, run_id: int) -> None:
        from keepitlocal.web.spend.bridge import run_execute

        if self.hold:
            self.waiting.append(run_id)
        else:
            run_execute(run_id)


def _file(name: str) -> dict[str, Any]:
    types = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument."
             "spreadsheetml.sheet"}
    return {"name": name, "mimeType": types[name.rsplit(".", 1)[1]], "buffer": FILES[name]()}


def test_a_council_analyses_its_spend_end_to_end(live_server, page, mobile_page, sign_in_to,
                                                 check_page, council, editor, monkeypatch,
                                                 tmp_path):
    from keepitlocal.web.spend import bridge, tasks

    queue = HeldQueue()
    monkeypatch.setattr(tasks, "run_analysis", queue)
    sign_in_to(page, editor, council)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Capabilities").get_by_role(
        "link", name="Local spend").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local spend analyses")
    check_page(page, "spend-index-empty")

    # Set up: the council comes from the organisation, found by name with the shared picker;
    # errors say how to fix them.
    page.get_by_role("link", name="Start a new analysis").click()
    council_box = page.get_by_label("Council", exact=True)
    expect(council_box).to_have_value("Calderdale (E08000033)")
    page.get_by_label("Target local share (optional)").fill("sixty")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a name for the analysis")
    expect(summary).to_contain_text("Enter the target as a percentage, like 60")
    check_page(page, "spend-create-errors")
    page.get_by_label("Name of the analysis").fill("Spending April and May 2024")
    council_box = page.get_by_label("Council", exact=True)
    council_box.fill("calder")
    page.get_by_role("option", name="Calderdale (E08000033)").click()
    check_page(page, "spend-create-council-search")
    page.get_by_label("Target local share (optional)").fill("60")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Files and columns")
    check_page(page, "spend-files-empty")

    # A file that is not a ledger is refused, with the reason, and nothing is kept.
    page.get_by_label("Upload a ledger").set_input_files(files=[
        {"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}])
    page.get_by_role("button", name="Upload the ledger").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Upload a CSV file (.csv) or an Excel workbook (.xlsx)")
    check_page(page, "spend-upload-error")

    # Ledger 1: Devon's layout (CSV). The upload shows its progress, then the columns.
    page.get_by_label("Upload a ledger").set_input_files(files=[_file("april.csv")])
    page.get_by_role("button", name="Upload the ledger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the columns")
    row = page.locator('[data-column="Supplier Name"]')
    expect(row.get_by_role("combobox")).to_have_value("supplier")
    expect(row).to_contain_text("Acme Catering Ltd")
    expect(page.locator('[data-column="Expense Area"]').get_by_role("combobox")).to_have_value(
        "department")
    check_page(page, "spend-columns-devon")
    page.get_by_role("button", name="Save the columns").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The columns of april.csv")

    # Ledger 2: Trafford's layout (XLSX). Change one column: Purpose is not used.
    page.get_by_label("Upload a ledger").set_input_files(files=[_file("may.xlsx")])
    page.get_by_role("button", name="Upload the ledger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the columns")
    expect(page.locator('[data-column="BeneficiaryName"]').get_by_role(
        "combobox")).to_have_value("supplier")
    purpose = page.get_by_label("What the column “Purpose” holds")
    expect(purpose).to_have_value("description")
    purpose.select_option("")
    check_page(page, "spend-columns-trafford")
    page.get_by_role("button", name="Save the columns").click()
    assert ColumnMappingMemory.objects.count() == 2
    trafford = next(m for m in ColumnMappingMemory.objects.all() if "Purpose" in m.headers)
    assert trafford.mapping["description"] is None

    # The supplier register; the upload is held on its way to show the progress it reports.
    held: list[Any] = []
    files_url = re.compile(r".*/files/$")
    page.route(files_url, lambda route: held.append(route) if route.request.method == "POST"
               else route.continue_())
    # The progress bar is upload.js's (a deferred script): clicked before it has run, the form
    # posts as without JavaScript into the held route.
    page.wait_for_load_state("domcontentloaded")
    page.get_by_label("Upload the supplier register").set_input_files(
        files=[_file("suppliers.csv")])
    page.get_by_role("button", name="Upload the register").click()
    progress = page.locator("#register ~ .govuk-grid-row [data-upload-progress]")
    expect(progress).to_be_visible()
    expect(progress.locator("progress")).to_be_visible()
    expect(progress.locator("[aria-live]")).to_have_text(re.compile("Starting|Uploaded"))
    expect(page.get_by_role("button", name="Upload the register")).to_be_disabled()
    held[0].continue_()
    page.unroute(files_url)
    expect(page.locator("#register ~ .govuk-summary-list")).to_contain_text("suppliers.csv")
    expect(page.locator(".spend-files")).to_contain_text("Columns confirmed")
    check_page(page, "spend-files")

    # A national register in its published format: listed with its entries, then removed.
    page.get_by_label("Upload the Charity Commission register extract (optional)").set_input_files(
        files=[{"name": "publicextract.charity.json", "mimeType": "application/json",
                "buffer": charities_json()}])
    page.get_by_role("button", name="Upload the charity extract").click()
    national = page.locator("#national ~ .govuk-summary-list")
    expect(national).to_contain_text("publicextract.charity.json (2 entries)")
    check_page(page, "spend-files-national")
    national.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("No national registers loaded.")).to_be_visible()

    # Run: the status page shows progress while the worker has it, then opens the dashboard.
    page.get_by_role("link", name="Overview", exact=True).click()
    check_page(page, "spend-overview-ready")
    page.get_by_role("button", name="Run the analysis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Running the analysis")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Waiting to start")
    check_page(page, "spend-run-queued")
    run = AnalysisRun.objects.get()
    bridge.run_execute(queue.waiting.pop())
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard", timeout=20_000)
    run.refresh_from_db()
    assert run.status == "done"
    queue.hold = False

    # The dashboard: the engine's figures, charts drawn by the local Plotly, tables beside.
    expect(page.locator('[data-figure="total"]')).to_have_text("£9,040")
    expect(page.locator("#chart-tiers .plot-container")).to_be_visible(timeout=30_000)
    expect(page.locator("#chart-trend .plot-container")).to_be_visible()
    expect(page.locator('[data-table="tiers"]')).to_contain_text("West Yorkshire CA")
    expect(page.locator(".govuk-inset-text")).to_contain_text("1 supplier name could not be")
    check_page(page, "spend-dashboard-first")

    # The match review: Todmorden Fresh Food Co is Todmorden Fresh Foods Ltd.
    page.get_by_role("link", name=re.compile("could not be matched")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Match review")
    check_page(page, "spend-review")
    item = page.get_by_role("group", name=re.compile("Todmorden Fresh Food Co"))
    item.get_by_label(re.compile("Todmorden Fresh Foods Ltd")).check()
    page.get_by_role("button", name="Save the decision for Todmorden Fresh Food Co").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "“Todmorden Fresh Food Co” is Todmorden Fresh Foods Ltd")
    assert MatchDecision.objects.get().register_id == "S9"
    check_page(page, "spend-review-decided")
    page.get_by_role("button", name="Run the analysis again").click()
    # The run ended before its page loaded: on to the dashboard, and no "Finished. Finished."
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The analysis finished")
    expect(page.get_by_text("Finished. Finished.")).to_have_count(0)
    latest = AnalysisRun.objects.order_by("-pk").first()
    assert latest.result["matching"]["decisions_applied"] == 1
    expect(page.locator('[data-table="tiers"] [data-tier="1"]')).to_contain_text(
        latest.result["tiers"][0]["spend"][:1])
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    check_page(page, "spend-dashboard")

    # Drill down from tier 1 to its ledger lines.
    page.locator('[data-table="tiers"]').get_by_role("link", name="1. Calderdale").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ledger lines")
    expect(page.locator("[data-drill-title]")).to_contain_text("tier 1 (Calderdale)")
    lines = page.locator('[data-table="lines"] tbody tr')
    expect(lines).to_have_count(latest.result["tiers"][0]["lines"])
    expect(page.locator('[data-table="lines"]')).to_contain_text("Todmorden Fresh Food Co")
    check_page(page, "spend-lines-tier1")

    # The exclusion rules, with the excluded total, and the lines behind one rule.
    page.get_by_role("link", name="What is excluded").click()
    expect(page.locator("#rule-hmrc")).to_contain_text("£5,000.00")
    check_page(page, "spend-rules")
    page.locator("#rule-hmrc").get_by_role("link", name=re.compile("£5,000.00")).click()
    expect(page.locator('[data-table="lines"]')).to_contain_text("HM Revenue & Customs")

    # The PDF summary for a cabinet report.
    page.get_by_role("link", name="Dashboard", exact=True).click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="Summary for a cabinet report (PDF, A4)").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    pdf_first_page_png(content, "spend-summary-pdf")
    text, _ = pdf_text(content, tmp_path)
    assert "Spending April and May 2024" in text and "West Yorkshire CA" in text
    assert "£9,040" in text and "Gap to the 60.0% target" in text
    # The district table, from the engine's by_district rows
    districts = AnalysisRun.objects.get(pk=latest.pk).result["by_district"]
    assert districts and "Spend by district" in text
    for row in districts[:12]:
        assert f"({row['code']})" in text

    # The same pages on a phone.
    sign_in_to(mobile_page, editor, council)
    analysis = latest.analysis
    for name, path in (("dashboard", "dashboard/"), ("lines", "lines/?tier=1"),
                       ("review", "review/"), ("files", "files/"), ("rules", "rules/"),
                       ("overview", ""), ("columns", f"ledgers/{analysis.ledgers.first().pk}/"
                                                      "columns/")):
        mobile_page.goto(f"{live_server.url}/spend/{analysis.pk}/{path}")
        check_page(mobile_page, f"spend-mobile-{name}")
    expect(mobile_page.locator("h1")).to_have_text("Check the columns")


def test_the_demo_dashboard(live_server, page, sign_in_to, check_page):
    from keepitlocal.web.demo import load_demo
    from keepitlocal.web.spend.demo import ANALYSIS_NAME

    data = load_demo()
    sign_in_to(page, data.user, data.council)
    page.goto(f"{live_server.url}/spend/")
    check_page(page, "spend-demo-index")
    page.get_by_role("link", name=ANALYSIS_NAME).click()
    check_page(page, "spend-demo-overview")
    page.get_by_role("link", name="See the dashboard").click()
    expect(page.locator("#chart-departments .plot-container")).to_be_visible()
    expect(page.locator('[data-table="leakage"]')).to_be_visible()
    check_page(page, "spend-demo-dashboard")
    page.locator('[data-table="shares"]').get_by_role("link", name=re.compile("^VCSE \\(")).click()
    expect(page.locator("[data-drill-title]")).to_contain_text("VCSE suppliers")
    expect(page.get_by_role("link", name="Next page")).to_be_visible()
    check_page(page, "spend-demo-lines-vcse")
    page.get_by_role("link", name="Next page").click()
    expect(page.locator('[data-table="lines"] tbody tr').first).to_be_visible()
    page.goto(page.url.split("/lines/")[0] + "/edit/")
    check_page(page, "spend-demo-settings")
    rule = page.url.split("/edit/")[0] + "/rules/0/"
    page.goto(rule)
    check_page(page, "spend-demo-rule-edit")
