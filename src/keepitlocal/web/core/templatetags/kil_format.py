"""Money, shares and counts as people read them: £1,234.56, 42.7% and 12,345."""

from __future__ import annotations

from typing import Any

from django import template

from keepitlocal.money import pounds as _pounds
from keepitlocal.rounding import percent as percent_text
from keepitlocal.web.core.formatting import as_decimal

register = template.Library()


@register.filter
def pounds(value: Any) -> str:
    amount = as_decimal(value)
    return "–" if amount is None else _pounds(amount)


@register.filter
def count(value: Any) -> str:
    """12,345: whole numbers with thousands separators."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def percent(value: Any, places: int = 1) -> str:
    """A share (0.427) as a percentage ("42.7%"), rounded half-up as the command line does."""
    share = as_decimal(value)
    if share is None:
        return "–"
    return percent_text(share, int(places))
