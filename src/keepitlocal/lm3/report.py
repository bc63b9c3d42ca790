"""One presentation of an LM3 result, shared by the command line, the web pages and the exports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from keepitlocal.lm3.labels import placement_label
from keepitlocal.lm3.model import Lm3Result, SupplierClass
from keepitlocal.money import pounds
from keepitlocal.rounding import percent, rounded

FOUR = Decimal("0.0001")
TWO = Decimal("0.01")
def _q(value: Decimal, places: Decimal = TWO) -> Decimal:
    return rounded(value, places)


def headline(result: Lm3Result) -> str:
    """ "every £1 creates £2.43", the sentence Locality reports LM3 with."""
    place = result.area if result.area.startswith("within ") else f"for {result.area}"
    return f"every £1 creates £{_q(result.lm3)} {place}"


def _class_dict(summary: SupplierClass) -> dict[str, Any]:
    return {
        "suppliers": summary.count,
        "spend": _q(summary.spend),
        "respondents": summary.respondents,
        "responded_spend": _q(summary.responded_spend),
        "respend_share": _q(summary.respend_share, FOUR),
        "respend_share_source": summary.respend_share_source,
        "round3": _q(summary.round3),
        "value_per_pound": _q(summary.value_per_pound),
    }


def result_to_dict(result: Lm3Result) -> dict[str, Any]:
    """The `--json` document: money to the penny, ratios to 4 places, proxies with sources."""
    return {
        "name": result.name,
        "area": result.area,
        "round1": _q(result.round1),
        "round2": _q(result.round2),
        "round3": _q(result.round3),
        "total": _q(result.total),
        "lm3": _q(result.lm3, FOUR),
        "headline": headline(result),
        "supplier_value_responded_share": _q(result.supplier_value_responded_share, FOUR),
        "confidence": result.confidence,
        "staff": {
            "pay": _q(result.staff_pay),
            "local_pay": _q(result.local_staff_pay),
            "local_pay_share": _q(result.local_staff_pay_share, FOUR),
            "people": result.staff_count,
            "local_people": result.local_staff_count,
        },
        "suppliers": {
            "spend": _q(result.supplier_spend),
            "count": result.supplier_count,
            "local_count_share": _q(result.local_supplier_count_share, FOUR),
            "local_spend_share": _q(result.local_supplier_spend_share, FOUR),
            "local": _class_dict(result.local_suppliers),
            "nonlocal": _class_dict(result.nonlocal_suppliers),
        },
        "other_costs": {"spend": _q(result.other_costs), "local": _q(result.local_other_costs)},
        "leakage": {
            "total": _q(result.leakage_total),
            "largest_nonlocal_suppliers": [
                {"name": leak.name, "spend": _q(leak.spend), "postcode": leak.postcode}
                for leak in result.leakage
            ],
        },
        "placements": result.placements,
        "proxies": [
            {
                "name": p.name,
                "value": p.value,
                "source": p.source,
                "overridden": p.overridden,
                "default_for_missing_responses": p.flagged,
            }
            for p in result.proxies
        ],
    }



def render_text(result: Lm3Result) -> str:
    """A readable report for the terminal."""
    local, nonlocal_ = result.local_suppliers, result.nonlocal_suppliers
    lines = [
        f"LM3 for {result.name}",
        f"Local area: {result.area}",
        "",
        f"  Round 1  income spent                {pounds(result.round1):>16}",
        f"  Round 2  spent in the area           {pounds(result.round2):>16}",
        f"  Round 3  re-spent in the area        {pounds(result.round3):>16}",
        f"  Total                                {pounds(result.total):>16}",
        f"  LM3                                  {_q(result.lm3):>16}",
        "",
        f"  So {headline(result)}.",
        "",
        f"Confidence: {result.confidence.upper()} — suppliers answering the survey hold "
        f"{percent(result.supplier_value_responded_share)} of supplier spend.",
        "",
        "Staff",
        f"  pay {pounds(result.staff_pay)}, of which {pounds(result.local_staff_pay)} "
        f"({percent(result.local_staff_pay_share)})"
        " to staff living in the area"
        + (
            f"; {result.local_staff_count} of {result.staff_count} people"
            if result.staff_count is not None
            else ""
        ),
        "",
        "Suppliers                 count        spend   answered   re-spend   £1 is worth",
    ]
    for label, summary in (("local", local), ("non-local", nonlocal_)):
        source = "" if summary.respend_share_source == "respondents" else " (default proxy)"
        lines.append(
            f"  {label:<22}{summary.count:>6} {pounds(summary.spend):>14} "
            f"{summary.respondents:>9} {percent(summary.respend_share):>10}   "
            f"£{_q(summary.value_per_pound)}{source}"
        )
    lines += [
        f"  Other direct costs {pounds(result.other_costs)}, "
        f"of which {pounds(result.local_other_costs)} local",
        "",
        f"Leakage: {pounds(result.leakage_total)} leaves the area in round 2. "
        "Largest non-local suppliers:",
    ]
    lines += [f"  {leak.name:<40} {pounds(leak.spend):>14}" for leak in result.leakage] or [
        "  (none)"
    ]
    lines += ["", "How entries were placed in or out of the area:"]
    lines += [f"  {placement_label(k)}: {n}" for k, n in sorted(result.placements.items())]
    lines += ["", "Proxies used:"]
    for proxy in result.proxies:
        note = " [stands in for missing survey answers]" if proxy.flagged else ""
        lines.append(f"  {proxy.name} = {proxy.value}{note}\n      source: {proxy.source}")
    return "\n".join(lines)
