"""One presentation of a result, shared by `--json`, the readable table and the web page.

Headline totals are rounded as the appendix advises ("approximately 1,400 FTE"), with the exact
figure alongside; every tenant line carries its route, confidence and the status of each
reference value it used.
"""

from __future__ import annotations

from typing import Any

from keepitlocal.enabled.formatting import (
    approximately_fte,
    approximately_pounds,
    number,
    pounds,
)
from keepitlocal.enabled.reference import ReferenceSet, ReferenceValue
from keepitlocal.enabled.result import AreaTotal, Figure, NetworkResult, TenantResult, Total

METHOD = (
    "Enabled Contribution (Locality / NEF Consulting, Powerful Communities, Strong Economies, "
    "2017, Appendix 2): jobs and GVA of anchors' tenants, reported data first, gaps filled "
    "from HCA employment densities and ONS industry ratios"
)
STATUS_FLAGS = {
    "VERIFIED": "",
    "TRANSCRIBED": "not checked against primary source",
    "DERIVED": "computed from values not checked against primary source",
    "UNVERIFIED": "⚠ could not be traced to a readable source",
    "CONVENTION": "keepitlocal convention",
    "USER": "project override",
}


def total_to_dict(total: Total, kind: str) -> dict[str, Any]:
    """A total as every output shows it: exact, approximately, confidence, tenants counted."""
    return {
        "exact": str(total.value),
        "approximately": (
            approximately_fte(total.value) if kind == "fte" else approximately_pounds(total.value)
        ),
        "confidence": total.confidence,
        "tenants_counted": total.counted,
        "tenants_excluded": total.excluded,
    }


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "value": None if figure.value is None else str(figure.value),
        "route": figure.route,
        "description": figure.description,
        "confidence": figure.confidence,
        "excluded_reason": figure.excluded_reason,
        "references": [ref.id for ref in figure.references],
        "warnings": list(figure.warnings),
    }


def _tenant(tenant: TenantResult) -> dict[str, Any]:
    activity = tenant.activity
    return {
        "name": tenant.name,
        "activity": {
            "description": tenant.activity_text,
            "sic": activity.sic,
            "section": activity.section,
            "use_class": activity.use_class,
            "sic_assumed": activity.sic_assumed,
            "use_class_assumed": activity.use_class_assumed,
        },
        "employees": _figure(tenant.employees),
        "gva": _figure(tenant.gva),
        "confidence": tenant.confidence,
        "excluded": tenant.excluded,
        "notes": tenant.notes,
    }


def _reference(ref: ReferenceValue) -> dict[str, Any]:
    source = ref.source
    return {
        "id": ref.id,
        "table": ref.table,
        "key": ref.key,
        "label": ref.label,
        "value": str(ref.value),
        "unit": ref.unit,
        "area_basis": ref.basis,
        "year": ref.year,
        "status": ref.status,
        "checked_against_primary": ref.checked,
        "unverified": ref.status == "UNVERIFIED",
        "note": ref.note,
        "source": {
            "id": source.id,
            "title": source.title,
            "publisher": source.publisher,
            "edition_year": source.edition_year,
            "licence": source.licence,
            "url": source.url,
            "table_page": ref.table_page or source.table_page,
            "read_at": source.read_at,
        },
    }


def area_to_dict(area: AreaTotal) -> dict[str, Any]:
    return {
        "local_authority": area.local_authority,
        "anchors": list(area.anchors),
        "employees_fte": total_to_dict(area.employees, "fte"),
        "gva_pounds": total_to_dict(area.gva, "pounds"),
    }


