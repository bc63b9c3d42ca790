"""A SpendResult as a JSON-ready dict (the `--json` contract) and as a readable text table."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from keepitlocal.money import pounds
from keepitlocal.rounding import percent
from keepitlocal.spend.model import SpendResult


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def result_to_dict(result: SpendResult) -> dict[str, Any]:
    """Every figure, Decimals as strings (no penny lost to float), the line table left out."""
    lines = result.lines
    out: dict[str, Any] = {
        "council": result.council,
        "council_name": result.council_name,
        "backend": result.backend,
        "total": str(result.total),
        "excluded_total": str(result.excluded_total),
        "duplicate_total": str(result.duplicate_total),
        "credit_note_total": str(result.credit_note_total),
        "tiers": _plain(result.tiers),
        "outside_uk_spend": str(result.outside_uk_spend),
        "unknown_spend": str(result.unknown_spend),
        "redacted_spend": str(result.redacted_spend),
        "vcse_spend": str(result.vcse_spend),
        "vcse_share": str(result.vcse_share),
        "local_vcse_spend": str(result.local_vcse_spend),
        "local_vcse_share": str(result.local_vcse_share),
        "sme_spend": str(result.sme_spend),
        "sme_share": str(result.sme_share),
        "sme_unknown_spend": str(result.sme_unknown_spend),
        "lines_read": lines.read,
        "lines_used": lines.used,
        "lines_excluded": lines.excluded,
        "lines_duplicate": lines.duplicate,
        "lines_unusable": lines.unusable,
        "lines_credit_notes": lines.credit_notes,
        "lines_undated": lines.undated,
        "lines_redacted": lines.redacted,
        "exclusions": _plain(result.exclusions),
        "by_department": _plain(result.by_department),
        "by_service": _plain(result.by_service),
        "by_expense_type": _plain(result.by_expense_type),
        "by_month": _plain(result.by_month),
        "by_quarter": _plain(result.by_quarter),
        "by_year": _plain(result.by_year),
        "by_district": _plain(result.by_district),
        "top_local_suppliers": _plain(result.top_local_suppliers),
        "top_nonlocal_suppliers": _plain(result.top_nonlocal_suppliers),
        "leakage": _plain(result.leakage),
        "target": _plain(result.target),
        "shift": _plain(result.shift),
        "matching": _plain(result.matching),
        "files": _plain(result.files),
        "problems": [_plain(p) | {"text": str(p)} for p in result.problems],
        "unreadable": [{"file": f.file, "header_row": f.header_row, "headers": list(f.headers),
                        "problems": [str(p) for p in f.problems],
                        "example_mapping": f.example_mapping} for f in result.unreadable],
        "provenance": _plain(result.provenance),
    }
    return out



def render_text(result: SpendResult) -> str:
    """The readable summary `spend analyse` prints without --json."""
    out = [f"Local spend: {result.council_name} ({result.council}), backend {result.backend}", ""]
    c = result.lines
    out.append(f"Lines read {c.read:,}: used {c.used:,}, excluded {c.excluded:,}, "
               f"duplicates {c.duplicate:,}, unusable {c.unusable:,}")
    out.append(f"Total spend (net of {c.credit_notes:,} credit notes): {pounds(result.total)}")
    out.append(f"Excluded: {pounds(result.excluded_total)}; duplicates left out: "
               f"{pounds(result.duplicate_total)}")
    out.append("")
    out.append(f"{'tier':<5} {'area':<42} {'spend':>18} {'share':>7} {'cumul.':>7}")
    for t in result.tiers:
        out.append(f"{t.tier:<5} {t.name[:42]:<42} {pounds(t.spend):>18} {percent(t.share):>7} "
                   f"{percent(t.cumulative_share):>7}")
    for label, value in (("outside UK", result.outside_uk_spend),
                         ("unknown", result.unknown_spend), ("redacted", result.redacted_spend)):
        share = value / result.total if result.total else Decimal(0)
        out.append(f"{'':<5} {label:<42} {pounds(value):>18} {percent(share):>7}")
    out.append("")
    out.append(f"VCSE {percent(result.vcse_share)} "
               f"(local VCSE {percent(result.local_vcse_share)}); "
               f"SME {percent(result.sme_share)} (size unknown for "
               f"{pounds(result.sme_unknown_spend)})")
    if result.target is not None:
        goal = result.target
        out.append(f"Target {percent(goal.target_share)}: now {percent(goal.current_share)}, gap "
                   f"{pounds(goal.gap)}")
    s = result.shift
    out.append(f"Moving {percent(s.shift_share)} of spend ({pounds(s.shifted_spend)}) to local "
               f"suppliers: about {pounds(s.extra_local_value)} more local value "
               f"(multipliers {s.local_multiplier} / {s.nonlocal_multiplier})")
    if result.top_local_suppliers:
        out += ["", "Top local suppliers:"]
        out += [f"  {pounds(x.spend):>16}  {x.name}" for x in result.top_local_suppliers]
    if result.top_nonlocal_suppliers:
        out += ["", "Top non-local suppliers:"]
        out += [f"  {pounds(x.spend):>16}  {x.name} ({x.category})"
                for x in result.top_nonlocal_suppliers]
    if result.matching.review:
        out += ["", f"{len(result.matching.review)} supplier name(s) need a matching decision "
                "(see --json matching.review)"]
    listed = [p for p in result.problems if p.row is not None]
    if result.problems:
        out += ["", "Problems:"]
        out += [f"  {p}" for p in result.problems if p.row is None]
        out += [f"  {p}" for p in listed[:20]]
        if len(listed) > 20:
            out.append(f"  ... and {len(listed) - 20} more (see --json problems)")
    return "\n".join(out)
