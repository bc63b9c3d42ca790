"""The one rounding rule for every figure people read: half-up, as a calculator and a council
report round (0.4265 reads 42.7%, never the banker's 42.6%).

The command line, the pages, the PDFs and the exports all round through these functions, so the
same figure reads the same everywhere. Engines keep full precision; only display rounds.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def rounded(value: Decimal, places: int | Decimal = 2) -> Decimal:
    """`value` to `places` decimal places (or to the quantum `places`), half-up."""
    quantum = places if isinstance(places, Decimal) else Decimal(1).scaleb(-places)
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def percent(share: Decimal, places: int = 1) -> str:
    """A share (0.4265) as a percentage ("42.7%")."""
    return f"{rounded(share * 100, places)}%"
