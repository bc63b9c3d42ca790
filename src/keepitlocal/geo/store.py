"""The postcode store: every UK postcode with its coordinates and LAD, plus sector and district
centroids, held as sorted numpy arrays.

Sorted fixed-width keys make a lookup a binary search and a batch of lookups one vectorised
`searchsorted`; the arrays are saved as plain .npy files so later processes memory-map them in
milliseconds instead of re-reading 2.7 million rows of the source.
"""

from __future__ import annotations

import functools
import math
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from keepitlocal.geo import io
from keepitlocal.geo.model import Level, Location, UnknownPostcode
from keepitlocal.geo.postcodes import _COMPACT, compact_postcode, normalise_postcode

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius

# Widths of the keys without their space: unit "SW1A0AA", sector "SW1A0", district "SW1A".
_WIDTH: dict[Level, int] = {"unit": 7, "sector": 5, "district": 4}
# How many characters each level drops from the end of a compact unit postcode.
_TRIM: dict[Level, int] = {"unit": 0, "sector": 2, "district": 3}

Progress = io.Progress


@dataclass(frozen=True)
class _Table:
    """One level of the store: sorted keys and, row for row, lat, lon and LAD index (-1: none)."""

    level: Level
    keys: NDArray[np.bytes_]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    lad: NDArray[np.int16]

    def find(self, queries: NDArray[np.bytes_]) -> NDArray[np.intp]:
        """Row of each query, or -1 where it is absent."""
        if len(self.keys) == 0 or len(queries) == 0:
            return np.full(len(queries), -1, dtype=np.intp)
        index = np.minimum(np.searchsorted(self.keys, queries), len(self.keys) - 1)
        return np.where(self.keys[index] == queries, index, -1)

    def find_one(self, key: bytes) -> int:
        index = int(np.searchsorted(self.keys, key))
        if index < len(self.keys) and self.keys[index] == key:
            return index
        return -1


class PostcodeStore:
    """Looks up UK postcodes offline, falling back to sector then district centroids.

    Open the shared one with `default_store()`; build a tiny one for tests with `from_records`.
    """

    def __init__(
        self,
        arrays: Mapping[str, NDArray[Any]],
        meta: Mapping[str, Any] | None = None,
        path: Path | None = None,
    ) -> None:
        self.meta = dict(meta or {})
        self.path = path
        self._tables = {
            level: _Table(
                level,
                arrays[f"{level}_keys"],
                arrays[f"{level}_lat"],
                arrays[f"{level}_lon"],
                arrays[f"{level}_lad"],
            )
            for level in _WIDTH
        }
        self.lad_codes: tuple[str, ...] = tuple(str(code) for code in arrays["lad_codes"])
        # Index i + 1 gives the code of LAD index i, and index 0 (from -1) gives None.
        self._lad_by_index: list[str | None] = [None, *self.lad_codes]

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def from_records(
        cls, records: Iterable[tuple[str, float | None, float | None, str | None]]
    ) -> PostcodeStore:
        """An in-memory store from (postcode, lat, lon, lad) rows, centroids derived as in a build.

        Meant for tests and small fixtures; postcodes may be in any case and spacing.
        """
        keys: list[str] = []
        lats: list[float] = []
        lons: list[float] = []
        lads: list[str] = []
        for postcode, lat, lon, lad in records:
            keys.append(normalise_postcode(postcode).replace(" ", ""))
            lats.append(math.nan if lat is None else float(lat))
            lons.append(math.nan if lon is None else float(lon))
            lads.append(lad or "")
        arrays, counts = derive_tables(
            keys, np.array(lats, dtype=np.float64), np.array(lons, dtype=np.float64), lads
        )
        return cls(arrays, {"source": "records", **counts})

    @classmethod
    def load(cls, path: Path) -> PostcodeStore:
        arrays, meta = io.load_arrays(path)
        return cls(arrays, meta, path)

    @classmethod
    def open(cls, directory: Path | None = None, progress: Progress | None = None) -> PostcodeStore:
        """The store in `directory` (default: the data directory), built first if missing."""
        path = io.store_path(directory)
        if io.is_complete(path):
            return cls.load(path)
        return build_store(directory, progress=progress)

    # ---- lookups --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._tables["unit"].keys)

    def lookup(self, text: str) -> Location:
        """The location of one postcode: the unit if known, else its sector, else its district.

        Raises InvalidPostcode for text that is not a postcode, UnknownPostcode when nothing
        matches.
        """
        postcode = normalise_postcode(text)
        compact = postcode.replace(" ", "")
        for level, trim in _TRIM.items():
            table = self._tables[level]
            row = table.find_one(compact[: len(compact) - trim].encode("ascii"))
            if row >= 0:
                return Location(
                    postcode,
                    float(table.lat[row]),
                    float(table.lon[row]),
                    self._lad_by_index[int(table.lad[row]) + 1],
                    level,
                )
        raise UnknownPostcode(text)

    def lookup_many(self, texts: Sequence[str]) -> list[Location | None]:
        """Locations for many postcodes at once, in order; None for invalid or unknown ones.

        Vectorised: repeated texts are resolved once, all keys are found with one binary search
        per level, and only the misses are validated and tried at sector and district level.
        """
        first: dict[str, int] = {}
        slots = [first.setdefault(t, len(first)) if isinstance(t, str) else -1 for t in texts]
        compacts = [compact_postcode(t) for t in first]
        found: list[Location | None] = [None] * len(compacts)
        pending = np.arange(len(compacts))
        for level, trim in _TRIM.items():
            if level == "sector":  # only well-formed postcodes may fall back to a centroid
                valid = [_COMPACT.fullmatch(compacts[i]) is not None for i in pending.tolist()]
                pending = pending[np.array(valid, dtype=bool)]
            if len(pending) == 0:
                break
            keys = np.array([_key(compacts[i], trim) for i in pending], dtype="S7")
            table = self._tables[level]
            rows = table.find(keys)
            hit = rows >= 0
            self._fill(found, compacts, pending[hit], table, rows[hit])
            pending = pending[~hit]
        return [found[s] if s >= 0 else None for s in slots]

    def _fill(
        self,
        found: list[Location | None],
        compacts: list[str],
        where: NDArray[np.intp],
        table: _Table,
        rows: NDArray[np.intp],
    ) -> None:
        lats = table.lat[rows].tolist()
        lons = table.lon[rows].tolist()
        lads = [self._lad_by_index[i] for i in (table.lad[rows].astype(np.intp) + 1).tolist()]
        level = table.level
        for i, lat, lon, lad in zip(where.tolist(), lats, lons, lads, strict=True):
            compact = compacts[i]
            found[i] = Location(f"{compact[:-3]} {compact[-3:]}", lat, lon, lad, level)

    def nearest(self, lat: float, lon: float, max_km: float = 5.0) -> Location | None:
        """The unit postcode nearest a point, or None if none lies within `max_km`.

        A brute-force scan (tens of milliseconds on the full store): fine for a map click, not
        for bulk work. It stands in for LAD boundaries, which no offline package ships.
        """
        units = self._tables["unit"]
        if len(units.keys) == 0:
            return None
        scale = math.cos(math.radians(lat))
        d2 = (units.lat - lat) ** 2 + ((units.lon - lon) * scale) ** 2
        row = int(np.nanargmin(d2)) if not np.all(np.isnan(d2)) else -1
        if row < 0:
            return None
        found_lat, found_lon = float(units.lat[row]), float(units.lon[row])
        if haversine_km(lat, lon, found_lat, found_lon) > max_km:
            return None
        key = units.keys[row].decode("ascii")
        return Location(
            f"{key[:-3]} {key[-3:]}",
            found_lat,
            found_lon,
            self._lad_by_index[int(units.lad[row]) + 1],
            "unit",
        )

    def count(self, level: Level) -> int:
        return len(self._tables[level].keys)


