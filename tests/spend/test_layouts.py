"""Six real council header layouts: detected without help, and all giving the same figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from keepitlocal.spend import SpendOptions, analyse, detect, drill_down
from keepitlocal.spend import io as spend_io

from .conftest import CALDERDALE
from .layouts import EXCLUDED, LAYOUTS, TIER1, TOTAL

EXPECTED_COLUMNS = {
    "devon": {"date": "Date", "amount": "Amount", "supplier": "Supplier Name",
              "supplier_id": "Supplier ID", "transaction_id": "Transaction Number",
              "department": "Expense Area", "expense_type": "Expense Type",
              "vat_number": "Vat Reg No"},
    "trafford": {"date": "PaymentDate", "amount": "Amount", "supplier": "BeneficiaryName",
                 "supplier_id": "BeneficiaryOtherID", "vat_number": "VATRegistrationNumber",
                 "department": "OrganisationalUnit", "expense_type": "ProclassLabel",
                 "description": "Purpose", "transaction_id": "TransactionNumber"},
    "cheshire_east": {"date": "PaymentDate", "supplier": "BeneficiaryName",
                      "supplier_id": "Supplier_Number", "department": "OrganisationalUnit",
                      "expense_type": "ProclassLabel_level1", "amount": "Amount"},
    "cannock_chase": {"amount": "SumOfAmount_Exc_VAT", "service": "Service_Area_Categorisation",
                      "supplier": "Supplier_Name", "supplier_id": "Supplier_ID",
                      "date": "Payment_Date", "expense_type": "Expenses_Type"},
    "nottingham": {"postcode": "Supplier Post Code", "supplier": "Supplier Name",
                   "date": "Payment Date", "amount": "Amount", "department": "Department"},
    "shropshire": {"amount": "Amount", "supplier": "Supplier Name", "service": "Service Area",
                   "supplier_id": "Supplier Ref", "transaction_id": "Transaction Ref"},
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_columns_detected(layout: str, tmp_path: Path) -> None:
    loaded = spend_io.peek(LAYOUTS[layout](tmp_path), tmp_path)
    columns, _ = detect(loaded.headers)
    for field, header in EXPECTED_COLUMNS[layout].items():
        assert columns.get(field) == header, (field, columns)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_same_figures_from_every_layout(layout: str, tmp_path: Path, suppliers: Path,
                                        options: SpendOptions) -> None:
    result = analyse([LAYOUTS[layout](tmp_path)], suppliers, CALDERDALE, options)
    assert result.total == Decimal(TOTAL)
    assert result.excluded_total == Decimal(EXCLUDED)
    assert result.tiers[0].spend == Decimal(TIER1)
    assert result.redacted_spend == Decimal("300.00")
    assert result.outside_uk_spend == Decimal("800.00")
    assert result.lines.read == 8
    assert (result.lines.used, result.lines.excluded, result.lines.duplicate,
            result.lines.unusable) == (7, 1, 0, 0)
    assert result.lines.credit_notes == 1
    assert result.credit_note_total == Decimal("-200.00")
    assert result.vcse_spend == Decimal("700.00")
    assert [t.tier for t in result.tiers] == [1, 2, 3, 4]
    assert result.tiers[-1].cumulative_share + (
        result.outside_uk_spend + result.unknown_spend + result.redacted_spend
    ) / result.total == pytest.approx(Decimal(1), abs=Decimal("0.0002"))


def test_encoding_and_date_styles_reported(tmp_path: Path, suppliers: Path,
                                           options: SpendOptions) -> None:
    result = analyse([LAYOUTS["shropshire"](tmp_path)], suppliers, CALDERDALE, options)
    assert result.files[0].encoding in {"cp1252", "windows-1252", "latin_1", "iso8859_15"}
    assert result.lines.undated == 0
    assert [m.name for m in result.by_month] == ["2024-04", "2024-05", "2024-06"]
    assert [q.name for q in result.by_quarter] == ["2024-25 Q1"]


def test_xlsx_title_row_skipped_and_ledger_postcode_used(tmp_path: Path, suppliers: Path,
                                                         options: SpendOptions) -> None:
    result = analyse([LAYOUTS["nottingham"](tmp_path)], suppliers, CALDERDALE, options)
    assert result.files[0].header_row == 2
    acme = drill_down(result, supplier_ref="S1")
    assert [r["row"] for r in acme] == [3, 4]
    assert sum(r["amount"] for r in acme) == Decimal("800.00")


def test_drill_down_adds_up_to_each_tier(tmp_path: Path, suppliers: Path,
                                         options: SpendOptions) -> None:
    result = analyse([LAYOUTS["devon"](tmp_path)], suppliers, CALDERDALE, options)
    for tier in result.tiers:
        lines = drill_down(result, tier=tier.tier)
        assert sum((r["amount"] for r in lines), Decimal(0)) == tier.spend
    excluded = drill_down(result, status="excluded")
    assert [(r["row"], r["reason"]) for r in excluded] == [(7, "hmrc")]
    adults = drill_down(result, department="Adults")
    assert sum(r["amount"] for r in adults) == Decimal("2300.00")
