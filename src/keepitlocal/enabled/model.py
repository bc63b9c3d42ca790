"""What an Enabled Contribution calculation is given: anchors, their tenants, and project overrides.

Every figure a tenant may not know is optional: the engine fills gaps from reference tables and
records how, so a half-filled survey return is still useful.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

AREA_BASES = ("NIA", "GIA", "GEA")
"""Net internal, gross internal and gross external area: for one building NIA < GIA < GEA."""

OVERRIDE_TABLES = ("density", "fte_factor", "gva_per_fte", "gva_turnover_ratio", "full_time_hours")


@dataclass(frozen=True)
class Where:
    """Where a record came from, so a problem names the file's own row and column, or JSON key."""

    row: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    prefix: str = ""

    def column(self, name: str) -> str:
        if name in self.columns:
            return self.columns[name]
        if not name:
            return self.prefix
        return f"{self.prefix}.{name}" if self.prefix else name


@dataclass(frozen=True)
class Tenant:
    """One tenant organisation of an anchor, as far as its survey return goes.

    `sic` is a SIC 2007 code or section letter; `use_class` an HCA use class (B1a, A3, ...).
    Either or both may be given. Employees may be FTE, or a headcount with average weekly hours,
    or a headcount alone. Money is in pounds a year.
    """

    name: str
    sic: str | None = None
    use_class: str | None = None
    floorspace_m2: Decimal | None = None
    area_basis: str | None = None
    fte: Decimal | None = None
    headcount: Decimal | None = None
    weekly_hours: Decimal | None = None
    turnover: Decimal | None = None
    gva: Decimal | None = None
    notes: str = ""
    where: Where = field(default_factory=Where, compare=False, repr=False)


@dataclass(frozen=True)
class Anchor:
    """A community anchor organisation and the tenants it enables."""

    name: str
    tenants: tuple[Tenant, ...]
    local_authority: str | None = None
    notes: str = ""
    where: Where = field(default_factory=Where, compare=False, repr=False)


@dataclass(frozen=True)
class Override:
    """A project's own value for one reference figure, e.g. a density measured in its own building.

    `table` is one of OVERRIDE_TABLES; `code` the use class (density), a SIC section or code
    (fte_factor, gva_per_fte, gva_turnover_ratio: the most specific match wins), or empty
    (full_time_hours).
    """

    table: str
    code: str
    value: Decimal
    note: str = ""
    where: Where = field(default_factory=Where, compare=False, repr=False)


@dataclass(frozen=True)
class Project:
    """A set of anchors measured together (a network), with any overrides of reference values."""

    anchors: tuple[Anchor, ...]
    name: str = "Enabled Contribution"
    overrides: tuple[Override, ...] = ()
    source: str | None = None
    notes: str = ""
