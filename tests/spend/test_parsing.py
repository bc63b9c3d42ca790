"""The SQL that reads amounts and dates agrees with the Python rules (`parse_amount`, strptime)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keepitlocal.money import parse_amount
from keepitlocal.spend.ledger import amount_pence_sql, date_sql
from keepitlocal.spend.periods import DATE_FORMATS

CON = duckdb.connect()


def sql_pence(text: str) -> int | None:
    return CON.execute(f"SELECT {amount_pence_sql('?')}".replace("?", "$1"), [text]).fetchall()[0][0]


def python_pence(text: str) -> int | None:
    try:
        value = parse_amount(text)
    except ValueError:
        return None
    return int((value * 100).quantize(Decimal(1), ROUND_HALF_UP))


digits = st.text(alphabet="0123456789", min_size=1, max_size=9)
amounts = st.builds(
    lambda pound, sign, whole, frac, bracket, space: (
        ("(" if bracket else "") + sign + ("£" if pound else "") + space + whole
        + ("." + frac if frac is not None else "") + (")" if bracket else "")),
    st.booleans(), st.sampled_from(["", "-", "+"]), digits,
    st.one_of(st.none(), st.text(alphabet="0123456789", min_size=0, max_size=13)),
    st.booleans(), st.sampled_from(["", " ", "\u00a0", "\u2009", "\u3000", "\t"]),
)
with_commas = digits.map(lambda d: f"{int(d):,}.{d[-2:]:0>2}")
junk = st.text(alphabet="0123456789.,£() -ax", min_size=1, max_size=12)


@settings(max_examples=300)
@given(st.one_of(amounts, with_commas, junk))
def test_sql_amounts_follow_parse_amount(text: str) -> None:
    expected = python_pence(text)
    got = sql_pence(text)
    if expected is None:
        assert got is None, text
    else:
        assert got == expected, text


@pytest.mark.parametrize(("text", "pence"), [
    ("£1,234.56", 123456), ("(120.00)", -12000), ("2,775.00", 277500), ("-0.005", -1),
    ("0.005", 1), (" 12 ", 1200), ("", None), ("1.00499999999999", 100),
    ("\u3000£1,234.50\u2009", 123450), ("abc", None), ("1.2.3", None),
])
def test_amount_examples(text: str, pence: int | None) -> None:
    assert sql_pence(text) == pence


def sql_date(text: str) -> dt.date | None:
    return CON.execute(f"SELECT {date_sql('$1')}", [text]).fetchall()[0][0]


@settings(max_examples=150)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)),
       st.sampled_from([f for f in DATE_FORMATS if "%H" not in f and f != "%Y%m%d"]))
def test_dates_in_every_format(day: dt.date, fmt: str) -> None:
    assert sql_date(day.strftime(fmt)) == day


@pytest.mark.parametrize(("text", "day"), [
    ("01/04/2024", dt.date(2024, 4, 1)), ("1/4/24", dt.date(2024, 4, 1)),
    ("01-APR-2024", dt.date(2024, 4, 1)), ("01-Apr-24", dt.date(2024, 4, 1)),
    ("2024-04-01 00:00:00", dt.date(2024, 4, 1)), ("45383", dt.date(2024, 4, 1)),
    ("45383.0", dt.date(2024, 4, 1)), ("31/02/2024", None), ("04/31/2024", None),
    ("next week", None),
])
def test_date_examples(text: str, day: dt.date | None) -> None:
    assert sql_date(text) == day
