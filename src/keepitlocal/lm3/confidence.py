"""The confidence rating: how much of the supply chain, by value, has answered the survey."""

from __future__ import annotations

from decimal import Decimal


def rating(responded_share: Decimal, green: Decimal, amber: Decimal) -> str:
    """green when reportable (at or above `green`), amber at or above `amber`, red below."""
    if responded_share >= green:
        return "green"
    if responded_share >= amber:
        return "amber"
    return "red"
