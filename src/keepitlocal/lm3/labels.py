"""Plain labels for what an LM3 result reports, for every place a person reads it (the results
page, the PDF, the CSV and workbook exports); the JSON keeps the keys.

One table, `reference/lm3/labels.csv` (key -> label), holds the labels of result keys
("round1"), of nested keys ("staff.local_pay") and of placements ("placement.unit"); a proxy is
labelled by its parameter's own description in `reference/lm3/parameters.csv`.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources

from keepitlocal.lm3.parameters import PARAMETERS


@functools.cache
def _labels() -> dict[str, str]:
    table = importlib.resources.files("keepitlocal.reference") / "lm3" / "labels.csv"
    rows = csv.DictReader(table.read_text(encoding="utf-8").splitlines())
    return {row["key"]: row["label"] for row in rows}


def label(key: str) -> str:
    """The label for a result key ("round1" -> "Round 1: income spent"), or the key itself."""
    return _labels().get(key, key)


def placement_label(placed_by: str) -> str:
    """How a person or supplier was placed, in words ("unit" -> "Placed by their full
    postcode")."""
    return _labels().get(f"placement.{placed_by}", placed_by)


def proxy_label(name: str) -> str:
    """A proxy's description ("local_staff_respend" -> "Share of their pay that staff living in
    the area spend in the area"), from the parameter registry."""
    parameter = PARAMETERS.get(name)
    return parameter.help.rstrip(".") if parameter is not None else name
