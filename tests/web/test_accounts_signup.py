"""Signing up by e-mailed link: the page never tells whether an address already has an account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse

from keepitlocal.web.accounts.models import Membership, Organisation, User
from keepitlocal.web.accounts.services import signup_token

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

DETAILS = {"full_name": "Asha Patel", "email": "asha@example.org",
           "organisation_name": "Hebden Bridge Hub", "organisation_kind": "community"}


def _sign_up(client: Any, **changes: str) -> Any:
    return client.post(reverse("accounts:signup"), {**DETAILS, **changes})


def _link(mail: Any) -> str:
    return next(word for word in mail.body.split() if "/accounts/signup/" in word)


def _without_token(html: str) -> str:
    """The page without its per-response secrets (CSRF token, script nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_new_and_existing_addresses_get_the_same_page_and_different_mails(client, mailoutbox):
    new = _sign_up(client, email="new@example.org")
    User.objects.create_user(email="old@example.org", password=PASSWORD, full_name="Old")
    old = _sign_up(client, email="old@example.org")
    assert new.status_code == old.status_code == 200
    assert (_without_token(new.content.decode()).replace("new@", "X@")
            == _without_token(old.content.decode()).replace("old@", "X@"))
    assert "We have sent a link to <strong>new@example.org</strong>" in new.content.decode()
    first, second = mailoutbox
    assert first.to == ["new@example.org"] and "/accounts/signup/" in first.body
    assert second.to == ["old@example.org"] and "/accounts/signup/" not in second.body
    assert "already have an account" in second.body and "/accounts/password/reset/" in second.body
    assert User.objects.filter(email="new@example.org").count() == 0  # nothing until confirmed


def test_the_link_creates_the_account_and_organisation_once(client, mailoutbox):
    _sign_up(client, email="Asha@Example.org")
    link = _link(mailoutbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="asha@example.org")
    assert user.check_password(PASSWORD)
    org = Organisation.objects.get(name="Hebden Bridge Hub")
    assert Membership.objects.get(organisation=org).user == user
    client.logout()
    again = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert again.status_code == 410 and User.objects.count() == 1


def test_a_link_sent_twice_at_once_makes_one_account_and_no_error(client, monkeypatch):
    """Two POSTs of the link at the same moment both pass the "already has an account" check;
    the second meets the unique address and is told the link is used, not a server error."""
    from keepitlocal.web.accounts import selectors

    token = signup_token({**DETAILS, "lad_code": ""})
    User.objects.create_user(email=DETAILS["email"], password=PASSWORD, full_name="First")
    monkeypatch.setattr(selectors, "has_account", lambda email: False)
    response = client.post(reverse("accounts:signup_confirm", args=[token]),
                           {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410 and "already been used" in response.content.decode()
    assert User.objects.count() == 1 and Organisation.objects.count() == 0


def test_a_forged_altered_or_expired_link_is_refused(client, mailoutbox):
    forged = signing.dumps({**DETAILS, "lad_code": ""}, salt="another purpose")
    assert client.get(reverse("accounts:signup_confirm", args=[forged])).status_code == 404
    token = signup_token({**DETAILS, "lad_code": ""})
    altered = token[:-3] + ("aaa" if token[-3:] != "aaa" else "bbb")
    assert client.get(reverse("accounts:signup_confirm", args=[altered])).status_code == 404
    with override_settings(KEEPITLOCAL_SIGNUP_HOURS=0):
        assert client.get(reverse("accounts:signup_confirm", args=[token])).status_code == 404
    assert client.get(reverse("accounts:signup_confirm", args=[token])).status_code == 200


def test_the_password_step_names_its_errors(client):
    token = signup_token({**DETAILS, "lad_code": ""})
    response = client.post(reverse("accounts:signup_confirm", args=[token]),
                           {"password1": "1234567890", "password2": "1234567890"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert User.objects.count() == 0


@override_settings(KEEPITLOCAL_SIGNUP_MAILS_PER_HOUR=2)
def test_sign_up_mails_are_rate_limited_per_address_and_per_ip(client, mailoutbox):
    for _ in range(3):
        assert _sign_up(client).status_code == 200
    assert len(mailoutbox) == 2  # the third looks the same but sends nothing
    for number in range(20):
        _sign_up(client, email=f"person{number}@example.org")
    assert len(mailoutbox) == 2 + 20 - 3  # 20 per IP an hour: 2 already used, the 21st refused


@override_settings(KEEPITLOCAL_SIGNUP_MAILS_PER_HOUR=2)
def test_the_sign_up_limit_is_counted_across_web_processes(settings):
    """gunicorn runs several processes: each must see the others' count, so the limit is the
    limit and not the limit times the number of workers."""
    import os
    import subprocess
    import sys

    from keepitlocal.web.accounts.services import signup_mail_allowed

    assert signup_mail_allowed("flooded@example.org", "192.0.2.1")
    assert signup_mail_allowed("flooded@example.org", "192.0.2.1")
    other_process = subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); "
         "from keepitlocal.web.accounts.services import signup_mail_allowed as allowed; "
         "print(allowed('flooded@example.org', '192.0.2.1'), "
         "allowed('someone.else@example.org', '192.0.2.1'))"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "keepitlocal.web.settings",
             "KEEPITLOCAL_SECRET_KEY": settings.SECRET_KEY,
             "KEEPITLOCAL_CACHE_DIR": settings.CACHES["default"]["LOCATION"],
             "KEEPITLOCAL_SIGNUP_MAILS_PER_HOUR": "2"},
        capture_output=True, text=True, check=True,
    )
    assert other_process.stdout.split() == ["False", "True"]
