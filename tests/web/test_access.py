"""Who may see and change what: sign-in, organisation isolation, roles and CSRF."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views import View

from keepitlocal.web.accounts.access import (
    SESSION_KEY,
    OrgRequiredMixin,
    current_org,
    org_required,
)
from keepitlocal.web.accounts.models import Invite, Membership
from keepitlocal.web.accounts.services import invite_create

# Views anyone may open without signing in. A new public view (e.g. a supplier survey page)
# must be added here on purpose.
PUBLIC = {
    "core:about",
    "accounts:signup",
    "accounts:signup_confirm",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:invite_accept",
    "admin:login",
    "enabled:survey",
    "lm3:survey",
}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry.callback


def _example_path(pattern: str) -> str:
    """A concrete path for a URL pattern: every converter or regex group gets a sample value."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", pattern)
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<(?:str:|slug:|path:)?\w+>", "x", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + path.lstrip("/")


def _all_views():
    return list(_walk(get_resolver()))


def test_every_view_needs_sign_in_except_the_public_ones(client, db):
    login_url = reverse("accounts:login")
    seen_public = set()
    for pattern, name, callback in _all_views():
        path = _example_path(pattern)
        if name in PUBLIC:
            seen_public.add(name)
            continue
        if path.startswith("/admin/"):  # staff only, through either login page
            response = client.get(path)
            assert response.status_code in (302, 404), (name, path, response.status_code)
            if response.status_code == 302:
                location = response["Location"]
                assert location.startswith((login_url, "/admin/login/")), (name, location)
            continue
        assert getattr(callback, "login_required", True), f"{name} ({pattern}) is public"
        response = client.get(path)
        assert response.status_code == 302, (name, path, response.status_code)
        assert response["Location"].startswith(login_url), (name, path, response["Location"])
    assert seen_public == PUBLIC, "a public view listed here no longer exists"


@pytest.mark.parametrize("name", sorted(PUBLIC - {"accounts:logout"}))
def test_public_views_open_without_sign_in(client, db, name):
    kwargs = {}
    if name == "accounts:password_reset_confirm":
        kwargs = {"uidb64": "MQ", "token": "abc-def"}
    elif name in ("accounts:invite_accept", "accounts:signup_confirm", "lm3:survey",
                  "enabled:survey"):
        kwargs = {"token": "no-such-token"}
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code in (200, 404), response.status_code
    assert b"keepitlocal" in response.content


@pytest.fixture
def two_orgs(make_org, make_member):
    org_a, org_b = make_org("Anchor A"), make_org("Council B", "council")
    alice = make_member("alice@example.org", org_a, "admin")
    bob = make_member("bob@example.org", org_b, "admin")
    invite_b, _ = invite_create(org=org_b, email="x@example.org", role="editor", invited_by=bob)
    return org_a, org_b, alice, bob, invite_b


