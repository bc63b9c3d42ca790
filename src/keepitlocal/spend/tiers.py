"""Concentric tiers: the council area, the wider county or combined authority, the region, the UK.

Seed 004 (lines 2697-2706) asks for spend in rings around the council. Each ring is a set of LADs
or a radius around a postcode; a supplier belongs to the first ring that contains it, so shares add
up and the cumulative share of ring n is "spent within ring n". Presets come from the shipped table
`reference/spend/lad_tiers.csv` (England); `--tiers FILE` replaces them for any council.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from keepitlocal.errors import InputError, Problem
from keepitlocal.geo import Area, Location, lad_name, lad_names
from keepitlocal.spend import io
from keepitlocal.spend.model import OUTSIDE_UK, UNKNOWN

# ONS pseudo-codes for the Crown Dependencies: postcodes there are not in the UK.
NOT_UK_LADS = {"L99999999", "M99999999"}
UK_COUNTRY_NAMES = {"", "uk", "u k", "united kingdom", "gb", "great britain", "britain", "england",
                    "wales", "scotland", "northern ireland", "england and wales", "england wales",
                    "cymru", "united kingdom uk", "gbr", "gb-eng", "gb-wls", "gb-sct", "gb-nir"}
_NATIONS = {"W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


@dataclass(frozen=True)
class Tier:
    number: int
    name: str
    area: Area | None  # None: anywhere in the UK

    def contains(self, location: Location | None) -> bool:
        if location is None or location.lad is None or location.lad in NOT_UK_LADS:
            return False
        return True if self.area is None else self.area.contains(location)

    def describe(self) -> str:
        if self.area is None:
            return "anywhere in the UK"
        if self.area.kind == "lad":
            return f"{len(self.area.lads)} local authority district(s)"
        return self.area.describe()


@dataclass(frozen=True)
class Tiers:
    council: str
    council_name: str
    tiers: tuple[Tier, ...]
    source: str
    notes: tuple[str, ...] = ()

    def to_spec(self) -> dict[str, Any]:
        return {"council": self.council, "name": self.council_name, "tiers": [
            {"name": t.name, "uk": True} if t.area is None else {"name": t.name,
                                                                  **t.area.to_spec()}
            for t in self.tiers]}


def is_uk_country(country: str | None) -> bool:
    text = "".join(c if c.isalnum() else " " for c in (country or "").lower()).split()
    return " ".join(text) in UK_COUNTRY_NAMES


def place(location: Location | None, country: str | None, tiers: Tiers) -> tuple[int | None, str]:
    """(tier number, category) of one supplier. Category is the tier's name, "outside UK" or
    "unknown"."""
    if not is_uk_country(country):
        return None, OUTSIDE_UK
    if location is not None and location.lad in NOT_UK_LADS:
        return None, OUTSIDE_UK
    for tier in tiers.tiers:
        if tier.contains(location):
            return tier.number, tier.name
    return None, UNKNOWN


def _table() -> list[dict[str, str]]:
    return io.read_reference_csv("lad_tiers.csv")


def county_councils() -> list[tuple[str, str]]:
    """Every English county council the presets know, as (E10 code, name), by name."""
    seen = {r["county_code"]: r["county_name"] for r in _table() if r.get("county_code")}
    return sorted(seen.items(), key=lambda item: item[1])


def _valid_code(council: str) -> str:
    code = council.strip().upper()
    if len(code) != 9 or code[0] not in "ESWN" or not code[1:].isdigit():
        raise InputError.one(f"{council!r} is not a council code", column="council",
                             hint="give the council's 9-character GSS code, e.g. E08000033 "
                                  "(Calderdale) or E10000008 (Devon County Council)")
    return code


def _area(codes: Sequence[str], where: str) -> Area:
    known = lad_names()
    return Area.from_lads([c for c in codes if c in known], where=where)


def preset(council: str) -> Tiers:
    """The four tiers for a council from the shipped table (England) or by nation (elsewhere)."""
    code = _valid_code(council)
    table = _table()
    names = lad_names()
    notes: list[str] = []
    if code.startswith("E10"):
        members = [r for r in table if r["county_code"] == code]
        if not members:
            raise InputError.one(f"county council {code} is not in the shipped table",
                                 column="council",
                                 hint="give its districts as tier 1 with --tiers FILE")
        name = members[0]["county_name"]
        tier1 = [r["lad_code"] for r in members]
        ca = members[0]["combined_authority"]
        tier2 = [r["lad_code"] for r in table if ca and r["combined_authority"] == ca]
        wider = ca
        region = members[0]["region_code"]
        region_name = members[0]["region_name"]
    elif code.startswith("E"):
        row = next((r for r in table if r["lad_code"] == code), None)
        if row is None:
            raise InputError.one(f"{code} is not a current English local authority district",
                                 column="council",
                                 hint="use a LAD 2025 code, or give tiers with --tiers FILE")
        name = row["lad_name"]
        tier1 = [code]
        if row["county_code"]:
            wider = row["county_name"]
            tier2 = [r["lad_code"] for r in table if r["county_code"] == row["county_code"]]
        elif row["combined_authority"]:
            wider = row["combined_authority"]
            tier2 = [r["lad_code"] for r in table
                     if r["combined_authority"] == row["combined_authority"]]
        else:
            wider, tier2 = "", []
        region = row["region_code"]
        region_name = row["region_name"]
    else:
        if code not in names:
            raise InputError.one(f"{code} is not a current local authority district",
                                 column="council")
        name = names[code]
        tier1 = [code]
        wider, tier2 = "", []
        region = code[0]
        region_name = _NATIONS[code[0]]
    if not tier2:
        notes.append(f"{name} has no county council or combined authority in the shipped table, "
                     "so tier 2 is the council area itself; set a wider area with --tiers FILE")
        tier2, wider = tier1, f"{name} (no wider county or combined authority)"
    elif not set(tier1) <= set(tier2):
        tier2 = sorted(set(tier2) | set(tier1))
    if region.startswith("E12"):
        tier3 = [r["lad_code"] for r in table if r["region_code"] == region]
    else:
        tier3 = [c for c in names if c.startswith(region)]
    tiers = (
        Tier(1, name, _area(tier1, "tier 1")),
        Tier(2, wider, _area(tier2, "tier 2")),
        Tier(3, region_name, _area(tier3, "tier 3")),
        Tier(4, "UK", None),
    )
    return Tiers(code, name, tiers, "shipped table reference/spend/lad_tiers.csv", tuple(notes))


def from_dict(data: Any, council: str, store: Any = None, source: str = "tiers") -> Tiers:
    """Tiers from a JSON document: {"name": ..., "tiers": [{"name": ..., "lad": [...]} |
    {"name": ..., "radius_km": N, "centre": "PC"} | {"name": "UK", "uk": true}, ...]}.
    A final UK tier is added when none is given."""
    code = _valid_code(council)
    if not isinstance(data, dict) or not isinstance(data.get("tiers"), list) or not data["tiers"]:
        raise InputError.one('a tiers file is an object with a non-empty "tiers" list',
                             file=source)
    problems: list[Problem] = []
    tiers: list[Tier] = []
    for number, item in enumerate(data["tiers"], start=1):
        where = f"tiers[{number}]"
        if not isinstance(item, dict):
            problems.append(Problem("each tier must be an object", file=source, column=where))
            continue
        name = str(item.get("name") or f"tier {number}")
        if item.get("uk"):
            tiers.append(Tier(number, name, None))
            continue
        spec = {k: v for k, v in item.items() if k not in ("name", "uk")}
        try:
            area = Area.from_spec(spec, store, where=where)
        except InputError as error:
            for problem in error.problems:
                problem.file = problem.file or source
            problems.extend(error.problems)
            continue
        tiers.append(Tier(number, name, area))
    if problems:
        raise InputError(problems)
    if all(t.area is not None for t in tiers):
        tiers.append(Tier(len(tiers) + 1, "UK", None))
    name = str(data.get("name") or lad_name(code) or tiers[0].name)
    return Tiers(code, name, tuple(tiers), f"tiers file {source}")
