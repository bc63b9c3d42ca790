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


def test_run_page_progress_bar(live_server, page, mobile_page, sign_in_to, check_page, council,
                               editor, make_analysis, monkeypatch):
    """The bar starts without a value (not started), follows the engine's progress callback as
    the page polls, and the dashboard opens when the run ends."""
    from keepitlocal.spend.model import Progress
    from keepitlocal.web.spend import bridge, services, tasks

    from .test_browser import HeldQueue

    queue = HeldQueue()
    monkeypatch.setattr(tasks, "run_analysis", queue)
    analysis = make_analysis(council)
    run = services.run_start(analysis, editor)
    sign_in_to(page, editor, council)
    page.goto(f"{live_server.url}/spend/{analysis.pk}/runs/{run.pk}/")
    bar = page.get_by_role("progressbar", name="How far the analysis has got")
    expect(bar).to_be_visible()
    assert bar.get_attribute("value") is None  # indeterminate: the worker has not started
    expect(page.locator("[data-run-percent]")).to_have_text("Not started yet")
    check_page(page, "spend-run-progress-queued")

    # The engine tells the run where it is, as it does in the worker; the page follows.
    bridge._engine_progress(run)(Progress("matching", 5, 10))
    expect(page.locator("[data-run-percent]")).to_have_text("70% done", timeout=15_000)
    expect(bar).to_have_js_property("value", 70)
    expect(page.get_by_role("status")).to_contain_text("Matched 5 of 10 supplier names.")
    check_page(page, "spend-run-progress-70")
    sign_in_to(mobile_page, editor, council)
    mobile_page.goto(page.url)
    expect(mobile_page.get_by_role("progressbar")).to_have_js_property("value", 70)
    check_page(mobile_page, "spend-mobile-run-progress-70")

    bridge.run_execute(queue.waiting.pop())
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard", timeout=20_000)


def test_admin_registers_page(live_server, page, mobile_page, sign_in_to, check_page, council,
                              editor, loaded_store):
    from .test_national import CH_NAME

    editor.is_staff = True
    editor.save()
    sign_in_to(page, editor, council)
    page.goto(f"{live_server.url}/admin/")
    check_page(page, "admin-index")
    page.get_by_role("link", name="What is loaded, and when").click()
    expect(page.locator("h1")).to_have_text("National registers")
    row = page.locator('[data-register="companies_house"]')
    expect(row).to_contain_text(CH_NAME)
    expect(row).to_contain_text("1 January 2025")
    expect(page.locator('[data-register="charity_commission"]')).to_contain_text("Not loaded")
    check_page(page, "admin-registers")
    sign_in_to(mobile_page, editor, council)
    mobile_page.goto(f"{live_server.url}/admin/registers/")
    check_page(mobile_page, "admin-mobile-registers")


def test_analyse_the_rest_without_an_unmappable_file(live_server, page, mobile_page, sign_in_to,
                                                     check_page, council, editor,
                                                     make_analysis):
    from .test_left_out import unmappable

    analysis = make_analysis(council)
    unmappable(analysis)
    sign_in_to(page, editor, council)
    page.goto(f"{live_server.url}/spend/{analysis.pk}/")
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "notes.csv: choose the column that holds")
    page.get_by_role("link", name="Upload or check the ledgers").click()
    row = page.locator(".spend-file", has_text="notes.csv")
    expect(row).to_contain_text("Columns needed")
    expect(row.get_by_role("link", name="Map its columns of notes.csv")).to_be_visible()
    check_page(page, "spend-files-unmappable")
    row.get_by_role("button", name="Analyse the rest without it (notes.csv)").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "notes.csv is left out: the analysis runs on the other files.")
    expect(page.locator(".spend-file", has_text="notes.csv")).to_contain_text(
        "Left out of the analysis")
    check_page(page, "spend-files-left-out")
    page.get_by_role("link", name="Overview", exact=True).click()
    expect(page.get_by_text("Ready: 2 ledger files")).to_be_visible()
    page.get_by_role("button", name="Run the analysis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard", timeout=30_000)
    expect(page.locator("[data-left-out]")).to_contain_text("notes.csv")
    check_page(page, "spend-dashboard-left-out")
    sign_in_to(mobile_page, editor, council)
    mobile_page.goto(f"{live_server.url}/spend/{analysis.pk}/files/")
    check_page(mobile_page, "spend-mobile-files-left-out")
