"""Periods read as dates at their own precision, and amounts too large for a line refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keepitlocal.spend import SpendOptions, analyse, drill_down
from keepitlocal.spend.ledger import (
    MAX_POUNDS,
    TOO_LARGE,
    amount_pence_sql,
    amount_too_large_sql,
)
from keepitlocal.spend.periods import parse_period, period_from_name

from .conftest import CALDERDALE, write_csv

CON = duckdb.connect()
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
months = st.builds(lambda y, m: dt.date(y, m, 1), st.integers(1970, 2068), st.integers(1, 12))


@settings(max_examples=200)
@given(months, st.sampled_from(["{y}{m:02d}", "{b}-{yy:02d}", "{B} {y}", "{b} {y}", "{y}-{m:02d}",
                                "{m:02d}/{y}", "{B}-{yy:02d}", "{y} {b}", "{b}{yy:02d}"]))
def test_month_shapes(month: dt.date, shape: str) -> None:
    text = shape.format(y=month.year, m=month.month, yy=month.year % 100,
                        B=MONTH_NAMES[month.month - 1], b=MONTH_NAMES[month.month - 1][:3])
    assert parse_period(text) == (month, "month"), text
    assert parse_period(text.upper()) == (month, "month"), text


@settings(max_examples=200)
@given(st.integers(1990, 2060), st.integers(1, 12),
       st.sampled_from(["{fy}-P{p:02d}", "{fy}/{nx:02d} P{p}", "P{p:02d} {fy}/{nx:02d}",
                        "Period {p} {fy}-{nx:02d}", "{fy}/{fy1} Period {p:02d}"]))
def test_financial_periods(fy: int, period: int, shape: str) -> None:
    """Period 1 is April of the financial year's first calendar year; period 12 is March."""
    text = shape.format(fy=fy, nx=(fy + 1) % 100, fy1=fy + 1, p=period)
    month = (3 + period - 1) % 12 + 1
    year = fy + (1 if period >= 10 else 0)
    assert parse_period(text) == (dt.date(year, month, 1), "month"), text


@settings(max_examples=100)
@given(st.integers(1990, 2060), st.integers(1, 4),
       st.sampled_from(["Q{q} {fy}/{nx:02d}", "{fy}/{nx:02d} Q{q}", "Quarter {q} {fy}-{fy1}",
                        "{fy}-{nx:02d} Q{q}"]))
def test_financial_quarters(fy: int, quarter: int, shape: str) -> None:
    text = shape.format(fy=fy, nx=(fy + 1) % 100, fy1=fy + 1, q=quarter)
    first = 4 + 3 * (quarter - 1)
    expected = dt.date(fy + (first > 12), (first - 1) % 12 + 1, 1)
    assert parse_period(text) == (expected, "quarter"), text


@settings(max_examples=100)
@given(st.integers(1990, 2060), st.sampled_from([1, 4, 7, 10]), st.booleans())
def test_quarter_ranges(year: int, first: int, long_names: bool) -> None:
    names = MONTH_NAMES if long_names else [m[:3] for m in MONTH_NAMES]
    start = dt.date(year, first, 1)
    last = dt.date(year, first + 2, 1)
    end = dt.date(year, first + 2, 28 if first + 2 == 2 else 30 if first + 2 in (6, 9) else 31)
    for text in (f"{names[first - 1]}-{names[first + 1]} {year}",
                 f"{names[first - 1]} to {names[first + 1]} {year}",
                 f"{names[first - 1]} {year} - {names[last.month - 1]} {year}",
                 f"{start:%d/%m/%Y} - {end:%d/%m/%Y}"):
        assert parse_period(text) == (start, "quarter"), text


@settings(max_examples=100)
@given(st.integers(1990, 2060), st.integers(1, 4),
       st.sampled_from(["Q{q} {fy}", "{fy} Q{q}", "Quarter {q} {fy}", "q{q}-{fy}", "{fy}-Q{q}"]))
def test_bare_year_quarters_are_financial(fy: int, quarter: int, shape: str) -> None:
    """A quarter with one year is a quarter of the financial year that starts in it, as UK
    councils number them: Q1 is April to June, Q4 January to March of the next year."""
    text = shape.format(fy=fy, q=quarter)
    first = 4 + 3 * (quarter - 1)
    expected = dt.date(fy + (first > 12), (first - 1) % 12 + 1, 1)
    assert parse_period(text) == (expected, "quarter"), text


def test_quarter_examples() -> None:
    assert parse_period("Q1 2024") == (dt.date(2024, 4, 1), "quarter")
    assert parse_period("2024 Q1") == (dt.date(2024, 4, 1), "quarter")
    assert parse_period("Q1 2024/25") == (dt.date(2024, 4, 1), "quarter")
    assert parse_period("Q4 2024") == (dt.date(2025, 1, 1), "quarter")  # not October 2024


