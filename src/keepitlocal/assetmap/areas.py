"""Which area an asset map covers: districts, a county (its districts), a combined authority
(its members), or a radius; and the LADs a register's area-of-operation names stand for.

Counties and combined authorities come from the shipped tiers table
(reference/spend/lad_tiers.csv, England), the same one the spend analysis's tiers use.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from keepitlocal.errors import InputError
from keepitlocal.geo.areas import Area
from keepitlocal.geo.names import fold_name, lad_names
from keepitlocal.registers.asset_tables import Box

KM_PER_DEGREE = 111.2  # along a meridian; a box only has to hold the circle


@dataclass(frozen=True)
class AreaChoice:
    """An area and the name it was chosen by ("Devon County Council (E10000008)")."""

    area: Area
    name: str
    spec: dict[str, object]  # how to choose it again: {"council": [...]}, {"combined_authority"}


def _tiers_table() -> list[dict[str, str]]:
    from keepitlocal.spend.io import read_reference_csv

    return read_reference_csv("lad_tiers.csv")


def combined_authorities() -> list[str]:
    """The combined authorities (and the Greater London Authority) the tiers table knows."""
    return sorted({r["combined_authority"] for r in _tiers_table() if r["combined_authority"]})


def counties() -> dict[str, str]:
    """E10 county council code -> name, from the tiers table."""
    return {r["county_code"]: r["county_name"] for r in _tiers_table() if r["county_code"]}


def _county_districts(code: str) -> list[str]:
    return [r["lad_code"] for r in _tiers_table() if r["county_code"] == code]


def from_councils(codes: Iterable[str], where: str = "--council") -> AreaChoice:
    """Districts given by LAD code, a county council's E10 code standing for its districts."""
    wanted = [c.strip().upper() for c in codes if c.strip()]
    named, lads = [], []
    for code in wanted:
        if code.startswith("E10"):
            districts = _county_districts(code)
            if not districts:
                raise InputError.one(f"county council {code} is not in the shipped tiers table",
                                     column=where, hint="give its districts' LAD codes instead")
            lads += districts
            named.append(f"{counties()[code]} ({code}): its {len(districts)} districts")
        else:
            lads.append(code)
    area = Area.from_lads(lads, where=where)
    names = lad_names()
    named += [f"{names[c]} ({c})" for c in wanted if not c.startswith("E10") and c in names]
    return AreaChoice(area, "; ".join(named), {"council": wanted})


def from_combined_authority(name: str, where: str = "--combined-authority") -> AreaChoice:
    known = {fold_name(n): n for n in combined_authorities()}
    folded = fold_name(name)
    found = known.get(folded) or next(
        (full for short, full in known.items() if folded and folded in short), None)
    if found is None:
        raise InputError.one(f"{name!r} is not a combined authority the product knows",
                             column=where, hint="known: " + "; ".join(known.values()))
    lads = [r["lad_code"] for r in _tiers_table() if r["combined_authority"] == found]
    area = Area.from_lads(lads, where=where)
    return AreaChoice(area, f"{found}: its {len(lads)} member districts",
                      {"combined_authority": found})


def from_radius(centre: str, km: float, where: str = "--centre") -> AreaChoice:
    area = Area.radius(centre, km, where=where)
    return AreaChoice(area, area.describe(), {"radius_km": km, "centre": area.centre})


def choose(*, council: Sequence[str] = (), combined_authority: str | None = None,
           radius_km: float | None = None, centre: str | None = None) -> AreaChoice:
    """Exactly one way of naming the area, or an error saying which ways there are."""
    ways = sum([bool(council), combined_authority is not None,
                radius_km is not None or centre is not None])
    if ways != 1:
        raise InputError.one(
            "say which area, one way: --council CODE (LAD codes, or a county council's E10 "
            "code), --combined-authority NAME, or --radius-km N --centre POSTCODE",
            hint="find codes with `keepitlocal geo lads NAME`")
    if combined_authority is not None:
        return from_combined_authority(combined_authority)
    if radius_km is not None or centre is not None:
        if radius_km is None or centre is None:
            raise InputError.one("--radius-km and --centre go together")
        return from_radius(centre, radius_km)
    return from_councils([c for value in council for c in value.split(",")])


def from_spec(spec: dict[str, object], fallback_council: str) -> AreaChoice:
    """The area a stored spec names (as `AreaChoice.spec` writes it); the council otherwise."""
    if spec.get("combined_authority"):
        return from_combined_authority(str(spec["combined_authority"]), "area")
    if spec.get("centre") and spec.get("radius_km") is not None:
        return from_radius(str(spec["centre"]), float(str(spec["radius_km"])), "area")
    codes = spec.get("council")
    if isinstance(codes, list) and codes:
        return from_councils([str(c) for c in codes], "area")
    return from_councils([fallback_council], "area")


# ---- the register's names for areas ------------------------------------------------------


def lad_by_name() -> dict[str, str]:
    return {fold_name(name): code for code, name in lad_names().items()}


def lad_of_area_name(text: str, names: dict[str, str] | None = None) -> str | None:
    """A register's local-authority area of operation as a LAD code ("Calderdale" -> ...)."""
    names = names if names is not None else lad_by_name()
    folded = fold_name(text)
    if folded in names:
        return names[folded]
    for suffix in (" city", " city council", " council", " district", " borough"):
        if folded.endswith(suffix) and folded.removesuffix(suffix) in names:
            return names[folded.removesuffix(suffix)]
    swapped = folded.replace("city of ", "") if folded.startswith("city of ") else None
    if swapped and swapped in names:
        return names[swapped]
    return None


def operation_lads(area: Area) -> set[str]:
    """The districts an organisation must say it works in to count in the operation view: the
    area's, or for a radius the centre's district."""
    if area.kind == "radius" and area.centre:
        from keepitlocal.geo.store import default_store

        centre = default_store().lookup(area.centre)
        return {centre.lad} if centre.lad else set()
    return set(area.lads)


def bounding_box(area: Area) -> Box | None:
    """A box holding a radius area (None for districts, which are read by LAD)."""
    if area.kind != "radius" or area.km is None:
        return None
    dlat = area.km / KM_PER_DEGREE
    dlon = area.km / (KM_PER_DEGREE * max(math.cos(math.radians(area.centre_lat)), 0.01))
    return Box(area.centre_lat - dlat, area.centre_lon - dlon, area.centre_lat + dlat,
               area.centre_lon + dlon)
