"""Large uploads are checked in the background worker, never in the request.

A file over KEEPITLOCAL_BACKGROUND_PARSE_MB is staged to disk (`start`), a `ParseJob` records
it, and the worker (`run`, the task `parse_upload`) reads it with the same code the
request uses for a small file, in a process of its own capped in memory
(KEEPITLOCAL_BACKGROUND_PARSE_MEMORY_MB) and time (KEEPITLOCAL_BACKGROUND_PARSE_SECONDS), with
the rows read so far on the job for the progress page. Whatever happens, the staged copy is
removed; a refusal or a cancel leaves no row behind, because the rows are created only at the
end, in one transaction that first checks the job was not cancelled. If the worker itself dies,
`sweep` (run before each job, and by `manage.py sweep_uploads`) ends the job and removes its file.

An upload kind is a `Kind`: `read(path)` (the long part; the engine's reading goes through
`read_bounded`, which runs in the capped process inside a job and directly in a request) and
`store(job, path, read)` (creates the rows and says where the page lands, as the in-request
upload would). A job names its kind as "module:NAME", so the worker finds it without the urls.
"""

from __future__ import annotations

import importlib
import logging
import secrets
import shutil
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from keepitlocal.safeio import LIMITS, MB, Limits, isolated
from keepitlocal.web.core.jobs import run_reported
from keepitlocal.web.core.models import ACTIVE, JobStatus, ParseJob
from keepitlocal.web.core.uploads import UploadError, safe_name, write_upload

log = logging.getLogger(__name__)
_JOB: ContextVar[ParseJob | None] = ContextVar("keepitlocal_parse_job", default=None)


@dataclass(frozen=True)
class Landing:
    """Where the page goes once the file is stored, and what it says there."""

    url: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (message level, text)


@dataclass(frozen=True)
class Kind:
    """One kind of upload the worker can check (see the module's docstring)."""

    read: Callable[[Path], Any]
    store: Callable[[ParseJob, Path, Any], Landing]


# --- the settings ----------------------------------------------------------------------------


def threshold_bytes() -> int:
    return int(float(settings.KEEPITLOCAL_BACKGROUND_PARSE_MB) * MB)


def in_background(upload: Any) -> bool:
    """Whether this upload is large enough to be read by the worker instead of the request."""
    return (getattr(upload, "size", None) or 0) > threshold_bytes()


def job_limits() -> Limits:
    return LIMITS.tighter(seconds=float(settings.KEEPITLOCAL_BACKGROUND_PARSE_SECONDS))


def memory_bytes() -> int:
    return int(settings.KEEPITLOCAL_BACKGROUND_PARSE_MEMORY_MB) * MB


def staging_root() -> Path:
    """Staged files wait here, under the data folder and never served, until their job ends."""
    return Path(settings.MEDIA_ROOT) / "staged"


# --- in the request ----------------------------------------------------------------------------


def start(kind: str, *, upload: Any, org: Any, user: Any, params: dict[str, Any],
          back: str) -> ParseJob:
    """Stage the upload and queue its check; the page to show is `status_url(job)`."""
    folder = staging_root() / secrets.token_hex(16)
    folder.mkdir(parents=True)
    path = folder / safe_name(getattr(upload, "name", "") or "upload.csv")
    try:
        size = write_upload(upload, path)
        job = ParseJob.objects.create(
            organisation=org, kind=kind, params=params, original_name=path.name[:255],
            size=size, folder=str(folder), back=back,
            created_by=user if getattr(user, "pk", None) else None)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    parse_upload.enqueue(job.pk)
    return job


def announce(request: Any, landing: Landing) -> str:
    """Show the landing's notes as messages; returns the URL to go to."""
    from django.contrib import messages

    for level, text in landing.notes:
        messages.add_message(request, getattr(messages, str(level).upper(), messages.INFO), text)
    return landing.url


def status_url(job: ParseJob) -> str:
    return reverse("core:upload_job", args=[job.pk])


