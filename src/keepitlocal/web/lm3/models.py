"""An LM3 project as the organisation builds it, step by step, and its suppliers' answers.

The database holds what the user entered; `services.lm3_project_build` turns it into the engine's
`keepitlocal.lm3.Project`, which computes every figure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone

from keepitlocal.web.accounts.models import OrgOwned

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
SHARE: dict[str, Any] = {"max_digits": 5, "decimal_places": 4}
SURVEY_PURPOSE = "lm3-supplier"
POSTCODE_LENGTH = 10  # a tidied UK postcode is at most 8 characters ("AB12 3CD")


class Scope(models.TextChoices):
    TURNOVER = "turnover", "The organisation's whole turnover"
    CONTRACT = "contract", "One contract"


class Status(models.TextChoices):
    DRAFT = "draft", "Setting up"
    SURVEYING = "surveying", "Surveying suppliers"
    CLOSED = "closed", "Closed"


class AreaKind(models.TextChoices):
    LAD = "lad", "Council areas (local authority districts)"
    RADIUS = "radius", "A distance around a postcode"


class PayrollMode(models.TextChoices):
    TOTALS = "totals", "Two totals: pay of staff living in the area, and of staff living elsewhere"
    PEOPLE = "people", "One line per staff member, with their home postcode"


class Lm3Project(OrgOwned):
    name = models.CharField(max_length=200)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.TURNOVER)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    area_kind = models.CharField(max_length=10, choices=AreaKind.choices, blank=True, default="")
    area_lads = models.JSONField(default=list, blank=True)
    area_radius_km = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    area_centre = models.CharField(max_length=10, blank=True, default="")
    payroll_mode = models.CharField(
        max_length=10, choices=PayrollMode.choices, default=PayrollMode.TOTALS
    )
    local_pay = models.DecimalField(**MONEY, null=True, blank=True)
    nonlocal_pay = models.DecimalField(**MONEY, null=True, blank=True)
    proxies = models.JSONField(default=dict, blank=True)
    message_to_suppliers = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    final_result = models.JSONField(null=True, blank=True)  # the figures as they were at closing

    class Meta:
        ordering = ("-created_at",)
        verbose_name = "LM3 project"

    def __str__(self) -> str:
        return self.name

    @property
    def survey_group(self) -> str:
        """Every survey link of this project carries this group, so closing closes them all."""
        return f"lm3-project:{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def period_text(self) -> str:
        if self.period_start and self.period_end:
            start, end = self.period_start, self.period_end
            return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"
        return ""

    @property
    def area_spec(self) -> dict[str, Any]:
        """The project file's area: {"lad": [...]} or {"radius_km": N, "centre": PC} ({} unset)."""
        if self.area_kind == AreaKind.LAD and self.area_lads:
            return {"lad": list(self.area_lads)}
        if self.area_kind == AreaKind.RADIUS and self.area_radius_km and self.area_centre:
            km = self.area_radius_km.normalize()
            return {"radius_km": int(km) if km == km.to_integral() else float(km),
                    "centre": self.area_centre}
        return {}


class StaffMember(models.Model):
    """One person on the payroll: gross pay excluding employer's tax and National Insurance."""

    project = models.ForeignKey(Lm3Project, on_delete=models.CASCADE, related_name="staff")
    label = models.CharField(max_length=200)
    postcode = models.CharField(max_length=10, blank=True, default="")
    local = models.BooleanField(null=True, blank=True)
    pay = models.DecimalField(**MONEY)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.label


class OtherCost(models.Model):
    """A direct cost that is neither pay nor a surveyed supplier: utilities, rates, finance."""

    project = models.ForeignKey(Lm3Project, on_delete=models.CASCADE, related_name="other_costs")
    label = models.CharField(max_length=200)
    spend = models.DecimalField(**MONEY)
    local = models.BooleanField(default=False)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.label


