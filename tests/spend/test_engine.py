"""The engine's other promises: duplicates, exclusions, tiers files, county councils, targets,
the LM3 shift estimate, national registers and the JSON contract."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from keepitlocal.errors import InputError
from keepitlocal.spend import SpendOptions, analyse, result_to_dict
from keepitlocal.spend import tiers as spend_tiers

from .conftest import CALDERDALE, write_csv

HEADER = ["Transaction Number", "Date", "Supplier Name", "Amount", "Department", "Expense Type"]


def test_duplicates_across_overlapping_files(tmp_path: Path, suppliers: Path,
                                             options: SpendOptions) -> None:
    april = [["T1", "01/04/2024", "Acme Catering Ltd", "100.00", "Adults", "Food"],
             ["T1", "01/04/2024", "Acme Catering Ltd", "40.00", "Adults", "Drink"],
             ["T2", "02/04/2024", "Leeds Widgets Ltd", "10.00", "Highways", "Parts"]]
    quarter = [*april, ["T3", "03/05/2024", "Leeds Widgets Ltd", "20.00", "Highways", "Parts"]]
    no_ids = [["", "04/05/2024", "Acme Catering Ltd", "5.00", "Adults", "Food"],
              ["", "04/05/2024", "Acme Catering Ltd", "5.00", "Adults", "Food"]]
    files = [write_csv(tmp_path / "apr.csv", HEADER, april),
             write_csv(tmp_path / "q1.csv", HEADER, quarter + no_ids),
             write_csv(tmp_path / "may.csv", HEADER, no_ids[:1])]
    result = analyse(files, suppliers, CALDERDALE, options)
    # A transaction split over two lines is kept; a repeat inside one file is kept (councils do
    # pay the same sum twice); copies in later files are duplicates.
    assert result.lines.read == 10
    assert result.lines.duplicate == 4
    assert result.duplicate_total == Decimal("155.00")
    assert result.total == Decimal("180.00")


def test_exclusion_rules_and_totals(tmp_path: Path, suppliers: Path,
                                    options: SpendOptions) -> None:
    rows = [["1", "01/04/2024", "H M Revenue and Customs", "900", "Finance", "PAYE"],
            ["2", "01/04/2024", "Calderdale Council", "80", "Finance", "Fees"],
            ["3", "01/04/2024", "Calderdale Council for Voluntary Service", "70", "Adults",
             "Grants"],
            ["4", "01/04/2024", "Acme Catering Ltd", "60", "Adults", "Internal Recharge"],
            ["5", "01/04/2024", "West Yorkshire Pension Fund", "50", "Finance", "Pensions"],
            ["6", "01/04/2024", "Acme Catering Ltd", "10", "Adults", "Food"]]
    result = analyse([write_csv(tmp_path / "apr.csv", HEADER, rows)], suppliers, CALDERDALE,
                     options)
    assert result.exclusions == {"hmrc": Decimal("900.00"), "public-bodies": Decimal("80.00"),
                                 "internal-recharges": Decimal("60.00"),
                                 "pensions": Decimal("50.00")}
    assert result.excluded_total == Decimal("1090.00")
    assert result.total == Decimal("80.00")  # the CVS is a charity, not a council


def test_tiers_file_with_radius(tmp_path: Path, suppliers: Path, store) -> None:  # type: ignore[no-untyped-def]
    tiers = tmp_path / "tiers.json"
    tiers.write_text(json.dumps({"tiers": [
        {"name": "Halifax", "lad": [CALDERDALE]},
        {"name": "Within 60 km", "radius_km": 60, "centre": "HX1 1AA"},
    ]}))
    rows = [["1", "01/04/2024", "Acme Catering Ltd", "1", "A", "B"],
            ["2", "01/04/2024", "Sheffield Steel PLC", "2", "A", "B"],
            ["3", "01/04/2024", "Manchester Care Co-operative", "4", "A", "B"]]
    result = analyse([write_csv(tmp_path / "apr.csv", HEADER, rows)], suppliers, CALDERDALE,
                     SpendOptions(store=store, tiers=tiers))
    assert [(t.tier, t.name, t.spend) for t in result.tiers] == [
        (1, "Halifax", Decimal("1.00")), (2, "Within 60 km", Decimal("6.00")),
        (3, "UK", Decimal("0.00"))]
    assert result.tiers[1].cumulative_share == Decimal("1.0000")


def test_presets() -> None:
    calderdale = spend_tiers.preset(CALDERDALE)
    assert [t.name for t in calderdale.tiers] == [
        "Calderdale", "West Yorkshire CA", "Yorkshire and The Humber", "UK"]
    assert calderdale.tiers[1].area is not None and len(calderdale.tiers[1].area.lads) == 5
    exeter = spend_tiers.preset("E07000041")
    assert exeter.tiers[1].name == "Devon"
    devon = spend_tiers.preset("E10000008")
    assert devon.council_name == "Devon" and len(devon.tiers[0].area.lads) == 8  # type: ignore[union-attr]
    cardiff = spend_tiers.preset("W06000015")
    assert cardiff.tiers[2].name == "Wales" and cardiff.notes
    with pytest.raises(InputError, match="not a council code"):
        spend_tiers.preset("Calderdale")


def test_county_council_stands_for_its_districts(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    register = write_csv(tmp_path / "vendors.csv", ["Name", "Postcode"], [
        ["Exeter Bakes", "EX1 1AA"], ["Bideford Boats", "EX39 1AA"], ["Plymouth Paint", "PL1 1AA"]])
    rows = [["1", "01/04/2024", "Exeter Bakes", "10", "A", "B"],
            ["2", "01/04/2024", "Bideford Boats", "20", "A", "B"],
            ["3", "01/04/2024", "Plymouth Paint", "40", "A", "B"]]
    result = analyse([write_csv(tmp_path / "apr.csv", HEADER, rows)], register, "E10000008",
                     SpendOptions(store=store, target=Decimal("0.6")))
    assert [(t.name, t.spend) for t in result.tiers[:3]] == [
        ("Devon", Decimal("30.00")), ("Devon and Torbay CCA", Decimal("0.00")),
        ("South West", Decimal("40.00"))]
    assert result.target is not None
    assert result.target.current_share == Decimal("0.4286")
    assert result.target.gap == Decimal("12.00")  # 60% of £70 is £42; £30 is local


def test_shift_estimate_uses_sourced_multipliers(tmp_path: Path, suppliers: Path,
                                                 options: SpendOptions) -> None:
    rows = [["1", "01/04/2024", "Acme Catering Ltd", "500", "A", "B"],
            ["2", "01/04/2024", "Leeds Widgets Ltd", "500", "A", "B"]]
    result = analyse([write_csv(tmp_path / "apr.csv", HEADER, rows)], suppliers, CALDERDALE,
                     options)
    shift = result.shift
    assert (shift.local_multiplier, shift.nonlocal_multiplier) == (Decimal("1.76"),
                                                                   Decimal("1.36"))
    assert shift.shifted_spend == Decimal("100.00")
    assert shift.extra_local_value == Decimal("40.00")
    assert "Northumberland" in shift.source


def test_vcse_and_sme_from_national_registers(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    council = write_csv(tmp_path / "vendors.csv", ["Supplier Name", "Company No"], [
        ["Halifax Community Cafe CIC", "11111111"], ["Big Corp PLC", "22222222"]])
    companies = write_csv(tmp_path / "BasicCompanyData.csv", [
        "CompanyName", " CompanyNumber", "RegAddress.PostCode", "RegAddress.Country",
        "CompanyCategory", "Accounts.AccountCategory"], [
        ["HALIFAX COMMUNITY CAFE C.I.C.", "11111111", "HX1 1AA", "ENGLAND",
         "Community Interest Company", "MICRO ENTITY"],
        ["BIG CORP PLC", "22222222", "M1 1AA", "ENGLAND", "Public Limited Company", "FULL"],
        ["SMALL SHOP LTD", "33333333", "LS1 1AA", "ENGLAND", "Private Limited Company",
         "TOTAL EXEMPTION FULL"]])
    charities = tmp_path / "publicextract.charity.json"
    charities.write_text(json.dumps([
        {"registered_charity_number": 500001, "linked_charity_number": 0,
         "charity_name": "Pennine Hospice", "charity_registration_status": "Registered",
         "latest_income": 3000000.0, "charity_contact_postcode": "HX3 6AA",
         "charity_company_registration_number": None},
        {"registered_charity_number": 500001, "linked_charity_number": 1,
         "charity_name": "Pennine Hospice Shops", "charity_registration_status": "Registered",
         "latest_income": None, "charity_contact_postcode": "LS1 1AA"}]))
    rows = [["1", "01/04/2024", "Halifax Community Cafe CIC", "100", "A", "B"],
            ["2", "01/04/2024", "Big Corp PLC", "300", "A", "B"],
            ["3", "01/04/2024", "Small Shop Limited", "50", "A", "B"],
            ["4", "01/04/2024", "Pennine Hospice", "50", "A", "B"]]
    result = analyse([write_csv(tmp_path / "apr.csv", HEADER, rows)], council, CALDERDALE,
                     SpendOptions(store=store, companies_house=companies, charities=charities))
    assert result.vcse_spend == Decimal("150.00")
    assert result.local_vcse_spend == Decimal("150.00")
    assert result.sme_spend == Decimal("200.00")
    assert result.sme_share == Decimal("0.4000")
    assert result.tiers[0].spend == Decimal("150.00")
    assert result.tiers[1].spend == Decimal("50.00")


def test_json_contract(tmp_path: Path, suppliers: Path, options: SpendOptions) -> None:
    rows = [["1", "01/04/2024", "Acme Catering Ltd", "1,000.00", "Adults", "Food"],
            ["2", "01/04/2024", "Leeds Widgets Ltd", "500.00", "Adults", "Food"],
            ["3", "01/04/2024", "Brighouse Builders & Sons", "250.00", "Highways", "Food"]]
    result = analyse([write_csv(tmp_path / "apr.csv", HEADER, rows)], suppliers, CALDERDALE,
                     options)
    document = json.loads(json.dumps(result_to_dict(result)))
    for key in ("total", "excluded_total", "tiers", "unknown_spend", "redacted_spend",
                "vcse_share", "sme_share", "lines_read", "lines_used"):
        assert key in document
    assert document["total"] == "1750.00"
    assert document["tiers"][0] == {
        "tier": 1, "name": "Calderdale", "spend": "1250.00", "share": "0.7143",
        "cumulative_share": "0.7143", "lines": 2, "suppliers": 2,
        "definition": "1 local authority district(s)"}
    assert document["leakage"] == [{"expense_type": "Food", "spend": "1750.00",
                                    "local_spend": "1250.00", "leaked_spend": "500.00",
                                    "local_suppliers": 2}]
    assert document["sme_share"] == "0.7143"


def test_leakage_counts_spend_placed_away_or_abroad_and_not_unplaced_spend(
        tmp_path: Path, suppliers: Path, options: SpendOptions) -> None:
    rows = [["1", "01/04/2024", "Acme Catering Ltd", "1,000.00", "Adults", "Food"],
            ["2", "01/04/2024", "Leeds Widgets Ltd", "500.00", "Adults", "Food"],
            ["3", "01/04/2024", "Mystery Holdings", "200.00", "Adults", "Food"],
            ["4", "01/04/2024", "Jersey Supplies", "100.00", "Adults", "Food"],
            ["5", "01/04/2024", "Leeds Widgets Ltd", "70.00", "Adults", "Fuel"]]
    result = analyse([write_csv(tmp_path / "apr.csv", HEADER, rows)], suppliers, CALDERDALE,
                     options)
    assert result.unknown_spend == Decimal("200.00")
    assert result.outside_uk_spend == Decimal("100.00")
    # Fuel has no local supplier: nothing to bring home, so no leakage row for it.
    assert [(f.expense_type, f.spend, f.local_spend, f.leaked_spend, f.local_suppliers)
            for f in result.leakage] == [
        ("Food", Decimal("1800.00"), Decimal("1000.00"), Decimal("600.00"), 1)]


def test_charity_extract_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """The Charity Commission's JSON extract may start with a UTF-8 byte order mark."""
    from keepitlocal.spend.register import charity_commission

    path = tmp_path / "publicextract.charity.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([
        {"registered_charity_number": 500001, "linked_charity_number": 0,
         "charity_name": "Pennine Hospice", "charity_registration_status": "Registered",
         "latest_income": 3000000.0, "charity_contact_postcode": "HX3 6AA"}]).encode())
    register = charity_commission(path)
    assert len(register) == 1
    assert register.entry(0).name == "Pennine Hospice"


