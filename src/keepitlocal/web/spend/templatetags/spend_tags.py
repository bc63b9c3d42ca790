"""Local spend figures, labels and tags; money, shares and counts come from core's kil_format
library."""

from __future__ import annotations

from typing import Any

from django import template

from keepitlocal.rounding import rounded
from keepitlocal.web.core.formatting import as_decimal

register = template.Library()


@register.filter
def whole_pounds(value: Any) -> str:
    """£1,234,567 (rounded to the pound) for headline figures."""
    amount = as_decimal(value)
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.0f}"


@register.filter
def multiplier(value: Any) -> str:
    amount = as_decimal(value)
    return "–" if amount is None else f"£{rounded(amount)}"


@register.filter
def field_label(field: str) -> str:
    from keepitlocal.web.spend.selectors import FIELD_LABELS

    return FIELD_LABELS.get(field, field)


RUN_TAGS = {"draft": "govuk-tag--grey", "queued": "govuk-tag--yellow",
            "running": "govuk-tag--blue", "done": "govuk-tag--green", "failed": "govuk-tag--red"}
RUN_LABELS = {"draft": "Not run yet", "queued": "Waiting to start", "running": "Running",
              "done": "Finished", "failed": "Failed"}


@register.filter
def run_tag(status: str) -> str:
    return RUN_TAGS.get(status, "govuk-tag--grey")


@register.filter
def run_label(status: str) -> str:
    return RUN_LABELS.get(status, status)


@register.filter
def month_name(name: str) -> str:
    """"2024-04" as "April 2024", "2024-04 to 2024-06" (a quarter-precise line) as "April to June
    2024"; anything else as it is."""
    import calendar

    if " to " in str(name):
        first, _, last = str(name).partition(" to ")
        start, end = month_name(first), month_name(last)
        return f"{start.split(' ')[0]} to {end}" if start != first and end != last else name
    try:
        year, month = name.split("-")
        return f"{calendar.month_name[int(month)]} {int(year)}"
    except (ValueError, IndexError, AttributeError):
        return name


REGISTER_LABELS = {
    "name": "Supplier name", "supplier_id": "Supplier ID", "postcode": "Postcode",
    "vat_number": "VAT number", "company_number": "Company number",
    "charity_number": "Charity number", "country": "Country", "sector": "Sector",
    "size": "Size (SME)", "company_type": "Company type",
}


@register.filter
def register_label(field: str) -> str:
    return REGISTER_LABELS.get(field, field)


@register.filter
def dictget(mapping: Any, key: str) -> Any:
    """mapping[key] in a template (a QueryDict gives the last value), or ""."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


MATCH_METHODS = {
    "decision": "Your decision",
    "decision: no match": "Your decision: not in the register",
    "supplier_id": "Council supplier number",
    "vat_number": "VAT number",
    "company_number": "Company number",
    "charity_number": "Charity number",
    "name": "Name (the same once tidied)",
    "fuzzy": "Name (a close match)",
    "review": "Waiting for your review (not placed)",
    "none": "Not found in the register",
    "redacted": "Redacted names (never matched)",
}


@register.filter
def match_method(method: str) -> str:
    return MATCH_METHODS.get(method, method)


@register.filter
def line_date(line: dict[str, Any]) -> str:
    """A line's date at the precision its file gave: "3 Apr 2024", "April 2024" or
    "April to June 2024"; a month is never shown as its first day."""
    import datetime as dt

    day = line.get("date")
    if not isinstance(day, dt.date):
        return "undated"
    precision = line.get("date_precision") or "day"
    if precision == "month":
        return day.strftime("%B %Y")
    if precision == "quarter":
        last = dt.date(day.year + (day.month + 2 > 12), (day.month + 1) % 12 + 1, 1)
        return f"{day:%B} to {last:%B %Y}"
    return f"{day.day} {day:%b %Y}"


@register.filter
def matched_to(line: dict[str, Any]) -> str:
    """What a ledger line's supplier was matched to, in words: never "same" for a supplier
    the register does not have."""
    ref = str(line.get("supplier_ref") or "")
    if ref == "redacted" or line.get("category") == "redacted":
        return "Redacted: not matched"
    if not ref or ref == "unmatched" or ref.startswith("ledger:"):
        return "Not in the register"
    if line.get("supplier_name") == line.get("supplier"):
        return "The same name in the register"
    return str(line.get("supplier_name") or "–")
