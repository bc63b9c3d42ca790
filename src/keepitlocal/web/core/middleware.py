"""A failed lookup of an organisation's object is "Page not found", never a server error.

Views fetch objects through the current organisation:

    Project.objects.for_org(request.org).get(pk=pk)

When the row belongs to another organisation (or does not exist), .get() raises
Project.DoesNotExist. For models that inherit OrgOwned this middleware turns that into a 404,
so a guessed URL neither crashes nor reveals whether the object exists elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse

from keepitlocal.web.accounts.models import OrgOwned


@cache
def _org_owned_not_found() -> frozenset[type[Exception]]:
    return frozenset(
        model.DoesNotExist for model in apps.get_models() if issubclass(model, OrgOwned)
    )


class OrgOwnedNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, ObjectDoesNotExist) and (
            type(exception) in _org_owned_not_found()
        ):
            raise Http404(str(exception)) from exception
