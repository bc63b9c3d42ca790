"""Real header and period shapes: detected from header words and content, read at the precision
given, and every shape giving the same figures; unmappable files listed, never sinking the rest."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from keepitlocal.spend import SpendOptions, analyse, drill_down
from keepitlocal.spend import columns as spend_columns
from keepitlocal.spend import io as spend_io
from keepitlocal.spend.model import ColumnMapping, UnreadableFiles

from .conftest import CALDERDALE, write_csv
from .layouts import EXCLUDED, TIER1, TOTAL
from .shapes import EXPECTED, SHAPES, unmappable

MONTHS_BY_PRECISION = {
    "day": ["2024-04", "2024-05", "2024-06"],
    "month": ["2024-04", "2024-05", "2024-06"],
    "quarter": ["2024-04 to 2024-06"],
}


def detected(path: Path, tmp: Path) -> spend_columns.DetectedColumns:
    loaded = spend_io.peek(path, tmp)
    return spend_columns.detect_ledger(loaded.name, loaded.headers, loaded.header_row, None,
                                       loaded.sample)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_shape_detected(shape: str, tmp_path: Path) -> None:
    found = detected(SHAPES[shape](tmp_path), tmp_path)
    want, _ = EXPECTED[shape]
    assert {f: found.columns.get(f) for f in want} == want
    assert not found.missing
    for field in want:
        assert found.choices[field].reasons, field


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_shape_gives_the_same_figures(shape: str, tmp_path: Path, suppliers: Path,
                                      options: SpendOptions) -> None:
    result = analyse([SHAPES[shape](tmp_path)], suppliers, CALDERDALE, options)
    assert result.total == Decimal(TOTAL)
    assert result.excluded_total == Decimal(EXCLUDED)
    assert result.tiers[0].spend == Decimal(TIER1)
    assert result.lines.undated == 0
    _, precision = EXPECTED[shape]
    assert [m.name for m in result.by_month] == MONTHS_BY_PRECISION[precision]
    assert [q.name for q in result.by_quarter] == ["2024-25 Q1"]
    assert [y.name for y in result.by_year] == ["2024-25"]
    lines = drill_down(result)
    assert {r["date_precision"] for r in lines} == {precision}


def test_preamble_header_row_and_totals_row(tmp_path: Path, suppliers: Path,
                                            options: SpendOptions) -> None:
    result = analyse([SHAPES["preamble_totals_blank"](tmp_path)], suppliers, CALDERDALE, options)
    assert result.files[0].header_row == 13
    assert result.lines.read == 9 and result.lines.unusable == 1
    unusable = drill_down(result, status="unusable")
    assert [(r["row"], r["reason"]) for r in unusable] == [
        (22, "no supplier and no date (a total or subtotal row?)")]


def test_xlsx_preamble(tmp_path: Path) -> None:
    loaded = spend_io.peek(SHAPES["preamble_xlsx"](tmp_path), tmp_path)
    assert loaded.header_row == 13


def test_month_is_not_made_a_day(tmp_path: Path, suppliers: Path, options: SpendOptions) -> None:
    result = analyse([SHAPES["period_yyyymm"](tmp_path)], suppliers, CALDERDALE, options)
    april = drill_down(result, month="2024-04")
    assert {(str(r["date"]), r["date_precision"]) for r in april} == {("2024-04-01", "month")}


def test_gross_vat_net_uses_net_and_says_so(tmp_path: Path) -> None:
    found = detected(SHAPES["gross_vat_net"](tmp_path), tmp_path)
    choice = found.choices["amount"]
    assert choice.header == "Net Amount"
    assert choice.runner_up == "Gross Amount"
    assert "gross" in (choice.lost_because or "")
    assert any("net amount 'Net Amount' is used" in n for n in found.notes)
    total = detected(SHAPES["amount_vat_total"](tmp_path), tmp_path)
    assert total.columns["amount"] == "Amount" and total.choices["amount"].runner_up == "Total"


def test_runner_up_explained(tmp_path: Path) -> None:
    """Cheshire East's EffectiveDate loses to PaymentDate, and the reason says so."""
    from .layouts import cheshire_east

    found = detected(cheshire_east(tmp_path), tmp_path)
    choice = found.choices["date"]
    assert (choice.header, choice.runner_up) == ("PaymentDate", "EffectiveDate")
    assert "less usual name" in (choice.lost_because or "")


def test_content_breaks_a_header_tie(tmp_path: Path) -> None:
    """Two "date" columns by name; only one holds dates."""
    path = write_csv(tmp_path / "two_dates.csv",
                     ["Date", "Payment Date Note", "Supplier", "Amount"],
                     [["see note", "01/04/2024", "Acme", "10.00"],
                      ["see note", "02/04/2024", "Acme", "12.00"],
                      ["see note", "03/04/2024", "Bee Ltd", "9.50"]])
    found = detected(path, tmp_path)
    assert found.columns["date"] == "Payment Date Note"
    assert found.choices["date"].runner_up == "Date"


