"""Real-world shapes of a ledger's supplier names (a council's cut at 30-40 characters, "T/A",
"Ltd"/"Limited", "&"/"and", "The", punctuation, capitals), the batch normaliser agreeing with the
one-name definition, and review candidates that are plausible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from keepitlocal.spend.matching import (
    Match,
    Matcher,
    Query,
    match_all,
    normalise_many,
    normalise_name,
)
from keepitlocal.spend.matching.blocking import expand, mix
from keepitlocal.spend.matching.names import FORM_CLASSES, legal_form, legal_forms
from keepitlocal.spend.register import COLUMNS, Register

NAME_TEXT = st.lists(st.sampled_from(
    [*"abcAB xyzXYZ09&+.,'-/()\t", "é", "ß", "’", "\u00a0", " T/A ", " t/a ", " ta ", " Ltd",
     " LIMITED", " plc", "The ", " c i c", " Co"]),
    max_size=12).map("".join)


@given(st.lists(NAME_TEXT, max_size=20))
@settings(max_examples=300)
def test_batch_normaliser_agrees_with_one_name_at_a_time(names: list[str]) -> None:
    assert normalise_many(names).to_pylist() == [normalise_name(n) for n in names]


def register_of(names: list[str]) -> Register:
    frame = pd.DataFrame([{c: None for c in COLUMNS} for _ in names])
    frame["name"] = names
    frame["id"] = [f"CH:{i}" for i in range(len(names))]
    frame["source"] = "companies_house"
    return Register(frame, ["test"])


FIRMS = [
    "HALIFAX ROOFING AND BUILDING CONTRACTORS LIMITED",
    "CALDERDALE AND KIRKLEES CAREERS SERVICE PARTNERSHIP LTD",
    "PENNINE COMMUNITY TRANSPORT AND ACCESS SERVICES CIC",
    "BRIGHOUSE BUILDERS AND SONS LTD",
    "The Todmorden Organic Vegetable Box Company Ltd",
    "Smith & Jones Funeral Directors Limited",
    "YORKSHIRE WATER PLC",
    "NPOWER LIMITED",
    "NORTHERN POWERGRID (YORKSHIRE) PLC",
    "HALIFAX CLEANING SERVICES",
    "HALIFAX CLEANING SUPPLIES",
]
MATCHER = Matcher(register_of(FIRMS))


def match(name: str):  # type: ignore[no-untyped-def]
    return match_all([Query(name)], MATCHER, None, 92, 80).matches[0]


@given(st.sampled_from(range(6)), st.integers(min_value=30, max_value=40))
def test_a_name_cut_at_30_to_40_characters_is_never_matched_to_another_firm(
        firm: int, width: int) -> None:
    cut = FIRMS[firm][:width].rstrip()
    found = match(cut)
    assert found.index in (None, firm)
    if len(cut) < len(FIRMS[firm]) and found.index is None:
        assert f"CH:{firm}" in {c.entry_id for c in found.candidates}


def test_long_names_cut_by_a_finance_system_match() -> None:
    assert match("CALDERDALE AND KIRKLEES CAREERS SE").index == 1  # 34 characters
    assert match("PENNINE COMMUNITY TRANSPORT AND ACCESS S").index == 2  # 40
    assert match("The Todmorden Organic Vegetable Bo").index == 4


@given(owner=st.sampled_from(["J Smith", "A PATEL", "M Jones & Co"]),
       joiner=st.sampled_from(["T/A", "t/a", "TA", "Trading As", "trading as", "T/AS"]))
def test_trading_as_names_match_the_trading_name(owner: str, joiner: str) -> None:
    assert match(f"{owner} {joiner} Smith and Jones Funeral Directors").index == 5
    assert match(f"{owner} {joiner} BRIGHOUSE BUILDERS & SONS").index == 3


WRITINGS = st.sampled_from([
    lambda n: n.upper(), lambda n: n.lower(), lambda n: n.replace(" & ", " and "),
    lambda n: n.replace(" and ", " & "), lambda n: n.replace("Limited", "Ltd."),
    lambda n: n.replace("Ltd", "Limited"), lambda n: n if n.lower().startswith("the") else "The " + n, lambda n: n.replace("The ", ""),
    lambda n: n.replace(" ", ", ", 1), lambda n: n + ".", lambda n: n.replace(" ", "-", 1),
])


@given(st.sampled_from(range(6)), st.lists(WRITINGS, max_size=4, unique=True))
def test_the_same_name_written_differently_is_an_exact_match(firm: int, writings: list) -> None:  # type: ignore[type-arg]
    name = FIRMS[firm]
    for write in writings:
        name = write(name)
    found = match(name)
    assert (found.method, found.index) == ("name", firm)


def test_npower_yorkshire_is_not_offered_yorkshire_water() -> None:
    found = match("NPOWER YORKSHIRE LTD")
    offered = {c.name for c in found.candidates}
    assert "YORKSHIRE WATER PLC" not in offered
    assert found.index in (None, 7)
    assert offered <= {"NPOWER LIMITED", "NORTHERN POWERGRID (YORKSHIRE) PLC"}


def test_a_one_letter_change_that_makes_another_register_word_goes_to_a_person() -> None:
    matcher = Matcher(register_of(["Bell Plumbing Ltd", "Ball Catering Ltd"]))
    found = match_all([Query("Ball Plumbing Ltd")], matcher, None, 92, 80).matches[0]
    assert found.index is None and found.method == "review"
    assert match_all([Query("Bel Plumbing Ltd")], matcher, None, 92, 80).matches[0].index == 0


def test_a_dropped_word_matches_the_only_name_with_it() -> None:
    assert match("Smith & Jones Directors Ltd").index == 5


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8))
def test_word_keys_add_up_so_leaving_a_word_out_is_a_subtraction(codes: list[int]) -> None:
    words = np.array(codes)
    keys = mix(words)
    whole = keys.sum(keepdims=True, dtype=np.uint64)
    for i in range(len(codes)):
        rest = np.delete(words, i)
        assert (whole - keys[i:i + 1]).tolist() == [int(mix(rest).sum(dtype=np.uint64))]
    assert mix(words[::-1]).sum(dtype=np.uint64) == whole[0]  # word order does not matter


def test_expand_lists_every_item_of_small_ranges_only() -> None:
    which, at = expand(np.array([0, 5, 2]), np.array([2, 5, 9]), cap=3)
    assert which.tolist() == [0, 0] and at.tolist() == [0, 1]
    which, at = expand(np.array([0, 5, 2]), np.array([2, 5, 9]), cap=10)
    assert which.tolist() == [0, 0, 2, 2, 2, 2, 2, 2, 2] and at.tolist() == [0, 1, 2, 3, 4, 5,
                                                                              6, 7, 8]


def test_a_legal_form_run_into_the_name_is_scored_as_repaired() -> None:
    # "npowerlimited" scores 63 against "npower" as written; repaired, it is the same name
    found = match("NPOWERLIMITED")
    assert (found.method, found.index) == ("fuzzy", 7)
    assert match("Halifax RoofingLtd").index is None  # repaired, still not a register name


@given(st.lists(st.sampled_from([
    "NPOWERLIMITED", "Smith & Jones Directors Ltd", "HALIFAX CLEANING SERVICE", "YORKSHIRE WATER",
    "Todmorden Organic Vegetable Box Co", "Brighouse Builders", "Acme Ltd"]), max_size=7))
@settings(max_examples=25)
def test_an_arrow_backed_register_matches_as_a_python_one(names: list[str]) -> None:
    arrow = register_of(FIRMS)
    arrow.frame = arrow.frame.astype(pd.ArrowDtype(pa.string()))
    queries = [Query(n) for n in names]
    assert (match_all(queries, Matcher(arrow), None, 92, 80).matches
            == match_all(queries, MATCHER, None, 92, 80).matches)


def test_a_name_one_long_word_short_matches_the_only_register_name_holding_its_words() -> None:
    matcher = Matcher(register_of(["Trimapa Gobri Plumbing Ltd", "Kelo Bara Roofing Ltd",
                                   "Kelo Bara Joinery Ltd", "Kelo Roofing Ltd", "Trimapa Roofing",
                                   "Sonda Vira Catering", "Sonda Vir"]))

    def found(name: str) -> Match:
        return match_all([Query(name)], matcher, None, 92, 80).matches[0]

    # "trimapa gobri" scores 74 against "trimapa gobri plumbing": below review, yet the same firm
    assert (found("TRIMAPA GOBRI").method, found("TRIMAPA GOBRI").index) == ("fuzzy", 0)
    assert found("Kelo Bara").index is None  # two register names hold both words
    assert found("Sonda Vira").index is None  # "Sonda Vir" scores higher
    assert found("Roofing Ltd").index is None  # one word is not a name


def test_a_space_typed_inside_a_word_or_one_letter_off_is_mended() -> None:
    matcher = Matcher(register_of([
        "Cena Transport PLC", "Baener Woab Ltd", "Baen Roofing", "Erwoab Catering",
        "Depa Care (UK) Ltd", "Moseco CIC", "Depa Foods"]))

    def found(name: str) -> Match:
        return match_all([Query(name)], matcher, None, 92, 80).matches[0]

    assert found("Cen.a Transport PLC").index == 0  # "cen a": one word
    # the space one letter off: "baen erwoab" is two register words too, but further off
    assert found("BaenerW oab Ltd").index == 1
    assert found("DEPA CARE UKL TD").index == 4  # "UKL TD": "UK" and a legal form
    assert found("Moseco,C IC").index == 5


def test_a_leading_the_run_into_the_name_goes() -> None:
    matcher = Matcher(register_of(["Bricefo PLC", "The Rebaha Foods CIC", "Bricefo Print"]))
    for name, firm in (("TheBRICEFO PLC.", 0), ("Th eRebaha Foods CIC", 1)):
        assert match_all([Query(name)], matcher, None, 92, 80).matches[0].index == firm


def test_a_name_mended_wrongly_is_still_looked_up_as_written() -> None:
    # "and oas" run together makes "andoas", a register word, and the repair takes it
    matcher = Matcher(register_of(["Gohepe & Poas & Co", "Gohepe Catering", "Andoas Print"]))
    assert match_all([Query("Gohepe & oas & Co")], matcher, None, 92, 80).matches[0].index == 0


FORM_TEXT = st.lists(st.sampled_from(
    [*"abcAB xyz09&.,-()\t", "é", "İ", "K", " Ltd", " LIMITED", " plc", " LLP", " lp", " cic",
     " Community Interest Company", " community  interest-company", " Public Limited Company",
     " Limited Liability Partnership", " Company", " Partnership", " inc", " CIO"]),
    max_size=10).map("".join)


@given(st.lists(FORM_TEXT, max_size=20))
@settings(max_examples=300)
def test_batch_legal_forms_agree_with_one_name_at_a_time(names: list[str]) -> None:
    expected = [0 if legal_form(n) is None else FORM_CLASSES.index(legal_form(n)) + 1
                for n in names]
    assert legal_forms(pa.array(names, type=pa.string())).tolist() == expected


def test_a_typing_error_matches_the_only_near_name_of_the_ledger_names_legal_form() -> None:
    matcher = Matcher(register_of(["Zanewi LLP", "Zaneci Limited", "Zaneki CIC"]))

    def found(name: str) -> Match:
        return match_all([Query(name)], matcher, None, 92, 80).matches[0]

    assert (found("Zanei LLP").method, found("Zanei LLP").index) == ("fuzzy", 0)
    assert found("Zanei Ltd").index == 1
    assert found("Zanei").method == "review"  # no form: all three are as near
    assert found("Zanei PLC").method == "review"  # none has its form
