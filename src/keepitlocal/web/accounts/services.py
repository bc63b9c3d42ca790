"""Writes: signing up, organisations, invitations and memberships."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keepitlocal.web.accounts.models import (
    Invite,
    Membership,
    Organisation,
    Role,
    User,
    hash_token,
)


def organisation_create(*, name: str, kind: str, admin: User, lad_code: str = "") -> Organisation:
    """A new organisation with `admin` as its first admin."""
    with transaction.atomic():
        org = Organisation.objects.create(name=name, kind=kind, lad_code=lad_code)
        Membership.objects.create(user=admin, organisation=org, role=Role.ADMIN)
    return org


def user_signup(
    *, email: str, password: str, full_name: str, organisation_name: str, kind: str,
    lad_code: str = "",
) -> tuple[User, Organisation]:
    """A new user and their organisation, of which they are the admin."""
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
        org = organisation_create(name=organisation_name, kind=kind, admin=user, lad_code=lad_code)
    return user, org


def invite_create(
    *, org: Organisation, email: str, role: str, invited_by: User
) -> tuple[Invite, str]:
    """A new invitation and its secret token (shown once, in the e-mailed link)."""
    token = Invite.new_token()
    invite = Invite(
        organisation=org,
        email=email.lower(),
        role=Role(role),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.KEEPITLOCAL_INVITE_DAYS),
    )
    invite.set_token(token)
    invite.save()
    return invite, token


def invite_find(token: str) -> Invite | None:
    """The invitation a link's token belongs to, accepted or expired or not; None if no match."""
    if not token or len(token) > 100:
        return None
    return (
        Invite.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def invite_accept(*, invite: Invite, user: User) -> Membership:
    """Join the invitation's organisation; an existing membership keeps the higher role."""
    if not invite.is_open:
        raise ValidationError("This invitation can no longer be used.")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=invite.organisation, defaults={"role": invite.role}
        )
        if not created and Role.rank(invite.role) > Role.rank(membership.role):
            membership.role = invite.role
            membership.save(update_fields=["role"])
        invite.accepted_at = timezone.now()
        invite.accepted_by = user
        invite.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def invite_accept_new_user(*, invite: Invite, full_name: str, password: str) -> User:
    """Create the invitee's account with the invited e-mail address, and join."""
    with transaction.atomic():
        user = User.objects.create_user(email=invite.email, password=password, full_name=full_name)
        invite_accept(invite=invite, user=user)
    return user


LAST_ADMIN = "An organisation needs at least one admin. Make someone else an admin first."


def _other_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(organisation_id=membership.organisation_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


def membership_set_role(*, membership: Membership, role: str) -> Membership:
    if membership.role == Role.ADMIN and role != Role.ADMIN and not _other_admins(membership):
        raise ValidationError(LAST_ADMIN)
    membership.role = Role(role)
    membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.ADMIN and not _other_admins(membership):
        raise ValidationError(LAST_ADMIN)
    membership.delete()
