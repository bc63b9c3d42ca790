"""Headline rounding (two significant figures) and exact figures alongside."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepitlocal.enabled.formatting import approximately_fte, approximately_pounds, number, pounds

from .helpers import D


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1401", "approximately 1,400 FTE"),
        ("1399", "approximately 1,400 FTE"),
        ("312", "approximately 310 FTE"),
        ("26.3", "approximately 26 FTE"),
        ("5.43", "approximately 5.4 FTE"),
        ("0.43", "approximately 0.4 FTE"),
        ("0", "approximately 0 FTE"),
        ("995", "approximately 1,000 FTE"),
    ],
)
def test_approximately_fte(value, text):
    assert approximately_fte(D(value)) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("119609964", "approximately £120m"),
        ("12913842", "approximately £13m"),
        ("1234567", "approximately £1.2m"),
        ("617010", "approximately £620,000"),
        ("850.40", "approximately £850"),
        ("12.34", "approximately £12"),
    ],
)
def test_approximately_pounds(value, text):
    assert approximately_pounds(D(value)) == text


def test_exact_figures_are_written_out():
    assert number(D("1401.00")) == "1,401"
    assert number(D("22.50")) == "22.5"
    assert pounds(D("119609964.00")) == "£119,609,964"


@given(st.decimals(min_value=1, max_value=10**9, places=2))
def test_two_significant_figures_are_within_five_percent(value: Decimal):
    text = approximately_pounds(value).removeprefix("approximately £").replace(",", "")
    rounded = D(text[:-1]) * 1_000_000 if text.endswith("m") else D(text)
    assert abs(rounded - value) <= value * D("0.05") + D("0.5")
