"""Spend fixtures: a tiny postcode store, ledgers in real council layouts, one Spark session."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from keepitlocal.geo import PostcodeStore
from keepitlocal.spend import SpendOptions

CALDERDALE = "E08000033"

# (postcode, lat, lon, LAD): Calderdale, Leeds (same combined authority), Sheffield (same region),
# Manchester (elsewhere in the UK), Jersey (not the UK), Exeter and Torridge (Devon districts).
RECORDS: list[tuple[str, float | None, float | None, str | None]] = [
    ("HX1 1AA", 53.7200, -1.8600, CALDERDALE),
    ("HX3 6AA", 53.7500, -1.8000, CALDERDALE),
    ("HD6 1AA", 53.7000, -1.7800, CALDERDALE),
    ("LS1 1AA", 53.7960, -1.5470, "E08000035"),
    ("S1 1AA", 53.3800, -1.4700, "E08000039"),
    ("M1 1AA", 53.4800, -2.2400, "E08000003"),
    ("JE2 3AA", None, None, "L99999999"),
    ("EX1 1AA", 50.7200, -3.5300, "E07000041"),
    ("EX39 1AA", 51.0200, -4.2000, "E07000046"),
    ("PL1 1AA", 50.3700, -4.1400, "E06000026"),
]


@pytest.fixture(scope="session")
def store() -> PostcodeStore:
    return PostcodeStore.from_records(RECORDS)


@pytest.fixture()
def options(store: PostcodeStore) -> SpendOptions:
    return SpendOptions(store=store)


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]],
              encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]],
               title_rows: Sequence[str] = ()) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for title in title_rows:
        sheet.append([title])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


SUPPLIERS_HEADER = ["Supplier Name", "Supplier ID", "Post Code", "Company Number",
                    "Charity Number", "Organisation Type", "SME"]
SUPPLIERS = [
    ["Acme Catering Limited", "S1", "HX1 1AA", "01234567", "", "Private", "Yes"],
    ["Leeds Widgets Ltd", "S2", "LS1 1AA", "", "", "Private", "No"],
    ["Sheffield Steel PLC", "S3", "S1 1AA", "", "", "Private", "No"],
    ["Calder Valley Community Trust", "S4", "HX3 6AA", "", "1100001", "Charity", "Yes"],
    ["Manchester Care Co-operative", "S5", "M1 1AA", "", "", "Voluntary", "Yes"],
    ["Jersey Supplies", "S6", "JE2 3AA", "", "", "Private", ""],
    ["Brighouse Builders & Sons", "S7", "HD6 1AA", "", "", "Private", "Yes"],
    ["Mystery Holdings", "S8", "", "", "", "", ""],
]


@pytest.fixture()
def suppliers(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "suppliers.csv", SUPPLIERS_HEADER, SUPPLIERS)


def d(day: int, month: int = 4, year: int = 2024) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pyspark = pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    del pyspark
    session = (SparkSession.builder.master("local[1]").appName("keepitlocal-spend-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "1")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.driver.memory", "1g")
               .getOrCreate())
    yield session
    session.stop()


@pytest.fixture()
def ledgers(tmp_path: Path) -> list[Path]:
    """The same lines in two councils' published layouts, as two files."""
    from .layouts import LAYOUTS

    folder = tmp_path / "ledgers"
    folder.mkdir()
    return [LAYOUTS["devon"](folder), LAYOUTS["trafford"](folder)]


def counted(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """A list that grows by one at each call of `owner.name` (which still runs)."""
    calls: list[int] = []
    real = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls
