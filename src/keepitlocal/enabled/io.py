"""Files in and out: the JSON input, the XLSX workbook (read and template), and the demo.

The only module that touches files, so the engine can be driven by a web form just as well.
Every problem names the file, the sheet row or JSON key, and what to change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

from keepitlocal.enabled.model import Project, Where
from keepitlocal.enabled.parse import WHERE_KEY, build_project, merge_problems
from keepitlocal.enabled.reference import load_reference
from keepitlocal.enabled.validate import validate
from keepitlocal.errors import InputError, Problem
from keepitlocal.safeio import loads_json, open_workbook, save_workbook, sheets_workbook

DEMO_NAME = "demo/anchors.json"

# (field, heading written in the template, other headings accepted)
TENANT_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("anchor", "Anchor", ("anchor name", "community anchor")),
    ("name", "Tenant", ("tenant name", "name", "organisation")),
    ("sic", "SIC 2007 code or section", ("sic", "sic code", "sic 2007", "sic 2007 code")),
    ("use_class", "HCA use class", ("use class", "use_class")),
    ("activity", "Activity code", ("activity",)),
    ("floorspace_m2", "Floorspace (m²)", ("floorspace", "floorspace m2", "floor area")),
    ("area_basis", "Area basis (NIA/GIA/GEA)", ("area basis", "basis")),
    ("fte", "FTE employees", ("fte", "employees fte")),
    ("headcount", "Headcount", ("staff", "employees headcount")),
    ("weekly_hours", "Average weekly hours", ("weekly hours", "hours per week")),
    ("turnover", "Turnover (£ a year)", ("turnover",)),
    ("gva", "GVA (£ a year)", ("gva",)),
    ("notes", "Notes", ("note", "comments")),
)
ANCHOR_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("name", "Anchor", ("anchor name", "name")),
    ("local_authority", "Local authority", ("council", "local_authority")),
    ("notes", "Notes", ("note",)),
)
OVERRIDE_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("table", "Table", ()),
    ("code", "Code", ()),
    ("value", "Value", ()),
    ("note", "Note", ("notes", "why", "source")),
)
TEMPLATE_SKIPS = ("activity",)  # accepted when reading, not offered in the template


def _squash(text: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower().replace("²", "2"))


def read_project(path: str | Path, label: str | None = None) -> Project:
    """A checked Project from a .json or .xlsx file; InputError lists every problem found.

    `label` names the file in problems when `path` is not what the user knows it as (an upload).
    """
    path = Path(path)
    file = label or str(path)
    problems: list[Problem] = []
    data: object = None
    if not path.is_file():
        raise InputError.one("file not found", file=file, hint="check the path")
    suffix = (path.suffix or Path(file).suffix).lower()
    if suffix == ".json":
        data = _read_json(path.read_bytes(), file, problems)
    elif suffix in (".xlsx", ".xlsm"):
        data = _read_workbook(path, file, problems)
    else:
        raise InputError.one(
            f'unsupported file type "{path.suffix or "(none)"}"',
            file=file,
            hint="give a .json or .xlsx file; `keepitlocal enabled template FILE.xlsx` writes one",
        )
    if data is None:  # the file could not be read at all
        raise InputError(problems)
    return _checked(data, file, problems)


def read_demo() -> Project:
    """The shipped demo: three anchors, realistic tenants with complete and partial data."""
    raw = files("keepitlocal.enabled").joinpath(DEMO_NAME).read_bytes()
    problems: list[Problem] = []
    data = _read_json(raw, DEMO_NAME, problems)
    if data is None:
        raise InputError(problems)
    return _checked(data, DEMO_NAME, problems)


def _checked(data: object, file: str, reading: list[Problem]) -> Project:
    """Shape and meaning checked together, so one run reports every problem in the file."""
    project, problems = build_project(data, file)
    problems = merge_problems(reading + problems, validate(project, load_reference()))
    if problems:
        raise InputError(problems)
    return project


def _read_json(raw: bytes, file: str, problems: list[Problem]) -> object:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(
            Problem(
                f"not UTF-8 text (byte {error.start})",
                file=file,
                hint="save it as UTF-8 JSON, or use the XLSX workbook",
            )
        )
        return None

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for key, value in pairs:
            if key in record:
                named = next((v for k, v in pairs if k == "name"), None)
                where = f' in the record named "{named}"' if isinstance(named, str) else ""
                problems.append(
                    Problem(
                        f'key "{key}" appears twice{where}',
                        file=file,
                        column=key,
                        hint="keep one of them",
                    )
                )
            record[key] = value
        return record

    try:
        return loads_json(text, file, object_pairs_hook=no_duplicates, parse_float=Decimal)
    except InputError as error:
        problems.extend(error.problems)
        return None
    except json.JSONDecodeError as error:
        problems.append(
            Problem(
                f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                file=file,
                hint="fix the JSON syntax (a missing comma or quote is usual), "
                "or use the XLSX workbook",
            )
        )
        return None


def _header_map(
    header: Iterable[object],
    columns: tuple[tuple[str, str, tuple[str, ...]], ...],
    sheet: str,
    file: str,
    problems: list[Problem],
) -> dict[int, tuple[str, str]]:
    """Column index → (field, heading as written), reporting headings it does not know."""
    known = {}
    for field, heading, aliases in columns:
        for name in (field, heading, *aliases):
            known[_squash(name)] = field
    found: dict[int, tuple[str, str]] = {}
    used: dict[str, str] = {}
    for index, cell in enumerate(header):
        if cell is None or not str(cell).strip():
            continue
        heading = str(cell).strip()
        matched = known.get(_squash(heading))
        if matched is None:
            problems.append(
                Problem(
                    f'{sheet} sheet: unknown column "{heading}"',
                    file=file,
                    row=1,
                    column=f"{sheet}: {heading}",
                    hint="rename it to one of: "
                    + ", ".join(h for f, h, _ in columns if f not in TEMPLATE_SKIPS)
                    + ' (put free text under "Notes")',
                )
            )
        elif matched in used:
            problems.append(
                Problem(
                    f'{sheet} sheet: columns "{used[matched]}" and "{heading}" hold the same field',
                    file=file,
                    row=1,
                    column=f"{sheet}: {heading}",
                    hint="delete one of them",
                )
            )
        else:
            used[matched] = heading
            found[index] = (matched, heading)
    return found


def _records(
    sheet: Any,
    name: str,
    columns: tuple[tuple[str, str, tuple[str, ...]], ...],
    required: tuple[str, ...],
    file: str,
    problems: list[Problem],
) -> list[dict[str, Any]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        problems.append(Problem(f"{name} sheet is empty", file=file, hint="add its heading row"))
        return []
    found = _header_map(header, columns, name, file, problems)
    fields = {field for field, _ in found.values()}
    for field in required:
        if field not in fields:
            heading = next(h for f, h, _ in columns if f == field)
            problems.append(
                Problem(
                    f'{name} sheet has no "{heading}" column',
                    file=file,
                    row=1,
                    column=f"{name}: {heading}",
                    hint="add it (see `keepitlocal enabled template`)",
                )
            )
    labels = {field: f"{name}: {heading}" for field, heading, _ in columns}
    labels.update({field: f"{name}: {heading}" for field, heading in found.values()})
    records = []
    for number, row in enumerate(rows, start=2):
        if all(_blank(cell) for cell in row):
            continue
        record: dict[str, Any] = {WHERE_KEY: Where(number, labels, name)}
        for index, cell in enumerate(row):
            if index in found:
                record[found[index][0]] = cell
            elif _blank(cell):
                continue
            elif index >= len(header) or _blank(header[index]):
                problems.append(
                    Problem(
                        f"{name} sheet: a value ({cell!r}) is in a column with no heading",
                        file=file,
                        row=number,
                        column=f"{name}: column {index + 1}",
                        hint="give the column a heading or move the value",
                    )
                )
        records.append(record)
    return records


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _sheet(workbook: Any, name: str) -> Any:
    for title in workbook.sheetnames:
        if _squash(title) == _squash(name):
            return workbook[title]
    return None


def _read_workbook(path: Path, file: str, problems: list[Problem]) -> object:
    try:
        workbook = open_workbook(path, file)
    except InputError:
        raise
    except Exception as error:  # a corrupt or foreign file can fail in many ways inside openpyxl
        problems.append(
            Problem(
                f"not an Excel workbook that can be read ({type(error).__name__}: {error})",
                file=file,
                hint="save it from Excel or LibreOffice as .xlsx, or use the JSON format",
            )
        )
        return None
    try:
        tenants_sheet = _sheet(workbook, "Tenants")
        if tenants_sheet is None:
            problems.append(
                Problem(
                    'the workbook has no "Tenants" sheet (sheets: '
                    + ", ".join(workbook.sheetnames)
                    + ")",
                    file=file,
                    hint="start from `keepitlocal enabled template FILE.xlsx`",
                )
            )
            return None
        tenants = _records(
            tenants_sheet, "Tenants", TENANT_COLUMNS, ("anchor", "name"), file, problems
        )
        anchors_sheet = _sheet(workbook, "Anchors")
        anchor_rows = (
            _records(anchors_sheet, "Anchors", ANCHOR_COLUMNS, ("name",), file, problems)
            if anchors_sheet is not None
            else []
        )
        overrides_sheet = _sheet(workbook, "Overrides")
        overrides = (
            _records(
                overrides_sheet,
                "Overrides",
                OVERRIDE_COLUMNS,
                ("table", "code", "value"),
                file,
                problems,
            )
            if overrides_sheet is not None
            else []
        )
    finally:
        workbook.close()
    return {
        "name": Path(file).stem,
        "anchors": _group(tenants, anchor_rows, file, problems),
        "overrides": overrides,
    }


def _group(
    tenants: list[dict[str, Any]],
    anchor_rows: list[dict[str, Any]],
    file: str,
    problems: list[Problem],
) -> list[dict[str, Any]]:
    """Tenant rows gathered under their anchors, in the order the anchors first appear."""
    anchors: dict[str, dict[str, Any]] = {}
    declared = bool(anchor_rows)
    for row in anchor_rows:
        name = str(row.get("name") or "").strip()
        key = " ".join(name.split()).casefold()
        where: Where = row[WHERE_KEY]
        record: dict[str, Any] = {
            "name": name,
            "local_authority": row.get("local_authority"),
            "notes": row.get("notes"),
            "tenants": [],
            WHERE_KEY: Where(
                where.row, {**where.columns, "tenants": where.column("name")}, "Anchors"
            ),
        }
        anchors[key if key not in anchors else f"{key}#{where.row}"] = record
    for row in tenants:
        where = row[WHERE_KEY]
        name = " ".join(str(row.get("anchor") or "").split())
        if not name:
            problems.append(
                Problem(
                    "the tenant row has no anchor",
                    file=file,
                    row=where.row,
                    column=where.column("anchor"),
                    hint="write the name of the anchor this tenant belongs to",
                )
            )
            continue
        key = name.casefold()
        if key not in anchors:
            if declared:
                problems.append(
                    Problem(
                        f'anchor "{name}" is not on the Anchors sheet',
                        file=file,
                        row=where.row,
                        column=where.column("anchor"),
                        hint="add it there or correct the spelling",
                    )
                )
                continue
            anchors[key] = {
                "name": name,
                "tenants": [],
                WHERE_KEY: Where(where.row, {"name": where.column("anchor")}, "Tenants"),
            }
        tenant = {k: v for k, v in row.items() if k != "anchor"}
        anchors[key]["tenants"].append(tenant)
    return list(anchors.values())


README_LINES = (
    "Enabled Contribution workbook (keepitlocal)",
    "",
    "Fill one row per tenant on the Tenants sheet, and one row per anchor on the Anchors sheet.",
    "Leave a cell blank when the tenant does not know; never write 0 for 'unknown'.",
    "Activity: a SIC 2007 code or section (e.g. 56.10 or I) and/or an HCA use class (e.g. B1a).",
    "  The use class is used to estimate jobs from floorspace; the SIC code to estimate GVA.",
    "  If only one is known, the most similar code of the other kind is assumed (and reported).",
    "Floorspace in m², with its basis: NIA (net internal, usual for lettings), GIA or GEA.",
    "Employees: FTE if known; otherwise headcount and average weekly hours; or headcount alone.",
    "Turnover and GVA in pounds a year, if the tenant knows them.",
    "Overrides: your own value for a reference figure, e.g. table 'density', code 'D1', "
    "value 25 for community halls.",
    "The Codes sheet lists use classes and SIC sections with the reference values and status.",
    "Then run:  keepitlocal enabled calc THIS_FILE.xlsx",
    "Method and sources: docs/enabled-contribution.md",
)


CODES_HEADINGS = ["Use class", "Label", "m² per FTE", "Area basis", "Status",
                  "SIC assumed for GVA"]
SIC_HEADINGS = ["SIC section", "Label", "Divisions", "GVA per FTE (£)", "Status", "Year"]
COLUMN_WIDTHS = {
    "Anchors": [34, 22, 40],
    "Tenants": [30, 34, 14, 14, 14, 14, 12, 11, 12, 16, 16, 40],
    "Overrides": [22, 12, 12, 60],
    "Codes": [20, 70, 12, 12, 14, 18],
}


def _template_rows(name: str, project: Project | None,
                   tenant_columns: list[tuple[str, str, Any]]) -> list[list[Any]]:
    """The rows below a template sheet's headings: the reference codes, and `project` if any."""
    if name == "Codes":
        ref = load_reference()
        rows: list[list[Any]] = []
        for use_class in ref.use_classes.values():
            density = ref.densities.get(use_class.code)
            rows.append([
                use_class.code, use_class.label,
                float(density.value) if density else "none: enter an override",
                density.basis if density else "", density.status if density else "",
                use_class.assumed_sic or "",
            ])
        rows += [[], SIC_HEADINGS]
        for section in ref.sections.values():
            gva = ref.gva_per_fte.get(section.letter)
            rows.append([
                section.letter, section.label,
                f"{section.first_division:02d}–{section.last_division:02d}",
                float(gva.value) if gva else "none: enter an override",
                gva.status if gva else "", gva.year if gva else "",
            ])
        return rows
    if project is None:
        return []
    if name == "Anchors":
        return [[a.name, a.local_authority or "", a.notes or None] for a in project.anchors]
    if name == "Overrides":
        return [[o.table, o.code, o.value, o.note or None] for o in project.overrides]
    rows = []
    for anchor in project.anchors:
        for t in anchor.tenants:
            values = {
                "anchor": anchor.name, "name": t.name, "sic": t.sic, "use_class": t.use_class,
                "floorspace_m2": t.floorspace_m2, "area_basis": t.area_basis, "fte": t.fte,
                "headcount": t.headcount, "weekly_hours": t.weekly_hours,
                "turnover": t.turnover, "gva": t.gva, "notes": t.notes or None,
            }
            rows.append([values[field] for field, _, _ in tenant_columns])
    return rows


