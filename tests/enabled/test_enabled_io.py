"""Reading JSON and XLSX inputs: every problem named by file, row or key, all reported at once."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook, load_workbook

from keepitlocal.enabled import calculate, read_demo, read_project, write_template
from keepitlocal.errors import InputError

from .helpers import D


def write_json(tmp_path, document, name="anchors.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def problems(path):
    with pytest.raises(InputError) as caught:
        read_project(path)
    return caught.value.problems


def good_tenant(**extra):
    return {"name": "Café", "sic": "56.10", "fte": "3", **extra}


def test_json_amounts_may_be_numbers_or_strings(tmp_path):
    path = write_json(
        tmp_path,
        {
            "name": "Hub",
            "anchors": [
                {
                    "name": "Hub",
                    "tenants": [
                        {
                            "name": "A",
                            "activity": "B1a",
                            "floorspace_m2": 850.5,
                            "area_basis": "nia",
                        },
                        {"name": "B", "activity": "56.10", "turnover": "£12,000", "fte": 1},
                    ],
                }
            ],
        },
    )
    project = read_project(path)
    a, b = project.anchors[0].tenants
    assert (a.use_class, a.floorspace_m2, a.area_basis) == ("B1a", D("850.5"), "NIA")
    assert (b.sic, b.turnover, b.fte) == ("56.10", D(12000), D(1))


def test_every_kind_of_bad_input_is_reported_together(tmp_path):
    path = write_json(
        tmp_path,
        {
            "anchors": [
                {
                    "name": "Hub",
                    "tenants": [
                        good_tenant(fte="-2"),  # negative
                        good_tenant(),  # duplicate tenant
                        {"name": "Mystery", "sic": "04", "fte": "1"},  # unknown activity code
                        {"sic": "I", "fte": "1"},  # missing name
                        {"name": "No activity", "fte": "1"},  # missing activity
                        {"name": "Words", "sic": "I", "fte": "some"},  # wrong type
                    ],
                },
                {"name": "Empty", "tenants": []},  # empty anchor
            ]
        },
    )
    found = problems(path)
    text = "\n".join(str(p) for p in found)
    assert all(p.file == str(path) for p in found)
    assert 'tenant "Café" (anchor "Hub"): fte is -2, a negative number' in text
    assert 'tenant "Café" (anchor "Hub") appears twice' in text
    assert 'unknown activity code "04"' in text
    assert 'tenant 4 (anchor "Hub") has no name' in text
    assert 'tenant "No activity" (anchor "Hub") has no activity' in text
    assert 'fte is "some", not a number' in text
    assert 'anchor "Empty" has no tenants' in text
    columns = {p.column for p in found}
    assert "anchors[0].tenants[0].fte" in columns
    assert "anchors[1].tenants" in columns
    assert len(found) == 7


def test_unknown_keys_are_reported_with_a_suggestion(tmp_path):
    path = write_json(
        tmp_path, {"anchors": [{"name": "Hub", "tenants": [good_tenant(floorspace="100")]}]}
    )
    (problem,) = problems(path)
    assert problem.column == "anchors[0].tenants[0].floorspace"
    assert problem.hint == 'did you mean "floorspace_m2"?'


def test_duplicate_json_keys_are_not_silently_dropped(tmp_path):
    path = tmp_path / "dup.json"
    path.write_text(
        '{"anchors": [{"name": "Hub", "tenants": [{"name": "A", "sic": "I", '
        '"fte": "1", "fte": "2"}]}]}'
    )
    (problem,) = problems(path)
    assert 'key "fte" appears twice in the record named "A"' in str(problem)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not json at all", "not valid JSON"),
        ("[1, 2]", "the file holds list, not a record with anchors"),
        ('{"anchors": {}}', "anchors is {}, not a list"),
        ('{"anchors": [{"name": "Hub", "tenants": "many"}]}', 'tenants is "many", not a list'),
        ('{"anchors": [{"name": "Hub", "tenants": [1]}]}', "is 1, not a record"),
        ('{"anchors": [{"name": ["Hub"], "tenants": []}]}', 'name is ["Hub"], not text'),
        ('{"name": "x"}', 'there is no "anchors" list'),
        ('{"anchors": []}', "there are no anchors"),
    ],
)
def test_malformed_json(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert any(expected in str(p) for p in problems(path)), [str(p) for p in problems(path)]


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"name": "Café"}'.encode("latin-1"))
    assert "not UTF-8 text" in str(problems(path)[0])


def test_an_xlsx_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("name,fte\nA,1\n")
    (problem,) = problems(path)
    assert problem.file == str(path)
    assert "not an Excel workbook" in problem.message


def test_unsupported_and_missing_files(tmp_path):
    csv = tmp_path / "tenants.csv"
    csv.write_text("a,b")
    assert 'unsupported file type ".csv"' in str(problems(csv)[0])
    assert "file not found" in str(problems(tmp_path / "nope.json")[0])


def test_overrides_are_checked(tmp_path):
    path = write_json(
        tmp_path,
        {
            "anchors": [{"name": "Hub", "tenants": [good_tenant()]}],
            "overrides": {
                "density": {"Q9": "12", "B1a": "-1"},
                "gva_turnover_ratio": {"56": "1.5"},
                "gva_per_fte": {"Q": {"value": "50000", "note": "own accounts"}},
                "densty": {},
            },
        },
    )
    text = "\n".join(str(p) for p in problems(path))
    assert 'override density: unknown code "Q9"' in text
    assert "override density B1a is -1" in text
    assert "GVA cannot exceed turnover" in text
    assert 'unknown override table "densty"; did you mean "density"?' in text
    assert "gva_per_fte" not in text


def test_template_round_trips_the_demo(tmp_path):
    path = tmp_path / "demo.xlsx"
    write_template(path, read_demo())
    from_xlsx, from_json = read_project(path), read_demo()
    assert from_xlsx.anchors == from_json.anchors
    assert [(o.table, o.code, o.value) for o in from_xlsx.overrides] == [
        (o.table, o.code, o.value) for o in from_json.overrides
    ]
    assert calculate(from_xlsx).employees == calculate(from_json).employees


def test_blank_template_has_the_documented_sheets_and_text_sic_column(tmp_path):
    path = tmp_path / "blank.xlsx"
    write_template(path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Read me", "Anchors", "Tenants", "Overrides", "Codes"]
    tenants = workbook["Tenants"]
    assert [c.value for c in tenants[1]][:4] == [
        "Anchor",
        "Tenant",
        "SIC 2007 code or section",
        "HCA use class",
    ]
    assert tenants["C2"].number_format == "@"
    with pytest.raises(InputError) as caught:  # a blank workbook has nothing to calculate
        read_project(path)
    assert "there are no anchors" in str(caught.value)


def workbook_with(tmp_path, tenant_rows, anchors=None, overrides=None, heading=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tenants"
    sheet.append(
        heading
        or [
            "Anchor",
            "Tenant",
            "SIC 2007 code or section",
            "HCA use class",
            "Floorspace (m²)",
            "FTE employees",
        ]
    )
    for row in tenant_rows:
        sheet.append(row)
    if anchors is not None:
        anchor_sheet = workbook.create_sheet("Anchors")
        anchor_sheet.append(["Anchor", "Local authority"])
        for row in anchors:
            anchor_sheet.append(row)
    if overrides is not None:
        override_sheet = workbook.create_sheet("Overrides")
        override_sheet.append(["Table", "Code", "Value", "Note"])
        for row in overrides:
            override_sheet.append(row)
    path = tmp_path / "tenants.xlsx"
    workbook.save(path)
    return path


def test_workbook_problems_name_the_row_and_column(tmp_path):
    path = workbook_with(
        tmp_path,
        [
            ["Hub", "Café", "56.10", None, 120, 3],
            ["Hub", "Café", "56.10", None, -5, "x"],
            [None, "Orphan", "I", None, None, 1],
            ["Hubb", "Typo", "I", None, None, 1],
            ["Hub", "Nowhere", None, "Q7", None, None],
        ],
        anchors=[["Hub", "Calderdale"], ["Lonely", "Bradford"]],
        overrides=[["density", "D1", 0, "x"], ["speed", "B1a", 3, None]],
    )
    found = problems(path)
    located = {(p.row, p.column) for p in found}
    assert (3, "Tenants: Floorspace (m²)") in located  # negative
    assert (3, "Tenants: FTE employees") in located  # wrong type
    assert (3, "Tenants: Tenant") in located  # duplicate
    assert (4, "Tenants: Anchor") in located  # no anchor
    assert (5, "Tenants: Anchor") in located  # anchor not declared
    assert (6, "Tenants: HCA use class") in located  # unknown code
    assert (3, "Anchors: Anchor") in located  # empty anchor
    assert (2, "Overrides: Value") in located
    assert (3, "Overrides: Table") in located
    duplicate = next(p for p in found if p.column == "Tenants: Tenant")
    assert "first at row 2" in duplicate.message


def test_workbook_columns_are_recognised_by_their_usual_names(tmp_path):
    path = workbook_with(
        tmp_path,
        [["Hub", "Café", 5610, "A3", "95", 2.5, None]],
        heading=["anchor", "Tenant name", "SIC code", "Use class", "floorspace m2", "FTE", "Notes"],
    )
    tenant = read_project(path).anchors[0].tenants[0]
    assert (tenant.sic, tenant.use_class, tenant.floorspace_m2, tenant.fte) == (
        "5610",
        "A3",
        D(95),
        D("2.5"),
    )


def test_workbook_unknown_and_missing_columns(tmp_path):
    path = workbook_with(
        tmp_path, [["Café", "I", 1, "red"]], heading=["Tenant", "SIC", "FTE", "Colour"]
    )
    text = "\n".join(str(p) for p in problems(path))
    assert 'unknown column "Colour"' in text
    assert 'Tenants sheet has no "Anchor" column' in text


def test_workbook_without_a_tenants_sheet(tmp_path):
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    path = tmp_path / "other.xlsx"
    workbook.save(path)
    assert 'no "Tenants" sheet (sheets: Sheet1)' in str(problems(path)[0])


def test_an_upload_can_be_named_as_the_user_knows_it(tmp_path):
    upload = tmp_path / "tmp8d7f"
    upload.write_text('{"anchors": [{"name": "Hub", "tenants": [{"name": "A", "fte": "-1"}]}]}')
    with pytest.raises(InputError) as caught:
        read_project(upload, label="our-anchors.json")
    assert {p.file for p in caught.value.problems} == {"our-anchors.json"}


def test_override_entries_with_unknown_keys_are_reported(tmp_path):
    path = write_json(
        tmp_path,
        {
            "anchors": [{"name": "Hub", "tenants": [good_tenant()]}],
            "overrides": {"density": {"D1": {"valu": "25"}}},
        },
    )
    columns = {p.column for p in problems(path)}
    assert columns == {"overrides.density.D1.valu", "overrides.density.D1"}
