"""A large upload is checked by the background worker (`core.parsing`), never in the request.

With the database backend the check waits for `db_worker`; `keepitlocal serve` and the tests
run it at once.
"""

from __future__ import annotations

from django_tasks import task

from keepitlocal.web.core import parsing


@task()
def parse_upload(job_id: int) -> str:
    """Read and store one staged upload; returns the job's status."""
    return parsing.run(job_id)
