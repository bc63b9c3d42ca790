"""Reading plan files and workbooks, and reporting every fault with where it is and what to do."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from keepitlocal.errors import InputError
from keepitlocal.framework.io import plan_from_dict, read_plan, write_template
from keepitlocal.framework.progress import report

from .helpers import measurement, plan_document


def problems(document) -> list[str]:
    with pytest.raises(InputError) as caught:
        plan_from_dict(document, source="plan.json")
    return [str(p) for p in caught.value.problems]


def test_a_bank_indicator_takes_its_label_unit_and_feed_from_the_bank():
    plan = plan_from_dict(plan_document(), source="plan.json")
    lm3 = plan.indicator("lm3")
    assert lm3.label == "LM3 local multiplier measure"
    assert (lm3.unit, lm3.characteristic, lm3.fed_by, lm3.bank_id) == (
        "multiplier",
        1,
        "lm3.lm3",
        "C1-K1",
    )


def test_every_fault_is_reported_at_once_with_its_place_and_fix():
    document = plan_document(
        characteristics=[1, 5, 9],
        indicators=[
            {"bank": "C9-K1", "key": "nope"},
            {
                "key": "pct",
                "label": "Share",
                "characteristic": 1,
                "unit": "%",
                "baseline": "140",
                "frequency": "weekly",
            },
            {"bank": "C2-K4", "key": "jobs"},
        ],
        measurements=[
            measurement("pct", "2024-25", "50", quality="checked"),
            measurement("pct", "2025-26", "abc"),
            measurement("ghost", "2024", "1"),
            measurement("pct", "last year", "1"),
            measurement("pct", "2024-25", "51", quality="triangulated", checked_by="Asha"),
        ],
    )
    found = problems(document)
    expected = [
        "characteristic 9 is not one of the seven",
        "plan.json, row indicators[0], \"bank\": 'C9-K1' is not in the indicator bank",
        'row indicators[1], "baseline": 140 is out of range for %; give a percentage from 0 to 100',
        "unknown frequency 'weekly'",
        "indicator 'jobs' is under characteristic 2, which the plan does not choose",
        'row measurements[0], "checked_by": a checked value needs the name of its challenger',
        "row measurements[1], \"value\": 'abc' is not a number",
        "row measurements[2], \"indicator\": no indicator has the key 'ghost'",
        "row measurements[3], \"period\": 'last year' is not a period we can read",
        '"checked_by": the challenger is the person who recorded the value',
        "a triangulated value needs the other source it was compared with",
        "2 values for 'pct' in 2024-25 are all revision 1",
    ]
    for text in expected:
        assert any(text in p for p in found), (text, found)


def test_a_correction_needs_a_reason():
    found = problems(
        plan_document(
            measurements=[
                measurement("lm3", "2024", "2"),
                measurement("lm3", "2024", "2.1", revision=2),
            ]
        )
    )
    assert any("revision 2 corrects an earlier value but gives no reason" in p for p in found)


def test_a_text_indicator_needs_a_statement_and_no_target():
    found = problems(
        plan_document(
            indicators=[{"bank": "C5-O10", "key": "board", "target": "3"}],
            measurements=[{"indicator": "board", "period": "2024"}],
        )
    )
    assert any('"target": a text indicator has no target number' in p for p in found)
    assert any('"statement": statement is missing' in p for p in found)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "should hold one JSON object"),
        ('{"organisation": "X", "indicators": {}}', "indicators should be a list"),
    ],
)
def test_malformed_files_are_named(tmp_path, content, message):
    path = tmp_path / "plan.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_plan(path)
    assert "plan.json" in str(caught.value)


def test_a_file_that_is_not_utf8_or_not_a_workbook_is_refused(tmp_path):
    latin = tmp_path / "plan.json"
    latin.write_bytes('{"organisation": "Caf\xe9"}'.encode("latin-1"))
    with pytest.raises(InputError, match="not a UTF-8 text file"):
        read_plan(latin)
    fake = tmp_path / "plan.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="is not an Excel workbook"):
        read_plan(fake)


def test_the_template_round_trips_a_plan_filled_in_a_spreadsheet(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_template(path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Read me", "Plan", "Activities", "Indicators", "Measurements"]
    fields = {row[0].value: row[0].row for row in workbook["Plan"].iter_rows(min_row=2)}
    sheet = workbook["Plan"]
    for field, value in {
        "organisation": "Northside Community Association",
        "change_sought": "More local spending",
        "area_name": "Northside",
        "area_lad": "E08000033",
        "characteristics": "1, 5",
        "step_7": "We contribute, with others",
    }.items():
        sheet.cell(fields[field], 2, value)
    workbook["Activities"].append(["Buying locally"])
    workbook["Indicators"].append(
        [
            "lm3",
            "C1-K1",
            None,
            None,
            None,
            None,
            2,
            "2023-24",
            2.5,
            "2026-27",
            "measured result",
            "annual",
        ]
    )
    workbook["Measurements"].append(
        [
            "lm3",
            "2024-25",
            2.25,
            None,
            "LM3",
            "a.pdf\nhttps://x.org/b",
            "Asha",
            "checked",
            "Ben",
            None,
            None,
            None,
        ]
    )
    workbook.save(path)
    plan = read_plan(path)
    assert plan.characteristics == (1, 5) and plan.area.lad == ("E08000033",)
    assert plan.step_notes == {7: "We contribute, with others"}
    [m] = plan.measurements
    assert m.value == D("2.25") and m.evidence == ("a.pdf", "https://x.org/b")
    assert report(plan).indicators[0].progress == D("0.5")


def test_workbook_faults_name_the_sheet_and_row(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_template(path)
    workbook = load_workbook(path)
    workbook["Plan"].append(["colour", "blue"])
    workbook["Indicators"].append(["x", None, "Own", 3, "furlongs"])
    workbook.save(path)
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert "plan.xlsx [Plan], row 15, \"field\": unknown field 'colour'" in str(caught.value)
    path2 = tmp_path / "plan2.xlsx"
    write_template(path2)
    workbook = load_workbook(path2)
    workbook["Indicators"].append(["x", None, "Own", 3, "furlongs"])
    workbook.save(path2)
    with pytest.raises(InputError) as caught:
        read_plan(path2)
    message = str(caught.value)
    assert "plan2.xlsx [Indicators], row 2, \"unit\": unknown unit 'furlongs'" in message
    assert "organisation is missing" in message


def test_the_demo_plan_reads_and_covers_two_periods():
    from importlib.resources import as_file, files

    with as_file(files("keepitlocal.framework").joinpath("demo", "calder_valley_plan.json")) as p:
        plan = read_plan(p)
        document = json.loads(p.read_text(encoding="utf-8"))
    result = report(plan)
    assert [x.label for x in result.periods] == ["2024-25", "2025-26"]
    assert len(plan.measurements) == len(document["measurements"])
