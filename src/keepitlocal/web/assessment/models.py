"""What a council stores for its self-assessments and its Keep it Local Network membership.

An Assessment has Raters (colleagues rating independently, each from a team) with one Rating per
statement they answered, and Actions (the plan, made from the gaps and then edited by hand).
NetworkStatus and Champions record the membership commitments; ComparisonOptIn says the council
lets its latest results count in the anonymised comparison across councils.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from keepitlocal.framework.assessment import CABINET, DEFAULT_TARGET, SENIOR_LEADERSHIP
from keepitlocal.framework.principles import maturity_scale
from keepitlocal.web.accounts.models import OrgOwned

LEVEL_CHOICES = [(m.level, f"{m.level} {m.name}") for m in maturity_scale()]


class Team(models.TextChoices):
    """Where a rater works: the mix 004 lines 805-836 recommends for a working group."""

    COMMISSIONING = "commissioning", "Commissioning"
    PROCUREMENT = "procurement", "Procurement"
    COMMUNITY = "community", "Community development"
    SERVICE = "service", "Service lead"
    LEADERSHIP = "leadership", "Senior leadership"
    MEMBER = "member", "Elected member"
    OTHER = "other", "Another team"


class Assessment(OrgOwned):
    title = models.CharField(max_length=200)
    assessed_on = models.DateField("date of the assessment")
    target_level = models.PositiveSmallIntegerField(
        "target level", choices=LEVEL_CHOICES, default=DEFAULT_TARGET,
        help_text="Statements rated below this level are gaps in the action plan.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-assessed_on", "-pk")

    def __str__(self) -> str:
        return self.title


class Rater(OrgOwned):
    """One colleague's independent answers; they see others' only after submitting their own."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="raters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(max_length=150)
    team = models.CharField(max_length=20, choices=Team.choices)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("name", "pk")
        constraints = (
            models.UniqueConstraint(fields=("assessment", "user"), name="one_rater_per_user"),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.get_team_display()})"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class Rating(OrgOwned):
    rater = models.ForeignKey(Rater, on_delete=models.CASCADE, related_name="ratings")
    statement = models.CharField(max_length=10)
    level = models.PositiveSmallIntegerField(null=True, blank=True)  # None: "don't know"
    evidence = models.TextField(max_length=2000, blank=True)
    owner = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ("statement",)
        constraints = (
            models.UniqueConstraint(fields=("rater", "statement"), name="one_rating_per_statement"),
        )


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    STARTED = "started", "In progress"
    DONE = "done", "Done"


class Action(OrgOwned):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    statement = models.CharField(max_length=10, blank=True)
    text = models.TextField("action", max_length=2000)
    owner = models.CharField(max_length=150, blank=True)
    due = models.DateField("due by", null=True, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    generated = models.BooleanField(default=False)

    class Meta:
        ordering = ("due", "pk")

    def __str__(self) -> str:
        return self.text[:80]


class Conversation(models.TextChoices):
    NONE = "none", "Not yet planned"
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"


class NetworkStatus(OrgOwned):
    """The council's progress on the network membership commitments (000 lines 60, 90, 290)."""

    endorsed_on = models.DateField("principles endorsed on", null=True, blank=True)
    conversation = models.CharField(
        "community conversation", max_length=10, choices=Conversation.choices,
        default=Conversation.NONE,
    )
    conversation_on = models.DateField("date held or planned", null=True, blank=True)
    working_with_locality = models.BooleanField(
        "working with Locality to assess and improve current practice", default=False)
    internal_processes = models.BooleanField(
        "going through internal processes to finalise membership", default=False)
    notes = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("organisation",), name="one_network_status_per_org"),
        )


class ChampionLevel(models.TextChoices):
    CABINET = CABINET, "Cabinet"
    SENIOR = SENIOR_LEADERSHIP, "Senior leadership team"
    OFFICER = "officer", "Officer champion"


class Champion(OrgOwned):
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150)
    level = models.CharField(max_length=20, choices=ChampionLevel.choices)
    appointed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("level", "name")

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"


class ComparisonOptIn(OrgOwned):
    """The council's latest assessment counts in the anonymised comparison across councils."""

    opted_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    opted_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("organisation",), name="one_comparison_opt_in"),
        )
