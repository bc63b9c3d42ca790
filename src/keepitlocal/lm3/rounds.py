"""Rounds 1-3 and LM3, exactly as docs/lm3.md defines them, in Decimal.

R1 = pay + supplier spend + other direct costs.
R2 = local pay + local supplier spend + local other costs.
R3 = local pay x local staff re-spend + non-local pay x non-local staff re-spend
     + sum over suppliers of spend x (local staff share + local supplier share),
     a non-respondent taking its class's spend-weighted mean share (or a flagged default).
LM3 = (R1 + R2 + R3) / R1.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from keepitlocal.lm3.confidence import confidence, responded_share
from keepitlocal.lm3.model import (
    Leak,
    Lm3Result,
    OtherCost,
    Placed,
    PlacedProject,
    ProxyUsed,
    StaffMember,
    StaffTotals,
    SupplierClass,
)
from keepitlocal.lm3.parameters import PARAMETERS

ZERO = Decimal(0)
LEAKS_SHOWN = 10


def proxy(name: str, overrides: dict[str, Decimal], flagged: bool = False) -> ProxyUsed:
    """A parameter's value for this project: its own setting, else the published default."""
    parameter = PARAMETERS[name]
    if name in overrides:
        return ProxyUsed(name, overrides[name], "set for this project", True, flagged)
    return ProxyUsed(name, parameter.default, parameter.source, False, flagged)


def pay_total(totals: StaffTotals | None, staff: Iterable[StaffMember]) -> Decimal:
    """All pay: the two totals when given, plus each listed member's pay."""
    given = totals.local_pay + totals.nonlocal_pay if totals is not None else ZERO
    return given + sum((member.pay for member in staff), ZERO)


def costs_total(costs: Iterable[OtherCost], *, local_only: bool = False) -> Decimal:
    """Other direct costs summed (only those spent in the area with `local_only`)."""
    return sum((c.spend for c in costs if c.local or not local_only), ZERO)


def supplier_class(
    suppliers: list[Placed], local: bool, overrides: dict[str, Decimal]
) -> tuple[SupplierClass, ProxyUsed | None]:
    """Round 3 of one class of suppliers; non-respondents take the respondents' weighted mean."""
    members = [s for s in suppliers if s.local is local]
    respondents = [s for s in members if s.response is not None]
    spend = sum((s.amount for s in members), ZERO)
    responded_spend = sum((s.amount for s in respondents), ZERO)
    answered = sum((s.amount * s.response.total for s in respondents if s.response), ZERO)
    default: ProxyUsed | None = None
    if responded_spend > 0:
        share = answered / responded_spend
        share_source = "respondents"
    else:
        default = proxy(
            "local_supplier_respend" if local else "nonlocal_supplier_respend",
            overrides,
            flagged=bool(members),
        )
        share = default.value
        share_source = "default proxy"
    round3 = answered + (spend - responded_spend) * share
    summary = SupplierClass(
        local=local,
        count=len(members),
        spend=spend,
        respondents=len(respondents),
        responded_spend=responded_spend,
        respend_share=share,
        respend_share_source=share_source,
        round3=round3,
    )
    return summary, default


def calculate(placed: PlacedProject) -> Lm3Result:
    """The LM3 of a placed project, with every figure a report needs."""
    project = placed.project
    overrides = project.proxies
    local_staff_proxy = proxy("local_staff_respend", overrides)
    nonlocal_staff_proxy = proxy("nonlocal_staff_respend", overrides)

    if project.staff_totals is not None:
        local_pay = project.staff_totals.local_pay
        nonlocal_pay = project.staff_totals.nonlocal_pay
    else:
        local_pay = ZERO
        nonlocal_pay = ZERO
    for member in placed.staff:
        if member.local:
            local_pay += member.amount
        else:
            nonlocal_pay += member.amount
    staff_pay = pay_total(project.staff_totals, project.staff)

    local_class, local_default = supplier_class(placed.suppliers, True, overrides)
    nonlocal_class, nonlocal_default = supplier_class(placed.suppliers, False, overrides)
    supplier_spend = local_class.spend + nonlocal_class.spend

    other = costs_total(project.other_costs)
    local_other = costs_total(project.other_costs, local_only=True)

    round1 = staff_pay + supplier_spend + other
    round2 = local_pay + local_class.spend + local_other
    round3 = (
        local_pay * local_staff_proxy.value
        + nonlocal_pay * nonlocal_staff_proxy.value
        + local_class.round3
        + nonlocal_class.round3
    )
    lm3 = min((round1 + round2 + round3) / round1, Decimal(3)) if round1 else Decimal(1)

    responded = local_class.responded_spend + nonlocal_class.responded_spend
    green = proxy("confidence_green", overrides)
    amber = proxy("confidence_amber", overrides)

    largest_nonlocal = heapq.nsmallest(
        LEAKS_SHOWN,
        (s for s in placed.suppliers if not s.local),
        key=lambda s: (-s.amount, s.name),
    )
    proxies = [local_staff_proxy, nonlocal_staff_proxy]
    proxies += [p for p in (local_default, nonlocal_default) if p is not None]
    proxies += [green, amber]
    per_person = not project.staff_totals and bool(placed.staff)
    return Lm3Result(
        name=project.name,
        area=placed.area_description,
        round1=round1,
        round2=round2,
        round3=round3,
        lm3=lm3,
        staff_pay=staff_pay,
        local_staff_pay=local_pay,
        staff_count=len(placed.staff) if per_person else None,
        local_staff_count=sum(1 for s in placed.staff if s.local) if per_person else None,
        supplier_spend=supplier_spend,
        other_costs=other,
        local_other_costs=local_other,
        local_suppliers=local_class,
        nonlocal_suppliers=nonlocal_class,
        supplier_value_responded_share=responded_share(responded, supplier_spend),
        confidence=confidence(responded, supplier_spend, green.value, amber.value),
        proxies=proxies,
        leakage=[Leak(s.name, s.amount, s.postcode) for s in largest_nonlocal],
        placements=dict(Counter(p.placed_by for p in [*placed.staff, *placed.suppliers])),
    )
