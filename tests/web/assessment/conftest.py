"""Fixtures for the self-assessment pages: a council with two raters, and another council."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from keepitlocal.framework.principles import statements
from keepitlocal.web.assessment import services
from keepitlocal.web.assessment.models import Assessment, Team


@pytest.fixture
def council(make_org: Any) -> Any:
    return make_org("Calderdale Council", kind="council")


@pytest.fixture
def other_council(make_org: Any) -> Any:
    return make_org("Kirklees Council", kind="council")


@pytest.fixture
def commissioner(make_member: Any, council: Any) -> Any:
    return make_member("commissioner@example.org", council, "admin")


@pytest.fixture
def buyer(make_member: Any, council: Any) -> Any:
    return make_member("buyer@example.org", council, "editor")


@pytest.fixture
def viewer(make_member: Any, council: Any) -> Any:
    return make_member("viewer@example.org", council, "viewer")


@pytest.fixture
def outsider(make_member: Any, other_council: Any) -> Any:
    return make_member("outsider@example.org", other_council, "admin")


def answers(level: int | None, owner: str = "") -> list[tuple[str, int | None, str, str]]:
    return [(s.id, level, "", owner) for s in statements()]


@pytest.fixture
def make_assessment() -> Any:
    """make_assessment(org, on, {user: level}) -> Assessment, each user submitted at `level`."""

    def make(org: Any, on: date = date(2025, 3, 3), raters: dict[Any, int] | None = None) -> Any:
        item = Assessment.objects.create(organisation=org, title=f"Assessment {on.year}",
                                         assessed_on=on)
        for user, level in (raters or {}).items():
            services.save_ratings(item, user, Team.COMMISSIONING, answers(level), submit=True)
        return item

    return make
