"""Which spend counts as VCSE, as SME, as of unknown size, and as leaving the area: each rule
defined once, as an Ibis column expression over used ledger lines. The engine's figures and the
web's drill-downs both filter by these, so a drill-down always adds up to its figure.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis.expr.types as ir

from keepitlocal.spend.model import OUTSIDE_UK

Rule = Callable[[ir.Table], ir.BooleanValue]


def vcse(t: ir.Table) -> ir.BooleanValue:
    """A charity, community interest company or other voluntary-sector supplier."""
    return t.vcse.fill_null(False)


def sme(t: ir.Table) -> ir.BooleanValue:
    """A supplier with fewer than 250 staff, by the register's size band."""
    return t.sme == "sme"


def size_unknown(t: ir.Table) -> ir.BooleanValue:
    return t.sme.isnull()


def leaves_area(t: ir.Table) -> ir.BooleanValue:
    """Placed, and not in tier 1 (the council area), or abroad: spend that leaves the area.
    Suppliers that cannot be placed are neither local nor leaving."""
    return (~t.local & t.tier.notnull()) | (t.category == OUTSIDE_UK)


# The drill-downs a figure on the dashboard links to, by the rule behind it.
KINDS: dict[str, Rule] = {
    "vcse": vcse, "sme": sme, "sme_unknown": size_unknown, "nonlocal": leaves_area,
}
