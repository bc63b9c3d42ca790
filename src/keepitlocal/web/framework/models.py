"""An organisation's impact plans: the theory of change, its indicators, measurements and evidence.

The database keeps what people entered; every figure shown is computed by the engine
(`keepitlocal.framework.progress`) from it, through selectors.engine_plan. A measurement is never
edited: a correction is a new revision, and the old one stays as history.
"""

from __future__ import annotations

import secrets
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from keepitlocal.framework.model import COLLECTION_METHODS, FREQUENCIES, QUALITY_LABELS
from keepitlocal.framework.reference import UNITS
from keepitlocal.framework.units import UNIT_LABELS
from keepitlocal.web.accounts.models import OrgOwned

VALUE: dict[str, Any] = {"max_digits": 18, "decimal_places": 4}


class AreaKind(models.TextChoices):
    LAD = "lad", "Council areas"
    RADIUS = "radius", "A distance around a postcode"


class ImpactPlan(OrgOwned):
    """Step 1, the economic theory of change, and the notes of steps 2 and 7-10."""

    name = models.CharField(max_length=200)
    change_sought = models.TextField("the change you are trying to make", blank=True)
    activities = models.TextField(blank=True, help_text="One activity per line.")
    area_name = models.CharField("name of the area", max_length=200, blank=True)
    area_kind = models.CharField(max_length=10, choices=AreaKind.choices, blank=True, default="")
    area_lads = models.JSONField(default=list, blank=True)
    area_radius_km = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    area_centre = models.CharField(max_length=10, blank=True, default="")
    characteristics = models.JSONField(default=list, blank=True)  # numbers 1-7
    existing_information = models.TextField(blank=True)
    step_7 = models.TextField("what the analysis shows", blank=True)
    step_8 = models.TextField("whom you reported to", blank=True)
    step_9 = models.TextField("gaps found looking back", blank=True)
    step_10 = models.TextField("the plan for the next years", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-updated_at", "pk")

    def __str__(self) -> str:
        return self.name

    @property
    def activity_list(self) -> list[str]:
        return [line.strip() for line in self.activities.splitlines() if line.strip()]

    def touch(self) -> None:
        self.updated_at = timezone.now()
        self.save(update_fields=["updated_at"])


class Indicator(OrgOwned):
    """An indicator the plan tracks: from the bank (bank_id) or the organisation's own."""

    plan = models.ForeignKey(ImpactPlan, on_delete=models.CASCADE, related_name="indicators")
    bank_id = models.CharField(max_length=10, blank=True, default="")
    label = models.CharField(max_length=300)
    characteristic = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=12, choices=[(u, UNIT_LABELS[u]) for u in UNITS])
    measure = models.CharField(max_length=100, blank=True)
    baseline = models.DecimalField(null=True, blank=True, **VALUE)
    baseline_period = models.CharField(max_length=20, blank=True)
    target = models.DecimalField(null=True, blank=True, **VALUE)
    target_period = models.CharField(max_length=20, blank=True)
    collection_method = models.CharField(
        max_length=40, blank=True, choices=[(m, m.capitalize()) for m in COLLECTION_METHODS]
    )
    frequency = models.CharField(
        max_length=12, blank=True, choices=[(f, f.capitalize()) for f in FREQUENCIES]
    )
    fed_by = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("characteristic", "created_at", "pk")

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        return f"i{self.pk}"


class Quality(models.TextChoices):
    RECORDED = "recorded", QUALITY_LABELS["recorded"]
    CHECKED = "checked", QUALITY_LABELS["checked"]
    TRIANGULATED = "triangulated", QUALITY_LABELS["triangulated"]


class Measurement(OrgOwned):
    """One value of an indicator for a period. A correction is a new row with the next revision.

    A value fed by a measured result (feed, feed_object_id) keeps the value it had when recorded
    in `value`; the reports show the source's current value and say when it has changed.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    period = models.CharField(max_length=20)
    value = models.DecimalField(null=True, blank=True, **VALUE)
    statement = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    recorded_by = models.CharField(max_length=200)
    recorded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    quality = models.CharField(max_length=12, choices=Quality.choices, default=Quality.RECORDED)
    checked_by = models.CharField(max_length=200, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    triangulation = models.TextField(blank=True)
    revision = models.PositiveSmallIntegerField(default=1)
    reason = models.TextField(blank=True)
    feed = models.CharField(max_length=40, blank=True, default="")
    feed_object_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("indicator", "period", "revision")
        constraints = (
            models.UniqueConstraint(
                fields=("indicator", "period", "revision"), name="framework_one_value_a_revision"
            ),
        )

    def __str__(self) -> str:
        return f"{self.indicator} {self.period} (revision {self.revision})"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A random stored name, so an uploaded name never becomes a path or collides."""
    suffix = PurePath(filename).suffix.lower()[:10]
    if not suffix[1:].isalnum():
        suffix = ""
    return f"framework/evidence/{instance.organisation_id}/{secrets.token_hex(16)}{suffix}"


class Evidence(OrgOwned):
    """A file or a link that evidences a measurement; several may back one value."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to, max_length=300, blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("added_at", "pk")

    def __str__(self) -> str:
        return self.name

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.file:
            self.file.delete(save=False)
        return super().delete(*args, **kwargs)
