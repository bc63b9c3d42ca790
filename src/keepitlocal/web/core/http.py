"""What the capability views share about requests and responses: the request an organisation's
view is given, the problems of a refused file, forms bound only on a POST, the confirmation
page of a delete, and files sent as downloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

if TYPE_CHECKING:
    from keepitlocal.web.accounts.models import Membership, Organisation, User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OrgRequest(HttpRequest):
    """A request that `org_required` let through: a signed-in user working in `org`.

    Only a type: `accounts.access.check_role` sets `org` and `membership` on the request Django
    made, so views annotated with this class read them without a cast.
    """

    user: User
    org: Organisation
    membership: Membership


def problem_summary(problems: Sequence[Any], shown: int = 100) -> dict[str, Any]:
    """What core/_problems.html lists: the first `shown` problems and how many more there are."""
    return {"problems": list(problems[:shown]), "more_problems": max(0, len(problems) - shown),
            "problem_count": len(problems)}


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data for a POST (even an empty one), else None so the form is unbound."""
    return request.POST if request.method == "POST" else None


def confirmed(request: HttpRequest, act: Callable[[], str], *, then: str, template: str,
              context: dict[str, Any]) -> HttpResponse:
    """The confirmation page of every delete: a GET shows `template`; a POST runs `act`, shows
    the message it returns and goes to the URL `then`."""
    if request.method == "POST":
        messages.success(request, act())
        return redirect(then)
    return render(request, template, context)


def download(content: bytes, name: str, content_type: str) -> HttpResponse:
    """A response the browser saves as a file called `name`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
