"""What a ledger's date cell or file name says about when: a day, or a period a line keeps.

A period is a month (202304, "Feb-13", "April 2023"), a financial period ("2022-P04") or a
quarter ("Q1 2023/24", "Apr-Jun 2023"), read in Python once per distinct text. Here, apart from
`ledger` (which parses in SQL) and `columns` (which scores a column by how many of its cells
read as dates), so that both can use it without importing each other.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from keepitlocal.spend.model import MONTH, QUARTER

DATE_FORMATS: tuple[str, ...] = (
    "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %Y",
    "%d %B %Y", "%d-%B-%Y", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y%m%d",
)


# --- periods -------------------------------------------------------------------------------

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_YEAR = r"(\d{4}|\d{2})"
_SEP = r"[\s\-_/.,']*"
_FY = r"(\d{4})(?:[/-](\d{4}|\d{2}))?"  # 2022, 2022/23, 2022-2023
_TO = r"\s*(?:-|–|—|to)\s*"
_DAY_TEXT = r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{4})"

_PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
        ("yyyymm", r"((?:19|20)\d{2})(0[1-9]|1[0-2])"),
        ("iso_month", r"((?:19|20)\d{2})-(0?[1-9]|1[0-2])"),
        ("mm_yyyy", r"(0?[1-9]|1[0-2])[/-]((?:19|20)\d{2})"),
        ("month_year", _MONTH + _SEP + _YEAR),
        ("year_month", r"(\d{4})" + _SEP + _MONTH),
        ("fin_period", _FY + r"[\s\-_/]*p(?:eriod|d)?[\s\-_.]*(\d{1,2})"),
        ("period_fin", r"p(?:eriod|d)?[\s\-_.]*(\d{1,2})[\s\-_,/]+" + _FY),
        ("quarter_fin", r"q(?:uarter|tr)?[\s\-_.]*([1-4])[\s\-_,/]+" + _FY),
        ("fin_quarter", _FY + r"[\s\-_,/]*q(?:uarter|tr)?[\s\-_.]*([1-4])"),
        ("month_range", _MONTH + r"(?:\s*" + _YEAR + ")?" + _TO + _MONTH + r"\s*" + _YEAR),
        ("day_range", _DAY_TEXT + _TO + _DAY_TEXT),
    ))


def _year(text: str) -> int:
    number = int(text)
    if len(text) == 2:  # as strptime's %y: 69-99 are the 1900s
        return number + (1900 if number >= 69 else 2000)
    return number


def _financial_year(first: str, second: str | None) -> int | None:
    """The starting year of a financial year written 2022, 2022/23 or 2022-2023."""
    start = int(first)
    if second is not None and _year(second) != start + 1 \
            and not (len(second) == 2 and int(second) == (start + 1) % 100):
        return None
    return start


def _span(start: dt.date, end_month: tuple[int, int]) -> tuple[dt.date, str] | None:
    """A run of whole months from `start` to (year, month): one month, or a financial quarter."""
    months = (end_month[0] * 12 + end_month[1]) - (start.year * 12 + start.month) + 1
    if months == 1:
        return start, MONTH
    if months == 3 and start.month in (1, 4, 7, 10):
        return start, QUARTER
    return None


def _day(text: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_period(text: str) -> tuple[dt.date, str] | None:
    """A month, financial period or quarter as (its first day, "month" | "quarter"); else None.

    Financial years start in April: "2022-P04" is period 4 of 2022/23, July 2022; "Q1 2023/24"
    is April to June 2023. A bare year is the financial year it starts, as UK councils number
    their quarters: "Q1 2024" and "2024 Q1" are April to June 2024, "Q4 2024" January to March 2025.
    """
    value = " ".join(str(text).split())
    for kind, pattern in _PERIODS:
        match = pattern.fullmatch(value)
        if match is None:
            continue
        g = match.groups()
        try:
            if kind == "yyyymm" or kind == "iso_month":
                return dt.date(int(g[0]), int(g[1]), 1), MONTH
            if kind == "mm_yyyy":
                return dt.date(int(g[1]), int(g[0]), 1), MONTH
            if kind == "month_year":
                return dt.date(_year(g[1]), _MONTHS[g[0].lower()], 1), MONTH
            if kind == "year_month":
                return dt.date(int(g[0]), _MONTHS[g[1].lower()], 1), MONTH
            if kind in ("fin_period", "period_fin", "quarter_fin", "fin_quarter"):
                if kind in ("fin_period", "fin_quarter"):
                    first, second, number = g[0], g[1], int(g[2])
                else:
                    number, first, second = int(g[0]), g[1], g[2]
                start_year = _financial_year(first, second)
                quarter = kind.startswith("quarter") or kind.endswith("quarter")
                if start_year is None:
                    return None
                if quarter:
                    month = 4 + 3 * (number - 1)
                    precision = QUARTER
                else:
                    if not 1 <= number <= 12:
                        return None
                    month, precision = 4 + number - 1, MONTH
                year = start_year + (1 if month > 12 else 0)
                return dt.date(year, (month - 1) % 12 + 1, 1), precision
            if kind == "month_range":
                first_month, last_month = _MONTHS[g[0].lower()], _MONTHS[g[2].lower()]
                end_year = _year(g[3])
                start_year = _year(g[1]) if g[1] else end_year - (first_month > last_month)
                return _span(dt.date(start_year, first_month, 1), (end_year, last_month))
            if kind == "day_range":
                start, end = _day(g[0]), _day(g[1])
                if start is None or end is None or start.day != 1 \
                        or end.day != calendar.monthrange(end.year, end.month)[1]:
                    return None
                return _span(start, (end.year, end.month))
        except ValueError:  # a day or month out of range
            return None
    return None


_NAME_PERIODS = (
    re.compile(r"(?<!\d)((?:19|20)\d{2})[-_ .]?(0[1-9]|1[0-2])(?!\d)"),
    re.compile(_MONTH + r"[-_ .]?((?:19|20)?\d{2})(?![\d])", re.IGNORECASE),
    re.compile(r"((?:19|20)\d{2})[-_ .]?" + _MONTH, re.IGNORECASE),
)


def period_from_name(name: str) -> str | None:
    """The month a file's name suggests, as "YYYY-MM": "spend-2024-03.csv" -> "2024-03",
    "Spending March 2024.xlsx" -> "2024-03"; None when the name says no month."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
    for joiner, pattern in zip(("-", " ", " "), _NAME_PERIODS, strict=True):
        for match in pattern.finditer(stem):
            found = parse_period(joiner.join(match.groups()))
            if found is not None and found[1] == MONTH:
                return found[0].strftime("%Y-%m")
    return None


def parse_day(text: str) -> dt.date | None:
    """A payment day in one of `DATE_FORMATS` (the Python twin of `date_sql`, for detection)."""
    return _parse_day(str(text).strip())


@functools.lru_cache(maxsize=1 << 14)
def _parse_day(value: str) -> dt.date | None:
    """Cached: column detection asks about the same few hundred days in file after file, and
    strptime tries each format in turn. Every format has a day or a year, so a cell without a
    digit (a supplier's name) is no day, and is not tried."""
    if not any(c.isdigit() for c in value):
        return None
    for fmt in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return day.date()
    return None


def looks_like_date(text: str) -> bool:
    """A day or a period: what a date column holds (Excel day numbers aside, which look like
    amounts; their header decides)."""
    return parse_day(text) is not None or parse_period(text) is not None
