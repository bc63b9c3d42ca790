"""Progress, series, summaries and the 10-step position of an impact plan."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepitlocal.framework.model import Period, PlanIndicator
from keepitlocal.framework.present import format_progress, format_value, report_to_dict
from keepitlocal.framework.progress import checklist, indicator_progress, report

from .helpers import measurement, plan


def test_progress_runs_from_baseline_to_target_in_either_direction():
    result = report(
        plan(
            measurements=[
                measurement("lm3", "2024-25", "2.3"),
                measurement("groups", "2024 Q2", "8"),  # a target below the baseline
            ]
        )
    )
    lm3, groups = result.indicators
    assert lm3.progress == D("0.6") and lm3.change == D("0.3") and lm3.status == "on the way"
    assert groups.progress == D("0.5") and groups.change == D(-2) and groups.status == "on the way"


def test_the_latest_period_counts_not_the_order_values_were_entered():
    result = report(
        plan(
            measurements=[
                measurement("lm3", "2025-26", "2.6"),
                measurement("lm3", "2023-24", "1.9"),
                measurement("lm3", "2024-25", "2.2"),
            ]
        )
    )
    lm3 = result.indicators[0]
    assert [p.period.label for p in lm3.series] == ["2023-24", "2024-25", "2025-26"]
    assert lm3.latest is not None and lm3.latest.value == D("2.6")
    assert lm3.status == "target met"


def test_a_period_report_leaves_out_later_measurements_and_later_steps():
    document = plan(
        measurements=[
            measurement("lm3", "2024-25", "2.1", quality="checked", checked_by="Ben"),
            measurement("groups", "2024-25", "9", quality="checked", checked_by="Ben"),
            measurement("lm3", "2025-26", "1.8"),
        ]
    )
    early = report(document, Period.parse("2024-25"))
    assert early.indicators[0].latest.value == D("2.1")
    assert early.checklist.steps[5].done  # every value up to 2024-25 checked
    late = report(document)
    assert late.indicators[0].status == "moving away"
    assert not late.checklist.steps[5].done and late.checklist.position == 6


def test_a_correction_replaces_the_value_and_keeps_the_one_it_corrects():
    result = report(
        plan(
            measurements=[
                measurement("lm3", "2024-25", "2.4"),
                measurement("lm3", "2024-25", "2.2", revision=2, reason="a supplier counted twice"),
            ]
        )
    )
    [point] = result.indicators[0].series
    assert point.value == D("2.2") and point.corrections == 1
    assert [m.value for m in point.history] == [D("2.4"), D("2.2")]
    assert result.quality.corrected == 1


def test_missing_baseline_or_target_is_said_not_guessed():
    result = report(
        plan(
            indicators=[
                {"bank": "C1-O6", "key": "hours", "target": "100"},
                {"bank": "C1-O11", "key": "visitors", "baseline": "50"},
                {"bank": "C5-O10", "key": "board"},
            ],
            characteristics=[1, 5],
            measurements=[
                measurement("hours", "2024", "80"),
                measurement("visitors", "2024", "70"),
                {"indicator": "board", "period": "2024", "statement": "Most trustees are local"},
            ],
        )
    )
    hours, visitors, board = result.indicators
    assert (hours.status, hours.progress) == ("no baseline", None)
    assert (visitors.status, visitors.change, visitors.progress) == ("no target", D(20), None)
    assert board.status == "qualitative" and board.latest.statement == "Most trustees are local"


def test_characteristic_summary_counts_statuses_and_quality():
    result = report(
        plan(
            measurements=[
                measurement("lm3", "2024", "2.5", quality="checked", checked_by="Ben"),
                measurement(
                    "groups",
                    "2024",
                    "11",
                    quality="triangulated",
                    checked_by="Ben",
                    triangulation="council records",
                    evidence=["minutes.pdf", "https://example.org/groups"],
                ),
            ]
        )
    )
    first, fifth = result.characteristics
    assert (first.number, first.statuses) == (1, {"target met": 1})
    assert (fifth.number, fifth.statuses) == (5, {"moving away": 1})
    assert fifth.quality.by_quality == {"recorded": 0, "checked": 0, "triangulated": 1}
    assert result.quality.with_evidence == 1


def test_checklist_walks_the_ten_steps_in_order():
    empty = plan(change_sought="", activities=[], indicators=[], characteristics=[], area=None)
    state = checklist(empty)
    assert state.position == 1 and state.done == 0
    assert "the change sought" in state.steps[0].detail
    full = plan(
        existing_information="payroll",
        measurements=[
            measurement("lm3", "2024", "2.1", quality="checked", checked_by="Ben"),
            measurement("groups", "2024", "9", quality="checked", checked_by="Ben"),
        ],
        steps={"7": "a", "8": "b", "9": "c"},
    )
    state = checklist(full)
    assert [s.done for s in state.steps] == [True] * 9 + [False]
    assert state.position == 10


def test_json_keeps_exact_values_and_shows_rounded_ones():
    result = report(plan(measurements=[measurement("lm3", "2024", "2.3333")]))
    lm3 = report_to_dict(result)["indicators"][0]
    assert lm3["latest"]["value"] == "2.3333" and lm3["latest"]["shown"] == "2.33"
    assert lm3["progress"].startswith("0.6666") and lm3["progress_shown"] == "about 65%"
    assert "contribution" in report_to_dict(result)["contribution"]


@pytest.mark.parametrize(
    ("unit", "value", "shown"),
    [
        ("£", "12500.49", "£12,500"),
        ("£", "-300", "-£300"),
        ("%", "42.46", "42.5%"),
        ("rating", "6.84", "6.8 out of 10"),
        ("multiplier", "2.4349", "2.43"),
        ("count", "1250", "1,250"),
        ("area", "3000.25", "3,000.3 m²"),
    ],
)
def test_values_are_shown_to_the_precision_their_unit_bears(unit, value, shown):
    assert format_value(unit, D(value)) == shown


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("2024", "2024-01-01"),
        ("2024-25", "2024-04-01"),
        ("2024/2025", "2024-04-01"),
        ("2024 Q3", "2024-07-01"),
        ("2024-07", "2024-07-01"),
    ],
)
def test_periods_are_read_and_ordered_by_their_start(text, start):
    assert Period.parse(text).start.isoformat() == start


def test_periods_of_different_lengths_are_different_even_when_they_start_together():
    assert Period.parse("2024") != Period.parse("2024 Q1") != Period.parse("2024-01")
    assert Period.parse("2024-25") == Period.parse("2024/2025")


@pytest.mark.parametrize("text", ["2024-26", "last year", "2024-13", "24"])
def test_unknown_periods_are_refused(text):
    with pytest.raises(ValueError, match=r"period|financial year"):
        Period.parse(text)


amounts = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)


@given(baseline=amounts, target=amounts, latest=amounts)
def test_progress_is_the_share_of_the_way_from_baseline_to_target(baseline, target, latest):
    indicator = PlanIndicator("x", "x", 1, "£", baseline=baseline, target=target)
    from keepitlocal.framework.progress import Point

    point = Point(Period.parse("2024"), latest, "", "recorded", "", (), "", "", 0, ())
    item = indicator_progress(indicator, [point])
    assert item.change == latest - baseline
    if target == baseline:
        assert item.progress is None
        assert item.status == ("target met" if latest == target else "moving away")
    else:
        assert baseline + item.progress * (target - baseline) == pytest.approx(latest)
        met = (latest - target) * (target - baseline) >= 0
        assert (item.status == "target met") == met
        if not met:
            assert item.status == (
                "on the way"
                if item.progress > 0
                else "no change"
                if latest == baseline
                else "moving away"
            )


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2023", "2024", "2025"]), st.integers(1, 4), st.integers(0, 100)
        ),
        max_size=12,
    )
)
def test_the_current_value_is_always_the_highest_revision(entries):
    from keepitlocal.framework.model import Measurement
    from keepitlocal.framework.progress import current_points

    unique = {(p, r): v for p, r, v in entries}
    points = current_points(
        Measurement("x", Period.parse(p), D(v), revision=r) for (p, r), v in unique.items()
    )
    for (_, period), point in points.items():
        revisions = {r: v for (p, r), v in unique.items() if p == period.label}
        assert point.value == D(revisions[max(revisions)])
        assert point.corrections == len(revisions) - 1


@given(st.decimals(min_value=-5, max_value=5, places=4, allow_nan=False))
def test_shown_progress_is_a_multiple_of_five_within_three_points(progress):
    shown = format_progress(progress)
    percent = D(shown.removeprefix("about ").removesuffix("%"))
    assert percent % 5 == 0 and abs(percent - progress * 100) <= D("2.5")
