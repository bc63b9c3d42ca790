"""Every reason a project cannot be calculated, collected together so they can be fixed in one go.

Checks the meaning of a typed Project (codes exist, nothing negative, no duplicates, no empty
anchors); the shape of a file (numbers that are not numbers, unknown keys) is checked where it is
read. Each problem names the anchor and tenant, the row or key, and what to do.
"""

from __future__ import annotations

from decimal import Decimal

from keepitlocal.enabled.activity import normalise_sic, normalise_use_class, section_of
from keepitlocal.enabled.model import AREA_BASES, OVERRIDE_TABLES, Anchor, Project, Tenant, Where
from keepitlocal.enabled.reference import ReferenceSet, load_reference
from keepitlocal.errors import Problem

NUMBER_FIELDS = ("floorspace_m2", "fte", "headcount", "weekly_hours", "turnover", "gva")
ACTIVITY_HINT = (
    "give a SIC 2007 code or section (e.g. 56.10 or I) or an HCA use class (e.g. B1a, A3); "
    "`keepitlocal enabled codes` lists them"
)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def tenant_label(tenant: Tenant, anchor: Anchor, position: int) -> str:
    name = f'tenant "{tenant.name}"' if tenant.name.strip() else f"tenant {position}"
    anchor_name = f'anchor "{anchor.name}"' if anchor.name.strip() else "an unnamed anchor"
    return f"{name} ({anchor_name})"


class _Collector:
    def __init__(self, source: str | None) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, where: Where, column: str, message: str, hint: str | None = None) -> None:
        self.problems.append(
            Problem(
                message, file=self.source, row=where.row, column=where.column(column), hint=hint
            )
        )


def validate(project: Project, reference: ReferenceSet | None = None) -> list[Problem]:
    """All problems with `project`; an empty list means it can be calculated."""
    ref = reference or load_reference()
    out = _Collector(project.source)
    if not project.anchors:
        out.add(
            Where(), "anchors", "there are no anchors", "add at least one anchor and its tenants"
        )
    seen_anchors: dict[str, Anchor] = {}
    for number, anchor in enumerate(project.anchors, start=1):
        if not anchor.name.strip():
            out.add(anchor.where, "name", f"anchor {number} has no name", "give its name")
        elif _key(anchor.name) in seen_anchors:
            out.add(
                anchor.where,
                "name",
                f'anchor "{anchor.name}" appears twice',
                "merge its tenants under one anchor or give each a distinct name",
            )
        else:
            seen_anchors[_key(anchor.name)] = anchor
        if not anchor.tenants:
            out.add(
                anchor.where,
                "tenants",
                f'anchor "{anchor.name}" has no tenants',
                "add its tenants, or remove the anchor if it has none to report",
            )
        seen_tenants: dict[str, Tenant] = {}
        for position, tenant in enumerate(anchor.tenants, start=1):
            label = tenant_label(tenant, anchor, position)
            if tenant.name.strip():
                if _key(tenant.name) in seen_tenants:
                    first = seen_tenants[_key(tenant.name)].where.row
                    also = f" (first at row {first})" if first else ""
                    out.add(
                        tenant.where,
                        "name",
                        f"{label} appears twice{also}",
                        "merge the two entries or give each tenant a distinct name",
                    )
                else:
                    seen_tenants[_key(tenant.name)] = tenant
            else:
                out.add(tenant.where, "name", f"{label} has no name", "give the tenant's name")
            _check_tenant(tenant, label, ref, out)
    _check_overrides(project, ref, out)
    return out.problems


