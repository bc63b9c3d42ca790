"""An LM3 project file (.json or .xlsx) over KEEPITLOCAL_BACKGROUND_PARSE_MB is read and imported
by the background worker, not in the request: the same project, the same message on its
overview, the same problems for a bad file, and nothing kept of a refused, failed or cancelled
import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keepitlocal import lm3
from keepitlocal.errors import InputError
from keepitlocal.web.core import parsing
from keepitlocal.web.core.models import JobStatus, ParseJob
from keepitlocal.web.lm3 import project_files
from keepitlocal.web.lm3.models import Lm3Project
from security.files import lm3_demo_workbook

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
BAD = json.dumps({"name": "", "area": {"lad": ["E08000033"]},
                  "suppliers": [{"name": "A", "spend": "-5"}]}).encode()


FILES = {"calder.json": lm3.DEMO_PROJECT.read_bytes, "calder.xlsx": lm3_demo_workbook}


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _import(client, name: str, content: bytes):
    return client.post(reverse("lm3:import"), {"file": SimpleUploadedFile(name, content)})


def _summary(project: Lm3Project) -> tuple:
    """The imported project as its pages and figures see it."""
    return (project.name, project.period_start, project.period_end, project.area_kind,
            project.area_lads, project.payroll_mode, project.proxies,
            [(s.name, s.spend, s.postcode, s.local, s.row) for s in project.suppliers.order_by(
                "row", "name")],
            [(m.label, m.pay, m.postcode, m.local) for m in project.staff.order_by("pk")],
            sorted((r.supplier.name, r.local_staff_share, r.local_supplier_share, r.source)
                   for r in lm3_responses(project)))


def lm3_responses(project: Lm3Project):
    from keepitlocal.web.lm3.models import SupplierResponse

    return SupplierResponse.objects.filter(supplier__project=project).select_related("supplier")


@pytest.mark.parametrize("name", list(FILES))
def test_a_large_project_file_is_imported_by_the_worker_like_a_small_one(
        client, admin, org, settings, media, name):
    client.force_login(admin)
    small = _import(client, name, FILES[name]())
    assert not ParseJob.objects.exists()
    first = Lm3Project.objects.get()
    assert small["Location"] == reverse("lm3:overview", args=[first.pk])
    said = [str(m) for m in client.get(small["Location"]).context["messages"]]

    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0  # every file goes to the worker
    response = _import(client, name, FILES[name]())
    job = ParseJob.objects.get()
    assert job.kind == "keepitlocal.web.lm3.project_files:PROJECT_IMPORT"
    assert response["Location"] == reverse("core:upload_job", args=[job.pk])
    assert job.status == JobStatus.DONE
    landed = client.get(response["Location"], follow=True)
    second = Lm3Project.objects.exclude(pk=first.pk).get()
    assert landed.redirect_chain[-1][0] == reverse("lm3:overview", args=[second.pk])
    assert [str(m) for m in landed.context["messages"]] == said
    assert said[0].startswith("Imported ") and "150 suppliers" in said[0]
    assert _summary(second) == _summary(first)
    assert _stored(media) == []


def test_a_bad_large_project_file_lists_the_same_problems_and_imports_nothing(
        client, admin, settings, media):
    client.force_login(admin)
    with pytest.raises(InputError) as in_request:
        project_files.lm3_project_read("bad.json", SimpleUploadedFile("bad.json", BAD))
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    page = client.get(_import(client, "bad.json", BAD)["Location"])
    job = ParseJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.problems == [str(p) for p in in_request.value.problems]
    text = page.content.decode()
    assert "name is missing" in text and "negative" in text
    assert not Lm3Project.objects.exists() and _stored(media) == []


def test_a_project_import_whose_job_fails_keeps_nothing(client, admin, settings, media,
                                                        monkeypatch):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0

    def broken(job, path, read):
        project_files.lm3_project_import(org=job.organisation, user=None, project=read)
        raise RuntimeError("disk on fire")  # after the rows were written: they are undone

    monkeypatch.setattr(project_files, "PROJECT_IMPORT", parsing.Kind(
        read=project_files.PROJECT_IMPORT.read, store=broken))
    client.force_login(admin)
    page = client.get(_import(client, "calder.json", lm3.DEMO_PROJECT.read_bytes())["Location"])
    assert "stopped with an unexpected error (RuntimeError)" in page.content.decode()
    assert not Lm3Project.objects.exists() and _stored(media) == []


def test_cancelling_a_queued_project_import_keeps_nothing(client, admin, settings, media):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    settings.TASKS = DUMMY  # the worker has not started it yet
    client.force_login(admin)
    _import(client, "calder.json", lm3.DEMO_PROJECT.read_bytes())
    job = ParseJob.objects.get()
    assert len(_stored(media)) == 1  # the staged copy waits for the worker
    response = client.post(reverse("core:upload_job_cancel", args=[job.pk]))
    assert response["Location"] == reverse("lm3:import")
    assert _stored(media) == []
    assert parsing.run(job.pk) == JobStatus.CANCELLED  # the worker, starting late, does nothing
    assert not Lm3Project.objects.exists()
