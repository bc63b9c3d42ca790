"""OrgOwned: the base of every model that belongs to one organisation.

Views never fetch such an object by primary key alone; they go through the current organisation,
so a URL naming another organisation's object is a 404 rather than a leak:

    project = Project.objects.for_org(request.org).get(pk=pk)
    # .get() raising Project.DoesNotExist in a view becomes a 404 (core.middleware); or say so:
    project = Project.objects.for_org(request.org).get_or_404(pk=pk)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from keepitlocal.web.accounts.models import Organisation

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

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        abstract = True
