"""District deprivation shading: the share of a district's neighbourhoods in England's most
deprived deciles, checked against the published table itself."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from keepitlocal.assetmap.deprivation import (
    NO_DECILE_SCOTLAND,
    NO_DECILE_WALES,
    district_deprivation,
)
from keepitlocal.parameters import value

PUBLISHED = Path(__file__).resolve().parents[3] / "shared" / "data" / "iod2025_lsoa21.csv"
needs_published = pytest.mark.skipif(not PUBLISHED.exists(), reason="no shared data")


def _counted(lad: str, deciles: int) -> tuple[int, int]:
    with PUBLISHED.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["lad24cd"] == lad]
    return len(rows), sum(1 for r in rows if int(r["imd_decile"]) <= deciles)


@needs_published
def test_shares_equal_the_published_deciles() -> None:
    deciles = int(value("assetmap", "shaded_deprived_deciles"))
    found = district_deprivation(["E08000033", "E07000040", "E09000030"])
    for district in found:
        total, deprived = _counted(district.lad, deciles)
        assert (district.lsoas, district.most_deprived) == (total, deprived), district.lad
        assert district.share == Decimal(deprived) / Decimal(total)
    calderdale, east_devon, _ = found
    assert calderdale.name == "Calderdale" and calderdale.deciles == deciles
    assert east_devon.share is not None and calderdale.share is not None
    assert east_devon.share < calderdale.share


@needs_published
def test_the_deciles_counted_can_be_chosen() -> None:
    (one,) = district_deprivation(["E08000033"], deciles=1)
    (five,) = district_deprivation(["E08000033"], deciles=5)
    assert (one.lsoas, one.most_deprived) == _counted("E08000033", 1)
    assert one.most_deprived < five.most_deprived <= five.lsoas
    (everything,) = district_deprivation(["E08000033"], deciles=10)
    assert everything.share == 1


def test_outside_england_no_share_and_a_reason() -> None:
    cardiff, glasgow = district_deprivation(["W06000015", "S12000049"])
    assert cardiff.share is None and cardiff.note == NO_DECILE_WALES
    assert glasgow.share is None and glasgow.note == NO_DECILE_SCOTLAND
