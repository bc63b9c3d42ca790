"""The demo: six months of Calderdale's payments, analysed, loaded quickly and only once."""

from __future__ import annotations

import pytest

from keepitlocal.web.spend import demo as spend_demo
from keepitlocal.web.spend.models import AnalysisRun, LedgerFile, SpendAnalysis

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]


def test_every_demo_postcode_is_a_real_one():
    from keepitlocal.geo import default_store

    store = default_store()
    postcodes = [s.postcode for s in spend_demo.SUPPLIERS if s.postcode]
    found = store.lookup_many(postcodes)
    missing = [p for p, place in zip(postcodes, found, strict=True)
               if place is None or place.level != "unit"]
    assert missing == []
    calderdale = [s.postcode for s in spend_demo.SUPPLIERS[:23]]
    assert {p.lad for p in store.lookup_many(calderdale)} == {"E08000033"}


def test_the_demo_loads_a_finished_analysis_once():
    from keepitlocal.web.demo import load_demo

    data = load_demo()
    analysis = SpendAnalysis.objects.for_org(data.council).get()
    assert analysis.name == spend_demo.ANALYSIS_NAME
    run = AnalysisRun.objects.get(analysis=analysis)
    assert run.status == "done", run.problems
    result = run.result
    assert result["lines_read"] == 3002 and result["lines_used"] > 2500
    assert result["lines_credit_notes"] == 2 and result["lines_redacted"] > 0
    assert {"public-bodies", "hmrc", "pensions", "internal-recharges"} <= set(result["exclusions"])
    assert result["matching"]["review"], "the demo has a name to review"
    assert result["target"]["target_share"] == "0.6000" and result["target"]["met"] is False
    assert result["outside_uk_spend"] != "0.00" and result["unknown_spend"] != "0.00"
    assert [f["file"] for f in result["files"]] == [
        "calderdale-spend-2024-q1.csv", "calderdale-spend-2024-q2.xlsx"]
    from keepitlocal.web.spend import selectors

    assert not selectors.is_stale(analysis, run)
    load_demo()
    assert SpendAnalysis.objects.count() == 1 and LedgerFile.objects.count() == 2
    assert AnalysisRun.objects.count() == 1
