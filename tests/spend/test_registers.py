"""National registers loaded once into the shared store, then matched by every analysis: by
company number, by charity number, by name; and what placed each pound."""

from __future__ import annotations

import csv
import datetime as dt
import io as _io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from keepitlocal.cli import main
from keepitlocal.registers import companies_house, contracts_finder
from keepitlocal.registers.load import load
from keepitlocal.registers.store import DuckDBStore, open_store
from keepitlocal.spend import SpendOptions, analyse

from .conftest import CALDERDALE, write_csv

# The published header, with its leading spaces, in its published order (abridged).
CH_HEADER = ["CompanyName", " CompanyNumber", "RegAddress.CareOf", "RegAddress.POBox",
             "RegAddress.AddressLine1", " RegAddress.AddressLine2", "RegAddress.PostTown",
             "RegAddress.County", "RegAddress.Country", "RegAddress.PostCode",
             "CompanyCategory", "CompanyStatus", "CountryOfOrigin", "DissolutionDate",
             "IncorporationDate", "Accounts.AccountRefDay", "Accounts.AccountRefMonth",
             "Accounts.NextDueDate", "Accounts.LastMadeUpDate", "Accounts.AccountCategory"]


def ch_row(name: str, number: str, postcode: str, category: str, accounts: str) -> list[str]:
    row = dict.fromkeys(CH_HEADER, "")
    row.update({"CompanyName": name, " CompanyNumber": number, "RegAddress.PostCode": postcode,
                "RegAddress.Country": "ENGLAND", "CompanyCategory": category,
                "CompanyStatus": "Active", "Accounts.AccountCategory": accounts})
    return list(row.values())


def companies_zip(path: Path) -> Path:
    text = _io.StringIO()
    writer = csv.writer(text)
    writer.writerow(CH_HEADER)
    writer.writerow(ch_row("HALIFAX COMMUNITY CAFE C.I.C.", "11111111", "HX1 1AA",
                           "Community Interest Company", "MICRO ENTITY"))
    writer.writerow(ch_row("BIG CORP PLC", "22222222", "M1 1AA", "Public Limited Company",
                           "FULL"))
    writer.writerow(ch_row("BRIGHOUSE BUILDERS AND SONS LIMITED", "03333333", "HD6 1AA",
                           "Private Limited Company", "TOTAL EXEMPTION FULL"))
    writer.writerow(ch_row("", "", "", "", ""))  # a blank row the reader reports
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("BasicCompanyDataAsOneFile-2024-05-01.csv", text.getvalue())
    return path


def charity(organisation: int, number: int, name: str, *, linked: int = 0,
            postcode: str = "HX1 1AA", income: int = 10000, removed: str | None = None
            ) -> dict[str, object]:
    """A `charity` record as the Commission's JSON extract gives it (fields abridged)."""
    return {"date_of_extract": "2024-09-14T00:00:00", "organisation_number": organisation,
            "registered_charity_number": number, "linked_charity_number": linked,
            "charity_name": name, "charity_type": "Other",
            "charity_registration_status": "Removed" if removed else "Registered",
            "date_of_registration": "2001-05-17T00:00:00",
            "date_of_removal": f"{removed}T00:00:00" if removed else None,
            "latest_income": income, "latest_expenditure": income,
            "charity_contact_postcode": postcode, "charity_company_registration_number": None,
            "charity_is_cio": False}


def json_array(records: list[dict[str, object]]) -> bytes:
    return ("\ufeff[" + ",".join(json.dumps(r) for r in records) + "]").encode("utf-8")


def charities_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("publicextract.charity.json", json_array([
            charity(1, 500001, "Pennine Hospice", postcode="HX3 6AA", income=3000000),
            charity(2, 500001, "Pennine Hospice Shops", linked=1, postcode="LS1 1AA"),
            charity(3, 600002, "Old Charity", removed="2019-01-01")]))
    return path


def awards_json(path: Path) -> Path:
    path.write_text(json.dumps({
        "uri": "https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search",
        "publishedDate": "2024-06-30T09:00:00Z",
        "releases": [{
            "ocid": "ocds-b5fd17-1", "date": "2024-06-01T00:00:00Z", "tag": ["award"],
            "parties": [
                {"id": "GB-GOR-1", "name": "Calderdale Council", "roles": ["buyer"]},
                {"id": "GB-COH-04444444", "name": "PENNINE GROUNDS MAINTENANCE LTD",
                 "identifier": {"scheme": "GB-COH", "id": "04444444"},
                 "address": {"streetAddress": "1 Mill Lane", "locality": "Halifax",
                             "postalCode": "HX3 6AA", "countryName": "England"},
                 "roles": ["supplier"]},
                {"id": "CF-2", "name": "Sole Trader Plumbing",
                 "address": {"postalCode": "LS1 1AA"}, "roles": ["supplier"]},
            ],
            "awards": [{"id": "1", "suppliers": [{"id": "GB-COH-04444444"}, {"id": "CF-2"}]}],
        }]}), encoding="utf-8")
    return path


