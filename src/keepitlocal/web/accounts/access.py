"""Which organisation a request works in, and what the user may do there.

Every capability's views use these:

    from keepitlocal.web.accounts.access import OrgRequiredMixin, current_org, org_required

    @org_required()                 # any member; POST/PUT/PATCH/DELETE need an editor
    def project_list(request): ...  # request.org and request.membership are set

    @org_required(role="editor")    # editors and admins only, for every method
    def project_edit(request, pk): ...

    class ProjectDetail(OrgRequiredMixin, DetailView):
        org_role = "viewer"

A user who is not allowed gets 403; a user with no organisation at all is sent to create one.
The current organisation is kept in the session and changed with the organisation switcher.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from keepitlocal.web.accounts.models import Membership, Organisation, Role
from keepitlocal.web.core.http import OrgRequest

SESSION_KEY = "keepitlocal_org_id"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def memberships(request: HttpRequest) -> list[Membership]:
    """The signed-in user's memberships, cached on the request."""
    cached = getattr(request, "_keepitlocal_memberships", None)
    if cached is None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            cached = []
        else:
            cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        request._keepitlocal_memberships = cached  # type: ignore[attr-defined]  # a cache
    return cached


def forget_memberships(request: HttpRequest) -> None:
    """Drop the cached memberships, after the user joined an organisation in this request."""
    request._keepitlocal_memberships = None  # type: ignore[attr-defined]  # the cache above


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership for the organisation chosen in the session (else the user's first one)."""
    mine = memberships(request)
    if not mine:
        return None
    chosen = request.session.get(SESSION_KEY)
    for membership in mine:
        if membership.organisation_id == chosen:
            return membership
    request.session[SESSION_KEY] = mine[0].organisation_id
    return mine[0]


def current_org(request: HttpRequest) -> Organisation | None:
    """The organisation the user is working in now, or None if they belong to none."""
    membership = current_membership(request)
    return membership.organisation if membership else None


def switch_org(request: HttpRequest, org_id: int) -> Membership:
    """Make org_id the current organisation; PermissionDenied if the user is not a member."""
    for membership in memberships(request):
        if membership.organisation_id == org_id:
            request.session[SESSION_KEY] = org_id
            return membership
    raise PermissionDenied("You are not a member of that organisation.")


def check_role(request: HttpRequest, role: str, write_role: str | None) -> Membership | None:
    """Attach request.org and request.membership; PermissionDenied when the role is too low.

    Returns None when the user has no organisation at all.
    """
    membership = current_membership(request)
    if membership is None:
        return None
    needed = role
    if request.method not in SAFE_METHODS:
        needed = write_role or max(role, Role.EDITOR, key=Role.rank)
    if not membership.has_role(needed):
        raise PermissionDenied(
            f"You need to be {Role.with_article(needed)} of {membership.organisation} to do this."
        )
    let_through = cast(OrgRequest, request)
    let_through.org = membership.organisation
    let_through.membership = membership
    return membership


def org_required(role: str = Role.VIEWER, write_role: str | None = None) -> Callable[[View], View]:
    """Decorator: the user must be a member of the current organisation with at least `role`.

    Unsafe methods (POST, PUT, PATCH, DELETE) need `write_role`, by default editor (or `role`
    when that is higher), so viewers can read every page but change nothing.
    """
    Role(role)  # fail at import time on a misspelt role

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if check_role(request, role, write_role) is None:
                return redirect("accounts:org_create")
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


class OrgRequiredMixin:
    """Class-based views: set org_role (and optionally org_write_role) on the class."""

    org_role: str = Role.VIEWER
    org_write_role: str | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if check_role(request, self.org_role, self.org_write_role) is None:
            return redirect("accounts:org_create")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # of the View
