"""Builds run in the background: a full national register takes a minute or more to read.

With the database backend the build waits for `db_worker`; `serve` and the tests run it at once.
"""

from __future__ import annotations

from django_tasks import task


@task()
def build_asset_map(run_id: int) -> str:
    from keepitlocal.web.assetmap.services import build_execute

    return build_execute(run_id)
