"""From plain data (a JSON document, or rows read from a workbook) to a typed Project.

Checks shape only: unknown keys, text where a number should be, a list that is not a list. A field
that cannot be read is reported and left empty, so the other checks still run and every problem
is reported together.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from difflib import get_close_matches
from pathlib import PurePath
from typing import Any

from keepitlocal.enabled.activity import code_kind
from keepitlocal.enabled.model import OVERRIDE_TABLES, Anchor, Override, Project, Tenant, Where
from keepitlocal.enabled.validate import validate
from keepitlocal.errors import InputError, Problem
from keepitlocal.money import parse_amount

TOP_KEYS = ("name", "anchors", "overrides", "notes")
ANCHOR_KEYS = ("name", "local_authority", "tenants", "notes")
TENANT_KEYS = (
    "name",
    "activity",
    "sic",
    "use_class",
    "floorspace_m2",
    "area_basis",
    "fte",
    "headcount",
    "weekly_hours",
    "turnover",
    "gva",
    "notes",
)
NUMBER_KEYS = ("floorspace_m2", "fte", "headcount", "weekly_hours", "turnover", "gva")
WHERE_KEY = "_where"
"""Readers of other formats put a Where under this key so problems name their own rows."""


def _show(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


class _Reader:
    def __init__(self, file: str | None) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, where: Where, column: str, message: str, hint: str | None = None) -> None:
        self.problems.append(
            Problem(message, file=self.file, row=where.row, column=where.column(column), hint=hint)
        )

    def keys(self, data: dict[str, Any], allowed: tuple[str, ...], where: Where, what: str) -> None:
        for key in data:
            if key == WHERE_KEY or key in allowed:
                continue
            close = get_close_matches(str(key), allowed, n=1)
            hint = f'did you mean "{close[0]}"?' if close else "known keys: " + ", ".join(allowed)
            self.add(where, str(key), f'{what}: unknown key "{key}"', hint)

    def text(self, value: object, where: Where, column: str, what: str) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return " ".join(value.split())
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return str(value)
        self.add(where, column, f"{what}: {column} is {_show(value)}, not text", "write it as text")
        return ""

    def code(self, value: object, where: Where, column: str, what: str) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        self.add(
            where,
            column,
            f"{what}: {column} is {_show(value)}, not a code",
            "write the code as text",
        )
        return None

    def number(self, value: object, where: Where, column: str, what: str) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_amount(value)
        except ValueError:
            self.add(
                where,
                column,
                f"{what}: {column} is {_show(value)}, not a number",
                "write a number such as 850, or leave it blank",
            )
            return None

    def tenant(self, data: object, where: Where, anchor_name: str, position: int) -> Tenant | None:
        what = f'tenant {position} (anchor "{anchor_name}")'
        if not isinstance(data, dict):
            self.add(where, "", f"{what} is {_show(data)}, not a record", "write it as {...}")
            return None
        where = data.get(WHERE_KEY, where)
        name = self.text(data.get("name"), where, "name", what)
        if name:
            what = f'tenant "{name}" (anchor "{anchor_name}")'
        self.keys(data, TENANT_KEYS, where, what)
        codes: dict[str, str | None] = {
            "sic": self.code(data.get("sic"), where, "sic", what),
            "use_class": self.code(data.get("use_class"), where, "use_class", what),
        }
        activity = self.code(data.get("activity"), where, "activity", what)
        if activity is not None:
            kind = code_kind(activity)
            if kind is None:
                self.add(
                    where,
                    "activity",
                    f'{what}: unknown activity code "{activity}"',
                    "give a SIC 2007 code or section (e.g. 56.10 or I) or an HCA use class "
                    "(e.g. B1a, A3)",
                )
            elif codes[kind] is not None and codes[kind] != activity:
                self.add(
                    where,
                    "activity",
                    f'{what}: activity "{activity}" and {kind} "{codes[kind]}" disagree',
                    "keep one of them",
                )
            else:
                codes[kind] = activity
                where = Where(
                    where.row, {**where.columns, kind: where.column("activity")}, where.prefix
                )
        numbers = {key: self.number(data.get(key), where, key, what) for key in NUMBER_KEYS}
        basis = self.text(data.get("area_basis"), where, "area_basis", what).upper() or None
        return Tenant(
            name=name,
            sic=codes["sic"],
            use_class=codes["use_class"],
            floorspace_m2=numbers["floorspace_m2"],
            area_basis=basis,
            fte=numbers["fte"],
            headcount=numbers["headcount"],
            weekly_hours=numbers["weekly_hours"],
            turnover=numbers["turnover"],
            gva=numbers["gva"],
            notes=self.text(data.get("notes"), where, "notes", what),
            where=where,
        )

    def anchor(self, data: object, index: int) -> Anchor | None:
        where = Where(prefix=f"anchors[{index}]")
        if not isinstance(data, dict):
            self.add(where, "", f"anchor {index + 1} is {_show(data)}, not a record")
            return None
        where = data.get(WHERE_KEY, where)
        name = self.text(data.get("name"), where, "name", f"anchor {index + 1}")
        what = f'anchor "{name}"' if name else f"anchor {index + 1}"
        self.keys(data, ANCHOR_KEYS, where, what)
        raw = data.get("tenants", [])
        if not isinstance(raw, list):
            self.add(where, "tenants", f"{what}: tenants is {_show(raw)}, not a list")
            raw = []
        tenants = []
        for position, item in enumerate(raw, start=1):
            tenant_where = Where(prefix=f"{where.prefix}.tenants[{position - 1}]")
            tenant = self.tenant(item, tenant_where, name, position)
            if tenant is not None:
                tenants.append(tenant)
        local_authority = self.text(data.get("local_authority"), where, "local_authority", what)
        notes = self.text(data.get("notes"), where, "notes", what)
        return Anchor(name, tuple(tenants), local_authority or None, notes, where)

    def overrides(self, data: object) -> list[Override]:
        if data is None:
            return []
        if isinstance(data, list):  # rows from a workbook: [{"table", "code", "value", "note"}]
            return [
                o
                for o in (self.override_row(row, i) for i, row in enumerate(data))
                if o is not None
            ]
        if not isinstance(data, dict):
            self.add(Where(), "overrides", f"overrides is {_show(data)}, not a record")
            return []
        out = []
        for table, entries in data.items():
            where = Where(prefix="overrides")
            if table not in OVERRIDE_TABLES:
                close = get_close_matches(str(table), OVERRIDE_TABLES, n=1)
                hint = (
                    f'did you mean "{close[0]}"?' if close else "use " + ", ".join(OVERRIDE_TABLES)
                )
                self.add(where, str(table), f'unknown override table "{table}"', hint)
                continue
            if table == "full_time_hours":
                entries = {"": entries}
            elif not isinstance(entries, dict):
                self.add(where, table, f"overrides.{table} is {_show(entries)}, not a record")
                continue
            for code, entry in entries.items():
                path = f"overrides.{table}" + (f".{code}" if code else "")
                entry_where = Where(
                    columns={"table": f"overrides.{table}", "code": path, "value": path}
                )
                value, note = entry, None
                if isinstance(entry, dict):
                    self.keys(entry, ("value", "note"), Where(prefix=path), f"override {code}")
                    value, note = entry.get("value"), entry.get("note")
                number = self.number(value, entry_where, "value", f"override {table} {code}")
                if number is None and value is None:
                    self.add(entry_where, "value", f"override {table} {code} has no value")
                if number is not None:
                    note_text = self.text(note, entry_where, "value", "override note")
                    out.append(Override(table, str(code), number, note_text, entry_where))
        return out

    def override_row(self, row: object, index: int) -> Override | None:
        if not isinstance(row, dict):
            self.add(
                Where(prefix=f"overrides[{index}]"), "", f"override is {_show(row)}, not a record"
            )
            return None
        where: Where = row.get(WHERE_KEY, Where(prefix=f"overrides[{index}]"))
        table = self.text(row.get("table"), where, "table", "override").lower().replace(" ", "_")
        code = self.code(row.get("code"), where, "code", "override") or ""
        what = f"override {table} {code}".strip()
        value = self.number(row.get("value"), where, "value", what)
        if value is None:
            if row.get("value") is None:
                self.add(where, "value", f"{what} has no value", "give the value or delete the row")
            return None
        return Override(table, code, value, self.text(row.get("note"), where, "note", what), where)


def build_project(data: object, file: str | None = None) -> tuple[Project, list[Problem]]:
    """A Project from plain data, and every shape problem found on the way."""
    reader = _Reader(file)
    default_name = PurePath(file).stem if file else "Enabled Contribution"
    if not isinstance(data, dict):
        reader.add(
            Where(),
            "",
            f"the file holds {type(data).__name__}, not a record with anchors",
            'write {"name": ..., "anchors": [...]} (see docs/enabled-contribution.md)',
        )
        return Project((), default_name, source=file), reader.problems
    reader.keys(data, TOP_KEYS, Where(), "project")
    raw = data.get("anchors")
    anchors = []
    if raw is None:
        reader.add(Where(), "anchors", 'there is no "anchors" list', "add the anchors and tenants")
    elif not isinstance(raw, list):
        reader.add(Where(), "anchors", f"anchors is {_show(raw)}, not a list")
    else:
        anchors = [a for a in (reader.anchor(item, i) for i, item in enumerate(raw)) if a]
    name = reader.text(data.get("name"), Where(), "name", "project") or default_name
    overrides = reader.overrides(data.get("overrides"))
    notes = reader.text(data.get("notes"), Where(), "notes", "project")
    project = Project(tuple(anchors), name, tuple(overrides), file, notes)
    return project, reader.problems


def project_from_dict(data: object, file: str | None = None) -> Project:
    """A checked Project from plain data (e.g. a parsed JSON document or a web form).

    Raises InputError listing every problem, shape and meaning together.
    """
    project, problems = build_project(data, file)
    problems = merge_problems(problems, validate(project))
    if problems:
        raise InputError(problems)
    return project


def merge_problems(shape: list[Problem], meaning: list[Problem]) -> list[Problem]:
    """Shape problems first; a meaning problem at a place already reported adds nothing new."""
    seen = {(p.row, p.column) for p in shape}
    merged = shape + [p for p in meaning if (p.row, p.column) not in seen]
    return sorted(merged, key=_file_order)


def _file_order(problem: Problem) -> tuple[str, int, list[tuple[str, int]]]:
    """Sheet, then row, then JSON path in natural order (tenants[10] after tenants[9])."""
    column = problem.column or ""
    row = problem.row if isinstance(problem.row, int) else 0
    sheet = column.split(":")[0] if row else ""
    parts = re.split(r"(\d+)", column)
    path = [
        (text, int(digits or 0))
        for text, digits in zip(parts[::2], [*parts[1::2], ""], strict=True)
    ]
    return sheet, row, path
