"""The council-area picker: one field for sign-up, organisation settings, LM3 and Enabled.

It is a select without JavaScript and a search box with it; whatever is posted is checked
against the shipped list and turned into a current ONS code, never cut to the column's length.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from keepitlocal.web.accounts.forms import OrganisationForm, SignupForm
from keepitlocal.web.accounts.models import Organisation

from .conftest import SCREENSHOTS
from .signup_steps import finish_signup

SIGNUP = {
    "full_name": "Asha Patel", "email": "asha@example.org",
    "organisation_name": "Harrogate Community Hub",
    "organisation_kind": "community",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "code"),
    [("Calderdale", "E08000033"), ("E08000033", "E08000033"), ("Harrogate", "E06000065"),
     ("E07000165", "E06000065"), ("", "")],
)
def test_sign_up_turns_a_name_or_former_district_into_the_current_code(typed: str, code: str):
    form = SignupForm({**SIGNUP, "lad_code": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["lad_code"] == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "words"),
    [("Calderdale Borough Council of the West Riding", "No council area is called"),
     ("E07999999", "E07999999 is not a council area code we know"),
     ("North", "More than one council area starts with “North”")],
)
def test_an_unknown_area_is_refused_in_words_naming_the_council_area(typed: str, words: str):
    for form in (SignupForm({**SIGNUP, "lad_code": typed}),
                 OrganisationForm({"name": "Trust", "kind": "community", "lad_code": typed})):
        assert not form.is_valid()
        (message,) = form.errors["lad_code"]
        assert message.startswith(words) and "council area" in message




def _fill_signup(page: Any) -> None:
    page.get_by_label("Your full name").fill("Asha Patel")
    page.get_by_label("E-mail address").fill("asha@example.org")
    page.get_by_label("Organisation name").fill("Harrogate Community Hub")
    page.get_by_label("Community organisation").check()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_finds_a_former_district_by_name_on_a_phone(live_server, mobile_page, check_page,
                                                            email_link):
    page = mobile_page
    page.goto(f"{live_server.url}/accounts/signup/")
    _fill_signup(page)
    page.get_by_label("Council area (optional)").fill("harro")
    option = page.get_by_role("option", name="Harrogate (now North Yorkshire)")
    expect(option).to_be_visible()
    check_page(page, "area-picker-search-phone")
    option.click()
    page.get_by_role("button", name="Create account").click()
    finish_signup(page, email_link, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Harrogate Community Hub")
    assert Organisation.objects.get(name="Harrogate Community Hub").lad_code == "E06000065"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_by_ons_code(live_server, page, check_page):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Council area (optional)").fill("E0800003")
    expect(page.get_by_role("option", name="Calderdale (E08000033)")).to_be_visible()
    check_page(page, "area-picker-search-code")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_without_javascript_the_picker_is_a_select(live_server, browser, width, email_link):
    viewport = {"width": 1280, "height": 900} if width == "desktop" else {"width": 390, "height": 844}
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/signup/")
        _fill_signup(page)
        select = page.get_by_label("Council area (optional)")
        expect(select).to_have_js_property("tagName", "SELECT")
        select.select_option(label="Craven (now North Yorkshire)")
        # axe needs scripts, so the no-script page is only screenshotted; the same page with
        # scripts is checked by the tests above.
        page.screenshot(path=str(SCREENSHOTS / f"area-picker-no-js-{width}.png"), full_page=True)
        page.get_by_role("button", name="Create account").click()
        finish_signup(page, email_link, live_server)
        expect(page).to_have_url(re.compile(r"/$"))
        assert Organisation.objects.get(name="Harrogate Community Hub").lad_code == "E06000065"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", ["page", "mobile_page"])
def test_an_unknown_council_code_at_sign_up_is_refused_by_the_picker(live_server, request, width,
                                                                     check_page):
    """The search box offers nothing for a code it does not know, and says so; sent anyway, the
    form refuses it in words naming the code (not a sign-up with no area)."""
    page = request.getfixturevalue(width)
    page.goto(f"{live_server.url}/accounts/signup/")
    _fill_signup(page)
    page.get_by_label("Council area (optional)").fill("E07999999")
    expect(page.get_by_text("No council area matches: try part of the name, or its code")
           ).to_be_visible()
    expect(page.get_by_role("option", name=re.compile("E07999999"))).to_have_count(0)
    shape = 'phone' if width == 'mobile_page' else 'desktop'
    check_page(page, f"area-picker-unknown-code-{shape}")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "E07999999 is not a council area code we know")
    expect(page.get_by_label("Council area (optional)")).to_have_value("E07999999")
    check_page(page, f"area-picker-unknown-code-refused-{shape}")
