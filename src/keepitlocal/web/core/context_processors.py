"""What the layout needs on every page: navigation, and the user's organisations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from keepitlocal.web.accounts.access import current_membership, memberships
from keepitlocal.web.core import nav


def active_nav_key(request: HttpRequest) -> str | None:
    """The entry whose URL namespace (or, failing that, address) the current page is in."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if match.view_name == "core:coming_soon":
        return match.kwargs.get("key")
    for item in nav.items():
        if item.url_name is None:
            continue
        namespace = item.url_name.rpartition(":")[0]
        if item.url_name == match.view_name or (
            namespace and namespace != "core" and namespace == match.namespace
        ):
            return item.key
    # Apps mounted under another capability's address (e.g. /framework/assessment/) belong to it.
    inside = [item for item in nav.items() if item.url_name is not None
              and item.url != "/" and request.path.startswith(item.url)]
    return max(inside, key=lambda item: len(item.url)).key if inside else None


def layout(request: HttpRequest) -> dict[str, Any]:
    common = {
        "invite_days": settings.KEEPITLOCAL_INVITE_DAYS,
        "reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {**common, "nav_items": [], "nav_active": None}
    return {
        **common,
        "nav_items": nav.items(),
        "nav_active": active_nav_key(request),
        "current_membership": current_membership(request),
        "user_memberships": memberships(request),
    }
