"""The account journeys, driven through a real Chromium: each page is screenshotted and checked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from keepitlocal.web.accounts.models import Membership, Organisation, User

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_creates_a_user_and_their_organisation(live_server, page, check_page, email_link):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    check_page(page, "login")
    page.get_by_role("link", name="Create an account for your organisation").click()
    check_page(page, "signup")

    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    check_page(page, "signup-errors")
    page.locator(".govuk-error-summary a").first.click()
    expect(page.get_by_label("Your full name")).to_be_focused()

    page.get_by_label("Your full name").fill("Asha Patel")
    page.get_by_label("E-mail address").fill("asha@example.org")
    page.get_by_label("Organisation name").fill("Hebden Bridge Community Association")
    page.get_by_label("Community organisation").check()
    page.get_by_label("Council area (optional)").fill("calder")
    page.get_by_role("option", name="Calderdale (E08000033)").click()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("We have sent a link to asha@example.org")).to_be_visible()
    check_page(page, "signup-sent")
    page.goto(email_link(f"{live_server.url}/accounts/signup/"))
    check_page(page, "signup-choose-password")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hebden Bridge Community Association")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    check_page(page, "home-after-signup")
    org = Organisation.objects.get(name="Hebden Bridge Community Association")
    assert (org.kind, org.lad_code) == ("community", "E08000033")
    assert Membership.objects.get(organisation=org).user.email == "asha@example.org"


def test_sign_in_and_out(live_server, page, admin, check_page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(admin.email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct e-mail address")
    check_page(page, "login-error")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calder Valley Community Trust")
    check_page(page, "home")

    page.keyboard.press("Tab")  # the skip link comes first and moves focus to the content
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto(f"{live_server.url}/organisation/members/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_invited_colleague_joins_through_the_emailed_link(
    live_server, page, browser, admin, sign_in, check_page, email_link
):
    sign_in(page, admin)
    page.goto(f"{live_server.url}/organisation/members/")
    check_page(page, "members")
    page.get_by_role("link", name="Invite a colleague").click()
    check_page(page, "invite-create")
    page.get_by_label("Their e-mail address").fill("Ben@Example.org")
    page.get_by_label("Viewer: can see everything").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("ben@example.org")
    expect(page.get_by_role("cell", name="ben@example.org", exact=True)).to_be_visible()
    check_page(page, "members-with-invite")

    link = email_link(live_server.url)
    invitee = browser.new_context().new_page()
    invitee.goto(link)
    check_page(invitee, "invite-accept")
    invitee.get_by_label("Your full name").fill("Ben Okafor")
    invitee.get_by_label("Create a password").fill(PASSWORD)
    invitee.get_by_label("Confirm your password").fill(PASSWORD)
    invitee.get_by_role("button", name="Join Calder Valley Community Trust").click()
    expect(invitee.locator(".govuk-notification-banner")).to_contain_text("as a viewer")
    expect(invitee.locator(".kil-account-bar")).to_contain_text("(Viewer)")

    membership = Membership.objects.get(user__email="ben@example.org")
    assert membership.role == "viewer" and membership.organisation == admin.memberships.get().organisation

    invitee.goto(link)  # a second use is refused
    expect(invitee.get_by_role("heading", level=1)).to_have_text("This invitation has already been used")
    check_page(invitee, "invite-used")
    invitee.context.close()


def test_password_reset_through_the_emailed_link(live_server, page, admin, check_page, email_link):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="I have forgotten my password").click()
    check_page(page, "password-reset")
    page.get_by_label("E-mail address").fill(admin.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    check_page(page, "password-reset-sent")

    page.goto(email_link(live_server.url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    check_page(page, "password-reset-confirm")
    page.get_by_label("New password", exact=True).fill("a-brand-new-passphrase")
    page.get_by_label("New password confirmation").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is saved")
    check_page(page, "password-reset-complete")

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address").fill(admin.email)
    page.get_by_label("Password").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calder Valley Community Trust")


def test_switching_organisation(live_server, page, admin, make_org, make_member, sign_in,
                                check_page):
    council = make_org("Calderdale Council", "council")
    make_member(admin.email, council, "viewer")
    sign_in(page, admin)
    page.goto(f"{live_server.url}/")
    expect(page.locator(".kil-account-bar")).to_contain_text("Calder Valley Community Trust")
    page.get_by_role("link", name="Switch organisation").click()
    check_page(page, "org-switch")
    page.get_by_label("Calderdale Council (Viewer)").check()
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calderdale Council")
    expect(page.locator(".kil-account-bar")).to_contain_text("(Viewer)")
    check_page(page, "home-council-viewer")


def _every_signed_in_page(admin: Any, org: Organisation) -> dict[str, str]:
    from keepitlocal.web.accounts import services
    from keepitlocal.web.core import nav

    other = User.objects.create_user(email="viewer@example.org", password=PASSWORD)
    member = Membership.objects.create(user=other, organisation=org, role="viewer")
    invite, _ = services.invite_create(org=org, email="new@example.org", role="editor",
                                       invited_by=admin)
    pages = {
        "home": "/",
        "about-signed-in": "/about/",
        "account": "/accounts/",
        "password-change": "/accounts/password/change/",
        "members": "/organisation/members/",
        "member-edit": f"/organisation/members/{member.pk}/",
        "invite-create": "/organisation/invites/new/",
        "invite-cancel": f"/organisation/invites/{invite.pk}/cancel/",
        "org-create": "/organisations/new/",
        "org-switch": "/organisations/switch/",
        "not-found": "/no-such-page/",
    }
    for item in nav.items():
        pages[f"nav-{item.key}"] = item.url
    return pages


def test_every_page_is_accessible(live_server, page, mobile_page, admin, org, sign_in, check_page):
    for name, path in {
        "about": "/about/",
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "password-reset": "/accounts/password/reset/",
        "password-reset-invalid": "/accounts/password/reset/MQ/bad-token/",
        "invite-invalid": "/invite/not-a-real-token/",
    }.items():
        page.goto(live_server.url + path)
        check_page(page, f"public-{name}")

    sign_in(page, admin)
    sign_in(mobile_page, admin)
    for name, path in _every_signed_in_page(admin, org).items():
        page.goto(live_server.url + path)
        check_page(page, name)
        if name in {"home", "members", "invite-create", "about-signed-in"}:
            mobile_page.goto(live_server.url + path)
            check_page(mobile_page, f"mobile-{name}")

    mobile_page.goto(live_server.url + "/")
    mobile_page.get_by_role("button", name="Menu").click()
    menu = mobile_page.get_by_role("navigation", name="Capabilities")
    expect(menu.get_by_role("link", name="Local spend")).to_be_visible()
    check_page(mobile_page, "mobile-menu-open")


def test_viewer_sees_a_clear_refusal(live_server, page, org, make_member, sign_in, check_page):
    viewer = make_member("viewer@example.org", org, "viewer")
    sign_in(page, viewer)
    response = page.goto(f"{live_server.url}/organisation/invites/new/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    check_page(page, "forbidden")
