"""The one bridge from LM3 online's tables to the engine's input: every figure the pages show
is computed by the engine from what these functions build."""

from __future__ import annotations

from decimal import Decimal

from keepitlocal.lm3 import model as engine
from keepitlocal.web.lm3.models import Lm3Project, PayrollMode, SupplierResponse

BATCH = 2000  # rows fetched per round trip


def staff_totals(project: Lm3Project) -> engine.StaffTotals | None:
    """Payroll as two totals, when the project entered it that way."""
    if project.payroll_mode != PayrollMode.TOTALS:
        return None
    return engine.StaffTotals(project.local_pay or Decimal(0), project.nonlocal_pay or Decimal(0))


def staff(project: Lm3Project) -> list[engine.StaffMember]:
    """The staff listed one by one (whatever the payroll mode: the budget page lists them)."""
    return [
        engine.StaffMember(m.label, m.pay, m.postcode or None, m.local, f"staff {n}")
        for n, m in enumerate(project.staff.all(), start=1)
    ]


def other_costs(project: Lm3Project) -> list[engine.OtherCost]:
    return [
        engine.OtherCost(c.label, c.spend, c.local, f"other cost {n}")
        for n, c in enumerate(project.other_costs.all(), start=1)
    ]


def suppliers(project: Lm3Project) -> list[engine.Supplier]:
    responses = {
        r.supplier_id: engine.Response(r.local_staff_share, r.local_supplier_share, r.source)
        for r in SupplierResponse.objects.filter(supplier__project=project).only(
            "supplier_id", "local_staff_share", "local_supplier_share", "source"
        ).iterator(chunk_size=BATCH)
    }
    return [
        engine.Supplier(
            name=name, spend=spend, postcode=postcode or None, local=local,
            contact=contact or None, email=email or None, response=responses.get(pk),
            row=row if row is not None else f"supplier {pk}",
        )
        for pk, name, spend, postcode, local, contact, email, row in project.suppliers.order_by(
            "pk"
        ).values_list("pk", "name", "spend", "postcode", "local", "contact", "email", "row")
        .iterator(chunk_size=BATCH)
    ]


def proxies(project: Lm3Project) -> dict[str, Decimal]:
    """The parameters this project set for itself, as the engine's overrides."""
    return {k: Decimal(str(v)) for k, v in (project.proxies or {}).items()}


def lm3_project_build(project: Lm3Project) -> engine.Project:
    """The project as the LM3 engine reads it: the one place web data becomes engine input."""
    totals = staff_totals(project)
    period = None
    if project.period_start and project.period_end:
        period = f"{project.period_start.isoformat()} to {project.period_end.isoformat()}"
    return engine.Project(
        name=project.name,
        area=project.area_spec,
        staff=staff(project) if totals is None else [],
        staff_totals=totals,
        suppliers=suppliers(project),
        other_costs=other_costs(project),
        proxies=proxies(project),
        period=period,
    )
