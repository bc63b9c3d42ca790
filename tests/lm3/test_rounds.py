"""Known answers for the LM3 rounds, checked by hand, and the properties every result must keep."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keepitlocal.lm3 import project_from_dict, run

AREA = {"lad": ["E08000033"]}


def project(**parts):
    return project_from_dict({"name": "Test", "area": AREA, **parts})


def test_worked_case_from_the_issue():
    """R1 £100,000; local staff £40,000 re-spending 0.454; one local supplier £20,000 answering 0.76;
    £40,000 to a non-local supplier answering 0.

    R2 = 40,000 + 20,000 = 60,000
    R3 = 40,000 x 0.454 + 20,000 x 0.76 + 40,000 x 0 = 18,160 + 15,200 = 33,360
    LM3 = (100,000 + 60,000 + 33,360) / 100,000 = 1.9336
    """
    result = run(
        project(
            staff={"local_pay": "40000", "nonlocal_pay": "0"},
            suppliers=[
                {
                    "name": "Local Co",
                    "spend": "20000",
                    "local": True,
                    "response": {"local_staff_share": "0.50", "local_supplier_share": "0.26"},
                },
                {
                    "name": "Far Co",
                    "spend": "40000",
                    "local": False,
                    "response": {"local_staff_share": "0", "local_supplier_share": "0"},
                },
            ],
            proxies={"local_staff_respend": "0.454"},
        )
    )
    assert result.round1 == D("100000")
    assert result.round2 == D("60000")
    assert result.round3 == D("33360.000")
    assert result.lm3 == D("1.9336")
    assert result.local_suppliers.value_per_pound == D("1.76")
    assert result.supplier_value_responded_share == 1
    assert result.confidence == "green"


def test_seed_staff_proxies_66_and_33():
    """LM3 Online's proxies (Locality report, Appendix 1): local staff spend 66% locally, non-local 33%.

    £60,000 local pay and £40,000 non-local, nothing else:
    R1 = 100,000; R2 = 60,000; R3 = 60,000 x 0.66 + 40,000 x 0.33 = 39,600 + 13,200 = 52,800
    LM3 = 212,800 / 100,000 = 2.128
    """
    result = run(
        project(
            staff=[
                {"label": "Manager", "pay": "60000", "local": True},
                {"label": "Consultant", "pay": "40000", "local": False},
            ]
        )
    )
    assert (result.round1, result.round2, result.round3) == (D(100000), D(60000), D(52800))
    assert result.lm3 == D("2.128")
    names = {p.name: p for p in result.proxies}
    assert names["local_staff_respend"].value == D("0.66")
    assert names["nonlocal_staff_respend"].value == D("0.33")
    assert "Appendix 1" in names["local_staff_respend"].source


def test_non_respondents_take_their_class_mean_weighted_by_spend():
    """Local respondents: £10,000 at 0.8 and £30,000 at 0.4 -> weighted mean (8,000 + 12,000) / 40,000
    = 0.5. A local non-respondent of £20,000 is credited 20,000 x 0.5 = 10,000.
    Non-local class has no respondent: its £50,000 takes the default 0.36 -> 18,000, flagged.
    """
    result = run(
        project(
            suppliers=[
                {
                    "name": "A",
                    "spend": 10000,
                    "local": True,
                    "response": {"local_staff_share": "0.5", "local_supplier_share": "0.3"},
                },
                {
                    "name": "B",
                    "spend": 30000,
                    "local": True,
                    "response": {"local_staff_share": "0.2", "local_supplier_share": "0.2"},
                },
                {"name": "C", "spend": 20000, "local": True},
                {"name": "D", "spend": 50000, "local": False},
            ]
        )
    )
    assert result.local_suppliers.respend_share == D("0.5")
    assert result.local_suppliers.round3 == D("30000")
    assert result.nonlocal_suppliers.respend_share == D("0.36")
    assert result.nonlocal_suppliers.respend_share_source == "default proxy"
    assert result.round3 == D("48000")
    flagged = [p.name for p in result.proxies if p.flagged]
    assert flagged == ["nonlocal_supplier_respend"]
    # 40,000 of 110,000 answered
    assert result.supplier_value_responded_share == D(40000) / D(110000)
    assert result.confidence == "amber"


def test_confidence_thresholds():
    def rated(answered, unanswered):
        return run(
            project(
                suppliers=[
                    {
                        "name": "A",
                        "spend": answered,
                        "local": True,
                        "response": {"local_staff_share": "0.1", "local_supplier_share": "0.1"},
                    },
                    {"name": "B", "spend": unanswered, "local": True},
                ]
            )
        ).confidence

    assert rated(50, 50) == "green"
    assert rated(49, 51) == "amber"
    assert rated(25, 75) == "amber"
    assert rated(24, 76) == "red"


def test_confidence_thresholds_are_settings():
    result = run(
        project(
            suppliers=[
                {
                    "name": "A",
                    "spend": 60,
                    "local": True,
                    "response": {"local_staff_share": "0", "local_supplier_share": "0"},
                },
                {"name": "B", "spend": 40, "local": True},
            ],
            proxies={"confidence_green": "0.7"},
        )
    )
    assert result.confidence == "amber"


def test_other_direct_costs_count_in_rounds_1_and_2_only():
    result = run(
        project(
            other_costs=[
                {"label": "Business rates", "spend": "5000", "local": True},
                {"label": "Phone and internet", "spend": "3000", "local": False},
            ]
        )
    )
    assert (result.round1, result.round2, result.round3) == (D(8000), D(5000), D(0))
    assert result.leakage_total == D(3000)


def test_leakage_lists_largest_non_local_suppliers_first():
    result = run(
        project(
            suppliers=[
                {"name": f"S{i}", "spend": i * 100, "local": i % 2 == 0} for i in range(1, 30)
            ]
        )
    )
    spends = [leak.spend for leak in result.leakage]
    assert spends == sorted(spends, reverse=True)
    assert len(spends) == 10
    assert spends[0] == D(2900)


# --- properties -------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10_000_000, places=2)
share = st.decimals(min_value=0, max_value=1, places=2)


@st.composite
def responses(draw):
    staff = draw(share)
    supplier = draw(st.decimals(min_value=0, max_value=1 - staff, places=2))
    return {"local_staff_share": str(staff), "local_supplier_share": str(supplier)}


@st.composite
def suppliers(draw, answered=None):
    count = draw(st.integers(min_value=0, max_value=12))
    rows = []
    for index in range(count):
        responded = draw(st.booleans()) if answered is None else answered
        rows.append(
            {
                "name": f"Supplier {index}",
                "spend": str(draw(money)),
                "local": draw(st.booleans()),
                "response": draw(responses()) if responded else None,
            }
        )
    return rows


@st.composite
def projects(draw, answered=None):
    staff = [
        {"label": f"P{i}", "pay": str(draw(money)), "local": draw(st.booleans())}
        for i in range(draw(st.integers(0, 6)))
    ]
    other = [
        {"label": f"C{i}", "spend": str(draw(money)), "local": draw(st.booleans())}
        for i in range(draw(st.integers(0, 3)))
    ]
    proxies = {}
    if draw(st.booleans()):
        proxies = {
            "local_staff_respend": str(draw(share)),
            "nonlocal_staff_respend": str(draw(share)),
        }
    document = {
        "staff": staff,
        "suppliers": draw(suppliers(answered)),
        "other_costs": other,
        "proxies": proxies,
    }
    # at least one pound somewhere, so the project is not empty
    document["other_costs"].append({"label": "Rates", "spend": "1", "local": True})
    return document


@given(projects())
@settings(max_examples=150)
def test_lm3_is_between_1_and_3_and_round3_never_exceeds_round1(document):
    result = run(project(**document))
    assert D(1) <= result.lm3 <= D(3)
    assert result.round3 <= result.round1
    assert result.round2 <= result.round1
    assert result.total == result.round1 + result.round2 + result.round3


@given(projects(), st.randoms(use_true_random=False))
@settings(max_examples=100)
def test_results_do_not_depend_on_row_order(document, rng):
    before = run(project(**document))
    for key in ("staff", "suppliers", "other_costs"):
        rng.shuffle(document[key])
    after = run(project(**document))
    assert (after.round1, after.round2, after.round3, after.lm3) == (
        before.round1,
        before.round2,
        before.round3,
        before.lm3,
    )


@given(projects(answered=True), responses(), money, st.data())
@settings(max_examples=150)
def test_lm3_rises_when_spend_moves_to_a_local_supplier_with_the_same_response(
    document, response, moved, data
):
    """Every supplier has answered, so no class mean is extrapolated: moving £x from a non-local
    supplier to a local one with the same answer adds x to round 2 and nothing else changes."""
    document["suppliers"] += [
        {
            "name": "Far",
            "spend": str(moved + data.draw(money)),
            "local": False,
            "response": response,
        },
        {"name": "Near", "spend": str(data.draw(money)), "local": True, "response": response},
    ]
    before = run(project(**document))
    far, near = document["suppliers"][-2:]
    far["spend"] = str(D(far["spend"]) - moved)
    near["spend"] = str(D(near["spend"]) + moved)
    after = run(project(**document))
    assert after.round1 == before.round1
    assert after.round2 == before.round2 + moved
    assert after.round3 == before.round3
    if moved:
        assert after.lm3 > before.lm3


@pytest.mark.parametrize("respend", ["0", "1"])
def test_extreme_proxies_stay_in_range(respend):
    result = run(
        project(
            staff=[{"label": "A", "pay": "100", "local": True}],
            proxies={"local_staff_respend": respend},
        )
    )
    assert result.lm3 == D(2) + D(respend)
