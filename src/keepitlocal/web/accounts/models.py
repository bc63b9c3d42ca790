"""People, the organisations they work for, and their role in each.

A user signs in with an e-mail address and may belong to several organisations (a council officer
who also sits on a community anchor's board). Everything a capability stores belongs to one
organisation (OrgOwned, below), and a user sees only what belongs to their current one.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import RegexValidator
from django.db import models
from django.http import Http404
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who signs in with their e-mail address."""

    username = None  # type: ignore[assignment]  # no user name: the e-mail address signs in
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField("full name", max_length=150, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[assignment, misc]  # by e-mail, not AbstractUser's username

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council"
    COMMUNITY = "community", "Community organisation"


class Organisation(models.Model):
    """A council or a community organisation (for example a community anchor)."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    lad_code = models.CharField(
        "local authority code",
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^[ENSW]\d{8}$", "Enter a code like E08000033")],
        help_text="The ONS code of the council area, for example E08000033 for Calderdale.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    verified = models.BooleanField(
        default=False,
        help_text="Checked by staff to be the real council: only a verified council is offered "
        "to others to share with. Signing up never sets it.",
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


# --- what belongs to an organisation -------------------------------------------------------
# Views never fetch such an object by primary key alone; they go through the current
# organisation, so a URL naming another organisation's object is a 404 rather than a leak:
#
#     project = Project.objects.for_org(request.org).get(pk=pk)
#     # .get() raising Project.DoesNotExist in a view becomes a 404 (core.middleware); or say so:
#     project = Project.objects.for_org(request.org).get_or_404(pk=pk)

M = TypeVar("M", bound=models.Model)


class OrgQuerySet(models.QuerySet[M]):
    def for_org(self, org: Organisation | None) -> OrgQuerySet[M]:
        """Only the rows of this organisation (none at all when there is no organisation)."""
        if org is None:
            return self.none()
        return self.filter(organisation=org)

    def get_or_404(self, **lookup: Any) -> M:
        try:
            return self.get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise Http404(f"No {self.model._meta.verbose_name} matches the given query.") from None


class OrgOwned(models.Model):
    """Abstract: a row that belongs to one organisation and is deleted with it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    objects = OrgQuerySet.as_manager()

    class Meta:
        abstract = True


class Role(models.TextChoices):
    """What a member may do: admins also manage members; editors change data; viewers read."""

    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"

    @classmethod
    def rank(cls, role: str) -> int:
        return {cls.VIEWER: 1, cls.EDITOR: 2, cls.ADMIN: 3}[cls(role)]

    @classmethod
    def with_article(cls, role: str) -> str:
        """ "a viewer", "an editor", "an admin": for sentences."""
        return f"{'a' if cls(role) == cls.VIEWER else 'an'} {cls(role).value}"


class Membership(OrgOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("organisation__name", "user__email")
        constraints = (
            models.UniqueConstraint(fields=("user", "organisation"), name="one_membership_per_org"),
        )

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.organisation}"

    def has_role(self, role: str) -> bool:
        return Role.rank(self.role) >= Role.rank(role)

    @property
    def can_edit(self) -> bool:
        return self.has_role(Role.EDITOR)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invite(OrgOwned):
    """An invitation by e-mail to join an organisation.

    Only a hash of the token is stored, so a copy of the database cannot be used to join.
    """

    email = models.EmailField("e-mail address")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Invite for {self.email} to {self.organisation}"

    @property
    def role_phrase(self) -> str:
        return Role.with_article(self.role)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    def set_token(self, token: str) -> None:
        self.token_hash = hash_token(token)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and not self.is_expired


class MembershipChange(models.TextChoices):
    CREATED = "created", "created the organisation"
    JOINED = "joined", "joined"
    ROLE = "role", "role changed"
    REMOVED = "removed", "removed"


class MembershipEvent(OrgOwned):
    """One change to who belongs to an organisation: kept so an admin can see who joined, how,
    and who changed or removed whom. E-mail addresses are copied so the record outlives users."""

    change = models.CharField(max_length=10, choices=MembershipChange.choices)
    email = models.EmailField("member's e-mail address")
    role_before = models.CharField(max_length=10, choices=Role.choices, blank=True)
    role_after = models.CharField(max_length=10, choices=Role.choices, blank=True)
    by_email = models.EmailField("changed by", blank=True)
    invite = models.ForeignKey(Invite, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    invited_by_email = models.EmailField("invited by", blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.email} {self.get_change_display()} ({self.at:%Y-%m-%d %H:%M})"
