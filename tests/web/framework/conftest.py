"""Fixtures for impact tracking: an organisation's plan with indicators and values, and clients."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from keepitlocal.web.framework import services


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    """Evidence files go to a temporary folder, never the real data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_plan() -> Any:
    """make_plan(org) -> a plan with an LM3 indicator (two values, one corrected) and a count."""

    def make(org: Any, name: str = "Keeping money local") -> Any:
        plan = services.plan_create(org=org, name=name)
        services.plan_update(
            plan,
            change_sought="More money stays in the valley",
            activities="Buying locally\nProviding workspace",
            area_kind="lad",
            area_lads=["E08000033"],
            characteristics=[1],
        )
        lm3 = services.indicator_from_bank(plan, "C1-K1")
        lm3.baseline, lm3.target = Decimal("2.0"), Decimal("2.5")
        lm3.collection_method, lm3.frequency = "records", "annual"
        services.indicator_save(lm3)
        first = services.measurement_record(
            lm3,
            user=None,
            period="2024-25",
            recorded_by="Asha",
            value=Decimal("2.2"),
            source="LM3 Online",
        )
        services.evidence_add_links(first, ["https://example.org/lm3-2024"], user=None)
        services.measurement_record(
            lm3, user=None, period="2025-26", recorded_by="Asha", value=Decimal("2.35")
        )
        return plan

    return make