def _key(compact: str, trim: int) -> str:
    """The key of `compact` at a level; "" (never found) for anything that cannot be a key."""
    if len(compact) > 7 or not compact.isascii():
        return ""
    return compact[: len(compact) - trim] if trim else compact


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; NaN if either point has no coordinates."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    if a > 1:  # rounding, for antipodes; NaN passes through
        a = 1.0
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


# ---- building ---------------------------------------------------------------------------------


def derive_tables(
    keys: Sequence[str],
    lat: NDArray[np.float64],
    lon: NDArray[np.float64],
    lads: Sequence[str],
) -> tuple[dict[str, NDArray[Any]], dict[str, int]]:
    """Sorted unit, sector and district tables from per-postcode columns.

    `keys` are compact postcodes ("HX12JJ"), `lads` codes or "" for none. Rows with neither
    coordinates nor LAD carry no information and are left out, so such postcodes resolve through
    their sector like any other unknown unit. A sector or district centroid is the mean lat/lon
    of its unit postcodes that have coordinates, and its LAD the most common one among them.
    """
    codes, inverse = np.unique(np.array(lads, dtype="U9"), return_inverse=True)
    lad_index = inverse.astype(np.int16)
    if len(codes) and codes[0] == "":
        codes = codes[1:]
        lad_index -= 1
    has_point = ~(np.isnan(lat) | np.isnan(lon))
    useful = has_point | (lad_index >= 0)
    key_array = np.array(keys, dtype="S7")[useful]
    lat, lon, lad_index = lat[useful], lon[useful], lad_index[useful]
    order = np.argsort(key_array, kind="stable")
    key_array, lat, lon, lad_index = key_array[order], lat[order], lon[order], lad_index[order]
    if len(key_array) > 1 and bool(np.any(key_array[1:] == key_array[:-1])):
        duplicate = key_array[1:][key_array[1:] == key_array[:-1]][0].decode()
        raise ValueError(f"postcode {duplicate} appears more than once")

    arrays: dict[str, NDArray[Any]] = {
        "unit_keys": key_array,
        "unit_lat": lat,
        "unit_lon": lon,
        "unit_lad": lad_index,
        "lad_codes": codes.astype("U9"),
    }
    compact = [k.decode("ascii") for k in key_array.tolist()]
    for level in ("sector", "district"):
        trim = _TRIM[level]
        parents = np.array([k[: len(k) - trim] for k in compact], dtype=f"S{_WIDTH[level]}")
        arrays.update(_centroids(level, parents, lat, lon, lad_index, len(codes)))
    counts = {
        "units": len(key_array),
        "sectors": len(arrays["sector_keys"]),
        "districts": len(arrays["district_keys"]),
        "lads": len(codes),
        "units_without_coordinates": int(np.count_nonzero(np.isnan(lat))),
        "rows_dropped_empty": int(np.count_nonzero(~useful)),
    }
    return arrays, counts


