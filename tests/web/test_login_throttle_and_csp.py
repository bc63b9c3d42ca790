"""Login throttling (django-axes) and the Content-Security-Policy header."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _sign_in(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_wrong_passwords_lock_the_address_even_for_the_right_one(client, admin, settings):
    from .conftest import PASSWORD

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(client, admin.email, "wrong-password")
        assert response.status_code == 200  # the form again, with its error
    assert _sign_in(client, admin.email, "wrong-password").status_code == 429
    locked = _sign_in(client, admin.email, PASSWORD)
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_right_password_before_the_limit_clears_the_count(client, admin, settings):
    from .conftest import PASSWORD

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, admin.email, "wrong-password")
    assert _sign_in(client, admin.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, admin.email, "wrong-password")
    assert _sign_in(client, admin.email, PASSWORD).status_code == 302


def test_every_page_sends_a_strict_script_policy_and_inline_scripts_carry_its_nonce(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs or "application/json" in attrs
                          for attrs in inline)


def test_password_reset_does_not_reveal_whether_an_address_has_an_account(client, admin,
                                                                          mailoutbox):
    known = client.post(reverse("accounts:password_reset"), {"email": admin.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mailoutbox) == 1


@pytest.mark.browser
def test_pages_run_under_the_policy_in_a_browser(page, live_server, check_page):
    """GOV.UK Frontend's inline start-up scripts run (they carry the nonce): no CSP refusal."""
    page.set_default_navigation_timeout(60_000)
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    check_page(page, "csp-login")
    assert not [p for p in page.problems if "CSP" in p]


def test_an_over_long_address_is_a_form_error_not_a_failed_login(client, db):
    from axes.models import AccessAttempt

    response = client.post(reverse("accounts:login"), {"username": "x" * 5000 + "@example.org",
                                                "password": "wrong"})
    assert response.status_code == 200
    assert "can be at most 254 characters long" in response.content.decode()
    assert not AccessAttempt.objects.exists()
