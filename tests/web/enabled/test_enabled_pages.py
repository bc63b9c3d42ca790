"""Enabled contribution pages without a browser: isolation, roles, CSRF, uploads, one engine."""

from __future__ import annotations

import io
import json
import subprocess
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from keepitlocal.cli import main as cli
from keepitlocal.enabled import calculate, project_from_dict, read_demo, result_to_dict
from keepitlocal.web import demo
from keepitlocal.web.accounts.models import User
from keepitlocal.web.enabled import selectors, services
from keepitlocal.web.enabled.models import EnabledProject, ProjectShare, Tenant
from keepitlocal.web.surveys.models import SurveyLink

pytestmark = pytest.mark.django_db


def _upload(client, project, name, content, anchor=""):
    return client.post(
        reverse("enabled:upload", args=[project.pk]),
        {"file": SimpleUploadedFile(name, content), "anchor": anchor},
    )


# --- one engine ---------------------------------------------------------------------------


def test_web_totals_equal_the_command_on_the_exported_input(
    anchor_org, editor, make_project, client_for, tmp_path
):
    project = make_project(anchor_org)
    client = client_for(editor)
    page = client.get(reverse("enabled:project", args=[project.pk]))
    assert page.status_code == 200
    exported = client.get(reverse("enabled:export", args=[project.pk, "input.json"]))
    assert exported["Content-Type"] == "application/json"
    path = tmp_path / "input.json"
    path.write_bytes(exported.content)

    run = CliRunner().invoke(cli, ["enabled", "calc", str(path), "--json"])
    assert run.exit_code == 0, run.output
    command = json.loads(run.output)
    web = selectors.project_result(project).document
    assert command.pop("source") == str(path)
    assert web.pop("source") is None
    assert web == command  # every figure, route, confidence, reference and warning
    anchor = command["anchors"][0]
    assert anchor["employees_fte"]["exact"] == "44.93"  # the engine demo's Calderdale anchor
    assert anchor["gva_pounds"]["exact"] == "2809134.00"
    text = page.content.decode()
    assert "approximately 45 FTE" in text and "approximately £2.8m" in text
    assert "£2,809,134" in text and "44.93" in text


def test_exported_workbook_reads_back_to_the_same_figures(
    anchor_org, editor, make_project, client_for, tmp_path
):
    project = make_project(anchor_org)
    client = client_for(editor)
    workbook = client.get(reverse("enabled:export", args=[project.pk, "input.xlsx"]))
    path = tmp_path / "tenants.xlsx"
    path.write_bytes(workbook.content)
    run = CliRunner().invoke(cli, ["enabled", "calc", str(path), "--json"])
    assert run.exit_code == 0, run.output
    document = json.loads(run.output)
    assert document["employees_fte"] == selectors.project_result(project).document["employees_fte"]


