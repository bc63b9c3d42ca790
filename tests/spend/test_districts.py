"""Spend by supplier district: the placed lines summed per LAD, adding up to the placed spend."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from keepitlocal.spend import SpendOptions, analyse, result_to_dict

from .conftest import CALDERDALE, write_csv

HEADER = ["Date", "Supplier Name", "Amount"]
LINES = [
    ["01/04/2024", "Acme Catering Limited", "100.00"],      # HX1 1AA, Calderdale
    ["02/04/2024", "Brighouse Builders & Sons", "50.50"],   # HD6 1AA, Calderdale
    ["03/04/2024", "Leeds Widgets Ltd", "200.00"],          # LS1 1AA, Leeds
    ["04/04/2024", "Leeds Widgets Ltd", "-20.00"],          # a credit note nets off
    ["05/04/2024", "Sheffield Steel PLC", "30.25"],         # S1 1AA, Sheffield
    ["06/04/2024", "Jersey Supplies", "999.00"],            # not the UK: no district
    ["07/04/2024", "Mystery Holdings", "77.00"],            # no postcode: not placed
]


def test_spend_by_district(tmp_path: Path, suppliers: Path, options: SpendOptions) -> None:
    ledger = write_csv(tmp_path / "apr.csv", HEADER, LINES)
    result = analyse([ledger], suppliers, CALDERDALE, options)
    rows = [(f.code, f.name, f.spend, f.lines, f.suppliers, f.council)
            for f in result.by_district]
    assert rows == [
        ("E08000035", "Leeds", Decimal("180.00"), 2, 1, False),
        ("E08000033", "Calderdale", Decimal("150.50"), 2, 2, True),
        ("E08000039", "Sheffield", Decimal("30.25"), 1, 1, False),
    ]
    placed = sum(f.spend for f in result.by_district)
    assert placed == result.total - result.outside_uk_spend - result.unknown_spend \
        - result.redacted_spend
    # shares are of the whole used total (1436.75), not of the placed part
    assert [f.share for f in result.by_district] == [Decimal("0.1253"), Decimal("0.1048"),
                                                     Decimal("0.0211")]
    # the council's own district is the first tier's spend
    assert next(f.spend for f in result.by_district if f.council) == result.tiers[0].spend
    document = result_to_dict(result)
    assert document["by_district"][0] == {
        "code": "E08000035", "name": "Leeds", "spend": "180.00", "share": "0.1253",
        "lines": 2, "suppliers": 1, "council": False}


def test_no_placed_suppliers_no_districts(tmp_path: Path, suppliers: Path,
                                          options: SpendOptions) -> None:
    ledger = write_csv(tmp_path / "apr.csv", HEADER, [LINES[-1]])
    assert analyse([ledger], suppliers, CALDERDALE, options).by_district == []
