"""The one table of the core app: an upload being checked in the background (`parsing`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from keepitlocal.web.accounts.models import OrgOwned


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Reading the file"
    DONE = "done", "Finished"
    FAILED = "failed", "Refused"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class ParseJob(OrgOwned):
    """A large upload staged on disk and read by the background worker, with how far it got.

    `kind` names the `parsing.Kind` that reads and stores it ("module:NAME"); `params` are what
    that kind needs to find its place (an analysis's id); `folder` is the staged copy's folder,
    removed when the job ends. Once done, `landing` and `notes` say where the page goes next
    and what it says there, as the in-request upload would."""

    kind = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    original_name = models.CharField(max_length=255)
    size = models.BigIntegerField(default=0)
    folder = models.CharField(max_length=500, blank=True, default="")
    back = models.CharField(max_length=500)  # the page the file was uploaded from
    status = models.CharField(max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    rows = models.BigIntegerField(null=True, blank=True)  # rows read so far, if counted
    percent = models.PositiveSmallIntegerField(null=True, blank=True)  # 0-100, if known
    problems = models.JSONField(default=list, blank=True)  # the refusal, as the page says it
    landing = models.CharField(max_length=500, blank=True, default="")
    notes = models.JSONField(default=list, blank=True)  # [[level, text], ...] to show there
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE
