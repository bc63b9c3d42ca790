"""More real header shapes of published "spending over £500" files (methods-and-data §6.1 and
others seen on councils', transport bodies' and departments' sites), written from scratch.

Each pays the eight lines of `layouts.LINES`, so each must give the same totals; periods are
given at the precision the shape has (a day, a month, a quarter).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from keepitlocal.money import parse_amount

from .conftest import write_csv, write_xlsx
from .layouts import LINES

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _day(text: str) -> tuple[int, int, int]:
    day, month, year = (int(x) for x in text.split("/"))
    return day, month, year


def _net(amount: str) -> Decimal:
    return parse_amount(amount)


def _vat(amount: str) -> Decimal:
    return (_net(amount) * Decimal("0.2")).quantize(Decimal("0.01"))


def clearing_date(tmp: Path) -> Path:
    """A clearing date, "Payee", "Spend", "Directorate" and "Expense Type"."""
    header = ["Clearing Date", "Payee", "Spend", "Directorate", "Expense Type", "Payment Ref"]
    rows = [[dt_, sup, amt, dept, exp, tid] for dt_, amt, sup, _sid, dept, exp, tid in LINES]
    return write_csv(tmp / "clearing_date.csv", header, rows)


def words_only(tmp: Path) -> Path:
    """Headers that are no known name, only telling words: the content decides."""
    header = ["Ref", "When Posted", "Paid To Organisation", "Sum Paid £", "Area"]
    rows = [[tid, dt_, sup, amt, dept] for dt_, amt, sup, _sid, dept, _exp, tid in LINES]
    return write_csv(tmp / "words_only.csv", header, rows)


def period_yyyymm(tmp: Path) -> Path:
    """A payment period written as YYYYMM, "Supplier Name", "Amount"."""
    header = ["Period", "Supplier Name", "Amount", "Service Area", "Cost Centre"]
    rows = []
    for dt_, amt, sup, _sid, dept, exp, _tid in LINES:
        _, month, year = _day(dt_)
        rows.append([f"{year}{month:02d}", sup, amt, dept, exp])
    return write_csv(tmp / "period_yyyymm.csv", header, rows)


def month_abbrev(tmp: Path) -> Path:
    """"Feb-13"-style months in a "Month" column, "Vendor", "Value (£)"."""
    header = ["Month", "Vendor", "Value (£)", "Department", "Expense Type"]
    rows = []
    for dt_, amt, sup, _sid, dept, exp, _tid in LINES:
        _, month, year = _day(dt_)
        rows.append([f"{MONTHS[month - 1][:3]}-{year % 100:02d}", sup, amt, dept, exp])
    return write_csv(tmp / "month_abbrev.csv", header, rows)


def month_name(tmp: Path) -> Path:
    """"April 2024"-style months, "Beneficiary", "Net Amount"."""
    header = ["Payment Month", "Beneficiary", "Net Amount", "Directorate"]
    rows = []
    for dt_, amt, sup, _sid, dept, _exp, _tid in LINES:
        _, month, year = _day(dt_)
        rows.append([f"{MONTHS[month - 1]} {year}", sup, amt, dept])
    return write_csv(tmp / "month_name.csv", header, rows)


def financial_period(tmp: Path) -> Path:
    """Financial periods "2024-P01" (P01 = April of financial year 2024/25), "Merchant Name"."""
    header = ["Financial Period", "Merchant Name", "Amount", "Merchant Category"]
    rows = []
    for dt_, amt, sup, _sid, _dept, exp, _tid in LINES:
        _, month, year = _day(dt_)
        start = year if month >= 4 else year - 1
        rows.append([f"{start}-P{(month - 4) % 12 + 1:02d}", sup, amt, exp])
    return write_csv(tmp / "financial_period.csv", header, rows)


def quarter(tmp: Path) -> Path:
    """A quarterly file whose date column gives only the quarter, as a month range."""
    header = ["Quarter", "Supplier", "Total", "Service Area"]
    rows = [["Apr-Jun 2024", sup, amt, dept] for _dt, amt, sup, _sid, dept, _exp, _tid in LINES]
    return write_csv(tmp / "quarter.csv", header, rows)


def gross_vat_net(tmp: Path) -> Path:
    """"Payment Date", gross, VAT and net side by side (gross first)."""
    header = ["Payment Date", "Supplier Name", "Gross Amount", "VAT Amount", "Net Amount",
              "Directorate"]
    rows = [[dt_, sup, str(_net(amt) + _vat(amt)), str(_vat(amt)), amt, dept]
            for dt_, amt, sup, _sid, dept, _exp, _tid in LINES]
    return write_csv(tmp / "gross_vat_net.csv", header, rows)


def amount_vat_total(tmp: Path) -> Path:
    """"Date Paid", "Amount", "VAT" and "Total" (the total is the gross)."""
    header = ["Date Paid", "Supplier", "Total", "VAT", "Amount", "Expense Type"]
    rows = [[dt_, sup, str(_net(amt) + _vat(amt)), str(_vat(amt)), amt, exp]
            for dt_, amt, sup, _sid, _dept, exp, _tid in LINES]
    return write_csv(tmp / "amount_vat_total.csv", header, rows)


PREAMBLE = [
    "Spending over £500",
    "Published under the Open Government Licence v3.0",
    "",
    "Notes:",
    "1. Amounts exclude recoverable VAT",
    "2. Payments to individuals are redacted",
    "3. Some payments relate to more than one service",
    "Period covered: April to June 2024",
    "Source: finance system export",
    "Contact: transparency team",
    "",
    "Run date: 01/07/2024 09:12",
]


def preamble_totals_blank(tmp: Path) -> Path:
    """A dozen lines of export preamble, a blank column, a trailing totals row."""
    header = ["Transaction Date", "", "Beneficiary", "Value (£)", "Service Area",
              "Cost Centre", "Transaction Number"]
    path = tmp / "preamble_totals_blank.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        for line in PREAMBLE:
            handle.write(line + "\n")
        writer = csv.writer(handle)
        writer.writerow(header)
        for dt_, amt, sup, _sid, dept, exp, tid in LINES:
            writer.writerow([dt_, "", sup, amt, dept, exp, tid])
        total = sum((_net(a) for _d, a, *_ in LINES), Decimal(0))
        writer.writerow(["Total", "", "", str(total), "", "", ""])
    return path


def preamble_xlsx(tmp: Path) -> Path:
    """The same preamble in a workbook, "Payment Date", "Supplier Name", "Amount"."""
    import datetime as dt

    header = ["Payment Date", "Supplier Name", "Amount", "Directorate", "Expense Type"]
    rows = []
    for dt_, amt, sup, _sid, dept, exp, _tid in LINES:
        day, month, year = _day(dt_)
        rows.append([dt.datetime(year, month, day), sup, float(_net(amt)), dept, exp])
    return write_xlsx(tmp / "preamble.xlsx", header, rows, title_rows=PREAMBLE)


def semicolon_transaction(tmp: Path) -> Path:
    """Semicolon-separated, "Transaction Date", "Supplier Name", "Amount" with £ signs."""
    header = ["Transaction Date", "Supplier Name", "Amount", "Service Area"]
    path = tmp / "semicolon_transaction.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for dt_, amt, sup, _sid, dept, _exp, _tid in LINES:
            writer.writerow([dt_, sup, "£" + amt, dept])
    return path


SHAPES: dict[str, Callable[[Path], Path]] = {
    "clearing_date": clearing_date, "words_only": words_only, "period_yyyymm": period_yyyymm,
    "month_abbrev": month_abbrev, "month_name": month_name,
    "financial_period": financial_period, "quarter": quarter, "gross_vat_net": gross_vat_net,
    "amount_vat_total": amount_vat_total, "preamble_totals_blank": preamble_totals_blank,
    "preamble_xlsx": preamble_xlsx, "semicolon_transaction": semicolon_transaction,
}

# What each shape must be read as: the header of each field, and the precision of its dates.
EXPECTED: dict[str, tuple[dict[str, str], str]] = {
    "clearing_date": ({"date": "Clearing Date", "supplier": "Payee", "amount": "Spend",
                       "department": "Directorate", "expense_type": "Expense Type"}, "day"),
    "words_only": ({"date": "When Posted", "supplier": "Paid To Organisation",
                    "amount": "Sum Paid £"}, "day"),
    "period_yyyymm": ({"date": "Period", "supplier": "Supplier Name", "amount": "Amount",
                       "service": "Service Area"}, "month"),
    "month_abbrev": ({"date": "Month", "supplier": "Vendor", "amount": "Value (£)"}, "month"),
    "month_name": ({"date": "Payment Month", "supplier": "Beneficiary",
                    "amount": "Net Amount", "department": "Directorate"}, "month"),
    "financial_period": ({"date": "Financial Period", "supplier": "Merchant Name",
                          "amount": "Amount"}, "month"),
    "quarter": ({"date": "Quarter", "supplier": "Supplier", "amount": "Total",
                 "service": "Service Area"}, "quarter"),
    "gross_vat_net": ({"date": "Payment Date", "amount": "Net Amount",
                       "supplier": "Supplier Name"}, "day"),
    "amount_vat_total": ({"date": "Date Paid", "amount": "Amount", "supplier": "Supplier"},
                         "day"),
    "preamble_totals_blank": ({"date": "Transaction Date", "supplier": "Beneficiary",
                               "amount": "Value (£)", "service": "Service Area",
                               "transaction_id": "Transaction Number"}, "day"),
    "preamble_xlsx": ({"date": "Payment Date", "supplier": "Supplier Name",
                       "amount": "Amount"}, "day"),
    "semicolon_transaction": ({"date": "Transaction Date", "supplier": "Supplier Name",
                               "amount": "Amount"}, "day"),
}


def unmappable(tmp: Path, name: str = "export_raw.csv",
               header: Sequence[str] = ("Col A", "Col B", "Col C")) -> Path:
    """A file whose columns say nothing and hold no amounts: the engine cannot map it."""
    return write_csv(tmp / name, list(header), [["x", "Acme Catering Ltd", "n/a"],
                                                ["y", "Leeds Widgets Limited", "n/a"]])
