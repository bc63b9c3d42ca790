"""`keepitlocal geo ...` through click's test runner, on the tiny store and the real one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from keepitlocal.cli import geo
from keepitlocal.cli import main as keepitlocal
from keepitlocal.geo import PostcodeStore


def run(store: PostcodeStore, *args: str) -> Result:
    return CliRunner().invoke(geo.group, list(args), obj={"postcode_store": store})


def test_lookup_table(tiny_store: PostcodeStore) -> None:
    result = run(tiny_store, "lookup", "hx12jj", "HX1 2ZZ", "bt1 1aa")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "postcode",
        "normalised",
        "lat",
        "lon",
        "LAD",
        "LAD",
        "name",
        "level",
    ]
    assert lines[1].split() == [
        "hx12jj",
        "HX1",
        "2JJ",
        "53.72000",
        "-1.86000",
        "E08000033",
        "Calderdale",
        "unit",
    ]
    assert lines[2].endswith("sector")
    assert "Belfast" in lines[3]


def test_lookup_json(tiny_store: PostcodeStore) -> None:
    result = run(tiny_store, "lookup", "--json", "HX1 2JJ", "GY1 1AA")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0] == {
        "postcode": "HX1 2JJ",
        "normalised": "HX1 2JJ",
        "lat": 53.72,
        "lon": -1.86,
        "lad": "E08000033",
        "lad_name": "Calderdale",
        "level": "unit",
        "error": None,
    }
    assert rows[1]["lat"] is None and rows[1]["lad_name"] == "Channel Islands"


def test_lookup_reports_bad_postcodes_and_still_prints_good_ones(tiny_store: PostcodeStore) -> None:
    result = run(tiny_store, "lookup", "HX1 2JJ", "not a postcode", "LS1 1AA")
    assert result.exit_code == 1
    assert "HX1 2JJ" in result.stdout and "Calderdale" in result.stdout
    assert "'not a postcode' is not a valid UK postcode" in result.stderr
    assert "'LS1 1AA' is not in the UK postcode data" in result.stderr


def test_lookup_json_with_errors(tiny_store: PostcodeStore) -> None:
    result = run(tiny_store, "lookup", "--json", "nope", "HX1 2JJ")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert rows[0]["postcode"] == "nope" and "not a valid UK postcode" in rows[0]["error"]
    assert rows[1]["error"] is None


def test_lookup_needs_a_postcode(tiny_store: PostcodeStore) -> None:
    assert run(tiny_store, "lookup").exit_code == 2


def test_lads(tiny_store: PostcodeStore) -> None:
    result = run(tiny_store, "lads", "bristol")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "E06000023  Bristol, City of"
    result = run(tiny_store, "lads", "--json", "calderdale")
    assert json.loads(result.stdout) == [{"code": "E08000033", "name": "Calderdale"}]
    result = run(tiny_store, "lads", "atlantis")
    assert result.exit_code == 1 and "no local authority district" in result.stderr


def test_build_when_already_built(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KEEPITLOCAL_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(geo.geo_io, "is_complete", lambda path: True)
    monkeypatch.setattr(geo.PostcodeStore, "load", lambda path: PostcodeStore.from_records([]))
    result = CliRunner().invoke(geo.group, ["build"])
    assert result.exit_code == 0, result.output
    assert "Already built" in result.stdout and str(tmp_path) in result.stdout


def test_geo_is_a_keepitlocal_subcommand() -> None:
    result = CliRunner().invoke(keepitlocal, ["geo", "--help"])
    assert result.exit_code == 0, result.output
    assert "lookup" in result.stdout


@pytest.mark.postcodes
def test_lookup_on_the_real_store(real_store: PostcodeStore) -> None:
    result = run(real_store, "lookup", "--json", "BT1 1AA", "sw1a0aa", "LS1 1ZZ")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["lad_name"] for r in rows] == ["Belfast", "Westminster", "Leeds"]
    assert [r["level"] for r in rows] == ["unit", "unit", "sector"]
    assert round(rows[0]["lat"], 2) == 54.60 and round(rows[0]["lon"], 2) == -5.92