def test_another_organisations_objects_are_not_found(client, two_orgs):
    _, _, alice, bob, invite_b = two_orgs
    membership_b = Membership.objects.get(user=bob)
    client.force_login(alice)
    for url in (
        reverse("accounts:invite_cancel", args=[invite_b.pk]),
        reverse("accounts:member_edit", args=[membership_b.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"role": "viewer", "remove": "1"}).status_code == 404, url
    assert Invite.objects.filter(pk=invite_b.pk).exists()
    assert Membership.objects.get(pk=membership_b.pk).role == "admin"

    client.force_login(bob)
    assert client.get(reverse("accounts:invite_cancel", args=[invite_b.pk])).status_code == 200


def test_for_org_scopes_querysets(two_orgs):
    org_a, org_b, *_ = two_orgs
    assert Invite.objects.for_org(org_a).count() == 0
    assert Invite.objects.for_org(org_b).count() == 1
    assert Invite.objects.for_org(None).count() == 0


def test_switching_to_an_organisation_you_do_not_belong_to_is_refused(client, two_orgs):
    org_a, org_b, alice, *_ = two_orgs
    client.force_login(alice)
    response = client.post(reverse("accounts:org_switch"), {"organisation": org_b.pk})
    assert response.status_code == 200  # the form rejects the choice
    assert client.session[SESSION_KEY] == org_a.pk
    # a forged session value is ignored too
    session = client.session
    session[SESSION_KEY] = org_b.pk
    session.save()
    response = client.get(reverse("accounts:members"))
    assert b"alice@example.org" in response.content and b"bob@example.org" not in response.content


def test_roles_on_the_members_pages(client, org, make_member):
    make_member("admin@example.org", org, "admin")
    editor = make_member("editor@example.org", org, "editor")
    viewer = make_member("viewer@example.org", org, "viewer")
    invite_url = reverse("accounts:invite_create")
    for user in (viewer, editor):
        client.force_login(user)
        assert client.get(reverse("accounts:members")).status_code == 200
        assert client.get(invite_url).status_code == 403
        response = client.post(invite_url, {"email": "new@example.org", "role": "admin"})
        assert response.status_code == 403
        assert b"You need to be an admin" in response.content
    assert not Invite.objects.exists()


def test_the_last_admin_cannot_step_down(client, org, admin):
    membership = Membership.objects.get(user=admin)
    client.force_login(admin)
    url = reverse("accounts:member_edit", args=[membership.pk])
    response = client.post(url, {"role": "viewer"})
    assert b"needs at least one admin" in response.content
    response = client.post(url, {"remove": "1"})
    assert b"needs at least one admin" in response.content
    assert Membership.objects.get(pk=membership.pk).role == "admin"


@org_required()
def _read_or_write(request):
    return HttpResponse(f"ok {request.org.pk}")


@org_required(role="editor")
def _editors_only(request):
    return HttpResponse("ok")


class _EditorView(OrgRequiredMixin, View):
    org_role = "editor"

    def get(self, request):
        return HttpResponse("ok")


@pytest.mark.parametrize(
    ("role", "view", "method", "status"),
    [
        ("viewer", _read_or_write, "get", 200),
        ("viewer", _read_or_write, "post", 403),
        ("editor", _read_or_write, "post", 200),
        ("viewer", _editors_only, "get", 403),
        ("editor", _editors_only, "get", 200),
        ("admin", _editors_only, "post", 200),
        ("viewer", _EditorView.as_view(), "get", 403),
        ("editor", _EditorView.as_view(), "get", 200),
    ],
)
def test_org_required(rf: RequestFactory, org, make_member, role, view, method, status):
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.exceptions import PermissionDenied

    request = getattr(rf, method)("/")
    request.user = make_member(f"{role}@example.org", org, role)
    request.session = SessionStore()
    try:
        response = view(request)
    except PermissionDenied:
        assert status == 403
    else:
        assert response.status_code == status
        assert current_org(request) == org


def test_a_user_without_an_organisation_is_sent_to_set_one_up(client, db):
    from keepitlocal.web.accounts.models import User

    user = User.objects.create_user(email="lonely@example.org", password="x")
    client.force_login(user)
    response = client.get(reverse("accounts:members"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:org_create")
    assert client.get(reverse("core:home")).status_code == 200
    response = client.post(reverse("accounts:org_create"),
                           {"name": "New Trust", "kind": "community", "lad_code": ""})
    assert response.status_code == 302
    assert Membership.objects.get(user=user).role == "admin"


def test_csrf_is_enforced(org, admin):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"),
                           {"username": admin.email, "password": "correct-horse-battery-staple"})
    assert response.status_code == 403
    assert b"Your form could not be sent" in response.content
    client.force_login(admin)
    response = client.post(reverse("accounts:invite_create"),
                           {"email": "new@example.org", "role": "editor"})
    assert response.status_code == 403
    assert not Invite.objects.exists()
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403


def test_a_failed_org_scoped_get_is_a_404_not_a_500(rf, two_orgs):
    from django.http import Http404

    from keepitlocal.web.accounts.models import User
    from keepitlocal.web.core.middleware import OrgOwnedNotFoundMiddleware

    org_a, _, _, _, invite_b = two_orgs
    middleware = OrgOwnedNotFoundMiddleware(lambda request: HttpResponse())
    try:
        Invite.objects.for_org(org_a).get(pk=invite_b.pk)
    except Invite.DoesNotExist as error:
        with pytest.raises(Http404):
            middleware.process_exception(rf.get("/"), error)
    else:
        pytest.fail("another organisation's invite was found")
    assert middleware.process_exception(rf.get("/"), User.DoesNotExist()) is None
