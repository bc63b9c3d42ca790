"""LM3 inputs and results as plain dataclasses: what the project file says, and what we report."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(slots=True)  # one per row: slots keep 140,000 rows light
class Response:
    """A supplier's survey answer: shares of its own costs spent in the area."""

    local_staff_share: Decimal
    local_supplier_share: Decimal
    source: str = "survey"  # "survey", "phone", "paper" or "file"

    @property
    def total(self) -> Decimal:
        return self.local_staff_share + self.local_supplier_share


@dataclass(slots=True)  # one per row: slots keep 140,000 rows light
class StaffMember:
    label: str
    pay: Decimal
    postcode: str | None = None
    local: bool | None = None  # overrides the postcode when given
    row: int | str | None = None  # where it came from, for error messages


@dataclass(slots=True)  # one per row: slots keep 140,000 rows light
class Supplier:
    name: str
    spend: Decimal
    postcode: str | None = None
    local: bool | None = None
    contact: str | None = None
    email: str | None = None
    response: Response | None = None
    row: int | str | None = None


@dataclass(slots=True)  # one per row: slots keep 140,000 rows light
class OtherCost:
    label: str
    spend: Decimal
    local: bool
    row: int | str | None = None


@dataclass(frozen=True)
class StaffTotals:
    """Payroll given as two totals instead of per person."""

    local_pay: Decimal
    nonlocal_pay: Decimal


@dataclass
class Project:
    name: str
    area: dict[str, Any]
    staff: list[StaffMember] = field(default_factory=list)
    staff_totals: StaffTotals | None = None
    suppliers: list[Supplier] = field(default_factory=list)
    other_costs: list[OtherCost] = field(default_factory=list)
    proxies: dict[str, Decimal] = field(default_factory=dict)
    period: str | None = None
    source: str | None = None  # file name, for error messages


@dataclass(slots=True)  # one per row: slots keep 140,000 rows light
class Placed:
    """A staff member or supplier with its local/non-local decision and how it was made.

    `placed_by` is "flag" (explicit local flag), or the postcode level used: "unit", "sector" or
    "district" — a fallback level is reported, never a silent guess.
    """

    name: str
    amount: Decimal
    local: bool
    placed_by: str
    postcode: str | None = None
    response: Response | None = None


@dataclass(slots=True)  # one per row: slots keep 140,000 rows light
class PlacedProject:
    """A project whose every entry has been placed inside or outside its area."""

    project: Project
    staff: list[Placed]
    suppliers: list[Placed]
    area_description: str


@dataclass(frozen=True)
class ProxyUsed:
    name: str
    value: Decimal
    source: str
    overridden: bool = False
    flagged: bool = False  # a default stood in for missing survey data


@dataclass(slots=True)  # one per row: slots keep 140,000 rows light
class SupplierClass:
    """Local or non-local suppliers taken together: the figures that compare their impact."""

    local: bool
    count: int
    spend: Decimal
    respondents: int
    responded_spend: Decimal
    respend_share: Decimal  # spend-weighted local re-spend share applied to non-respondents
    respend_share_source: str  # "respondents" or "default proxy"
    round3: Decimal

    @property
    def value_per_pound(self) -> Decimal:
        """What £1 with a supplier of this class is worth to the area (round 2 + round 3)."""
        return (Decimal(1) if self.local else Decimal(0)) + self.respend_share


@dataclass(frozen=True)
class Leak:
    name: str
    spend: Decimal
    postcode: str | None


@dataclass(frozen=True)
class Lm3Result:
    name: str
    area: str
    round1: Decimal
    round2: Decimal
    round3: Decimal
    lm3: Decimal
    staff_pay: Decimal
    local_staff_pay: Decimal
    staff_count: int | None
    local_staff_count: int | None
    supplier_spend: Decimal
    other_costs: Decimal
    local_other_costs: Decimal
    local_suppliers: SupplierClass
    nonlocal_suppliers: SupplierClass
    supplier_value_responded_share: Decimal
    confidence: str
    proxies: list[ProxyUsed]
    leakage: list[Leak]  # the largest non-local supplier spends
    placements: dict[str, int]  # how many entries were placed by each method

    @property
    def total(self) -> Decimal:
        return self.round1 + self.round2 + self.round3

    @property
    def leakage_total(self) -> Decimal:
        """What leaves the area in round 2: non-local pay, suppliers and other costs."""
        return self.round1 - self.round2

    @property
    def local_staff_pay_share(self) -> Decimal:
        return self.local_staff_pay / self.staff_pay if self.staff_pay else Decimal(0)

    @property
    def supplier_count(self) -> int:
        return self.local_suppliers.count + self.nonlocal_suppliers.count

    @property
    def local_supplier_count_share(self) -> Decimal:
        count = self.supplier_count
        return Decimal(self.local_suppliers.count) / count if count else Decimal(0)

    @property
    def local_supplier_spend_share(self) -> Decimal:
        spend = self.supplier_spend
        return self.local_suppliers.spend / spend if spend else Decimal(0)

    def proxy(self, name: str) -> ProxyUsed:
        """The value a parameter took in this result (a confidence threshold, a re-spend)."""
        return next(p for p in self.proxies if p.name == name)
