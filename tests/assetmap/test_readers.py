"""The register readers on files in the published layouts, including the awkward parts."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepitlocal.errors import InputError
from keepitlocal.registers import ccni, charity_commission, grants360, oscr
from keepitlocal.registers.fields import ReadReport, norm_company

from . import layouts as L


def _charities(path: Path) -> tuple[list, ReadReport]:
    report = ReadReport(path.name, "ccew")
    return list(charity_commission.read_charities(path, report)), report


def test_zipped_json_with_bom_reads_main_linked_and_removed(tmp_path: Path) -> None:
    path = L.write_table(tmp_path, "charity", [
        L.charity(1, 1100001, "Calder Valley Food Bank", income=312000, company="08123456"),
        L.charity(2, 1100001, "Calder Valley Food Bank Halifax Branch", linked=1),
        L.charity(3, 500123, "Old Mill Trust", removed="2019-06-30", registered="1965-01-01"),
        L.charity(4, 1100002, "No Postcode Group", postcode=None),
    ])
    rows, report = _charities(path)
    assert [r.number for r in rows] == ["1100001", "1100001-1", "500123", "1100002"]
    main, linked, removed, no_postcode = rows
    assert main.main and not linked.main and linked.charity_number == "1100001"
    assert main.income == Decimal(312000) and main.company_number == "08123456"
    assert not removed.active and removed.removed == date(2019, 6, 30)
    assert removed.registered == date(1965, 1, 1)
    assert no_postcode.postcode is None
    assert report.published == date(2026, 11, 30) and report.rows == 4 and not report.problems


def test_plain_json_without_bom_and_table_found_by_fields(tmp_path: Path) -> None:
    path = tmp_path / "download.json"
    path.write_bytes(L.json_array([L.charity(1, 1100001, "A")], bom=False))
    assert [t.table for t in charity_commission.find_tables(path)] == ["charity"]
    rows, _ = _charities(path)
    assert rows[0].name == "A"


def test_one_zip_holding_every_table(tmp_path: Path) -> None:
    path = tmp_path / "extract.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("publicextract.charity.json", L.json_array([L.charity(1, 1, "A")]))
        archive.writestr("publicextract.charity_classification.json",
                         L.json_array([L.classification(1, 1, 101, "What", "General Charitable Purposes")]))
        archive.writestr("publicextract.charity_area_of_operation.json",
                         L.json_array([L.area(1, 1, "Calderdale")]))
        archive.writestr("publicextract.charity_annual_return_parta.json",
                         L.json_array([L.annual_return(1, 1, 2025, 1000, 200, 100)]))
    tables = {t.table: t for t in charity_commission.find_tables(path)}
    assert set(tables) == set(charity_commission.TABLES)
    (ret,) = charity_commission.read_annual_returns(tables["charity_annual_return_parta"])
    assert (ret.government_contracts, ret.government_grants) == (Decimal(200), Decimal(100))
    assert ret.period_end == date(2025, 3, 31)
    (cls,) = charity_commission.read_classifications(tables["charity_classification"])
    assert (cls.kind, cls.description) == ("What", "General Charitable Purposes")
    (aoo,) = charity_commission.read_areas_of_operation(tables["charity_area_of_operation"])
    assert aoo.description == "Calderdale" and aoo.kind == "Local Authority"


def test_malformed_values_reported_with_row_and_column(tmp_path: Path) -> None:
    path = L.write_table(tmp_path, "charity", [
        L.charity(1, 1, "Fine"),
        L.charity(2, 2, "Bad income", income="lots"),
        L.charity(3, None, "No number"),
        L.charity(4, 4, "Bad date", registered="31st June"),
    ])
    rows, report = _charities(path)
    assert [r.name for r in rows] == ["Fine", "Bad income", "Bad date"]
    assert rows[1].income is None
    found = {(p.row, p.column) for p in report.problems}
    assert found == {(2, "latest_income"), (2, "latest_expenditure"), (3, "registered_charity_number"),
                     (4, "date_of_registration")}
    assert all(p.file and p.file.endswith("publicextract.charity.json") for p in report.problems)


def test_broken_json_names_the_record(tmp_path: Path) -> None:
    good = L.json_array([L.charity(1, 1, "A"), L.charity(2, 2, "B")], bom=True)
    path = tmp_path / "publicextract.charity.json"
    path.write_bytes(good[:-40] + b'"oops": }]')
    with pytest.raises(InputError) as caught:
        _charities(path)
    (problem,) = caught.value.problems
    assert problem.row == 2 and "not valid JSON" in problem.message
    assert problem.file == "publicextract.charity.json"


def test_wrong_kind_of_file_refused_saying_what_was_expected(tmp_path: Path) -> None:
    path = L.write_csv(tmp_path / "suppliers.csv", ["Supplier", "Amount"], [{"Supplier": "x", "Amount": 1}])
    with pytest.raises(InputError, match="publicextract"):
        charity_commission.find_tables(path)
    parta = L.write_table(tmp_path, "charity_annual_return_parta", [L.annual_return(1, 1, 2025, 5)])
    with pytest.raises(InputError, match="not charity"):
        _charities(parta)
    with pytest.raises(InputError, match="OSCR"):
        list(oscr.read(path))
    with pytest.raises(InputError, match="CCNI"):
        list(ccni.read(path))
    with pytest.raises(InputError, match="360Giving"):
        list(grants360.read(path))


def test_tab_separated_older_extract(tmp_path: Path) -> None:
    path = tmp_path / "publicextract.charity.txt"
    fields = ["registered_charity_number", "linked_charity_number", "charity_name",
              "charity_registration_status", "latest_income", "charity_contact_postcode",
              "organisation_number"]
    path.write_text("\ufeff" + "\t".join(fields) + "\n" + "\t".join(
        ["1100001", "0", "Tab Trust", "Registered", "5000", "HX1 1AA", "7"]) + "\n",
        encoding="utf-8")
    rows, _ = _charities(path)
    assert rows[0].name == "Tab Trust" and rows[0].income == Decimal(5000)


def test_large_record_split_across_read_chunks(tmp_path: Path) -> None:
    long_text = "x" * (3 << 20)
    path = L.write_table(tmp_path, "charity", [L.charity(1, 1, "A", activities=long_text),
                                               L.charity(2, 2, "B")], zipped=False)
    rows, _ = _charities(path)
    assert [len(r.activities or "") for r in rows] == [len(long_text), len("Community activities.")]


def test_oscr_current_and_former(tmp_path: Path) -> None:
    path = L.write_csv(tmp_path / "CharityExport-30-Nov-2026.csv", L.OSCR_FIELDS, [
        L.oscr_row("SC012345", "Govan Community Trust", "G51 3UU"),
        L.oscr_row("SC099999", "Wound Up Fund", "", **{"Charity Status": "Removed",
                                                       "Ceased Date": "01/02/2020"}),
        L.oscr_row("12345", "Not Scottish", "G1 1AA"),
    ])
    report = ReadReport(path.name, "oscr")
    rows = list(oscr.read(path, report))
    assert [r.number for r in rows] == ["SC012345", "SC099999"]
    assert rows[0].income == Decimal(25000) and rows[0].registered == date(1998, 3, 12)
    assert "The relief of those in need by reason of age, ill-health, disability, financial " \
           "hardship or other disadvantage" in rows[0].classifications
    assert rows[1].postcode is None
    assert [(p.row, p.column) for p in report.problems] == [(4, "Charity Number")]


def test_ccni_windows_1252_postcode_from_address(tmp_path: Path) -> None:
    path = L.write_csv(tmp_path / "ccni.csv", L.CCNI_FIELDS, [
        L.ccni_row(100123, "Féile an Phobail", "12 Falls Road, Belfast, BT12 6AB",
                   **{"Company number": "NI012345"}),
        L.ccni_row(100124, "Closed Club", "Derry", Status="Removed"),
    ], encoding="cp1252")
    rows = list(ccni.read(path))
    assert rows[0].name == "Féile an Phobail" and rows[0].postcode == "BT12 6AB"
    assert rows[0].number == "NIC100123" and rows[0].company_number == "NI012345"
    assert "Community development" in rows[0].classifications
    assert rows[1].postcode is None and not rows[1].active


def test_360giving_csv_and_json(tmp_path: Path) -> None:
    path = L.write_csv(tmp_path / "grants.csv", L.GRANTS_FIELDS, [
        {"Identifier": "360G-X-1", "Currency": "GBP", "Amount Awarded": "5,000",
         "Award Date": "2025-06-01", "Recipient Org:Identifier": "GB-CHC-1100001",
         "Recipient Org:Name": "Calder Valley Food Bank", "Funding Org:Name": "A Fund"},
        {"Identifier": "360G-X-2", "Currency": "EUR", "Amount Awarded": "100",
         "Recipient Org:Identifier": "GB-COH-123"},
        {"Identifier": "360G-X-3", "Amount Awarded": "1500.50",
         "Recipient Org:Identifier": "GB-COH-SC123", "Award Date": "01/04/2024"},
    ])
    report = ReadReport(path.name, "360giving")
    grants = list(grants360.read(path, report))
    assert [g.charity_number for g in grants] == ["1100001", None]
    assert grants[1].company_number == "SC000123" and grants[1].amount == Decimal("1500.50")
    assert [(p.row, p.column) for p in report.problems] == [(3, "Currency")]
    package = tmp_path / "grants.json"
    package.write_text(json.dumps({"grants": [{
        "id": "360G-Y-1", "amountAwarded": 2500, "currency": "GBP", "awardDate": "2024-01-05",
        "recipientOrganization": [{"id": "GB-NIC-100123", "name": "Féile", "postalCode": "BT12 6AB"}],
        "fundingOrganization": [{"id": "GB-GOR-X", "name": "Funder"}]}]}), encoding="utf-8")
    (grant,) = grants360.read(package)
    assert grant.charity_number == "NIC100123" and grant.postcode == "BT12 6AB"


@given(st.integers(min_value=1, max_value=99_999_999))
def test_company_numbers_padded_to_eight(number: int) -> None:
    assert norm_company(str(number)) == str(number).zfill(8)
    assert norm_company(f"SC{number % 1_000_000}") == f"SC{number % 1_000_000:06d}"
