"""Fixtures for LM3 online: a project in each state, and suppliers' survey links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from keepitlocal.web.lm3 import services
from keepitlocal.web.lm3.models import Lm3Project, PayrollMode

CALDERDALE = "E08000033"


@pytest.fixture
def make_project(db: Any) -> Callable[..., Lm3Project]:
    """make_project(org, suppliers=[(name, spend, postcode_or_local, email)...]) -> Lm3Project."""

    def make(org: Any, name: str = "Jubilee Children's Centre contract",
             suppliers: list[tuple[str, str, Any, str]] | None = None) -> Lm3Project:
        project = services.lm3_project_create(
            org=org, user=None, name=name, scope="contract",
            period_start=date(2025, 4, 1), period_end=date(2026, 3, 31),
        )
        services.area_lad_add(project, CALDERDALE)
        services.payroll_set(project, mode=PayrollMode.TOTALS, local_pay=Decimal("60000"),
                             nonlocal_pay=Decimal("20000"))
        services.other_cost_add(project, label="Business rates", spend=Decimal("5000"),
                                local=True)
        for supplier_name, spend, where, email in suppliers if suppliers is not None else [
            ("Halifax Bakery", "12000.00", True, "bakery@example.org"),
            ("Leeds Print Ltd", "8000.00", False, "print@example.org"),
            ("Calder Cleaning CIC", "5000.00", True, "clean@example.org"),
            ("National Energy plc", "20000.00", False, ""),
        ]:
            services.supplier_save(
                project, name=supplier_name, spend=Decimal(spend), email=email,
                local=where if isinstance(where, bool) else None,
                postcode=where if isinstance(where, str) else "",
            )
        return project

    return make


@pytest.fixture
def project(make_project: Callable[..., Lm3Project], org: Any) -> Lm3Project:
    return make_project(org)


@pytest.fixture
def invited(project: Lm3Project, mailoutbox: list[Any]) -> Lm3Project:
    """The project with invitations sent (tasks run at once in the tests)."""
    from django.db import transaction

    with transaction.atomic():
        services.invitations_send(project, base_url="http://testserver")
    return project


def survey_links(mailoutbox: list[Any]) -> dict[str, str]:
    """E-mail address -> the survey path in the e-mail sent to it (last one wins)."""
    links = {}
    for message in mailoutbox:
        for word in message.body.split():
            if "/lm3/survey/" in word:
                links[message.to[0]] = word.replace("http://testserver", "")
    return links
