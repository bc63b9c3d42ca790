"""`keepitlocal spend analyse` and `spend columns` through click."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import keepitlocal.geo
from keepitlocal.cli import main

from .layouts import LAYOUTS, TOTAL


@pytest.fixture(autouse=True)
def small_store(monkeypatch: pytest.MonkeyPatch, store) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(keepitlocal.geo, "default_store", lambda: store)


def test_analyse_json(tmp_path: Path, suppliers: Path) -> None:
    ledger = LAYOUTS["devon"](tmp_path)
    result = CliRunner().invoke(main, ["spend", "analyse", str(ledger), "--suppliers",
                                       str(suppliers), "--council", "E08000033", "--target",
                                       "60%", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["total"] == TOTAL
    assert document["lines_read"] == 8 and document["lines_used"] == 7
    assert document["target"]["target_share"] == "0.6000"
    assert [t["tier"] for t in document["tiers"]] == [1, 2, 3, 4]


def test_analyse_table(tmp_path: Path, suppliers: Path) -> None:
    ledger = LAYOUTS["trafford"](tmp_path)
    result = CliRunner().invoke(main, ["spend", "analyse", str(ledger), "--suppliers",
                                       str(suppliers), "--council", "E08000033"])
    assert result.exit_code == 0, result.output
    assert "Total spend (net of 1 credit notes): £5,200.49" in result.output
    assert "West Yorkshire CA" in result.output


def test_analyse_error_names_file(tmp_path: Path, suppliers: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("")
    result = CliRunner().invoke(main, ["spend", "analyse", str(bad), "--suppliers",
                                       str(suppliers), "--council", "E08000033"])
    assert result.exit_code == 1
    assert "bad.csv: the file is empty" in result.output


def test_columns_command(tmp_path: Path) -> None:
    ledger = LAYOUTS["cannock_chase"](tmp_path)
    result = CliRunner().invoke(main, ["spend", "columns", str(ledger)])
    assert result.exit_code == 0, result.output
    assert "amount          <- 'SumOfAmount_Exc_VAT' (exact)" in result.output
    assert "not used:" in result.output and "SumOfAmount_Inc_VAT" in result.output
    as_json = CliRunner().invoke(main, ["spend", "columns", str(ledger), "--json"])
    assert json.loads(as_json.output)["columns"]["supplier"] == "Supplier_Name"
