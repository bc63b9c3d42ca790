"""`keepitlocal enabled` as a user runs it."""

from __future__ import annotations

import json
from decimal import Decimal

from click.testing import CliRunner

from keepitlocal.cli import main


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_calc_demo_prints_a_readable_report():
    result = invoke("enabled", "calc", "--demo")
    assert result.exit_code == 0, result.output
    assert "Northgate Community Hub (Calderdale)" in result.output
    assert "Enabled employment: approximately" in result.output
    assert "⚠" in result.output  # the UNVERIFIED fitness density is flagged
    assert "EXCLUDED" in result.output


def test_calc_demo_json_is_one_document_whose_totals_add_up():
    result = invoke("enabled", "calc", "--demo", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    tenants = [t for a in document["anchors"] for t in a["tenants"]]
    assert len(document["anchors"]) == 3 and len(tenants) == 25
    fte = sum(Decimal(t["employees"]["value"]) for t in tenants if t["employees"]["value"])
    assert fte == Decimal(document["employees_fte"]["exact"])
    assert document["employees_fte"]["approximately"].startswith("approximately ")
    routes = {t["employees"]["route"] for t in tenants} | {t["gva"]["route"] for t in tenants}
    assert routes == {
        "reported_fte",
        "headcount_hours",
        "headcount_factor",
        "floorspace_density",
        "reported_gva",
        "turnover_ratio",
        "employees_gva_per_fte",
        "excluded",
    }
    assert {t["confidence"] for t in tenants} == {"high", "moderate", "excluded"}
    statuses = {r["id"]: r["status"] for r in document["references"]}
    assert statuses["density:D2-fitness"] == "UNVERIFIED"
    assert statuses["density:D1"] == "USER"
    assert all(not r["checked_against_primary"] for r in document["references"])
    assert any(w.startswith("UNVERIFIED") for w in document["warnings"])
    assert {e["tenant"] for e in document["excluded"]} == {
        "Friends of Northgate Park",
        "Shropshire Rural Transport",
    }


def test_calc_reads_json_and_xlsx(tmp_path):
    path = tmp_path / "hub.json"
    path.write_text(
        json.dumps(
            {
                "anchors": [
                    {
                        "name": "Hub",
                        "tenants": [{"name": "Office", "activity": "B1a", "floorspace_m2": "850"}],
                    }
                ]
            }
        )
    )
    result = invoke("enabled", "calc", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["employees_fte"]["exact"] == "70.83"

    workbook = tmp_path / "demo.xlsx"
    assert invoke("enabled", "template", str(workbook), "--demo").exit_code == 0
    result = invoke("enabled", "calc", str(workbook))
    assert result.exit_code == 0, result.output
    assert "Riverside Old School (Shropshire)" in result.output


def test_calc_bad_input_lists_every_problem_and_fails(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "anchors": [
                    {
                        "name": "Hub",
                        "tenants": [
                            {"name": "A", "sic": "I", "fte": "-1"},
                            {"name": "A", "sic": "XX9", "fte": "1"},
                        ],
                    },
                    {"name": "Empty", "tenants": []},
                ]
            }
        )
    )
    result = invoke("enabled", "calc", str(path))
    assert result.exit_code == 1
    assert "4 problems" in result.output
    assert str(path) in result.output
    for text in ("negative", "appears twice", 'unknown activity code "XX9"', "has no tenants"):
        assert text in result.output


def test_calc_malformed_files(tmp_path):
    not_json = tmp_path / "a.json"
    not_json.write_text("{")
    fake = tmp_path / "a.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really")
    for path, text in ((not_json, "not valid JSON"), (fake, "not an Excel workbook")):
        result = invoke("enabled", "calc", str(path))
        assert result.exit_code == 1
        assert text in result.output and str(path) in result.output


def test_calc_needs_a_file_or_demo():
    assert invoke("enabled", "calc").exit_code == 2
    assert invoke("enabled", "calc", "x.json", "--demo").exit_code == 2


def test_template_writes_and_will_not_overwrite(tmp_path):
    path = tmp_path / "tenants.xlsx"
    result = invoke("enabled", "template", str(path))
    assert result.exit_code == 0, result.output
    assert path.exists()
    again = invoke("enabled", "template", str(path))
    assert again.exit_code == 1 and "already exists" in again.output
    assert invoke("enabled", "template", str(path), "--force").exit_code == 0
    assert invoke("enabled", "template", str(tmp_path / "t.csv")).exit_code == 2


def test_codes_lists_use_classes_and_sections():
    result = invoke("enabled", "codes")
    assert result.exit_code == 0, result.output
    assert "B1a" in result.output and "no density: enter one as an override" in result.output
    document = json.loads(invoke("enabled", "codes", "--json").output)
    assert {u["use_class"] for u in document["use_classes"]} >= {"B1a", "A3", "D1"}
    assert len(document["sic_sections"]) == 21
