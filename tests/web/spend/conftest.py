"""Fixtures for local spend in the web app: a council, its ledgers in two real header layouts
(Devon's CSV and Trafford's columns in an XLSX) and its supplier register."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from keepitlocal.web.spend import services
from keepitlocal.web.spend.models import SpendAnalysis

CALDERDALE = "E08000033"
DEVON_HEADER = ["Body", "Name of Body", "Date", "Transaction Number", "Invoice Number", "Amount",
                "Supplier Name", "Supplier ID", "Vat Reg No", "Expense Area", "Expense Type",
                "Expense Code", "Creditor Type"]
# (date, amount text, supplier, supplier id, department, expense type, transaction)
APRIL = [
    ("01/04/2024", "1,000.00", "Acme Catering Ltd", "S1", "Adults", "Catering", "T1"),
    ("02/04/2024", "(200.00)", "ACME CATERING LIMITED", "S1", "Adults", "Catering", "T2"),
    ("03/04/2024", "2500.50", "Leeds Widgets Limited", "S2", "Highways", "Materials", "T3"),
    ("04/04/2024", "300.00", "REDACTED", "", "Children", "Care", "T4"),
    ("05/04/2024", "5000.00", "HM Revenue & Customs", "", "Finance", "Tax", "T5"),
    ("08/04/2024", "700.00", "Calder Valley Community Trust", "S4", "Adults", "Care", "T6"),
    ("09/04/2024", "1200.00", "Kirklees Council", "", "Adults", "Care", "T7"),
    ("10/04/2024", "950.00", "Todmorden Fresh Food Co", "", "Children", "Catering", "T8"),
    ("", "8,450.50", "", "", "", "", ""),  # a totals row: unusable, never counted
]
TRAFFORD_HEADER = ["BeneficiaryName", "BeneficiaryOtherID", "VATRegistrationNumber", "Amount",
                   "PaymentDate", "OrganisationalUnit", "ProclassLabel", "Purpose",
                   "TransactionNumber"]
MAY = [
    (dt.date(2024, 5, 2), 1500.0, "Acme Catering Ltd", "S1", "Adults", "Catering", "T9"),
    (dt.date(2024, 5, 3), 99.99, "Sheffield Steel PLC", "S3", "Highways", "Materials", "T10"),
    (dt.date(2024, 5, 7), 800.0, "Jersey Supplies", "S6", "Adults", "Catering", "T11"),
    (dt.date(2024, 5, 8), 640.0, "Brighouse Builders & Sons", "S7", "Highways", "Repairs", "T12"),
    (dt.date(2024, 5, 9), 400.0, "Todmorden Fresh Food Co", "", "Children", "Catering", "T13"),
    (dt.date(2024, 5, 10), 350.0, "Mystery Holdings", "S8", "Finance", "Consultancy", "T14"),
]
REGISTER_HEADER = ["Supplier Name", "Supplier ID", "Post Code", "Company Number",
                   "Charity Number", "Organisation Type", "SME"]
REGISTER = [
    ["Acme Catering Limited", "S1", "HX1 1UJ", "01234567", "", "Private", "Yes"],
    ["Leeds Widgets Ltd", "S2", "LS1 4DY", "", "", "Private", "No"],
    ["Sheffield Steel PLC", "S3", "S1 2HE", "", "", "Private", "No"],
    ["Calder Valley Community Trust", "S4", "HX7 8AD", "", "1100001", "Charity", "Yes"],
    ["Jersey Supplies", "S6", "JE2 3AB", "", "", "Private", ""],
    ["Brighouse Builders & Sons", "S7", "HD6 1PE", "", "", "Private", "Yes"],
    ["Mystery Holdings", "S8", "", "", "", "", ""],
    ["Todmorden Fresh Foods Ltd", "S9", "OL14 5HQ", "", "", "Private", "Yes"],
]


def april_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DEVON_HEADER)
    for date, amount, supplier, sid, dept, expense, tid in APRIL:
        writer.writerow([CALDERDALE if supplier else "", "Calderdale Council" if supplier else "",
                         date, tid, f"INV{tid}" if tid else "", amount, supplier, sid, "", dept,
                         expense, "", "Vendor" if supplier else ""])
    return out.getvalue().encode("utf-8")


def may_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(TRAFFORD_HEADER)
    for date, amount, supplier, sid, dept, expense, tid in MAY:
        sheet.append([supplier, sid, "", amount, date, dept, expense, "Goods", tid])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def register_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REGISTER_HEADER)
    writer.writerows(REGISTER)
    return out.getvalue().encode("utf-8")


FILES = {"april.csv": april_csv, "may.xlsx": may_xlsx, "suppliers.csv": register_csv}


def write_files(folder: Path) -> dict[str, Path]:
    paths = {}
    for name, make in FILES.items():
        paths[name] = folder / name
        paths[name].write_bytes(make())
    return paths


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, FILES[name]() if content is None else content)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files and line tables go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def council(make_org: Callable[..., Any]) -> Any:
    return make_org("Calderdale Council", kind="council")


@pytest.fixture
def editor(make_member: Callable[..., Any], council: Any) -> Any:
    return make_member("editor@example.org", council, "editor")


@pytest.fixture
def viewer(make_member: Callable[..., Any], council: Any) -> Any:
    return make_member("viewer@example.org", council, "viewer")


@pytest.fixture
def make_analysis(db: Any) -> Callable[..., SpendAnalysis]:
    """make_analysis(org, files=True, run=False) -> SpendAnalysis with the ledgers and register."""

    def make(org: Any, name: str = "Spending 2024/25", files: bool = True,
             run: bool = False, target: str | None = "0.60") -> SpendAnalysis:
        from decimal import Decimal

        analysis = services.analysis_create(
            org=org, user=None, name=name, council_code=CALDERDALE,
            target_share=Decimal(target) if target else None, shift_share=Decimal("0.10"))
        if files:
            services.ledger_add(analysis, upload=upload("april.csv"), user=None)
            services.ledger_add(analysis, upload=upload("may.xlsx"), user=None)
            services.register_set(analysis, upload=upload("suppliers.csv"), user=None)
        if run:
            services.run_start(analysis, None)
        return analysis

    return make


@pytest.fixture
def analysed(make_analysis: Callable[..., SpendAnalysis], council: Any) -> SpendAnalysis:
    """An analysis of the council with its files, run once (tasks run at once in the tests)."""
    return make_analysis(council, run=True)


@pytest.fixture
def sign_in_to(live_server: Any) -> Callable[[Any, Any, Any], None]:
    """sign_in_to(page, user, org): a signed-in session working in `org`."""
    from django.conf import settings
    from django.test import Client

    from keepitlocal.web.accounts.access import SESSION_KEY

    def do(page: Any, user: Any, org: Any) -> None:
        client = Client()
        client.force_login(user)
        session = client.session
        session[SESSION_KEY] = org.pk
        session.save()
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                   "value": session.session_key, "url": live_server.url}])

    return do


@pytest.fixture()
def loaded_store(tmp_path: Path, monkeypatch: Any) -> Iterator[str]:
    """Companies House loaded into the store the web reads (a DuckDB file of the test's own,
    or the tables of the test database on PostgreSQL); yields the page's words for it."""
    from keepitlocal.registers import store as register_store
    from keepitlocal.registers.load import load
    from keepitlocal.web.spend import selectors

    from .test_national import CH_NAME, companies_csv

    file = tmp_path / CH_NAME
    file.write_bytes(companies_csv())
    conninfo = selectors.database_conninfo()
    if conninfo is not None:
        with register_store.PostgresStore(conninfo) as store:
            load(store, "companies-house", file)
            yield "PostgreSQL database"
            store.drop()
        return
    path = tmp_path / "registers.duckdb"
    monkeypatch.setattr(register_store, "default_path", lambda: path)
    with register_store.open_store(path) as store:
        load(store, "companies-house", file)
    yield "They are kept in the DuckDB file registers.duckdb in the data folder."
