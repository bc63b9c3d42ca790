"""An Enabled file over KEEPITLOCAL_BACKGROUND_PARSE_MB is read by the background worker and
imported as in the request (same tenants, same message); a file with several anchors and no
name given is refused in the request's words and changes nothing."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keepitlocal.web.core.models import JobStatus, ParseJob
from keepitlocal.web.enabled import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0  # every file goes to the worker
    return settings.MEDIA_ROOT


def _demo() -> bytes:
    from importlib.resources import files

    return files("keepitlocal.enabled").joinpath("demo/anchors.json").read_bytes()


def _upload(client, project, anchor=""):
    return client.post(reverse("enabled:upload", args=[project.pk]),
                       {"file": SimpleUploadedFile("demo.json", _demo()), "anchor": anchor})


def test_a_large_file_is_imported_by_the_worker(anchor_org, editor, client_for, media):
    project = services.project_create(org=anchor_org, year=2025)
    client = client_for(editor)
    response = _upload(client, project, anchor="eastfield enterprise centre")
    job = ParseJob.objects.get()
    assert response["Location"] == reverse("core:upload_job", args=[job.pk])
    landed = client.get(response["Location"], follow=True)
    assert landed.redirect_chain[-1][0] == reverse("enabled:project", kwargs={"pk": project.pk})
    assert [str(m) for m in landed.context["messages"]] == ["9 tenants were read from the file."]
    assert project.tenants.count() == 9 and project.overrides.get().code == "D1"
    assert not any(p.is_file() for p in media.rglob("*"))


def test_a_large_file_with_several_anchors_is_refused_as_in_the_request(
        anchor_org, editor, client_for, settings, media):
    project = services.project_create(org=anchor_org, year=2025)
    client = client_for(editor)
    page = client.get(_upload(client, project)["Location"]).content.decode()
    job = ParseJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "the file holds 3 anchors" in job.problems[0]
    assert "Eastfield Enterprise Centre" in page and "The file was refused" in page
    assert project.tenants.count() == 0
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 100
    in_request = _upload(client, project).content.decode()
    assert html.escape(job.problems[0]) in in_request  # the same words, shown in the request
