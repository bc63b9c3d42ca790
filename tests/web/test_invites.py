"""Invitations: unguessable, single-use, expiring links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keepitlocal.web.accounts.models import Invite, Membership, User
from keepitlocal.web.accounts.services import invite_create

from .conftest import PASSWORD


@pytest.fixture
def invited(org, admin):
    invite, token = invite_create(org=org, email="ben@example.org", role="editor", invited_by=admin)
    return invite, token, reverse("accounts:invite_accept", kwargs={"token": token})


def test_the_invite_form_emails_a_link_through_a_task(client, org, admin, mailoutbox):
    client.force_login(admin)
    response = client.post(reverse("accounts:invite_create"),
                           {"email": "Ben@Example.org", "role": "viewer"})
    assert response.status_code == 302
    invite = Invite.objects.get()
    assert (invite.email, invite.role, invite.invited_by) == ("ben@example.org", "viewer", admin)
    (message,) = mailoutbox
    assert message.to == ["ben@example.org"]
    assert "Calder Valley Community Trust" in message.subject
    link = next(word for word in message.body.split() if "/invite/" in word)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    assert token not in invite.token_hash  # only a hash is stored


def test_inviting_an_existing_member_is_an_error(client, org, admin):
    client.force_login(admin)
    response = client.post(reverse("accounts:invite_create"),
                           {"email": admin.email.upper(), "role": "viewer"})
    assert response.status_code == 200
    assert b"is already a member" in response.content
    assert b"govuk-error-summary" in response.content


def test_a_new_user_accepts(client, invited):
    invite, _, url = invited
    response = client.get(url)
    assert response.status_code == 200 and b"ben@example.org" in response.content
    response = client.post(url, {"full_name": "Ben Okafor", "password1": PASSWORD,
                                 "password2": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="ben@example.org")
    assert Membership.objects.get(user=user).role == "editor"
    invite.refresh_from_db()
    assert invite.accepted_by == user
    assert client.get(reverse("core:home")).status_code == 200  # signed in


def test_weak_or_mismatched_passwords_are_refused(client, invited):
    _, _, url = invited
    response = client.post(url, {"full_name": "Ben", "password1": "12345678901",
                                 "password2": "12345678901"})
    assert b"entirely numeric" in response.content
    response = client.post(url, {"full_name": "Ben", "password1": PASSWORD, "password2": "other"})
    assert b"The passwords do not match" in response.content
    assert not User.objects.filter(email="ben@example.org").exists()


def test_an_existing_user_signs_in_then_joins(client, invited, make_org, make_member):
    _, _, url = invited
    ben = make_member("ben@example.org", make_org("Elsewhere"), "admin")
    response = client.get(url)
    assert b"Sign in to join" in response.content
    assert f"next={url}".replace("/", "%2F") in response.content.decode()
    client.force_login(ben)
    assert b"You are signed in as ben@example.org" in client.get(url).content
    client.post(url)
    assert Membership.objects.filter(user=ben).count() == 2


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
    lambda t: t[:-4],
    lambda t: t + "x",
    lambda t: "x" * 200,
])
def test_a_tampered_link_is_not_found(client, invited, tamper):
    _, token, _ = invited
    response = client.get(reverse("accounts:invite_accept", kwargs={"token": tamper(token)}))
    assert response.status_code == 404
    assert b"This invitation link is not valid" in response.content


def test_an_expired_link_is_refused(client, invited):
    invite, _, url = invited
    invite.expires_at = timezone.now() - timedelta(seconds=1)
    invite.save()
    response = client.get(url)
    assert response.status_code == 410
    assert b"This invitation has expired" in response.content
    response = client.post(url, {"full_name": "Ben", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email="ben@example.org").exists()


def test_a_link_works_once(client, invited):
    _, _, url = invited
    client.post(url, {"full_name": "Ben", "password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assert b"already been used" in response.content


def test_invites_expire_after_the_configured_days(org, admin, settings):
    settings.KEEPITLOCAL_INVITE_DAYS = 2
    invite, _ = invite_create(org=org, email="c@example.org", role="viewer", invited_by=admin)
    assert timedelta(days=2) - timedelta(minutes=1) < invite.expires_at - timezone.now()
    assert invite.expires_at - timezone.now() <= timedelta(days=2)


def test_cancelling_an_invite(client, invited, admin):
    invite, _, url = invited
    client.force_login(admin)
    response = client.post(reverse("accounts:invite_cancel", args=[invite.pk]))
    assert response.status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
