"""{% load kil_map %}{% district_outlines codes as outlines %}: the GeoJSON that the shared map
component draws for an area, so a page can show its area without changing its view."""

from __future__ import annotations

from typing import Any

from django import template

from keepitlocal.web.core.maps import outlines

register = template.Library()


@register.simple_tag
def district_outlines(codes: Any) -> dict[str, Any]:
    return outlines(list(codes or []))
