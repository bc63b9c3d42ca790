"""The supplier register and the two national registers of an analysis, over
KEEPITLOCAL_BACKGROUND_PARSE_MB, are read by the background worker, not in the request: they land
where the in-request upload lands with the same messages and the same stored file, are refused in
the same words, and a refused, failed or cancelled upload leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keepitlocal.web.core import parsing
from keepitlocal.web.core.models import JobStatus, ParseJob
from keepitlocal.web.spend import services
from keepitlocal.web.spend.models import NationalRegisterFile, RegisterFile

from .conftest import register_csv
from .test_national import CC_NAME, CH_HEADER, CH_NAME, charities_json, companies_csv

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

# action, file name, content, a file of the same kind that holds no entries, the kind's name
UPLOADS = [
    ("register", "suppliers.csv", register_csv, b"Supplier Name,Postcode\r\n",
     "REGISTER_UPLOAD"),
    ("companies_house", CH_NAME, companies_csv,
     (",".join(f'"{h}"' for h in CH_HEADER) + "\r\n").encode(), "COMPANIES_HOUSE_UPLOAD"),
    ("charities", CC_NAME, charities_json, b"[]", "CHARITIES_UPLOAD"),
]
ANCHOR = {"register": "#register", "companies_house": "#national", "charities": "#national"}


@pytest.fixture
def signed_in(client_for, editor, council):
    return client_for(editor, council)


def _post(client, analysis, action, name, content):
    return client.post(reverse("spend:files", args=[analysis.pk]),
                       {"action": action, f"{action}-file": SimpleUploadedFile(name, content)})


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _files(analysis) -> list[tuple]:
    """What the analysis holds of registers, as the page and the run see them."""
    return [(r.original_name, r.rows, r.headers, r.detected, r.file.read())
            for r in RegisterFile.objects.filter(analysis=analysis)] + [
        (n.kind, n.original_name, n.rows, n.file.read())
        for n in NationalRegisterFile.objects.filter(analysis=analysis)]


@pytest.mark.parametrize(("action", "name", "make", "empty", "kind"), UPLOADS)
def test_a_large_register_is_read_by_the_worker_and_lands_like_a_small_one(
        signed_in, make_analysis, council, settings, media, action, name, make, empty, kind):
    in_request = make_analysis(council, name="Read in the request", files=False)
    small = _post(signed_in, in_request, action, name, make())
    assert not ParseJob.objects.exists()
    assert small["Location"] == reverse("spend:files", args=[in_request.pk]) + ANCHOR[action]
    said_small = [str(m) for m in signed_in.get(small["Location"]).context["messages"]]

    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0  # every file goes to the worker
    analysis = make_analysis(council, files=False)
    _post(signed_in, analysis, action, name, make())  # an earlier file, replaced below
    response = _post(signed_in, analysis, action, name, make())
    job = ParseJob.objects.order_by("pk").last()
    assert job.kind == f"keepitlocal.web.spend.services:{kind}"
    assert response["Location"] == reverse("core:upload_job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.finished_at
    landed = signed_in.get(response["Location"], follow=True)
    assert landed.redirect_chain[-1][0] == small["Location"].replace(
        f"/{in_request.pk}/", f"/{analysis.pk}/")
    assert [str(m) for m in landed.context["messages"]] == said_small
    assert _files(analysis) == _files(in_request)  # one file: the earlier one was replaced
    assert not any((media / "staged").iterdir())


@pytest.mark.parametrize(("action", "name", "make", "empty", "kind"), UPLOADS)
def test_a_refused_large_register_says_what_the_request_says_and_leaves_nothing(
        signed_in, make_analysis, council, settings, media, action, name, make, empty, kind):
    analysis = make_analysis(council, files=False)
    in_request = _post(signed_in, analysis, action, name, empty)
    said = in_request.context["form"].errors["file"]
    assert said and _stored(media) == []
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    page = signed_in.get(_post(signed_in, analysis, action, name, empty)["Location"])
    job = ParseJob.objects.get()
    assert job.status == JobStatus.FAILED and job.problems == list(said)
    assert "The file was refused" in page.content.decode()
    assert _files(analysis) == [] and _stored(media) == []


@pytest.mark.parametrize(("action", "name", "make", "empty", "kind"), UPLOADS)
def test_a_register_whose_job_fails_keeps_nothing(
        signed_in, make_analysis, council, settings, media, monkeypatch, action, name, make,
        empty, kind):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0

    def broken(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, kind, parsing.Kind(read=getattr(services, kind).read,
                                                     store=broken))
    analysis = make_analysis(council, files=False)
    page = signed_in.get(_post(signed_in, analysis, action, name, make())["Location"])
    assert "stopped with an unexpected error (RuntimeError)" in page.content.decode()
    assert ParseJob.objects.get().status == JobStatus.FAILED
    assert _files(analysis) == [] and _stored(media) == []


@pytest.mark.parametrize(("action", "name", "make", "empty", "kind"), UPLOADS)
def test_cancelling_a_queued_register_removes_it(
        signed_in, make_analysis, council, settings, media, action, name, make, empty, kind):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    settings.TASKS = DUMMY  # the worker has not started it yet
    analysis = make_analysis(council, files=False)
    _post(signed_in, analysis, action, name, make())
    job = ParseJob.objects.get()
    assert len(_stored(media)) == 1  # the staged copy waits for the worker
    response = signed_in.post(reverse("core:upload_job_cancel", args=[job.pk]))
    assert response["Location"] == reverse("spend:files", args=[analysis.pk]) + ANCHOR[action]
    assert _stored(media) == []
    assert parsing.run(job.pk) == JobStatus.CANCELLED  # the worker, starting late, does nothing
    assert _files(analysis) == []
