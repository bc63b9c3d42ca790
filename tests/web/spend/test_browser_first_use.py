"""What a first-time officer meets in local spend, in a real Chromium (issue "rough edges"):
the column step shows what was found and why with the file's first rows, takes a period for a
file with no date column and another header row; a ledger uploaded twice is warned about at
upload; a run that ended before its page opened goes on to the dashboard; unmatched lines say
so; the tiers format is a page of its own; former districts are found by name. Every page is
checked (screenshot and axe) on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from keepitlocal.web.spend.models import LedgerFile, SpendAnalysis

from .conftest import upload

pytestmark = [pytest.mark.browser, pytest.mark.postcodes,
              pytest.mark.django_db(transaction=True)]

# A month's file as one council publishes it: three lines of preamble, no date column.
NO_DATE = ("Spending over £500\r\nMarch 2024\r\nPublished under the Open Government Licence\r\n"
           "Supplier Name,Net Amount,Gross Amount,VAT,Directorate\r\n"
           "Acme Catering Ltd,100.00,120.00,20.00,Adults\r\n"
           "Leeds Widgets Ltd,250.50,300.60,50.10,Highways\r\n"
           "Acme Catering Ltd,75.00,90.00,15.00,Adults\r\n").encode()


def test_the_column_step_explains_and_takes_a_period_and_a_header_row(
        live_server, page, mobile_page, sign_in_to, check_page, editor, council, make_analysis):
    analysis = make_analysis(council, files=False)
    sign_in_to(page, editor, council)
    page.goto(f"{live_server.url}/spend/{analysis.pk}/files/")
    page.get_by_label("Upload a ledger").set_input_files(files=[
        {"name": "spend-2024-03.csv", "mimeType": "text/csv", "buffer": NO_DATE}])
    page.get_by_role("button", name="Upload the ledger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the columns")
    ledger = LedgerFile.objects.get()
    assert ledger.header_row == 4

    # Before anything is chosen: what was found, why, the runner-up, and the first rows.
    found = page.locator("[data-detection]")
    expect(found).to_contain_text("Net Amount")
    expect(found).to_contain_text("is a usual name for the amount")
    expect(found.locator("[data-runner-up]").first).to_contain_text("Gross Amount")
    expect(page.locator(".govuk-inset-text").last).to_contain_text("net amount 'Net Amount' is used")
    expect(page.locator(".govuk-warning-text")).to_contain_text("No column found for the payment date")
    expect(page.locator("[data-header-row]")).to_contain_text("Supplier Name")
    expect(page.locator('[data-table="head"]')).to_contain_text("Spending over £500")
    period = page.get_by_label("The month or quarter this file covers")
    expect(period).to_have_value("2024-03")  # from the file's name
    check_page(page, "spend-columns-no-date")
    sign_in_to(mobile_page, editor, council)
    mobile_page.goto(page.url)
    check_page(mobile_page, "spend-mobile-columns-no-date")

    # A period that is not one is refused in words; the suggested one is taken.
    period.fill("soon")
    page.get_by_role("button", name="Use this period").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("“soon” is not a month or quarter")
    check_page(page, "spend-columns-period-error")
    page.get_by_label("The month or quarter this file covers").fill("2024-03")
    page.get_by_role("button", name="Use this period").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("counted in 2024-03")
    ledger.refresh_from_db()
    assert ledger.period == "2024-03"
    page.get_by_role("button", name="Save the columns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Files and columns")

    # The header row, when the detected one is wrong: read from row 2 instead.
    page.goto(f"{live_server.url}/spend/{analysis.pk}/ledgers/{ledger.pk}/columns/")
    page.get_by_label("The column names are on row").select_option("2")
    page.get_by_role("button", name="Read the column names from this row").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now read from row 2")
    expect(page.locator("[data-header-row]")).to_contain_text("March 2024")
    ledger.refresh_from_db()
    assert ledger.header_row == 2 and ledger.header_row_chosen and ledger.headers == ["March 2024"]
    check_page(page, "spend-columns-header-row")
    page.get_by_label("The column names are on row").select_option("4")
    page.get_by_role("button", name="Read the column names from this row").click()
    ledger.refresh_from_db()
    assert ledger.headers[0] == "Supplier Name"


def test_a_ledger_uploaded_twice_is_warned_about_at_upload(
        live_server, page, sign_in_to, check_page, editor, council, make_analysis):
    analysis = make_analysis(council, files=False)
    sign_in_to(page, editor, council)
    for name in ("april.csv", "april (1).csv"):
        page.goto(f"{live_server.url}/spend/{analysis.pk}/files/")
        page.get_by_label("Upload a ledger").set_input_files(files=[
            {"name": name, "mimeType": "text/csv", "buffer": upload("april.csv").read()}])
        page.get_by_role("button", name="Upload the ledger").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check the columns")
    banner = page.locator(".govuk-notification-banner").first
    expect(banner).to_contain_text("april (1).csv holds the same file as april.csv")
    check_page(page, "spend-upload-twice")


def test_after_a_run_the_figures_and_lines_read_plainly(
        live_server, page, mobile_page, sign_in_to, check_page, editor, council, analysed):
    from decimal import Decimal

    from keepitlocal.web.spend import services

    # A target just above the local share (40.3%): the bar's label would cross the target line.
    analysed.target_share = Decimal("0.45")
    analysed.save()
    services.run_start(analysed, None)
    run = analysed.latest_run
    assert run is not None and run.status == "done"
    sign_in_to(page, editor, council)
    # The run ended before its page was opened: straight on to the dashboard.
    page.goto(f"{live_server.url}/spend/{analysed.pk}/runs/{run.pk}/", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The analysis finished")
    expect(page.get_by_text(re.compile("Finished\\. Finished"))).to_have_count(0)
    expect(page.locator("#chart-tiers .plot-container")).to_be_visible(timeout=30_000)
    label = page.locator("#chart-tiers text.bartext").first
    expect(label).to_have_text("40.3%")
    bar = page.locator("#chart-tiers g.point path").first
    label_box, bar_box = label.bounding_box(), bar.bounding_box()
    assert label_box and bar_box
    assert label_box["x"] + label_box["width"] <= bar_box["x"] + bar_box["width"] + 1  # inside
    check_page(page, "spend-dashboard-after-run")

    # A supplier the register does not have is said to be so, never "same".
    page.goto(f"{live_server.url}/spend/{analysed.pk}/lines/")
    table = page.locator('[data-table="lines"]')
    row = table.locator("tr", has_text="Todmorden Fresh Food Co")
    expect(row.first).to_contain_text("Not in the register")
    expect(table.get_by_text("same", exact=True)).to_have_count(0)
    expect(table).to_contain_text("The same name in the register")
    check_page(page, "spend-lines-matched-to")
    sign_in_to(mobile_page, editor, council)
    mobile_page.goto(page.url)
    check_page(mobile_page, "spend-mobile-lines-matched-to")


def test_the_tiers_format_is_a_page_and_former_districts_are_found(
        live_server, page, mobile_page, sign_in_to, check_page, editor, council):
    sign_in_to(page, editor, council)
    page.goto(f"{live_server.url}/spend/new/")
    page.get_by_role("link", name="How to write your own tiers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How to write your own tiers")
    expect(page.locator("[data-preset]")).to_contain_text('"E08000033"')
    check_page(page, "spend-tiers-help")
    sign_in_to(mobile_page, editor, council)
    mobile_page.goto(page.url)
    check_page(mobile_page, "spend-mobile-tiers-help")

    page.goto(f"{live_server.url}/spend/new/")
    page.get_by_label("Name of the analysis").fill("Harrogate's old ledgers")
    box = page.get_by_label("Council", exact=True)
    box.fill("harrog")
    page.get_by_role("option", name=re.compile("Harrogate \\(now North Yorkshire")).click()
    check_page(page, "spend-create-former-district")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Files and columns")
    created = SpendAnalysis.objects.get(name="Harrogate's old ledgers")
    assert created.council_code == "E06000065"
    sign_in_to(mobile_page, editor, council)
    mobile_page.goto(f"{live_server.url}/spend/new/")
    check_page(mobile_page, "spend-mobile-create")
