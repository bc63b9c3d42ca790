"""A local spend analysis as a council builds it: settings, files, remembered choices and runs.

The database holds what the user gave (files, column mappings, match decisions, exclusion rules,
target) and what the engine answered (each run's `result_to_dict` document and its line table for
drill-down). No figure is ever computed here: the engine computes every one.
"""

from __future__ import annotations

import hashlib
import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from keepitlocal.parameters import value
from keepitlocal.web.accounts.models import OrgOwned

SHARE: dict[str, Any] = {"max_digits": 5, "decimal_places": 4}
NO_MATCH = "no match"
COUNCIL_CODE = RegexValidator(
    r"^[ENSW]\d{8}$", "Enter a council code like E08000033 (9 characters: a letter and 8 digits)"
)


def _stored_name(instance: Any, kind: str, filename: str) -> str:
    """Stored under the data folder by a random name; the user's file name is kept in the row."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return (f"spend/{instance.organisation_id}/{instance.analysis_id}/{kind}/"
            f"{uuid.uuid4().hex}{suffix}")


def ledger_upload_to(instance: Any, filename: str) -> str:
    return _stored_name(instance, "ledgers", filename)


def register_upload_to(instance: Any, filename: str) -> str:
    return _stored_name(instance, "register", filename)


def national_upload_to(instance: Any, filename: str) -> str:
    return _stored_name(instance, "national", filename)


def header_signature(headers: list[str] | tuple[str, ...]) -> str:
    """The same header row (exactly) in any file gives the same remembered column mapping."""
    return hashlib.sha256("\x1f".join(headers).encode("utf-8")).hexdigest()


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class SpendAnalysis(OrgOwned):
    name = models.CharField(max_length=200)
    council_code = models.CharField("council code", max_length=9, validators=[COUNCIL_CODE])
    target_share = models.DecimalField(
        **SHARE, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))])
    shift_share = models.DecimalField(
        **SHARE, default=value("spend", "shift_share"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))])
    tiers = models.JSONField(null=True, blank=True)  # None: the engine's preset for the council
    exclusion_rules = models.JSONField(default=dict, blank=True)  # the engine's rules document
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("-created_at",)
        verbose_name = "spend analysis"
        verbose_name_plural = "spend analyses"

    def __str__(self) -> str:
        return self.name

    @property
    def latest_run(self) -> AnalysisRun | None:
        return self.runs.order_by("-created_at", "-pk").first()

    @property
    def latest_result_run(self) -> AnalysisRun | None:
        return self.runs.filter(status=RunStatus.DONE).order_by("-created_at", "-pk").first()

    @property
    def status(self) -> str:
        """"draft" until a run is asked for, then the latest run's status."""
        run = self.latest_run
        return run.status if run else "draft"


class LedgerFile(OrgOwned):
    """One uploaded ledger, with what the engine saw in it when it was uploaded."""

    analysis = models.ForeignKey(SpendAnalysis, on_delete=models.CASCADE, related_name="ledgers")
    file = models.FileField(upload_to=ledger_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    format = models.CharField(max_length=60, blank=True, default="")
    encoding = models.CharField(max_length=40, blank=True, default="")
    header_row = models.PositiveIntegerField(default=1)
    headers = models.JSONField(default=list)
    sample = models.JSONField(default=list)  # the first rows, as text, for the mapping screen
    rows = models.PositiveIntegerField(default=0)
    detected = models.JSONField(default=dict)  # field -> header, as detected on upload
    signature = models.CharField(max_length=64, db_index=True)
    mapping_confirmed = models.BooleanField(default=False)
    # The file's first rows as read (header included), to choose another header row from.
    head = models.JSONField(default=list)
    header_row_chosen = models.BooleanField(default=False)  # set by a person, not detected
    # The month or quarter of a file with no date column, given by a person ("2024-03").
    period = models.CharField(max_length=40, blank=True, default="")
    content_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # A person chose "analyse the rest without it" (a file whose columns cannot be mapped):
    # kept, listed, and not given to the engine until it is included again.
    left_out = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("uploaded_at", "pk")

    def __str__(self) -> str:
        return self.original_name


class RegisterFile(OrgOwned):
    """The council's supplier (vendor) register for one analysis; a new upload replaces it."""

    analysis = models.ForeignKey(SpendAnalysis, on_delete=models.CASCADE,
                                 related_name="registers")
    file = models.FileField(upload_to=register_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    headers = models.JSONField(default=list)
    detected = models.JSONField(default=dict)  # register field -> header
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("-uploaded_at", "-pk")

    def __str__(self) -> str:
        return self.original_name


class NationalKind(models.TextChoices):
    COMPANIES_HOUSE = "companies_house", "Companies House basic company data"
    CHARITIES = "charities", "Charity Commission register extract"


class NationalRegisterFile(OrgOwned):
    """A national register loaded for one analysis, in its published format: Companies House
    basic company data or the Charity Commission register extract. One of each kind; a new upload
    replaces the old one."""

    analysis = models.ForeignKey(SpendAnalysis, on_delete=models.CASCADE,
                                 related_name="national_registers")
    kind = models.CharField(max_length=20, choices=NationalKind.choices)
    file = models.FileField(upload_to=national_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)  # entries the engine's reader kept
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("kind", "-uploaded_at", "-pk")

    def __str__(self) -> str:
        return self.original_name


class ColumnMappingMemory(OrgOwned):
    """A confirmed column mapping, remembered for every later file with the same header row."""

    signature = models.CharField(max_length=64)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)  # every ledger field -> header or None
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = (models.UniqueConstraint(fields=["organisation", "signature"],
                                               name="spend_mapping_one_per_layout"),)


class MatchDecision(OrgOwned):
    """A person's answer to the review queue: this ledger name is that register entry, or none."""

    key = models.CharField(max_length=300)  # the engine's decision key (normalised name)
    ledger_name = models.CharField(max_length=300)
    register_id = models.CharField(max_length=200)  # or NO_MATCH
    register_name = models.CharField(max_length=300, blank=True, default="")
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("ledger_name", "pk")
        constraints = (models.UniqueConstraint(fields=["organisation", "key"],
                                               name="spend_decision_one_per_name"),)

    def __str__(self) -> str:
        return f"{self.ledger_name} -> {self.register_name or self.register_id}"

    @property
    def is_no_match(self) -> bool:
        return self.register_id == NO_MATCH


class AnalysisRun(OrgOwned):
    """One call of the engine: queued, running, then done (with its result) or failed."""

    analysis = models.ForeignKey(SpendAnalysis, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.CharField(max_length=300, blank=True, default="")
    # How far the engine has got (0-100), as its progress callback last said; None before.
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    inputs = models.CharField(max_length=64, blank=True, default="")  # fingerprint of inputs
    result = models.JSONField(null=True, blank=True)  # keepitlocal.spend.result_to_dict
    lines_file = models.CharField(max_length=300, blank=True, default="")  # Parquet, storage
    error = models.TextField(blank=True, default="")
    problems = models.JSONField(default=list, blank=True)  # the engine's problems, as text

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.analysis} run {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)
