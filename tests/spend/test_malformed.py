"""Bad files: each gives a clear error naming the file (and row and column where there is one), or
a reported, counted line; nothing disappears."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from keepitlocal.errors import InputError
from keepitlocal.spend import SpendOptions, analyse, drill_down
from keepitlocal.spend.model import ColumnMapping

from .conftest import CALDERDALE, write_csv, write_xlsx

HEADER = ["Date", "Supplier Name", "Amount", "Department", "Expense Type"]


def run(paths: list[Path], suppliers: Path, options: SpendOptions):  # type: ignore[no-untyped-def]
    return analyse(paths, suppliers, CALDERDALE, options)


def error_text(paths: list[Path], suppliers: Path, options: SpendOptions) -> str:
    with pytest.raises(InputError) as caught:
        run(paths, suppliers, options)
    return str(caught.value)


def test_binary_file_is_not_csv(tmp_path: Path, suppliers: Path, options: SpendOptions) -> None:
    path = tmp_path / "ledger.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "ledger.csv: this is not a text (CSV) file" in error_text([path], suppliers, options)


def test_empty_file(tmp_path: Path, suppliers: Path, options: SpendOptions) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    assert "empty.csv: the file is empty" in error_text([path], suppliers, options)


def test_header_only_file_reads_no_lines(tmp_path: Path, suppliers: Path,
                                         options: SpendOptions) -> None:
    only = write_csv(tmp_path / "may.csv", HEADER, [])
    full = write_csv(tmp_path / "apr.csv", HEADER,
                     [["01/04/2024", "Acme Catering Ltd", "10.00", "Adults", "Food"]])
    result = run([full, only], suppliers, options)
    assert [f.lines_read for f in result.files] == [1, 0]
    assert result.lines.read == 1 and result.total == Decimal("10.00")


def test_text_that_is_not_a_ledger(tmp_path: Path, suppliers: Path,
                                   options: SpendOptions) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("Dear colleague,\nplease find the figures attached.\n")
    text = error_text([path], suppliers, options)
    assert "notes.csv, row 1: no amount column found" in text
    assert "--map" in text


def test_bad_amount_is_counted_and_located(tmp_path: Path, suppliers: Path,
                                           options: SpendOptions) -> None:
    path = write_csv(tmp_path / "apr.csv", HEADER, [
        ["01/04/2024", "Acme Catering Ltd", "1,000.00", "Adults", "Food"],
        ["02/04/2024", "Acme Catering Ltd", "one hundred", "Adults", "Food"],
        ["03/04/2024", "Acme Catering Ltd", "", "Adults", "Food"],
    ])
    result = run([path], suppliers, options)
    assert result.lines.read == 3 and result.lines.used == 1 and result.lines.unusable == 2
    texts = [str(p) for p in result.problems]
    assert "apr.csv, row 3, \"Amount\": amount is not a number: 'one hundred'" in texts
    assert "apr.csv, row 4, \"Amount\": amount is blank" in texts
    # The amount as written is kept for the line that could not be used, not for the used one.
    lines = result.line_table.to_pylist()
    assert [(r["row"], r["amount_text"]) for r in lines] == [
        (2, None), (3, "one hundred"), (4, None)]


def test_blank_line_is_judged_by_every_column(tmp_path: Path, suppliers: Path,
                                              options: SpendOptions) -> None:
    """A line blank in every column (spaces count as blank) is a blank line; one with only an
    unmapped column filled is not blank: it is a line without an amount."""
    path = write_csv(tmp_path / "apr.csv", [*HEADER, "Notes"], [
        ["01/04/2024", " Acme Catering Ltd\u00a0", "10.00", "Adults", "Food", ""],
        ["  ", "", " ", "", "", ""],
        ["", "", "", "", "", "see the next line"],
    ])
    result = run([path], suppliers, options)
    assert result.lines.read == 3 and result.lines.used == 1 and result.lines.unusable == 2
    assert result.total == Decimal("10.00") and result.by_department[0].name == "Adults"
    reasons = [p.message for p in result.problems if p.row is not None]
    assert any("blank line" in r for r in reasons) and any("no amount" in r for r in reasons)


def test_strict_mode_raises_every_problem(tmp_path: Path, suppliers: Path, store) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "apr.csv", HEADER, [
        ["01/04/2024", "Acme Catering Ltd", "12..5", "Adults", "Food"],
        ["31/02/2024", "Acme Catering Ltd", "5", "Adults", "Food"],
    ])
    text = error_text([path], suppliers, SpendOptions(store=store, strict=True))
    assert "row 2" in text and "row 3" in text and "date not understood: '31/02/2024'" in text


def test_bad_date_is_used_but_reported(tmp_path: Path, suppliers: Path,
                                       options: SpendOptions) -> None:
    path = write_csv(tmp_path / "apr.csv", HEADER, [
        ["yesterday", "Acme Catering Ltd", "50.00", "Adults", "Food"],
        ["", "Acme Catering Ltd", "25.00", "Adults", "Food"],
    ])
    result = run([path], suppliers, options)
    assert result.total == Decimal("75.00") and result.lines.undated == 2
    assert [m.name for m in result.by_month] == ["undated"]
    assert any(str(p) == "apr.csv, row 2, \"Date\": date not understood: 'yesterday' "
               "(line used; counted as undated)" for p in result.problems)


def test_wrong_encoding_is_detected(tmp_path: Path, suppliers: Path,
                                    options: SpendOptions) -> None:
    path = write_csv(tmp_path / "apr.csv", HEADER, [
        ["01/04/2024", "Café Crème Ltd", "£1,234.50", "Adults – Care", "Food"],
    ], encoding="cp1252")
    result = run([path], suppliers, options)
    assert result.total == Decimal("1234.50")
    assert result.files[0].encoding not in (None, "utf-8")
    assert result.by_department[0].name == "Adults – Care"
    assert result.top_nonlocal_suppliers == [] and result.unknown_spend == Decimal("1234.50")




def test_wrong_encoding_found_far_into_the_file(tmp_path: Path, suppliers: Path,
                                                options: SpendOptions) -> None:
    """Only a ledger's first bytes are checked before DuckDB reads it: a cp1252 '£' thousands of
    rows in is found while reading, and the file is read again in its own encoding."""
    rows = [["01/04/2024", f"Plain Supplier {i}", "10.00", "Adults", "Food"] for i in range(3000)]
    rows.append(["02/04/2024", "Café Crème Ltd", "£1,234.50", "Adults – Care", "Food"])
    path = write_csv(tmp_path / "apr.csv", HEADER, rows, encoding="cp1252")
    assert path.read_bytes().find(b"\xa3") > 64 * 1024
    result = run([path], suppliers, options)
    assert result.total == Decimal("31234.50") and result.lines.used == 3001
    assert result.files[0].encoding not in (None, "utf-8")
    assert "Adults – Care" in [d.name for d in result.by_department]
def test_xlsx_that_is_not_a_workbook(tmp_path: Path, suppliers: Path,
                                     options: SpendOptions) -> None:
    path = tmp_path / "apr.xlsx"
    path.write_text("Date,Supplier,Amount\n01/04/2024,Acme,10\n")
    assert "apr.xlsx: the file has an Excel name but is not an Excel workbook" in error_text(
        [path], suppliers, options)
    broken = tmp_path / "may.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "may.xlsx: not a readable Excel workbook" in error_text([broken], suppliers, options)


def test_old_xls_is_named(tmp_path: Path, suppliers: Path, options: SpendOptions) -> None:
    path = tmp_path / "apr.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "old-style .xls" in error_text([path], suppliers, options)


def test_xlsx_excel_serial_dates(tmp_path: Path, suppliers: Path, options: SpendOptions) -> None:
    path = write_xlsx(tmp_path / "apr.xlsx", HEADER, [
        [45383, "Acme Catering Ltd", 10.5, "Adults", "Food"],  # 45383 = 1 April 2024
        ["02/04/2024", "Acme Catering Ltd", "(0.50)", "Adults", "Food"],
        [None, None, None, None, None],
        [None, None, 1000, None, None],  # a totals row at the bottom
    ])
    result = run([path], suppliers, options)
    assert result.total == Decimal("10.00")
    assert result.lines.undated == 0 and result.by_month[0].name == "2024-04"
    assert result.lines.unusable == 2
    assert any("a total or subtotal row" in str(p) and "row 5" in str(p)
               for p in result.problems)


def test_mapping_names_missing_header(tmp_path: Path, suppliers: Path, store) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "apr.csv", HEADER, [["01/04/2024", "Acme", "1", "A", "B"]])
    options = SpendOptions(store=store, mapping=ColumnMapping({"amount": "Net Amount"}))
    text = error_text([path], suppliers, options)
    assert "apr.csv, row 1: the mapping names column 'Net Amount'" in text


def test_mapping_overrides_detection(tmp_path: Path, suppliers: Path, store) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "apr.csv", ["When", "Who", "How much", "Amount"],
                     [["01/04/2024", "Acme Catering Ltd", "7.00", "999"]])
    mapping = tmp_path / "map.json"
    mapping.write_text('{"date": "When", "supplier": "Who", "amount": "How much"}')
    result = analyse([path], suppliers, CALDERDALE, SpendOptions(store=store, mapping=mapping))
    assert result.total == Decimal("7.00")
    assert result.files[0].columns["amount"] == "How much"


def test_bad_json_files_are_named(tmp_path: Path, suppliers: Path, store) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "apr.csv", HEADER, [["01/04/2024", "Acme", "1", "A", "B"]])
    tiers = tmp_path / "tiers.json"
    tiers.write_text('{"tiers": [{"name": "Here", "lad": ["X1"]}]}')
    text = error_text([path], suppliers, SpendOptions(store=store, tiers=tiers))
    assert "X1" in text
    rules = tmp_path / "rules.json"
    rules.write_text('{"rules": [{"id": "r", "field": "colour", "pattern": "x"}]}')
    assert "unknown field 'colour'" in error_text([path], suppliers,
                                                   SpendOptions(store=store, exclusions=rules))
    rules.write_text('{"rules": [{"id": "r", "field": "supplier", "pattern": "(unclosed"}]}')
    assert "rule 'r'" in error_text([path], suppliers, SpendOptions(store=store, exclusions=rules))
    mapping = tmp_path / "map.json"
    mapping.write_text("{not json")
    assert "map.json, row 1: not valid JSON" in error_text(
        [path], suppliers, SpendOptions(store=store, mapping=mapping))


def test_a_run_that_keeps_no_lines_reports_the_same(tmp_path: Path, suppliers: Path,
                                                    options: SpendOptions) -> None:
    """Without a kept line table the lines are written narrower: every figure, count and listed
    problem (with the text it quotes) is the same as with one."""
    import dataclasses

    rows = [["01/04/2024", "Acme Catering Ltd", "10.00", "Adults", "Food"],
            ["02/04/2024", "Acme Catering Ltd", "twelve pounds", "Adults", "Food"],
            ["31/02/2024", "Leeds Print Ltd", "5.50", "Children", "Print"],
            ["03/04/2024", "Leeds City Council", "99.00", "Adults", "Grants"],
            ["04/04/2024", "Unknown Trader", "(3.25)", "", "Food"]]
    ledger = write_csv(tmp_path / "apr.csv", HEADER, rows)
    kept = run([ledger], suppliers, dataclasses.replace(options, keep_lines=True))
    narrow = run([ledger], suppliers, dataclasses.replace(options, keep_lines=False))
    assert kept.line_table is not None and narrow.line_table is None
    assert narrow.problems == kept.problems
    assert any("twelve pounds" in p.message for p in narrow.problems)
    assert any("31/02/2024" in p.message for p in narrow.problems)
    assert dataclasses.replace(kept, line_table=None) == narrow


def test_lines_written_to_a_file_are_the_lines_held_in_memory(
        tmp_path: Path, suppliers: Path, options: SpendOptions) -> None:
    """With `lines_file` the data engine writes the line table to Parquet as it makes it (a
    ledger of millions of lines is gigabytes held as one table): the same lines, the same
    drill-downs, the same figures."""
    import dataclasses

    import pyarrow.parquet as pq

    rows = [["01/04/2024", "Acme Catering Ltd", "10.00", "Adults", "Food"],
            ["02/04/2024", "Acme Catering Ltd", "twelve pounds", "Adults", "Food"],
            ["03/04/2024", "Leeds City Council", "99.00", "Adults", "Grants"],
            ["04/04/2024", "Unknown Trader", "(3.25)", "", "Food"]]
    ledger = write_csv(tmp_path / "apr.csv", HEADER, rows)
    held = run([ledger], suppliers, options)
    path = tmp_path / "it's lines.parquet"  # a quote in the path is written as it is
    written = run([ledger], suppliers, dataclasses.replace(options, lines_file=path))
    assert written.line_table == path
    assert pq.read_table(path).to_pylist() == held.line_table.to_pylist()
    assert dataclasses.replace(written, line_table=None) == dataclasses.replace(
        held, line_table=None)
    for filters in ({}, {"status": "unusable"}, {"status": "excluded"},
                    {"supplier_name": "Acme Catering Ltd"}):
        assert drill_down(written, **filters) == drill_down(held, **filters)
    assert drill_down(written, status="unusable")[0]["row"] == 3