def _centroids(
    level: str,
    parents: NDArray[np.bytes_],
    lat: NDArray[np.float64],
    lon: NDArray[np.float64],
    lad_index: NDArray[np.int16],
    lad_count: int,
) -> dict[str, NDArray[Any]]:
    keys, group = np.unique(parents, return_inverse=True)
    n = len(keys)
    located = ~np.isnan(lat)
    points = np.bincount(group[located], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_lat = np.bincount(group[located], weights=lat[located], minlength=n) / points
        mean_lon = np.bincount(group[located], weights=lon[located], minlength=n) / points
    lad = np.full(n, -1, dtype=np.int16)
    if lad_count:
        with_lad = lad_index >= 0
        votes = np.bincount(
            group[with_lad] * lad_count + lad_index[with_lad].astype(np.intp),
            minlength=n * lad_count,
        ).reshape(n, lad_count)
        lad = np.where(votes.max(axis=1) > 0, votes.argmax(axis=1), -1).astype(np.int16)
    return {
        f"{level}_keys": keys,
        f"{level}_lat": np.round(mean_lat, 6),
        f"{level}_lon": np.round(mean_lon, 6),
        f"{level}_lad": lad,
    }


def grid_to_wgs84(
    keys: NDArray[np.bytes_], east: NDArray[np.float64], north: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """ONSPD grid references to WGS84 lat/lon.

    Great Britain is on the British National Grid (EPSG:27700) but Northern Ireland's BT
    postcodes are on the Irish Grid (EPSG:29903): treating them as BNG would put Belfast in
    Cheshire. pyproj's bundled definitions need no grid download and are good to a few metres.
    """
    from pyproj import Transformer  # only needed when building: keep `import keepitlocal.geo` light

    lat = np.full(len(keys), np.nan)
    lon = np.full(len(keys), np.nan)
    located = ~(np.isnan(east) | np.isnan(north))
    northern_ireland = np.char.startswith(keys, b"BT")
    for crs, mask in (
        ("EPSG:27700", located & ~northern_ireland),
        ("EPSG:29903", located & northern_ireland),
    ):
        transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        lon[mask], lat[mask] = transformer.transform(east[mask], north[mask])
    return np.round(lat, 6), np.round(lon, 6)


def build_store(
    directory: Path | None = None, *, progress: Progress | None = None, replace: bool = False
) -> PostcodeStore:
    """Read the packaged ONSPD data, convert it and save the store; returns it opened."""
    say = progress or io._quiet
    started = time.perf_counter()
    path = io.store_path(directory)
    say(f"building the UK postcode store in {path} (one-off, usually under 20 s)")
    source = io.read_source(say)
    keys = [p.replace(" ", "") for p in source.pcd]
    say("converting grid references to latitude/longitude (GB: EPSG:27700, NI: EPSG:29903)")
    lat, lon = grid_to_wgs84(np.array(keys, dtype="S7"), source.east, source.north)
    say("deriving sector and district centroids")
    arrays, counts = derive_tables(keys, lat, lon, source.laua)
    meta = {
        "source": io.SOURCE_DIST,
        "source_version": io.source_version(),
        "source_data": "ONS Postcode Directory (ONSPD/NSPD), November 2025",
        "format": io.STORE_FORMAT,
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows_read": len(keys),
        **counts,
    }
    io.save_arrays(path, arrays, meta, replace=replace)
    say(
        f"built {counts['units']:,} postcodes, {counts['sectors']:,} sectors, "
        f"{counts['districts']:,} districts, {counts['lads']} LADs "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return PostcodeStore.load(path)


def _to_stderr(message: str) -> None:
    print(f"keepitlocal: {message}", file=sys.stderr, flush=True)


@functools.cache
def default_store() -> PostcodeStore:
    """The shared store of this process, built on first use (with messages on stderr)."""
    return PostcodeStore.open(progress=_to_stderr)


def lookup(postcode: str, store: PostcodeStore | None = None) -> Location:
    """Look up one postcode in `store`, or in the default store."""
    return (store if store is not None else default_store()).lookup(postcode)
