"""The record reading the LM3 and impact-plan readers share (keepitlocal.records)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepitlocal.errors import InputError
from keepitlocal.records import RowReader, read_document
from keepitlocal.safeio import Row

ITEMS = st.lists(st.one_of(st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                           st.integers(), st.text(max_size=3), st.none()), max_size=6)


@given(ITEMS)
def test_every_object_is_a_row_and_every_other_item_a_problem(items: list[object]) -> None:
    reader = RowReader("plan.json")
    rows = list(reader.rows({"things": items}, "things"))
    objects = [i for i, item in enumerate(items) if isinstance(item, dict)]
    assert [r.row for r in rows] == [f"things[{i}]" for i in objects]
    assert all(r.file == "plan.json" for r in rows)
    assert [p.row for p in reader.problems] == [
        f"things[{i}]" for i, item in enumerate(items) if not isinstance(item, dict)
    ]


def test_a_workbook_row_is_kept_with_its_own_place() -> None:
    reader = RowReader("plan.xlsx")
    row = Row({"a": 1}, "plan.xlsx", 7)
    assert list(reader.rows({"things": [row]}, "things")) == [row]


def test_a_missing_list_is_empty_and_a_wrong_one_a_problem() -> None:
    reader = RowReader("x.json")
    assert list(reader.rows({}, "things")) == []
    assert list(reader.rows({"things": {"a": 1}}, "things")) == []
    assert [p.message for p in reader.problems] == ["things should be a list"]
    with pytest.raises(InputError):
        reader.finish()


def test_a_document_is_read_by_its_kind(tmp_path: Path) -> None:
    data = tmp_path / "p.json"
    data.write_text(json.dumps({"name": "x"}))
    book = tmp_path / "p.XLSX"
    book.write_bytes(b"")
    assert read_document(data, lambda p: ("book", p.name), lambda d, n: (d, n)) == (
        {"name": "x"}, "p.json")
    assert read_document(book, lambda p: ("book", p.name), lambda d, n: (d, n)) == (
        "book", "p.XLSX")
    with pytest.raises(InputError, match="does not exist"):
        read_document(tmp_path / "none.json", lambda p: p, lambda d, n: d)
