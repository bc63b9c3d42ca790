"""The demo data set behind `keepitlocal serve --demo`.

load_demo() creates a community anchor in Calderdale, its council, and a demo user who is an admin
of the first and an editor of the second, then runs every registered loader. It is idempotent:
running it again changes nothing except the demo user's password, which is new each time so no
password is ever written into the code.

A capability adds its example data from its AppConfig.ready():

    from keepitlocal.web import demo

    @demo.loader
    def lm3_demo(data: demo.DemoData) -> None:
        Project.objects.get_or_create(organisation=data.anchor, name="Jubilee Children's Centre")
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from keepitlocal.web.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

DEMO_EMAIL = "demo@example.org"
ANCHOR_NAME = "Calder Valley Community Trust"
COUNCIL_NAME = "Calderdale Council"
CALDERDALE = "E08000033"


@dataclass(frozen=True)
class DemoData:
    user: User
    password: str
    anchor: Organisation
    council: Organisation


Loader = Callable[[DemoData], None]
_loaders: list[Loader] = []


def loader(function: Loader) -> Loader:
    """Register a function that adds a capability's demo data; it must be idempotent too."""
    if function not in _loaders:
        _loaders.append(function)
    return function


def _organisation(name: str, kind: str) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        name=name, defaults={"kind": kind, "lad_code": CALDERDALE}
    )
    return org


def load_demo() -> DemoData:
    """Create (or find) the demo organisations and user, and run every registered loader."""
    password = secrets.token_urlsafe(9)
    with transaction.atomic():
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_user(email=DEMO_EMAIL, full_name="Demo User")
        user.set_password(password)
        user.save(update_fields=["password"])
        anchor = _organisation(ANCHOR_NAME, OrganisationKind.COMMUNITY)
        council = _organisation(COUNCIL_NAME, OrganisationKind.COUNCIL)
        Organisation.objects.filter(pk=council.pk).update(verified=True)  # stands for the real one
        Membership.objects.get_or_create(
            user=user, organisation=anchor, defaults={"role": Role.ADMIN}
        )
        Membership.objects.get_or_create(
            user=user, organisation=council, defaults={"role": Role.EDITOR}
        )
        data = DemoData(user=user, password=password, anchor=anchor, council=council)
        for function in _loaders:
            function(data)
    return data
