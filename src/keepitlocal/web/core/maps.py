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


def outlines(codes: list[str] | tuple[str, ...],
             shading: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The outlines of these districts (current LAD codes) as one GeoJSON FeatureCollection.

    `shading` gives a district's extra feature properties for a choropleth: `fill` (a colour)
    and `council` (drawn with a heavier edge), which core/map.js reads."""
    found = _boundaries()
    features = []
    for code in codes:
        if code in found:
            feature = found[code]
            extra = (shading or {}).get(code)
            if extra:
                feature = {**feature, "properties": {**feature["properties"], **extra}}
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}
