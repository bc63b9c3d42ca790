"""Issuing, resolving, closing and e-mailing survey links.

    from keepitlocal.web.surveys.services import link_issue, link_resolve

    token = link_issue(supplier, "lm3-supplier", org, group=f"lm3-project:{project.pk}")
    url = request.build_absolute_uri(reverse("lm3:survey", args=[token]))
    ...
    link = link_resolve(token, "lm3-supplier")   # Http404, LinkExpired or LinkClosed

The raw token exists only in the e-mail: the database keeps its SHA-256 hash.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import timedelta
from email.utils import parseaddr
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.message import sanitize_address
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from keepitlocal.web.core.prepared import PreparedLookup, Touch
from keepitlocal.web.surveys.models import SurveyLink, hash_token, new_token

DEFAULT_DAYS = 42
MAX_TOKEN_LENGTH = 100
BATCH = 1000

Target = TypeVar("Target", bound=models.Model)


class LinkUnavailable(Exception):
    """A real link that can no longer be answered; `link` says which."""

    reason = "unavailable"

    def __init__(self, link: SurveyLink) -> None:
        super().__init__(f"survey link {link.pk} is {self.reason}")
        self.link = link


class LinkExpired(LinkUnavailable):
    reason = "expired"


class LinkClosed(LinkUnavailable):
    reason = "closed"


def link_days() -> int:
    """How long a new link works: the Django setting, else the environment variable, else 42."""
    value = getattr(settings, "KEEPITLOCAL_SURVEY_LINK_DAYS", None)
    if value is None:
        value = os.environ.get("KEEPITLOCAL_SURVEY_LINK_DAYS") or DEFAULT_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            f'KEEPITLOCAL_SURVEY_LINK_DAYS must be a whole number of days, not "{value}".'
        ) from None
    if days < 1:
        raise ImproperlyConfigured("KEEPITLOCAL_SURVEY_LINK_DAYS must be at least 1.")
    return days


def link_issue(
    target: models.Model, purpose: str, organisation: Any, *, group: str = "",
    days: int | None = None,
) -> str:
    """A new link to `target` for `purpose`; returns the raw token (to e-mail, never to store).

    Earlier links to the same target stay valid until they expire, so a reminder never breaks
    the first e-mail.
    """
    return links_issue_many([target], purpose, organisation, group=group, days=days)[0][1]


def links_issue_many(
    targets: Sequence[Target], purpose: str, organisation: Any, *, group: str = "",
    days: int | None = None,
) -> list[tuple[Target, str]]:
    """One new link per target in a few bulk inserts: (target, raw token) in the given order."""
    if not targets:
        return []
    now = timezone.now()
    expires = now + timedelta(days=link_days() if days is None else days)
    content_type = ContentType.objects.get_for_model(type(targets[0]))
    issued, rows = [], []
    for target in targets:
        token = new_token()
        issued.append((target, token))
        rows.append(SurveyLink(
            organisation=organisation, purpose=purpose, target_type=content_type,
            target_id=target.pk, group=group, token_hash=hash_token(token),
            created_at=now, expires_at=expires,
        ))
    SurveyLink.objects.bulk_create(rows, batch_size=BATCH)
    return issued


def link_find(token: str, purpose: str) -> SurveyLink | None:
    """The link a token belongs to (expired or closed or not); None if unknown or for another
    purpose."""
    token_hash = _token_hash(token)
    return None if token_hash is None else _find_link.first(token_hash=token_hash,
                                                            purpose=purpose)


def _token_hash(token: str) -> str | None:
    """The hash a link is stored under, or None for a token no link can have."""
    return hash_token(token) if token and len(token) <= MAX_TOKEN_LENGTH else None


# Every survey request starts here: its SQL is built once (see web.core.prepared).
_find_link = PreparedLookup(
    lambda token_hash, purpose: SurveyLink.objects.select_related(
        "organisation", "target_type"
    ).filter(token_hash=token_hash, purpose=purpose),
    token_hash=str, purpose=str,
)


def link_resolve(token: str, purpose: str) -> SurveyLink:
    """The open link for `token`: Http404 if unknown, tampered or for another purpose;
    LinkExpired or LinkClosed for a real link that can no longer be answered."""
    return _open(link_find(token, purpose))


def _open(link: SurveyLink | None) -> SurveyLink:
    if link is None:
        raise Http404("No survey matches this link.")
    if link.closed:
        raise LinkClosed(link)
    if link.is_expired:
        raise LinkExpired(link)
    return link


# What a joined lookup reads of the link, beside its target's own columns.
LINK_COLUMNS = ("id", "organisation_id", "target_type_id", "group", "created_at", "expires_at",
                "closed", "last_used_at")


class TargetByToken(Generic[Target]):
    """A survey link and its target in one query, for the busiest survey pages.

        find = TargetByToken(lambda: Supplier.objects.select_related("project"))
        link, supplier = find.resolve(token, "lm3-supplier")   # as link_resolve, plus the target

    The target model has a GenericRelation named `survey_links`; its rows are joined to their
    links (by token hash and purpose, the link's organisation owning the target through
    `owner`) and the link's columns are read in the same row.
    """

    def __init__(self, targets: Callable[[], QuerySet[Target]], owner: str) -> None:
        link_values = {f"link_{name}": F(f"survey_links__{name}") for name in LINK_COLUMNS}
        self._lookup = PreparedLookup(
            lambda token_hash, purpose: targets().filter(
                survey_links__token_hash=token_hash, survey_links__purpose=purpose,
                **{owner: F("survey_links__organisation_id")},
            ).annotate(**link_values),
            token_hash=str, purpose=str,
        )

    def resolve(self, token: str, purpose: str) -> tuple[SurveyLink, Target]:
        """(open link, its target); Http404, LinkExpired or LinkClosed as `link_resolve`."""
        token_hash = _token_hash(token)
        target = None if token_hash is None else self._lookup.first(token_hash=token_hash,
                                                                     purpose=purpose)
        if token_hash is None or target is None:
            raise Http404("No survey matches this link.")
        link = SurveyLink(purpose=purpose, target_id=target.pk, token_hash=token_hash,
                          **{name: getattr(target, f"link_{name}") for name in LINK_COLUMNS})
        link._state.adding, link._state.db = False, DEFAULT_DB_ALIAS
        return _open(link), target


def link_mark_used(link: SurveyLink) -> None:
    SurveyLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())


def link_touch(link: SurveyLink) -> Touch:
    """The link's last use, for a write that records it with the answer (`core.prepared.upsert`)."""
    return Touch(SurveyLink, link.pk, "last_used_at", timezone.now())


