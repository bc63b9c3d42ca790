"""The dashboard shows the engine's figures: the same files through `keepitlocal spend analyse
--json` give the same document, and the page shows its numbers."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.urls import reverse
from django.utils.html import escape

from keepitlocal.cli import main

from .conftest import write_files

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]


def test_the_dashboard_figures_equal_the_cli_json(client, editor, analysed, tmp_path):
    paths = write_files(tmp_path)
    result = CliRunner().invoke(main, [
        "spend", "analyse", str(paths["april.csv"]), str(paths["may.xlsx"]), "--suppliers",
        str(paths["suppliers.csv"]), "--council", "E08000033", "--target", "60%", "--json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    web = analysed.latest_run.result
    assert web == cli
    client.force_login(editor)
    page = client.get(reverse("spend:dashboard", args=[analysed.pk])).content.decode()
    from keepitlocal.web.core.templatetags.kil_format import count, percent, pounds

    for tier in cli["tiers"]:
        assert pounds(tier["spend"]) in page and percent(tier["cumulative_share"]) in page
    for key in ("total", "excluded_total", "duplicate_total", "outside_uk_spend",
                "unknown_spend", "redacted_spend", "vcse_spend", "sme_spend",
                "sme_unknown_spend"):
        assert pounds(cli[key]) in page, key
    for key in ("vcse_share", "local_vcse_share", "sme_share"):
        assert percent(cli[key]) in page, key
    for key in ("lines_read", "lines_used", "lines_excluded", "lines_duplicate",
                "lines_unusable"):
        assert f">{count(cli[key])}<" in page or f"{count(cli[key])} lines read" in page, key
    assert pounds(cli["target"]["gap"]) in page
    assert pounds(cli["shift"]["extra_local_value"]) in page
    for group in cli["by_department"] + cli["by_month"]:
        assert pounds(group["spend"]) in page and percent(group["local_share"]) in page
    for rule, spend in cli["exclusions"].items():
        assert rule in page and pounds(spend) in page
    for supplier in cli["top_local_suppliers"] + cli["top_nonlocal_suppliers"]:
        assert escape(supplier["name"]) in page and pounds(supplier["spend"]) in page


def test_the_lines_behind_a_figure_come_from_the_engine(client, editor, analysed):
    from keepitlocal.web.spend import selectors

    run = analysed.latest_run
    tier1 = run.result["tiers"][0]
    lines = selectors.drill(run, {"tier": 1})
    assert len(lines) == tier1["lines"]
    assert sum(line["amount"] for line in lines) == Decimal(tier1["spend"])
    client.force_login(editor)
    page = client.get(reverse("spend:lines", args=[analysed.pk]) + "?tier=1").content.decode()
    assert f"Lines 1 to {tier1['lines']}" in page and "tier 1 (Calderdale)" in page


def test_every_drill_down_adds_up_to_its_figure(analysed):
    """The lines behind each figure (from the engine's drill_down) sum to the figure shown."""
    from keepitlocal.web.spend import selectors

    run = analysed.latest_run
    r = run.result

    def total(filters, kind=""):
        return sum((line["amount"] for line in selectors.drill(run, filters, kind)), Decimal(0))

    assert total({}) == Decimal(r["total"])
    assert total({"status": "excluded"}) == Decimal(r["excluded_total"])
    for rule, spend in r["exclusions"].items():
        assert total({"status": "excluded", "reason": rule}) == Decimal(spend)
    for tier in r["tiers"]:
        assert total({"tier": tier["tier"]}) == Decimal(tier["spend"])
    assert total({"category": "outside UK"}) == Decimal(r["outside_uk_spend"])
    assert total({"category": "unknown"}) == Decimal(r["unknown_spend"])
    assert total({"category": "redacted"}) == Decimal(r["redacted_spend"])
    assert total({}, "vcse") == Decimal(r["vcse_spend"])
    assert total({"tier": 1}, "vcse") == Decimal(r["local_vcse_spend"])
    assert total({}, "sme") == Decimal(r["sme_spend"])
    assert total({}, "sme_unknown") == Decimal(r["sme_unknown_spend"])
    for key, column in (("by_department", "department"), ("by_expense_type", "expense_type"),
                        ("by_month", "month"), ("by_quarter", "quarter"), ("by_year", "year")):
        for group in r[key]:
            assert total({column: group["name"]}) == Decimal(group["spend"])
            assert total({column: group["name"], "tier": 1}) == Decimal(group["local_spend"])
    assert r["leakage"]
    for row in r["leakage"]:
        assert total({"expense_type": row["expense_type"]}, "nonlocal") == Decimal(
            row["leaked_spend"])
    for supplier in r["top_local_suppliers"]:
        assert total({"supplier_name": supplier["name"], "tier": 1}) == Decimal(supplier["spend"])
