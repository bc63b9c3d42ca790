"""Postcode lookups: exact units, the sector then district fallback, batch lookups, and the full
UK store (marked `postcodes`)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from keepitlocal.geo import (
    InvalidPostcode,
    Location,
    PostcodeStore,
    UnknownPostcode,
    is_valid_postcode,
    lad_name,
    lookup,
)
from keepitlocal.geo import io as geo_io
from keepitlocal.geo.store import build_store, haversine_km

# ---- the tiny store -------------------------------------------------------------------------


def test_unit_lookup_any_form(tiny_store: PostcodeStore) -> None:
    location = tiny_store.lookup(" hx12jj ")
    assert location == Location("HX1 2JJ", 53.72, -1.86, "E08000033", "unit")
    assert location.is_exact and location.has_coordinates


def test_unknown_unit_falls_back_to_its_sector(tiny_store: PostcodeStore) -> None:
    location = tiny_store.lookup("HX1 2ZZ")
    assert location.level == "sector"
    assert location.postcode == "HX1 2ZZ"
    # The mean of the four HX1 2 units, and their most common LAD (3 of 4).
    assert location.lat == pytest.approx((53.72 + 53.721 + 53.722 + 53.723) / 4)
    assert location.lon == pytest.approx((-1.86 - 1.862 - 1.864 - 1.866) / 4)
    assert location.lad == "E08000033"
    assert not location.is_exact


def test_unknown_sector_falls_back_to_its_district(tiny_store: PostcodeStore) -> None:
    location = tiny_store.lookup("HX1 9AB")
    assert location.level == "district"
    five_units = [53.72, 53.721, 53.722, 53.723, 53.73]
    assert location.lat == pytest.approx(sum(five_units) / 5)
    assert location.lad == "E08000033"


def test_unknown_district_raises_naming_the_postcode(tiny_store: PostcodeStore) -> None:
    with pytest.raises(UnknownPostcode) as raised:
        tiny_store.lookup("ls1 1aa")
    assert "'ls1 1aa'" in str(raised.value)
    assert raised.value.postcode == "ls1 1aa"


def test_invalid_postcode_raises_before_any_lookup(tiny_store: PostcodeStore) -> None:
    with pytest.raises(InvalidPostcode, match="'HX1 2J' is not a valid UK postcode"):
        tiny_store.lookup("HX1 2J")


def test_postcode_without_coordinates_keeps_its_lad(tiny_store: PostcodeStore) -> None:
    location = tiny_store.lookup("GY1 1AA")
    assert location.lad == "L99999999"
    assert not location.has_coordinates
    assert math.isnan(location.lat) and math.isnan(location.lon)


def test_lookup_many_matches_single_lookups(tiny_store: PostcodeStore) -> None:
    texts = [
        "HX1 2JJ",
        "hx12jj",
        "HX1 2ZZ",
        "HX1 9AB",
        "LS1 1AA",
        "nonsense",
        "",
        "GY1 1AA",
        "HX1  2JN",
        "HX1 2ZZ",
        "HX1 2JJ   x",
        "ＨＸ１２ＪＪ",
        "HX12JJJJJJ",
    ]
    many = tiny_store.lookup_many(texts)
    assert len(many) == len(texts)
    for text, found in zip(texts, many, strict=True):
        try:
            single: Location | None = tiny_store.lookup(text)
        except (InvalidPostcode, UnknownPostcode):
            single = None
        if single is not None and not single.has_coordinates:
            assert found is not None and found.lad == single.lad
        else:
            assert found == single, text


def test_lookup_many_treats_non_text_as_unknown(tiny_store: PostcodeStore) -> None:
    assert tiny_store.lookup_many([None, 42, "HX1 2JJ"]) == [  # type: ignore[list-item]
        None,
        None,
        tiny_store.lookup("HX1 2JJ"),
    ]
    assert tiny_store.lookup_many([]) == []


def test_from_records_rejects_duplicates_and_bad_postcodes() -> None:
    with pytest.raises(ValueError, match="HX12JJ appears more than once"):
        PostcodeStore.from_records([("HX1 2JJ", 1.0, 1.0, "X"), ("hx12jj", 1.0, 1.0, "X")])
    with pytest.raises(InvalidPostcode):
        PostcodeStore.from_records([("not one", 1.0, 1.0, "X")])


def test_lookup_uses_the_store_given(tiny_store: PostcodeStore) -> None:
    assert lookup("hx1 2jj", tiny_store).lad == "E08000033"


def test_nearest(tiny_store: PostcodeStore) -> None:
    found = tiny_store.nearest(53.7201, -1.8601)
    assert found is not None and found.postcode == "HX1 2JJ"
    assert tiny_store.nearest(50.0, 0.0) is None  # nothing within 5 km


def test_haversine() -> None:
    assert haversine_km(51.4998, -0.1247, 51.4998, -0.1247) == 0
    london_leeds = haversine_km(51.4998, -0.1247, 53.7962, -1.5525)
    assert 265 < london_leeds < 280
    assert london_leeds == pytest.approx(haversine_km(53.7962, -1.5525, 51.4998, -0.1247))
    assert math.isnan(haversine_km(math.nan, 0, 0, 0))


def test_store_round_trip_on_disk(tmp_path: Path, tiny_store: PostcodeStore) -> None:
    arrays = {
        name: getattr(table, attr)
        for level, table in tiny_store._tables.items()
        for name, attr in (
            (f"{level}_keys", "keys"),
            (f"{level}_lat", "lat"),
            (f"{level}_lon", "lon"),
            (f"{level}_lad", "lad"),
        )
    }
    arrays["lad_codes"] = np.array(tiny_store.lad_codes, dtype="U9")
    path = geo_io.save_arrays(tmp_path / "store", arrays, {"format": 1})
    assert geo_io.is_complete(path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folder left
    loaded = PostcodeStore.load(path)
    assert loaded.lookup("HX1 2ZZ") == tiny_store.lookup("HX1 2ZZ")


def test_data_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KEEPITLOCAL_DATA_DIR", str(tmp_path / "mine"))
    assert geo_io.data_dir() == tmp_path / "mine"
    monkeypatch.delenv("KEEPITLOCAL_DATA_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert geo_io.data_dir() == tmp_path / "xdg" / "keepitlocal"
    assert geo_io.store_path().name == f"postcodes-{geo_io.source_version()}-v1"


# ---- the full UK store ------------------------------------------------------------------------

KNOWN = [
    # given, canonical, lat, lon, lad
    ("SW1A 0AA", "SW1A 0AA", 51.4998, -0.1247, "E09000033"),  # Westminster
    ("ls11aa", "LS1 1AA", 53.7962, -1.5525, "E08000035"),  # Leeds
    ("BT1 1AA", "BT1 1AA", 54.6024, -5.9223, "N09000003"),  # Belfast, on the Irish Grid
    ("hx1 2jj", "HX1 2JJ", 53.7193, -1.8600, "E08000033"),  # Calderdale
    ("S1 2HH", "S1 2HH", 53.3808, -1.4675, "E08000039"),  # Sheffield, LAD25 code
    ("CA3 8QG", "CA3 8QG", 54.8937, -2.9371, "E06000063"),  # Carlisle, Cumberland
]


@pytest.mark.postcodes
@pytest.mark.parametrize(("given", "canonical", "lat", "lon", "lad"), KNOWN)
def test_known_postcodes(
    real_store: PostcodeStore, given: str, canonical: str, lat: float, lon: float, lad: str
) -> None:
    location = real_store.lookup(given)
    assert location.postcode == canonical
    assert location.level == "unit"
    assert location.lat == pytest.approx(lat, abs=0.01)  # in the right street or two
    assert location.lon == pytest.approx(lon, abs=0.01)
    assert location.lad == lad


@pytest.mark.postcodes
def test_reference_points_to_four_places(real_store: PostcodeStore) -> None:
    for postcode, lat, lon in [
        ("SW1A 0AA", 51.4998, -0.1247),
        ("LS1 1AA", 53.7962, -1.5525),
        ("BT1 1AA", 54.6024, -5.9223),
    ]:
        location = real_store.lookup(postcode)
        assert round(location.lat, 4) == lat and round(location.lon, 4) == lon, postcode


@pytest.mark.postcodes
def test_real_terminated_and_typo_postcodes_fall_back(real_store: PostcodeStore) -> None:
    # AB23 9AA is listed in the directory without coordinates or LAD (terminated).
    terminated = real_store.lookup("AB23 9AA")
    assert terminated.level == "sector"
    assert terminated.lad == "S12000033"  # Aberdeen City
    # A typo in the last letters of a Leeds postcode.
    typo = real_store.lookup("LS1 1ZZ")
    assert typo.level == "sector" and typo.lad == "E08000035"
    assert haversine_km(typo.lat, typo.lon, 53.7962, -1.5525) < 2
    # A whole sector that is gone: AB11 3 falls back to the AB11 district.
    district = real_store.lookup("AB11 3AG")
    assert district.level == "district" and district.lad == "S12000033"
    with pytest.raises(UnknownPostcode):
        real_store.lookup("ZE9 9AA")  # well-formed; no such district


@pytest.mark.postcodes
def test_channel_islands_and_isle_of_man_have_lads_without_points(
    real_store: PostcodeStore,
) -> None:
    for postcode, lad in [("GY1 1AA", "L99999999"), ("IM1 1AA", "M99999999")]:
        location = real_store.lookup(postcode)
        assert location.lad == lad and not location.has_coordinates


@pytest.mark.postcodes
def test_every_lad_in_the_data_has_a_name(real_store: PostcodeStore) -> None:
    assert len(real_store.lad_codes) == 363
    missing = [code for code in real_store.lad_codes if lad_name(code) is None]
    assert missing == []


@pytest.mark.postcodes
def test_every_stored_postcode_is_valid(real_store: PostcodeStore) -> None:
    keys = real_store._tables["unit"].keys
    assert len(keys) > 2_700_000
    invalid = [k for k in keys.astype("U7").tolist() if not is_valid_postcode(k)]
    assert invalid == []


@pytest.mark.postcodes
def test_points_fall_inside_the_uk(real_store: PostcodeStore) -> None:
    units = real_store._tables["unit"]
    lat = np.asarray(units.lat)
    lon = np.asarray(units.lon)
    located = ~np.isnan(lat)
    assert located.sum() > 2_690_000
    assert lat[located].min() > 49.8 and lat[located].max() < 60.9
    assert lon[located].min() > -8.7 and lon[located].max() < 1.8
    northern_ireland = np.char.startswith(units.keys, b"BT") & located
    assert (lon[northern_ireland] < -5.4).all()  # all of NI lies west of 5.4 W


@pytest.mark.postcodes
def test_lookup_many_on_the_full_store(real_store: PostcodeStore) -> None:
    texts = ["SW1A0AA", "bt1 1aa", "LS1 1ZZ", "not a postcode", "ZE9 9AA", None]
    found = real_store.lookup_many(texts)  # type: ignore[arg-type]
    assert [f.level if f else None for f in found] == ["unit", "unit", "sector", None, None, None]
    assert found[1] == real_store.lookup("BT1 1AA")


@pytest.mark.postcodes
def test_reloading_the_store_gives_the_same_places(real_store: PostcodeStore) -> None:
    assert real_store.path is not None
    again = PostcodeStore.load(real_store.path)
    assert again.lookup("HX1 2JJ") == real_store.lookup("HX1 2JJ")


def test_build_store_on_a_small_source(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The build pipeline end to end (reading, both grids, centroids, saving) on three rows."""
    rows = geo_io.SourceRows(
        pcd=["SW1A0AA", "BT1 1AA", "GY1 1AA", "AB239AA"],
        laua=["E09000033", "N09000003", "L99999999", ""],
        east=np.array([530268.0, 334316.0, np.nan, np.nan]),
        north=np.array([179545.0, 374675.0, np.nan, np.nan]),
    )
    monkeypatch.setattr(geo_io, "read_source", lambda progress=None: rows)
    messages: list[str] = []
    store = build_store(tmp_path, progress=messages.append)
    assert store.path is not None and store.path.parent == tmp_path
    assert store.meta["rows_dropped_empty"] == 1
    assert any("EPSG:29903" in m for m in messages)
    belfast = store.lookup("BT1 1AA")
    assert belfast.lat == pytest.approx(54.6024, abs=1e-3)
    assert belfast.lon == pytest.approx(-5.9223, abs=1e-3)
    westminster = store.lookup("SW1A 0AA")
    assert westminster.lat == pytest.approx(51.4998, abs=1e-3)
    assert store.lookup("GY1 1AA").lad == "L99999999"
    with pytest.raises(UnknownPostcode):
        store.lookup("AB23 9AA")
