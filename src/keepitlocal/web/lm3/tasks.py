"""Survey e-mails, sent in the background in batches: one task per EMAIL_BATCH suppliers.

Each task issues the batch's survey links (in bulk) and sends its e-mails over one connection,
so 140,000 invitations make a few hundred task rows, not 140,000.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from keepitlocal.web.lm3.models import SURVEY_PURPOSE, Lm3Project, Supplier
from keepitlocal.web.lm3.selectors import area_words
from keepitlocal.web.surveys.services import (
    link_days,
    link_email,
    link_emails_send,
    links_issue_many,
)


@task()
def send_survey_emails(project_id: int, supplier_ids: list[int], base_url: str, kind: str) -> int:
    """E-mail each supplier (still without an answer) a fresh survey link; returns how many."""
    project = Lm3Project.objects.select_related("organisation").get(pk=project_id)
    if project.is_closed:
        return 0
    suppliers = list(
        Supplier.objects.filter(project=project, pk__in=supplier_ids, response__isnull=True)
        .exclude(email="")
    )
    issued = links_issue_many(
        suppliers, SURVEY_PURPOSE, project.organisation, group=project.survey_group
    )
    words = area_words(project)
    reminder = kind == "reminder"
    subject = (
        f"Reminder: {project.organisation} asks how much of your spending stays local"
        if reminder
        else f"{project.organisation} asks how much of your spending stays local"
    )
    messages = []
    expires = timezone.now() + timedelta(days=link_days())
    for supplier, token in issued:
        url = base_url.rstrip("/") + reverse("lm3:survey", kwargs={"token": token})
        messages.append(link_email(
            to=supplier.email, subject=subject, template="lm3/email/survey.txt",
            context={"project": project, "supplier": supplier, "url": url, "area": words,
                     "reminder": reminder, "expires": expires},
            organisation=project.organisation,
        ))
    sent = link_emails_send(messages)
    now = timezone.now()
    ids = [s.pk for s, _ in issued]
    if reminder:
        Supplier.objects.filter(pk__in=ids).update(reminded_at=now, reminders=F("reminders") + 1)
    else:
        Supplier.objects.filter(pk__in=ids, invited_at__isnull=True).update(invited_at=now)
    return sent
