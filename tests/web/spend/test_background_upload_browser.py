"""A large ledger in a real Chromium: the upload opens the progress page (bar, words read out
as they change, Cancel), which follows the worker and opens the column step once the file is
stored. Checked with axe on a desktop and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from keepitlocal.web.core import parsing
from keepitlocal.web.core.models import JobStatus, ParseJob
from keepitlocal.web.spend.models import LedgerFile

from .conftest import april_csv

pytestmark = [pytest.mark.browser, pytest.mark.postcodes,
              pytest.mark.django_db(transaction=True)]


def test_a_large_ledger_shows_its_progress_then_its_columns(
        live_server, page, mobile_page, sign_in_to, check_page, editor, council, make_analysis,
        settings):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_MB = 0  # every file goes to the worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    analysis = make_analysis(council, files=False)
    sign_in_to(page, editor, council)
    page.goto(f"{live_server.url}/spend/{analysis.pk}/files/")
    page.get_by_label("Upload a ledger").set_input_files(files=[
        {"name": "april.csv", "mimeType": "text/csv", "buffer": april_csv()}])
    page.get_by_role("button", name="Upload the ledger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading the file")
    job = ParseJob.objects.get()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Waiting for the background worker")
    expect(page.get_by_label("How much of the file has been read")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel the upload")).to_be_visible()
    check_page(page, "upload-job-waiting")

    # The worker has read part of the file: the page says so without a reload.
    ParseJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, rows=12_000, percent=40)
    expect(status).to_contain_text("12,000 rows read so far.")
    expect(page.locator("[data-job-bar]")).to_have_attribute("value", "40")
    sign_in_to(mobile_page, editor, council)
    mobile_page.goto(page.url)
    expect(mobile_page.get_by_role("status")).to_contain_text("12,000 rows read so far.")
    check_page(mobile_page, "upload-job-mobile-running")

    # The worker reads and stores it: the page opens the column step, as a small file would.
    ParseJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    assert parsing.run(job.pk) == JobStatus.DONE
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the columns")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Uploaded april.csv")
    assert LedgerFile.objects.get().rows == 9
    check_page(page, "upload-job-landed")