def _check_tenant(tenant: Tenant, label: str, ref: ReferenceSet, out: _Collector) -> None:
    where = tenant.where
    if tenant.sic is None and tenant.use_class is None:
        out.add(where, "sic", f"{label} has no activity", ACTIVITY_HINT)
    if tenant.sic is not None:
        code = normalise_sic(tenant.sic)
        if code is None or section_of(code, ref) is None:
            out.add(
                where,
                "sic",
                f'{label}: unknown activity code "{tenant.sic}": not a SIC 2007 code or section',
                ACTIVITY_HINT,
            )
    if tenant.use_class is not None and normalise_use_class(tenant.use_class, ref) is None:
        out.add(
            where,
            "use_class",
            f'{label}: unknown activity code "{tenant.use_class}": not an HCA use class known here',
            "use one of " + ", ".join(ref.use_classes) + ", or a SIC 2007 code",
        )
    if tenant.area_basis is not None and tenant.area_basis not in AREA_BASES:
        out.add(
            where,
            "area_basis",
            f'{label}: unknown area basis "{tenant.area_basis}"',
            "use NIA (net internal), GIA (gross internal) or GEA (gross external), or leave blank",
        )
    for name in NUMBER_FIELDS:
        value: Decimal | None = getattr(tenant, name)
        if value is not None and value < 0:
            out.add(where, name, f"{label}: {name} is {value}, a negative number", "give 0 or more")
    if tenant.floorspace_m2 is not None and tenant.floorspace_m2 == 0:
        out.add(where, "floorspace_m2", f"{label}: floorspace is 0 m²", "leave it blank if unknown")
    if tenant.headcount is not None and tenant.headcount != tenant.headcount.to_integral_value():
        out.add(
            where,
            "headcount",
            f"{label}: headcount {tenant.headcount} is not a whole number of people",
            "give the number of people, or give FTE instead",
        )
    if tenant.weekly_hours is not None:
        if tenant.headcount is None and tenant.fte is None:
            out.add(
                where,
                "weekly_hours",
                f"{label}: average weekly hours given without a headcount",
                "give the number of people who work those hours, or give FTE",
            )
        if tenant.weekly_hours > 168:
            out.add(
                where,
                "weekly_hours",
                f"{label}: {tenant.weekly_hours} average weekly hours is more than a week",
                "give the average hours one person works in a week",
            )


def canonical_override_code(table: str, code: str, ref: ReferenceSet) -> str | None:
    """The code as the reference tables key it, or None if it names nothing known."""
    if table == "density":
        return normalise_use_class(code, ref)
    if table in ("fte_factor", "gva_per_fte", "gva_turnover_ratio"):
        sic = normalise_sic(code)
        return sic if sic is not None and section_of(sic, ref) else None
    return "" if table == "full_time_hours" and not code.strip() else None


def _check_overrides(project: Project, ref: ReferenceSet, out: _Collector) -> None:
    seen: set[tuple[str, str]] = set()
    for item in project.overrides:
        where = item.where
        if item.table not in OVERRIDE_TABLES:
            out.add(
                where,
                "table",
                f'unknown override table "{item.table}"',
                "use one of " + ", ".join(OVERRIDE_TABLES),
            )
            continue
        code = canonical_override_code(item.table, item.code, ref)
        if code is None:
            hint = {
                "density": "use an HCA use class such as B1a, A3 or D1",
                "fte_factor": "use a SIC 2007 section letter or code such as Q or 88",
                "gva_per_fte": "use a SIC 2007 section letter or code such as Q or 88",
                "gva_turnover_ratio": "use a SIC 2007 section letter or code such as I or 56.10",
                "full_time_hours": "full_time_hours takes a single value, not one per code",
            }[item.table]
            out.add(where, "code", f'override {item.table}: unknown code "{item.code}"', hint)
            continue
        if (item.table, code) in seen:
            out.add(
                where,
                "code",
                f"override {item.table} {code} is given twice",
                "keep one value",
            )
        seen.add((item.table, code))
        name = f"override {item.table} {code}".strip()
        if item.value <= 0:
            out.add(where, "value", f"{name} is {item.value}", "give a number more than 0")
        elif item.table == "fte_factor" and item.value > 1:
            out.add(
                where,
                "value",
                f"{name} is {item.value}, but a job is at most 1 FTE",
                "give FTE per job as a fraction, e.g. 0.8",
            )
        elif item.table == "gva_turnover_ratio" and item.value > 1:
            out.add(
                where,
                "value",
                f"{name} is {item.value}, but GVA cannot exceed turnover",
                "give GVA ÷ turnover as a fraction, e.g. 0.45",
            )
        elif item.table == "full_time_hours" and item.value > 168:
            out.add(where, "value", f"{name} is {item.value} hours", "give hours in one week")
