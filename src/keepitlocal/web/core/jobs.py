"""How a background job ends when its work fails: one rule for the spend run and the asset map.

An engine refusal (`KeepItLocalError`) ends the job with the engine's own messages; anything else
ends it with a plain message naming the error's kind, the traceback going to the server log, so
the worker stays alive and the page says what happened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from keepitlocal.errors import KeepItLocalError

log = logging.getLogger(__name__)
Outcome = TypeVar("Outcome")


def engine_problems(error: KeepItLocalError) -> list[str]:
    return [str(p) for p in getattr(error, "problems", [])] or [str(error)]


def run_reported(
    work: Callable[[], Outcome | None],
    fail: Callable[[list[str]], None],
    *,
    what: str,
    job: str,
    problems: Callable[[KeepItLocalError], list[str]] = engine_problems,
) -> Outcome | None:
    """`work()`'s outcome, or None once `fail` has been given the problems to show.

    `what` names the work for a person ("analysis", "build"); `job` names it in the log."""
    try:
        return work()
    except KeepItLocalError as error:
        fail(problems(error))
    except Exception as error:  # keep the worker alive; say what happened
        log.exception("%s failed", job)
        fail([f"The {what} stopped with an unexpected error ({type(error).__name__}). "
              "The details are in the server log."])
    return None
