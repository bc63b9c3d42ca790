"""Areas: sets of LADs and radii, membership, project-file specs and their errors."""

from __future__ import annotations

import pytest

from keepitlocal.errors import InputError
from keepitlocal.geo import Area, InvalidPostcode, PostcodeStore, UnknownPostcode


def test_lad_area_membership(tiny_store: PostcodeStore) -> None:
    area = Area.from_lads(["e08000033"])
    assert area.kind == "lad"
    assert area.lads == ("E08000033",)
    assert area.contains(tiny_store.lookup("HX1 2JJ"))
    assert not area.contains(tiny_store.lookup("HX1 2JN"))  # Kirklees in the fixture
    assert area.contains(tiny_store.lookup("HX1 2ZZ"))  # sector centroid, Calderdale
    assert not area.contains(None)
    assert area.contains_many([tiny_store.lookup("HX1 2JJ"), None]) == [True, False]


def test_lad_area_describes_itself() -> None:
    assert Area.from_lads(["E08000033"]).describe() == "Calderdale (E08000033)"
    assert (
        Area.from_lads(["E08000033", "E08000034", "E08000033"]).describe()
        == "Calderdale (E08000033) and Kirklees (E08000034)"
    )
    three = Area.from_lads(["E08000033", "E08000034", "E08000035"])
    assert str(three) == "Calderdale (E08000033), Kirklees (E08000034) and Leeds (E08000035)"


def test_radius_area(tiny_store: PostcodeStore) -> None:
    area = Area.radius("hx1 2jj", 2, tiny_store)
    assert area.kind == "radius"
    assert area.describe() == "within 2 km of HX1 2JJ"
    assert area.contains(tiny_store.lookup("HX1 5AB"))  # about 1.2 km away
    assert not area.contains(tiny_store.lookup("HX3 6AA"))  # about 7 km away
    assert not area.contains(tiny_store.lookup("GY1 1AA"))  # no coordinates: never inside
    assert area.contains_point(53.72, -1.86)
    assert not area.contains_point(53.80, -1.86)  # 8.9 km north
    assert area.contains_postcode("HX1 2JL")
    assert Area.radius("HX1 2JJ", "12.5", tiny_store).describe() == "within 12.5 km of HX1 2JJ"


def test_radius_around_an_approximate_centre_says_so(tiny_store: PostcodeStore) -> None:
    area = Area.radius("HX1 2ZZ", 12, tiny_store)
    assert area.describe() == "within 12 km of HX1 2ZZ (sector centroid)"


def test_lad_area_contains_point_through_nearest_postcode(tiny_store: PostcodeStore) -> None:
    area = Area.from_spec({"lad": ["E08000033"]}, tiny_store)
    assert area.contains_point(53.7201, -1.8601)  # next to HX1 2JJ
    assert not area.contains_point(53.7221, -1.8641)  # next to HX1 2JN (Kirklees here)
    assert not area.contains_point(50.0, 0.0)  # the Channel


@pytest.mark.parametrize(
    "spec",
    [
        {"lad": ["E08000033", "E08000034"]},
        {"radius_km": 12, "centre": "HX1 2JJ"},
        {"radius_km": 2.5, "centre": "HX1 2JJ"},
    ],
)
def test_spec_round_trip(spec: dict[str, object], tiny_store: PostcodeStore) -> None:
    area = Area.from_spec(spec, tiny_store)
    assert area.to_spec() == spec
    assert Area.from_spec(area.to_spec(), tiny_store) == area


def test_spec_accepts_a_single_code_and_string_numbers(tiny_store: PostcodeStore) -> None:
    assert Area.from_spec({"lad": "E08000033"}).lads == ("E08000033",)
    assert Area.from_spec({"radius_km": "12", "centre": "hx12jj"}, tiny_store).km == 12


@pytest.mark.parametrize(
    ("spec", "key", "words"),
    [
        ({}, "area", "is empty"),
        ({"lad": []}, "area.lad", "non-empty list"),
        ({"lad": 33}, "area.lad", "non-empty list"),
        ({"lad": ["E08000333"]}, "area.lad", "not a current LAD code"),
        ({"lad": ["E08000016"]}, "area.lad", "retired LAD code; now E08000038 Barnsley"),
        ({"lad": ["E10000023"]}, "area.lad", "county code"),
        ({"lad": [None]}, "area.lad", "is not a LAD code"),
        ({"lad": ["E08000033"], "centre": "HX1 2JJ"}, "area.lad", "not both"),
        ({"radius_km": 12}, "area.centre", "is missing"),
        ({"centre": "HX1 2JJ"}, "area.radius_km", "is missing"),
        ({"radius_km": -1, "centre": "HX1 2JJ"}, "area.radius_km", "positive"),
        ({"radius_km": 0, "centre": "HX1 2JJ"}, "area.radius_km", "positive"),
        ({"radius_km": "twelve", "centre": "HX1 2JJ"}, "area.radius_km", "not a number"),
        ({"radius_km": True, "centre": "HX1 2JJ"}, "area.radius_km", "not a number"),
        ({"radius_km": "nan", "centre": "HX1 2JJ"}, "area.radius_km", "positive"),
        ({"radius_km": 12, "centre": 12}, "area.centre", "must be a postcode"),
        ({"radius_km": 12, "centre": "HX1 ZZZ"}, "area.centre", "'HX1 ZZZ' is not a valid"),
        ({"radius_km": 12, "centre": "LS1 1AA"}, "area.centre", "'LS1 1AA' is not in"),
        ({"radius_km": 12, "centre": "GY1 1AA"}, "area.centre", "no coordinates"),
        ({"lads": ["E08000033"]}, "area.lads", "unknown key"),
    ],
)
def test_bad_specs_name_the_key(
    spec: dict[str, object], key: str, words: str, tiny_store: PostcodeStore
) -> None:
    with pytest.raises(InputError) as raised:
        Area.from_spec(spec, tiny_store)
    message = str(raised.value)
    assert f'"{key}"' in message
    assert words in message


def test_postcode_errors_keep_their_type(tiny_store: PostcodeStore) -> None:
    with pytest.raises(InvalidPostcode):
        Area.from_spec({"radius_km": 1, "centre": "nope"}, tiny_store)
    with pytest.raises(UnknownPostcode):
        Area.from_spec({"radius_km": 1, "centre": "LS1 1AA"}, tiny_store)


def test_spec_must_be_a_mapping() -> None:
    with pytest.raises(InputError, match='"area"'):
        Area.from_spec(["E08000033"])  # type: ignore[arg-type]


def test_bad_lad_suggests_names() -> None:
    with pytest.raises(InputError, match=r"did you mean E08000033 \(Calderdale\)"):
        Area.from_lads(["calderdale"])


def test_all_bad_codes_are_reported_at_once() -> None:
    with pytest.raises(InputError) as raised:
        Area.from_lads(["E08000333", "X", "E08000033"])
    assert len(raised.value.problems) == 2


@pytest.mark.postcodes
def test_radius_on_the_real_store(real_store: PostcodeStore) -> None:
    area = Area.from_spec({"radius_km": 12, "centre": "BH22 8AA"}, real_store)
    assert area.describe() == "within 12 km of BH22 8AA"
    assert area.contains_postcode("BH1 1AA")  # Bournemouth, about 10 km
    assert not area.contains_postcode("SO14 7DU")  # Southampton, about 35 km
    calderdale = Area.from_lads(["E08000033"], real_store)
    halifax = real_store.lookup("HX1 2JJ")
    assert calderdale.contains_point(halifax.lat, halifax.lon)
    assert not calderdale.contains_point(53.7962, -1.5525)  # Leeds
