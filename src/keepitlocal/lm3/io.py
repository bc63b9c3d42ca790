"""Reading and writing the LM3 project file (JSON) and workbook (XLSX); the only I/O module here.

Both formats become the same rows of fields, and one builder turns rows into a Project, collecting
every problem with the file, row and column it came from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from keepitlocal.errors import InputError, Problem
from keepitlocal.lm3.model import (
    OtherCost,
    Project,
    Response,
    StaffMember,
    StaffTotals,
    Supplier,
)
from keepitlocal.lm3.parameters import PARAMETERS
from keepitlocal.lm3.validation import project_problems, supplier_key
from keepitlocal.money import parse_amount
from keepitlocal.records import RowReader, read_document
from keepitlocal.safeio import Row, header_key, save_workbook, sheets_workbook, workbook_sheets

SHEETS = {
    "Project": ["field", "value"],
    "Staff": ["label", "postcode", "pay", "local"],
    "Suppliers": ["name", "contact", "email", "postcode", "spend", "local"],
    "Other costs": ["label", "spend", "local"],
    "Responses": ["supplier", "local_staff_share", "local_supplier_share", "source"],
}
# the columns a sheet cannot do without; the others may be left out
REQUIRED_COLUMNS = {
    "Project": ["field", "value"],
    "Staff": ["pay"],
    "Suppliers": ["name", "spend"],
    "Other costs": ["spend", "local"],
    "Responses": ["supplier", "local_staff_share", "local_supplier_share"],
}
RESPONSE_SOURCES = ("survey", "phone", "paper", "file")
_TRUE = {"true", "yes", "y", "1", "local"}
_FALSE = {"false", "no", "n", "0", "non-local", "nonlocal"}


class _Builder(RowReader):
    """A project's values: amounts, shares, yes/no flags, staff, suppliers, costs, responses."""

    def text(self, row: Row, key: str, required: bool = True) -> str | None:
        value = row.fields.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(row, key, f"{key} is missing", f"give a {key}")
            return None
        return str(value).strip()

    def amount(self, row: Row, key: str) -> Decimal:
        value = row.fields.get(key)
        if value is None or value == "":
            self.problem(row, key, f"{key} is missing", "give an amount in pounds, e.g. 1250.00")
            return Decimal(0)
        try:
            return parse_amount(value)
        except ValueError as error:
            self.problem(row, key, str(error), "give an amount in pounds, e.g. 1250.00")
            return Decimal(0)

    def share(self, row: Row, key: str) -> Decimal:
        value = row.fields.get(key)
        if isinstance(value, str) and value.strip().endswith("%"):
            try:
                return parse_amount(value.strip()[:-1]) / 100
            except ValueError:
                pass
        if value is None or value == "":
            self.problem(row, key, f"{key} is missing", "give a fraction from 0 to 1, e.g. 0.4")
            return Decimal(0)
        try:
            return parse_amount(value)
        except ValueError as error:
            self.problem(row, key, str(error), "give a fraction from 0 to 1, e.g. 0.4")
            return Decimal(0)

    def flag(self, row: Row, key: str) -> bool | None:
        value = row.fields.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        word = str(value).strip().casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        self.problem(row, key, f"{value!r} is not yes or no", 'use true/false (or "yes"/"no")')
        return None

    def response(self, row: Row) -> Response:
        source = self.text(row, "source", required=False) or "survey"
        if source not in RESPONSE_SOURCES:
            self.problem(
                row,
                "source",
                f"unknown response source {source!r}",
                "use survey, phone, paper or file",
            )
        return Response(
            self.share(row, "local_staff_share"), self.share(row, "local_supplier_share"), source
        )

    def staff_member(self, row: Row) -> StaffMember:
        return StaffMember(
            label=self.text(row, "label", required=False) or f"Staff member {row.row}",
            pay=self.amount(row, "pay"),
            postcode=self.text(row, "postcode", required=False),
            local=self.flag(row, "local"),
            row=row.row,
        )

    def supplier(self, row: Row, response: Response | None) -> Supplier:
        return Supplier(
            name=self.text(row, "name") or "",
            spend=self.amount(row, "spend"),
            postcode=self.text(row, "postcode", required=False),
            local=self.flag(row, "local"),
            contact=self.text(row, "contact", required=False),
            email=self.text(row, "email", required=False),
            response=response,
            row=row.row,
        )

    def other_cost(self, row: Row) -> OtherCost:
        local = self.flag(row, "local")
        if local is None:
            self.problem(
                row, "local", "say whether this cost is paid locally", 'set "local": true or false'
            )
        return OtherCost(
            self.text(row, "label") or "", self.amount(row, "spend"), bool(local), row.row
        )


def read_project(path: Path | str) -> Project:
    """Read an LM3 project from a .json project file or an .xlsx workbook."""
    return read_document(path, read_workbook, project_from_dict)


