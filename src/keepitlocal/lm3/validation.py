"""Checks a project before any figure is computed: every problem is reported, not just one."""

from __future__ import annotations

from decimal import Decimal

from keepitlocal.errors import InputError, Problem
from keepitlocal.lm3.model import Project
from keepitlocal.lm3.parameters import PARAMETERS

ZERO = Decimal(0)
ONE = Decimal(1)


def supplier_key(name: str) -> str:
    """Two rows naming the same supplier (ignoring case and spacing) are a duplicate."""
    return " ".join(name.casefold().split())


def project_problems(project: Project) -> list[Problem]:
    """Every reason the project cannot be computed as it stands."""
    where = {"file": project.source}
    problems: list[Problem] = []
    if not project.name.strip():
        problems.append(Problem("the project has no name", column="name", **where))
    for member in project.staff:
        if member.pay < ZERO:
            problems.append(
                Problem(
                    f"pay {member.pay} is negative",
                    row=member.row,
                    column="pay",
                    hint="enter pay as a positive amount",
                    **where,
                )
            )
    if project.staff_totals is not None:
        for key in ("local_pay", "nonlocal_pay"):
            value = getattr(project.staff_totals, key)
            if value < ZERO:
                problems.append(
                    Problem(
                        f"{key} {value} is negative",
                        column=f"staff.{key}",
                        hint="enter pay as a positive amount",
                        **where,
                    )
                )
    seen: dict[str, int | str | None] = {}
    for supplier in project.suppliers:
        if supplier.spend < ZERO:
            problems.append(
                Problem(
                    f"spend {supplier.spend} with {supplier.name!r} is negative",
                    row=supplier.row,
                    column="spend",
                    hint="net off credit notes before entering the spend",
                    **where,
                )
            )
        key = supplier_key(supplier.name)
        if key in seen:
            problems.append(
                Problem(
                    f"supplier {supplier.name!r} appears twice (first at row {seen[key]})",
                    row=supplier.row,
                    column="name",
                    hint="combine the two rows into one with the total spend",
                    **where,
                )
            )
        else:
            seen[key] = supplier.row
        response = supplier.response
        if response is None:
            continue
        for column in ("local_staff_share", "local_supplier_share"):
            share = getattr(response, column)
            if not ZERO <= share <= ONE:
                problems.append(
                    Problem(
                        f"{column} {share} for {supplier.name!r} is outside 0 to 1",
                        row=supplier.row,
                        column=column,
                        hint="give shares as fractions, e.g. 0.4 for 40%",
                        **where,
                    )
                )
        if response.total > ONE:
            problems.append(
                Problem(
                    f"{supplier.name!r} says {response.local_staff_share} of its costs go to "
                    f"local staff and {response.local_supplier_share} to local suppliers: "
                    f"together {response.total}, more than all of its costs",
                    row=supplier.row,
                    column="response",
                    hint="the two shares together cannot exceed 1",
                    **where,
                )
            )
    for cost in project.other_costs:
        if cost.spend < ZERO:
            problems.append(
                Problem(
                    f"other cost {cost.label!r} of {cost.spend} is negative",
                    row=cost.row,
                    column="spend",
                    **where,
                )
            )
    for name, value in project.proxies.items():
        if name not in PARAMETERS:
            known = ", ".join(sorted(PARAMETERS))
            problems.append(
                Problem(
                    f"unknown proxy {name!r}",
                    column=f"proxies.{name}",
                    hint=f"use one of {known}",
                    **where,
                )
            )
        elif not ZERO <= value <= ONE:
            problems.append(
                Problem(
                    f"proxy {name} = {value} is outside 0 to 1", column=f"proxies.{name}", **where
                )
            )
    has_money = (
        any(m.pay for m in project.staff)
        or any(s.spend for s in project.suppliers)
        or any(c.spend for c in project.other_costs)
        or (
            project.staff_totals is not None
            and (project.staff_totals.local_pay or project.staff_totals.nonlocal_pay)
        )
    )
    if not has_money:
        problems.append(
            Problem(
                "the project is empty: no pay, supplier spend or other costs",
                hint="add staff, suppliers or other direct costs",
                **where,
            )
        )
    return problems


def validate(project: Project) -> None:
    problems = project_problems(project)
    if problems:
        raise InputError(problems)
