"""An invitation works only for the address it was sent to; every membership change is logged
and shown to the organisation's admins (and only to them)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keepitlocal.web.accounts.models import Membership, MembershipEvent
from keepitlocal.web.accounts.services import invite_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(org, admin):
    invite, token = invite_create(org=org, email="ben@example.org", role="admin", invited_by=admin)
    return invite, reverse("accounts:invite_accept", kwargs={"token": token})


def test_someone_else_signed_in_cannot_accept(client, invited, make_org, make_member, org):
    invite, url = invited
    mallory = make_member("mallory@example.org", make_org("Elsewhere"), "admin")
    client.force_login(mallory)
    page = client.get(url)
    assert page.status_code == 403
    text = page.content.decode()
    assert "sent to ben@example.org" in text and "Sign out" in text
    assert client.post(url).status_code == 403
    assert not Membership.objects.filter(user=mallory, organisation=org).exists()
    invite.refresh_from_db()
    assert invite.accepted_at is None  # still usable by Ben


def test_the_invited_address_joins_and_the_join_is_logged(client, invited, make_org,
                                                          make_member, org, admin):
    invite, url = invited
    ben = make_member("Ben@Example.org", make_org("Ben's other org"), "viewer")
    client.force_login(ben)
    assert client.post(url).status_code == 302
    assert Membership.objects.get(user=ben, organisation=org).role == "admin"
    event = MembershipEvent.objects.for_org(org).get(change="joined")
    assert (event.email, event.role_after, event.invite, event.invited_by_email) == (
        ben.email, "admin", invite, admin.email)


def test_role_changes_and_removals_are_logged_and_shown_to_admins(client, org, admin,
                                                                  make_member):
    colleague = make_member("colleague@example.org", org, "editor")
    viewer = make_member("viewer@example.org", org, "viewer")
    client.force_login(admin)
    membership = Membership.objects.get(user=colleague, organisation=org)
    edit = reverse("accounts:member_edit", args=[membership.pk])
    assert client.post(edit, {"role": "viewer"}).status_code == 302
    assert client.post(edit, {"remove": "1", "role": "viewer"}).status_code == 302
    changes = list(MembershipEvent.objects.for_org(org).values_list(
        "change", "email", "role_before", "role_after", "by_email"))
    assert changes == [
        ("removed", "colleague@example.org", "viewer", "", "admin@example.org"),
        ("role", "colleague@example.org", "editor", "viewer", "admin@example.org"),
    ]
    page = client.get(reverse("accounts:members")).content.decode()
    assert "Membership changes" in page and "Role changed: editor to viewer" in page
    client.force_login(viewer)
    assert "Membership changes" not in client.get(reverse("accounts:members")).content.decode()


def test_signing_up_logs_the_creation_and_never_verifies_a_council(client, mailoutbox):
    from keepitlocal.web.accounts.models import Organisation

    client.post(reverse("accounts:signup"), {
        "full_name": "Ann", "email": "ann@example.org", "organisation_name": "Calderdale Council",
        "organisation_kind": "council"})
    link = next(word for word in mailoutbox[-1].body.split() if "/accounts/signup/" in word)
    response = client.post(link, {"password1": "a-long-pass-phrase-9",
                                  "password2": "a-long-pass-phrase-9"})
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organisation.objects.get()
    assert org.verified is False
    assert MembershipEvent.objects.for_org(org).get().change == "created"
