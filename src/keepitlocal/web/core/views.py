"""The home page, the About page and placeholders for capabilities still to come."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from keepitlocal.web.accounts.access import current_membership
from keepitlocal.web.core import nav


def home(request: HttpRequest) -> HttpResponse:
    capabilities = [item for item in nav.items() if item.key != "home"]
    return render(
        request,
        "core/home.html",
        {"capabilities": capabilities, "membership": current_membership(request)},
    )


@login_not_required
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def coming_soon(request: HttpRequest, key: str) -> HttpResponse:
    item = nav.get(key)
    if item is None or item.key == "home":
        raise Http404("No such capability.")
    return render(request, "core/coming_soon.html", {"item": item})
