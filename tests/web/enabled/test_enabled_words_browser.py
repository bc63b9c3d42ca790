"""Enabled contribution in the product's words: year errors, one message per field naming it,
the use classes tenants name today, saved numbers as people write them, statuses in words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from keepitlocal.web.enabled import services
from keepitlocal.web.enabled.models import Tenant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_year_and_tenant_errors_name_their_fields(live_server, page, editor, sign_in, check_page):
    sign_in(page, editor)
    page.set_default_navigation_timeout(60_000)
    page.goto(f"{live_server.url}/enabled/new/")
    page.get_by_label("Year", exact=True).fill("1850")
    page.get_by_role("button", name="Start the year").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "Enter the year the survey describes as a year between 1990 and 2100, like 2025")
    expect(summary).not_to_contain_text("Ensure this value")
    check_page(page, "enabled-year-error")
    page.get_by_label("Year", exact=True).fill("2025")
    page.get_by_role("button", name="Start the year").click()

    page.get_by_role("link", name="Add a tenant").click()
    page.get_by_label("Tenant name").fill("Calder Makers")
    page.get_by_label("Use class of the space").select_option("E(g)(iii)")
    for label in ("Floorspace (m²)", "Employees: full-time equivalent (FTE)",
                  "Employees: number of people", "Average hours a week per person"):
        page.get_by_label(label).fill("-1")
    page.get_by_role("button", name="Save", exact=True).click()
    links = page.locator(".govuk-error-summary a")
    expect(links).to_have_count(4)
    texts = links.all_inner_texts()
    assert len(set(texts)) == 4 and all("as 0 or more" in text for text in texts)
    assert page.locator(".govuk-error-message").count() == 4  # one under each field
    check_page(page, "enabled-tenant-errors-named")


def test_2020_use_class_saved_numbers_and_status_words(
    live_server, page, mobile_page, editor, anchor_org, sign_in, check_page
):
    project = services.project_create(org=anchor_org, year=2025)
    tenant = Tenant.objects.create(organisation=anchor_org, project=project, name="Hub Café CIC",
                                   sic="56.10", use_class="E(b)", area_basis="NIA",
                                   floorspace_m2=Decimal("200.0000"))
    for current in (page, mobile_page):
        sign_in(current, editor)
        current.goto(f"{live_server.url}/enabled/{project.pk}/tenants/{tenant.pk}/")
        expect(current.get_by_label("Floorspace (m²)")).to_have_value("200")
        expect(current.get_by_label("Use class of the space")).to_have_value("E(b)")
    check_page(page, "enabled-tenant-2020-class")
    check_page(mobile_page, "enabled-tenant-2020-class-phone")

    page.goto(f"{live_server.url}/enabled/{project.pk}/")
    row = page.locator("#results").get_by_role("row").filter(has_text="Hub Café CIC")
    expect(row).to_contain_text("Floorspace ÷ employment density")  # 200 m² ÷ 17.5 (E(b) = A3)
    page.get_by_role("link", name="Reference values").click()
    body = page.locator("main")
    expect(body).to_contain_text("Worked out from the HCA figures")
    for code in ("TRANSCRIBED", "DERIVED", "CONVENTION"):
        expect(body).not_to_contain_text(code)
    check_page(page, "enabled-reference-words")
    mobile_page.goto(page.url)
    check_page(mobile_page, "enabled-reference-words-phone")
