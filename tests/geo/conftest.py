"""Shared geo fixtures: a tiny in-memory store for fast tests, and the full UK store (built once
per machine into the data directory, or into a temporary folder if that is not writable)."""

from __future__ import annotations

import pytest

from keepitlocal.geo import PostcodeStore, build_store
from keepitlocal.geo import io as geo_io

# (postcode, lat, lon, lad): Halifax town centre, two sectors of HX1, one of HX3, a Guernsey
# postcode without coordinates, and a Belfast one.
TINY_RECORDS: list[tuple[str, float | None, float | None, str | None]] = [
    ("HX1 2JJ", 53.7200, -1.8600, "E08000033"),
    ("hx1 2jl", 53.7210, -1.8620, "E08000033"),
    ("HX12JN", 53.7220, -1.8640, "E08000034"),
    ("HX1 2JP", 53.7230, -1.8660, "E08000033"),
    ("HX1 5AB", 53.7300, -1.8700, "E08000033"),
    ("HX3 6AA", 53.7500, -1.8000, "E08000033"),
    ("GY1 1AA", None, None, "L99999999"),
    ("BT1 1AA", 54.602445, -5.922291, "N09000003"),
]


@pytest.fixture(scope="session")
def tiny_store() -> PostcodeStore:
    return PostcodeStore.from_records(TINY_RECORDS)


@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> PostcodeStore:
    path = geo_io.store_path()
    if geo_io.is_complete(path):
        return PostcodeStore.load(path)
    try:
        return build_store()
    except OSError:
        return build_store(tmp_path_factory.mktemp("geo-store"))