def test_an_error_while_matching_or_summing_ends_the_run_with_that_error(
        tmp_path: Path, suppliers: Path, options: SpendOptions,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Matching runs beside the summing of the lines: a failure in either, whichever thread it
    is in, is the run's error, not a hang or a later, stranger one."""
    import dataclasses

    from keepitlocal.spend import summary
    from keepitlocal.spend import suppliers as supplier_mod

    from .layouts import LAYOUTS

    ledger = LAYOUTS["devon"](tmp_path)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    for module, name in ((summary, "prepare"), (supplier_mod, "identified")):
        with monkeypatch.context() as patch:
            patch.setattr(module, name, broken)
            for run in (options, dataclasses.replace(options, memory_limit="64MB")):
                with pytest.raises(RuntimeError, match="disk full"):
                    analyse([ledger], suppliers, CALDERDALE, run)
    assert analyse([ledger], suppliers, CALDERDALE, options).lines.read > 0


def test_a_run_held_to_a_memory_limit_gives_the_same_figures(
        tmp_path: Path, suppliers: Path, options: SpendOptions) -> None:
    import dataclasses

    import duckdb

    from keepitlocal.spend import engine

    from .layouts import LAYOUTS

    ledger = LAYOUTS["devon"](tmp_path)
    free = analyse([ledger], suppliers, CALDERDALE, options)
    held = analyse([ledger], suppliers, CALDERDALE,
                   dataclasses.replace(options, memory_limit="64MB"))
    assert result_to_dict(held) == result_to_dict(free)
    with pytest.raises(InputError, match="not a size"):
        analyse([ledger], suppliers, CALDERDALE, dataclasses.replace(options, memory_limit="lots"))
    con = duckdb.connect()
    engine._bound_memory(con, "64MB", tmp_path)
    limit, spill = con.execute("SELECT current_setting('memory_limit'), "
                               "current_setting('temp_directory')").fetchall()[0]
    assert limit.startswith("61") and spill == str(tmp_path / "spill")  # 64 MB is 61 MiB