def test_unmappable_file_listed_with_headers_and_mapping(tmp_path: Path, suppliers: Path,
                                                          options: SpendOptions) -> None:
    good = SHAPES["clearing_date"](tmp_path)
    bad = unmappable(tmp_path)
    with pytest.raises(UnreadableFiles) as caught:
        analyse([good, bad], suppliers, CALDERDALE, options)
    error = caught.value
    assert error.readable == 1 and [f.file for f in error.files] == ["export_raw.csv"]
    file = error.files[0]
    assert file.headers == ("Col A", "Col B", "Col C")
    assert {p.message for p in file.problems} == {
        "no amount column found", "no date column found", "no supplier column found"}
    entry = file.example_mapping["files"]["export_raw.csv"]
    assert set(entry) == {"amount", "date", "supplier"}
    assert entry["supplier"] == "Col B"  # the column of names
    # The example is ready to use: given as a mapping, the file is read.
    fixed = spend_columns.mapping_from_dict(file.example_mapping)
    loaded = spend_io.peek(bad, tmp_path)
    assert not spend_columns.detect_ledger(loaded.name, loaded.headers, 1, fixed).missing


def test_skip_unreadable_analyses_the_rest(tmp_path: Path, suppliers: Path,
                                           options: SpendOptions) -> None:
    good = SHAPES["clearing_date"](tmp_path)
    bad = unmappable(tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    options.skip_unreadable = True
    result = analyse([good, bad, empty], suppliers, CALDERDALE, options)
    assert result.total == Decimal(TOTAL)
    assert [f.file for f in result.unreadable] == ["export_raw.csv", "empty.csv"]
    assert [f.file for f in result.files] == ["clearing_date.csv"]


def test_skip_unreadable_with_nothing_readable_still_fails(tmp_path: Path, suppliers: Path,
                                                           options: SpendOptions) -> None:
    options.skip_unreadable = True
    with pytest.raises(UnreadableFiles):
        analyse([unmappable(tmp_path)], suppliers, CALDERDALE, options)


def test_period_for_a_file_with_no_date_column(tmp_path: Path, suppliers: Path,
                                               options: SpendOptions) -> None:
    from .layouts import LINES

    path = write_csv(tmp_path / "spend-2024-03.csv", ["Supplier Name", "Amount"],
                     [[sup, amt] for _d, amt, sup, *_ in LINES])
    found = detected(path, tmp_path)
    assert found.missing == ("date",)
    assert spend_columns.example_mapping(found) == {"files": {"spend-2024-03.csv": {
        "amount": "Amount", "supplier": "Supplier Name", "period": "2024-03"}}}
    options.mapping = spend_columns.mapping_from_dict(spend_columns.example_mapping(found))
    result = analyse([path], suppliers, CALDERDALE, options)
    assert result.total == Decimal(TOTAL)
    assert [m.name for m in result.by_month] == ["2024-03"]
    assert [y.name for y in result.by_year] == ["2023-24"]
    assert result.files[0].period == "2024-03"


def test_header_row_chosen_by_the_user(tmp_path: Path, suppliers: Path,
                                       options: SpendOptions) -> None:
    from .layouts import LINES

    path = tmp_path / "two_headers.csv"
    rows = [["Supplier Name", "Amount", "Payment Date"], ["Payee", "Spend", "Date"]]
    rows += [[sup, amt, dt_] for dt_, amt, sup, *_ in LINES]
    write_csv(path, rows[0], rows[1:])
    options.mapping = ColumnMapping(header_rows={"two_headers.csv": 2})
    result = analyse([path], suppliers, CALDERDALE, options)
    assert result.files[0].header_row == 2
    assert result.files[0].columns["supplier"] == "Payee"
    assert result.total == Decimal(TOTAL)


def test_mapping_file_settings_are_checked() -> None:
    from keepitlocal.errors import InputError

    with pytest.raises(InputError) as caught:
        spend_columns.mapping_from_dict({"files": {"a.csv": {"period": "soon",
                                                             "header_row": 0}}})
    text = str(caught.value)
    assert "'soon' for a.csv is not a month or quarter" in text
    assert "header row for a.csv must be a row number" in text
    mapping = spend_columns.mapping_from_dict(
        {"files": {"a.csv": {"period": "2024-03", "header_row": 4, "amount": "Spend"}}})
    assert mapping.periods == {"a.csv": "2024-03"} and mapping.header_rows == {"a.csv": 4}
    assert mapping.for_file("a.csv") == {"amount": "Spend"}
    assert spend_columns.mapping_from_dict(mapping.to_dict()) == mapping
