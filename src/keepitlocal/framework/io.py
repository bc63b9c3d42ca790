"""Reading an impact plan from its JSON file or XLSX workbook; the only I/O module here.

Both formats become the same fields, and one builder turns them into a Plan, collecting every
problem with the file, row and column it came from (the standard of `lm3 calc`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from keepitlocal.errors import InputError
from keepitlocal.framework.model import (
    PERIOD_HINT,
    Area,
    Measurement,
    Period,
    Plan,
    PlanIndicator,
)
from keepitlocal.framework.reference import Framework, load_framework
from keepitlocal.framework.validation import plan_problems
from keepitlocal.money import parse_amount
from keepitlocal.records import RowReader, read_document
from keepitlocal.safeio import Row, header_key, save_workbook, sheets_workbook, workbook_sheets

PLAN_FIELDS = (
    "organisation",
    "name",
    "change_sought",
    "area_name",
    "area_lad",
    "area_radius_km",
    "area_centre",
    "characteristics",
    "existing_information",
    "step_7",
    "step_8",
    "step_9",
    "step_10",
)
# What a plan says of each indicator, after its key and bank id: the workbook's columns and the
# web's indicator form.
INDICATOR_FIELDS = ("label", "characteristic", "unit", "measure", "baseline", "baseline_period",
                    "target", "target_period", "collection_method", "frequency")
SHEETS = {
    "Plan": ["field", "value"],
    "Activities": ["activity"],
    "Indicators": ["key", "bank", *INDICATOR_FIELDS],
    "Measurements": [
        "indicator",
        "period",
        "value",
        "statement",
        "source",
        "evidence",
        "recorded_by",
        "quality",
        "checked_by",
        "triangulation",
        "revision",
        "reason",
    ],
}
REQUIRED_COLUMNS = {
    "Plan": ["field", "value"],
    "Activities": ["activity"],
    "Indicators": ["key"],
    "Measurements": ["indicator", "period"],
}
_LAD = re.compile(r"^[EWSN]\d{8}$")


class _Builder(RowReader):
    """A plan's values: texts, numbers, periods, indicators, measurements, its area."""

    def text(self, row: Row, key: str, required: bool = False) -> str:
        value = row.fields.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(row, key, f"{key} is missing", f"give the {key.replace('_', ' ')}")
            return ""
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.problem(row, key, f"{key} should be text")
            return ""
        return value.strip()

    def number(self, row: Row, key: str) -> Decimal | None:
        value = row.fields.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str) and value.strip().endswith("%"):
            value = value.strip()[:-1]
        try:
            return parse_amount(value)
        except ValueError as error:
            self.problem(row, key, str(error), "give a number, e.g. 42 or 1250.50")
            return None

    def integer(self, row: Row, key: str, default: int) -> int:
        number = self.number(row, key)
        if number is None:
            return default
        if number != number.to_integral_value():
            self.problem(row, key, f"{number} is not a whole number")
            return default
        return int(number)

    def period(self, row: Row, key: str, required: bool = False) -> Period | None:
        text = self.text(row, key, required)
        if not text:
            return None
        try:
            return Period.parse(text)
        except ValueError as error:
            self.problem(row, key, str(error), PERIOD_HINT)
            return None

    def indicator(self, row: Row, framework: Framework) -> PlanIndicator:
        bank_id = self.text(row, "bank").upper() or None
        bank = framework.indicator(bank_id) if bank_id else None
        if bank_id and bank is None:
            self.problem(
                row,
                "bank",
                f"{bank_id!r} is not in the indicator bank",
                "see `keepitlocal framework indicators` for the ids",
            )
        key = self.text(row, "key") or (bank.id if bank else "")
        if not key:
            self.problem(row, "key", "key is missing", "give each indicator a short key")
        label = self.text(row, "label") or (bank.text if bank else "")
        if not label:
            self.problem(row, "label", "label is missing", "say what the indicator measures")
        characteristic = self.integer(row, "characteristic", bank.characteristic if bank else 0)
        unit = self.text(row, "unit") or (bank.unit if bank else "")
        if not unit:
            self.problem(row, "unit", "unit is missing", "give a unit, e.g. count, £ or %")
        return PlanIndicator(
            key=key,
            label=label,
            characteristic=characteristic,
            unit=unit,
            measure=self.text(row, "measure") or (bank.measure if bank else ""),
            bank_id=bank.id if bank else None,
            baseline=self.number(row, "baseline"),
            baseline_period=self.period(row, "baseline_period"),
            target=self.number(row, "target"),
            target_period=self.period(row, "target_period"),
            collection_method=self.text(row, "collection_method").casefold(),
            frequency=self.text(row, "frequency").casefold(),
            fed_by=self.text(row, "fed_by") or (bank.fed_by if bank else ""),
            row=row.row,
            file=row.file,
        )

    def measurement(self, row: Row) -> Measurement | None:
        indicator = self.text(row, "indicator", required=True)
        period = self.period(row, "period", required=True)
        if period is None:
            return None
        evidence = row.fields.get("evidence")
        if isinstance(evidence, str):
            evidence = [e for e in re.split(r"[\n;]", evidence)]
        if evidence is None:
            evidence = []
        if not isinstance(evidence, list):
            self.problem(row, "evidence", "evidence should be a list of file names or links")
            evidence = []
        return Measurement(
            indicator=indicator,
            period=period,
            value=self.number(row, "value"),
            statement=self.text(row, "statement"),
            source=self.text(row, "source"),
            evidence=tuple(str(e).strip() for e in evidence if str(e).strip()),
            recorded_by=self.text(row, "recorded_by"),
            quality=(self.text(row, "quality") or "recorded").casefold(),
            checked_by=self.text(row, "checked_by"),
            triangulation=self.text(row, "triangulation"),
            revision=self.integer(row, "revision", 1),
            reason=self.text(row, "reason"),
            row=row.row,
            file=row.file,
        )

    def area(self, value: Any, top: Row) -> Area:
        if value is None:
            return Area()
        if not isinstance(value, dict):
            self.problem(top, "area", "area should be an object", '{"lad": ["E08000033"]}')
            return Area()
        row = Row(value, top.file, "area")
        raw = value.get("lad") or []
        lad = [raw] if isinstance(raw, str) else raw
        codes = []
        for code in lad if isinstance(lad, list) else []:
            text = str(code).strip().upper()
            if not _LAD.match(text):
                self.problem(
                    row,
                    "lad",
                    f"{code!r} is not a local authority district code",
                    "use a nine-character ONS code, e.g. E08000033",
                )
            codes.append(text)
        return Area(
            lad=tuple(codes),
            radius_km=self.number(row, "radius_km"),
            centre=self.text(row, "centre") or None,
            name=self.text(row, "name"),
        )


