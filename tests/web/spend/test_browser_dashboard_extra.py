"""The dashboard's spend map, the run page's progress bar and the registers' admin page, in a
real Chromium: each checked with axe and screenshotted at desktop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.postcodes,
              pytest.mark.django_db(transaction=True)]


def test_spend_by_district_map(live_server, page, mobile_page, sign_in_to, check_page,
                               council, editor, analysed):
    run = analysed.latest_result_run
    districts = run.result["by_district"]
    assert [d["name"] for d in districts][:1] == ["Calderdale"]
    sign_in_to(page, editor, council)
    page.goto(f"{live_server.url}/spend/{analysed.pk}/dashboard/")
    map_ = page.locator("#district-map")
    # one shaded outline per district, drawn from the shipped boundaries, and no tiles fetched
    expect(map_.locator("path")).to_have_count(len(districts))
    expect(map_.locator(".leaflet-tile")).to_have_count(0)
    fills = {map_.locator("path").nth(i).get_attribute("fill") for i in range(len(districts))}
    assert "#003078" in fills  # the largest district has the darkest shade
    table = page.locator('[data-table="districts"]')
    expect(table.locator("tbody tr")).to_have_count(len(districts))
    for d in districts:
        row = table.locator(f'[data-district="{d["code"]}"]')
        expect(row).to_contain_text(d["name"])
        expect(row).to_contain_text(f'£{float(d["spend"]):,.2f}')
    expect(table.locator('[data-district="E08000033"]')).to_contain_text("the council's district")
    page.locator("#district-map").scroll_into_view_if_needed()
    check_page(page, "spend-dashboard-district-map")
    sign_in_to(mobile_page, editor, council)
    mobile_page.goto(f"{live_server.url}/spend/{analysed.pk}/dashboard/#districts")
    expect(mobile_page.locator("#district-map path")).to_have_count(len(districts))
    check_page(mobile_page, "spend-mobile-dashboard-district-map")