def project_from_dict(document: Any, source: str = "project") -> Project:
    """Build a Project from the project file's JSON shape (see DESIGN.md)."""
    builder = _Builder(source)
    if not isinstance(document, dict):
        raise InputError.one("should hold one JSON object (the project)", file=source)
    top = Row(document, source, None)
    name = builder.text(top, "name") or ""
    area = document.get("area")
    if not isinstance(area, dict):
        builder.problem(
            top,
            "area",
            "area is missing or not an object",
            'give {"lad": ["E08000033"]} or {"radius_km": 12, "centre": "HX1 2JJ"}',
        )
        area = {}
    staff_totals = None
    staff: list[StaffMember] = []
    raw_staff = document.get("staff")
    if isinstance(raw_staff, dict):
        totals = Row(raw_staff, source, "staff")
        staff_totals = StaffTotals(
            builder.amount(totals, "local_pay"), builder.amount(totals, "nonlocal_pay")
        )
    else:
        staff = [
            builder.staff_member(r)
            for r in builder.rows(document, "staff")
        ]
    suppliers = []
    for row in builder.rows(document, "suppliers"):
        raw = row.fields.get("response")
        response = None
        if isinstance(raw, Row):
            response = builder.response(raw)
        elif isinstance(raw, dict):
            response = builder.response(Row(raw, source, f"{row.row}.response"))
        elif raw is not None:
            builder.problem(row, "response", "response should be an object or null")
        suppliers.append(builder.supplier(row, response))
    other_costs = [
        builder.other_cost(r)
        for r in builder.rows(document, "other_costs")
    ]
    proxies = {}
    raw_proxies = document.get("proxies") or {}
    if isinstance(raw_proxies, dict):
        proxy_row = Row(raw_proxies, source, "proxies")
        proxies = {key: builder.share(proxy_row, key) for key in raw_proxies}
    else:
        builder.problem(top, "proxies", "proxies should be an object")
    project = Project(
        name=name,
        area=area,
        staff=staff,
        staff_totals=staff_totals,
        suppliers=suppliers,
        other_costs=other_costs,
        proxies=proxies,
        period=document.get("period"),
        source=source,
    )
    if builder.problems:
        # Add what validation finds too, so every problem is fixed in one go; skip the checks of
        # the whole project (e.g. "empty"), which placeholders for unreadable values would upset.
        reported = {(p.row, p.column) for p in builder.problems}
        builder.problems += [
            p
            for p in project_problems(project)
            if (p.row, p.column) not in reported and (p.row, p.column) != (None, None)
        ]
    builder.finish()
    return project


def project_to_dict(project: Project) -> dict[str, Any]:
    """The project file's JSON shape, amounts as strings so nothing is lost to float."""

    def flag(value: bool | None) -> dict[str, bool]:
        return {} if value is None else {"local": value}

    def postcode(value: str | None) -> dict[str, str]:
        return {} if value is None else {"postcode": value}

    document: dict[str, Any] = {"name": project.name}
    if project.period:
        document["period"] = project.period
    document["area"] = project.area
    if project.staff_totals is not None:
        document["staff"] = {
            "local_pay": str(project.staff_totals.local_pay),
            "nonlocal_pay": str(project.staff_totals.nonlocal_pay),
        }
    else:
        document["staff"] = [
            {"label": m.label, **postcode(m.postcode), "pay": str(m.pay), **flag(m.local)}
            for m in project.staff
        ]
    document["suppliers"] = [
        {
            "name": s.name,
            **postcode(s.postcode),
            "spend": str(s.spend),
            **({"contact": s.contact} if s.contact else {}),
            **({"email": s.email} if s.email else {}),
            **flag(s.local),
            "response": None
            if s.response is None
            else {
                "local_staff_share": str(s.response.local_staff_share),
                "local_supplier_share": str(s.response.local_supplier_share),
                "source": s.response.source,
            },
        }
        for s in project.suppliers
    ]
    document["other_costs"] = [
        {"label": c.label, "spend": str(c.spend), "local": c.local} for c in project.other_costs
    ]
    document["proxies"] = {k: str(v) for k, v in project.proxies.items()}
    return document


