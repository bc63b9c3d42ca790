"""The decorator that public survey views use: resolve the link, or explain why it cannot be used.

    from keepitlocal.web.surveys.views import survey_link_view

    @survey_link_view("lm3-supplier")
    def supplier_survey(request, link, token): ...   # public, CSRF-protected

Unknown or tampered tokens are a plain 404; expired and closed links get a page that says so
(status 410) and names the organisation to contact.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from keepitlocal.web.surveys.services import (
    LinkUnavailable,
    TargetByToken,
    link_resolve,
    unavailable_context,
)

SurveyView = Callable[..., HttpResponse]


def survey_link_view(purpose: str, target: TargetByToken[Any] | None = None
                     ) -> Callable[[SurveyView], SurveyView]:
    """Resolve the URL's `token` for `purpose` and call the view as view(request, link, token);
    with `target`, the link and its target in one query, as view(request, link, token, target)."""

    def decorator(view: SurveyView) -> SurveyView:
        @login_not_required
        @never_cache
        @wraps(view)
        def wrapped(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
            found: tuple[Any, ...] = ()
            try:
                if target is None:
                    link = link_resolve(token, purpose)
                else:
                    link, row = target.resolve(token, purpose)
                    found = (row,)
            except LinkUnavailable as error:
                return render(
                    request, f"surveys/{error.reason}.html", unavailable_context(error.link),
                    status=410,
                )
            return view(request, link, token, *found, *args, **kwargs)

        return wrapped

    return decorator