def cancel(job: ParseJob) -> bool:
    """Stop the check and remove the staged copy; False when the job had already ended (a
    stored file is then removed from its own page, like any other)."""
    stopped = ParseJob.objects.filter(pk=job.pk, status__in=ACTIVE).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now())
    if stopped:
        _remove_folder(job)
    job.refresh_from_db()
    return bool(stopped)


def state(job: ParseJob) -> dict[str, Any]:
    """What the progress page polls for."""
    return {
        "status": job.status, "label": JobStatus(job.status).label, "progress": progress(job),
        "rows": job.rows, "percent": job.percent,
        "done": job.status not in ACTIVE,
    }


def progress(job: ParseJob) -> str:
    if job.status == JobStatus.QUEUED:
        return "Waiting for the background worker to start reading the file."
    if job.status == JobStatus.RUNNING:
        if job.rows:
            return f"{job.rows:,} rows read so far."
        if job.percent is not None:
            return f"Reading the file: {job.percent}% read."
        return "Reading the file."
    return ""


# --- in the worker -----------------------------------------------------------------------------


def read_bounded(work: Callable[..., Any], *args: Any, file: str) -> Any:
    """`work(*args)`: in a job, in a process capped in memory and time with its progress on the
    job; in a request, directly (the request's own limits apply, see `uploads.staged`)."""
    job = _JOB.get()
    if job is None:
        return work(*args)

    def report(**seen: Any) -> None:
        rows, share = seen.get("rows"), seen.get("percent")
        ParseJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            rows=rows, percent=None if share is None else min(99, int(share)))

    def stopped() -> bool:
        return ParseJob.objects.filter(pk=job.pk, status=JobStatus.CANCELLED).exists()

    return isolated(work, *args, file=file, limits=job_limits(), memory_bytes=memory_bytes(),
                    report=report, stopped=stopped)


def kind_of(job: ParseJob) -> Kind:
    module, _, name = job.kind.partition(":")
    kind = getattr(importlib.import_module(module), name)
    if not isinstance(kind, Kind):
        raise TypeError(f"{job.kind} is not an upload kind")
    return kind


def run(job_id: int) -> str:
    """Read, then store, one staged upload; returns the job's status. Never raises: a refusal
    or an error ends the job with its problems (`core.jobs.run_reported`)."""
    sweep()
    claimed = ParseJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now())
    job = ParseJob.objects.get(pk=job_id)
    if not claimed:
        return job.status
    token = _JOB.set(job)
    try:
        files = sorted(Path(job.folder).glob("*")) if job.folder else []
        if not files:
            raise UploadError("The uploaded file is no longer on the server. Upload it again.")
        kind, path = kind_of(job), files[0]

        def work() -> str:
            return _store(job, kind, path, kind.read(path))

        run_reported(work, lambda problems: _fail(job, problems), what="check of the file",
                     job=f"upload check {job.pk} ({job.kind})", problems=_problems)
    except UploadError as refused:
        _fail(job, _problems(refused))
    finally:
        _JOB.reset(token)
        _remove_folder(job)
    job.refresh_from_db()
    return job.status


def _problems(error: Any) -> list[str]:
    return [str(p) for p in getattr(error, "problems", [])][:50] or [str(error)]


def _store(job: ParseJob, kind: Kind, path: Path, read: Any) -> str:
    """Create the rows in one transaction, unless the job was cancelled meanwhile."""
    with transaction.atomic():
        locked = ParseJob.objects.select_for_update().filter(
            pk=job.pk, status=JobStatus.RUNNING).first()
        if locked is None:
            return JobStatus.CANCELLED
        landing = kind.store(locked, path, read)
        locked.status, locked.finished_at, locked.percent = (
            JobStatus.DONE, timezone.now(), 100)
        locked.landing, locked.notes = landing.url, [list(n) for n in landing.notes]
        locked.save()
    return JobStatus.DONE


def _fail(job: ParseJob, problems: list[str]) -> None:
    ParseJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), problems=problems)


