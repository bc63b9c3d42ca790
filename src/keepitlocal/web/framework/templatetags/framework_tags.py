"""Values in a framework page, rounded by the engine's one rule (keepitlocal.framework.present)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from keepitlocal.framework.present import format_value

register = template.Library()


@register.filter
def shown(value: Decimal | None, unit: str) -> str:
    """{{ measurement.value|shown:indicator.unit }} → "£12,500", "42.5%", "6.8 out of 10"."""
    return format_value(unit, value)
