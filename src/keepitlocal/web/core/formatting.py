"""Reading the values templates are given (Decimals, strings from JSON, None) as Decimals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def as_decimal(value: object) -> Decimal | None:
    """The value as a Decimal, or None when it is missing ("" or None) or not a number."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
