"""The method page's examples run, so the documentation cannot drift from the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

from keepitlocal.enabled import calculate, project_from_dict, read_demo, render_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "enabled-contribution.md"


def test_the_json_example_is_a_valid_input():
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", text, re.S)
    assert example
    result = calculate(project_from_dict(json.loads(example.group(1)), "example.json"))
    assert result.employees.counted == 3
    assert {r.status for r in result.references} >= {"USER"}


def test_the_sample_totals_are_the_demo_output():
    text = DOC.read_text(encoding="utf-8")
    report = render_text(calculate(read_demo()))
    for line in (
        "Enabled employment: approximately 130 FTE (exact 132.9;",
        "Enabled GVA:        approximately £8.3m (exact £8,278,038;",
    ):
        assert line in text and line in report
