"""Staff pages and the background worker."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from keepitlocal.web.accounts.models import Invite, User


def test_admin_pages_open_for_staff(client, org, admin):
    staff = User.objects.create_superuser(email="staff@example.org", password="x")
    client.force_login(staff)
    for url in (
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_user_change", args=[admin.pk]),
        reverse("admin:accounts_organisation_change", args=[org.pk]),
        reverse("admin:accounts_invite_changelist"),
    ):
        assert client.get(url).status_code == 200, url


def test_admin_refuses_members_who_are_not_staff(client, org, admin):
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_holds_email_until_the_worker_runs(client, org, admin, mailoutbox,
                                                              settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(admin)
    client.post(reverse("accounts:invite_create"), {"email": "new@example.org", "role": "editor"})
    assert Invite.objects.count() == 1
    assert mailoutbox == []
    call_command("db_worker", "--batch", verbosity=0)
    assert [m.to for m in mailoutbox] == [["new@example.org"]]
