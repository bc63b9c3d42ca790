"""Sharing goes only to a council staff verified, or to one whose member gave a share code: a
self-registered "council" is never offered, and a council sees only what was shared with it."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.urls import reverse

from keepitlocal.web.enabled import selectors, services
from keepitlocal.web.enabled.models import ProjectShare

pytestmark = pytest.mark.django_db


def test_an_unverified_council_is_not_offered_and_cannot_be_posted(
    anchor_org: Any, anchor_admin: Any, council: Any, make_org: Any, make_project: Any,
    client_for: Any,
) -> None:
    fake = make_org("Calderdale Metropolitan Borough Council", kind="council")  # signed up
    project = make_project(anchor_org)
    client = client_for(anchor_admin)
    page = client.get(reverse("enabled:share", args=[project.pk])).content.decode()
    assert "Calderdale Council" in page and fake.name not in page
    response = client.post(reverse("enabled:share", args=[project.pk]), {"council": fake.pk})
    assert "Choose one of the answers listed for" in response.content.decode()
    with pytest.raises(ValueError, match="verified council"):
        services.share_create(project, fake, anchor_admin)
    assert not ProjectShare.objects.exists()


def test_a_council_members_code_lets_an_anchor_share_with_it(
    anchor_org: Any, anchor_admin: Any, make_org: Any, make_member: Any, make_project: Any,
    client_for: Any,
) -> None:
    small = make_org("Todmorden Town Council", kind="council")  # not verified
    officer = make_member("clerk@example.org", small, "admin")
    network = client_for(officer).get(reverse("enabled:network")).content.decode()
    # The code shown is the council's (read from the page: a code made here a second later
    # carries another time, so it is not compared as text).
    shown = re.search(r'id="share-code">([^<]+)</code>', network)
    assert shown is not None and selectors.council_from_code(shown.group(1)) == small
    code = shown.group(1)
    project = make_project(anchor_org)
    client = client_for(anchor_admin)
    wrong = client.post(reverse("enabled:share", args=[project.pk]), {"code": code + "x"})
    assert "not right or is too old" in wrong.content.decode()
    other = make_org("Elsewhere Council", kind="council")
    payload = base64.urlsafe_b64encode(str(other.pk).encode()).decode().rstrip("=")
    forged = payload + code[code.index(":"):]  # another council's id under this signature
    assert "not right" in client.post(reverse("enabled:share", args=[project.pk]),
                                      {"code": forged}).content.decode()
    assert not ProjectShare.objects.exists()
    assert client.post(reverse("enabled:share", args=[project.pk]),
                       {"code": code}).status_code == 302
    share = ProjectShare.objects.get()
    assert share.council == small
    assert "Northgate Community Hub" in client_for(officer).get(
        reverse("enabled:network")).content.decode()
    assert "Northgate" not in client_for(make_member("x@example.org", other, "admin")).get(
        reverse("enabled:network")).content.decode()
