"""Gap filling for one tenant, in the order of Appendix 2: the tenant's own data first.

Employees: reported FTE; else headcount × weekly hours ÷ full-time week; else headcount × the
industry's FTE-per-job factor; else floorspace ÷ HCA 2015 employment density for the use class.
GVA: reported GVA; else turnover × the industry's GVA-to-turnover ratio; else FTE × the
industry's GVA per FTE. Reported figures are "high" confidence, estimated ones "moderate"; a
figure with no workable route is excluded with the reasons each route could not be used.
"""

from __future__ import annotations

from collections.abc import Mapping

from keepitlocal.enabled.activity import Activity, sic_chain
from keepitlocal.enabled.formatting import exact_fte, exact_pounds, number, pounds
from keepitlocal.enabled.model import AREA_BASES, Tenant
from keepitlocal.enabled.reference import ReferenceSet, ReferenceValue
from keepitlocal.enabled.result import Figure


def _cite(ref: ReferenceValue, what: str) -> str:
    year = f" {ref.year}" if ref.year else ""
    return f"({ref.cite}{year}, {what}; {ref.status})"


def _industry(code: str) -> str:
    return f"section {code}" if code.isalpha() else f"SIC {code}"


def _excluded(reasons: list[str], warnings: list[str]) -> Figure:
    return Figure(
        value=None,
        route="excluded",
        description="excluded: no workable data",
        confidence="excluded",
        warnings=tuple(warnings),
        excluded_reason="; ".join(reasons),
    )


def _basis_warning(tenant: Tenant, density: ReferenceValue) -> str | None:
    wanted = density.basis
    given = tenant.area_basis
    if wanted is None:
        return None
    if given is None:
        return f"area basis not given: floorspace taken as {wanted}, the basis of the density"
    if given == wanted:
        return None
    direction = "high" if AREA_BASES.index(given) > AREA_BASES.index(wanted) else "low"
    return (
        f"floorspace is {given} but the density is per m² {wanted}; no conversion applied, "
        f"so this estimate is probably too {direction}"
    )


def estimate_employees(tenant: Tenant, activity: Activity, ref: ReferenceSet) -> Figure:
    if tenant.fte is not None:
        return Figure(exact_fte(tenant.fte), "reported_fte", "reported FTE", "high")
    hours = ref.full_time_hours
    if tenant.headcount is not None and tenant.weekly_hours is not None:
        value = tenant.headcount * tenant.weekly_hours / hours.value
        text = (
            f"{number(tenant.headcount)} staff × {number(tenant.weekly_hours)} h/week ÷ "
            f"{number(hours.value)} h full-time week {_cite(hours, 'full-time week')}"
        )
        return Figure(exact_fte(value), "headcount_hours", text, "high", (hours,))
    reasons: list[str] = []
    warnings: list[str] = []
    if tenant.headcount is not None:
        factor = _lookup(ref.fte_factors, activity, ref)
        if factor is not None:
            value = tenant.headcount * factor.value
            text = (
                f"{number(tenant.headcount)} staff (headcount, hours not given) × "
                f"{number(factor.value)} FTE per job {_cite(factor, _industry(factor.key))}"
            )
            return Figure(exact_fte(value), "headcount_factor", text, "moderate", (factor,))
        reason = (
            f"headcount given but no FTE-per-job factor for section {activity.section}"
            if activity.section
            else "headcount given but no SIC code, so no FTE-per-job factor"
        )
        reasons.append(reason + "; give average weekly hours or FTE")
    if tenant.floorspace_m2 is not None:
        density = ref.densities.get(activity.use_class) if activity.use_class else None
        if density is not None:
            value = tenant.floorspace_m2 / density.value
            basis = tenant.area_basis or density.basis or ""
            text = (
                f"{number(tenant.floorspace_m2)} m² {basis} ÷ {number(density.value)} "
                f"m²/FTE {_cite(density, f'{density.key} {density.label.lower()}')}"
            ).replace("  ", " ")
            warning = _basis_warning(tenant, density)
            if reasons:
                warnings.extend(reasons)
            if warning:
                warnings.append(warning)
            return Figure(
                exact_fte(value),
                "floorspace_density",
                text,
                "moderate",
                (density,),
                tuple(warnings),
            )
        if activity.use_class:
            reasons.append(
                f"floorspace given but there is no employment density for use class "
                f"{activity.use_class} ({ref.use_classes[activity.use_class].label}); "
                f'enter one under overrides, density "{activity.use_class}"'
            )
        else:
            reasons.append(
                f"floorspace given but no use class is known for SIC {activity.sic}; "
                "give the tenant's use class"
            )
    if not reasons:
        reasons.append("no FTE, headcount or floorspace given")
    return _excluded(reasons, warnings)


def _lookup(
    table: Mapping[str, ReferenceValue], activity: Activity, ref: ReferenceSet
) -> ReferenceValue | None:
    """The most specific value for the tenant's SIC code: class, group, division, then section."""
    if not activity.sic:
        return None
    for code in sic_chain(activity.sic, ref):
        if code in table:
            return table[code]
    return None


def estimate_gva(
    tenant: Tenant, activity: Activity, employees: Figure, ref: ReferenceSet
) -> Figure:
    if tenant.gva is not None:
        return Figure(exact_pounds(tenant.gva), "reported_gva", "reported GVA", "high")
    reasons: list[str] = []
    warnings: list[str] = []
    if tenant.turnover is not None:
        ratio = _lookup(ref.turnover_ratios, activity, ref)
        if ratio is not None:
            value = tenant.turnover * ratio.value
            text = (
                f"{pounds(tenant.turnover)} turnover × {number(ratio.value)} GVA/turnover "
                f"{_cite(ratio, f'SIC {ratio.key}')}"
            )
            return Figure(exact_pounds(value), "turnover_ratio", text, "moderate", (ratio,))
        where = f"SIC {activity.sic}" if activity.sic else "an unknown industry"
        reasons.append(
            f"turnover given but no GVA-to-turnover ratio for {where}; "
            'enter one under overrides, "gva_turnover_ratio"'
        )
    if employees.value is not None:
        per_fte = _lookup(ref.gva_per_fte, activity, ref)
        if per_fte is not None:
            value = employees.value * per_fte.value
            text = (
                f"{number(employees.value)} FTE × {pounds(per_fte.value)} per FTE "
                f"{_cite(per_fte, _industry(per_fte.key))}"
            )
            warnings.extend(reasons)
            return Figure(
                exact_pounds(value),
                "employees_gva_per_fte",
                text,
                "moderate",
                (per_fte,),
                tuple(warnings),
            )
        where = f"section {activity.section}" if activity.section else "an unknown industry"
        reasons.append(
            f"no GVA per FTE for {where}; give a SIC code, or enter a value under "
            'overrides, "gva_per_fte"'
        )
    else:
        reasons.append("employees could not be found, so GVA cannot be estimated from them")
    return _excluded(reasons, warnings)
