"""Who may see and change an LM3 project: another organisation's project is not found, viewers
read, editors change, and every form needs its CSRF token."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from keepitlocal.web.lm3 import services
from keepitlocal.web.lm3.models import Lm3Project, Supplier, SupplierResponse

PROJECT_PAGES = ["overview", "edit", "delete", "area", "budget", "suppliers", "supplier_add",
                 "suppliers_csv", "notify", "remind_all", "progress", "progress_json",
                 "results", "results_pdf", "results_csv", "close", "reopen", "export_json",
                 "export_xlsx"]
SUPPLIER_PAGES = ["supplier", "supplier_response", "supplier_remind"]
UPLOAD_PAGES = ["upload", "upload_import", "upload_cancel", "upload_problems_csv"]
EDITOR_ONLY_GET = ["edit", "delete", "supplier_add", "close"]


@pytest.fixture
def two_orgs(make_org, make_member, make_project):
    org_a, org_b = make_org("Anchor A"), make_org("Anchor B")
    alice = make_member("alice@example.org", org_a, "admin")
    make_member("bob@example.org", org_b, "admin")
    project_a, project_b = make_project(org_a, "A's project"), make_project(org_b, "B's project")
    supplier_b = project_b.suppliers.get(name="Halifax Bakery")
    services.response_record(supplier_b, local_staff_share=Decimal("0.5"),
                             local_supplier_share=Decimal("0.1"), source="phone")
    upload_b = services.upload_read(
        project_b, name="s.csv",
        stream=SimpleUploadedFile("s.csv", b"Supplier name,Value spent,Local\nZed Ltd,5,yes\n"),
    )
    return alice, project_a, project_b, supplier_b, upload_b


def test_another_organisations_project_is_not_found(client, two_orgs):
    alice, project_a, project_b, supplier_b, upload_b = two_orgs
    client.force_login(alice)
    urls = [reverse(f"lm3:{name}", args=[project_b.pk]) for name in PROJECT_PAGES]
    urls += [reverse(f"lm3:{name}", args=[project_b.pk, supplier_b.pk]) for name in SUPPLIER_PAGES]
    urls += [reverse(f"lm3:{name}", args=[project_b.pk, upload_b.pk]) for name in UPLOAD_PAGES]
    # B's supplier and upload under A's own project are not found either
    urls += [reverse(f"lm3:{name}", args=[project_a.pk, supplier_b.pk]) for name in SUPPLIER_PAGES]
    urls += [reverse(f"lm3:{name}", args=[project_a.pk, upload_b.pk]) for name in UPLOAD_PAGES]
    for url in urls:
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"action": "remove", "name": "Hacked", "spend": "1",
                                 "local": "yes"}).status_code in (404, 405), url
    assert Lm3Project.objects.get(pk=project_b.pk).name == "B's project"
    assert Supplier.objects.filter(project=project_b).count() == 4
    answer = SupplierResponse.objects.get(supplier=supplier_b)
    assert answer.local_staff_share == Decimal("0.5")
    assert upload_b.rows.count() == 1
    index = client.get(reverse("lm3:index")).content.decode()
    assert "A&#x27;s project" in index and "B&#x27;s project" not in index


def test_viewers_read_and_editors_change(client, org, make_member, project):
    viewer = make_member("viewer@example.org", org, "viewer")
    editor = make_member("editor@example.org", org, "editor")
    client.force_login(viewer)
    for name in ["overview", "area", "budget", "suppliers", "notify", "progress", "results"]:
        response = client.get(reverse(f"lm3:{name}", args=[project.pk]))
        assert response.status_code == 200, name
        assert b"Save payroll" not in response.content and b"Upload and check" not in \
            response.content
    for name in EDITOR_ONLY_GET:
        assert client.get(reverse(f"lm3:{name}", args=[project.pk])).status_code == 403, name
    assert client.get(reverse("lm3:create")).status_code == 403
    response = client.post(reverse("lm3:budget", args=[project.pk]),
                           {"action": "cost", "cost-label": "Water", "cost-spend": "10",
                            "cost-local": "no"})
    assert response.status_code == 403
    assert client.post(reverse("lm3:close", args=[project.pk])).status_code == 403
    assert not project.other_costs.filter(label="Water").exists()

    client.force_login(editor)
    response = client.post(reverse("lm3:budget", args=[project.pk]),
                           {"action": "cost", "cost-label": "Water", "cost-spend": "£1,010",
                            "cost-local": "no"})
    assert response.status_code == 302
    assert project.other_costs.get(label="Water").spend == Decimal("1010")


def test_forms_need_their_csrf_token(org, admin, project):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    for name, data in [("notify", {}), ("close", {}),
                       ("budget", {"action": "cost", "cost-label": "Gas", "cost-spend": "5",
                                   "cost-local": "no"})]:
        response = client.post(reverse(f"lm3:{name}", args=[project.pk]), data)
        assert response.status_code == 403, name
    response = client.post(reverse("lm3:create"), {"name": "X", "scope": "turnover",
                                                   "period_start": "2025-04-01",
                                                   "period_end": "2026-03-31"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.status == "draft" and not project.other_costs.filter(label="Gas").exists()
    assert Lm3Project.objects.count() == 1


def test_a_closed_project_is_frozen(client, admin, project):
    client.force_login(admin)
    client.post(reverse("lm3:close", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == "closed" and project.final_result["lm3"]
    response = client.post(reverse("lm3:budget", args=[project.pk]),
                           {"action": "cost", "cost-label": "Gas", "cost-spend": "5",
                            "cost-local": "no"}, follow=True)
    assert b"is closed" in response.content
    assert not project.other_costs.filter(label="Gas").exists()
    client.post(reverse("lm3:reopen", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == "draft" and project.final_result is None
