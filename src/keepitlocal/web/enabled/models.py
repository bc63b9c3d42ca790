"""An anchor's Enabled Contribution, one project a year: its tenants' survey returns and overrides.

The anchor is the organisation itself. The database keeps only what tenants and the anchor
entered; every figure shown is calculated by the engine from it (see selectors.project_result).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from keepitlocal.enabled.model import AREA_BASES, OVERRIDE_TABLES
from keepitlocal.enabled.model import Tenant as EngineTenant
from keepitlocal.web.accounts.models import OrgOwned

# Decimal places kept for each kind of figure. A value with more places is refused, never rounded.
QUANTITY: dict[str, Any] = {"max_digits": 14, "decimal_places": 4}  # m², FTE, people, hours
MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}  # £ a year

TENANT_TEXT_FIELDS = ("sic", "use_class", "area_basis")
TENANT_NUMBER_FIELDS = ("floorspace_m2", "fte", "headcount", "weekly_hours", "turnover", "gva")
TENANT_FIELDS = ("name", "sic", "use_class", "area_basis", *TENANT_NUMBER_FIELDS, "notes")


def name_key(name: str) -> str:
    """How the engine compares names: spaces collapsed, case ignored."""
    return " ".join(name.split()).casefold()


class EnabledProject(OrgOwned):
    """One year's Enabled Contribution of the organisation (the anchor) through its tenants."""

    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="The year the survey describes, for example 2025.",
    )
    name = models.CharField(max_length=200, blank=True)
    local_authority = models.CharField(
        "local authority",
        max_length=100,
        blank=True,
        help_text="The council area the anchor is in, for example Calderdale. Totals are grouped "
        "by it.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-year",)
        constraints = (
            models.UniqueConstraint(fields=("organisation", "year"), name="enabled_one_per_year"),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.name or f"{self.organisation} {self.year}"

    def touch(self) -> None:
        self.updated_at = timezone.now()
        self.save(update_fields=["updated_at"])


class Source(models.TextChoices):
    ENTERED = "entered", "Entered by hand"
    UPLOADED = "uploaded", "From an uploaded file"
    SURVEY = "survey", "Answered the survey"
    INVITED = "invited", "Survey sent"


class Tenant(OrgOwned):
    """A tenant's return. Blank means "not known"; the engine fills gaps and says how."""

    project = models.ForeignKey(EnabledProject, on_delete=models.CASCADE, related_name="tenants")
    name = models.CharField(max_length=200)
    sic = models.CharField("SIC 2007 code or section", max_length=20, blank=True)
    use_class = models.CharField("use class", max_length=40, blank=True)
    floorspace_m2 = models.DecimalField("floorspace (m²)", null=True, blank=True, **QUANTITY)
    area_basis = models.CharField(
        "area basis", max_length=3, blank=True, choices=[(b, b) for b in AREA_BASES]
    )
    fte = models.DecimalField("FTE employees", null=True, blank=True, **QUANTITY)
    headcount = models.DecimalField(null=True, blank=True, **QUANTITY)
    weekly_hours = models.DecimalField("average weekly hours", null=True, blank=True, **QUANTITY)
    turnover = models.DecimalField(null=True, blank=True, **MONEY)
    gva = models.DecimalField("GVA", null=True, blank=True, **MONEY)
    notes = models.TextField(blank=True)
    contact_name = models.CharField("contact name", max_length=200, blank=True)
    contact_email = models.EmailField("contact e-mail address", blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    survey_sent_at = models.DateTimeField(null=True, blank=True)
    survey_answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.name

    @property
    def has_activity(self) -> bool:
        """The engine needs a SIC code or a use class; without one the tenant waits for data."""
        return bool(self.sic or self.use_class)

    def as_engine(self) -> dict[str, str]:
        """The tenant as a record of the engine's JSON input (numbers as exact strings)."""
        record: dict[str, str] = {"name": self.name}
        for field in TENANT_TEXT_FIELDS:
            if getattr(self, field):
                record[field] = getattr(self, field)
        for field in TENANT_NUMBER_FIELDS:
            value = getattr(self, field)
            if value is not None:
                record[field] = plain(value)
        if self.notes:
            record["notes"] = self.notes
        return record

    @staticmethod
    def fields_of(tenant: EngineTenant) -> dict[str, Any]:
        """What an engine tenant (a file's row, the demo's) gives a Tenant: the inverse of
        as_engine, with blanks for the texts it leaves out."""
        texts = {field: getattr(tenant, field) or "" for field in TENANT_TEXT_FIELDS}
        numbers = {field: getattr(tenant, field) for field in TENANT_NUMBER_FIELDS}
        return {"name": tenant.name, **texts, **numbers, "notes": tenant.notes}


def plain(value: Decimal) -> str:
    """6.5000 → "6.5", 100 → "100": exact, no exponent."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


class ProjectOverride(OrgOwned):
    """The anchor's own value for one reference figure, e.g. a density counted in its rooms."""

    project = models.ForeignKey(EnabledProject, on_delete=models.CASCADE, related_name="overrides")
    table = models.CharField(max_length=30, choices=[(t, t) for t in OVERRIDE_TABLES])
    code = models.CharField(max_length=40, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=6)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("table", "code")
        constraints = (
            models.UniqueConstraint(
                fields=("project", "table", "code"), name="enabled_one_override_per_code"
            ),
        )

    def __str__(self) -> str:
        return f"{self.table} {self.code} = {plain(self.value)}".replace("  ", " ")


class ProjectShare(OrgOwned):
    """The anchor (organisation) lets a council see this year's totals, read-only.

    The council sees the anchor's name, local authority and totals (FTE, GVA, confidence and
    how many tenants are counted), never the tenants' names, figures or contacts.
    """

    project = models.ForeignKey(EnabledProject, on_delete=models.CASCADE, related_name="shares")
    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="enabled_shares_received"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("council__name",)
        constraints = (
            models.UniqueConstraint(fields=("project", "council"), name="enabled_share_once"),
        )

    def __str__(self) -> str:
        return f"{self.project} shared with {self.council}"
