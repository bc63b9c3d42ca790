"""Local spend pages through Django's test client: the whole journey, every page and export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from keepitlocal.web.spend.models import (
    NO_MATCH,
    AnalysisRun,
    ColumnMappingMemory,
    LedgerFile,
    MatchDecision,
    RunStatus,
    SpendAnalysis,
)

from .conftest import upload

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]


def test_the_journey_through_every_page(client, council, editor):
    client.force_login(editor)
    response = client.get(reverse("spend:index"))
    assert b"Start a new analysis" in response.content
    response = client.get(reverse("spend:create"))
    assert b'value="E08000033"' in response.content  # the organisation's own council code
    response = client.post(reverse("spend:create"), {
        "name": "Spending 2024/25", "council_code": "e08000033", "target_percent": "60%",
        "shift_percent": "10", "tiers_json": ""})
    analysis = SpendAnalysis.objects.get()
    assert response.status_code == 302 and analysis.council_code == "E08000033"
    assert analysis.target_share == Decimal("0.6000")
    assert analysis.exclusion_rules["rules"]  # a copy of the shipped rules
    files = reverse("spend:files", args=[analysis.pk])
    response = client.post(files, {"action": "ledger", "ledger-file": upload("april.csv")})
    ledger = LedgerFile.objects.get()
    assert response.url == reverse("spend:columns", args=[analysis.pk, ledger.pk])
    assert ledger.detected["supplier"] == "Supplier Name" and ledger.rows == 9
    page = client.get(response.url)
    assert b"Check the columns" in page.content and b"Acme Catering Ltd" in page.content
    response = client.post(files, {"action": "ledger", "ledger-file": upload("may.xlsx")},
                           headers={"X-Requested-With": "XMLHttpRequest"})
    may = LedgerFile.objects.get(original_name="may.xlsx")
    assert response.json() == {"redirect": reverse("spend:columns", args=[analysis.pk, may.pk])}
    response = client.post(files, {"action": "register", "register-file": upload("suppliers.csv")})
    assert response.status_code == 302
    overview = client.get(reverse("spend:overview", args=[analysis.pk]))
    assert b"Run the analysis" in overview.content
    response = client.post(reverse("spend:run", args=[analysis.pk]))
    run = AnalysisRun.objects.get()
    assert run.status == RunStatus.DONE, run.problems
    assert response.url == reverse("spend:run_status", args=[analysis.pk, run.pk])
    # The run ended before its page was opened: the page goes straight on to the dashboard.
    status = client.get(response.url)
    assert status.status_code == 302
    assert status.url == reverse("spend:dashboard", args=[analysis.pk])
    data = client.get(reverse("spend:run_json", args=[analysis.pk, run.pk])).json()
    assert data["status"] == "done" and data["dashboard"]
    dashboard = client.get(reverse("spend:dashboard", args=[analysis.pk]))
    text = dashboard.content.decode()
    assert run.result["total"] == "9040.49"
    assert "£9,040.49" in text and "£6,200.00" in text  # total, and excluded (HMRC + Kirklees)
    for path in ("lines", "review", "rules"):
        assert client.get(reverse(f"spend:{path}", args=[analysis.pk])).status_code == 200
    lines = client.get(reverse("spend:lines", args=[analysis.pk]) + "?tier=1")
    assert b"Acme Catering Ltd" in lines.content and b"Leeds Widgets" not in lines.content
    lines = client.get(reverse("spend:lines", args=[analysis.pk]) + "?kind=vcse")
    assert b"Calder Valley Community Trust" in lines.content and b"Acme" not in lines.content
    excluded = client.get(reverse("spend:lines", args=[analysis.pk]) + "?status=excluded")
    assert b"HM Revenue" in excluded.content and b"Kirklees" in excluded.content
    assert client.get(reverse("spend:summary_pdf", args=[analysis.pk])).content.startswith(
        b"%PDF")
    assert client.get(reverse("spend:figures_xlsx", args=[analysis.pk])).status_code == 200
    assert b"Tiers" in client.get(reverse("spend:figures_csv", args=[analysis.pk])).content
    assert client.get(reverse("spend:lines_csv", args=[analysis.pk]) + "?tier=1").status_code \
        == 200


def test_a_mapping_is_remembered_for_every_file_with_the_same_header_row(
        client, council, editor, make_analysis):
    analysis = make_analysis(council, files=False)
    client.force_login(editor)
    # Headers that say nothing (and too few rows for content alone to decide).
    odd = (b"Field A,Field B,Field C\r\nAcme Catering Ltd,01/04/2024,100.00\r\n"
           b"Leeds Widgets Ltd,02/04/2024,200.00\r\n")
    files = reverse("spend:files", args=[analysis.pk])
    client.post(files, {"action": "ledger", "ledger-file": upload("april.csv", odd)})
    ledger = LedgerFile.objects.get()
    assert not ledger.mapping_confirmed
    overview = client.get(reverse("spend:overview", args=[analysis.pk])).content.decode()
    assert "choose the column that holds" in overview  # no supplier, date or amount found
    columns = reverse("spend:columns", args=[analysis.pk, ledger.pk])
    # Two columns for one field, and a missing one: both said, nothing saved.
    response = client.post(columns, {"col_0": "supplier", "col_1": "supplier", "col_2": "amount"})
    text = response.content.decode()
    assert "Supplier name is chosen for 2 columns" in text
    assert not ColumnMappingMemory.objects.exists()
    response = client.post(columns, {"col_0": "supplier", "col_1": "date", "col_2": "amount"})
    assert response.status_code == 302
    memory = ColumnMappingMemory.objects.get()
    assert memory.mapping["supplier"] == "Field A" and memory.mapping["department"] is None
    # The same layout again, in another analysis of the organisation: already mapped.
    other = make_analysis(council, name="Another year", files=False)
    client.post(reverse("spend:files", args=[other.pk]),
                {"action": "ledger", "ledger-file": upload("april.csv", odd)})
    again = LedgerFile.objects.get(analysis=other)
    assert again.mapping_confirmed
    page = client.get(reverse("spend:columns", args=[other.pk, again.pk])).content.decode()
    assert "laid out exactly like a file you mapped before" in page
    assert '<option value="supplier" selected>' in page


def test_a_review_decision_is_used_on_the_next_run(client, council, editor, analysed):
    client.force_login(editor)
    run = analysed.latest_run
    review = run.result["matching"]["review"]
    assert [r["ledger_name"] for r in review] == ["Todmorden Fresh Food Co"]
    candidate = review[0]["candidates"][0]
    url = reverse("spend:review", args=[analysed.pk])
    page = client.get(url).content.decode()
    assert "Todmorden Fresh Foods Ltd" in page and "Waiting for a decision (1)" in page
    # A choice the engine did not offer is refused.
    client.post(url, {"ledger_name": "Todmorden Fresh Food Co", "choice": "S1"})
    assert not MatchDecision.objects.exists()
    client.post(url, {"ledger_name": "Todmorden Fresh Food Co", "choice": candidate["entry_id"]})
    decision = MatchDecision.objects.get()
    assert decision.register_name == "Todmorden Fresh Foods Ltd"
    page = client.get(url).content.decode()
    assert "Waiting for a decision (0)" in page and "Remembered decisions (1)" in page
    dashboard = client.get(reverse("spend:dashboard", args=[analysed.pk])).content.decode()
    assert "Something has changed since these figures" in dashboard
    client.post(reverse("spend:run", args=[analysed.pk]))
    latest = analysed.latest_run
    assert latest.pk != run.pk and latest.result["matching"]["decisions_applied"] == 1
    assert latest.result["matching"]["review"] == []
    tier1 = latest.result["tiers"][0]
    assert Decimal(tier1["spend"]) == Decimal(run.result["tiers"][0]["spend"]) + Decimal("1350")
    # "no match" is a decision too, and can be forgotten.
    client.post(reverse("spend:decision_remove", args=[analysed.pk, decision.pk]))
    assert not MatchDecision.objects.exists()
    MatchDecision.objects.create(organisation=council, key="x", ledger_name="X",
                                 register_id=NO_MATCH)
    assert "Not in the register" in client.get(url).content.decode()


def test_exclusion_rules_are_visible_and_editable(client, council, editor, analysed):
    client.force_login(editor)
    url = reverse("spend:rules", args=[analysed.pk])
    page = client.get(url).content.decode()
    assert "£6,200.00" in page and "public-bodies" in page and "£1,200.00" in page
    response = client.post(url, {"action": "add", "add-id": "care", "add-reason": "test",
                                 "add-field": "expense_type", "add-pattern": "(unclosed"})
    assert "not a valid regular expression" in response.content.decode()
    response = client.post(url, {"action": "add", "add-id": "hmrc", "add-reason": "again",
                                 "add-field": "supplier", "add-pattern": "x"})
    assert "There is already a rule called hmrc" in response.content.decode()
    client.post(url, {"action": "add", "add-id": "catering", "add-reason": "school meals",
                      "add-field": "expense_type", "add-pattern": "^catering$"})
    analysed.refresh_from_db()
    assert analysed.exclusion_rules["rules"][-1]["id"] == "catering"
    client.post(reverse("spend:run", args=[analysed.pk]))
    result = analysed.latest_run.result
    assert result["exclusions"]["catering"] == "4450.00"  # 1000 - 200 + 950 + 1500 + 800 + 400
    index = len(analysed.exclusion_rules["rules"]) - 1
    client.post(reverse("spend:rule_edit", args=[analysed.pk, index]), {
        "id": "catering", "reason": "school meals", "field": "department", "pattern": "^x$"})
    analysed.refresh_from_db()
    assert analysed.exclusion_rules["rules"][-1]["field"] == "department"
    client.post(reverse("spend:rule_remove", args=[analysed.pk, index]))
    client.post(reverse("spend:rules_reset", args=[analysed.pk]))
    analysed.refresh_from_db()
    assert analysed.exclusion_rules["rules"][0]["id"] == "hmrc"
    assert "catering" not in str(analysed.exclusion_rules)


def test_exports_neutralise_formulas(client, council, editor, make_analysis):
    analysis = make_analysis(council, files=False)
    hostile = (b"Supplier Name,Date,Amount,Expense Type\r\n"
               b"=HYPERLINK(\"http://x\"),01/04/2024,100.00,@SUM(A1)\r\n"
               b"+Acme,02/04/2024,200.00,-care\r\n")
    from keepitlocal.web.spend import services

    services.ledger_add(analysis, upload=upload("april.csv", hostile), user=None)
    services.register_set(analysis, upload=upload("suppliers.csv"), user=None)
    services.run_start(analysis, None)
    client.force_login(editor)
    text = client.get(reverse("spend:figures_csv", args=[analysis.pk])).content.decode(
        "utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    assert "'@SUM(A1)" in cells and "'-care" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    lines = client.get(reverse("spend:lines_csv", args=[analysis.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in lines and "'+Acme" in lines
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(
        reverse("spend:figures_xlsx", args=[analysis.pk])).content))
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert "'@SUM(A1)" in values
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "@")) for v in values)
    assert Decimal(str(book["Summary"]["B4"].value)) == Decimal("300")  # numbers stay numbers


def test_the_council_is_chosen_by_name_code_or_former_district(client, council, editor):
    client.force_login(editor)
    base = {"name": "Spending", "shift_percent": "10"}
    response = client.post(reverse("spend:create"), {**base, "council_code": "Harrogate"},
                           follow=True)
    created = SpendAnalysis.objects.get()
    assert created.council_code == "E06000065"  # Harrogate is part of North Yorkshire now
    assert "North Yorkshire" in response.content.decode()
    response = client.post(reverse("spend:create"), {**base, "council_code": "E10000008"})
    assert response.status_code == 302  # a county council
    assert SpendAnalysis.objects.filter(council_code="E10000008").exists()
    response = client.post(reverse("spend:create"), {**base, "council_code": "Nowhere"})
    text = response.content.decode()
    assert response.status_code == 200 and "Nowhere" in text
    assert "--tiers" not in text


def test_engine_words_become_web_words():
    from keepitlocal.errors import Problem
    from keepitlocal.web.spend.selectors import in_web_words

    problem = Problem("E07999999 is not a current English local authority district",
                      column="council", hint="use a LAD 2025 code, or give tiers with --tiers FILE")
    text = in_web_words(problem)
    assert "--tiers" not in text
    assert text.endswith("paste your own tiers in “Your own tiers” in the settings")


def test_the_tiers_help_page_shows_the_preset(client, council, editor):
    client.force_login(editor)
    page = client.get(reverse("spend:tiers_help")).content.decode()
    assert "How to write your own tiers" in page and "E08000033" in page
    form = client.get(reverse("spend:create")).content.decode()
    assert reverse("spend:tiers_help") in form


def test_tier_bar_labels_keep_clear_of_the_target_line(analysed):
    from keepitlocal.web.spend import reports

    run = analysed.latest_result_run
    result = dict(run.result)
    result["tiers"] = [dict(t) for t in result["tiers"]]
    for tier, share in zip(result["tiers"], ("0.36", "0.50", "0.80", "1.00"), strict=True):
        tier["cumulative_share"] = share
    result["target"] = {**result["target"], "target_share": "0.40"}
    bars = reports.charts(result, analysed)["tiers"]["data"][0]
    assert bars["textposition"] == ["inside", "outside", "outside", "outside"]
    result["tiers"][0]["cumulative_share"] = "0.05"
    result["target"]["target_share"] = "0.08"
    chart = reports.charts(result, analysed)["tiers"]
    assert chart["data"][0]["text"][0] == ""
    moved = [a for a in chart["layout"]["annotations"] if a.get("text") == "5.0%"]
    assert moved and moved[0]["x"] > 8


def test_line_dates_and_matches_read_plainly():
    import datetime as dt

    from keepitlocal.web.spend.templatetags.spend_tags import line_date, matched_to, month_name

    assert line_date({"date": dt.date(2024, 4, 1), "date_precision": "month"}) == "April 2024"
    assert line_date({"date": dt.date(2024, 4, 1), "date_precision": "quarter"}) == \
        "April to June 2024"
    assert line_date({"date": dt.date(2024, 10, 1), "date_precision": "quarter"}) == \
        "October to December 2024"
    assert line_date({"date": dt.date(2024, 4, 3), "date_precision": "day"}) == "3 Apr 2024"
    assert line_date({"date": None}) == "undated"
    assert month_name("2024-04 to 2024-06") == "April to June 2024"
    assert matched_to({"supplier_ref": "ledger:mystery", "supplier": "Mystery",
                       "supplier_name": "Mystery"}) == "Not in the register"
    assert matched_to({"supplier_ref": "S1", "supplier": "Acme Ltd",
                       "supplier_name": "Acme Ltd"}) == "The same name in the register"
    assert matched_to({"supplier_ref": "S1", "supplier": "ACME",
                       "supplier_name": "Acme Ltd"}) == "Acme Ltd"


def test_a_second_copy_of_a_ledger_is_found(client, council, editor, make_analysis):
    analysis = make_analysis(council, files=False)
    client.force_login(editor)
    files = reverse("spend:files", args=[analysis.pk])
    client.post(files, {"action": "ledger", "ledger-file": upload("april.csv")})
    response = client.post(files, {"action": "ledger", "ledger-file": upload("april.csv")},
                           follow=True)
    assert "holds the same file as april.csv" in response.content.decode()
