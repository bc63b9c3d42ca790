"""An organisation's asset maps: the area, the register files given, and each build's result.

Every row is organisation-owned: a council's own directory upload, like everything else here,
is seen only through its organisation (`for_org`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from keepitlocal.web.accounts.models import OrgOwned


class SourceKind(models.TextChoices):
    CHARITY_COMMISSION = "ccew", "Charity Commission register extract table (JSON or zip)"
    OSCR = "oscr", "OSCR (Scotland) charity register CSV"
    CCNI = "ccni", "CCNI (Northern Ireland) register CSV"
    COMPANIES_HOUSE = "companies_house", "Companies House basic company data"
    GRANTS = "360giving", "360Giving grants (CSV or JSON)"
    DIRECTORY = "directory", "Your own directory of local groups (CSV or XLSX)"


class BuildStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class AssetMap(OrgOwned):
    name = models.CharField(max_length=200)
    council_code = models.CharField(max_length=9)  # a district the area holds (its name)
    # How the area was chosen (keepitlocal.assetmap.areas.AreaChoice.spec); empty: the council.
    area = models.JSONField(default=dict, blank=True)
    area_name = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.name

    @property
    def latest_run(self) -> BuildRun | None:
        return self.runs.first()

    @property
    def latest_done(self) -> BuildRun | None:
        return self.runs.filter(status=BuildStatus.DONE).first()


def source_upload_to(instance: SourceFile, filename: str) -> str:
    return f"assetmap/{instance.organisation_id}/{instance.asset_map_id}/{filename}"


class SourceFile(OrgOwned):
    asset_map = models.ForeignKey(AssetMap, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    file = models.FileField(upload_to=source_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True)  # directory field -> header
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("kind", "uploaded_at", "pk")

    def __str__(self) -> str:
        return self.original_name


class BuildRun(OrgOwned):
    asset_map = models.ForeignKey(AssetMap, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=BuildStatus.choices,
                              default=BuildStatus.QUEUED)
    progress = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.asset_map} build {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (BuildStatus.QUEUED, BuildStatus.RUNNING)

    @property
    def document(self) -> dict[str, Any]:
        return self.result or {}
