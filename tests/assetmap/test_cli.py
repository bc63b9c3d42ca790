"""`keepitlocal assetmap build`: its output, exports and the bad-input messages."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from keepitlocal.cli import main

from . import layouts as L


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["assetmap", "build", *args])
    return result.exit_code, result.output


def test_help_has_an_example() -> None:
    code, output = _run("--help")
    assert code == 0 and "Example: keepitlocal assetmap build --council E08000033" in output


def test_demo_json_both_views_and_publication_date() -> None:
    code, output = _run("--demo", "--json")
    assert code == 0, output
    document = json.loads(output)
    assert document["area"] == "Calderdale (E08000033)"
    views = {v["view"]: v for v in document["views"]}
    assert set(views) == {"office", "operation"}
    assert views["operation"]["organisations"] > views["office"]["organisations"] > 500
    assert document["registers"][0]["published"] == "2026-11-30"
    bands = {b["group"]: b for b in views["office"]["by_band"]}
    assert sum(b["count"] for b in bands.values()) == views["office"]["organisations"]


def test_exports_xlsx_and_csv(tmp_path: Path) -> None:
    xlsx, csv_path = tmp_path / "map.xlsx", tmp_path / "map.csv"
    assert _run("--demo", "--export", str(xlsx))[0] == 0
    book = load_workbook(xlsx, read_only=True)
    assert {"organisations", "office bands", "operation deciles", "sources"} <= set(book.sheetnames)
    assert _run("--demo", "--export", str(csv_path))[0] == 0
    header = csv_path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("key,name,identifiers,sources")


def test_wrong_kind_of_file_is_refused(tmp_path: Path) -> None:
    ledger = L.write_csv(tmp_path / "ledger.csv", ["Supplier", "Amount"], [{"Supplier": "A", "Amount": 1}])
    code, output = _run("--council", "E08000033", "--charities", str(ledger))
    assert code == 1 and "ledger.csv" in output and "publicextract" in output
    code, output = _run("--council", "E08000033", "--oscr", str(ledger))
    assert code == 1 and "not an OSCR register download" in output


def test_malformed_rows_reported_with_file_row_column(tmp_path: Path) -> None:
    path = L.write_table(tmp_path, "charity", [L.charity(1, 1, "Good", postcode="HX1 1AA"),
                                               L.charity(2, 2, "Bad", income="n/a")])
    code, output = _run("--council", "E08000033", "--charities", str(path))
    assert code == 0, output
    assert 'publicextract.charity.zip:publicextract.charity.json, row 2, "latest_income": ' \
           "'n/a' is not an amount of money" in output


def test_area_errors() -> None:
    code, output = _run("--charities", __file__)
    assert code == 1 and "--council" in output
    code, output = _run("--council", "E10000006", "--demo")  # Cumbria, abolished in 2023
    assert code == 1 and "county council E10000006 is not in the shipped tiers table" in output
    code, output = _run("--combined-authority", "Nowhere CA", "--demo")
    assert code == 1 and "West Yorkshire CA" in output
    code, output = _run("--council", "E08000033", "--combined-authority", "West Yorkshire",
                        "--demo")
    assert code == 1 and "one way" in output


def test_a_county_stands_for_its_districts_and_a_combined_authority_for_its_members() -> None:
    code, output = _run("--council", "E10000008", "--demo", "--json")
    assert code == 0, output
    document = json.loads(output)
    assert document["area_chosen"] == "Devon (E10000008): its 8 districts"
    assert "Torridge" in document["area"] and "Plymouth" not in document["area"]
    code, output = _run("--combined-authority", "west yorkshire", "--demo", "--json")
    assert code == 0, output
    wider = json.loads(output)
    assert wider["area_chosen"] == "West Yorkshire CA: its 5 member districts"
    code, output = _run("--council", "E08000033", "--demo", "--json")
    calderdale = json.loads(output)
    counts = [{v["view"]: v["organisations"] for v in d["views"]}["office"]
              for d in (calderdale, wider)]
    assert counts[1] >= counts[0] > 0