def result_to_dict(result: NetworkResult) -> dict[str, Any]:
    """The whole result as plain JSON-ready data; figures are strings so no penny is lost."""
    excluded = [
        {
            "anchor": t.anchor,
            "tenant": t.name,
            "figure": kind,
            "reason": figure.excluded_reason,
        }
        for t in result.tenants
        for kind, figure in (("employees", t.employees), ("gva", t.gva))
        if not figure.counted
    ]
    return {
        "name": result.name,
        "source": result.source,
        "notes": result.notes,
        "method": METHOD,
        "employees_fte": total_to_dict(result.employees, "fte"),
        "gva_pounds": total_to_dict(result.gva, "pounds"),
        "anchors": [
            {
                "name": anchor.name,
                "local_authority": anchor.local_authority,
                "notes": anchor.notes,
                "employees_fte": total_to_dict(anchor.employees, "fte"),
                "gva_pounds": total_to_dict(anchor.gva, "pounds"),
                "tenants": [_tenant(t) for t in anchor.tenants],
            }
            for anchor in result.anchors
        ],
        "by_local_authority": [area_to_dict(area) for area in result.by_local_authority],
        "excluded": excluded,
        "references": [_reference(ref) for ref in result.references],
        "warnings": list(result.warnings),
    }


def _fte_line(total: Total) -> str:
    if total.confidence == "excluded":
        return "no workable data"
    return (
        f"{approximately_fte(total.value)} (exact {number(total.value)}; "
        f"{total.confidence} confidence; {total.counted} tenant(s)"
        + (f", {total.excluded} excluded" if total.excluded else "")
        + ")"
    )


def _gva_line(total: Total) -> str:
    if total.confidence == "excluded":
        return "no workable data"
    return (
        f"{approximately_pounds(total.value)} (exact {pounds(total.value)}; "
        f"{total.confidence} confidence; {total.counted} tenant(s)"
        + (f", {total.excluded} excluded" if total.excluded else "")
        + ")"
    )


def _figure_line(label: str, figure: Figure, money: bool) -> list[str]:
    if figure.value is None:
        lines = [f"      {label}: EXCLUDED — {figure.excluded_reason}"]
    else:
        shown = pounds(figure.value) if money else f"{number(figure.value)} FTE"
        lines = [f"      {label}: {shown} — {figure.description} [{figure.confidence}]"]
    lines += [f"        note: {warning}" for warning in figure.warnings]
    return lines


def render_text(result: NetworkResult) -> str:
    """A readable report for the terminal: per anchor, per tenant, totals, then sources."""
    lines = [f"Enabled Contribution: {result.name}", ""]
    for anchor in result.anchors:
        place = f" ({anchor.local_authority})" if anchor.local_authority else ""
        lines.append(f"{anchor.name}{place}")
        for tenant in anchor.tenants:
            flag = " — EXCLUDED (no workable data)" if tenant.excluded else ""
            lines.append(f"  {tenant.name}: {tenant.activity_text}{flag}")
            lines += _figure_line("employees", tenant.employees, money=False)
            lines += _figure_line("GVA", tenant.gva, money=True)
        lines.append(f"  Enabled employment: {_fte_line(anchor.employees)}")
        lines.append(f"  Enabled GVA:        {_gva_line(anchor.gva)}")
        lines.append("")
    if len(result.by_local_authority) > 1:
        lines.append("By local authority")
        for area in result.by_local_authority:
            lines.append(
                f"  {area.local_authority}: {_fte_line(area.employees)}; {_gva_line(area.gva)}"
            )
        lines.append("")
    lines.append(f"Network ({len(result.anchors)} anchor(s), {len(result.tenants)} tenant(s))")
    lines.append(f"  Enabled employment: {_fte_line(result.employees)}")
    lines.append(f"  Enabled GVA:        {_gva_line(result.gva)}")
    lines.append("")
    if result.references:
        lines.append("Reference values used")
        for ref in result.references:
            flag = STATUS_FLAGS.get(ref.status, ref.status)
            year = f" {ref.year}" if ref.year else ""
            page = ref.table_page or ref.source.table_page
            lines.append(
                f"  {ref.id}: {number(ref.value)} {ref.unit} — {ref.label} "
                f"({ref.cite}{year}, {page}); {ref.status}" + (f" — {flag}" if flag else "")
            )
            if ref.status == "USER" and ref.note:
                lines.append(f"      {ref.note}")
        lines.append("")
        lines.append("Sources")
        seen = set()
        for ref in result.references:
            source = ref.source
            if source.id in seen or source.status == "USER":
                continue
            seen.add(source.id)
            lines.append(
                f"  {source.short}: {source.title}. {source.publisher}, {source.edition_year}."
                + (f" {source.url}" if source.url else "")
                + (f" Licence: {source.licence}." if source.licence else "")
            )
        lines.append("")
    if result.warnings:
        lines.append("Warnings")
        lines += [f"  - {warning}" for warning in result.warnings]
        lines.append("")
    lines.append(
        "Confidence: high = complete primary data from the tenant; moderate = estimated to fill "
        "gaps. Present totals as the rounded figures, to avoid false accuracy."
    )
    return "\n".join(lines)


