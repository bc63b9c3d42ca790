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
    assert "bad.csv" in result.output and "the file is empty" in result.output


def test_columns_command(tmp_path: Path) -> None:
    ledger = LAYOUTS["cannock_chase"](tmp_path)
    result = CliRunner().invoke(main, ["spend", "columns", str(ledger)])
    assert result.exit_code == 0, result.output
    assert "amount          <- 'SumOfAmount_Exc_VAT' (exact, score" in result.output
    assert "runner-up 'SumOfAmount_Inc_VAT'" in result.output
    assert "not used:" in result.output and "SumOfAmount_Inc_VAT" in result.output
    as_json = CliRunner().invoke(main, ["spend", "columns", str(ledger), "--json"])
    assert json.loads(as_json.output)["columns"]["supplier"] == "Supplier_Name"


def test_columns_shows_runner_up_and_net_choice(tmp_path: Path) -> None:
    from .shapes import SHAPES

    ledger = SHAPES["gross_vat_net"](tmp_path)
    result = CliRunner().invoke(main, ["spend", "columns", str(ledger)])
    assert result.exit_code == 0, result.output
    assert "amount          <- 'Net Amount'" in result.output
    assert "runner-up 'Gross Amount'" in result.output and "lost because it is the gross" \
        in result.output
    assert "note: gross, VAT and net amounts are side by side" in result.output
    document = json.loads(CliRunner().invoke(main, ["spend", "columns", str(ledger),
                                                    "--json"]).output)
    assert document["choices"]["amount"]["runner_up"] == "Gross Amount"


def test_unmappable_file_exits_1_listing_it_with_a_ready_mapping(tmp_path: Path,
                                                                 suppliers: Path) -> None:
    from .shapes import SHAPES, unmappable

    good = SHAPES["clearing_date"](tmp_path)
    bad = unmappable(tmp_path)
    nodate = tmp_path / "spend-2024-03.csv"
    nodate.write_text("Supplier Name,Amount\nAcme Catering Ltd,10.00\n", encoding="utf-8")
    args = ["spend", "analyse", str(good), str(bad), str(nodate), "--suppliers",
            str(suppliers), "--council", "E08000033"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    out = result.output
    assert "2 file(s) cannot be read as they are (1 other file(s) can: add --skip-unreadable" \
        in out
    assert "headers: 'Col A', 'Col B', 'Col C'" in out
    example = json.loads(out[out.index("{"):out.rindex("}") + 1].split("\nError")[0])
    assert example["files"]["spend-2024-03.csv"] == {
        "amount": "Amount", "supplier": "Supplier Name", "period": "2024-03"}
    # The printed mapping is ready: with it, all three files are read.
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps(example), encoding="utf-8")
    fixed = CliRunner().invoke(main, [*args, "--map", str(mapping), "--json"])
    assert fixed.exit_code == 0, fixed.output
    assert json.loads(fixed.output)["lines_read"] == 8 + 2 + 1


def test_skip_unreadable(tmp_path: Path, suppliers: Path) -> None:
    from .shapes import SHAPES, unmappable

    result = CliRunner().invoke(main, [
        "spend", "analyse", str(SHAPES["clearing_date"](tmp_path)), str(unmappable(tmp_path)),
        "--suppliers", str(suppliers), "--council", "E08000033", "--skip-unreadable"])
    assert result.exit_code == 0, result.output
    assert f"£{float(TOTAL):,.2f}" in result.output
    assert "Skipped export_raw.csv: no amount column found" in result.output
    as_json = CliRunner().invoke(main, [
        "spend", "analyse", str(SHAPES["clearing_date"](tmp_path)), str(unmappable(tmp_path)),
        "--suppliers", str(suppliers), "--council", "E08000033", "--skip-unreadable", "--json"])
    document = json.loads(as_json.stdout)
    assert [f["file"] for f in document["unreadable"]] == ["export_raw.csv"]
    assert document["unreadable"][0]["headers"] == ["Col A", "Col B", "Col C"]


def test_columns_exits_1_when_a_field_is_missing(tmp_path: Path) -> None:
    from .shapes import unmappable

    result = CliRunner().invoke(main, ["spend", "columns", str(unmappable(tmp_path))])
    assert result.exit_code == 1
    assert "MISSING: amount, date, supplier" in result.output
    assert '{"files": {"export_raw.csv":' in result.output
