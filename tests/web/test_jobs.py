"""How a background job ends when its work fails (web/core/jobs.run_reported)."""

from __future__ import annotations

import logging

import pytest

from keepitlocal.errors import InputError, KeepItLocalError, Problem
from keepitlocal.web.core.jobs import run_reported


def _run(work):
    shown: list[list[str]] = []
    outcome = run_reported(work, shown.append, what="analysis", job="spend analysis run 7")
    return outcome, shown


def test_the_outcome_of_work_that_succeeds_and_nothing_shown() -> None:
    assert _run(lambda: {"lm3": 2}) == ({"lm3": 2}, [])


def test_an_engine_refusal_shows_the_engines_own_messages() -> None:
    def work():
        raise InputError(problems=[Problem("the amount is not money", file="june.csv", row=4)])

    outcome, shown = _run(work)
    assert outcome is None and len(shown) == 1
    assert "june.csv" in shown[0][0] and "the amount is not money" in shown[0][0]


def test_an_engine_error_without_problems_shows_its_text() -> None:
    def work():
        raise KeepItLocalError("no ledger file was given")

    assert _run(work) == (None, [["no ledger file was given"]])


def test_an_unexpected_error_is_named_and_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    def work():
        raise ZeroDivisionError("division by zero")

    with caplog.at_level(logging.ERROR, logger="keepitlocal.web.core.jobs"):
        outcome, shown = _run(work)
    assert outcome is None
    assert shown == [["The analysis stopped with an unexpected error (ZeroDivisionError). "
                      "The details are in the server log."]]
    assert "spend analysis run 7 failed" in caplog.text and "ZeroDivisionError" in caplog.text
