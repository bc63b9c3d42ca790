"""In a real browser: two colleagues rate a self-assessment, twice a year apart; the result shows
the agreed rating, the spread and the change; the action plan, membership, comparison and PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from keepitlocal.framework.principles import statements
from keepitlocal.web.assessment.models import Action, Assessment

from ..pdf import pdf_first_page_png, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PATIENCE_MS = 30_000  # the rating form is long and the machine may be shared


def rate_everything(page: Any, live_server: Any, pk: int, levels: dict[str, int], team: str,
                    check_page: Any = None, name: str = "") -> None:
    """Open the rating form, answer every statement (level from `levels` by principle)."""
    page.goto(f"{live_server.url}/framework/assessment/{pk}/rate/")
    page.get_by_label("Which team do you work in?").select_option(team)
    for s in statements():
        key = s.id.replace(".", "_")
        page.locator(f"#id_level_{key}_{levels[s.principle]}").check()
    page.locator("#id_owner_S6_3").fill("Head of Procurement")
    page.locator("#id_evidence_S6_3").fill("Lots policy agreed by cabinet")
    if check_page:
        check_page(page, name)
    page.get_by_role("button", name="Submit my ratings").click()
    expect(page.get_by_text("Your answers are submitted")).to_be_visible(timeout=PATIENCE_MS)


def new_assessment(page: Any, live_server: Any, title: str, on: str,
                   check_page: Any = None) -> int:
    page.goto(f"{live_server.url}/framework/assessment/")
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Date of the assessment").fill(on)
    if check_page:
        check_page(page, "assessment-create")
    page.get_by_role("button", name="Create the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title, timeout=PATIENCE_MS)
    return Assessment.objects.get(title=title).pk


def switch_user(page: Any, sign_in: Any, user: Any) -> None:
    page.context.clear_cookies()
    sign_in(page, user)


def test_two_raters_twice_a_year_apart_see_the_change_and_the_spread(
        live_server, page, sign_in, check_page, commissioner, buyer, tmp_path):
    first_year = {"P1": 2, "P2": 2, "P3": 1, "P4": 1, "P5": 3, "P6": 1}
    buyer_first = {**first_year, "P6": 3}  # procurement sees local-by-default 2 levels higher
    second_year = {**first_year, "P3": 2, "P6": 3}
    buyer_second = {**second_year, "P6": 3}

    page.set_default_timeout(PATIENCE_MS)
    sign_in(page, commissioner)
    first = new_assessment(page, live_server, "Self-assessment 2025", "2025-03-03", check_page)
    check_page(page, "assessment-new-empty")
    rate_everything(page, live_server, first, first_year, "commissioning", check_page,
                    "assessment-rate")
    check_page(page, "assessment-result-one-rater")

    switch_user(page, sign_in, buyer)
    page.goto(f"{live_server.url}/framework/assessment/{first}/rate/")
    page.locator("#id_level_S1_1_3").check()
    page.get_by_role("button", name="Save a draft").click()
    expect(page.get_by_text("Your draft is saved")).to_be_visible(timeout=PATIENCE_MS)
    page.goto(f"{live_server.url}/framework/assessment/{first}/")
    expect(page.get_by_text("The result is hidden until you submit")).to_be_visible(timeout=PATIENCE_MS)
    check_page(page, "assessment-hidden-until-submitted")
    rate_everything(page, live_server, first, buyer_first, "procurement")
    expect(page.locator("table.kil-statements").get_by_text("Disagree")).to_have_count(12, timeout=PATIENCE_MS)
    s63 = page.locator("tr", has_text="S6.3. Big contracts")
    expect(s63.locator("td").nth(0)).to_have_text("1 Bystander", timeout=PATIENCE_MS)  # lower median of 1 and 3
    expect(s63.locator("td").nth(1)).to_contain_text("1–3", timeout=PATIENCE_MS)

    switch_user(page, sign_in, commissioner)
    second = new_assessment(page, live_server, "Self-assessment 2026", "2026-03-02")
    rate_everything(page, live_server, second, second_year, "commissioning")
    switch_user(page, sign_in, buyer)
    rate_everything(page, live_server, second, buyer_second, "procurement")

    expect(page.get_by_text("Since Self-assessment 2025")).to_contain_text(
        "18 statements improved, 0 declined", timeout=PATIENCE_MS)
    expect(page.locator("#assessment-chart .plot-container")).to_be_visible(timeout=PATIENCE_MS)
    profile = page.locator("table", has_text="Score by principle")
    p6 = profile.locator("tr", has_text="6. Local by default")
    expect(p6.locator("td").nth(0)).to_have_text("3.0", timeout=PATIENCE_MS)
    expect(p6.locator("td").last).to_have_text("+2.0", timeout=PATIENCE_MS)
    expect(page.locator("table.kil-statements").get_by_text("Disagree")).to_have_count(0, timeout=PATIENCE_MS)
    check_page(page, "assessment-result-two-years")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Report (PDF)").click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    pdf_first_page_png(content, "assessment-report-pdf")
    text, pages = pdf_text(content, tmp_path)
    assert "Keep it Local self-assessment" in text and "Self-assessment 2026" in text
    assert "Since Self-assessment 2025" in text and "6. Local by default" in text
    assert "Commissioner (Commissioning)" in text and "Buyer (Procurement)" in text
    assert pages >= 2

    page.get_by_role("link", name="See and edit the action plan").click()
    page.get_by_role("button", name="Add actions for the").click()
    expect(page.get_by_text("actions were added from the gaps")).to_be_visible(timeout=PATIENCE_MS)
    check_page(page, "assessment-actions")
    page.get_by_role("link", name="Change action 1", exact=True).click()
    page.get_by_label("Owner").fill("Director of Public Services")
    page.get_by_label("Due by").fill("2026-06-30")
    check_page(page, "assessment-action-edit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Director of Public Services")).to_be_visible(timeout=PATIENCE_MS)
    assert Action.objects.filter(owner="Director of Public Services").count() == 1
    before = Action.objects.count()
    page.get_by_role("button", name="Remove action 2", exact=True).click()
    expect(page.get_by_text("The action is removed")).to_be_visible(timeout=PATIENCE_MS)
    assert Action.objects.count() == before - 1
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action").fill("Hold the community conversation")
    page.get_by_label("Owner").fill("Head of Communities")
    check_page(page, "assessment-action-create")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Hold the community conversation")).to_be_visible(timeout=PATIENCE_MS)
    assert Action.objects.count() == before


def test_membership_and_comparison_pages(live_server, page, sign_in, check_page, commissioner,
                                         viewer):
    page.set_default_timeout(PATIENCE_MS)
    sign_in(page, commissioner)
    page.goto(f"{live_server.url}/framework/assessment/network/")
    expect(page.locator(".govuk-tag").first).to_have_text("Not started", timeout=PATIENCE_MS)
    page.get_by_label("Name").fill("Cllr Jordan Hale")
    page.get_by_label("Role").fill("Cabinet member for communities")
    page.get_by_label("Cabinet", exact=True).check()
    page.get_by_role("button", name="Add the champion").click()
    page.get_by_label("Principles endorsed on").fill("2024-11-20")
    page.get_by_label("Planned", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Status: Pending")).to_be_visible(timeout=PATIENCE_MS)
    check_page(page, "assessment-network")

    page.goto(f"{live_server.url}/framework/assessment/compare/")
    page.get_by_role("button", name="Share our latest assessment, anonymised").click()
    expect(page.get_by_text("shares its latest assessment")).to_be_visible(timeout=PATIENCE_MS)
    expect(page.get_by_text("Fewer than 5 councils: not shown").first).to_be_visible(timeout=PATIENCE_MS)
    check_page(page, "assessment-compare")

    page.goto(f"{live_server.url}/framework/assessment/")
    check_page(page, "assessment-index")
    switch_user(page, sign_in, viewer)
    page.goto(f"{live_server.url}/framework/assessment/network/")
    expect(page.get_by_role("button", name="Add the champion")).to_have_count(0, timeout=PATIENCE_MS)
    check_page(page, "assessment-network-viewer")


def test_the_demo_on_a_phone(live_server, mobile_page, sign_in, check_page):
    from keepitlocal.web.demo import load_demo

    data = load_demo()
    page: Any = mobile_page
    page.set_default_timeout(PATIENCE_MS)
    sign_in(page, data.user)
    page.goto(f"{live_server.url}/organisations/switch/")
    page.get_by_label("Calderdale Council (Editor)").check()
    page.get_by_role("button", name="Switch").click()
    page.goto(f"{live_server.url}/framework/assessment/")
    check_page(page, "assessment-demo-index-mobile")
    page.get_by_role("link", name="Keep it Local self-assessment 2026").click()
    expect(page.get_by_text("Since Keep it Local self-assessment 2025")).to_be_visible(timeout=PATIENCE_MS)
    expect(page.locator("#assessment-chart .plot-container")).to_be_visible(timeout=PATIENCE_MS)
    check_page(page, "assessment-demo-result-mobile")
