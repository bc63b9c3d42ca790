"""Fixtures for the Enabled contribution pages: an anchor with a year of tenants, and a council."""

from __future__ import annotations

from typing import Any

import pytest

from keepitlocal.enabled import read_demo
from keepitlocal.web.enabled import services
from keepitlocal.web.enabled.models import EnabledProject


@pytest.fixture
def anchor_org(make_org: Any) -> Any:
    return make_org("Northgate Community Hub")


@pytest.fixture
def council(make_org: Any) -> Any:
    council = make_org("Calderdale Council", kind="council")
    council.verified = True  # checked by staff: offered to anchors to share with
    council.save()
    return council


@pytest.fixture
def editor(make_member: Any, anchor_org: Any) -> Any:
    return make_member("editor@example.org", anchor_org, "editor")


@pytest.fixture
def anchor_admin(make_member: Any, anchor_org: Any) -> Any:
    return make_member("anchor-admin@example.org", anchor_org, "admin")


@pytest.fixture
def demo_anchor() -> Any:
    """The engine demo's Calderdale anchor: nine tenants with complete and partial returns."""
    engine = read_demo()
    return next(a for a in engine.anchors if a.local_authority == "Calderdale"), engine


@pytest.fixture
def make_project(demo_anchor: Any) -> Any:
    """make_project(org, year) -> EnabledProject holding the demo anchor's tenants."""

    def make(org: Any, year: int = 2025) -> EnabledProject:
        anchor, engine = demo_anchor
        project = services.project_create(org=org, year=year)
        services.import_anchor(project, anchor, engine)
        return project

    return make
