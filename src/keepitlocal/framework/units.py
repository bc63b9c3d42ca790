"""What a value of each unit may be: one rule for the plan file, the web forms and the report."""

from __future__ import annotations

from decimal import Decimal

NUMERIC_UNITS = ("£", "count", "%", "hours", "area", "rating", "multiplier", "quantity")
_RANGES: dict[str, tuple[Decimal | None, Decimal | None, str]] = {
    "%": (Decimal(0), Decimal(100), "a percentage from 0 to 100, e.g. 42.5"),
    "rating": (Decimal(0), Decimal(10), "a mean score on the 0-10 scale, e.g. 6.8"),
    "multiplier": (Decimal(1), Decimal(3), "an LM3 score from 1 to 3, e.g. 2.43"),
    "count": (Decimal(0), None, "a number of zero or more"),
    "hours": (Decimal(0), None, "a number of hours, zero or more"),
    "area": (Decimal(0), None, "square metres, zero or more (1 hectare = 10,000 m²)"),
    "quantity": (Decimal(0), None, "a number of zero or more"),
    "£": (None, None, "an amount in pounds, e.g. 12500.00"),
}
UNIT_LABELS = {
    "£": "£",
    "count": "number",
    "%": "%",
    "hours": "hours",
    "area": "m²",
    "rating": "score out of 10",
    "text": "statement",
    "multiplier": "LM3 score",
    "quantity": "amount",
}


def is_numeric(unit: str) -> bool:
    return unit in NUMERIC_UNITS


def unit_hint(unit: str) -> str:
    return _RANGES[unit][2] if unit in _RANGES else "a written statement"


def value_problem(unit: str, value: Decimal) -> str | None:
    """Why `value` cannot be a value of `unit`, or None when it can."""
    if unit not in _RANGES:
        return None
    low, high, _ = _RANGES[unit]
    if (low is not None and value < low) or (high is not None and value > high):
        return f"{value} is out of range for {UNIT_LABELS[unit]}"
    return None
