"""The packaged reference tables: every row traceable, and every DERIVED value re-computable."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keepitlocal.enabled.activity import normalise_sic, section_of, sic_chain
from keepitlocal.enabled.reference import STATUSES, _rows, load_reference

from .helpers import D

REF = load_reference()


def test_every_row_names_a_known_source_and_status():
    for name in ("densities.csv", "gva_per_fte.csv", "gva_turnover_ratio.csv", "parameters.csv"):
        for row in _rows(name):
            assert row["source_id"] in REF.sources, (name, row)
            assert row["status"] in STATUSES, (name, row)
    for source in REF.sources.values():
        assert source.title and source.publisher and source.licence and source.table_page
        assert source.status in STATUSES


def test_sources_say_where_each_value_was_actually_read():
    for source in REF.sources.values():
        if source.status in ("TRANSCRIBED", "DERIVED"):
            assert source.read_at, source.id


def test_gva_per_fte_is_gva_per_job_over_the_fte_factor():
    for row in _rows("gva_per_fte.csv"):
        per_job, factor = D(row["gva_per_job"]), D(row["fte_factor"])
        assert abs(per_job / factor - D(row["gva_per_fte"])) <= 50, row["section"]
        full_time = D(row["full_time_share"])
        assert abs(full_time + (1 - full_time) / 2 - factor) <= D("0.001"), row["section"]
        if row["gva_million"]:
            computed = D(row["gva_million"]) * 1_000_000 / D(row["bres_employment"])
            assert abs(computed - per_job) <= 1, row["section"]


def test_gva_turnover_ratios_are_agva_over_turnover():
    for row in _rows("gva_turnover_ratio.csv"):
        computed = D(row["agva_million"]) / D(row["turnover_million"])
        assert abs(computed - D(row["ratio"])) <= D("0.0005"), row["sic"]


def test_codes_link_up():
    for code in REF.densities:
        assert code in REF.use_classes
    for mapped in REF.sic_to_use_class.values():
        assert mapped.to in REF.use_classes, mapped
        canonical = normalise_sic(mapped.code)
        assert canonical == mapped.code and section_of(canonical, REF), mapped
    for use in REF.use_classes.values():
        assert use.assumed_sic and section_of(normalise_sic(use.assumed_sic) or "", REF), use


def test_sections_cover_each_division_once():
    divisions = [
        d for s in REF.sections.values() for d in range(s.first_division, s.last_division + 1)
    ]
    assert len(divisions) == len(set(divisions))
    assert {"01", "47", "56", "88", "99"} <= {f"{d:02d}" for d in divisions}


def test_the_unverified_values_are_the_ones_the_research_could_not_trace():
    unverified = {k for k, v in REF.densities.items() if v.status == "UNVERIFIED"}
    assert unverified == {"D2-cinema", "D2-amusement", "D2-fitness"}
    assert not any(v.checked for v in REF.densities.values())  # p.29 was never readable


@pytest.mark.parametrize(
    ("text", "canonical", "chain"),
    [
        ("56.10", "56.10", ["56.10", "56.1", "56", "I"]),
        ("5610", "56.10", ["56.10", "56.1", "56", "I"]),
        ("56101", "56.10/1", ["56.10/1", "56.10", "56.1", "56", "I"]),
        ("88", "88", ["88", "Q"]),
        ("q", "Q", ["Q"]),
    ],
)
def test_sic_spellings(text, canonical, chain):
    assert normalise_sic(text) == canonical
    assert sic_chain(canonical, REF) == chain


@pytest.mark.parametrize("text", ["04", "1", "123456", "5.6.1.0", "B1a", ""])
def test_not_sic_codes(text):
    code = normalise_sic(text)
    assert code is None or section_of(code, REF) is None


def test_overrides_replace_and_record_what_they_replace():
    from keepitlocal.enabled import Override

    ref = REF.with_overrides([Override("density", "B1a", Decimal(11), "our survey")])
    value = ref.densities["B1a"]
    assert (value.value, value.status, value.basis) == (Decimal(11), "USER", "NIA")
    assert "replaces 12 (HCA, TRANSCRIBED)" in value.note
    assert REF.densities["B1a"].value == 12  # the packaged table is untouched