def _remove_folder(job: ParseJob) -> None:
    if not job.folder:
        return
    folder = Path(job.folder)
    if folder.parent == staging_root():  # only ever a folder `start` made
        shutil.rmtree(folder, ignore_errors=True)


# --- stale work --------------------------------------------------------------------------------

# A job is read within its time limit (job_limits) and its process killed 30 s after; storing
# the rows then takes a few minutes at most. Still "running" after that, its worker has died.
STORE_GRACE = timedelta(minutes=5)
# A job no worker has started within a day, and a staged file no active job owns that is a day
# old, are left over (a worker that never ran, a crash between staging and queueing).
LEFT_OVER = timedelta(days=1)
# How long an ended check's record (its refusal or where it landed) stays readable; django-tasks'
# own `prune_db_task_results` keeps its task results as long by default.
KEEP_ENDED = timedelta(days=14)


@dataclass(frozen=True)
class Swept:
    """What `sweep` ended and removed."""

    jobs: list[ParseJob]
    folders: list[Path]
    forgotten: int = 0  # ended checks older than KEEP_ENDED, deleted


def sweep(now: datetime | None = None) -> Swept:
    """End the jobs whose worker has died (FAILED, with what to do) and remove their staged
    files, any staged file that no waiting or running job owns and is a day old, and the
    records of checks that ended more than `KEEP_ENDED` ago."""
    now = now or timezone.now()
    running_since = now - timedelta(seconds=job_limits().seconds) - STORE_GRACE
    stale = [
        *[(job, _died(job)) for job in ParseJob.objects.filter(
            status=JobStatus.RUNNING, started_at__lt=running_since)],
        *[(job, _never_started()) for job in ParseJob.objects.filter(
            status=JobStatus.QUEUED, created_at__lt=now - LEFT_OVER)],
    ]
    ended = []
    for job, problem in stale:
        if ParseJob.objects.filter(pk=job.pk, status=job.status).update(
                status=JobStatus.FAILED, finished_at=now, problems=[problem]):
            _remove_folder(job)
            ended.append(job)
    if ended:
        log.info("upload sweep: %d stale jobs ended", len(ended))
    forgotten, _ = ParseJob.objects.exclude(status__in=ACTIVE).filter(
        finished_at__lt=now - KEEP_ENDED).delete()
    if forgotten:
        log.info("upload sweep: %d ended checks older than %d days deleted", forgotten,
                 KEEP_ENDED.days)
    return Swept(ended, _remove_left_over(now), forgotten)


def _died(job: ParseJob) -> str:
    return (f"The check of {job.original_name} stopped: the background worker ended without "
            f"finishing it (it was still running past the {job_limits().seconds:.0f}-second "
            "limit). Nothing of the file is kept. Upload it again; if this happens again, "
            "split it into smaller files, or ask whoever runs the server to check that the "
            "background worker is running and has enough memory.")


def _never_started() -> str:
    return ("No background worker started checking this file within a day, so it was "
            "removed. Ask whoever runs the server to start the background worker "
            "(keepitlocal manage db_worker), then upload the file again.")


def _remove_left_over(now: datetime) -> list[Path]:
    root = staging_root()
    if not root.is_dir():
        return []
    owned = {Path(f) for f in ParseJob.objects.filter(status__in=ACTIVE).exclude(
        folder="").values_list("folder", flat=True)}
    cutoff = (now - LEFT_OVER).timestamp()
    removed = []
    for entry in root.iterdir():
        try:
            if entry in owned or entry.lstat().st_mtime >= cutoff:
                continue
        except FileNotFoundError:  # its job ended meanwhile and removed it
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    if removed:
        log.info("upload sweep: %d left-over staged files removed", len(removed))
    return removed


@task()
def parse_upload(job_id: int) -> str:
    """The background task: read and store one staged upload (`run`). With the database
    backend it waits for `db_worker`; `keepitlocal serve` and the tests run it at once."""
    return run(job_id)
