"""Former districts lead to the council that covers them now; names and codes resolve to a
current ONS code or are refused in words, never cut or guessed."""

from __future__ import annotations

import csv
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepitlocal.geo.names import UnknownLad, former_lads, lad_names, lad_options, resolve_lad


def test_every_successor_is_a_current_district_and_no_former_code_is_current() -> None:
    text = resources.files("keepitlocal").joinpath("reference/lad_successors.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(former_lads())
    for former in former_lads().values():
        assert former.successor in lad_names(), former
        assert former.code not in lad_names(), former


@pytest.mark.parametrize(
    ("text", "code", "note"),
    [
        ("Calderdale", "E08000033", ""),
        ("  calderdale ", "E08000033", ""),
        ("e08000033", "E08000033", ""),
        ("Calderdale (E08000033)", "E08000033", ""),
        ("Harrogate", "E06000065", "Harrogate became part of North Yorkshire in 2023"),
        ("E07000163", "E06000065", "Craven became part of North Yorkshire in 2023"),
        ("Selby", "E06000065", "Selby became part of North Yorkshire in 2023"),
        ("South Lakeland", "E06000064", "South Lakeland became part of Westmorland and Furness in 2023"),
        ("Allerdale", "E06000063", "Allerdale became part of Cumberland in 2023"),
        ("Mendip", "E06000066", "Mendip became part of Somerset in 2023"),
        ("Taunton Deane", "E06000066", "Taunton Deane became part of Somerset in 2023"),
        ("Wycombe", "E06000060", "Wycombe became part of Buckinghamshire in 2020"),
        ("Kettering", "E06000061", "Kettering became part of North Northamptonshire in 2021"),
        ("Waveney", "E07000244", "Waveney became part of East Suffolk in 2019"),
        ("Christchurch", "E06000058",
         "Christchurch became part of Bournemouth, Christchurch and Poole in 2019"),
        ("E08000019", "E08000039", "E08000019 was replaced by E08000039 in 2024"),
        ("Harrogate (now North Yorkshire)", "E06000065",
         "Harrogate became part of North Yorkshire in 2023"),
        ("kingston-upon-hull", "E06000010", ""),
        ("York", "E06000014", ""),
        ("CALDERDAL", "E08000033", ""),  # the start of exactly one name
    ],
)
def test_names_and_codes_resolve_to_the_current_council(text: str, code: str, note: str) -> None:
    choice = resolve_lad(text)
    assert (choice.code, choice.note) == (code, note)
    assert choice.name == lad_names()[code]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Calderdale Borough", "No council area is called “Calderdale Borough”"),
        ("Ca", "More than one council area starts with “Ca”"),
        ("E07999999", "E07999999 is not a council area code we know"),
        ("North", "More than one council area starts with “North”"),
        ("Atlantis", "No council area is called “Atlantis”"),
    ],
)
def test_anything_else_is_refused_in_words_naming_the_council_area(text: str, words: str) -> None:
    with pytest.raises(UnknownLad) as refused:
        resolve_lad(text)
    assert str(refused.value).startswith(words)
    assert "council area" in str(refused.value)


def test_the_options_cover_every_current_and_renamed_former_district() -> None:
    values = [value for value, _ in lad_options()]
    assert set(lad_names()) <= set(values)
    assert "E07000165" in values  # Harrogate, listed under its own name
    assert len(values) == len(set(values))


@given(st.text(max_size=40))
def test_any_text_resolves_to_a_current_code_or_is_refused(text: str) -> None:
    try:
        choice = resolve_lad(text)
    except UnknownLad as refused:
        assert str(refused)
    else:
        assert choice.code in lad_names()
