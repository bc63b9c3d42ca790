"""A supplier or staff file over KEEPITLOCAL_BACKGROUND_PARSE_MB is read and checked by the
background worker, not in the request, and lands on the same check page with the same rows and
problems (a file of garbage keeps no more problem rows than in the request); a refusal is worded
as in the request, and nothing of a refused or cancelled file is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keepitlocal.web.core import parsing
from keepitlocal.web.core.models import JobStatus, ParseJob
from keepitlocal.web.lm3 import services
from keepitlocal.web.lm3.models import SupplierUpload, UploadRow

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]

HEADER = "Supplier name,Contact name,E-mail address,Value spent,Postcode\r\n"
GARBAGE = (HEADER + "".join(f"Supplier {n},,not-an-email,{n % 7 - 3},XX{n}\r\n"
                            for n in range(1500))).encode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def empty(make_project, org):
    return make_project(org, suppliers=[])


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _upload(client, project, name: str, content: bytes):
    return client.post(reverse("lm3:suppliers", args=[project.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def _summary(upload: SupplierUpload) -> tuple:
    rows = [(r.row, r.name, r.email, r.spend, r.postcode, r.ok, r.problems)
            for r in UploadRow.objects.filter(upload=upload).order_by("row")]
    return (upload.rows_read, upload.problem_counts, upload.problems_not_kept, rows)


def test_a_large_supplier_file_is_checked_by_the_worker_like_a_small_one(
        client, admin, make_project, org, settings, media):
    client.force_login(admin)
    small = make_project(org, name="Read in the request", suppliers=[])
    in_request = _upload(client, small, "suppliers.csv", GARBAGE)
    assert not ParseJob.objects.exists()
    first = SupplierUpload.objects.get(project=small)
    assert in_request["Location"] == reverse("lm3:upload", args=[small.pk, first.pk])

    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    large = make_project(org, name="Read by the worker", suppliers=[])
    response = _upload(client, large, "suppliers.csv", GARBAGE)
    job = ParseJob.objects.get()
    assert response["Location"] == reverse("core:upload_job", args=[job.pk])
    landed = client.get(response["Location"])
    upload = SupplierUpload.objects.get(project=large)
    assert landed["Location"] == reverse("lm3:upload", args=[large.pk, upload.pk])
    assert _summary(upload) == _summary(first)
    assert upload.problems_not_kept > 0  # bounded as in the request
    assert _stored(media) == []


def test_a_large_staff_file_goes_to_the_worker_from_the_budget_page(
        client, admin, empty, settings):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    client.force_login(admin)
    content = (b"Role or name,Pay,Home postcode,Lives in the area\r\n"
               b"Centre manager,31000,HX1 1AA,\r\nCook,18000,,yes\r\n")
    response = client.post(reverse("lm3:budget", args=[empty.pk]), {
        "action": "staff-file", "staff-file-file": SimpleUploadedFile("staff.csv", content)})
    job = ParseJob.objects.get()
    assert response["Location"] == reverse("core:upload_job", args=[job.pk])
    assert job.back == reverse("lm3:budget", args=[empty.pk]) + "#staff"
    upload = SupplierUpload.objects.get()
    assert upload.kind == "staff" and upload.rows_read == 2


def test_a_refused_large_file_is_worded_as_in_the_request(client, admin, empty, settings,
                                                          media):
    client.force_login(admin)
    not_a_workbook = b"Supplier name,Value spent\nA,1\n"
    in_request = _upload(client, empty, "suppliers.xlsx", not_a_workbook).content.decode()
    assert "is not an Excel workbook" in in_request
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    page = client.get(_upload(client, empty, "suppliers.xlsx", not_a_workbook)["Location"])
    job = ParseJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.problems == [
        "This file is not an Excel workbook, although its name ends in .xlsx. Open it in your "
        "spreadsheet program and save it as an Excel Workbook (.xlsx) or as CSV."]
    assert job.problems[0] in in_request and job.problems[0] in page.content.decode()
    assert not SupplierUpload.objects.exists() and _stored(media) == []


def test_a_project_closed_while_the_file_is_read_keeps_nothing(client, admin, empty, settings,
                                                               monkeypatch, media):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    read = services.SUPPLIERS_UPLOAD.read

    def read_then_closed(path):
        found = read(path)
        type(empty).objects.filter(pk=empty.pk).update(status="closed")
        return found

    monkeypatch.setattr(services, "SUPPLIERS_UPLOAD", parsing.Kind(
        read=read_then_closed, store=services.SUPPLIERS_UPLOAD.store))
    client.force_login(admin)
    page = client.get(_upload(client, empty, "suppliers.csv", GARBAGE)["Location"])
    assert "was closed while the file was read" in page.content.decode()
    assert not SupplierUpload.objects.exists() and _stored(media) == []


def test_cancelling_a_large_supplier_file_keeps_nothing(client, admin, empty, settings, media):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(admin)
    _upload(client, empty, "suppliers.csv", GARBAGE)
    job = ParseJob.objects.get()
    response = client.post(reverse("core:upload_job_cancel", args=[job.pk]))
    assert response["Location"] == reverse("lm3:suppliers", args=[empty.pk])
    assert parsing.run(job.pk) == JobStatus.CANCELLED
    assert not SupplierUpload.objects.exists() and _stored(media) == []
