"""Money as Decimal from the first parse: reported totals never come from float sums."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from keepitlocal.rounding import rounded

PENNY = Decimal("0.01")
_STRIP = re.compile(r"[£,\s]")


def parse_amount(value: object) -> Decimal:
    """Read an amount as councils and spreadsheets write it: 1234.5, "£1,234.50", "(120.00)".

    Brackets mean a negative amount. Floats are read through their shortest repr so that 0.1
    stays 0.1. Raises ValueError naming the value when it is not a number.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            return _finite(Decimal(value), value)  # the common case: a plain number
        except InvalidOperation:
            pass
        text = _STRIP.sub("", value.strip())
        negative = text.startswith("(") and text.endswith(")")
        if negative:
            text = text[1:-1]
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
        if negative:
            result = -result
    else:
        raise ValueError(f"{value!r} is not an amount")
    return _finite(result, value)


def _finite(result: Decimal, value: object) -> Decimal:
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite amount")
    return result


def pounds(value: Decimal) -> str:
    """£1,234.56 for reports."""
    sign = "-" if value < 0 else ""
    return f"{sign}£{rounded(abs(value)):,}"
