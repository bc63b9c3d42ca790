"""Enabled contribution through a real Chromium: every page screenshotted and checked with axe."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from keepitlocal.enabled import read_demo, write_template
from keepitlocal.web.enabled.models import EnabledProject, ProjectShare

from ..conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enter_tenants_by_hand_and_see_route_and_confidence(
    live_server, page, editor, sign_in, check_page
):
    sign_in(page, editor)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Capabilities").get_by_role(
        "link", name="Enabled contribution").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enabled contribution")
    check_page(page, "enabled-index-empty")

    page.get_by_role("link", name="Start a year").click()
    page.get_by_label("Year", exact=True).fill("2025")
    page.get_by_label("Council area (optional)").fill("Calder")
    page.get_by_role("option", name="Calderdale (E08000033)").click()
    check_page(page, "enabled-project-create")
    page.get_by_role("button", name="Start the year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2025: enabled contribution")

    page.get_by_role("link", name="Add a tenant").click()
    check_page(page, "enabled-tenant-form")
    page.get_by_label("Tenant name").fill("Hub Café CIC")
    page.get_by_label("SIC 2007 code or section").fill("56.10")
    page.get_by_label("Floorspace (m²)").fill("120")
    page.get_by_label("NIA: net internal area").check()
    page.get_by_label("Employees: full-time equivalent (FTE)").fill("6.5")
    page.get_by_label("Turnover (£ a year)").fill("about 200k")
    page.get_by_role("button", name="Save and add another").click()
    expect(page.get_by_label("Turnover (£ a year)")).to_have_value("about 200k")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the turnover as an amount in pounds")
    check_page(page, "enabled-tenant-form-errors")
    page.get_by_label("Turnover (£ a year)").fill("£210,000")  # read as 210000
    page.get_by_role("button", name="Save and add another").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add a tenant")
    page.get_by_label("Tenant name").fill("Calder Valley Makers")
    page.get_by_label("Use class of the space").select_option("B1c")
    page.get_by_label("Floorspace (m²)").fill("160")
    page.get_by_label("NIA: net internal area").check()
    page.get_by_role("button", name="Save", exact=True).click()

    table = page.locator("#results")
    cafe = table.get_by_role("row").filter(has_text="Hub Café CIC")
    expect(cafe).to_contain_text("6.5")
    expect(cafe).to_contain_text("Reported FTE")
    expect(cafe).to_contain_text("Turnover × industry GVA ratio")
    expect(cafe).to_contain_text("£99,960")
    expect(cafe.locator("td").nth(2)).to_contain_text("Moderate")
    makers = table.get_by_role("row").filter(has_text="Calder Valley Makers")
    expect(makers).to_contain_text("Floorspace ÷ employment density")
    expect(makers).to_contain_text("3.4")  # 160 m² NIA ÷ 47 m² per FTE
    expect(page.locator(".kil-headline")).to_contain_text("approximately 9.9 FTE")
    check_page(page, "enabled-project")

    page.get_by_role("link", name="Reference values").click()
    check_page(page, "enabled-overrides")
    page.get_by_label("Employment density (m² per FTE), for a use class").check()
    page.get_by_label("Code", exact=True).fill("B1c")
    page.get_by_label("Your value").fill("40")
    page.get_by_label("Why, and where it comes from").fill("our own count, 2025")
    page.get_by_role("button", name="Save your value").click()
    expect(page.get_by_role("table").first).to_contain_text("our own count, 2025")
    expect(page.locator("body")).to_contain_text("Your value")
    page.get_by_role("link", name="Back to the 2025 results").click()
    expect(page.locator("#results").get_by_role("row").filter(
        has_text="Calder Valley Makers")).to_contain_text("4")  # 160 ÷ 40
    assert EnabledProject.objects.get().tenants.count() == 2


def test_upload_a_workbook_and_download_the_pdf_report(
    live_server, page, mobile_page, editor, anchor_org, sign_in, check_page, tmp_path
):
    project = EnabledProject.objects.create(organisation=anchor_org, year=2025)
    sign_in(page, editor)
    page.goto(f"{live_server.url}/enabled/{project.pk}/")
    page.get_by_role("link", name="Upload a file").click()
    check_page(page, "enabled-upload")

    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps({"anchors": [{"name": "Northgate", "tenants": [
        {"name": "Hub Café CIC", "sic": "56.10", "fte": "six"},
        {"name": "Nowhere Ltd", "sic": "ZZ"}]}]}))
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload", exact=True).click()
    problems = page.locator("#problems")
    expect(problems).to_contain_text('broken.json')
    expect(problems).to_contain_text('fte is "six", not a number')
    expect(problems.locator("li")).to_have_count(2)
    check_page(page, "enabled-upload-errors")

    engine = read_demo()
    calderdale = next(a for a in engine.anchors if a.local_authority == "Calderdale")
    workbook = tmp_path / "Northgate tenants 2025.xlsx"
    write_template(workbook, type(engine)(anchors=(calderdale,), overrides=engine.overrides))
    page.get_by_label("Upload a file").set_input_files(str(workbook))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("9 tenants were read")
    table = page.locator("#results")
    expect(table.locator("tbody tr")).to_have_count(9)
    expect(table.get_by_role("row").filter(has_text="Brightstart Nursery")).to_contain_text(
        "Headcount × weekly hours")
    expect(table.get_by_role("row").filter(has_text="Friends of Northgate Park")).to_contain_text(
        "Excluded")
    expect(table.get_by_role("row").filter(has_text="Yoga Space Halifax")).to_contain_text(
        "⚠ Unverified")
    expect(page.locator(".govuk-warning-text")).to_contain_text(re.compile("unverified", re.I))
    check_page(page, "enabled-project-uploaded")

    with page.expect_download() as info:
        page.get_by_role("link", name="Report (PDF, A4)").click()
    download = info.value
    assert re.fullmatch(r"enabled-northgate-community-hub-2025-report\.pdf",
                        download.suggested_filename)
    pdf = tmp_path / "report.pdf"
    download.save_as(pdf)
    assert "(A4)" in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                    check=True).stdout
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                    str(SCREENSHOTS / "enabled-report-pdf")], check=True)
    assert list(SCREENSHOTS.glob("enabled-report-pdf*.png"))

    sign_in(mobile_page, editor)
    mobile_page.goto(f"{live_server.url}/enabled/{project.pk}/")
    expect(mobile_page.locator("#results")).to_contain_text("Hub Café CIC")
    check_page(mobile_page, "enabled-project-mobile")


def test_compare_two_years(
    live_server, page, mobile_page, editor, anchor_org, make_project, sign_in, check_page
):
    make_project(anchor_org, 2024)
    later = make_project(anchor_org, 2025)
    cafe = later.tenants.get(name="Hub Café CIC")
    cafe.fte = Decimal("8.5")
    cafe.save()
    later.tenants.get(name="Yoga Space Halifax").delete()

    sign_in(page, editor)
    page.goto(f"{live_server.url}/enabled/")
    check_page(page, "enabled-index")
    page.get_by_role("link", name="Compare years").click()
    expect(page.get_by_label("Earlier year")).to_have_value(
        str(EnabledProject.objects.get(year=2024).pk))
    totals = page.locator("#compare-totals")
    expect(totals.get_by_role("row").filter(has_text="Enabled employment")).to_contain_text(
        "−0.15 FTE")  # +2 FTE at the café, −2.15 FTE for the yoga studio that left
    tenants = page.locator("#compare-tenants")
    expect(tenants.get_by_role("row").filter(has_text="Yoga Space Halifax")).to_contain_text(
        "Not a tenant")
    check_page(page, "enabled-compare")

    sign_in(mobile_page, editor)
    mobile_page.goto(page.url)
    check_page(mobile_page, "enabled-compare-mobile")


def test_share_with_the_council_and_see_the_network_as_the_council(
    live_server, page, mobile_page, anchor_admin, anchor_org, council, make_member, make_org,
    make_project, sign_in, check_page,
):
    project = make_project(anchor_org, 2025)
    other_anchor = make_org("Todmorden Community Centre")
    make_project(other_anchor, 2025)  # not shared: never seen by the council
    officer = make_member("officer@example.org", council, "viewer")

    sign_in(page, anchor_admin)
    page.goto(f"{live_server.url}/enabled/{project.pk}/")
    page.get_by_role("link", name="Share the totals with a council").click()
    check_page(page, "enabled-share")
    page.get_by_label("Council to share with").select_option(label="Calderdale Council")
    page.get_by_role("button", name="Share the totals").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Calderdale Council can now see your 2025 totals")
    assert ProjectShare.objects.filter(council=council, project=project).exists()

    council_page = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
    council_page.problems = []
    sign_in(council_page, officer)
    council_page.goto(f"{live_server.url}/enabled/")
    council_page.get_by_role("link", name="See the network of anchors").click()
    anchors = council_page.locator("#network-anchors")
    expect(anchors.locator("tbody tr")).to_have_count(1)
    expect(anchors).to_contain_text("Northgate Community Hub")
    expect(anchors).to_contain_text("44.93")
    expect(anchors).to_contain_text("£2,809,134")
    expect(council_page.locator("body")).not_to_contain_text("Todmorden")
    expect(council_page.locator("body")).not_to_contain_text("Hub Café CIC")
    check_page(council_page, "enabled-network")
    council_page.context.close()

    sign_in(mobile_page, officer)
    mobile_page.goto(f"{live_server.url}/enabled/network/")
    check_page(mobile_page, "enabled-network-mobile")


def test_tenant_answers_the_survey_from_the_emailed_link(
    live_server, page, mobile_page, editor, anchor_org, make_project, sign_in, check_page,
    email_link,
):
    project = make_project(anchor_org, 2025)
    sign_in(page, editor)
    page.goto(f"{live_server.url}/enabled/{project.pk}/")
    page.get_by_role("link", name="Send the survey").click()
    check_page(page, "enabled-survey-send")
    page.get_by_label("Tenant name").fill("Riverside Bakery")
    page.get_by_label("Contact e-mail address").fill("baker@example.org")
    page.get_by_role("button", name="Add the tenant").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Riverside Bakery is added")
    page.get_by_label("Riverside Bakery (baker@example.org)").check()
    page.get_by_role("button", name="Send the survey").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The survey is on its way to 1 tenant")
    expect(page.locator("body")).to_contain_text("Waiting for data")

    link = email_link(f"{live_server.url}/enabled/survey/")
    mobile_page.goto(link)  # a fresh browser context: the tenant has no account
    expect(mobile_page.get_by_role("heading", level=1)).to_have_text("About Riverside Bakery")
    check_page(mobile_page, "enabled-survey-mobile")
    mobile_page.get_by_label("What does your organisation do?").fill("a bakery")
    mobile_page.get_by_label("Your SIC code (optional)").fill("10.71")
    mobile_page.get_by_label("What kind of space do you use?").select_option(
        label="Workshop or studio (light industry, making things)")
    mobile_page.get_by_label("How many people work for you?").fill("6")
    mobile_page.get_by_label("On average, how many hours a week does each work?").fill("30")
    mobile_page.get_by_label("What was your turnover last year, in pounds?").fill("-5")
    mobile_page.get_by_role("button", name="Send your answers").click()
    expect(mobile_page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the turnover as 0 or more")
    check_page(mobile_page, "enabled-survey-errors-mobile")
    mobile_page.get_by_label("What was your turnover last year, in pounds?").fill("£300,000")
    mobile_page.get_by_role("button", name="Send your answers").click()
    expect(mobile_page.get_by_role("heading", level=1)).to_have_text("Thank you")
    check_page(mobile_page, "enabled-survey-thanks-mobile")

    page.reload()
    expect(page.locator("#results").get_by_role("row").filter(
        has_text="Riverside Bakery")).to_contain_text("Headcount × weekly hours")
    answered = page.get_by_role("table", name="Who has answered the survey")
    expect(answered.get_by_role("row").filter(has_text="Riverside Bakery")).to_contain_text(
        "Answered")
    check_page(page, "enabled-project-after-survey")


def test_the_remaining_pages_pass_the_checks(
    live_server, page, mobile_page, editor, anchor_org, council, make_member, make_project,
    sign_in, check_page,
):
    project = make_project(anchor_org, 2025)
    tenant = project.tenants.get(name="Hub Café CIC")
    sign_in(page, editor)
    base = f"{live_server.url}/enabled/{project.pk}"
    for path, name in (
        ("/edit/", "enabled-project-edit"),
        ("/delete/", "enabled-project-delete"),
        (f"/tenants/{tenant.pk}/", "enabled-tenant-edit"),
        (f"/tenants/{tenant.pk}/delete/", "enabled-tenant-delete"),
    ):
        page.goto(base + path)
        check_page(page, name)
    page.goto(f"{base}/tenants/{tenant.pk}/delete/")
    page.get_by_role("button", name="Delete").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Hub Café CIC is removed")
    assert not project.tenants.filter(name="Hub Café CIC").exists()

    sign_in(mobile_page, editor)
    mobile_page.goto(f"{live_server.url}/enabled/")
    check_page(mobile_page, "enabled-index-mobile")
    officer = make_member("officer@example.org", council, "viewer")
    council_page = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
    council_page.problems = []
    sign_in(council_page, officer)
    council_page.goto(f"{live_server.url}/enabled/network/")
    expect(council_page.locator("main")).to_contain_text("No community anchor has shared")
    check_page(council_page, "enabled-network-empty")
    council_page.context.close()
