"""Postcode normalisation and validation: tables of real-world shapes, and properties."""

from __future__ import annotations

import pickle
import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepitlocal.errors import InputError, KeepItLocalError
from keepitlocal.geo import (
    InvalidPostcode,
    district_of,
    is_valid_postcode,
    normalise_postcode,
    sector_of,
)

CANONICAL = re.compile(r"[A-Z][A-Z0-9]{1,3} [0-9][A-Z]{2}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hx12jj", "HX1 2JJ"),
        ("HX1 2JJ", "HX1 2JJ"),
        ("  hx1   2jj ", "HX1 2JJ"),
        ("Hx1\t2jJ", "HX1 2JJ"),
        ("SW1A0AA", "SW1A 0AA"),
        ("sw1a 0aa", "SW1A 0AA"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 1HQ", "W1A 1HQ"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("bt1 1aa", "BT1 1AA"),
        ("GIR 0AA", "GIR 0AA"),
        ("gir0aa", "GIR 0AA"),
        ("W1M 0AA", "W1M 0AA"),  # retired, but in the ONS directory
        ("NPT 0AD", "NPT 0AD"),  # legacy Newport outcode, in the ONS directory
        ("H X 1 2 J J", "HX1 2JJ"),
        ("HX1\u00a02JJ", "HX1 2JJ"),  # non-breaking space from a spreadsheet
    ],
)
def test_normalises_real_world_shapes(text: str, expected: str) -> None:
    assert normalise_postcode(text) == expected
    assert is_valid_postcode(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "HX1",  # a district is not a postcode
        "HX1 2",  # nor is a sector
        "HX1 2J",
        "HX1 2JJJ",
        "QX1 2JJ",  # Q never starts a postcode
        "HJ1 2JJ",  # J never second
        "HX1 2CJ",  # C never in the inward code
        "HX1 JJ2",
        "12345",
        "BFPO 123",  # out of scope
        "HX1-2JJ",
        "HX1 2JJ x",
        "ＨＸ１ ２ＪＪ",  # full-width characters
    ],
)
def test_rejects_malformed(text: str) -> None:
    assert not is_valid_postcode(text)
    with pytest.raises(InvalidPostcode) as raised:
        normalise_postcode(text)
    assert repr(text) in str(raised.value)
    assert raised.value.postcode == text


def test_invalid_postcode_is_an_input_error_naming_it() -> None:
    with pytest.raises(InputError) as raised:
        normalise_postcode("HX1 ZZZ")
    assert isinstance(raised.value, KeepItLocalError)
    assert "'HX1 ZZZ' is not a valid UK postcode" in str(raised.value)
    copy = pickle.loads(pickle.dumps(raised.value))
    assert str(copy) == str(raised.value)


def test_non_text_is_invalid() -> None:
    assert not is_valid_postcode(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidPostcode):
        normalise_postcode(12345)  # type: ignore[arg-type]


def test_sector_and_district() -> None:
    assert sector_of("HX1 2JJ") == "HX1 2"
    assert district_of("HX1 2JJ") == "HX1"
    assert sector_of("SW1A 0AA") == "SW1A 0"
    assert district_of("SW1A 0AA") == "SW1A"


# ---- properties -------------------------------------------------------------------------------

_FIRST = st.sampled_from([c for c in string.ascii_uppercase if c not in "QVX"])
_SECOND = st.sampled_from([c for c in string.ascii_uppercase if c not in "IJZ"])
_DIGIT = st.sampled_from(string.digits)
_INWARD_LETTER = st.sampled_from([c for c in string.ascii_uppercase if c not in "CIKMOV"])

outwards = st.one_of(
    st.tuples(_FIRST, _DIGIT),
    st.tuples(_FIRST, _DIGIT, _DIGIT),
    st.tuples(_FIRST, _SECOND, _DIGIT),
    st.tuples(_FIRST, _SECOND, _DIGIT, _DIGIT),
    st.tuples(_FIRST, _DIGIT, st.sampled_from(string.ascii_uppercase)),
    st.tuples(_FIRST, _SECOND, _DIGIT, st.sampled_from("ABEHMNPRVWXY")),
).map("".join)
inwards = st.tuples(_DIGIT, _INWARD_LETTER, _INWARD_LETTER).map("".join)
canonical_postcodes = st.builds(lambda o, i: f"{o} {i}", outwards, inwards)


@st.composite
def typed_forms(draw: st.DrawFn) -> tuple[str, str]:
    """A valid postcode as someone might type it: any case, spaces anywhere or nowhere."""
    canonical = draw(canonical_postcodes)
    out = []
    for char in canonical.replace(" ", ""):
        out.append(draw(st.sampled_from(["", " ", "  ", "\t"])))
        out.append(char.lower() if draw(st.booleans()) else char)
    out.append(draw(st.sampled_from(["", " ", "\n"])))
    return canonical, "".join(out)


@given(canonical_postcodes)
def test_generated_postcodes_are_valid_and_canonical(postcode: str) -> None:
    assert is_valid_postcode(postcode)
    assert normalise_postcode(postcode) == postcode
    assert CANONICAL.fullmatch(postcode)


@given(typed_forms())
def test_case_and_spacing_do_not_matter(forms: tuple[str, str]) -> None:
    canonical, typed = forms
    assert normalise_postcode(typed) == canonical


@given(st.text(max_size=12))
def test_any_text_is_either_rejected_or_canonical(text: str) -> None:
    try:
        result = normalise_postcode(text)
    except InvalidPostcode as error:
        assert not is_valid_postcode(text)
        assert error.postcode == text
    else:
        assert is_valid_postcode(text)
        assert CANONICAL.fullmatch(result) or result == "GIR 0AA"
        assert normalise_postcode(result) == result  # idempotent


@given(canonical_postcodes, st.sampled_from(string.ascii_uppercase))
def test_a_letter_for_the_inward_digit_is_invalid(postcode: str, letter: str) -> None:
    broken = postcode[:-3] + letter + postcode[-2:]
    assert not is_valid_postcode(broken)
