"""LM3 online in a real Chromium: the five steps as a new user takes them, the supplier's survey
from the e-mailed link, live progress, the results and the PDF. Every page is checked."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from keepitlocal.web.lm3.models import Lm3Project, ResponseSource, SupplierResponse

from ..pdf import pdf_first_page_png, pdf_text
from ..signup_steps import finish_signup

pytestmark = [pytest.mark.browser, pytest.mark.postcodes,
              pytest.mark.django_db(transaction=True)]

SUPPLIERS_CSV = (
    "Supplier name,Contact name,E-mail address,Value spent,Postcode\r\n"
    "Halifax Bakery,Asha Khan,bakery@example.org,£12000.00,HX1 1AA\r\n"
    "Calder Cleaning CIC,Ben Lee,clean@example.org,5000,HX3 6AA\r\n"
    "Leeds Print Ltd,Chris Dunn,print@example.org,8000,LS1 4DY\r\n"
    "Pennine IT,Dee Moss,it@example.org,twelve hundred,HX7 8AA\r\n"
    "Northern Energy plc,,billing@example.org,20000,M1 1AE\r\n"
)


def test_an_organisation_runs_an_lm3_end_to_end(
    live_server, page, browser, check_page, mailoutbox, email_link, tmp_path
):
    # Sign up: a new user with a new organisation
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Your full name").fill("Farah Ahmed")
    page.get_by_label("E-mail address").fill("farah@example.org")
    page.get_by_label("Organisation name").fill("Todmorden Community Hub")
    page.get_by_label("Community organisation").check()
    page.get_by_role("button", name="Create account").click()
    finish_signup(page, email_link, live_server)
    mailoutbox.clear()  # the sign-up e-mail: only survey invitations are counted below
    page.get_by_role("navigation", name="Capabilities").get_by_role("link", name="LM3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("LM3 projects")
    check_page(page, "lm3-index-empty")

    # Step 1: name the project and its period
    page.get_by_role("link", name="Start a new LM3 project").click()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the project")
    check_page(page, "lm3-create-errors")
    page.get_by_label("Project name").fill("Todmorden Community Hub: turnover 2025/26")
    page.get_by_label("The organisation's whole turnover").check()
    page.get_by_label("Start of the period").fill("2025-04-01")
    page.get_by_label("End of the period").fill("2026-03-31")
    page.get_by_role("button", name="Save and continue").click()

    # Step 2: the local area, by council name
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose the local area")
    page.get_by_label("Add a council area").fill("calder")
    page.get_by_role("option", name="Calderdale (E08000033)").click()
    check_page(page, "lm3-area-search")
    page.get_by_role("button", name="Add to the area").click()
    expect(page.locator("#area-summary")).to_contain_text("Calderdale (E08000033)")
    expect(page.locator("#area-summary")).to_contain_text("the council area of Calderdale")
    check_page(page, "lm3-area")

    # Step 3: the budget: payroll totals (tax and NI excluded) and other direct costs
    page.get_by_role("link", name="Continue to the budget").click()
    expect(page.locator("#payroll ~ .govuk-inset-text")).to_contain_text("National Insurance")
    page.get_by_label("Two totals").check()
    page.get_by_role("textbox", name="Pay of staff living in the area").fill("£84,000")
    page.get_by_role("textbox", name="Pay of staff living outside the area").fill("21000")
    page.get_by_role("button", name="Save payroll").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Payroll saved")
    costs = page.locator("form").filter(has=page.get_by_role("button", name="Add cost"))
    costs.get_by_label("What the cost is").fill("Business rates")
    costs.get_by_label("Amount").fill("4200")
    costs.get_by_label("Yes").check()
    costs.get_by_role("button", name="Add cost").click()
    expect(page.get_by_role("cell", name="Business rates", exact=True)).to_be_visible()
    check_page(page, "lm3-budget")

    # Step 4: upload suppliers; one row is wrong and is fixed on the page
    page.get_by_role("link", name="Continue to suppliers").click()
    check_page(page, "lm3-suppliers-empty")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "suppliers.csv", "mimeType": "text/csv",
                "buffer": SUPPLIERS_CSV.encode("utf-8")}]
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your file")
    expect(page.locator(".lm3-counts")).to_contain_text("4 rows ready")
    expect(page.locator(".lm3-counts")).to_contain_text("1 row with problems")
    expect(page.locator("#row-5")).to_contain_text('"twelve hundred" is not an amount')
    check_page(page, "lm3-upload-preview")
    page.locator("#row-5").get_by_label("Value spent").fill("1200")
    page.get_by_role("button", name="Check row 5 again").click()
    expect(page.locator(".lm3-counts")).to_contain_text("5 rows ready")
    page.get_by_role("button", name="Import 5 rows").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Imported 5 suppliers")
    check_page(page, "lm3-upload-imported")

    # Step 5: notify the suppliers
    page.get_by_role("link", name="Back to your suppliers").click()
    expect(page.get_by_role("link", name="Pennine IT", exact=True)).to_be_visible()
    page.get_by_role("link", name="Continue to notify suppliers").click()
    expect(page.locator(".lm3-email")).to_contain_text("the council area of Calderdale")
    page.get_by_label("A message from you (optional)").fill("We spoke last week: thank you!")
    check_page(page, "lm3-notify")
    page.get_by_role("button", name="Send 5 invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Survey progress")
    expect(page.locator("[data-field=responded]")).to_have_text("0")
    check_page(page, "lm3-progress-start")
    assert len(mailoutbox) == 5

    # A supplier answers from the link in its e-mail, in a browser with no session
    message = next(m for m in mailoutbox if m.to == ["bakery@example.org"])
    assert "We spoke last week" in message.body and "council area of Calderdale" in message.body
    # Replies reach the organisation's admin; the HTML part carries the same words and reads well
    assert message.reply_to == ["farah@example.org"]
    assert "Todmorden Community Hub" in message.from_email
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "We spoke last week" in html and "/lm3/survey/" in html
    email_view = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    email_view.set_content(html)
    check_page(email_view, "lm3-survey-email-html")
    email_view.context.close()
    link = re.search(r"http://\S+/lm3/survey/\S+/", message.body)[0]
    supplier = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    supplier.goto(link)
    expect(supplier.get_by_role("heading", level=1)).to_have_text(
        "How much of your spending stays local?")
    expect(supplier.locator("body")).not_to_contain_text("Leeds Print")  # no other supplier
    check_page(supplier, "lm3-survey-mobile")
    supplier.get_by_label("Staff who live in the council area of Calderdale").fill("45")
    supplier.get_by_label("Suppliers based in the council area of Calderdale").fill("70")
    supplier.get_by_role("button", name="Send my answer").click()
    expect(supplier.locator(".govuk-error-summary")).to_contain_text("add up to 115")
    check_page(supplier, "lm3-survey-errors")
    supplier.get_by_label("Suppliers based in the council area of Calderdale").fill("20")
    supplier.get_by_role("button", name="Send my answer").click()
    expect(supplier.get_by_role("heading", level=1)).to_have_text("Thank you")
    check_page(supplier, "lm3-survey-thanks")
    supplier.context.close()
    answer = SupplierResponse.objects.get(supplier__name="Halifax Bakery")
    assert (answer.local_staff_share, answer.local_supplier_share) == (
        Decimal("0.45"), Decimal("0.20"))
    assert answer.source == ResponseSource.SURVEY

    # The progress page, still open, updates without a reload
    expect(page.locator("[data-field=responded]")).to_have_text("1", timeout=15_000)
    expect(page.locator('tr[data-supplier] [data-status]').filter(has_text="Answered")).to_have_count(1)
    assert page.locator("#confidence-meter").evaluate("m => m.value") > 0.2
    check_page(page, "lm3-progress-updated")

    # The results, with the chart drawn by the locally served Plotly
    page.get_by_role("link", name="See the results so far").click()
    expect(page.locator(".lm3-headline")).to_contain_text("Every £1 creates")
    expect(page.locator("#lm3-chart .plot-container")).to_be_visible()
    check_page(page, "lm3-results")
    project = Lm3Project.objects.get()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Results report (PDF)").click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    pdf_first_page_png(content, "lm3-results-pdf")
    text, _ = pdf_text(content, tmp_path)
    assert project.name in text and "Round 3" in text

    # A second supplier writes its shares with a decimal and a % sign, as people do
    message = next(m for m in mailoutbox if m.to != ["bakery@example.org"]
                   and "/lm3/survey/" in m.body)
    second = browser.new_context().new_page()
    second.goto(re.search(r"http://\S+/lm3/survey/\S+/", message.body)[0])
    second.get_by_label("Staff who live in the council area of Calderdale").fill("33.5%")
    second.get_by_label("Suppliers based in the council area of Calderdale").fill("12 %")
    second.get_by_role("button", name="Send my answer").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("Thank you")
    second.context.close()
    answer = SupplierResponse.objects.get(supplier__email=message.to[0])
    assert (answer.local_staff_share, answer.local_supplier_share) == (
        Decimal("0.335"), Decimal("0.12"))


def test_demo_projects_on_a_phone(live_server, mobile_page, sign_in, check_page):
    from keepitlocal.web.demo import load_demo

    data = load_demo()
    sign_in(mobile_page, data.user)
    page: Any = mobile_page
    page.goto(f"{live_server.url}/lm3/")
    check_page(page, "lm3-index-mobile")
    page.get_by_role("link", name="Calder Valley Community Trust: turnover 2025/26").click()
    check_page(page, "lm3-overview-mobile")
    page.get_by_role("link", name="See the results").click()
    expect(page.locator(".lm3-headline")).to_contain_text("2.")
    check_page(page, "lm3-results-mobile")
    page.goto(f"{live_server.url}/lm3/")
    page.get_by_role("link", name="Jubilee Children's Centre contract 2026/27").click()
    page.get_by_role("link", name="See survey progress").click()
    check_page(page, "lm3-progress-mobile")
    page.get_by_role("link", name="Suppliers", exact=True).click()
    check_page(page, "lm3-suppliers-mobile")


def test_demo_pages_on_a_desktop(live_server, page, sign_in, check_page):
    from keepitlocal.web.demo import load_demo

    data = load_demo()
    sign_in(page, data.user)
    project = Lm3Project.objects.get(name="Jubilee Children's Centre contract 2026/27")
    for name, path in [("overview", ""), ("edit", "edit/"), ("area", "area/?q=brad"),
                       ("budget", "budget/"), ("notify", "notify/"), ("results", "results/"),
                       ("close", "close/"), ("delete", "delete/"),
                       ("supplier-add", "suppliers/add/")]:
        page.goto(f"{live_server.url}/lm3/{project.pk}/{path}")
        check_page(page, f"lm3-demo-{name}")
    supplier = project.suppliers.filter(response__isnull=True).exclude(email="").first()
    page.goto(f"{live_server.url}/lm3/{project.pk}/suppliers/{supplier.pk}/")
    check_page(page, "lm3-demo-supplier")
    page.get_by_role("link", name="Enter an answer received by phone or on paper").click()
    page.get_by_label("By phone").check()
    page.get_by_label(re.compile("^Staff who live in")).fill("30")
    page.get_by_label(re.compile("^Suppliers based in")).fill("10")
    check_page(page, "lm3-demo-response-form")
    page.get_by_role("button", name="Save the answer").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("By phone")
    assert SupplierResponse.objects.get(supplier=supplier).source == ResponseSource.PHONE
    page.goto(f"{live_server.url}/lm3/import/")
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a project file")
    check_page(page, "lm3-demo-import-errors")

    # Links that can no longer be answered explain why, to someone with no account
    from keepitlocal.web.lm3.models import SURVEY_PURPOSE
    from keepitlocal.web.surveys.services import link_issue

    closed = Lm3Project.objects.get(name="Calder Valley Community Trust: turnover 2025/26")
    closed_token = link_issue(closed.suppliers.first(), SURVEY_PURPOSE, closed.organisation,
                              group=closed.survey_group)
    from keepitlocal.web.surveys.services import links_close

    links_close(group=closed.survey_group)
    expired_token = link_issue(supplier, SURVEY_PURPOSE, project.organisation, days=-1)
    anonymous = page.context.browser.new_context().new_page()
    anonymous.goto(f"{live_server.url}/lm3/survey/{closed_token}/")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("This survey is closed")
    check_page(anonymous, "lm3-survey-closed")
    anonymous.goto(f"{live_server.url}/lm3/survey/{expired_token}/")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("This link has expired")
    check_page(anonymous, "lm3-survey-expired")
    anonymous.context.close()
