"""Money and shares as people read them: £1,234.56 and 42.7%."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from keepitlocal.money import pounds as _pounds

register = template.Library()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def pounds(value: Any) -> str:
    amount = _decimal(value)
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
    """A share (0.427) as a percentage ("42.7%")."""
    share = _decimal(value)
    if share is None:
        return "–"
    quantum = Decimal(1).scaleb(-int(places))
    return f"{(share * 100).quantize(quantum)}%"


@register.filter
def multiplier(value: Any) -> str:
    """An LM3 (2.0712) as people quote it: 2.07."""
    amount = _decimal(value)
    return "–" if amount is None else f"{amount.quantize(Decimal('0.01'))}"


CONFIDENCE_TAGS = {"green": "govuk-tag--green", "amber": "govuk-tag--orange",
                   "red": "govuk-tag--red"}


@register.filter
def confidence_tag(rating: str) -> str:
    return CONFIDENCE_TAGS.get(rating, "govuk-tag--grey")


STATUS_TAGS = {"draft": "govuk-tag--grey", "surveying": "govuk-tag--blue",
               "closed": "govuk-tag--green"}


STATUS_LABELS = {"draft": "Setting up", "surveying": "Surveying", "closed": "Closed"}


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@register.filter
def status_tag(status: str) -> str:
    return STATUS_TAGS.get(status, "govuk-tag--grey")
