"""Numbers as people read them, and the appendix's rule against false accuracy.

Appendix 2 advises presenting 1,399 FTE and £119,609,964 as "approximately 1,400 FTEs" and
"approximately £120m": two significant figures. Exact figures are always shown alongside.
"""

from __future__ import annotations

from decimal import Decimal

from keepitlocal.rounding import rounded

FTE_PLACES = Decimal("0.01")
PENNY = Decimal("0.01")
SIGNIFICANT_FIGURES = 2


def exact_fte(value: Decimal) -> Decimal:
    """The precision every FTE figure is held at once calculated: hundredths of an FTE."""
    return rounded(value, FTE_PLACES)


def exact_pounds(value: Decimal) -> Decimal:
    return rounded(value, PENNY)


def number(value: Decimal) -> str:
    """1250 → "1,250"; 22.50 → "22.5"; no exponent, no trailing zeros."""
    if value == value.to_integral_value():
        return f"{rounded(value, 0):,}"
    text = f"{value.normalize():,f}"
    return text


def pounds(value: Decimal) -> str:
    """Whole pounds, as the appendix reports them: £12,913,842."""
    return f"£{rounded(value, 0):,}"


def _two_figures(value: Decimal, finest: Decimal) -> Decimal:
    if value == 0:
        return Decimal(0)
    quantum = Decimal(1).scaleb(value.adjusted() - SIGNIFICANT_FIGURES + 1)
    quantum = max(quantum, finest)
    return rounded(value / quantum, 0) * quantum


def approximately_fte(value: Decimal) -> str:
    """ "approximately 1,400 FTE": two significant figures, never finer than 0.1 FTE."""
    approx = _two_figures(value, Decimal("0.1"))
    return f"approximately {number(approx)} FTE"


def approximately_pounds(value: Decimal) -> str:
    """ "approximately £120m", "approximately £620,000": two significant figures."""
    approx = _two_figures(value, Decimal(1))
    if approx >= 1_000_000:
        return f"approximately £{number(approx / 1_000_000)}m"
    return f"approximately £{number(approx)}"
