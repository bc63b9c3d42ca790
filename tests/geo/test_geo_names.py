"""LAD names: the packaged table covers every code, and people can find LADs by name."""

from __future__ import annotations

import pytest

from keepitlocal.geo import find_lads, lad_name, lad_names


def test_table_has_every_current_lad() -> None:
    names = lad_names()
    assert len(names) == 363
    assert all(code[0] in "ENSWLM" and len(code) == 9 for code in names)
    assert all(name and name == name.strip() for name in names.values())


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("E08000033", "Calderdale"),
        ("E08000038", "Barnsley"),
        ("E08000039", "Sheffield"),
        ("E06000063", "Cumberland"),
        ("E06000064", "Westmorland and Furness"),
        ("E06000065", "North Yorkshire"),
        ("E06000066", "Somerset"),
        ("N09000003", "Belfast"),
        ("L99999999", "Channel Islands"),
        ("M99999999", "Isle of Man"),
        ("W06000015", "Cardiff"),
        ("S12000036", "City of Edinburgh"),
        ("e08000033", "Calderdale"),
    ],
)
def test_lad_name(code: str, name: str) -> None:
    assert lad_name(code) == name


def test_lad_name_of_unknown_or_retired_code_is_none() -> None:
    assert lad_name("E08000016") is None  # Barnsley's pre-2025 code
    assert lad_name("nonsense") is None
    assert lad_name(None) is None  # type: ignore[arg-type]


def test_find_lads_by_name() -> None:
    assert find_lads("bristol") == [("E06000023", "Bristol, City of")]
    assert find_lads("Calderdale") == [("E08000033", "Calderdale")]
    york = find_lads("york")
    assert york[0] == ("E06000014", "York")  # the exact name first
    assert ("E06000065", "North Yorkshire") in york
    assert find_lads("kingston-upon-hull")[0][0] == "E06000010"
    assert find_lads("E08000039") == [("E08000039", "Sheffield")]
    assert find_lads("") == []
    assert find_lads("atlantis") == []


def test_find_lads_prefers_names_starting_with_the_query() -> None:
    names = [name for _, name in find_lads("north")]
    first_other = next(i for i, n in enumerate(names) if not n.lower().startswith("north"))
    assert all(not n.lower().startswith("north") for n in names[first_other:])