def test_results_exports_carry_method_and_confidence_per_tenant(
    anchor_org, editor, make_project, client_for, tmp_path
):
    project = make_project(anchor_org)
    client = client_for(editor)
    csv_text = client.get(reverse("enabled:export", args=[project.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    lines = csv_text.splitlines()
    assert lines[0].startswith("Anchor,Year,Tenant,Activity")
    cafe = next(line for line in lines if "Hub Café CIC" in line)
    assert "Reported FTE" in cafe and "Turnover × industry GVA ratio" in cafe
    assert lines[-1].startswith("Northgate Community Hub,2025,Total,")
    assert "2809134.00" in lines[-1]

    xlsx = client.get(reverse("enabled:export", args=[project.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Results", "Reference values", "Method and warnings"]
    rows = list(book["Results"].iter_rows(values_only=True))
    assert len(rows) == 1 + 9 + 1
    statuses = {row[4] for row in book["Reference values"].iter_rows(min_row=2, values_only=True)}
    assert "UNVERIFIED" in statuses  # the fitness density, flagged as the engine flags it

    pdf = client.get(reverse("enabled:export", args=[project.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    (tmp_path / "report.pdf").write_bytes(pdf.content)
    info = subprocess.run(["pdfinfo", str(tmp_path / "report.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert "(A4)" in info
    assert 'filename="enabled-northgate-community-hub-2025-report.pdf"' in pdf[
        "Content-Disposition"
    ]
    assert client.get(f"/enabled/{project.pk}/download/exe").status_code == 404


def test_a_spreadsheet_formula_in_a_tenant_name_is_written_as_text(
    anchor_org, editor, client_for
):
    project = services.project_create(org=anchor_org, year=2025)
    Tenant.objects.create(organisation=anchor_org, project=project, name="=HYPERLINK(1)",
                          sic="56.10", fte=Decimal(2))
    client = client_for(editor)
    text = client.get(reverse("enabled:export", args=[project.pk, "csv"])).content.decode()
    assert ",'=HYPERLINK(1)," in text


# --- entering data by hand ----------------------------------------------------------------


def test_tenant_form_uses_the_engine_checks(anchor_org, editor, client_for):
    project = services.project_create(org=anchor_org, year=2025)
    client = client_for(editor)
    url = reverse("enabled:tenant_create", args=[project.pk])
    response = client.post(url, {"name": "Odd Co", "sic": "99.99.99", "fte": "-1"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Enter the full-time equivalent (FTE) employees as 0 or more" in text
    response = client.post(url, {"name": "Odd Co", "sic": "9", "fte": "2"})
    assert "SIC" in response.content.decode() or "sic" in response.content.decode()
    assert not project.tenants.exists()

    response = client.post(url, {"name": "Hub Café CIC", "sic": "56.10", "floorspace_m2": "120",
                                 "area_basis": "NIA", "fte": "6.5", "turnover": "210000"})
    assert response.status_code == 302
    again = client.post(url, {"name": "hub  café cic", "sic": "56.10"})
    assert "There is already a tenant with this name" in again.content.decode()
    tenant = project.tenants.get()
    assert (tenant.fte, tenant.turnover, tenant.area_basis) == (
        Decimal("6.5"), Decimal("210000"), "NIA")
    result = selectors.project_result(project)
    row = result.rows()[0]
    assert row["employees"]["route"] == "reported_fte"
    assert row["gva"]["route"] == "turnover_ratio"
    assert row["confidence"] == "moderate"


def test_a_tenant_without_activity_waits_and_is_listed_not_dropped(
    anchor_org, editor, make_project, client_for
):
    project = make_project(anchor_org)
    client = client_for(editor)
    client.post(reverse("enabled:tenant_create", args=[project.pk]),
                {"name": "New Tenant Ltd", "contact_email": "new@example.org"})
    result = selectors.project_result(project)
    assert [t.name for t in result.waiting] == ["New Tenant Ltd"]
    assert len(result.rows()) == 9
    page = client.get(reverse("enabled:project", args=[project.pk])).content.decode()
    assert "Waiting for data" in page and "New Tenant Ltd" in page
    csv_text = client.get(reverse("enabled:export", args=[project.pk, "csv"])).content.decode()
    assert "New Tenant Ltd" in csv_text and "waiting for data" in csv_text


def test_overrides_change_the_figures_and_are_marked_as_the_users(
    anchor_org, editor, client_for
):
    project = services.project_create(org=anchor_org, year=2025)
    Tenant.objects.create(organisation=anchor_org, project=project, name="Nursery",
                          use_class="D1", floorspace_m2=Decimal(250), area_basis="NIA")
    before = selectors.project_result(project).rows()[0]
    assert before["employees"]["route"] == "excluded"  # D1 has no HCA density

    client = client_for(editor)
    url = reverse("enabled:overrides", args=[project.pk])
    bad = client.post(url, {"table": "gva_turnover_ratio", "code": "56", "value": "1.5"})
    assert "GVA cannot exceed turnover" in bad.content.decode()
    unknown = client.post(url, {"table": "density", "code": "ZZ9", "value": "20"})
    assert "unknown code" in unknown.content.decode()
    ok = client.post(url, {"table": "density", "code": "d1", "value": "25", "note": "our count"})
    assert ok.status_code == 302
    after = selectors.project_result(project)
    assert after.rows()[0]["employees"]["value"] == "10.00"  # 250 m² ÷ 25 m² per FTE
    assert after.references["density:D1"]["status"] == "USER"
    page = client.get(url).content.decode()
    assert "Your value" in page and "our count" in page

    item = project.overrides.get()
    client.post(reverse("enabled:override_delete", args=[project.pk, item.pk]))
    assert not project.overrides.exists()


def test_start_a_year_from_an_earlier_years_tenants(anchor_org, editor, make_project, client_for):
    earlier = make_project(anchor_org, 2024)
    client = client_for(editor)
    response = client.post(reverse("enabled:project_create"),
                           {"year": "2025", "copy_from": earlier.pk})
    later = EnabledProject.objects.get(organisation=anchor_org, year=2025)
    assert response["Location"] == reverse("enabled:project", args=[later.pk])
    assert later.tenants.count() == 9
    cafe = later.tenants.get(name="Hub Café CIC")
    assert (cafe.sic, cafe.floorspace_m2, cafe.fte, cafe.turnover) == (
        "56.10", Decimal(120), None, None)
    assert later.overrides.count() == 1
    again = client.post(reverse("enabled:project_create"), {"year": "2025"})
    assert "There is already a project for 2025" in again.content.decode()


# --- uploads ------------------------------------------------------------------------------


def test_upload_json_replaces_the_tenants(anchor_org, editor, client_for):
    project = services.project_create(org=anchor_org, year=2025)
    data = {"name": "ours", "anchors": [{"name": "Northgate", "local_authority": "Calderdale",
            "tenants": [{"name": "Café", "sic": "56.10", "fte": "3"},
                        {"name": "Makers", "use_class": "B1c", "floorspace_m2": "94",
                         "area_basis": "NIA"}]}]}
    response = _upload(client_for(editor), project, "tenants.json", json.dumps(data).encode())
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.local_authority == "Calderdale"
    assert sorted(project.tenants.values_list("name", flat=True)) == ["Café", "Makers"]
    assert selectors.project_result(project).anchor["employees_fte"]["exact"] == "5.00"


def test_upload_of_a_file_with_several_anchors_asks_which(anchor_org, editor, client_for):
    project = services.project_create(org=anchor_org, year=2025)
    raw = json.dumps(_demo_dict()).encode()
    client = client_for(editor)
    response = _upload(client, project, "demo.json", raw)
    assert response.status_code == 400
    text = response.content.decode()
    assert "the file holds 3 anchors" in text and "Eastfield Enterprise Centre" in text
    response = _upload(client, project, "demo.json", raw, anchor="eastfield enterprise centre")
    assert response.status_code == 302
    assert project.tenants.count() == 9
    assert project.overrides.get().code == "D1"


def _demo_dict():
    from importlib.resources import files

    return json.loads(files("keepitlocal.enabled").joinpath("demo/anchors.json").read_text())


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("t.json", b'{"anchors": [', "not valid JSON"),
        ("t.json", b"\xff\xfe\x00", "not UTF-8 text"),
        ("t.json", json.dumps({"anchors": [{"name": "A", "tenants": [
            {"name": "X", "sic": "56.10", "fte": "lots"}]}]}).encode(),
         "fte is &quot;lots&quot;, not a number"),
        ("t.xlsx", b"PK\x03\x04 not really a zip", "not an Excel workbook that can be read"),
        ("t.csv", b"a,b\n", "must be a .xlsx workbook or a .json file"),
        ("t.json", json.dumps({"anchors": [{"name": "A", "tenants": [
            {"name": "X", "sic": "56.10", "turnover": "10.555"}]}]}).encode(),
         "has more than 2 decimal places"),
    ],
)
def test_malformed_uploads_get_clear_errors_and_change_nothing(
    anchor_org, editor, make_project, client_for, name, content, message
):
    project = make_project(anchor_org)
    response = _upload(client_for(editor), project, name, content)
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert project.tenants.count() == 9


def test_oversized_upload_is_refused(anchor_org, editor, client_for, settings):
    settings.KEEPITLOCAL_MAX_UPLOAD_MB = 1
    project = services.project_create(org=anchor_org, year=2025)
    big = b'{"anchors": []}' + b" " * (1024 * 1024 + 1)
    response = _upload(client_for(editor), project, "big.json", big)
    assert "The file is larger than 1 MB" in response.content.decode()
    assert not project.tenants.exists()


# --- comparing years ----------------------------------------------------------------------


def test_compare_two_years(anchor_org, editor, make_project, client_for):
    earlier = make_project(anchor_org, 2024)
    later = make_project(anchor_org, 2025)
    cafe = later.tenants.get(name="Hub Café CIC")
    cafe.fte = Decimal("8.5")
    cafe.save()
    client = client_for(editor)
    response = client.get(reverse("enabled:compare"), {"a": earlier.pk, "b": later.pk})
    text = response.content.decode()
    assert "+2 FTE" in text  # 46.93 − 44.93, both from the engine
    assert "Hub Café CIC" in text
    other = EnabledProject.objects.create(organisation=_other_org(), year=2020)
    response = client.get(reverse("enabled:compare"), {"a": other.pk, "b": later.pk})
    assert "Choose one of the answers listed for" in response.content.decode()


def _other_org():
    from keepitlocal.web.accounts.models import Organisation

    return Organisation.objects.create(name="Elsewhere Trust", kind="community")


# --- isolation, roles, CSRF ---------------------------------------------------------------


def test_another_organisations_project_is_not_found(
    anchor_org, editor, make_org, make_member, make_project, client_for
):
    project = make_project(anchor_org)
    tenant = project.tenants.first()
    other = make_org("Hebden Bridge Community Association")
    outsider = make_member("outsider@example.org", other, "admin")
    client = client_for(outsider)
    for url in (
        reverse("enabled:project", args=[project.pk]),
        reverse("enabled:project_edit", args=[project.pk]),
        reverse("enabled:overrides", args=[project.pk]),
        reverse("enabled:upload", args=[project.pk]),
        reverse("enabled:share", args=[project.pk]),
        reverse("enabled:tenant_edit", args=[project.pk, tenant.pk]),
        reverse("enabled:export", args=[project.pk, "input.json"]),
        reverse("enabled:export", args=[project.pk, "pdf"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("enabled:project_delete", args=[project.pk])).status_code == 404
    assert client.post(
        reverse("enabled:tenant_delete", args=[project.pk, tenant.pk])).status_code == 404
    # a tenant of another project by URL, under one's own project, is not found either
    own = services.project_create(org=other, year=2025)
    assert client.get(reverse("enabled:tenant_edit", args=[own.pk, tenant.pk])).status_code == 404
    assert EnabledProject.objects.filter(pk=project.pk).exists()
    assert "Northgate" not in client.get(reverse("enabled:index")).content.decode()


def test_viewers_read_and_editors_change(
    anchor_org, make_member, make_project, client_for
):
    project = make_project(anchor_org)
    viewer = make_member("viewer@example.org", anchor_org, "viewer")
    client = client_for(viewer)
    page = client.get(reverse("enabled:project", args=[project.pk]))
    assert page.status_code == 200
    assert "Add a tenant" not in page.content.decode()
    assert client.get(reverse("enabled:export", args=[project.pk, "csv"])).status_code == 200
    assert client.get(reverse("enabled:tenant_create", args=[project.pk])).status_code == 403
    assert client.post(reverse("enabled:tenant_create", args=[project.pk]),
                       {"name": "X", "sic": "I"}).status_code == 403
    assert client.post(reverse("enabled:overrides", args=[project.pk]),
                       {"table": "density", "code": "D1", "value": "20"}).status_code == 403
    assert client.post(reverse("enabled:project_delete", args=[project.pk])).status_code == 403
    assert project.tenants.count() == 9 and project.overrides.count() == 1


def test_only_admins_share(anchor_org, editor, council, make_project, client_for):
    project = make_project(anchor_org)
    client = client_for(editor)
    assert client.get(reverse("enabled:share", args=[project.pk])).status_code == 403
    assert client.post(reverse("enabled:share", args=[project.pk]),
                       {"council": council.pk}).status_code == 403
    assert not ProjectShare.objects.exists()


def test_posts_need_a_csrf_token(anchor_org, editor, make_project):
    project = make_project(anchor_org)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(reverse("enabled:tenant_create", args=[project.pk]),
                           {"name": "X", "sic": "I"})
    assert response.status_code == 403
    response = client.post(reverse("enabled:project_delete", args=[project.pk]))
    assert response.status_code == 403
    assert EnabledProject.objects.filter(pk=project.pk).exists()
    assert project.tenants.count() == 9


# --- sharing and the network view ---------------------------------------------------------


def test_a_council_sees_only_what_is_shared_with_it(
    anchor_org, anchor_admin, council, make_org, make_member, make_project, client_for
):
    project = make_project(anchor_org)
    make_project(anchor_org, 2024)  # not shared
    other_council = make_org("Bradford Council", kind="council")
    other_council.verified = True
    other_council.save()
    officer = make_member("officer@example.org", council, "viewer")
    other_officer = make_member("other@example.org", other_council, "admin")

    nothing = client_for(officer).get(reverse("enabled:network")).content.decode()
    assert "No community anchor has shared" in nothing

    anchor_client = client_for(anchor_admin)
    page = anchor_client.get(reverse("enabled:share", args=[project.pk])).content.decode()
    assert "Calderdale Council" in page and "Bradford Council" in page
    assert anchor_client.post(reverse("enabled:share", args=[project.pk]),
                              {"council": council.pk}).status_code == 302
    # a community organisation cannot be chosen
    response = anchor_client.post(reverse("enabled:share", args=[project.pk]),
                                  {"council": anchor_org.pk})
    assert "Choose one of the answers listed for" in response.content.decode()

    network = client_for(officer).get(reverse("enabled:network")).content.decode()
    assert "Northgate Community Hub" in network
    assert "44.93" in network and "£2,809,134" in network
    assert "Hub Café CIC" not in network  # totals only: no tenant names or figures
    assert ">2024<" not in network  # the year not shared is not offered
    # the council cannot open the anchor's project
    assert client_for(officer).get(
        reverse("enabled:project", args=[project.pk])).status_code == 404
    # another council sees nothing
    elsewhere = client_for(other_officer).get(reverse("enabled:network")).content.decode()
    assert "Northgate" not in elsewhere

    share = ProjectShare.objects.get()
    # a share cannot be removed by URL from another organisation
    assert client_for(other_officer).post(
        reverse("enabled:share_delete", args=[project.pk, share.pk])).status_code == 404
    anchor_client.post(reverse("enabled:share_delete", args=[project.pk, share.pk]))
    again = client_for(officer).get(reverse("enabled:network")).content.decode()
    assert "Northgate" not in again


def test_network_totals_are_the_engines_network_totals(
    anchor_org, council, make_org, make_project, demo_anchor
):
    """Anchors calculated one by one, added by the engine's total(): as one engine network."""
    second = make_org("Eastfield Enterprise Centre")
    first_project = make_project(anchor_org)
    second_project = services.project_create(org=second, year=2025)
    engine = read_demo()
    services.import_anchor(second_project, engine.anchors[1], engine)
    second_project.overrides.all().delete()
    first_project.overrides.all().delete()
    for project in (first_project, second_project):
        ProjectShare.objects.create(organisation=project.organisation, project=project,
                                    council=council)
    view = selectors.network(council, 2025)
    merged = {
        "anchors": [selectors.engine_input(p)["anchors"][0]
                    for p in (first_project, second_project)],
    }
    whole = result_to_dict(calculate(project_from_dict(merged)))
    assert view.employees_fte == whole["employees_fte"]
    assert view.gva_pounds == whole["gva_pounds"]
    assert {a["local_authority"] for a in view.by_local_authority} == {"Calderdale", "Bradford"}


# --- demo ---------------------------------------------------------------------------------


def test_demo_gives_two_shared_years_and_is_idempotent(client_for):
    data = demo.load_demo()
    demo.load_demo()
    projects = EnabledProject.objects.filter(organisation=data.anchor).order_by("year")
    assert [p.year for p in projects] == [2024, 2025]
    assert [p.tenants.count() for p in projects] == [7, 9]
    assert ProjectShare.objects.filter(council=data.council).count() == 2
    view = selectors.network(data.council, 2025)
    assert view.anchors[0]["anchor"] == data.anchor.name
    client = client_for(User.objects.get(pk=data.user.pk), data.anchor)
    assert client.get(reverse("enabled:compare")).status_code == 200


# --- the tenant survey --------------------------------------------------------------------


def test_tenant_answers_the_emailed_survey_without_an_account(
    anchor_org, editor, make_project, client_for, mailoutbox, email_link
):
    project = make_project(anchor_org)
    client = client_for(editor)
    url = reverse("enabled:survey_send", args=[project.pk])
    response = client.post(url, {"add": "1", "name": "Riverside Bakery",
                                 "contact_email": "baker@example.org"})
    assert response.status_code == 302
    tenant = project.tenants.get(name="Riverside Bakery")
    assert not tenant.has_activity
    response = client.post(url, {"send": "1", "tenants": [tenant.pk]})
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["baker@example.org"]
    link = email_link("http://testserver/enabled/survey/")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    stored = SurveyLink.objects.get(target_id=tenant.pk, purpose="enabled-tenant")
    assert stored.token_hash != token and stored.group == f"enabled-project:{project.pk}"

    tenant_client = Client(enforce_csrf_checks=True)
    page = tenant_client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "About Riverside Bakery" in text and "Northgate Community Hub" in text
    assert "Hub Café CIC" not in text  # nothing of the anchor's other tenants
    assert tenant_client.post(link, {"sic": "10.71"}).status_code == 403  # no CSRF token

    csrf = tenant_client.cookies["csrftoken"].value
    answer = tenant_client.post(link, {
        "csrfmiddlewaretoken": csrf, "description": "a bakery", "sic": "10.71",
        "floorspace_m2": "200", "area_basis": "GIA", "headcount": "6", "weekly_hours": "30",
        "turnover": "£300,000",
    })
    assert answer.status_code == 200 and "Thank you" in answer.content.decode()
    tenant.refresh_from_db()
    assert tenant.survey_answered_at is not None and tenant.source == "survey"
    assert (tenant.headcount, tenant.turnover) == (Decimal(6), Decimal(300000))
    assert "In the tenant's words: a bakery" in tenant.notes
    rows = {r["name"]: r for r in selectors.project_result(project).rows()}
    assert rows["Riverside Bakery"]["employees"]["value"] == "4.80"  # 6 × 30 ÷ 37.5
    anchor_page = client.get(reverse("enabled:project", args=[project.pk])).content.decode()
    assert "Who has answered the survey" in anchor_page and "Answered" in anchor_page

    assert Client().get("/enabled/survey/not-a-real-token/").status_code == 404
    assert Client().get(link.replace(token, token[:-2] + "xx")).status_code == 404


def test_viewers_cannot_send_the_survey(anchor_org, make_member, make_project, client_for):
    project = make_project(anchor_org)
    viewer = make_member("viewer@example.org", anchor_org, "viewer")
    client = client_for(viewer)
    assert client.get(reverse("enabled:survey_send", args=[project.pk])).status_code == 403
