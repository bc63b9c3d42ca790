"""Supplier files: every row checked and shown back, nothing half-imported, files read safely."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from keepitlocal.web.lm3.models import Supplier, SupplierUpload, UploadRow, UploadStatus

pytestmark = pytest.mark.postcodes

HEADER = "Supplier name,Contact name,E-mail address,Value spent,Postcode\r\n"


@pytest.fixture
def empty(make_project, org):
    return make_project(org, suppliers=[])


def _upload(client, project, name: str, content: bytes):
    return client.post(reverse("lm3:suppliers", args=[project.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def _import(client, project, upload):
    return client.post(reverse("lm3:upload_import", args=[project.pk, upload.pk]), follow=True)


def test_a_file_with_a_bad_row_is_shown_back_and_the_row_fixed_before_import(
    client, admin, empty
):
    client.force_login(admin)
    content = (HEADER
               + "Halifax Bakery,A Khan,bakery@example.org,\"£1,200.50\",HX1 1AA\r\n"
               + "No Postcode Ltd,,np@example.org,300,\r\n"
               + "Bad Email,,not-an-email,100,HX3 6AA\r\n"
               + "Halifax bakery,,dup@example.org,50,HX1 1AA\r\n"
               + ",,,,\r\n"
               + "Negative Ltd,,neg@example.org,-20,HX3 6AA\r\n")
    response = _upload(client, empty, "suppliers.csv", content.encode())
    upload = SupplierUpload.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/uploads/{upload.pk}/")
    assert not Supplier.objects.exists()  # nothing imported yet

    page = client.get(response["Location"]).content.decode()
    assert "1</span> row ready" in page and "4</span> rows with problems" in page
    rows = {row.row: row for row in upload.rows.all()}
    assert rows[3].problems == {"postcode": rows[3].problems["postcode"]}
    assert "postcode" in rows[3].problems["postcode"]
    assert "not an e-mail address" in rows[4].problems["email"]
    assert "Halifax bakery is already at row 2" in rows[5].problems["name"]
    assert "negative" in rows[7].problems["spend"]
    assert 6 not in rows  # the blank row is skipped, not counted

    fix = reverse("lm3:upload_row", args=[empty.pk, upload.pk, rows[4].pk])
    client.post(fix, {f"row{rows[4].pk}-{k}": v for k, v in {
        "name": "Bad Email", "email": "good@example.org", "spend": "100",
        "postcode": "HX3 6AA"}.items()})
    client.post(reverse("lm3:upload_row", args=[empty.pk, upload.pk, rows[3].pk]),
                {"action": "drop"})
    page = _import(client, empty, upload).content.decode()
    assert "Imported 2 suppliers" in page and "3 rows were left out" in page
    assert "No Postcode Ltd" in page and "Left out by you" in page
    assert sorted(Supplier.objects.values_list("name", "spend")) == [
        ("Bad Email", 100), ("Halifax Bakery", pytest.approx(1200.5))]
    upload.refresh_from_db()
    assert (upload.status, upload.rows_imported, upload.rows_left_out) == ("imported", 2, 3)
    problems = client.get(reverse("lm3:upload_problems_csv", args=[empty.pk, upload.pk]))
    assert "Negative Ltd" in problems.content.decode("utf-8-sig")


def test_an_oversized_file_is_refused_and_nothing_is_imported(client, admin, empty, settings):
    settings.KEEPITLOCAL_MAX_UPLOAD_MB = 1
    client.force_login(admin)
    big = (HEADER + "A Supplier Ltd,,a@example.org,100,HX1 1AA\r\n" * 30_000).encode()
    assert len(big) > 1024 * 1024
    response = _upload(client, empty, "big.csv", big)
    assert response.status_code == 200
    assert "must be smaller than 1 MB" in response.content.decode()
    assert not SupplierUpload.objects.exists() and not Supplier.objects.exists()


def test_an_xlsx_that_is_not_a_workbook_is_a_clear_error(client, admin, empty):
    client.force_login(admin)
    response = _upload(client, empty, "suppliers.xlsx", b"Supplier name,Value spent\nA,1\n")
    text = response.content.decode()
    assert response.status_code == 200 and "is not an Excel workbook" in text
    assert not SupplierUpload.objects.exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("suppliers.pdf", b"%PDF-1.4", "Upload a CSV file"),
    ("suppliers.csv", b"", "The file you chose is empty"),
    ("suppliers.csv", b"Company,Amount paid\nA,1\n", "could not find"),
    ("suppliers.xls", b"\xd0\xcf\x11\xe0", "Old Excel files"),
])
def test_unusable_files_say_why(client, admin, empty, name, content, message):
    client.force_login(admin)
    response = _upload(client, empty, name, content)
    assert message in response.content.decode()
    assert not SupplierUpload.objects.exists()


def test_a_cp1252_csv_keeps_its_accents(client, admin, empty):
    client.force_login(admin)
    content = (HEADER + "Café Crème Ltd,Zoë Brontë,cafe@example.org,£250.00,HX1 1AA\r\n"
               + "Naïve Bakery,,naive@example.org,100,HX1 1AA\r\n").encode("cp1252")
    _upload(client, empty, "suppliers.csv", content)
    upload = SupplierUpload.objects.get()
    assert upload.encoding == "cp1252"
    _import(client, empty, upload)
    assert set(Supplier.objects.values_list("name", "contact")) == {
        ("Café Crème Ltd", "Zoë Brontë"), ("Naïve Bakery", "")}


def test_formulas_are_kept_as_text_and_neutralised_on_export(client, admin, empty, tmp_path):
    client.force_login(admin)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Supplier name", "Contact name", "E-mail address", "Value spent", "Postcode"])
    sheet.append(['=HYPERLINK("http://evil.example/","Click")', "+44 cmd", "a@example.org", 120,
                  "HX1 1AA"])
    sheet.append(["@SUM(1+1)", "-2+3", "b@example.org", "=SUM(1,2)", "HX1 1AA"])
    sheet.append(["Plain Ltd", "", "c@example.org", 50.5, "HX1 1AA"])
    out = io.BytesIO()
    workbook.save(out)
    _upload(client, empty, "suppliers.xlsx", out.getvalue())
    upload = SupplierUpload.objects.get()
    formula_row = upload.rows.get(row=3)
    assert "is a formula" in formula_row.problems["spend"]
    _import(client, empty, upload)
    names = set(Supplier.objects.values_list("name", flat=True))
    assert names == {'=HYPERLINK("http://evil.example/","Click")', "Plain Ltd"}

    exported = client.get(reverse("lm3:suppliers_csv", args=[empty.pk])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    by_name = {row[0]: row for row in rows[1:]}
    assert "'=HYPERLINK(\"http://evil.example/\",\"Click\")" in by_name
    assert by_name["'=HYPERLINK(\"http://evil.example/\",\"Click\")"][1] == "'+44 cmd"
    assert "Plain Ltd" in by_name

    workbook_bytes = client.get(reverse("lm3:export_xlsx", args=[empty.pk])).content
    sheet = load_workbook(io.BytesIO(workbook_bytes))["Suppliers"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value and
             str(cell.value).startswith("=HYPERLINK")]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_one_hundred_thousand_rows_are_read_checked_and_imported(client, admin, empty):
    client.force_login(admin)
    postcodes = ["HX1 1AA", "HX3 6AA", "LS1 4DY", "M1 1AE", "HX7 8AA"]
    lines = [HEADER] + [
        f"Supplier {n:06d} Ltd,Contact {n},s{n}@example.org,{n % 5000 + 1}.25,"
        f"{postcodes[n % 5]}\r\n"
        for n in range(100_000)
    ]
    lines[500] = "Broken Ltd,,broken@example.org,lots,HX1 1AA\r\n"
    response = _upload(client, empty, "large.csv", "".join(lines).encode())
    upload = SupplierUpload.objects.get()
    # 6 MB: over KEEPITLOCAL_BACKGROUND_PARSE_MB, so checked by the worker, then shown back
    page = client.get(response["Location"], follow=True).content.decode()
    assert "99,999</span> rows ready" in page and "1</span> row with problems" in page
    page = _import(client, empty, upload).content.decode()
    assert "Imported 99,999 suppliers" in page and "1 row was left out" in page
    assert Supplier.objects.filter(project=empty).count() == 99_999
    assert UploadRow.objects.filter(upload=upload, ok=False).count() == 1
    assert SupplierUpload.objects.get().status == UploadStatus.IMPORTED


@pytest.mark.parametrize("content", [
    "Supplier name;Value spent;Local\r\nSemi Colon Ltd;1.200,50;yes\r\n",
    "Supplier name\tValue spent\tLocal\r\nTab Ltd\t1200.50\tyes\r\n",
    "\ufeffName,Spend,Local\r\n\"Quoted, Ltd\",\"£1,200.50\",no\r\n",
])
def test_common_csv_shapes(client, admin, empty, content):
    client.force_login(admin)
    _upload(client, empty, "suppliers.csv", content.encode("utf-8"))
    upload = SupplierUpload.objects.get()
    rows = list(upload.rows.all())
    assert len(rows) == 1 and rows[0].name.endswith("Ltd")
    assert rows[0].ok, rows[0].problems
    assert rows[0].spend_value == Decimal("1200.50")
