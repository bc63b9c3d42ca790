"""What the shared map component (core/_map.html) draws besides points: district outlines from
the packaged ONS boundaries (reference/geo/), for any page that shows an area."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


@functools.cache
def _boundaries() -> dict[str, Any]:
    text = resources.files("keepitlocal").joinpath("reference/geo/lad_boundaries.geojson")
    collection = json.loads(text.read_text("utf-8"))
    return {f["properties"]["lad25cd"]: f for f in collection["features"]}


def outlines(codes: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The outlines of these districts (current LAD codes) as one GeoJSON FeatureCollection."""
    found = _boundaries()
    return {"type": "FeatureCollection", "features": [found[c] for c in codes if c in found]}
