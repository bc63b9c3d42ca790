"""The confidence rating: how much of the supply chain, by value, has answered the survey.

The only place the responded share and its rating are computed: the engine's result, the
progress page and the PDF all call these two functions.
"""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal(0)


def rating(responded_share: Decimal, green: Decimal, amber: Decimal) -> str:
    """green when reportable (at or above `green`), amber at or above `amber`, red below."""
    if responded_share >= green:
        return "green"
    if responded_share >= amber:
        return "amber"
    return "red"


def responded_share(responded_spend: Decimal, supplier_spend: Decimal) -> Decimal:
    """The share of supplier spend held by suppliers who answered; 0 when there is no spend."""
    return responded_spend / supplier_spend if supplier_spend else ZERO


def confidence(
    responded_spend: Decimal, supplier_spend: Decimal, green: Decimal, amber: Decimal
) -> str:
    """The rating of the responded share; green with no supplier spend (nothing to survey)."""
    if not supplier_spend:
        return "green"
    return rating(responded_share(responded_spend, supplier_spend), green, amber)
