"""The staff file on the budget step, in a real browser at desktop and phone width: choose "one
line per staff member", upload a file with a bad row, fix it in the page, import."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from keepitlocal.web.lm3.models import StaffMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.postcodes]

STAFF_FILE = ("Role or name,Pay,Home postcode,Lives in the area\n"
              "Centre manager,\"£31,000\",HX1 1AA,\n"
              "Play worker,18000,,yes\n"
              "Driver,1e6,HX3 6AA,\n")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_staff_file_checked_fixed_and_imported(live_server, page, mobile_page, admin, org,
                                               make_project, sign_in, check_page, tmp_path,
                                               width):
    page = page if width == "desktop" else mobile_page
    project = make_project(org, suppliers=[])
    sign_in(page, admin)
    page.set_default_navigation_timeout(60_000)
    page.goto(f"{live_server.url}/lm3/{project.pk}/budget/")
    page.get_by_label("One line per staff member, with their home postcode").check()
    page.get_by_text("Upload a staff file").click()
    expect(page.get_by_role("link", name="Excel template")).to_be_visible()
    file = tmp_path / "staff.csv"
    file.write_text(STAFF_FILE, encoding="utf-8")
    page.get_by_label("Staff file").set_input_files(str(file))
    check_page(page, f"lm3-staff-upload-{width}")
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your file")
    expect(page.locator(".lm3-counts")).to_contain_text("2 rows ready")
    expect(page.locator(".lm3-counts")).to_contain_text("1 row with problems")
    row = page.locator("#row-4")
    expect(row).to_contain_text("Pay \"1e6\" is written as a power of ten")
    check_page(page, f"lm3-staff-check-{width}")
    row.get_by_label("Pay").fill("21000")
    row.get_by_role("button", name="Check row 4 again").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Row 4 (Driver) is ready")
    page.get_by_role("button", name="Import 3 rows").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Imported 3 staff from staff.csv")
    check_page(page, f"lm3-staff-imported-{width}")
    page.get_by_role("link", name="Back to your staff").click()
    expect(page.locator("#staff-section caption")).to_contain_text("3 staff, £70,000.00 in all")
    check_page(page, f"lm3-staff-budget-{width}")
    assert StaffMember.objects.filter(project=project).count() == 3