def reference_to_dict(ref: ReferenceSet) -> dict[str, Any]:
    """The activity codes a tenant can be given, with the reference values behind each."""
    return {
        "use_classes": [
            {
                "use_class": use.code,
                "label": use.label,
                "aliases": list(use.aliases),
                "assumed_sic": use.assumed_sic,
                "density": _reference(ref.densities[use.code])
                if use.code in ref.densities
                else None,
                "note": use.note,
            }
            for use in ref.use_classes.values()
        ],
        "sic_sections": [
            {
                "section": section.letter,
                "label": section.label,
                "divisions": f"{section.first_division:02d}-{section.last_division:02d}",
                "gva_per_fte": _reference(ref.gva_per_fte[section.letter])
                if section.letter in ref.gva_per_fte
                else None,
                "fte_factor": _reference(ref.fte_factors[section.letter])
                if section.letter in ref.fte_factors
                else None,
            }
            for section in ref.sections.values()
        ],
        "gva_turnover_ratios": [_reference(value) for value in ref.turnover_ratios.values()],
        "full_time_hours": _reference(ref.full_time_hours),
        "sources": [
            {key: getattr(source, key) for key in source.__dataclass_fields__}
            for source in ref.sources.values()
        ],
    }


def render_reference(ref: ReferenceSet) -> str:
    """The code lists as a readable table, for people filling in a survey return."""
    lines = ["HCA use classes (for floorspace → FTE)", ""]
    for use in ref.use_classes.values():
        density = ref.densities.get(use.code)
        shown = (
            f"{number(density.value)} m² {density.basis}/FTE, {density.status}"
            if density
            else "no density: enter one as an override"
        )
        alias = f" (also {', '.join(use.aliases)})" if use.aliases else ""
        lines.append(f"  {use.code:<20} {use.label}{alias}")
        lines.append(f"  {'':<20} {shown}; GVA as SIC {use.assumed_sic or '-'} unless given")
    lines += ["", "SIC 2007 sections (for GVA)", ""]
    for section in ref.sections.values():
        gva = ref.gva_per_fte.get(section.letter)
        shown = (
            f"{pounds(gva.value)} per FTE ({gva.cite} {gva.year}, {gva.status})"
            if gva
            else "no GVA per FTE: enter one as an override"
        )
        divisions = f"{section.first_division:02d}-{section.last_division:02d}"
        lines.append(f"  {section.letter} {divisions:<6} {section.label}: {shown}")
    lines += ["", "GVA-to-turnover ratios (for turnover → GVA)", ""]
    for value in ref.turnover_ratios.values():
        lines.append(
            f"  SIC {value.key:<6} {number(value.value)}  {value.label} "
            f"({value.cite} {value.year}, {value.status})"
        )
    hours = ref.full_time_hours
    lines += ["", f"Full-time week: {number(hours.value)} {hours.unit} ({hours.status})"]
    return "\n".join(lines)
