"""The one registry of LM3 method parameters: each declared once, with the source it comes from.

A project overrides any of them by name in its `proxies` object; the report lists every value used
and where it came from, so a reader can see which figures are the seeds' and which are the user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Parameter:
    name: str
    default: Decimal
    unit: str
    help: str
    source: str


PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter(
            "local_staff_respend",
            Decimal("0.66"),
            "share of pay",
            "Share of their pay that staff living in the area spend in the area.",
            "LM3 Online proxy, Locality, Keep it Local for Economic Resilience (2020), "
            "Appendix 1, seed 001 line 1927",
        ),
        Parameter(
            "nonlocal_staff_respend",
            Decimal("0.33"),
            "share of pay",
            "Share of their pay that staff living outside the area spend in the area.",
            "LM3 Online proxy, Locality, Keep it Local for Economic Resilience (2020), "
            "Appendix 1, seed 001 line 1927",
        ),
        Parameter(
            "local_supplier_respend",
            Decimal("0.76"),
            "share of spend",
            "Default local re-spend of a local supplier, used only when no local supplier "
            "has answered the survey (flagged in the result).",
            "NEF, Northumberland County Council study (2005): local suppliers re-spent 76% "
            "locally; quoted by LM3 Online (lm3online.com/about)",
        ),
        Parameter(
            "nonlocal_supplier_respend",
            Decimal("0.36"),
            "share of spend",
            "Default local re-spend of a non-local supplier, used only when no non-local "
            "supplier has answered the survey (flagged in the result).",
            "NEF, Northumberland County Council study (2005): non-local suppliers re-spent 36% "
            "in the area; quoted by LM3 Online (lm3online.com/about)",
        ),
        Parameter(
            "confidence_green",
            Decimal("0.50"),
            "share of supplier spend",
            "Responded share of supplier spend at or above which the result is rated green "
            "(reportable).",
            "LM3 Online 'statistical saturation, typically around the 50% mark', "
            "seed 001 line 1951",
        ),
        Parameter(
            "confidence_amber",
            Decimal("0.25"),
            "share of supplier spend",
            "Responded share of supplier spend at or above which the result is rated amber; "
            "below it, red.",
            "keepitlocal setting (the seeds give only the green threshold); see docs/lm3.md",
        ),
    )
}
