"""Downloads: the results (CSV, XLSX, an A4 PDF report) and the engine's input (JSON, XLSX).

Each is built from the engine's result dict (selectors.project_result); the input downloads
are exactly what `keepitlocal enabled calc` reads, so anyone can check the figures offline.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from keepitlocal.enabled import project_from_dict, write_template
from keepitlocal.enabled.present import METHOD
from keepitlocal.web.core.exports import csv_text, workbook_bytes
from keepitlocal.web.core.pdf import render_pdf
from keepitlocal.web.enabled.selectors import ProjectResult, engine_input, status_flag

RESULT_COLUMNS = (
    "Anchor",
    "Year",
    "Tenant",
    "Activity",
    "SIC",
    "Use class",
    "Employees (FTE)",
    "Employees: method",
    "Employees: how",
    "Employees: confidence",
    "GVA (£)",
    "GVA: method",
    "GVA: how",
    "GVA: confidence",
    "Confidence",
    "Excluded because",
    "Notes",
)


def result_rows(computed: ProjectResult) -> list[list[object]]:
    """The results table: one row per tenant, then the waiting tenants, then the total."""
    project = computed.project
    anchor = project.organisation.name
    rows: list[list[object]] = []
    for row in computed.rows():
        employees, gva = row["employees"], row["gva"]
        reasons = "; ".join(
            f"{kind}: {figure['excluded_reason']}"
            for kind, figure in (("employees", employees), ("GVA", gva))
            if figure["excluded_reason"]
        )
        rows.append(
            [
                anchor,
                project.year,
                row["name"],
                row["activity"]["description"],
                row["activity"]["sic"] or "",
                row["activity"]["use_class"] or "",
                employees["value"] or "",
                employees["route_label"],
                employees["description"],
                employees["confidence"],
                gva["value"] or "",
                gva["route_label"],
                gva["description"],
                gva["confidence"],
                row["confidence"],
                reasons,
                row["notes"],
            ]
        )
    for tenant in computed.waiting:
        rows.append(
            [anchor, project.year, tenant.name, "", "", "", "", "", "", "", "", "", "", "",
             "waiting for data", "no SIC code or use class yet", tenant.notes]
        )
    if computed.anchor:
        fte_total, gva_total = computed.anchor["employees_fte"], computed.anchor["gva_pounds"]
        rows.append(
            [anchor, project.year, "Total", "", "", "",
             fte_total["exact"], fte_total["approximately"], "", fte_total["confidence"],
             gva_total["exact"], gva_total["approximately"], "", gva_total["confidence"],
             "", f"{fte_total['tenants_excluded']} excluded from employment, "
             f"{gva_total['tenants_excluded']} from GVA", ""]
        )
    return rows


def results_csv(computed: ProjectResult) -> bytes:
    text = csv_text([RESULT_COLUMNS, *result_rows(computed)])
    return ("\ufeff" + text).encode("utf-8")  # the BOM tells Excel it is UTF-8


def results_xlsx(computed: ProjectResult) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Results"
    sheet.append(list(RESULT_COLUMNS))
    for row in result_rows(computed):
        sheet.append(row)
    widths = [28, 6, 30, 40, 8, 12, 10, 24, 50, 12, 12, 24, 50, 12, 12, 40, 30]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(row=1, column=index).font = Font(bold=True)
    sheet.freeze_panes = "D2"

    refs = workbook.create_sheet("Reference values")
    refs.append(["Id", "Value", "Unit", "Label", "Status", "Flag", "Source", "Table or page",
                 "Year", "Note"])
    for ref in (computed.document or {}).get("references", []):
        refs.append([
            ref["id"], ref["value"], ref["unit"], ref["label"], ref["status"],
            status_flag(ref["status"]), ref["source"]["title"], ref["source"]["table_page"],
            ref["year"], ref["note"]])
    for index in range(1, 11):
        refs.cell(row=1, column=index).font = Font(bold=True)
    notes = workbook.create_sheet("Method and warnings")
    notes.append(["Method"])
    notes.append([METHOD])
    notes.append([])
    notes.append(["Warnings"])
    for warning in (computed.document or {}).get("warnings", []):
        notes.append([warning])
    notes["A1"].font = notes["A4"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 140
    return workbook_bytes(workbook)


def input_json(computed: ProjectResult) -> bytes:
    """The engine's input file: `keepitlocal enabled calc` on it gives the same figures."""
    data = engine_input(computed.project)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def input_xlsx(computed: ProjectResult) -> bytes:
    """The engine's workbook, holding this year's tenants (or empty, ready to fill in)."""
    data = engine_input(computed.project)
    project = project_from_dict(data) if data["anchors"][0]["tenants"] else None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tenants.xlsx"
        write_template(path, project)
        return path.read_bytes()


def report_pdf(computed: ProjectResult, context: dict[str, Any]) -> bytes:
    """An A4 report of the year's results, for a board paper or a funding bid."""
    return render_pdf("enabled/report_pdf.html", context)
