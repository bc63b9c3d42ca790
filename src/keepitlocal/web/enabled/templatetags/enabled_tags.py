"""Numbers as the engine formats them, and the appendix's colour code for confidence."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import template

from keepitlocal.enabled.formatting import number, pounds
from keepitlocal.web.core.formatting import as_decimal

register = template.Library()

TAGS = {"high": "kil-confidence--high", "moderate": "kil-confidence--moderate",
        "excluded": "govuk-tag--grey"}


@register.filter
def money(value: object) -> str:
    """ "99960.00" → "£99,960" (whole pounds, as the appendix reports them)."""
    amount = as_decimal(value)
    return "–" if amount is None else pounds(amount)


@register.filter
def fte(value: object) -> str:
    """ "11.20" → "11.2"."""
    amount = as_decimal(value)
    return "–" if amount is None else number(amount)


def _signed(value: object, shown: Callable[[Decimal], str]) -> str:
    """A change with its sign in front: "+£1,200", "−3.5", or no sign for nothing."""
    amount = as_decimal(value)
    if amount is None:
        return "–"
    return ("+" if amount > 0 else "−" if amount < 0 else "") + shown(abs(amount))


@register.filter
def signed_money(value: object) -> str:
    return _signed(value, pounds)


@register.filter
def signed_fte(value: object) -> str:
    return _signed(value, number)


@register.filter
def confidence_class(confidence: str) -> str:
    return TAGS.get(confidence, "govuk-tag--grey")


@register.filter
def confidence_label(confidence: str) -> str:
    return {"high": "High", "moderate": "Moderate", "excluded": "Excluded"}.get(
        confidence, confidence
    )


@register.filter
def get_figure(row: dict, kind: str) -> object:
    return row.get(kind) if row else None


@register.filter
def with_unit(ref: dict) -> str:
    """ "96100" and "£ per FTE a year" → "£96,100 per FTE a year"; "12", "m² per FTE" → "12 m²…"."""
    value = as_decimal(ref.get("value"))
    unit = ref.get("unit") or ""
    shown = "–" if value is None else number(value)
    if unit.startswith("£ "):
        return f"£{shown} {unit[2:]}"
    return f"{shown} {unit}".strip()


@register.filter
def status_words(ref: Any) -> str:
    """A reference value's status in words, for pages tenants and trustees read."""
    from keepitlocal.enabled.reference import status_in_words

    def part(thing: Any, key: str) -> Any:
        return thing.get(key) if isinstance(thing, dict) else getattr(thing, key, None)

    from keepitlocal.enabled.reference import load_reference

    source = part(ref, "source")
    known = load_reference().sources.get(str(part(source, "id"))) if source else None
    return status_in_words(str(part(ref, "status") or ""), known.short if known else None)