@pytest.mark.parametrize("text", [
    "Q5 2023", "Q1 2023/25",
    "Dec 2023 - Feb 2024",  # three months, but not a quarter
    "2022-P13", "2022/24 P01", "202313", "Febr-13", "next month", "", "01/04/2024",
])
def test_not_periods(text: str) -> None:
    assert parse_period(text) is None


@pytest.mark.parametrize(("name", "period"), [
    ("spend-2024-03.csv", "2024-03"), ("Spending March 2024.xlsx", "2024-03"),
    ("over500_202403.csv", "2024-03"), ("dcc_mar24.csv", "2024-03"),
    ("ledger.csv", None), ("payments_12345678.csv", None),
])
def test_period_from_file_name(name: str, period: str | None) -> None:
    assert period_from_name(name) == period


def sql(expression: str, text: str) -> object:
    return CON.execute(f"SELECT {expression}", [text]).fetchall()[0][0]


@settings(max_examples=200)
@given(st.integers(MAX_POUNDS, 10**40), st.sampled_from(["", ".99", ".5"]),
       st.sampled_from(["{}", "-{}", "({})", "£{}"]))
def test_amounts_too_large_are_flagged_not_raised(whole: int, pence: str, shape: str) -> None:
    text = shape.format(f"{whole}{pence}")
    assert sql(amount_pence_sql("$1"), text) is None
    assert sql(amount_too_large_sql("$1"), text) is True


@settings(max_examples=200)
@given(st.decimals(min_value=-(MAX_POUNDS - 1), max_value=MAX_POUNDS - 1, places=2))
def test_amounts_in_range_are_exact(value: Decimal) -> None:
    text = f"{value:.2f}"
    assert sql(amount_pence_sql("$1"), text) == int(value * 100)
    assert sql(amount_too_large_sql("$1"), text) is False


def test_huge_amount_is_one_unusable_line(tmp_path: Path, suppliers: Path,
                                          options: SpendOptions) -> None:
    path = write_csv(tmp_path / "apr.csv", ["Date", "Supplier Name", "Amount"], [
        ["01/04/2024", "Acme Catering Ltd", "99999999999999999999.99"],
        ["02/04/2024", "Acme Catering Ltd", "25.00"],
    ])
    result = analyse([path], suppliers, CALDERDALE, options)
    assert result.total == Decimal("25.00") and result.lines.unusable == 1
    assert any(str(p) == f"apr.csv, row 2, \"Amount\": {TOO_LARGE}: '99999999999999999999.99'"
               for p in result.problems)


def test_excel_month_cells_keep_month_precision(tmp_path: Path, suppliers: Path,
                                                 options: SpendOptions) -> None:
    """A date cell formatted to show only a month ("mmm-yy") is that month, not its first day;
    a cell formatted as a day stays a day."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Period", "Supplier Name", "Amount"])
    for row, (shown, fmt) in enumerate([(dt.datetime(2024, 3, 1), "mmm-yy"),
                                        (dt.datetime(2024, 4, 1), "mmmm yyyy"),
                                        (dt.datetime(2024, 5, 1), "[$-809]mmm\\-yy"),
                                        (dt.datetime(2024, 6, 1), "dd/mm/yyyy")], start=2):
        sheet.append([shown, "Acme Catering Ltd", 10])
        sheet.cell(row, 1).number_format = fmt
    path = tmp_path / "months.xlsx"
    book.save(path)
    result = analyse([path], suppliers, CALDERDALE, options)
    lines = sorted((str(r["date"]), r["date_precision"]) for r in drill_down(result, status="used"))
    assert lines == [("2024-03-01", "month"), ("2024-04-01", "month"), ("2024-05-01", "month"),
                     ("2024-06-01", "day")]


def _strptime_day(text: str) -> dt.date | None:
    """parse_day's definition, uncached and unfiltered: the first format that reads the text."""
    from keepitlocal.spend.periods import DATE_FORMATS

    for fmt in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(str(text).strip(), fmt)
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return day.date()
    return None


@settings(max_examples=400)
@given(st.one_of(
    st.text(max_size=25),
    st.dates(dt.date(1890, 1, 1), dt.date(2110, 12, 31)).flatmap(
        lambda d: st.sampled_from([d.strftime(f) for f in ("%d/%m/%Y", "%d %B %Y", "%Y%m%d",
                                                           "%d-%b-%y", "%Y-%m-%dT00:00:00")])),
    st.from_regex(r"\s*\d{1,4}[-/. ]\w{1,9}[-/. ]\d{1,4}\s*", fullmatch=True),
))
def test_the_cached_day_reader_reads_what_strptime_reads(text: str) -> None:
    from keepitlocal.spend.periods import parse_day

    assert parse_day(text) == _strptime_day(text)
    assert parse_day(text) == _strptime_day(text)  # the second answer comes from the cache
