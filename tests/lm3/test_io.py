"""Reading the project file and workbook: real shapes, and every kind of bad input named precisely."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from openpyxl import Workbook

from keepitlocal.errors import InputError
from keepitlocal.lm3 import (
    DEMO_PROJECT,
    project_from_dict,
    project_to_dict,
    read_project,
    run,
    validate,
    write_workbook,
)


def write(tmp_path, document, name="project.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def good(**changes):
    document = {
        "name": "Jubilee Children's Centre contract",
        "area": {"lad": ["E08000033"]},
        "staff": [{"label": "Centre manager", "pay": "31000.00", "local": True}],
        "suppliers": [
            {
                "name": "Acme Catering",
                "spend": 12000,
                "local": True,
                "contact": "A. Person",
                "email": "a@example.org",
                "response": {"local_staff_share": "0.40", "local_supplier_share": "0.25"},
            },
        ],
        "other_costs": [{"label": "Business rates", "spend": "5000.00", "local": True}],
        "proxies": {"local_staff_respend": "0.66"},
    }
    document.update(changes)
    return document


def problems_of(document):
    with pytest.raises(InputError) as caught:
        validate(project_from_dict(document, source="p.json"))
    return str(caught.value)


def test_reads_amounts_as_decimal_from_numbers_and_strings(tmp_path):
    project = read_project(write(tmp_path, good()))
    assert project.suppliers[0].spend == D("12000")
    assert project.staff[0].pay == D("31000.00")
    assert project.suppliers[0].response.total == D("0.65")


def test_json_float_amounts_keep_their_decimal_value(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(
        '{"name": "x", "area": {"lad": ["E08000033"]}, '
        '"other_costs": [{"label": "r", "spend": 0.1, "local": true}]}'
    )
    assert read_project(path).other_costs[0].spend == D("0.1")


def test_json_round_trip(tmp_path):
    project = read_project(write(tmp_path, good()))
    again = project_from_dict(json.loads(json.dumps(project_to_dict(project))), source="again")
    assert project_to_dict(again) == project_to_dict(project)


def test_workbook_round_trip_gives_the_same_result(tmp_path):
    project = read_project(DEMO_PROJECT)
    path = tmp_path / "demo.xlsx"
    write_workbook(path, project)
    again = read_project(path)
    assert project_to_dict(again)["suppliers"] == project_to_dict(project)["suppliers"]
    assert len(again.staff) == len(project.staff)


def test_template_is_an_empty_workbook_that_reads_as_an_empty_project(tmp_path):
    path = tmp_path / "t.xlsx"
    write_workbook(path)
    with pytest.raises(InputError) as caught:
        read_project(path)
    assert "name is missing" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": ""}, '"name": name is missing'),
        ({"area": None}, "area is missing"),
        ({"staff": [{"label": "A", "pay": "-10", "local": True}]}, "pay -10 is negative"),
        ({"staff": [{"label": "A", "local": True}]}, 'row staff[0], "pay": pay is missing'),
        ({"staff": [{"label": "A", "pay": "ten pounds", "local": True}]}, "is not a number"),
        ({"suppliers": [{"name": "X", "spend": "-5", "local": True}]}, "spend -5"),
        ({"suppliers": [{"spend": "5", "local": True}]}, '"name": name is missing'),
        (
            {
                "suppliers": [
                    {
                        "name": "X",
                        "spend": "5",
                        "local": True,
                        "response": {"local_staff_share": "1.2", "local_supplier_share": "0"},
                    }
                ]
            },
            "local_staff_share 1.2 for 'X' is outside 0 to 1",
        ),
        (
            {
                "suppliers": [
                    {
                        "name": "X",
                        "spend": "5",
                        "local": True,
                        "response": {"local_staff_share": "-0.1", "local_supplier_share": "0"},
                    }
                ]
            },
            "outside 0 to 1",
        ),
        (
            {
                "suppliers": [
                    {
                        "name": "X",
                        "spend": "5",
                        "local": True,
                        "response": {"local_staff_share": "0.7", "local_supplier_share": "0.5"},
                    }
                ]
            },
            "together 1.2, more than all of its costs",
        ),
        (
            {
                "suppliers": [
                    {
                        "name": "X",
                        "spend": "5",
                        "local": True,
                        "response": {"local_staff_share": "0.7"},
                    }
                ]
            },
            "local_supplier_share is missing",
        ),
        (
            {
                "suppliers": [
                    {"name": "Acme Ltd", "spend": "5", "local": True},
                    {"name": "acme  ltd", "spend": "6", "local": True},
                ]
            },
            "appears twice (first at row suppliers[0])",
        ),
        (
            {"suppliers": [{"name": "X", "spend": "5", "local": "maybe"}]},
            "'maybe' is not yes or no",
        ),
        (
            {"other_costs": [{"label": "Rates", "spend": "5"}]},
            "say whether this cost is paid locally",
        ),
        ({"proxies": {"local_staff_respend": "1.5"}}, "proxy local_staff_respend = 1.5 is outside"),
        ({"proxies": {"staff_magic": "0.5"}}, "unknown proxy 'staff_magic'"),
        ({"staff": [], "suppliers": [], "other_costs": []}, "the project is empty"),
        ({"suppliers": {"name": "X"}}, "suppliers should be a list"),
        ({"suppliers": ["X"]}, "suppliers[0] should be an object"),
    ],
)
def test_bad_input_is_named_with_file_and_key(change, expected):
    message = problems_of(good(**change))
    assert "p.json" in message
    assert expected in message


def test_every_problem_is_reported_at_once():
    message = problems_of(
        good(
            name="",
            staff=[{"label": "A", "pay": "-1", "local": True}],
            suppliers=[{"name": "X", "spend": "-5", "local": True}],
        )
    )
    assert message.startswith("3 problems")


def test_malformed_json_names_the_file_and_position(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"name": "x", "area": {"lad": ["E08000033"]},,}')
    with pytest.raises(InputError, match=r"broken.json: is not valid JSON: .* line 1 column"):
        read_project(path)


def test_json_that_is_not_an_object(tmp_path):
    with pytest.raises(InputError, match="should hold one JSON object"):
        read_project(write(tmp_path, [1, 2]))


def test_legacy_encoded_json_is_refused_clearly(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes('{"name": "Caf\xe9"}'.encode("latin-1"))
    with pytest.raises(InputError, match="not a UTF-8 text file"):
        read_project(path)


def test_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("name,spend\nAcme,12\n")
    with pytest.raises(InputError, match=r"fake.xlsx: is not an Excel workbook"):
        read_project(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_project(tmp_path / "nope.json")


def workbook(tmp_path, suppliers, responses=(), project=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "Project"
    sheet.append(["Field", "Value"])
    for row in project or [["name", "Contract"], ["area_lad", "E08000033, E08000034"]]:
        sheet.append(row)
    sheet = book.create_sheet("Suppliers")
    sheet.append(["Name", "Contact", "Email", "Postcode", "Spend", "Local"])
    for row in suppliers:
        sheet.append(row)
    sheet = book.create_sheet("Responses")
    sheet.append(["Supplier", "Local staff share", "Local supplier share", "Source"])
    for row in responses:
        sheet.append(row)
    path = tmp_path / "project.xlsx"
    book.save(path)
    return path


def test_workbook_with_real_world_cells(tmp_path):
    path = workbook(
        tmp_path,
        [
            ["Acme Ltd", None, None, None, "£1,200.50", "Yes"],
            ["Far Co", None, None, None, 800, "no"],
            [None, None, None, None, None, None],
        ],
        [["acme ltd", "40%", 0.2, "paper"]],
    )
    project = read_project(path)
    assert project.area == {"lad": ["E08000033", "E08000034"]}
    assert [s.spend for s in project.suppliers] == [D("1200.50"), D("800")]
    assert project.suppliers[0].response.local_staff_share == D("0.4")
    assert project.suppliers[0].response.source == "paper"
    result = run(project)
    assert result.round1 == D("2000.50")


def test_workbook_errors_name_sheet_row_and_column(tmp_path):
    path = workbook(
        tmp_path, [["Acme", None, None, None, "lots", "yes"]], [["Nobody", 0.1, 0.1, "survey"]]
    )
    with pytest.raises(InputError) as caught:
        read_project(path)
    message = str(caught.value)
    assert (
        "[Responses], row 2, \"supplier\": a response from 'Nobody' matches no supplier" in message
    )


def test_workbook_bad_amount_names_sheet_and_row(tmp_path):
    path = workbook(tmp_path, [["Acme", None, None, None, "lots", "yes"]])
    with pytest.raises(InputError, match=r'project.xlsx \[Suppliers\], row 2, "spend": \'lots\''):
        read_project(path)