def write_json(project: Project, path: Path) -> None:
    path.write_text(
        json.dumps(project_to_dict(project), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


# --- XLSX workbook -------------------------------------------------------------------------


def read_workbook(path: Path) -> Project:
    """Read the LM3 workbook: sheets Project, Staff, Suppliers, Other costs, Responses."""
    source = path.name
    builder = _Builder(source)
    sheets = workbook_sheets(path, SHEETS, REQUIRED_COLUMNS, main_sheet="Project",
                             template="keepitlocal lm3 template", problems=builder.problems)
    document = _document_from_sheets(sheets, builder, source)
    builder.finish()
    return project_from_dict(document, source=source)


def _document_from_sheets(
    sheets: dict[str, list[Row]], builder: _Builder, source: str
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for row in sheets["Project"]:
        key = header_key(row.fields.get("field"))
        if key:
            fields[key] = row.fields.get("value")
    document: dict[str, Any] = {"name": fields.get("name"), "period": fields.get("period")}
    if fields.get("area_lad"):
        document["area"] = {
            "lad": [c.strip() for c in str(fields["area_lad"]).split(",") if c.strip()]
        }
    elif fields.get("area_radius_km") is not None:
        document["area"] = {
            "radius_km": fields["area_radius_km"],
            "centre": fields.get("area_centre"),
        }
    if fields.get("local_pay") is not None or fields.get("nonlocal_pay") is not None:
        document["staff"] = {
            "local_pay": fields.get("local_pay"),
            "nonlocal_pay": fields.get("nonlocal_pay"),
        }
        if sheets["Staff"]:
            builder.problems.append(
                Problem(
                    "give payroll either as totals on the Project sheet "
                    "or per person on the Staff sheet, not both",
                    file=sheets["Staff"][0].file,
                )
            )
    else:
        document["staff"] = sheets["Staff"]
    document["proxies"] = {k: v for k, v in fields.items() if k in PARAMETERS and v is not None}
    responses = {supplier_key(str(r.fields.get("supplier") or "")): r for r in sheets["Responses"]}
    suppliers = []
    for row in sheets["Suppliers"]:
        response = responses.pop(supplier_key(str(row.fields.get("name") or "")), None)
        suppliers.append(Row({**row.fields, "response": response}, row.file, row.row))
    for response in responses.values():
        builder.problem(
            response,
            "supplier",
            f"a response from {response.fields.get('supplier')!r} matches no supplier",
            "use the supplier's name exactly as on the Suppliers sheet",
        )
    document["suppliers"] = suppliers
    document["other_costs"] = sheets["Other costs"]
    return document


README_LINES = [
    "LM3 workbook: fill in one sheet per part of the project, then run",
    "  keepitlocal lm3 calc THIS_FILE.xlsx",
    "",
    "Project: one field per row. name; period; area_lad (LAD codes separated by commas) or",
    "  area_radius_km with area_centre (a postcode); local_pay and nonlocal_pay if you give",
    "  payroll as totals; optional proxy overrides: " + ", ".join(PARAMETERS) + ".",
    "Staff: one row per person (pay excluding employer tax and NI); postcode, or local yes/no.",
    "Suppliers: one row per supplier; spend over the period; postcode, or local yes/no.",
    "Other costs: utilities, finance charges, business rates...; local yes/no.",
    "Responses: survey answers: shares of the supplier's costs (0 to 1, or 40%) spent on",
    "  staff living in the area and on suppliers based in the area.",
    "Amounts may carry £ and commas. Leave a row out rather than entering zero.",
]


def write_workbook(path: str | Path | IO[bytes], project: Project | None = None) -> None:
    """Write the LM3 workbook: empty (a template) or holding `project`."""
    workbook = sheets_workbook(README_LINES, SHEETS, lambda name: _sheet_values(name, project))
    save_workbook(workbook, path)


def _sheet_values(sheet: str, project: Project | None) -> Iterable[list[Any]]:
    if project is None:
        if sheet == "Project":
            yield from (
                [key, None]
                for key in (
                    "name",
                    "period",
                    "area_lad",
                    "area_radius_km",
                    "area_centre",
                    "local_pay",
                    "nonlocal_pay",
                )
            )
        return
    if sheet == "Project":
        yield ["name", project.name]
        yield ["period", project.period]
        area = project.area
        if "lad" in area:
            yield ["area_lad", ", ".join(area["lad"])]
        else:
            yield ["area_radius_km", area.get("radius_km")]
            yield ["area_centre", area.get("centre")]
        if project.staff_totals is not None:
            yield ["local_pay", project.staff_totals.local_pay]
            yield ["nonlocal_pay", project.staff_totals.nonlocal_pay]
        yield from ([k, v] for k, v in project.proxies.items())
    elif sheet == "Staff" and project.staff_totals is None:
        for m in project.staff:
            yield [m.label, m.postcode, m.pay, _yes_no(m.local)]
    elif sheet == "Suppliers":
        for s in project.suppliers:
            yield [s.name, s.contact, s.email, s.postcode, s.spend, _yes_no(s.local)]
    elif sheet == "Other costs":
        for c in project.other_costs:
            yield [c.label, c.spend, _yes_no(c.local)]
    elif sheet == "Responses":
        for s in project.suppliers:
            if s.response is not None:
                yield [
                    s.name,
                    s.response.local_staff_share,
                    s.response.local_supplier_share,
                    s.response.source,
                ]


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")
