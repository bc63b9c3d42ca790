"""Background work: e-mails go through django-tasks so a slow mail server never slows a page.

With the database backend they wait for `keepitlocal manage db_worker`; the embedded server
and the tests run them at once.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from keepitlocal.web.accounts.models import Invite


@task()
def send_invite_email(invite_id: int, accept_url: str) -> None:
    invite = Invite.objects.select_related("organisation", "invited_by").get(pk=invite_id)
    context = {"invite": invite, "accept_url": accept_url}
    send_mail(
        subject=f"You are invited to join {invite.organisation} on keepitlocal",
        message=render_to_string("accounts/email/invite.txt", context),
        from_email=None,
        recipient_list=[invite.email],
    )


@task()
def send_signup_email(email: str, confirm_url: str, login_url: str, reset_url: str) -> None:
    """The sign-up link to a new address; to one with an account, a reminder to sign in (no
    second account, and the sign-up page never tells which it was)."""
    context = {"confirm_url": confirm_url, "login_url": login_url, "reset_url": reset_url}
    if confirm_url:
        subject, template = "Finish setting up keepitlocal", "accounts/email/signup.txt"
    else:
        subject = "You already have a keepitlocal account"
        template = "accounts/email/signup_exists.txt"
    send_mail(subject=subject, message=render_to_string(template, context), from_email=None,
              recipient_list=[email])
