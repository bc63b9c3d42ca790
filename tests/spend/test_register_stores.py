"""The register store on DuckDB and on PostgreSQL: the same loads, the same answers; and a
DuckDB store read while a load is writing it (the web app during `registers load`)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from keepitlocal.registers.load import load
from keepitlocal.registers.store import (
    DuckDBStore,
    PostgresStore,
    available,
    open_store,
    postgres_url,
)

from .test_registers import awards_json, charities_zip, companies_zip

FILES = (("companies-house", companies_zip, "BasicCompanyData.zip"),
         ("charities", charities_zip, "publicextract.charity.zip"),
         ("contracts-finder", awards_json, "awards.json"))


def _load_all(store: Any, folder: Path) -> None:
    for kind, make, name in FILES:
        load(store, kind, make(folder / name))


def _answers(store: Any) -> tuple[Any, ...]:
    loads = [(x.kind, x.file, x.published, x.rows) for x in store.loaded()]
    register = store.register()
    return loads, register.frame.to_dict(orient="records"), register.sources


@pytest.fixture()
def postgres() -> Iterator[PostgresStore]:
    url = postgres_url()
    if url is None:
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL (scripts/with-postgres)")
    store = PostgresStore(url)
    yield store
    store.drop()
    store.close()


@pytest.mark.postgres
def test_postgres_and_duckdb_give_the_same_registers(tmp_path: Path,
                                                     postgres: PostgresStore) -> None:
    with DuckDBStore(tmp_path / "registers.duckdb") as duck:
        _load_all(duck, tmp_path)
        expected = _answers(duck)
    _load_all(postgres, tmp_path)
    assert _answers(postgres) == expected
    assert [x[0] for x in expected[0]] == ["charity_commission", "companies_house",
                                           "contracts_finder"]
    # loading again replaces, and a reader opened with DATABASE_URL sees it
    load(postgres, "companies-house", companies_zip(tmp_path / "again-2024-06-01.zip"))
    with open_store(read_only=True) as reader:
        assert isinstance(reader, PostgresStore)
        listed = {x.kind: x for x in reader.loaded()}
        assert listed["companies_house"].published == dt.date(2024, 6, 1)
        assert listed["companies_house"].rows == 3
        assert len(reader.register(["companies_house"])) == 3
    assert available()


@pytest.mark.postgres
def test_a_failed_postgres_load_keeps_the_previous_register(tmp_path: Path,
                                                            postgres: PostgresStore) -> None:
    _load_all(postgres, tmp_path)
    before = _answers(postgres)

    def broken() -> Iterator[list[dict[str, Any]]]:
        yield [{"id": "X1", "name": "HALF LOADED LTD", "source": "companies_house"}]
        raise OSError("the file ended early")

    with pytest.raises(OSError, match="ended early"):
        postgres.replace("companies_house", "broken.zip", None, broken())
    assert _answers(postgres) == before


@pytest.mark.postgres
def test_an_empty_postgres_database_reads_as_no_registers() -> None:
    url = postgres_url()
    if url is None:
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL (scripts/with-postgres)")
    with PostgresStore(url, read_only=True) as empty:
        assert empty.loaded() == [] and len(empty.register()) == 0


def test_a_named_file_is_duckdb_whatever_database_url_says(tmp_path: Path,
                                                           monkeypatch: Any) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://nobody@nowhere/none")
    with open_store(tmp_path / "registers.duckdb") as store:
        assert isinstance(store, DuckDBStore)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    monkeypatch.setenv("KEEPITLOCAL_DATA_DIR", str(tmp_path / "data"))
    assert not available()
    with open_store(read_only=True) as store:
        assert isinstance(store, DuckDBStore) and store.loaded() == []


READER = """
import sys
from pathlib import Path
from keepitlocal.registers.store import open_store
with open_store(Path(sys.argv[1]), read_only=True) as store:
    print(sorted((x.kind, x.file) for x in store.loaded()))
"""


def _read_in_another_process(path: Path) -> str:
    done = subprocess.run([sys.executable, "-c", READER, str(path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_store_can_be_read_while_a_load_writes_it(tmp_path: Path) -> None:
    """Another process (the web app) reads the previous copy while a load is half-way, and
    the new one once the load has finished; the load's work file is gone."""
    path = tmp_path / "registers.duckdb"
    with open_store(path) as store:
        load(store, "companies-house", companies_zip(tmp_path / "BasicCompanyData.zip"))
    half_way = threading.Event()
    go_on = threading.Event()

    def slow() -> Iterator[list[dict[str, Any]]]:
        yield [{"id": "CF:1", "name": "PENNINE GROUNDS LTD", "source": "contracts_finder"}]
        half_way.set()
        assert go_on.wait(60)

    def write() -> None:
        with open_store(path) as writer:
            writer.replace("contracts_finder", "awards.json", None, slow())

    loader = threading.Thread(target=write)
    loader.start()
    assert half_way.wait(60)
    try:
        assert _read_in_another_process(path) == "[('companies_house', 'BasicCompanyData.zip')]"
    finally:
        go_on.set()
        loader.join(60)
    assert _read_in_another_process(path) == (
        "[('companies_house', 'BasicCompanyData.zip'), ('contracts_finder', 'awards.json')]")
    assert sorted(p.name for p in tmp_path.glob("registers.duckdb*")) == [
        "registers.duckdb", "registers.duckdb.lock"]


def test_a_failed_duckdb_load_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "registers.duckdb"
    with open_store(path) as store:
        load(store, "companies-house", companies_zip(tmp_path / "BasicCompanyData.zip"))
    before = path.read_bytes()
    with pytest.raises(ValueError, match="unknown register"), open_store(path) as store:
        load(store, "charities", charities_zip(tmp_path / "c.zip"))
        raise ValueError("unknown register 'stop here'")
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.loading-*"))
