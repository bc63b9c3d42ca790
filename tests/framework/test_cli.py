"""The `keepitlocal framework` commands, as a user runs them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from keepitlocal.cli import main

from .helpers import measurement, plan_document


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_indicators_lists_the_bank_by_characteristic():
    result = invoke("framework", "indicators", "--characteristic", "6")
    assert result.exit_code == 0
    assert "Characteristic 6: Clean and sustainable environment" in result.output
    assert "C6-O1   Trees planted" in result.output and "Characteristic 1" not in result.output
    document = json.loads(invoke("framework", "indicators", "--json").output)
    ids = [i["id"] for c in document["characteristics"] for i in c["indicators"]]
    assert len(ids) == 111 and len(set(ids)) == 111
    assert invoke("framework", "indicators", "--characteristic", "8").exit_code == 2


def test_report_prints_progress_and_json(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_document(measurements=[measurement("lm3", "2024-25", "2.25")])))
    text = invoke("framework", "report", str(path))
    assert text.exit_code == 0, text.output
    assert "latest 2.25 (2024-25, recorded); baseline 2.00; target 2.50" in text.output
    assert "about 50% of the way" in text.output and "'attribution'" in text.output
    document = json.loads(invoke("framework", "report", str(path), "--json").output)
    assert document["indicators"][0]["progress"] == "0.5"
    assert document["step_position"] == 5  # "groups" has no value yet


def test_report_errors_name_the_file_and_fix(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_document(measurements=[measurement("lm3", "2024", "7")])))
    result = invoke("framework", "report", str(path))
    assert result.exit_code == 1
    assert (
        'plan.json, row measurements[0], "value": 7 is out of range for LM3 score' in result.output
    )
    bad = invoke("framework", "report", "--demo", "--period", "soon")
    assert bad.exit_code == 2 and "a financial year" in bad.output
    assert invoke("framework", "report").exit_code == 2


def test_demo_report_as_of_the_first_period():
    result = invoke("framework", "report", "--demo", "--period", "2024-25", "--json")
    document = json.loads(result.output)
    assert {i["latest"]["period"] for i in document["indicators"] if i["latest"]} == {"2024-25"}


def test_template_writes_a_workbook_once(tmp_path):
    path = tmp_path / "plan.xlsx"
    assert invoke("framework", "template", str(path)).exit_code == 0
    assert path.exists()
    again = invoke("framework", "template", str(path))
    assert again.exit_code == 1 and "--force" in again.output
    assert invoke("framework", "template", str(tmp_path / "plan.csv")).exit_code == 2
