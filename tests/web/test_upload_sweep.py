"""The sweep of stale upload checks (`core.parsing.sweep`, `manage.py sweep_uploads`): a check
whose worker died is ended with what to do and its staged file removed, a left-over staged file
is removed once a day old, and nothing a live check still needs is touched."""

from __future__ import annotations

import os
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from keepitlocal.web.core import parsing
from keepitlocal.web.core.models import JobStatus, ParseJob

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
KIND = "keepitlocal.web.spend.services:LEDGER_UPLOAD"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = DUMMY  # jobs wait, as for a worker that is not running
    return settings.MEDIA_ROOT


def _staged(org, name: str = "year.csv") -> ParseJob:
    return parsing.start(KIND, upload=SimpleUploadedFile(name, b"Supplier,Amount\r\nA,1\r\n"),
                         org=org, user=None, params={}, back="/spend/")


def _age(job: ParseJob, **fields) -> ParseJob:
    ParseJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def _old(path: Path, days: float = 2) -> Path:
    when = (timezone.now() - timedelta(days=days)).timestamp()
    os.utime(path, (when, when))
    return path


def test_a_check_running_past_its_limit_is_ended_with_what_to_do(org, admin, client_for,
                                                                 settings):
    settings.KEEPITLOCAL_BACKGROUND_PARSE_SECONDS = 600
    now = timezone.now()
    dead = _age(_staged(org, "dead.csv"), status=JobStatus.RUNNING,
                started_at=now - timedelta(seconds=600) - parsing.STORE_GRACE
                - timedelta(seconds=1))
    alive = _age(_staged(org, "alive.csv"), status=JobStatus.RUNNING,
                 started_at=now - timedelta(seconds=600))
    out = StringIO()
    call_command("sweep_uploads", stdout=out)
    assert "Stale upload checks ended: 1; left-over staged files removed: 0." in out.getvalue()
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == JobStatus.FAILED and dead.finished_at
    assert len(dead.problems) == 1 and "600-second limit" in dead.problems[0]
    assert "Upload it again" in dead.problems[0]
    assert not Path(dead.folder).exists()
    assert alive.status == JobStatus.RUNNING and Path(alive.folder).exists()
    page = client_for(admin, org).get(reverse("core:upload_job", args=[dead.pk]))
    assert "the background worker ended without finishing it" in page.content.decode()
    assert parsing.run(dead.pk) == JobStatus.FAILED  # a worker coming back does nothing


def test_a_check_no_worker_started_within_a_day_is_ended(org):
    waiting = _age(_staged(org), created_at=timezone.now() - parsing.LEFT_OVER
                   - timedelta(minutes=1))
    recent = _staged(org, "recent.csv")
    swept = parsing.sweep()
    assert [j.pk for j in swept.jobs] == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.status == JobStatus.FAILED
    assert "start the background worker" in waiting.problems[0]
    assert not Path(waiting.folder).exists()
    assert ParseJob.objects.get(pk=recent.pk).status == JobStatus.QUEUED
    assert Path(recent.folder).exists()


def test_left_over_staged_files_go_once_a_day_old(org):
    root = parsing.staging_root()
    root.mkdir(parents=True)
    orphan = root / ("0" * 32)
    orphan.mkdir()
    (orphan / "lost.csv").write_bytes(b"x")
    _old(orphan)
    stray = root / "stray.tmp"  # a file, not a folder: never made by `start`, still removed
    stray.write_bytes(b"y")
    _old(stray, days=3)
    fresh = root / ("1" * 32)
    fresh.mkdir()
    owned = _old(Path(_age(_staged(org), status=JobStatus.RUNNING,
                           started_at=timezone.now()).folder))
    swept = parsing.sweep()
    assert sorted(swept.folders) == sorted([orphan, stray])
    assert not orphan.exists() and not stray.exists()
    assert fresh.exists() and owned.exists()
    assert swept.jobs == []


def test_ended_checks_are_forgotten_after_two_weeks_and_live_ones_never(org):
    now = timezone.now()
    old = now - parsing.KEEP_ENDED - timedelta(minutes=1)
    ended = [_age(_staged(org, f"{status}.csv"), status=status, finished_at=old)
             for status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)]
    recent = _age(_staged(org, "recent.csv"), status=JobStatus.DONE,
                  finished_at=now - parsing.KEEP_ENDED + timedelta(minutes=1))
    waiting = _staged(org, "waiting.csv")
    running = _age(_staged(org, "running.csv"), status=JobStatus.RUNNING, started_at=now,
                   finished_at=old)  # a stray finish time never ends a live check
    swept = parsing.sweep()
    assert swept.forgotten == 3 and swept.jobs == []
    assert not ParseJob.objects.filter(pk__in=[j.pk for j in ended]).exists()
    assert sorted(ParseJob.objects.values_list("pk", flat=True)) == sorted(
        [recent.pk, waiting.pk, running.pk])


def test_the_worker_sweeps_before_each_check(org, settings):
    dead = _age(_staged(org, "dead.csv"), status=JobStatus.RUNNING,
                started_at=timezone.now() - timedelta(days=1))
    next_one = _staged(org, "next.csv")
    parsing.run(next_one.pk)
    dead.refresh_from_db()
    assert dead.status == JobStatus.FAILED and not Path(dead.folder).exists()


def test_the_command_explains_itself_with_an_example(capsys):
    with pytest.raises(SystemExit):
        call_command("sweep_uploads", "--help")
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps the help
    assert "keepitlocal manage sweep_uploads" in text and "a day old" in text
    assert "14 days" in text
