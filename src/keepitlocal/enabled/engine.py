"""The one entry point: a Project in, a NetworkResult out, with every figure's route recorded.

Totals add the tenants' figures as held (0.01 FTE, 1p), so anchor and network totals are exactly
the sum of the lines shown. Excluded figures add nothing and are counted as excluded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from keepitlocal.enabled.activity import resolve
from keepitlocal.enabled.estimate import estimate_employees, estimate_gva
from keepitlocal.enabled.formatting import number
from keepitlocal.enabled.model import Anchor, Override, Project
from keepitlocal.enabled.reference import ReferenceSet, ReferenceValue, load_reference
from keepitlocal.enabled.result import (
    AnchorResult,
    AreaTotal,
    Confidence,
    Figure,
    NetworkResult,
    TenantResult,
    Total,
)
from keepitlocal.enabled.validate import canonical_override_code, validate
from keepitlocal.errors import InputError

TABLE_ORDER = ("density", "fte_factor", "full_time_hours", "gva_turnover_ratio", "gva_per_fte")


def total(figures: Iterable[Figure]) -> Total:
    """Sum of the counted figures; high only when every figure is reported and none is missing."""
    figures = list(figures)
    counted = [f for f in figures if f.value is not None]
    value = sum((f.value for f in counted if f.value is not None), Decimal(0))
    excluded = len(figures) - len(counted)
    confidence: Confidence
    if not counted:
        confidence = "excluded"
    elif excluded == 0 and all(f.confidence == "high" for f in counted):
        confidence = "high"
    else:
        confidence = "moderate"
    return Total(value, len(counted), excluded, confidence)


def _canonical(overrides: Iterable[Override], ref: ReferenceSet) -> list[Override]:
    out = []
    for item in overrides:
        code = canonical_override_code(item.table, item.code, ref)
        if code is not None:
            out.append(replace(item, code=code))
    return out


def calculate_anchor(anchor: Anchor, ref: ReferenceSet) -> AnchorResult:
    tenants = []
    for tenant in anchor.tenants:
        activity = resolve(tenant.sic, tenant.use_class, ref)
        employees = estimate_employees(tenant, activity, ref)
        gva = estimate_gva(tenant, activity, employees, ref)
        tenants.append(
            TenantResult(
                anchor=anchor.name,
                name=tenant.name,
                activity=activity,
                activity_text=activity.describe(ref),
                employees=employees,
                gva=gva,
                notes=tenant.notes,
            )
        )
    return AnchorResult(
        name=anchor.name,
        local_authority=anchor.local_authority,
        tenants=tuple(tenants),
        employees=total(t.employees for t in tenants),
        gva=total(t.gva for t in tenants),
        notes=anchor.notes,
    )


def _references(anchors: Iterable[AnchorResult]) -> tuple[ReferenceValue, ...]:
    used: dict[str, ReferenceValue] = {}
    for anchor in anchors:
        for tenant in anchor.tenants:
            for figure in (tenant.employees, tenant.gva):
                for ref in figure.references:
                    used.setdefault(ref.id, ref)
    return tuple(sorted(used.values(), key=lambda r: (TABLE_ORDER.index(r.table), r.key)))


def _warnings(
    result_anchors: list[AnchorResult], refs: tuple[ReferenceValue, ...], ref: ReferenceSet
) -> list[str]:
    warnings = []
    tenants = [t for a in result_anchors for t in a.tenants]
    for value in refs:
        if value.status == "UNVERIFIED":
            users = sum(1 for t in tenants for f in (t.employees, t.gva) if value in f.references)
            warnings.append(
                f"UNVERIFIED reference value used by {users} tenant figure(s): {value.table} "
                f"{value.key} = {number(value.value)} {value.unit} ({value.cite}); it could not "
                "be traced to a readable source — check it or enter your own as an override"
            )
    unchecked = [v for v in refs if v.status in ("TRANSCRIBED", "DERIVED")]
    if unchecked:
        warnings.append(
            f"{len(unchecked)} of {len(refs)} reference values used were read in secondary "
            "sources and not checked against their primary source (TRANSCRIBED or DERIVED)"
        )
    used_ids = {v.id for v in refs}
    for override_id in sorted(ref.overridden):
        if override_id not in used_ids:
            warnings.append(f"override {override_id} is not used by any tenant")
    no_employees = sum(1 for t in tenants if not t.employees.counted)
    no_gva = sum(1 for t in tenants if not t.gva.counted)
    if no_employees or no_gva:
        warnings.append(
            f"{no_employees} tenant(s) excluded from enabled employment and {no_gva} from "
            "enabled GVA for lack of workable data; they are listed, not counted as zero"
        )
    return warnings


def area_totals(anchors: Iterable[AnchorResult]) -> tuple[AreaTotal, ...]:
    """The anchors' totals by local authority (a network view adds several years' anchors)."""
    groups: dict[str, list[AnchorResult]] = {}
    for anchor in anchors:
        groups.setdefault(anchor.local_authority or "(not given)", []).append(anchor)
    return tuple(
        AreaTotal(
            local_authority=name,
            anchors=tuple(a.name for a in members),
            employees=total(t.employees for a in members for t in a.tenants),
            gva=total(t.gva for a in members for t in a.tenants),
        )
        for name, members in groups.items()
    )


def calculate(project: Project, reference: ReferenceSet | None = None) -> NetworkResult:
    """Enabled employment and GVA for every tenant, anchor and the whole network.

    Raises InputError listing every problem if the project cannot be calculated as it is.
    """
    base = reference or load_reference()
    problems = validate(project, base)
    if problems:
        raise InputError(problems)
    ref = base.with_overrides(_canonical(project.overrides, base))
    anchors = [calculate_anchor(anchor, ref) for anchor in project.anchors]
    refs = _references(anchors)
    return NetworkResult(
        name=project.name,
        source=project.source,
        anchors=tuple(anchors),
        employees=total(t.employees for a in anchors for t in a.tenants),
        gva=total(t.gva for a in anchors for t in a.tenants),
        by_local_authority=area_totals(anchors),
        references=refs,
        warnings=tuple(_warnings(anchors, refs, ref)),
        notes=project.notes,
    )
