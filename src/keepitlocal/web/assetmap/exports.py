"""Downloads of a built map: the filtered organisations as CSV, everything as XLSX, and a PDF
summary. Values are the engine's, as stored; text is neutralised against formulas."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from keepitlocal.assetmap.export import ORGANISATION_COLUMNS
from keepitlocal.web.core.exports import neutralise


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        value = "; ".join(" ".join(v) if isinstance(v, list) else str(v) for v in value)
    return "" if value is None else neutralise(value)


def organisations_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ORGANISATION_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in ORGANISATION_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def _number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(Decimal(value))
        except ArithmeticError:
            return neutralise(value)
    return value


def workbook(document: dict[str, Any], rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("organisations")
    sheet.append(list(ORGANISATION_COLUMNS))
    money = {"income", "government_contracts", "government_grants", "grants_received"}
    for row in rows:
        sheet.append([_number(row.get(c)) if c in money else _cell(row.get(c))
                      for c in ORGANISATION_COLUMNS])
    for view, summary in document["views"].items():
        for part in ("by_band", "by_activity", "by_decile", "by_lsoa"):
            sheet = book.create_sheet(f"{view} {part.removeprefix('by_')}"[:31])
            sheet.append(["group", "organisations", "income", "organisations with income"])
            for tally in summary[part]:
                sheet.append([_cell(tally["group"]), tally["count"], _number(tally["income"]),
                              tally["with_income"]])
        sheet = book.create_sheet(f"{view} years")
        sheet.append(["year", "registered", "removed", "on register at year end"])
        for year in summary["years"]:
            sheet.append([year["year"], year["registered"], year["removed"],
                          year["active_at_end"]])
    sheet = book.create_sheet("sources")
    sheet.append(["register", "file", "published", "rows", "used", "problems"])
    for register in document["registers"]:
        sheet.append([register["register"], _cell(register["file"]),
                      register["published"] or "", register["rows"], register["kept"],
                      len(register["problems"]) + register["problems_not_listed"]])
    sheet = book.create_sheet("notes")
    for view, summary in document["views"].items():
        sheet.append([view, summary["view_label"]])
    sheet.append(["deprivation", document["deprivation"]["attribution"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
