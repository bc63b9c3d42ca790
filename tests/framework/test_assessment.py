"""The self-assessment engine: agreed ratings, spread, profiles, gaps, actions, comparisons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepitlocal.errors import InputError
from keepitlocal.framework import assessment as a
from keepitlocal.framework.principles import statements

DAY = date(2025, 3, 1)
IDS = [s.id for s in statements()]


def ratings(rater: str, levels: dict[str, int | None], owner: str = "") -> list[a.Rating]:
    return [a.Rating(rater, sid, level, owner=owner) for sid, level in levels.items()]


def test_agreed_rating_is_the_lower_median():
    assert a.agreed_rating([3]) == 3
    assert a.agreed_rating([1, 4]) == 1
    assert a.agreed_rating([4, 0, 2]) == 2
    assert a.agreed_rating([0, 1, 3, 4]) == 1
    assert a.agreed_rating([]) is None


def test_spread_and_disagreement_flag():
    one = a.assess(
        a.Assessment(
            DAY,
            (
                *ratings("ana", {"S6.3": 1, "S6.1": 3}),
                *ratings("ben", {"S6.3": 3, "S6.1": 4}),
            ),
        )
    )
    lots = one.statement("S6.3")
    assert (lots.levels, lots.agreed, lots.spread, lots.disagreement) == ((1, 3), 1, 2, True)
    grants = one.statement("S6.1")
    assert (grants.agreed, grants.spread, grants.disagreement) == (3, 1, False)
    assert [r.statement.id for r in one.disagreements] == ["S6.3"]


def test_dont_know_does_not_count_and_unrated_statements_are_gaps():
    result = a.assess(
        a.Assessment(
            DAY,
            (
                a.Rating("ana", "S1.1", None),
                a.Rating("ben", "S1.1", 4),
            ),
            target=3,
        )
    )
    s11 = result.statement("S1.1")
    assert (s11.levels, s11.dont_know, s11.agreed) == ((4,), 1, 4)
    unrated = [g for g in result.gaps if g.unrated]
    assert len(unrated) == len(IDS) - 1
    assert all(g.size == 3 for g in unrated)


def test_profile_per_principle():
    result = a.assess(a.Assessment(DAY, tuple(ratings("ana", {"S4.1": 1, "S4.2": 2, "S4.3": 4}))))
    p4 = result.profile("P4")
    assert p4.score == Decimal("2.3") and p4.rated == 3
    assert (p4.lowest, p4.highest) == (1, 4)
    assert p4.at_level == (0, 1, 1, 0, 1)
    assert result.profile("P1").score is None and result.profile("P1").rated == 0


def test_gaps_are_largest_first_and_the_plan_has_owners_and_dates():
    result = a.assess(
        a.Assessment(
            DAY,
            (
                *ratings(
                    "ana", {"S6.3": 1, "S6.1": 2, "S6.2": 3, "S6.4": 0}, owner="Head of Procurement"
                ),
                *ratings(
                    "ben", {"S6.3": 1, "S6.1": 2, "S6.2": 4, "S6.4": 0}, owner="Commissioning lead"
                ),
                *ratings(
                    "cy", {"S6.3": 2, "S6.1": 2, "S6.2": 3, "S6.4": 1}, owner="Commissioning lead"
                ),
            ),
            target=3,
        )
    )
    plan = [x for x in a.action_plan(result) if x.statement in {"S6.3", "S6.1", "S6.2", "S6.4"}]
    assert [x.statement for x in plan] == ["S6.4", "S6.3", "S6.1"]  # S6.2 meets the target
    assert [x.gap for x in plan] == [3, 2, 1]
    assert [x.due for x in plan] == [date(2025, 5, 31), date(2025, 8, 30), date(2026, 3, 1)]
    assert {x.owner for x in plan} == {"Commissioning lead"}
    assert plan[0].text.startswith("Move from 0 Not started to 3 Adopter: ")


def test_owner_tie_is_settled_alphabetically_not_by_order():
    one = a.statement_result(
        statements()[0],
        [a.Rating("x", "S1.1", 1, owner="Zoe"), a.Rating("y", "S1.1", 1, owner="Amir")],
    )
    assert one.owner == "Amir"


def test_comparison_with_the_previous_assessment():
    before = a.assess(a.Assessment(date(2024, 3, 1), tuple(ratings("ana", {"S3.1": 1, "S3.2": 2}))))
    after = a.assess(a.Assessment(DAY, tuple(ratings("ana", {"S3.1": 3, "S3.2": 2, "S3.3": 1}))))
    change = a.compare(before, after)
    p3 = next(c for c in change.principles if c.id == "P3")
    assert (p3.before, p3.after, p3.change) == (Decimal("1.5"), Decimal("2.0"), Decimal("0.5"))
    assert (change.improved, change.declined, change.unchanged) == (1, 0, 1)
    s33 = next(c for c in change.statements if c.id == "S3.3")
    assert s33.change is None  # not rated before


def test_network_comparison_shows_only_groups_of_five_or_more():
    def council(level: int) -> a.AssessmentResult:
        return a.assess(a.Assessment(DAY, tuple(ratings("r", {"S1.1": level, "S2.1": level}))))

    four = {f"c{n}": council(n % 5) for n in range(4)}
    assert all(
        not agg.shown and agg.median is None and agg.adopter_or_above is None
        for agg in a.network_comparison(four)
    )
    five = {**four, "c4": council(4)}
    p1 = a.network_comparison(five)[0]
    assert (p1.councils, p1.median, p1.adopter_or_above) == (5, Decimal("2.0"), 2)
    assert a.network_comparison(five)[2].councils == 0  # nobody rated P3
    with pytest.raises(ValueError):
        a.network_comparison(five, min_group=1)


def test_bad_ratings_are_all_reported():
    with pytest.raises(InputError) as caught:
        a.assess(
            a.Assessment(
                DAY,
                (a.Rating("a", "S9.9", 2), a.Rating("a", "S1.1", 7), a.Rating("a", "S1.1", 2)),
                target=5,
            )
        )
    text = str(caught.value)
    assert "S9.9" in text and "level 7" in text and "twice" in text and "target level 5" in text


def test_membership_status():
    none = a.membership_status(a.MembershipState())
    assert none.status == "not started" and len(none.missing) == 4
    assert a.membership_status(a.MembershipState(internal_processes=True)).status == "pending"
    champions = (
        a.Champion("Cllr Jane Scullion", "Cabinet member", a.CABINET),
        a.Champion("Robin Tuddenham", "Chief Executive", a.SENIOR_LEADERSHIP),
    )
    partial = a.membership_status(a.MembershipState(endorsed_on=DAY, champions=champions[:1]))
    assert partial.status == "pending" and set(partial.missing) == {
        "champions",
        "locality",
        "conversation",
    }
    full = a.membership_status(
        a.MembershipState(
            endorsed_on=DAY,
            champions=champions,
            conversation=a.Conversation.PLANNED,
            working_with_locality=True,
        )
    )
    assert full.status == "member" and not full.missing


# --- properties ---------------------------------------------------------------------------

levels = st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=9)


@given(levels)
def test_agreed_rating_lies_within_the_raters_range_and_is_a_level(values):
    agreed = a.agreed_rating(values)
    assert min(values) <= agreed <= max(values)
    assert agreed in values
    assert a.spread(values) == max(values) - min(values)


@given(levels, st.randoms())
def test_agreed_rating_does_not_depend_on_order(values, rnd):
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert a.agreed_rating(shuffled) == a.agreed_rating(values)


@given(levels)
def test_agreed_rating_never_exceeds_the_true_median(values):
    from statistics import median

    assert a.agreed_rating(values) <= median(values)


answers = st.dictionaries(
    st.sampled_from(IDS),
    st.tuples(st.one_of(st.none(), st.integers(0, 4)), st.sampled_from(["", "Ana", "Ben"])),
    max_size=12,
)


@given(st.lists(answers, min_size=1, max_size=4), st.randoms())
def test_whole_result_does_not_depend_on_rating_or_rater_order(raters, rnd):
    given_ratings = [
        a.Rating(f"r{n}", sid, lvl, owner=owner)
        for n, answer in enumerate(raters)
        for sid, (lvl, owner) in answer.items()
    ]
    shuffled = list(given_ratings)
    rnd.shuffle(shuffled)
    one = a.assess(a.Assessment(DAY, tuple(given_ratings)))
    two = a.assess(a.Assessment(DAY, tuple(shuffled)))
    assert one.statements == two.statements and one.profiles == two.profiles
    assert a.action_plan(one) == a.action_plan(two)
    for profile in one.profiles:
        if profile.score is not None:
            assert profile.lowest <= profile.score <= profile.highest
        assert sum(profile.at_level) == profile.rated


@given(st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 4), max_size=8))
def test_network_aggregate_is_hidden_below_the_minimum_group(by_council):
    results = {
        c: a.assess(a.Assessment(DAY, (a.Rating("r", "S1.1", lvl),)))
        for c, lvl in by_council.items()
    }
    p1 = a.network_comparison(results)[0]
    assert p1.councils == len(results)
    assert p1.shown == (len(results) >= a.MIN_GROUP)
    if p1.shown:
        assert min(by_council.values()) <= p1.median <= max(by_council.values())