def write_template(path: str | Path, project: Project | None = None) -> None:
    """An XLSX workbook to fill in, optionally holding `project` (e.g. the demo) as an example."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    tenant_columns = [c for c in TENANT_COLUMNS if c[0] not in TEMPLATE_SKIPS]
    workbook = sheets_workbook(
        README_LINES,
        {"Anchors": [h for _, h, _ in ANCHOR_COLUMNS], "Tenants": [h for _, h, _ in tenant_columns],
         "Overrides": [h for _, h, _ in OVERRIDE_COLUMNS], "Codes": CODES_HEADINGS},
        lambda name: _template_rows(name, project, tenant_columns),
    )
    readme = workbook["Read me"]
    readme.column_dimensions["A"].width = 110
    readme["A1"].font = Font(bold=True, size=14)
    for name, widths in COLUMN_WIDTHS.items():
        for index, width in enumerate(widths, start=1):
            workbook[name].column_dimensions[get_column_letter(index)].width = width
        workbook[name].freeze_panes = "A2"
    tenants, overrides, codes = workbook["Tenants"], workbook["Overrides"], workbook["Codes"]
    last_use_class = 1 + len(load_reference().use_classes)
    codes.cell(row=last_use_class + 2, column=1).font = Font(bold=True)
    column = {field: get_column_letter(i) for i, (field, _, _) in enumerate(tenant_columns, 1)}
    rows = 1000
    basis = DataValidation(type="list", formula1='"NIA,GIA,GEA"', allow_blank=True)
    use = DataValidation(type="list", formula1=f"=Codes!$A$2:$A${last_use_class}", allow_blank=True)
    use.errorStyle = "warning"  # aliases such as E(g)(i) are accepted too
    table = DataValidation(
        type="list", formula1='"density,fte_factor,gva_per_fte,gva_turnover_ratio,full_time_hours"'
    )
    for validation, target, letter in (
        (basis, tenants, column["area_basis"]),
        (use, tenants, column["use_class"]),
        (table, overrides, "A"),
    ):
        target.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{rows}")
    for row in range(2, rows + 1):  # keep SIC codes as text so 01.11 keeps its leading zero
        tenants[f"{column['sic']}{row}"].number_format = "@"
        overrides[f"B{row}"].number_format = "@"

    workbook.active = workbook.sheetnames.index("Tenants")
    save_workbook(workbook, Path(path))