@pytest.fixture()
def loaded(tmp_path: Path) -> Path:
    """A store with all three registers loaded, through the command line, once."""
    db = tmp_path / "registers.duckdb"
    runner = CliRunner()
    for kind, file in (("companies-house", companies_zip(tmp_path / "BasicCompanyData.zip")),
                       ("charities", charities_zip(tmp_path / "publicextract.charity.zip")),
                       ("contracts-finder", awards_json(tmp_path / "awards.json"))):
        result = runner.invoke(main, ["registers", "load", kind, str(file), "--store", str(db)])
        assert result.exit_code == 0, result.output
    return db


def test_load_keeps_the_publication_date_and_lists_it(loaded: Path) -> None:
    result = CliRunner().invoke(main, ["registers", "list", "--store", str(loaded), "--json"])
    listed = {r["register"]: r for r in json.loads(result.output)}
    assert listed["companies_house"]["published"] == "2024-05-01"
    assert listed["companies_house"]["rows"] == 3
    assert listed["charity_commission"]["published"] == "2024-09-14"
    assert listed["charity_commission"]["rows"] == 1  # main, registered charities only
    assert listed["contracts_finder"]["published"] == "2024-06-30"
    assert listed["contracts_finder"]["rows"] == 2  # suppliers, not the buyer
    text = CliRunner().invoke(main, ["registers", "list", "--store", str(loaded)]).output
    assert "published 2024-05-01" in text and "BasicCompanyData.zip" in text


def test_reloading_replaces_the_register(tmp_path: Path, loaded: Path) -> None:
    with open_store(loaded) as store:
        load(store, "companies-house", companies_zip(tmp_path / "again-2024-06-01.zip"))
        listed = {x.kind: x for x in store.loaded()}
        assert listed["companies_house"].rows == 3
        assert listed["companies_house"].published == dt.date(2024, 6, 1)
        assert len(store.register(["companies_house"])) == 3


def test_readers_report_bad_rows_and_refuse_other_files(tmp_path: Path) -> None:
    report = companies_house.ReadReport("x", "companies_house")
    rows = list(companies_house.read(companies_zip(tmp_path / "ch.zip"), report))
    assert [r["company_number"] for r in rows] == ["11111111", "22222222", "03333333"]
    assert rows[0]["sector"] == "vcse" and rows[0]["size"] == "sme"
    assert rows[1]["size"] == "large"
    assert report.rows == 4 and "row 5" in str(report.problems[0])
    other = write_csv(tmp_path / "other.csv", ["Name", "Number"], [["A", "1"]])
    with pytest.raises(Exception, match="not a Companies House"):
        list(companies_house.read(other))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(Exception, match="not JSON"):
        list(contracts_finder.read(bad))


HEADER = ["Date", "Supplier Name", "Amount", "Company Number", "Charity Number"]


@pytest.mark.parametrize("council", [CALDERDALE, "E08000035"])  # Calderdale, then Leeds
def test_two_analyses_match_the_registers_loaded_once(loaded: Path, tmp_path: Path, store,
                                                      council: str) -> None:  # type: ignore[no-untyped-def]
    ledger = write_csv(tmp_path / f"{council}.csv", HEADER, [
        ["01/04/2024", "Cafe on the Corner", "100.00", "11111111", ""],  # by company number
        ["01/04/2024", "The Hospice", "50.00", "", "500001"],  # by charity number
        ["01/04/2024", "Brighouse Builders & Sons Ltd", "25.00", "", ""],  # by name
        ["01/04/2024", "Pennine Grounds Maintenance Limited", "10.00", "", ""],  # Contracts
        ["01/04/2024", "Nobody Known", "5.00", "", ""],
    ])
    with open_store(loaded, read_only=True) as national:
        before = national.loaded()
        result = analyse([ledger], None, council, SpendOptions(store=store, registers=national))
        assert national.loaded() == before  # used, not loaded again
    methods = result.matching.by_method
    assert methods["company_number"] == 1 and methods["charity_number"] == 1
    assert methods["name"] == 2 and methods["none"] == 1
    assert result.matching.spend_by_source == {
        "companies_house": Decimal("125.00"), "charity_commission": Decimal("50.00"),
        "contracts_finder": Decimal("10.00"), "not placed": Decimal("5.00")}
    assert result.vcse_spend == Decimal("150.00")
    local = result.tiers[0].spend
    assert local == (Decimal("185.00") if council == CALDERDALE else Decimal("0.00"))
    assert any("published 2024-05-01" in s for s in result.provenance["register_sources"])


def test_an_empty_store_reads_as_no_registers(tmp_path: Path) -> None:
    with DuckDBStore(tmp_path / "none.duckdb", read_only=True) as empty:
        assert empty.loaded() == [] and len(empty.register()) == 0
