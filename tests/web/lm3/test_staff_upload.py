"""Staff files on the budget step, and what any upload's check keeps: checked like supplier files,
problems fixed in the page, a bounded number of problem rows stored, nothing left by a cancel."""

from __future__ import annotations

import html
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from keepitlocal.web.lm3 import services
from keepitlocal.web.lm3.models import PayrollMode, StaffMember, SupplierUpload, UploadRow

pytestmark = pytest.mark.postcodes

STAFF_HEADER = "Role or name,Pay,Home postcode,Lives in the area\r\n"


@pytest.fixture
def project(make_project, org):
    return make_project(org, suppliers=[])


def _upload_staff(client, project, name: str, content: bytes):
    return client.post(reverse("lm3:budget", args=[project.pk]), {
        "action": "staff-file", "staff-file-file": SimpleUploadedFile(name, content)})


def test_a_staff_file_is_checked_fixed_in_the_page_and_imported_as_staff(
    client, admin, project
):
    client.force_login(admin)
    content = (STAFF_HEADER
               + 'Centre manager,"£31,000",HX1 1AA,\r\n'
               + "Cook,18000,,yes\r\n"
               + "Driver,1e6,HX3 6AA,\r\n"
               + ",12000,HX1 1AA,\r\n"
               + "Cleaner,9000,,maybe\r\n"
               + "Cook,17500,LS1 4AP,\r\n")
    response = _upload_staff(client, project, "staff.csv", content.encode())
    upload = SupplierUpload.objects.get()
    assert upload.kind == "staff"
    assert response.status_code == 302 and response["Location"].endswith(f"/uploads/{upload.pk}/")
    assert not StaffMember.objects.exists()

    page = client.get(response["Location"]).content.decode()
    assert "Step 3 of 5" in page and "3</span> rows ready" in page
    assert "3</span> rows with problems" in page
    assert 'for="id_row' in page and "Role or name" in page and "Pay" in page
    rows = {row.row: row for row in upload.rows.all()}
    assert "power of ten" in rows[4].problems["spend"]
    assert rows[5].problems["name"] == "Enter a role or name for this staff member"
    assert rows[6].problems["local"] == '"maybe" should be yes or no'
    assert rows[7].ok  # two staff may share a role

    client.post(reverse("lm3:upload_row", args=[project.pk, upload.pk, rows[4].pk]), {
        f"row{rows[4].pk}-name": "Driver", f"row{rows[4].pk}-spend": "21000",
        f"row{rows[4].pk}-postcode": "HX3 6AA"})
    assert UploadRow.objects.get(pk=rows[4].pk).ok
    page = client.post(reverse("lm3:upload_import", args=[project.pk, upload.pk]),
                       follow=True).content.decode()
    assert "Imported 4 staff from staff.csv" in page and "2 rows were left out" in page
    assert sorted(StaffMember.objects.values_list("label", "pay", "local")) == [
        ("Centre manager", Decimal("31000.00"), None), ("Cook", Decimal("17500.00"), None),
        ("Cook", Decimal("18000.00"), True), ("Driver", Decimal("21000.00"), None)]
    project.refresh_from_db()
    assert project.payroll_mode == PayrollMode.PEOPLE
    budget = client.get(reverse("lm3:budget", args=[project.pk])).content.decode()
    assert "4 staff, £87,500.00 in all" in budget and "staff.csv" in budget
    problems = client.get(reverse("lm3:upload_problems_csv", args=[project.pk, upload.pk]))
    text = problems.content.decode("utf-8-sig")
    assert text.startswith("Row,Role or name,Pay,Home postcode,Lives in the area,Problems")
    assert "maybe" in text


def test_a_staff_file_without_the_columns_is_refused_on_the_budget_page(
    client, admin, project
):
    client.force_login(admin)
    response = _upload_staff(client, project, "staff.csv", b"Person,Money\r\nA,1\r\n")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert 'we could not find "Role or name" or "Pay"' in page
    assert 'Columns found: "Person", "Money". Start from the template.' in page
    assert not SupplierUpload.objects.exists()


def test_the_staff_templates_are_read_back_by_the_staff_upload(client, admin, project):
    client.force_login(admin)
    xlsx = client.get(reverse("lm3:staff_template_xlsx")).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.title == "Staff"
    assert [c.value for c in sheet[1]] == ["Role or name", "Pay", "Home postcode",
                                           "Lives in the area"]
    csv_text = client.get(reverse("lm3:staff_template_csv")).content
    for name, content in (("staff.xlsx", xlsx), ("staff.csv", csv_text)):
        _upload_staff(client, project, name, content)
        upload = SupplierUpload.objects.latest("pk")
        assert (upload.rows_read, upload.rows.filter(ok=True).count()) == (1, 1), name


def test_a_check_keeps_only_the_first_problem_rows_and_counts_the_rest(
    client, admin, project, monkeypatch
):
    monkeypatch.setattr(services, "PROBLEM_ROWS_KEPT", 5)
    client.force_login(admin)
    lines = ["Supplier name,Value spent,Postcode"]
    lines += [f"Bad {n},not money,HX1 1AA" for n in range(40)]
    lines += [f"Good {n},10,HX1 1AA" for n in range(3)]
    lines += [f"Bad postcode {n},10,ZZ" for n in range(10)]
    client.post(reverse("lm3:suppliers", args=[project.pk]),
                {"file": SimpleUploadedFile("garbage.csv", "\n".join(lines).encode())})
    upload = SupplierUpload.objects.get()
    assert upload.rows_read == 53
    assert upload.rows.filter(ok=False).count() == 5  # kept to fix in the page
    assert upload.rows.filter(ok=True).count() == 3  # every ready row is kept
    assert upload.problems_not_kept == 45
    assert upload.problem_counts == {"spend": 40, "postcode": 10}
    page = client.get(reverse("lm3:upload", args=[project.pk, upload.pk])).content.decode()
    assert "50</span> rows with problems" in page
    assert "The other 45 are counted, not kept" in page
    assert "Value spent</dt>" in page and "40 rows with a problem" in page
    assert "10 rows with a problem" in page
    page = client.post(reverse("lm3:upload_import", args=[project.pk, upload.pk]),
                       follow=True).content.decode()
    assert "Imported 3 suppliers" in page and "50 rows were left out" in page


def test_a_cancelled_upload_leaves_nothing_behind(client, admin, project):
    client.force_login(admin)
    _upload_staff(client, project, "staff.csv", (STAFF_HEADER + "Cook,100,,yes\r\n").encode())
    upload = SupplierUpload.objects.get()
    response = client.post(reverse("lm3:upload_cancel", args=[project.pk, upload.pk]))
    assert response["Location"].endswith(f"/lm3/{project.pk}/budget/#staff")
    assert not SupplierUpload.objects.exists() and not UploadRow.objects.exists()
    assert not StaffMember.objects.exists()
    assert client.get(reverse("lm3:upload", args=[project.pk, upload.pk])).status_code == 404


def test_a_viewer_cannot_upload_staff(client, make_member, org, project):
    client.force_login(make_member("viewer@example.org", org, "viewer"))
    response = _upload_staff(client, project, "staff.csv",
                             (STAFF_HEADER + "Cook,100,,yes\r\n").encode())
    assert response.status_code == 403
    assert not SupplierUpload.objects.exists()
