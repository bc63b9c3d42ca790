"""Small plans built in code for the framework tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from keepitlocal.framework.io import plan_from_dict


def plan_document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "organisation": "Northside Community Association",
        "change_sought": "More local spending and more local people volunteering",
        "activities": ["Buying locally from businesses and other social enterprises"],
        "area": {"name": "Northside ward", "lad": ["E08000033"]},
        "characteristics": [1, 5],
        "indicators": [
            {
                "bank": "C1-K1",
                "key": "lm3",
                "baseline": "2.0",
                "target": "2.5",
                "collection_method": "measured result",
                "frequency": "annual",
            },
            {
                "key": "groups",
                "label": "Residents' groups meeting monthly",
                "characteristic": 5,
                "unit": "count",
                "baseline": "10",
                "target": "6",
                "collection_method": "records",
                "frequency": "quarterly",
            },
        ],
        "measurements": [],
    }
    document.update(changes)
    return document


def measurement(indicator: str, period: str, value: str | Decimal, **more: Any) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "period": period,
        "value": str(value),
        "recorded_by": "Asha",
        **more,
    }


def plan(**changes: Any):  # type: ignore[no-untyped-def]
    return plan_from_dict(plan_document(**changes), source="plan.json")
