"""A small postcode store for engine tests: real Calderdale, Leeds and Glasgow postcodes with
their real LADs (coordinates rounded), so placement needs no full store."""

from __future__ import annotations

import pytest

from keepitlocal.geo import PostcodeStore, default_store

CALDERDALE = "E08000033"
RECORDS: list[tuple[str, float | None, float | None, str | None]] = [
    ("HX1 1AA", 53.7218, -1.8585, CALDERDALE),
    ("HX1 2JJ", 53.7200, -1.8600, CALDERDALE),
    ("HX7 8AA", 53.7420, -2.0140, CALDERDALE),
    ("HX3 6AA", 53.7500, -1.8000, CALDERDALE),
    ("LS1 4AP", 53.7960, -1.5480, "E08000035"),
    ("G51 3UU", 55.8600, -4.3100, "S12000049"),
    ("BT12 6AB", 54.5920, -5.9520, "N09000003"),
]


@pytest.fixture(scope="session")
def real_store() -> PostcodeStore:
    return default_store()


@pytest.fixture(scope="session")
def store() -> PostcodeStore:
    return PostcodeStore.from_records(RECORDS)
