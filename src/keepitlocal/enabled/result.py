"""What a calculation returns: each tenant's figures with their routes, and totals that add up.

Each figure says how it was obtained, how confident it is (the appendix's high / moderate), or
why it was excluded. Excluded figures are listed, never counted as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from keepitlocal.enabled.activity import Activity
from keepitlocal.enabled.reference import ReferenceValue

Confidence = Literal["high", "moderate", "excluded"]

@dataclass(frozen=True)
class Figure:
    """One tenant figure (FTE or £ GVA), held to 0.01 so every line can be checked by hand."""

    value: Decimal | None
    # employees: reported_fte, headcount_hours, headcount_factor, floorspace_density, excluded;
    # GVA: reported_gva, turnover_ratio, employees_gva_per_fte, excluded
    route: str
    description: str
    confidence: Confidence
    references: tuple[ReferenceValue, ...] = ()
    warnings: tuple[str, ...] = ()
    excluded_reason: str | None = None

    @property
    def counted(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class TenantResult:
    anchor: str
    name: str
    activity: Activity
    activity_text: str
    employees: Figure
    gva: Figure
    notes: str = ""

    @property
    def excluded(self) -> bool:
        """No workable data for either figure: listed, not counted."""
        return not self.employees.counted and not self.gva.counted

    @property
    def confidence(self) -> Confidence:
        if self.excluded:
            return "excluded"
        if self.employees.confidence == "high" and self.gva.confidence == "high":
            return "high"
        return "moderate"


@dataclass(frozen=True)
class Total:
    """A sum over tenants' figures, with how many tenants it covers and how far to trust it."""

    value: Decimal
    counted: int
    excluded: int
    confidence: Confidence


@dataclass(frozen=True)
class AnchorResult:
    name: str
    local_authority: str | None
    tenants: tuple[TenantResult, ...]
    employees: Total
    gva: Total
    notes: str = ""


@dataclass(frozen=True)
class AreaTotal:
    """Totals for the anchors in one local authority (the appendix's Table 1 groups by it)."""

    local_authority: str
    anchors: tuple[str, ...]
    employees: Total
    gva: Total


@dataclass(frozen=True)
class NetworkResult:
    """The whole project: every anchor, network totals, and every reference value used."""

    name: str
    source: str | None
    anchors: tuple[AnchorResult, ...]
    employees: Total
    gva: Total
    by_local_authority: tuple[AreaTotal, ...]
    references: tuple[ReferenceValue, ...]
    warnings: tuple[str, ...]
    notes: str = ""

    @property
    def tenants(self) -> tuple[TenantResult, ...]:
        return tuple(t for a in self.anchors for t in a.tenants)
