"""The asset map as tables: one row per organisation, and each summary as its own table, ready
for CSV, XLSX, JSON or a web page. The writers neutralise text a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from keepitlocal.assetmap.bands import band_of
from keepitlocal.assetmap.build import OFFICE, OPERATION, VIEWS, AssetMap
from keepitlocal.assetmap.deprivation import (
    ATTRIBUTION,
    EDITION,
    OLDER_EDITION,
    DistrictDeprivation,
)
from keepitlocal.assetmap.organisations import Organisation
from keepitlocal.assetmap.sources import REGISTER_NAMES
from keepitlocal.assetmap.summary import Summary, Tally, decile_label, summarise
from keepitlocal.web.core.exports import neutralise

ORGANISATION_COLUMNS = (
    "key", "name", "identifiers", "sources", "active", "registered", "removed", "income",
    "income_source", "band", "activities", "postcode", "placed_at", "lad", "lat", "lon",
    "lsoa21", "imd2025_decile", "imd2019_decile", "lsoa_best_fit", "no_decile_reason",
    "registered_office_in_area", "works_in_area", "government_contracts",
    "government_grants", "grants_received",
)


@dataclass
class Table:
    name: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def organisation_row(organisation: Organisation, asset_map: AssetMap) -> dict[str, Any]:
    location = organisation.location
    contracts, grants = organisation.latest_government_income
    found = organisation.deprivation
    return {
        "key": organisation.key,
        "name": organisation.name,
        "identifiers": "; ".join(f"{s} {v}" for s, v in organisation.identifiers),
        "sources": "; ".join(organisation.sources),
        "active": organisation.active,
        "registered": organisation.registered,
        "removed": organisation.removed,
        "income": organisation.income,
        "income_source": organisation.income_source,
        "band": band_of(organisation.income, asset_map.bands),
        "activities": "; ".join(organisation.classifications),
        "postcode": organisation.postcode,
        "placed_at": organisation.place_level or "not placed",
        "lad": location.lad if location else None,
        "lat": round(location.lat, 5) if location and location.has_coordinates else None,
        "lon": round(location.lon, 5) if location and location.has_coordinates else None,
        "lsoa21": found.lsoa21,
        "imd2025_decile": found.decile,
        "imd2019_decile": found.decile_2019,
        "lsoa_best_fit": found.best_fit,
        "no_decile_reason": None if found.decile is not None else decile_label(organisation),
        "registered_office_in_area": organisation.in_area_office,
        "works_in_area": organisation.in_area_operation,
        "government_contracts": contracts,
        "government_grants": grants,
        "grants_received": organisation.grants_received or None,
    }


DISTRICT_HEADERS = ("lad", "district", "neighbourhoods (LSOA 2021)",
                    "in the most deprived deciles", "deciles counted", "share", "note")


def district_document(district: DistrictDeprivation) -> dict[str, Any]:
    """One district's deprivation shading figures as plain data (--json, the web, exports)."""
    return {"lad": district.lad, "name": district.name, "lsoas": district.lsoas,
            "most_deprived": district.most_deprived, "deciles": district.deciles,
            "share": district.share, "note": district.note}


def _tally_rows(tallies: dict[str, Tally]) -> list[tuple[Any, ...]]:
    return [(name, t.count, t.income, t.with_income) for name, t in tallies.items()]


def tables(asset_map: AssetMap) -> list[Table]:
    """Everything an export holds: organisations, then each view's summaries, then sources."""
    out = [Table("organisations", ORGANISATION_COLUMNS,
                 [tuple(organisation_row(o, asset_map).values())
                  for o in asset_map.organisations])]
    tally_headers = ("group", "organisations", "income", "organisations with income")
    for view in VIEWS:
        summary = summarise(asset_map, view)
        out += [
            Table(f"{view} bands", tally_headers, [
                *_tally_rows(summary.by_band),
                ("seed band £200k-£500k (also in the bands above)", summary.seed_band.count,
                 summary.seed_band.income, summary.seed_band.with_income)]),
            Table(f"{view} activities", tally_headers, _tally_rows(summary.by_activity)),
            Table(f"{view} deciles", tally_headers, _tally_rows(summary.by_decile)),
            Table(f"{view} LSOAs", tally_headers, _tally_rows(summary.by_lsoa)),
            Table(f"{view} years", ("year", "registered", "removed", "on register at year end"),
                  [(y.year, y.registered, y.removed, y.active_at_end) for y in summary.years]),
        ]
    out.append(Table("district deprivation", DISTRICT_HEADERS,
                     [tuple(district_document(d).values()) for d in asset_map.districts]))
    out.append(Table("sources", ("register", "published", "rows read", "rows kept", "problems"),
                     [(REGISTER_NAMES.get(r.kind, r.kind) + f" ({r.file})", r.published,
                       r.rows, r.kept, len(r.problems) + r.problems_dropped)
                      for r in asset_map.reports]))
    out.append(Table("notes", ("note",), [(VIEWS[OFFICE],), (VIEWS[OPERATION],),
                                          (f"Deciles: {EDITION}; older edition {OLDER_EDITION}."
                                           " 1 = most deprived.",), (ATTRIBUTION,)]))
    return out


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else value


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([_cell(v) for v in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(all_tables: list[Table]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for table in all_tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append(list(table.headers))
        for row in table.rows:
            sheet.append([float(v) if isinstance(v, Decimal) else
                          ("" if v is None else neutralise(v)) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def summary_document(summary: Summary) -> dict[str, Any]:
    """One view's figures as plain data (for --json and the web)."""
    def tallies(items: dict[str, Tally]) -> list[dict[str, Any]]:
        return [{"group": k, "count": t.count, "income": t.income, "with_income": t.with_income}
                for k, t in items.items()]

    return {
        "view": summary.view, "view_label": summary.view_label,
        "organisations": summary.total.count, "income": summary.total.income,
        "with_income": summary.total.with_income, "removed": summary.removed_count,
        "by_band": tallies(summary.by_band),
        "seed_band": {"count": summary.seed_band.count, "income": summary.seed_band.income},
        "by_activity": tallies(summary.by_activity), "by_decile": tallies(summary.by_decile),
        "by_lsoa": tallies(summary.by_lsoa),
        "years": [vars(y) for y in summary.years],
        "government_contracts": summary.government_contracts,
        "government_grants": summary.government_grants,
        "with_government_income": summary.with_government_income,
        "grants_received": summary.grants_received, "placed": summary.placed,
        "best_fit_lsoa": summary.best_fit_lsoa, "sources": summary.sources,
    }