def read_plan(path: Path | str, framework: Framework | None = None) -> Plan:
    """Read an impact plan from a .json plan file or an .xlsx workbook."""
    return read_document(
        path,
        lambda workbook: read_workbook(workbook, framework),
        lambda document, name: plan_from_dict(document, name, framework),
    )


def plan_from_dict(document: Any, source: str = "plan", framework: Framework | None = None) -> Plan:
    """Build a Plan from the plan file's JSON shape (see docs/framework.md)."""
    framework = framework or load_framework()
    if not isinstance(document, dict):
        raise InputError.one("should hold one JSON object (the plan)", file=source)
    builder = _Builder(source)
    top = Row(document, source, None)
    activities = document.get("activities") or []
    if not isinstance(activities, list):
        builder.problem(top, "activities", "activities should be a list of texts")
        activities = []
    characteristics = document.get("characteristics") or []
    if isinstance(characteristics, str):
        characteristics = [c for c in re.split(r"[,\s]+", characteristics) if c]
    numbers = []
    for value in characteristics if isinstance(characteristics, list) else [characteristics]:
        try:
            numbers.append(int(str(value).strip().removeprefix("C").removeprefix("c")))
        except ValueError:
            builder.problem(
                top,
                "characteristics",
                f"{value!r} is not a characteristic number",
                "use numbers from 1 to 7",
            )
    steps = document.get("steps") or {}
    notes: dict[int, str] = {}
    if isinstance(steps, dict):
        for key, note in steps.items():
            if str(key) not in ("7", "8", "9", "10"):
                builder.problem(
                    top,
                    "steps",
                    f"step {key} has no note to record",
                    "give notes for steps 7 to 10; the others follow from the plan",
                )
            elif note:
                notes[int(key)] = str(note).strip()
    else:
        builder.problem(top, "steps", "steps should be an object of step number to note")
    indicators = tuple(
        builder.indicator(r, framework) for r in builder.rows(document, "indicators")
    )
    measurements = tuple(
        m for r in builder.rows(document, "measurements") if (m := builder.measurement(r))
    )
    plan = Plan(
        organisation=builder.text(top, "organisation", required=True),
        name=builder.text(top, "name"),
        change_sought=builder.text(top, "change_sought"),
        activities=tuple(str(a).strip() for a in activities if str(a).strip()),
        area=builder.area(document.get("area"), top),
        characteristics=tuple(dict.fromkeys(numbers)),
        indicators=indicators,
        measurements=measurements,
        existing_information=builder.text(top, "existing_information"),
        step_notes=notes,
        source=source,
    )
    reported = {(p.row, p.column) for p in builder.problems}
    problems = builder.problems + [
        p for p in plan_problems(plan, framework) if (p.row, p.column) not in reported
    ]
    if problems:
        raise InputError(problems)
    return plan


