"""A web re-run reads the ledgers the analysis ingested at its last run, not the files again,
and gives the figures a fresh run gives; a new ledger makes it read them again; deleting the
analysis removes the ingest file and the suppliers matched and the sums kept beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keepitlocal.spend.summary import path as summary_cache
from keepitlocal.spend.suppliers import cache_path as supplier_cache
from keepitlocal.web.spend import bridge, services
from keepitlocal.web.spend.models import AnalysisRun, RunStatus

from .conftest import upload

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]


def _last(analysis: Any) -> AnalysisRun:
    run = analysis.runs.latest("created_at", "pk")
    assert run.status == RunStatus.DONE, run.problems
    return run


def test_a_rerun_after_a_rule_change_reuses_the_ingested_ledgers(
        council: Any, editor: Any, make_analysis: Any) -> None:
    analysis = make_analysis(council, run=True)
    first = _last(analysis)
    assert first.result["provenance"]["ledgers"] == "read from the files"
    path = bridge.ingested_path(analysis)
    assert path is not None and path.is_file()
    matched = supplier_cache(path)  # the suppliers as matched, kept beside it
    assert matched.is_file()
    summed = summary_cache(path)  # and the lines' sums
    assert summed.is_file()
    services.rule_remove(analysis, 0)  # an officer's edit between runs
    services.run_start(analysis, editor)
    second = _last(analysis)
    assert second.result["provenance"]["ledgers"] == "reused from the ingest file"
    path.unlink()
    services.run_start(analysis, editor)
    fresh = _last(analysis)
    assert fresh.result["provenance"]["ledgers"] == "read from the files"
    for document in (second.result, fresh.result):
        document["provenance"].pop("ledgers")
        document["provenance"].pop("line_sums")
    assert second.result == fresh.result
    services.ledger_add(analysis, upload=upload("june.csv", b"Date,Supplier Name,Amount\r\n"
                                                b"01/06/2024,Acme Catering Ltd,10.00\r\n"),
                        user=None)
    services.run_start(analysis, editor)
    assert _last(analysis).result["provenance"]["ledgers"] == "read from the files"
    services.analysis_delete(analysis)
    assert not Path(path).exists() and not matched.exists() and not summed.exists()
