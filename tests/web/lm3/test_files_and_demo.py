"""One engine: the app's figures, its exported files and `keepitlocal lm3 calc` agree."""

from __future__ import annotations

import json
from decimal import Decimal
from io import BytesIO

import pytest
from click.testing import CliRunner
from django.urls import reverse

from keepitlocal import lm3
from keepitlocal.cli import main as cli
from keepitlocal.web import demo
from keepitlocal.web.lm3 import services
from keepitlocal.web.lm3.demo import FINISHED, SURVEYING
from keepitlocal.web.lm3.models import Lm3Project, ResponseSource, Status, SupplierResponse
from keepitlocal.web.surveys.models import SurveyLink

from ..pdf import pdf_first_page_png, pdf_page_size, pdf_text

pytestmark = pytest.mark.postcodes


def _normal(document: dict) -> dict:
    """The figures as JSON would carry them, so Decimals and strings compare equal."""
    return json.loads(json.dumps(document, default=str))


def _calc(tmp_path, name: str, content: bytes) -> dict:
    path = tmp_path / name
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["lm3", "calc", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def demo_data(db):
    return demo.load_demo()


def test_demo_has_a_finished_green_project_and_one_in_progress(demo_data):
    finished = Lm3Project.objects.get(organisation=demo_data.anchor, name=FINISHED)
    assert finished.status == Status.CLOSED
    assert finished.final_result["confidence"] == "green"
    assert finished.suppliers.count() == 150 and finished.staff.count() == 40
    assert not SurveyLink.objects.filter(group=finished.survey_group, closed=False).exists()

    surveying = Lm3Project.objects.get(organisation=demo_data.anchor, name=SURVEYING)
    assert surveying.status == Status.SURVEYING and surveying.invitations_sent_at
    assert SupplierResponse.objects.filter(supplier__project=surveying).count() == 5
    assert SurveyLink.objects.filter(group=surveying.survey_group, closed=False).exists()

    demo.load_demo()  # idempotent
    assert Lm3Project.objects.filter(organisation=demo_data.anchor).count() == 2
    assert finished.suppliers.count() == 150


def test_exported_files_give_the_same_figures_as_the_app_and_the_command(
    client, demo_data, tmp_path
):
    project = Lm3Project.objects.get(organisation=demo_data.anchor, name=FINISHED)
    in_app = _normal(lm3.result_to_dict(services.lm3_result_compute(project)))
    client.force_login(demo_data.user)
    exported = client.get(reverse("lm3:export_json", args=[project.pk]))
    assert exported.status_code == 200
    assert _calc(tmp_path, "project.json", exported.content) == in_app

    workbook = client.get(reverse("lm3:export_xlsx", args=[project.pk]))
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _calc(tmp_path, "project.xlsx", workbook.content) == in_app

    page = client.get(reverse("lm3:results", args=[project.pk])).content.decode()
    assert f"{Decimal(in_app['lm3']).quantize(Decimal('0.01'))}" in page
    assert "Every £1 creates" in page

    csv_text = client.get(reverse("lm3:results_csv", args=[project.pk])).content.decode("utf-8-sig")
    assert f"Result,Round 1: income spent,{in_app['round1']}" in csv_text
    assert "Placement,Placed by their full postcode," in csv_text
    for key in ("round1", "local_staff_respend", "supplier_value_responded_share", "local_pay"):
        assert key not in csv_text  # keys only in the JSON; people read labels
    from openpyxl import load_workbook

    results = load_workbook(BytesIO(workbook.content))["Results"]
    items = [row[1] for row in results.iter_rows(min_row=2, values_only=True)]
    assert "Round 1: income spent" in items and "round1" not in items
    assert "Share of their pay that staff living in the area spend in the area" in items


def test_importing_a_project_file_creates_its_suppliers_and_responses(client, org, admin):
    client.force_login(admin)
    content = lm3.DEMO_PROJECT.read_bytes()
    upload = BytesIO(content)
    upload.name = "calder.json"
    response = client.post(reverse("lm3:import"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Lm3Project.objects.get(organisation=org)
    assert project.suppliers.count() == 150 and project.staff.count() == 40
    responses = SupplierResponse.objects.filter(supplier__project=project)
    assert responses.count() == 82
    assert set(responses.values_list("source", flat=True)) == {ResponseSource.FILE}
    assert project.period_text == "1 April 2025 to 31 March 2026"
    expected = lm3.result_to_dict(lm3.run(lm3.read_project(lm3.DEMO_PROJECT)))
    assert _normal(lm3.result_to_dict(services.lm3_result_compute(project)))["lm3"] == \
        _normal(expected)["lm3"]


def test_a_bad_project_file_lists_every_problem_and_imports_nothing(client, org, admin):
    client.force_login(admin)
    upload = BytesIO(json.dumps({"name": "", "area": {"lad": ["E08000033"]},
                                 "suppliers": [{"name": "A", "spend": "-5"}]}).encode())
    upload.name = "bad.json"
    response = client.post(reverse("lm3:import"), {"file": upload})
    assert response.status_code == 200
    text = response.content.decode()
    assert "cannot be imported" in text and "name is missing" in text and "negative" in text
    assert not Lm3Project.objects.exists()


def test_the_results_pdf_is_a_readable_a4_report(client, demo_data, tmp_path):
    project = Lm3Project.objects.get(organisation=demo_data.anchor, name=FINISHED)
    client.force_login(demo_data.user)
    response = client.get(reverse("lm3:results_pdf", args=[project.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text, pages = pdf_text(response.content, tmp_path)
    assert "Every £1 creates" in text and "Round 1" in text and "Proxies used" in text
    assert pages == 1 or "Page 1 of" in text
    pdf_first_page_png(response.content, "lm3-demo-results-pdf")
    page_size = pdf_page_size(response.content, tmp_path)
    if page_size is not None:
        assert page_size == (595, 842)  # A4 in points
