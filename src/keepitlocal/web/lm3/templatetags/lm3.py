"""LM3 figures and tags; money, shares and counts come from core's kil_format library."""

from __future__ import annotations

from typing import Any

from django import template

from keepitlocal.rounding import rounded
from keepitlocal.web.core.formatting import as_decimal

register = template.Library()


@register.filter
def multiplier(value: Any) -> str:
    """An LM3 (2.0712) as people quote it: 2.07."""
    amount = as_decimal(value)
    return "–" if amount is None else f"{rounded(amount)}"


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


@register.filter
def proxy_label(name: str) -> str:
    """A proxy by its description, not its key ("local_staff_respend")."""
    from keepitlocal.lm3.labels import proxy_label as label

    return label(name)


ROW_HEADS = {"staff": ("Role or name", "Home", "Pay"),
             "suppliers": ("Supplier", "E-mail address", "Postcode", "Value spent")}


@register.filter
def row_heads(kind: str) -> tuple[str, ...]:
    """The column heads of an upload's rows on its check page, after the row number: the name
    first, the amount last."""
    return ROW_HEADS[kind]
