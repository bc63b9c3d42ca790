"""Small ledgers in the header layouts real councils publish (methods-and-data §6.1).

Every layout pays the same eight lines, so every layout must give the same figures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import write_csv, write_xlsx

# (date dd/mm/yyyy, amount text, supplier, supplier id, department, expense type, transaction id)
LINES = [
    ("01/04/2024", "1,000.00", "Acme Catering Ltd", "S1", "Adults", "Catering", "T1"),
    ("02/04/2024", "(200.00)", "ACME CATERING LIMITED", "S1", "Adults", "Catering", "T2"),
    ("03/04/2024", "2500.50", "Leeds Widgets Limited", "S2", "Highways", "Materials", "T3"),
    ("04/04/2024", "300.00", "REDACTED", "", "Children", "Care", "T4"),
    ("05/05/2024", "99.99", "Sheffield Steel plc", "S3", "Highways", "Materials", "T5"),
    ("06/05/2024", "5000.00", "HM Revenue & Customs", "S9", "Finance", "Tax", "T6"),
    ("07/05/2024", "700.00", "Calder Valley Community Trust", "S4", "Adults", "Care", "T7"),
    ("08/06/2024", "800.00", "Jersey Supplies", "S6", "Adults", "Catering", "T8"),
]
TOTAL = "5200.49"  # 1000 - 200 + 2500.50 + 300 + 99.99 + 700 + 800; HMRC excluded
EXCLUDED = "5000.00"
TIER1 = "1500.00"  # Acme (800) and the Calderdale community trust (700)


def devon(tmp: Path) -> Path:
    header = ["Body", "Name of Body", "Date", "Transaction Number", "Invoice Number", "Amount",
              "Supplier Name", "Supplier ID", "Vat Reg No", "Expense Area", "Expense Type",
              "Expense Code", "Creditor Type"]
    rows = [["E08000033", "Calderdale", dt_, tid, "INV" + tid, amt, sup, sid, "", dept, exp,
             "100", "Vendor"] for dt_, amt, sup, sid, dept, exp, tid in LINES]
    return write_csv(tmp / "devon.csv", header, rows)


def trafford(tmp: Path) -> Path:
    header = ["BeneficiaryName", "BeneficiaryOtherID", "VATRegistrationNumber", "Amount",
              "PaymentDate", "OrganisationalUnit", "ProclassLabel", "Purpose",
              "TransactionNumber"]
    rows = [[sup, sid, "", amt, dt_, dept, exp, "Goods", tid]
            for dt_, amt, sup, sid, dept, exp, tid in LINES]
    return write_csv(tmp / "trafford.csv", header, rows)


def cheshire_east(tmp: Path) -> Path:
    header = ["OrganisationLabel", "OrganisationURI", "EffectiveDate", "OrganisationalUnit",
              "BeneficiaryName", "Supplier_Number", "PaymentDate", "TransactionNumber", "Amount",
              "Purpose", "ProclassLabel_level1", "ProclassLabel_level2", "ProclassLabel_level3"]
    rows = [["Cheshire East", "http://x", "01/01/2020", dept, sup, sid, dt_, tid, amt, "Goods",
             exp, "", ""] for dt_, amt, sup, sid, dept, exp, tid in LINES]
    return write_csv(tmp / "cheshire_east.csv", header, rows)


def cannock_chase(tmp: Path) -> Path:
    header = ["Service_Area_Categorisation", "Expenses_Type", "Payment_Date",
              "SumOfAmount_Inc_VAT", "SumOfAmount_Exc_VAT", "Capital_Revenue", "Supplier_Name",
              "Supplier_ID", "Contract_ID"]
    rows = [[dept, exp, dt_, "999999.99", amt, "Revenue", sup, sid, ""]
            for dt_, amt, sup, sid, dept, exp, tid in LINES]
    return write_csv(tmp / "cannock_chase.csv", header, rows)


def nottingham(tmp: Path) -> Path:
    """Annual XLSX with a title row, real date cells, numeric amounts and Supplier Post Code."""
    import datetime as dt

    from keepitlocal.money import parse_amount

    header = ["Department", "Supplier Name", "Supplier Post Code", "Payment Date", "Amount",
              "Expense Type", "Transaction Number"]
    postcodes = {"S1": "HX1 1AA"}
    rows = []
    for dt_, amt, sup, sid, dept, exp, tid in LINES:
        day, month, year = (int(x) for x in dt_.split("/"))
        rows.append([dept, sup, postcodes.get(sid, ""), dt.datetime(year, month, day),
                     float(parse_amount(amt)), exp, tid])
    return write_xlsx(tmp / "nottingham.xlsx", header, rows,
                      title_rows=["Nottingham City Council spending over £500 2024/25"])


def shropshire(tmp: Path) -> Path:
    """String amounts with thousands commas and a 'Personal redaction' placeholder; cp1252."""
    header = ["Supplier Name", "Amount", "Date", "Service Area", "Expense Type",
              "Transaction Ref", "Supplier Ref"]
    rows = []
    for dt_, amt, sup, sid, dept, exp, tid in LINES:
        day, month, year = dt_.split("/")
        rows.append(["Personal redaction" if sup == "REDACTED" else sup, f"£{amt}",
                     f"{int(day)}-{['Jan','Feb','Mar','Apr','May','Jun'][int(month) - 1]}-{year}",
                     dept, exp, tid, sid])
    return write_csv(tmp / "shropshire.csv", header, rows, encoding="cp1252")


LAYOUTS: dict[str, Callable[[Path], Path]] = {
    "devon": devon, "trafford": trafford, "cheshire_east": cheshire_east,
    "cannock_chase": cannock_chase, "nottingham": nottingham, "shropshire": shropshire,
}