class Supplier(models.Model):
    project = models.ForeignKey(Lm3Project, on_delete=models.CASCADE, related_name="suppliers")
    name = models.CharField(max_length=300)
    contact = models.CharField(max_length=200, blank=True, default="")
    email = models.CharField(max_length=254, blank=True, default="")
    postcode = models.CharField(max_length=POSTCODE_LENGTH, blank=True, default="")
    local = models.BooleanField(null=True, blank=True)
    spend = models.DecimalField(**MONEY)
    row = models.PositiveIntegerField(null=True, blank=True)  # row in the uploaded file
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    # Its survey links: the survey page reads a link and its supplier in one query; deleting a
    # supplier deletes its links.
    survey_links = GenericRelation("surveys.SurveyLink", content_type_field="target_type",
                                   object_id_field="target_id")

    class Meta:
        ordering = ("pk",)
        indexes = (models.Index(fields=["project", "spend"]),)

    def __str__(self) -> str:
        return self.name


class ResponseSource(models.TextChoices):
    SURVEY = "survey", "Online survey"
    PHONE = "phone", "By phone"
    PAPER = "paper", "On paper"
    FILE = "file", "From an imported file"


class SupplierResponse(models.Model):
    """A supplier's answer: shares of its own costs spent on local staff and local suppliers."""

    supplier = models.OneToOneField(Supplier, on_delete=models.CASCADE, related_name="response")
    local_staff_share = models.DecimalField(**SHARE)
    local_supplier_share = models.DecimalField(**SHARE)
    source = models.CharField(max_length=10, choices=ResponseSource.choices)
    respondent = models.CharField(max_length=200, blank=True, default="")
    note = models.TextField(blank=True, default="")
    received_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"Response from {self.supplier}"

    @property
    def total(self) -> Decimal:
        return self.local_staff_share + self.local_supplier_share


class UploadStatus(models.TextChoices):
    PREVIEW = "preview", "Waiting for you to check"
    IMPORTED = "imported", "Imported"


class UploadKind(models.TextChoices):
    SUPPLIERS = "suppliers", "Suppliers"
    STAFF = "staff", "Staff"


class SupplierUpload(models.Model):
    """A supplier or staff file read into staging rows, shown back before anything is imported.

    Only the first rows with problems are kept as rows; `problem_counts` counts every row's
    problems by field, and `problems_not_kept` the rows with problems that were not kept.
    """

    project = models.ForeignKey(Lm3Project, on_delete=models.CASCADE, related_name="uploads")
    kind = models.CharField(max_length=10, choices=UploadKind.choices,
                            default=UploadKind.SUPPLIERS)
    file_name = models.CharField(max_length=255)
    encoding = models.CharField(max_length=40, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=UploadStatus.choices, default=UploadStatus.PREVIEW
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_left_out = models.PositiveIntegerField(default=0)
    problem_counts = models.JSONField(default=dict, blank=True)  # field -> rows with a problem
    problems_not_kept = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-uploaded_at",)

    def __str__(self) -> str:
        return self.file_name

    @property
    def layout(self) -> Any:
        """What the file holds (`uploads.Layout`): its columns and how a row is checked."""
        from keepitlocal.web.lm3.uploads import LAYOUTS

        return LAYOUTS[self.kind]


class UploadRow(models.Model):
    """One row of an uploaded file, as read, with what is wrong with it (empty: ready)."""

    upload = models.ForeignKey(SupplierUpload, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField()
    name = models.CharField(max_length=300, blank=True, default="")
    contact = models.CharField(max_length=200, blank=True, default="")
    email = models.CharField(max_length=254, blank=True, default="")
    spend = models.CharField(max_length=100, blank=True, default="")
    postcode = models.CharField(max_length=100, blank=True, default="")
    local = models.CharField(max_length=20, blank=True, default="")
    problems = models.JSONField(default=dict, blank=True)  # field -> message
    ok = models.BooleanField(default=True)
    imported = models.BooleanField(default=False)

    class Meta:
        ordering = ("row",)
        indexes = (models.Index(fields=["upload", "ok", "row"]),)

    def __str__(self) -> str:
        return f"row {self.row}"

    @property
    def spend_value(self) -> Decimal | None:
        from keepitlocal.web.lm3.uploads import parse_spend

        try:
            return parse_spend(self.spend)
        except ValueError:
            return None
