"""SurveyLink: what an e-mailed survey link points at, kept as a hash so the database cannot answer.

A link belongs to an organisation, names its purpose (e.g. "lm3-supplier") and a target row of any
model (a supplier, a tenant), and may belong to a group (e.g. "lm3-project:12") so that closing an
exercise closes all of its links in one update.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from keepitlocal.web.accounts.models import OrgOwned


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """43 URL-safe characters: 256 bits, not guessable."""
    return secrets.token_urlsafe(32)


class SurveyLink(OrgOwned):
    purpose = models.CharField(max_length=50)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    group = models.CharField(max_length=100, blank=True, default="")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    closed = models.BooleanField(default=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = (
            models.Index(fields=["target_type", "target_id", "purpose"]),
            models.Index(fields=["group"]),
        )

    def __str__(self) -> str:
        return f"{self.purpose} link for {self.target_type.model} {self.target_id}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