def links_close(*, group: str, closed: bool = True) -> int:
    """Close (or reopen) every link of a group; returns how many changed."""
    if not group:
        raise ValueError("links_close needs a group")
    return SurveyLink.objects.filter(group=group).exclude(closed=closed).update(closed=closed)


def organisation_contact(organisation: Any) -> tuple[str, str] | None:
    """(name, e-mail address) of the person to contact about an organisation's survey: its
    longest-standing admin. None if it has no admin with an address."""
    from keepitlocal.web.accounts.models import Membership, Role

    admin = (Membership.objects.filter(organisation=organisation, role=Role.ADMIN)
             .select_related("user").order_by("created_at", "pk").first())
    if admin is None or not admin.user.email:
        return None
    return (admin.user.full_name or admin.user.email, admin.user.email)


def unavailable_context(link: SurveyLink) -> dict[str, Any]:
    """What the closed and expired pages show: the link, and whom to contact instead."""
    return {"link": link, "contact": organisation_contact(link.organisation)}


def link_email(
    *, to: str, subject: str, template: str, context: dict[str, Any], reply_to: str | None = None,
    organisation: Any = None,
) -> EmailMessage:
    """An e-mail with a plain-text body from `template` (the context holds the link URL) and the
    same words as HTML. Sent from `settings.EMAIL_FROM` under the organisation's name, with
    replies going to the organisation's contact (or `reply_to`), so a supplier or tenant who
    answers the e-mail reaches a person."""
    text = render_to_string(template, context)
    sender = settings.EMAIL_FROM
    if organisation is not None:
        _, address = parseaddr(sender)
        sender = sanitize_address((f"{organisation} via keepitlocal", address), "utf-8")
        contact = organisation_contact(organisation)
        reply_to = reply_to or (contact[1] if contact else None)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=sender, to=[to],
        reply_to=[reply_to] if reply_to else None,
    )
    html = render_to_string("surveys/email.html", {"text": text, "subject": subject})
    message.attach_alternative(html, "text/html")
    return message


def link_emails_send(messages: Sequence[EmailMessage]) -> int:
    """Send many messages over one connection (one SMTP session per batch); returns how many."""
    if not messages:
        return 0
    connection = get_connection()
    return connection.send_messages(list(messages)) or 0
