"""The `keepitlocal lm3` commands, as a user runs them."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from click.testing import CliRunner

from keepitlocal.cli import main
from keepitlocal.errors import InputError
from keepitlocal.geo import PostcodeStore

CALDERDALE = "E08000033"


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_calc_json_has_the_documented_keys(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(
            {
                "name": "Contract",
                "area": {"lad": [CALDERDALE]},
                "staff": {"local_pay": "40000", "nonlocal_pay": "0"},
                "suppliers": [
                    {
                        "name": "A",
                        "spend": "20000",
                        "local": True,
                        "response": {"local_staff_share": "0.5", "local_supplier_share": "0.26"},
                    },
                    {
                        "name": "B",
                        "spend": "40000",
                        "local": False,
                        "response": {"local_staff_share": "0", "local_supplier_share": "0"},
                    },
                ],
                "proxies": {"local_staff_respend": "0.454"},
            }
        )
    )
    result = invoke("lm3", "calc", str(path), "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    for key in (
        "round1",
        "round2",
        "round3",
        "total",
        "lm3",
        "supplier_value_responded_share",
        "confidence",
        "proxies",
    ):
        assert key in document
    assert D(document["lm3"]) == D("1.9336")
    assert document["total"] == "193360.00"
    assert document["confidence"] == "green"
    assert document["headline"].startswith("every £1 creates £1.93")


def test_calc_readable_report(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(
            {
                "name": "Contract",
                "area": {"lad": [CALDERDALE]},
                "other_costs": [{"label": "Rates", "spend": 100, "local": True}],
            }
        )
    )
    result = invoke("lm3", "calc", str(path))
    assert result.exit_code == 0, result.output
    assert "every £1 creates £2.00" in result.output
    assert "Proxies used" in result.output


def test_calc_bad_file_exits_non_zero_with_a_clear_message(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(
            {
                "name": "C",
                "area": {"lad": [CALDERDALE]},
                "suppliers": [{"name": "A", "spend": "-1", "local": True}],
            }
        )
    )
    result = invoke("lm3", "calc", str(path))
    assert result.exit_code == 1
    assert "p.json" in result.output and "spend -1" in result.output


def test_calc_without_a_file():
    result = invoke("lm3", "calc")
    assert result.exit_code == 2
    assert "give a project FILE, or --demo" in result.output


def test_template_then_calc_names_what_is_missing(tmp_path):
    path = tmp_path / "t.xlsx"
    result = invoke("lm3", "template", str(path))
    assert result.exit_code == 0, result.output
    assert invoke("lm3", "template", str(path)).exit_code == 1  # no silent overwrite
    result = invoke("lm3", "calc", str(path))
    assert result.exit_code == 1
    assert "name is missing" in result.output


def test_unknown_postcode_without_a_flag_is_an_error():
    from keepitlocal.lm3 import project_from_dict, run

    store = PostcodeStore.from_records(
        [("HX1 2JJ", 53.72, -1.86, CALDERDALE), ("LS1 1AA", 53.79, -1.55, "E08000035")]
    )
    project = project_from_dict(
        {
            "name": "C",
            "area": {"lad": [CALDERDALE]},
            "source": "p.json",
            "suppliers": [
                {"name": "Near", "postcode": "hx12jj", "spend": 10},
                {"name": "Far", "postcode": "LS1 1AA", "spend": 10},
                {"name": "Lost", "postcode": "ZZ99 9ZZ", "spend": 10},
                {"name": "Blank", "spend": 10},
            ],
        },
        source="p.json",
    )
    with pytest.raises(InputError) as caught:
        run(project, store)
    message = str(caught.value)
    assert "supplier 'Lost' has postcode 'ZZ99 9ZZ' that cannot be placed" in message
    assert "supplier 'Blank' has no postcode" in message
    assert 'set "local": true or false' in message
    assert "Near" not in message and "Far" not in message


def test_postcodes_place_staff_and_suppliers_with_the_fallback_level_reported():
    from keepitlocal.lm3 import project_from_dict, run

    store = PostcodeStore.from_records(
        [
            ("HX1 2JJ", 53.72, -1.86, CALDERDALE),
            ("HX1 2JL", 53.721, -1.861, CALDERDALE),
            ("LS1 1AA", 53.79, -1.55, "E08000035"),
        ]
    )
    project = project_from_dict(
        {
            "name": "C",
            "area": {"lad": [CALDERDALE]},
            "staff": [
                {"label": "A", "postcode": "HX1 2JJ", "pay": 100},
                {"label": "B", "postcode": "LS1 1AA", "pay": 100},
            ],
            "suppliers": [
                {"name": "Typo", "postcode": "HX1 2QQ", "spend": 10},
                {"name": "Flagged", "postcode": "LS1 1AA", "local": True, "spend": 10},
            ],
        }
    )
    result = run(project, store)
    assert result.local_staff_pay == 100
    assert result.local_suppliers.count == 2
    assert result.placements == {"unit": 2, "sector": 1, "flag": 1}
