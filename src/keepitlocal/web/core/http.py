"""What the capability views share about requests and responses: forms bound only on a POST,
and files sent as downloads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data for a POST (even an empty one), else None so the form is unbound."""
    return request.POST if request.method == "POST" else None


def download(content: bytes, name: str, content_type: str) -> HttpResponse:
    """A response the browser saves as a file called `name`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
