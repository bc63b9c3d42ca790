"""A ledger over KEEPITLOCAL_BACKGROUND_PARSE_MB is read by the background worker, not in the
request: the page shows its progress, then lands where the in-request upload lands, with the
same messages and the same refusals; a refused, failed or cancelled upload leaves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from keepitlocal.web.core import parsing
from keepitlocal.web.core.models import JobStatus, ParseJob
from keepitlocal.web.spend import services
from keepitlocal.web.spend.models import LedgerFile

from .conftest import april_csv, may_xlsx

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _post(client, analysis, name, content, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("spend:files", args=[analysis.pk]),
                       {"action": "ledger", "ledger-file": SimpleUploadedFile(name, content)},
                       **extra)


@pytest.fixture
def signed_in(client_for, editor, council):
    return client_for(editor, council)


def test_a_small_ledger_is_still_read_in_the_request(signed_in, make_analysis, council):
    analysis = make_analysis(council, files=False)
    response = _post(signed_in, analysis, "april.csv", april_csv())
    ledger = LedgerFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("spend:columns", args=[analysis.pk, ledger.pk])
    assert not ParseJob.objects.exists()


@pytest.mark.parametrize(("name", "make"), [("april.csv", april_csv), ("may.xlsx", may_xlsx)])
def test_a_large_ledger_is_read_by_the_worker_and_lands_like_a_small_one(
        signed_in, make_analysis, council, settings, media, name, make):
    in_request = make_analysis(council, name="Read in the request", files=False)
    small = signed_in.get(_post(signed_in, in_request, name, make())["Location"])
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0  # every file goes to the worker
    analysis = make_analysis(council, files=False)
    response = _post(signed_in, analysis, name, make())
    job = ParseJob.objects.get()
    assert response["Location"] == reverse("core:upload_job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.started_at and job.finished_at
    landed = signed_in.get(response["Location"], follow=True)
    ledger = LedgerFile.objects.get(analysis=analysis)
    assert landed.redirect_chain[-1][0] == reverse("spend:columns", args=[analysis.pk, ledger.pk])
    first = LedgerFile.objects.get(analysis=in_request)
    assert (ledger.rows, ledger.headers, ledger.detected, ledger.sample, ledger.format) == (
        first.rows, first.headers, first.detected, first.sample, first.format)
    said = [str(m) for m in landed.context["messages"]]
    assert said == [str(m) for m in small.context["messages"]]
    assert said[-1].startswith(f"Uploaded {name} ({first.rows:,} rows)")
    assert not (media / "staged").exists() or not any((media / "staged").iterdir())


def test_the_progress_page_polls_and_offers_to_cancel(signed_in, make_analysis, council,
                                                      settings):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    settings.TASKS = DUMMY  # the worker has not started it yet
    analysis = make_analysis(council, files=False)
    page = signed_in.get(_post(signed_in, analysis, "april.csv", april_csv())["Location"])
    text = page.content.decode()
    job = ParseJob.objects.get()
    assert "Reading the file" in text and "<progress" in text
    assert reverse("core:upload_job_cancel", args=[job.pk]) in text
    assert "Reload to see how it is going" in text  # without JavaScript
    state = signed_in.get(reverse("core:upload_job_json", args=[job.pk])).json()
    assert state["status"] == "queued" and not state["done"]
    ParseJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, rows=12_000)
    state = signed_in.get(reverse("core:upload_job_json", args=[job.pk])).json()
    assert state["progress"] == "12,000 rows read so far."


def test_a_refused_large_ledger_says_why_and_leaves_nothing(signed_in, make_analysis, council,
                                                            settings, media):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    analysis = make_analysis(council, files=False)
    response = _post(signed_in, analysis, "header-only.csv", b"Supplier Name,Date,Amount\r\n")
    page = signed_in.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and "The file was refused" in text
    assert "header-only.csv: the file has a header row but no payments." in text
    assert ParseJob.objects.get().status == JobStatus.FAILED
    assert not LedgerFile.objects.exists()
    assert _stored(media) == []


def test_a_workbook_past_the_jobs_time_limit_is_refused_naming_it(
        signed_in, make_analysis, council, settings, media):
    from openpyxl import Workbook

    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    settings.KEEPITLOCAL_BACKGROUND_PARSE_SECONDS = 0
    book = Workbook()
    sheet = book.active
    sheet.append(["Supplier Name", "Payment Date", "Amount"])
    for n in range(3000):
        sheet.append([f"Supplier {n}", "01/04/2024", n])
    import io

    out = io.BytesIO()
    book.save(out)
    analysis = make_analysis(council, files=False)
    page = signed_in.get(_post(signed_in, analysis, "year.xlsx", out.getvalue())["Location"])
    text = page.content.decode()
    assert "reading the workbook took longer than 0 seconds" in text
    assert "split it into smaller files" in text
    assert not LedgerFile.objects.exists() and _stored(media) == []


def test_an_unexpected_error_ends_the_job_named_and_leaves_nothing(
        signed_in, make_analysis, council, settings, media, monkeypatch):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0

    def broken(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "LEDGER_UPLOAD", parsing.Kind(
        read=services.LEDGER_UPLOAD.read, store=broken))
    analysis = make_analysis(council, files=False)
    page = signed_in.get(_post(signed_in, analysis, "april.csv", april_csv())["Location"])
    assert "stopped with an unexpected error (RuntimeError)" in page.content.decode()
    assert not LedgerFile.objects.exists() and _stored(media) == []


def test_cancelling_a_queued_upload_removes_it(signed_in, make_analysis, council, settings,
                                               media):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    settings.TASKS = DUMMY
    analysis = make_analysis(council, files=False)
    _post(signed_in, analysis, "april.csv", april_csv())
    job = ParseJob.objects.get()
    assert len(_stored(media)) == 1  # the staged copy waits for the worker
    response = signed_in.post(reverse("core:upload_job_cancel", args=[job.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("spend:files", args=[analysis.pk]) + \
        "#ledgers"
    assert "The check of april.csv is cancelled" in response.content.decode()
    assert _stored(media) == []
    assert parsing.run(job.pk) == JobStatus.CANCELLED  # the worker, starting late, does nothing
    assert not LedgerFile.objects.exists()


def test_cancelling_while_the_file_is_read_stores_nothing(signed_in, make_analysis, council,
                                                          settings, media, monkeypatch):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    read = services.LEDGER_UPLOAD.read

    def read_then_cancelled(path):
        loaded = read(path)
        parsing.cancel(ParseJob.objects.get())  # the person presses Cancel meanwhile
        return loaded

    monkeypatch.setattr(services, "LEDGER_UPLOAD", parsing.Kind(
        read=read_then_cancelled, store=services.LEDGER_UPLOAD.store))
    analysis = make_analysis(council, files=False)
    _post(signed_in, analysis, "april.csv", april_csv())
    assert ParseJob.objects.get().status == JobStatus.CANCELLED
    assert not LedgerFile.objects.exists() and _stored(media) == []


def test_a_finished_upload_cannot_be_cancelled(signed_in, make_analysis, council, settings):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    analysis = make_analysis(council, files=False)
    _post(signed_in, analysis, "april.csv", april_csv())
    job = ParseJob.objects.get()
    response = signed_in.post(reverse("core:upload_job_cancel", args=[job.pk]))
    assert response["Location"] == reverse("core:upload_job", args=[job.pk])
    assert LedgerFile.objects.count() == 1


def test_another_organisations_upload_is_not_found(client_for, make_org, make_member,
                                                   make_analysis, council, settings, signed_in):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    settings.TASKS = DUMMY
    analysis = make_analysis(council, files=False)
    _post(signed_in, analysis, "april.csv", april_csv())
    job = ParseJob.objects.get()
    other = make_org("Another Council", kind="council")
    stranger = client_for(make_member("x@example.org", other, "admin"), other)
    for url in ("core:upload_job", "core:upload_job_json"):
        assert stranger.get(reverse(url, args=[job.pk])).status_code == 404
    assert stranger.post(reverse("core:upload_job_cancel", args=[job.pk])).status_code == 404
    assert ParseJob.objects.get().status == JobStatus.QUEUED


def test_an_upload_by_the_page_script_gets_the_progress_page(signed_in, make_analysis, council,
                                                             settings):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    settings.TASKS = DUMMY
    analysis = make_analysis(council, files=False)
    answer = _post(signed_in, analysis, "april.csv", april_csv(),
                   HTTP_X_REQUESTED_WITH="XMLHttpRequest").json()
    assert answer == {"redirect": reverse("core:upload_job", args=[ParseJob.objects.get().pk])}


def test_a_viewer_cannot_cancel(client_for, viewer, council, make_analysis, settings,
                                signed_in):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0
    settings.TASKS = DUMMY
    analysis = make_analysis(council, files=False)
    _post(signed_in, analysis, "april.csv", april_csv())
    job = ParseJob.objects.get()
    looking = client_for(viewer, council)
    assert looking.get(reverse("core:upload_job", args=[job.pk])).status_code == 200
    assert looking.post(reverse("core:upload_job_cancel", args=[job.pk])).status_code == 403
    assert ParseJob.objects.get().status == JobStatus.QUEUED


