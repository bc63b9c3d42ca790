"""Signing up and in, organisations, members and invitations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from keepitlocal.web.accounts import selectors, services
from keepitlocal.web.accounts.access import (
    SESSION_KEY,
    forget_memberships,
    memberships,
    org_required,
    switch_org,
)
from keepitlocal.web.accounts.forms import (
    AcceptInviteForm,
    InviteForm,
    MembershipForm,
    OrganisationForm,
    SignupForm,
    SignupPasswordForm,
    SwitchOrganisationForm,
)
from keepitlocal.web.accounts.models import Membership, Role
from keepitlocal.web.accounts.tasks import send_invite_email, send_signup_email
from keepitlocal.web.core.http import OrgRequest, posted

BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # The same page for a new address and one with an account; only the e-mail differs.
        if services.signup_mail_allowed(email, request.META.get("REMOTE_ADDR", "")):
            confirm_url = "" if selectors.has_account(email) else request.build_absolute_uri(
                reverse("accounts:signup_confirm",
                        kwargs={"token": services.signup_token(form.cleaned_data)}))
            send_signup_email.enqueue(
                email, confirm_url, request.build_absolute_uri(reverse("accounts:login")),
                request.build_absolute_uri(reverse("accounts:password_reset")))
        return render(request, "accounts/signup_sent.html",
                      {"email": email, "hours": settings.KEEPITLOCAL_SIGNUP_HOURS})
    return render(request, "accounts/signup.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    details = services.signup_details(token)
    if details is None:
        return render(request, "accounts/signup_invalid.html", {"used": False}, status=404)
    if selectors.has_account(details["email"]):
        return render(request, "accounts/signup_invalid.html", {"used": True}, status=410)
    form = SignupPasswordForm(posted(request), email=details["email"],
                              full_name=details["full_name"])
    if request.method == "POST" and form.is_valid():
        try:
            user, org = services.user_signup(
                email=details["email"], password=form.cleaned_data["password1"],
                full_name=details["full_name"], organisation_name=details["organisation_name"],
                kind=details["organisation_kind"], lad_code=details["lad_code"],
            )
        except IntegrityError:  # the same link sent twice at once: the other one made it
            return render(request, "accounts/signup_invalid.html", {"used": True}, status=410)
        if request.user.is_authenticated:
            logout(request)
        login(request, user, backend=BACKEND)
        switch_org(request, org.pk)
        messages.success(request, f"Your account and {org} are set up.")
        return redirect("core:home")
    return render(request, "accounts/signup_confirm.html", {"form": form, "details": details})


@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {"memberships": memberships(request)})


@require_http_methods(["GET", "POST"])
def org_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        org = services.organisation_create(
            name=form.cleaned_data["name"], kind=form.cleaned_data["kind"],
            lad_code=form.cleaned_data["lad_code"],
            admin=request.user,  # type: ignore[arg-type]  # signed in: no anonymous user gets here
        )
        switch_org(request, org.pk)
        messages.success(request, f"{org} is set up, and you are its admin.")
        return redirect("core:home")
    return render(request, "accounts/org_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
def org_switch(request: HttpRequest) -> HttpResponse:
    mine = memberships(request)
    if not mine:
        return redirect("accounts:org_create")
    choices = [(m.organisation_id, f"{m.organisation} ({m.get_role_display()})") for m in mine]
    current = request.session.get(SESSION_KEY)
    form = SwitchOrganisationForm(posted(request), choices=choices,
                                  initial={"organisation": current})
    if request.method == "POST" and form.is_valid():
        membership = switch_org(request, form.cleaned_data["organisation"])
        messages.success(request, f"You are now working in {membership.organisation}.")
        return redirect("core:home")
    return render(request, "accounts/org_switch.html", {"form": form})


@org_required(role=Role.VIEWER, write_role=Role.ADMIN)
@require_http_methods(["GET"])
def members(request: OrgRequest) -> HttpResponse:
    org = request.org
    return render(request, "accounts/members.html", {
        "members": selectors.members_of(org),
        "invites": selectors.open_invites(org),
        "log": selectors.membership_log(org) if request.membership.is_admin else [],
    })


@org_required(role=Role.ADMIN)
@require_http_methods(["GET", "POST"])
def invite_create(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if selectors.is_member(org, email):
            form.add_error("email", f"{email} is already a member of {org}.")
        else:
            invite, token = services.invite_create(
                org=org, email=email, role=form.cleaned_data["role"],
                invited_by=request.user,
            )
            accept_url = request.build_absolute_uri(
                reverse("accounts:invite_accept", kwargs={"token": token})
            )
            send_invite_email.enqueue(invite.pk, accept_url)
            messages.success(request, f"We have sent an invitation to {email}.")
            return redirect("accounts:members")
    return render(request, "accounts/invite_create.html", {"form": form})


@org_required(role=Role.ADMIN)
@require_http_methods(["GET", "POST"])
def invite_cancel(request: OrgRequest, pk: int) -> HttpResponse:
    invite = selectors.invite_get(request.org, pk)
    if request.method == "POST":
        services.invite_cancel(invite)
        messages.success(request, f"The invitation to {invite.email} is cancelled.")
        return redirect("accounts:members")
    return render(request, "accounts/invite_cancel.html", {"invite": invite})


@org_required(role=Role.ADMIN)
@require_http_methods(["GET", "POST"])
def member_edit(request: OrgRequest, pk: int) -> HttpResponse:
    membership = selectors.member_get(request.org, pk)
    form = MembershipForm(posted(request), initial={"role": membership.role})
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                services.membership_remove(membership=membership, by=request.user)
                messages.success(request, f"{membership.user} is no longer a member.")
                return redirect("accounts:members")
            if form.is_valid():
                services.membership_set_role(membership=membership, role=form.cleaned_data["role"],
                                             by=request.user)
                role = membership.get_role_display().lower()
                messages.success(request, f"{membership.user} is now {role}.")
                return redirect("accounts:members")
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "accounts/member_edit.html", {"form": form, "member": membership})


@login_not_required
@require_http_methods(["GET", "POST"])
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    invite = services.invite_find(token)
    if invite is None:
        return render(request, "accounts/invite_invalid.html", {"reason": "invalid"}, status=404)
    if invite.accepted_at is not None or invite.is_expired:
        reason = "used" if invite.accepted_at is not None else "expired"
        return render(request, "accounts/invite_invalid.html",
                      {"reason": reason, "invite": invite}, status=410)

    if request.user.is_authenticated:
        if not services.invite_is_for(invite, request.user):
            return render(request, "accounts/invite_wrong_user.html", {"invite": invite},
                          status=403)
        if request.method == "POST":
            membership = services.invite_accept(invite=invite, user=request.user)
            return _joined(request, membership)
        return render(request, "accounts/invite_join.html", {"invite": invite})

    if selectors.has_account(invite.email):
        login_url = reverse("accounts:login") + "?" + urlencode({"next": request.path})
        return render(request, "accounts/invite_sign_in.html",
                      {"invite": invite, "login_url": login_url})

    form = AcceptInviteForm(posted(request), email=invite.email)
    if request.method == "POST" and form.is_valid():
        user = services.invite_accept_new_user(
            invite=invite, full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend=BACKEND)
        membership = selectors.membership_of(user, invite.organisation)
        return _joined(request, membership)
    return render(request, "accounts/invite_accept.html", {"invite": invite, "form": form})


def _joined(request: HttpRequest, membership: Membership) -> HttpResponse:
    forget_memberships(request)
    switch_org(request, membership.organisation_id)
    messages.success(
        request,
        f"You have joined {membership.organisation} as {Role.with_article(membership.role)}.",
    )
    return redirect("core:home")
