"""LM3 in the product's words, in a real browser at desktop and phone width: the radius and
postcode errors, the headline for a radius area, long labels that wrap, money typed with "£" and
refused as "1e6", and results with plain labels."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from keepitlocal.web import demo
from keepitlocal.web.lm3.demo import FINISHED
from keepitlocal.web.lm3.models import Lm3Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.postcodes]

LONG_LABEL = ("Annual maintenance contract for the community centre's heating, ventilation "
              "and air conditioning plant, including emergency call-outs, parts, labour, "
              "servicing visits and the yearly gas safety inspection")[:200]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_radius_errors_and_headline(live_server, page, mobile_page, admin, org, make_project,
                                    sign_in, check_page, width):
    page = page if width == "desktop" else mobile_page
    project = make_project(org)
    sign_in(page, admin)
    page.set_default_navigation_timeout(60_000)
    page.goto(f"{live_server.url}/lm3/{project.pk}/area/")
    page.get_by_label("Distance in kilometres").fill("100000")
    page.get_by_label("Postcode at the centre").fill("ZZ9 9ZZ")
    page.get_by_role("button", name="Use this distance").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.locator("a")).to_have_count(2)
    expect(summary).to_contain_text("Enter the distance between 0.1 km and 500 km")
    expect(summary).to_contain_text("We cannot find ZZ9 9ZZ: check the postcode at the centre")
    expect(summary).not_to_contain_text("digits")
    check_page(page, f"lm3-radius-errors-{width}")
    page.get_by_label("Distance in kilometres").fill("5")
    page.get_by_label("Postcode at the centre").fill("hx1 2jj")
    page.get_by_role("button", name="Use this distance").click()
    page.goto(f"{live_server.url}/lm3/{project.pk}/results/")
    expect(page.locator(".lm3-headline")).to_contain_text(
        "creates £")
    expect(page.locator(".lm3-headline")).to_contain_text("within 5 km of HX1 2JJ")
    expect(page.locator(".lm3-headline")).not_to_contain_text("for within")
    check_page(page, f"lm3-radius-results-{width}")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_budget_money_and_long_labels(live_server, page, mobile_page, admin, org, make_project,
                                      sign_in, check_page, width):
    page = page if width == "desktop" else mobile_page
    project = make_project(org)
    sign_in(page, admin)
    page.set_default_navigation_timeout(60_000)
    page.goto(f"{live_server.url}/lm3/{project.pk}/budget/")
    page.get_by_text("Add a direct cost").click()
    costs = page.locator("form").filter(has=page.get_by_role("button", name="Add cost"))
    costs.get_by_label("What the cost is").fill(LONG_LABEL)
    costs.get_by_label("Amount").fill("1e6")
    costs.get_by_label("Yes").check()
    costs.get_by_role("button", name="Add cost").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Write the amount in full, like 1,250.00, not as a power of ten (1e6)")
    check_page(page, f"lm3-budget-exponent-{width}")
    costs = page.locator("form").filter(has=page.get_by_role("button", name="Add cost"))
    costs.get_by_label("Amount").fill("£1,000")
    costs.get_by_role("button", name="Add cost").click()
    row = page.get_by_role("row").filter(has_text=LONG_LABEL[:40])
    expect(row).to_contain_text("£1,000")
    remove = row.get_by_role("button", name="Remove")
    expect(remove).to_be_in_viewport()
    box, width_px = remove.bounding_box(), page.viewport_size["width"]
    assert box["x"] + box["width"] <= width_px  # on the page, not pushed off it
    check_page(page, f"lm3-budget-long-label-{width}")


def test_results_use_plain_labels(live_server, page, mobile_page, sign_in, check_page):
    demo_data = demo.load_demo()
    project = Lm3Project.objects.get(organisation=demo_data.anchor, name=FINISHED)
    for current, name in ((page, "lm3-results-labels"), (mobile_page, "lm3-results-labels-phone")):
        sign_in(current, demo_data.user)
        current.set_default_navigation_timeout(60_000)
        current.goto(f"{live_server.url}/lm3/{project.pk}/results/")
        main = current.locator("main")
        expect(main).to_contain_text(
            "Share of their pay that staff living in the area spend in the area")
        expect(main).to_contain_text("Placed by their full postcode: ")
        expect(main).not_to_contain_text("local_staff_respend")
        check_page(current, name)


def test_closed_survey_page_gives_the_contact(live_server, page, mobile_page, admin, org,
                                              make_project, mailoutbox, check_page):
    from keepitlocal.web.lm3 import services

    from .conftest import survey_links

    project = make_project(org)
    services.invitations_send(project, base_url=live_server.url)
    url = survey_links(mailoutbox)["bakery@example.org"]
    services.lm3_project_close(project)
    for current, name in ((page, "survey-closed-contact"), (mobile_page, "survey-closed-phone")):
        current.set_default_navigation_timeout(60_000)
        current.goto(url if url.startswith("http") else live_server.url + url)
        expect(current.get_by_role("heading", level=1)).to_have_text("This survey is closed")
        expect(current.locator("#contact")).to_contain_text(admin.email)
        check_page(current, name)


def test_supplier_list_in_the_area(live_server, page, mobile_page, admin, org, make_project,
                                   sign_in, check_page):
    project = make_project(org)
    for current, name in ((page, "lm3-suppliers-area"), (mobile_page, "lm3-suppliers-area-phone")):
        sign_in(current, admin)
        current.set_default_navigation_timeout(60_000)
        current.goto(f"{live_server.url}/lm3/{project.pk}/suppliers/")
        current.get_by_label("In the area", exact=True).select_option("outside")
        current.get_by_label("Sort by").select_option("spend")
        current.get_by_role("button", name="Show", exact=True).click()
        table = current.locator("table.lm3-suppliers")
        expect(table.locator("thead")).to_contain_text("In the area")
        expect(table.locator("tbody tr").first).to_contain_text("No")
        check_page(current, name)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_choosing_one_line_per_person_shows_the_staff_form_at_once(
    live_server, page, mobile_page, admin, org, make_project, sign_in, check_page, width
):
    page = page if width == "desktop" else mobile_page
    project = make_project(org)  # payroll given as two totals
    sign_in(page, admin)
    page.set_default_navigation_timeout(60_000)
    page.goto(f"{live_server.url}/lm3/{project.pk}/budget/")
    staff = page.get_by_role("heading", name="Staff", exact=True)
    expect(staff).to_be_hidden()
    page.get_by_label("One line per staff member").check()
    expect(staff).to_be_visible()  # before Save
    expect(page.get_by_label("Role or name")).to_be_visible()  # the form is open: no staff yet
    check_page(page, f"lm3-budget-staff-shown-{width}")
