"""Matching ledger names to register entries: ids, normalised names, fuzzy with review, decisions."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepitlocal.spend import SpendOptions, analyse
from keepitlocal.spend.matching import (
    Match,
    Matcher,
    Query,
    legal_form,
    match_all,
    name_keys,
    normalise_name,
)
from keepitlocal.spend.register import COLUMNS, Register, norm_company, norm_vat

from .conftest import CALDERDALE, write_csv


@pytest.mark.parametrize(("a", "b"), [
    ("Acme & Sons Limited", "ACME AND SONS LTD"),
    ("The Acme Co. Ltd.", "acme co"),
    ("O'Brien's Bakery", "OBriens Bakery Ltd"),
    ("Calder Valley Community Interest Company", "Calder Valley CIC"),
    ("J Smith T/A Smith Plumbing", "Smith Plumbing"),
    ("Café Crème", "Cafe Creme Limited"),
])
def test_normalised_names_agree(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


def test_trading_as_gives_owner_and_trade_names() -> None:
    assert name_keys("J Smith T/A Smith Plumbing") == [
        "smith plumbing", "j smith", "j smith smith plumbing"]


@given(st.text(alphabet="abcdefg &.'-", min_size=1, max_size=30))
def test_normalising_is_idempotent(name: str) -> None:
    once = normalise_name(name)
    assert normalise_name(once) == once


def test_ids_are_normalised() -> None:
    assert norm_vat("GB 123 4567 89") == "123456789"
    assert norm_company("1234567") == "01234567"
    assert norm_company("sc12345") == "SC012345"


def make_register(rows: list[dict[str, str]]) -> Register:
    frame = pd.DataFrame([{c: r.get(c) for c in COLUMNS} for r in rows])
    return Register(frame, ["test"])


REGISTER = make_register([
    {"id": "S1", "name": "Acme Catering Limited", "source": "council", "supplier_id": "S1"},
    {"id": "S2", "name": "Northern Widget Company", "source": "council",
     "vat_number": "123456789"},
    {"id": "CH:01234567", "name": "BRIGHOUSE BUILDERS AND SONS LTD", "source": "companies_house",
     "company_number": "01234567"},
    {"id": "S4", "name": "Halifax Cleaning Services", "source": "council"},
    {"id": "S5", "name": "Halifax Cleaning Supplies", "source": "council"},
    {"id": "S6", "name": "Pennine Print", "source": "council"},
    {"id": "S7", "name": "Pennine Print", "source": "council"},
])


def matches(queries: list[Query], decisions: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return match_all(queries, Matcher(REGISTER), decisions, 92, 80)


def test_match_order_ids_then_names_then_fuzzy() -> None:
    report = matches([
        Query("Totally different name", supplier_id="S1"),
        Query("NW Co", vat_number="GB123456789"),
        Query("Brighouse Builders & Sons Limited"),
        Query("Brighouse Bulders and Sons"),
        Query("Halifax Cleaning Service"),
        Query("Nobody Like This"),
        Query("Pennine Print"),
    ])
    got = [(m.method, m.index) for m in report.matches]
    assert got[0] == ("supplier_id", 0)
    assert got[1] == ("vat_number", 1)
    assert got[2] == ("name", 2)
    assert got[3][0] == "fuzzy" and got[3][1] == 2
    # "Service" is one letter from "Services" and two from "Supplies": too close to call.
    assert got[4][0] in ("review", "fuzzy")
    assert got[5] == ("none", None)
    # Two council entries with one name: the first is taken (duplicate vendor records).
    assert got[6] == ("name", 5)


def test_ambiguous_fuzzy_goes_to_review() -> None:
    report = matches([Query("Halifax Cleaning Sup")])
    match = report.matches[0]
    assert match.method in ("review", "none")
    if match.method == "review":
        assert {c.entry_id for c in match.candidates} <= {"S4", "S5"}


def test_decisions_are_honoured_and_bad_ones_reported() -> None:
    report = matches([Query("Brighouse Builders & Sons Limited"), Query("Mystery"),
                      Query("Acme Catering Ltd")],
                     {"brighouse builders and sons": "no match", "Mystery": "S6",
                      "Acme Catering Ltd": "S99"})
    assert (report.matches[0].method, report.matches[0].index) == ("decision", None)
    assert (report.matches[1].method, report.matches[1].index) == ("decision", 5)
    assert report.matches[2].method == "name"
    assert report.decisions_applied == 2
    assert "S99" in str(report.problems[0])


def test_review_list_and_decisions_file_in_analysis(tmp_path: Path, suppliers: Path,
                                                    store) -> None:  # type: ignore[no-untyped-def]
    ledger = write_csv(tmp_path / "apr.csv", ["Date", "Supplier Name", "Amount"], [
        ["01/04/2024", "Brighouse Blders Sns", "100.00"],
        ["01/04/2024", "Acme Catring Limited", "50.00"],
    ])
    result = analyse([ledger], suppliers, CALDERDALE, SpendOptions(store=store))
    review = {r.ledger_name: r for r in result.matching.review}
    assert "Brighouse Blders Sns" in review
    assert review["Brighouse Blders Sns"].candidates[0].entry_id == "S7"
    assert result.tiers[0].spend == Decimal("50.00")  # Acme matched fuzzily, Brighouse waits
    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps({"Brighouse Blders Sns": "S7"}))
    decided = analyse([ledger], suppliers, CALDERDALE,
                      SpendOptions(store=store, decisions=decisions))
    assert decided.matching.review == [] and decided.matching.decisions_applied == 1
    assert decided.tiers[0].spend == Decimal("150.00")


UTILITIES = make_register([
    {"id": "CH:1", "name": "YORKSHIRE WATER SERVICES LIMITED", "source": "companies_house"},
    {"id": "CH:2", "name": "NPOWER LIMITED", "source": "companies_house"},
    {"id": "CH:3", "name": "NORTHERN POWERGRID (YORKSHIRE) PLC", "source": "companies_house"},
    {"id": "CH:4", "name": "CALDERDALE COMMUNITY TRANSPORT CIC", "source": "companies_house"},
    {"id": "CH:5", "name": "HALIFAX ROOFING AND BUILDING CONTRACTORS LIMITED",
     "source": "companies_house"},
    {"id": "CH:6", "name": "SATERE TRAPO FUEL LTD", "source": "companies_house"},
])


def utility(name: str) -> Match:
    return match_all([Query(name)], Matcher(UTILITIES), None, 92, 80).matches[0]


def test_review_candidates_share_the_distinctive_word() -> None:
    # "Yorkshire" alone is no evidence: the candidate must hold "npower".
    match = utility("NPOWER YORKSHIRE LTD")
    assert "CH:1" not in {c.entry_id for c in match.candidates}
    assert match.index in (None, 1)


def test_conflicting_legal_forms_are_not_taken_without_a_person() -> None:
    assert legal_form("Acme Ltd.") == legal_form("ACME LIMITED") == "ltd"
    assert legal_form("Calder Valley Community Interest Company") == "cic"
    assert legal_form("Smith & Co") is None
    match = utility("Calderdale Community Transport PLC")
    assert match.index is None and match.method == "review"
    assert utility("Calderdale Community Transprt CIC").index == 3


def test_real_world_name_shapes_match() -> None:
    assert utility("Satere Trapo Fuel Limited").index == 5
    assert utility("SATERETRAPO FUEL").index == 5  # a lost space
    assert utility("Satere Trapo Fuel Limiqed").index == 5  # a mistyped legal form
    assert utility("J Smith T/A Satere Trapo Fuel").index == 5
    # cut at 35 characters by a finance system
    assert utility("HALIFAX ROOFING AND BUILDING CONTRA").index == 4
    assert utility("Someone Else Entirely Ltd").method == "none"
