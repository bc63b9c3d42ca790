"""Postcode → LSOA → deprivation decile, offline, from the packaged reference tables.

England: the Index of Multiple Deprivation 2025 (LSOA 2021) and, as the older edition, 2019
(LSOA 2011). Wales, Scotland and Northern Ireland publish their own indices, which are not
included: `Deprivation.note` says so instead of showing a decile. See
reference/deprivation/README.md for the route and its limits.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

import brotli
import numpy as np
from numpy.typing import NDArray

from keepitlocal.geo.postcodes import compact_postcode

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0: "
    "English indices of deprivation 2025 and 2019, Ministry of Housing, Communities and Local "
    "Government (MHCLG); Source: Office for National Statistics licensed under the Open "
    "Government Licence v.3.0; Contains OS data © Crown copyright and database right 2024; "
    "Contains Royal Mail data © Royal Mail copyright and database right 2022; Contains GeoPlace "
    "data © Local Government Information House Limited copyright and database right 2022. "
    "IoD2019 scores as redistributed by mySociety (composite_uk_imd, CC BY 4.0)."
)
EDITION = "English Indices of Deprivation 2025 (LSOA 2021)"
OLDER_EDITION = "English Indices of Deprivation 2019 (LSOA 2011)"

NO_DECILE_WALES = "Wales: the Welsh Index of Multiple Deprivation is not included"
NO_DECILE_SCOTLAND = "Scotland: the Scottish Index of Multiple Deprivation is not included"
NO_DECILE_NI = "Northern Ireland: the NI Multiple Deprivation Measure is not included"
NO_LSOA = "no LSOA for this postcode (newer than the May 2022 lookup, or not a postcode)"
NO_POSTCODE = "no postcode"


@dataclass(frozen=True, slots=True)
class Deprivation:
    """A postcode's neighbourhood and deciles (1 = most deprived 10% of England)."""

    lsoa11: str | None = None
    lsoa21: str | None = None
    decile: int | None = None  # IoD2025
    decile_2019: int | None = None
    best_fit: bool = False  # the 2011 LSOA was split in 2021: the 2021 LSOA is the ONS best fit
    note: str | None = None  # why no decile is shown


def _resource(name: str) -> bytes:
    return resources.files("keepitlocal").joinpath(f"reference/deprivation/{name}").read_bytes()


def _csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_resource(name).decode("utf-8"))))


def _array(name: str) -> NDArray[np.generic]:
    return np.load(io.BytesIO(brotli.decompress(_resource(name))), allow_pickle=False)


class DeprivationLookup:
    """The packaged tables, loaded once (about half a second)."""

    def __init__(self) -> None:
        self.keys = _array("postcode_keys.npy.br")
        self.lsoa_row = _array("postcode_lsoa11.npy.br")
        bridge = _csv("lsoa11_lsoa21.csv")
        self.lsoa11 = [row["lsoa11cd"] for row in bridge]
        self.lsoa21 = [row["lsoa21cd"] for row in bridge]
        self.best_fit = [row["method"] == "best_fit" for row in bridge]
        self.decile_2025 = {r["lsoa21cd"]: int(r["imd_decile"]) for r in _csv("iod2025_lsoa21.csv")}
        self.decile_2019 = {r["lsoa11cd"]: int(r["imd_decile"]) for r in _csv("iod2019_lsoa11.csv")}
        self.lad_of_lsoa21 = {r["lsoa21cd"]: r["lad24cd"] for r in _csv("iod2025_lsoa21.csv")}

    def lookup_many(self, postcodes: Sequence[str | None]) -> list[Deprivation]:
        """The deprivation of each postcode, in order (one vectorised search)."""
        compact = [compact_postcode(p) if p else "" for p in postcodes]
        queries = np.array([c if len(c) <= 7 and c.isascii() else "" for c in compact], dtype="S7")
        index = np.minimum(np.searchsorted(self.keys, queries), len(self.keys) - 1)
        found = (self.keys[index] == queries) & (queries != b"")
        rows = np.where(found, self.lsoa_row[index].astype(np.int64), -1).tolist()
        return [self._one(compact[i], row) for i, row in enumerate(rows)]

    def lookup(self, postcode: str | None) -> Deprivation:
        return self.lookup_many([postcode])[0]

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one lookup object per process
    def _one(self, compact: str, row: int) -> Deprivation:
        if not compact:
            return Deprivation(note=NO_POSTCODE)
        if row < 0:
            if compact.startswith("BT"):
                return Deprivation(note=NO_DECILE_NI)
            if _scottish(compact):
                return Deprivation(note=NO_DECILE_SCOTLAND)
            return Deprivation(note=NO_LSOA)
        lsoa11, lsoa21 = self.lsoa11[row], self.lsoa21[row]
        if lsoa11.startswith("W"):
            return Deprivation(lsoa11, lsoa21, note=NO_DECILE_WALES)
        return Deprivation(lsoa11, lsoa21, self.decile_2025.get(lsoa21),
                           self.decile_2019.get(lsoa11), self.best_fit[row])


_SCOTTISH_AREAS = {"AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA",
                   "PH", "TD", "ZE"}


def _scottish(compact: str) -> bool:
    """Postcode areas wholly or mainly in Scotland (TD and DG cross the border a little)."""
    letters = compact[:2] if compact[1:2].isalpha() else compact[:1]
    return letters in _SCOTTISH_AREAS


@functools.cache
def default_lookup() -> DeprivationLookup:
    return DeprivationLookup()


NOT_ENGLAND = {"W": NO_DECILE_WALES, "S": NO_DECILE_SCOTLAND, "N": NO_DECILE_NI}


@dataclass(frozen=True)
class DistrictDeprivation:
    """How much of one district is among England's most deprived neighbourhoods (IoD2025): the
    figure its outline is shaded by on the map, since no LSOA boundaries are shipped."""

    lad: str
    name: str
    lsoas: int  # LSOA 2021s in the district
    most_deprived: int  # of them, in the `deciles` most deprived deciles of England
    deciles: int
    share: Decimal | None  # most_deprived / lsoas; None where there is no English index
    note: str | None = None  # why no share is shown


def district_deprivation(lads: Sequence[str], deciles: int | None = None,
                         lookup: DeprivationLookup | None = None) -> list[DistrictDeprivation]:
    """For each district, the share of its neighbourhoods (LSOA 2021) in the `deciles` most
    deprived deciles of England (default: the `shaded_deprived_deciles` parameter). England
    only: Welsh, Scottish and Northern Irish districts get a note instead of a share."""
    from keepitlocal.geo.names import lad_name
    from keepitlocal.parameters import value

    deciles = deciles if deciles is not None else int(value("assetmap", "shaded_deprived_deciles"))
    lookup = lookup if lookup is not None else default_lookup()
    counts: dict[str, list[int]] = {}
    for lsoa, lad in lookup.lad_of_lsoa21.items():
        tally = counts.setdefault(lad, [0, 0])
        tally[0] += 1
        tally[1] += lookup.decile_2025[lsoa] <= deciles
    out = []
    for lad in lads:
        total, deprived = counts.get(lad, (0, 0))
        note = None if total else NOT_ENGLAND.get(
            lad[:1], "no English IoD2025 neighbourhoods carry this district code")
        out.append(DistrictDeprivation(
            lad, lad_name(lad) or lad, total, deprived, deciles,
            Decimal(deprived) / Decimal(total) if total else None, note))
    return out
