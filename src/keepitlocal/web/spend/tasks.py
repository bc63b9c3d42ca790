"""The analysis runs in the background: the engine can take minutes on a county's ledgers.

With the database backend the run waits for `db_worker`; `keepitlocal serve` and the tests run
it at once.
"""

from __future__ import annotations

from django_tasks import task

from keepitlocal.web.spend.bridge import run_execute


@task()
def run_analysis(run_id: int) -> str:
    """Call the engine once for this run and store its figures; returns the run's status."""
    return run_execute(run_id)
