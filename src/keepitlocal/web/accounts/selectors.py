"""Reads: an organisation's members, open invitations and the log of changes to its members."""

from __future__ import annotations

from keepitlocal.web.accounts.models import Invite, Membership, MembershipEvent, Organisation, User


def members_of(org: Organisation) -> list[Membership]:
    return list(Membership.objects.for_org(org).select_related("user"))


def member_get(org: Organisation, pk: int) -> Membership:
    """One of the organisation's members; another organisation's is a 404 (core.middleware)."""
    return Membership.objects.for_org(org).select_related("user").get(pk=pk)


def is_member(org: Organisation, email: str) -> bool:
    return Membership.objects.for_org(org).filter(user__email__iexact=email).exists()


def open_invites(org: Organisation) -> list[Invite]:
    """Invitations neither accepted nor expired."""
    return [invite for invite in Invite.objects.for_org(org) if invite.is_open]


def invite_get(org: Organisation, pk: int) -> Invite:
    return Invite.objects.for_org(org).get_or_404(pk=pk)


def has_account(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def membership_of(user: User, org: Organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=org)


def membership_log(org: Organisation, limit: int = 200) -> list[MembershipEvent]:
    """The latest changes to the organisation's members, newest first."""
    return list(MembershipEvent.objects.for_org(org).select_related("invite")[:limit])
