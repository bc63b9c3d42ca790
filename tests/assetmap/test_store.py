"""The asset map reads the registers loaded once into the shared store (`registers load`):
the same organisations and figures as reading the files, and it says which register and
publication date it used; on a DuckDB file and on PostgreSQL alike."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from keepitlocal.assetmap.build import OFFICE, OPERATION, build
from keepitlocal.assetmap.sources import read_all
from keepitlocal.cli import main
from keepitlocal.geo.areas import Area
from keepitlocal.registers.asset_tables import asset_tables_of
from keepitlocal.registers.store import PostgresStore, open_store, postgres_url

from . import layouts as L

CALDERDALE = "E08000033"


@dataclass(frozen=True)
class Store:
    """Where the commands keep the registers: `options` name it to `registers load` and
    `assetmap build`; `open` reads it back."""

    options: tuple[str, ...]
    path: Path | None

    def open(self) -> AbstractContextManager[Any]:
        return open_store(self.path, read_only=True)


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: Any, tmp_path: Path) -> Iterator[Store]:
    """A DuckDB file of the test's own, or the tables of the PostgreSQL database DATABASE_URL
    names (what the commands use when no --store is given), removed afterwards."""
    if request.param == "duckdb":
        path = tmp_path / "registers.duckdb"
        yield Store(("--store", str(path)), path)
        return
    url = postgres_url()
    if url is None:
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL (scripts/with-postgres)")
    with PostgresStore(url) as database:
        database.drop()
        yield Store((), None)
        database.drop()


def _load(tmp_path: Path, store: Store) -> tuple[list[Path], Path]:
    files, companies = L.extract(tmp_path), \
        L.companies_zip(tmp_path / "BasicCompanyDataAsOneFile-2026-11-01.zip")
    runner = CliRunner()
    result = runner.invoke(main, ["registers", "load", "charities", *map(str, files),
                                  *store.options])
    assert result.exit_code == 0, result.output
    assert "loaded 4 rows" in result.output  # main, registered charities only, for matching
    result = runner.invoke(main, ["registers", "load", "companies-house", str(companies),
                                  *store.options])
    assert result.exit_code == 0, result.output
    return files, companies


def _build(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(main, ["assetmap", "build", *args, "--json"])
    assert result.exit_code == 0, result.output
    document: dict[str, object] = json.loads(result.output)
    return document


def test_build_from_the_store_equals_build_from_the_files(tmp_path: Path,
                                                          store: Store) -> None:
    files, companies = _load(tmp_path, store)
    from_store = _build("--council", CALDERDALE, *store.options)
    from_files = _build("--council", CALDERDALE, *[a for f in files for a in ("--charities",
                        str(f))], "--companies-house", str(companies))
    assert from_store["views"] == from_files["views"]
    assert from_store["from_store"] == [
        "Charity Commission for England and Wales register extract: publicextract.charity.zip"
        " (published 2026-11-30), from the register store",
        "Companies House basic company data (CICs, guarantee companies, CIOs, societies): "
        "BasicCompanyDataAsOneFile-2026-11-01.zip (published 2026-11-01), from the register "
        "store"]
    assert from_files["from_store"] == []
    office = {v["view"]: v for v in from_store["views"]}[OFFICE]  # type: ignore[index]
    assert office["organisations"] == 2  # the food bank (with its company) and the CIC
    assert office["removed"] == 1  # Hebden Arts
    assert office["government_contracts"] == "70000"


def test_store_keeps_linked_removed_side_tables_and_company_dates(tmp_path: Path,
                                                                  store: Store) -> None:
    _load(tmp_path, store)
    with store.open() as opened:
        tables = asset_tables_of(opened, read_only=True)
        assert tables is not None
        assert {x.register: x.rows for x in tables.loads()} == {"ccew": 6,
                                                                "companies_house": 3}
        sources = read_all(store=tables, area=Area.from_lads([CALDERDALE]))
    asset_map = build(sources, Area.from_lads([CALDERDALE]))
    food = asset_map.find("GB-CHC-1100001")
    assert food is not None and food.sources == ["ccew", "companies_house"]
    assert [r.number for r in food.records if r.register == "ccew"] == ["1100001",
                                                                       "1100001-1"]
    assert food.classifications == ("The Prevention Or Relief Of Poverty",)
    assert len(food.income_history) == 2
    cafe = asset_map.find("GB-COH-11111111")
    assert cafe is not None and cafe.registered is not None and cafe.registered.year == 2019
    assert cafe.income is None  # basic company data carries no income
    assert {o.name for o in asset_map.in_view(OPERATION)} == {"Leeds Based Carers",
                                                              "No Postcode Club"}
    assert "Leeds Only" not in {o.name for o in asset_map.organisations}
    assert "LEEDS CIC" not in {o.name for o in asset_map.organisations}


def test_spend_matching_register_still_holds_the_main_registered_charities(
        tmp_path: Path, store: Store) -> None:
    _load(tmp_path, store)
    with store.open() as opened:
        register = opened.register(["charity_commission"])
        names = set(register.frame["name"])
    assert names == {"Calder Food Bank", "Leeds Based Carers", "No Postcode Club", "Leeds Only"}


def test_nothing_loaded_and_no_file_is_refused(store: Store) -> None:
    result = CliRunner().invoke(main, ["assetmap", "build", "--council", CALDERDALE,
                                       *store.options])
    assert result.exit_code == 1
    assert "registers load charities" in result.output


def test_a_load_that_fails_keeps_the_previous_copy(tmp_path: Path, store: Store) -> None:
    _load(tmp_path, store)
    broken = tmp_path / "publicextract.charity.json"
    broken.write_text('[{"registered_charity_number": 1, "charity_name": "x", '
                      '"charity_registration_status": "Registered", "organisation_number": 9}, '
                      '{"broken', encoding="utf-8")
    result = CliRunner().invoke(main, ["registers", "load", "charities", str(broken),
                                       *store.options])
    assert result.exit_code == 1
    with store.open() as opened:
        tables = asset_tables_of(opened, read_only=True)
        assert tables is not None
        assert {x.register: x.rows for x in tables.loads()}["ccew"] == 6
