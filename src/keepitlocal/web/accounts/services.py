"""Writes: signing up, organisations, invitations and memberships."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keepitlocal.web.accounts.models import (
    Invite,
    Membership,
    MembershipChange,
    MembershipEvent,
    Organisation,
    Role,
    User,
    hash_token,
)


class WrongAddress(ValidationError):
    """The invitation was sent to another address than the signed-in user's."""


def _log(membership: Membership, change: str, *, before: str = "", by: User | None = None,
         invite: Invite | None = None) -> None:
    MembershipEvent.objects.create(
        organisation_id=membership.organisation_id, change=change, email=membership.user.email,
        role_before=before, role_after="" if change == MembershipChange.REMOVED
        else membership.role, by_email=by.email if by else "", invite=invite,
        invited_by_email=invite.invited_by.email if invite and invite.invited_by else "",
    )


def organisation_create(*, name: str, kind: str, admin: User, lad_code: str = "") -> Organisation:
    """A new organisation with `admin` as its first admin; never a verified council (only staff
    verify one)."""
    with transaction.atomic():
        org = Organisation.objects.create(name=name, kind=kind, lad_code=lad_code)
        membership = Membership.objects.create(user=admin, organisation=org, role=Role.ADMIN)
        _log(membership, MembershipChange.CREATED, by=admin)
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


SIGNUP_SALT = "keepitlocal.accounts.signup"  # a sign-up link is good for nothing else
SIGNUP_FIELDS = ("email", "full_name", "organisation_name", "organisation_kind", "lad_code")


def signup_token(details: dict[str, str]) -> str:
    """A signed, timestamped link token carrying the sign-up details: nothing is stored until the
    address's owner opens it, so an unconfirmed sign-up never blocks or squats an address."""
    return signing.dumps({key: details.get(key, "") for key in SIGNUP_FIELDS}, salt=SIGNUP_SALT,
                         compress=True)


def signup_details(token: str) -> dict[str, str] | None:
    """The details a sign-up link carries, or None if it is forged, altered or expired. It works
    once: after it the address has an account (the caller checks)."""
    if not token or len(token) > 2000:
        return None
    try:
        details = signing.loads(token, salt=SIGNUP_SALT,
                                max_age=settings.KEEPITLOCAL_SIGNUP_HOURS * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(details, dict) or set(details) != set(SIGNUP_FIELDS):
        return None
    return {key: str(value) for key, value in details.items()}


def signup_mail_allowed(email: str, ip: str) -> bool:
    """At most KEEPITLOCAL_SIGNUP_MAILS_PER_HOUR sign-up e-mails to one address, and ten times
    that from one IP address, so the form cannot be used to flood someone's inbox."""
    limit = settings.KEEPITLOCAL_SIGNUP_MAILS_PER_HOUR
    allowed = True
    for key, most in ((f"signup-mail:to:{hash_token(email)}", limit),
                      (f"signup-mail:ip:{hash_token(ip)}", limit * 10)):
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)
            count = 1
        allowed = allowed and count <= most
    return allowed


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


def invite_is_for(invite: Invite, user: User) -> bool:
    return user.email.strip().lower() == invite.email.strip().lower()


def invite_accept(*, invite: Invite, user: User) -> Membership:
    """Join the invitation's organisation; an existing membership keeps the higher role.

    Only the person the invitation was sent to can accept it: holding the link is not enough.
    """
    if not invite.is_open:
        raise ValidationError("This invitation can no longer be used.")
    if not invite_is_for(invite, user):
        raise WrongAddress(f"This invitation was sent to {invite.email}, not to {user.email}.")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=invite.organisation, defaults={"role": invite.role}
        )
        if created:
            _log(membership, MembershipChange.JOINED, invite=invite)
        elif Role.rank(invite.role) > Role.rank(membership.role):
            before = membership.role
            membership.role = invite.role
            membership.save(update_fields=["role"])
            _log(membership, MembershipChange.ROLE, before=before, invite=invite)
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


def membership_set_role(
    *, membership: Membership, role: str, by: User | None = None
) -> Membership:
    if membership.role == Role.ADMIN and role != Role.ADMIN and not _other_admins(membership):
        raise ValidationError(LAST_ADMIN)
    before = membership.role
    if before == role:
        return membership
    with transaction.atomic():
        membership.role = Role(role)
        membership.save(update_fields=["role"])
        _log(membership, MembershipChange.ROLE, before=before, by=by)
    return membership


def membership_remove(*, membership: Membership, by: User | None = None) -> None:
    if membership.role == Role.ADMIN and not _other_admins(membership):
        raise ValidationError(LAST_ADMIN)
    with transaction.atomic():
        _log(membership, MembershipChange.REMOVED, before=membership.role, by=by)
        membership.delete()


def invite_cancel(invite: Invite) -> None:
    invite.delete()