# --- XLSX workbook -------------------------------------------------------------------------


def read_workbook(path: Path, framework: Framework | None = None) -> Plan:
    """Read the plan workbook: sheets Plan, Activities, Indicators, Measurements."""
    builder = _Builder(path.name)
    sheets = workbook_sheets(path, SHEETS, REQUIRED_COLUMNS, main_sheet="Plan",
                             template="keepitlocal framework template", problems=builder.problems)
    builder.finish()
    fields: dict[str, Any] = {}
    for row in sheets["Plan"]:
        key = header_key(row.fields.get("field"))
        if key and key not in PLAN_FIELDS:
            builder.problem(
                row,
                "field",
                f"unknown field {row.fields.get('field')!r}",
                "the fields are: " + ", ".join(PLAN_FIELDS),
            )
        elif key:
            fields[key] = row.fields.get("value")
    builder.finish()
    area: dict[str, Any] = {"name": fields.get("area_name")}
    if fields.get("area_lad"):
        area["lad"] = [c.strip() for c in str(fields["area_lad"]).split(",") if c.strip()]
    if fields.get("area_radius_km") is not None:
        area.update(radius_km=fields["area_radius_km"], centre=fields.get("area_centre"))
    document = {
        **{
            k: fields.get(k)
            for k in ("organisation", "name", "change_sought", "existing_information")
        },
        "characteristics": str(fields.get("characteristics") or ""),
        "area": area,
        "activities": [str(r.fields.get("activity") or "") for r in sheets["Activities"]],
        "indicators": sheets["Indicators"],
        "measurements": sheets["Measurements"],
        "steps": {
            str(n): fields.get(f"step_{n}") for n in (7, 8, 9, 10) if fields.get(f"step_{n}")
        },
    }
    return plan_from_dict(document, path.name, framework)


README_LINES = [
    "Impact plan workbook: the economic theory of change and measurements, then run",
    "  keepitlocal framework report THIS_FILE.xlsx",
    "",
    "Plan: one field per row: organisation; name; change_sought (the change you are trying to",
    "  make); area_name, area_lad (LAD codes separated by commas) or area_radius_km with",
    "  area_centre (a postcode); characteristics (numbers 1-7 separated by commas);",
    "  existing_information (step 2); step_7 to step_10 (notes on analysis, reporting, looking",
    "  back and planning ahead).",
    "Activities: one activity per row (the interventions that help make the change).",
    "Indicators: bank (an id from `keepitlocal framework indicators`, e.g. C1-K1) or your own with",
    "  label, characteristic and unit (£, count, %, hours, area, rating, text, multiplier,",
    "  quantity); key (short name used on the Measurements sheet); baseline and target with",
    "  their periods; collection_method; frequency (monthly, quarterly, annual, one-off).",
    "Measurements: one value per indicator and period (2024, 2024-25, 2024 Q3 or 2024-07);",
    "  evidence (file names or links, one per line); recorded_by; quality (recorded, checked,",
    "  triangulated) with checked_by (the challenger) and triangulation (the other source).",
    "  To correct a value add a row with the next revision and a reason; nothing is overwritten.",
]


def write_template(path: Path) -> None:
    """Write an empty plan workbook with the field names and a read-me sheet."""

    def rows(sheet: str) -> list[list[Any]]:
        return [[field, None] for field in PLAN_FIELDS] if sheet == "Plan" else []

    workbook = sheets_workbook(README_LINES, SHEETS, rows)
    save_workbook(workbook, path)
