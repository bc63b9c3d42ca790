"""What "local" means for a calculation: a set of local authority districts, or a radius around
a postcode. Both are written the same way in project files, so they are parsed here once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from keepitlocal.errors import InputError, Problem
from keepitlocal.geo.model import Location
from keepitlocal.geo.names import find_lads, former_lads, lad_name, lad_names
from keepitlocal.geo.store import PostcodeStore, default_store, haversine_km

_SPEC_KEYS = ("lad", "radius_km", "centre")


@dataclass(frozen=True)
class Area:
    """A set of LADs (`lads`) or a circle (`centre`, `km`); build one with `from_lads`, `radius`
    or `from_spec` rather than directly."""

    lads: tuple[str, ...] = ()
    centre: str | None = None  # canonical postcode
    km: float | None = None
    centre_lat: float = math.nan
    centre_lon: float = math.nan
    centre_level: str | None = None
    _lad_set: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    _store: PostcodeStore | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lad_set", frozenset(self.lads))

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def from_lads(
        cls, codes: Iterable[str], store: PostcodeStore | None = None, *, where: str = "area"
    ) -> Area:
        """The area made of these LAD codes (current LAD 2025 codes, in any case).

        `store` is only used by `contains_postcode` and `contains_point` (default: the shared one).
        """
        if isinstance(codes, str):
            codes = [codes]
        problems, kept = [], []
        for code in codes:
            text = code.strip().upper() if isinstance(code, str) else ""
            if text in lad_names():
                if text not in kept:
                    kept.append(text)
                continue
            problems.append(_lad_problem(code, where))
        if not kept and not problems:
            problems.append(Problem("needs at least one LAD code", column=f"{where}.lad"))
        if problems:
            raise InputError(problems)
        return cls(lads=tuple(kept), _store=store)

    @classmethod
    def radius(
        cls,
        centre: str,
        km: float | Decimal | int | str,
        store: PostcodeStore | None = None,
        *,
        where: str = "area",
    ) -> Area:
        """The area within `km` kilometres (great-circle) of the postcode `centre`."""
        distance = _positive_km(km, where)
        store = store if store is not None else default_store()
        location = store.lookup(centre)  # InvalidPostcode / UnknownPostcode name the postcode
        if not location.has_coordinates:
            raise InputError.one(
                f"postcode {centre!r} has no coordinates in the data, so it cannot be a centre",
                column=f"{where}.centre",
                hint="choose a postcode on the UK mainland grid, or give LAD codes",
            )
        return cls(
            centre=location.postcode,
            km=distance,
            centre_lat=location.lat,
            centre_lon=location.lon,
            centre_level=location.level,
            _store=store,
        )

    @classmethod
    def from_spec(
        cls, spec: Mapping[str, Any], store: PostcodeStore | None = None, *, where: str = "area"
    ) -> Area:
        """Parse a project file's area: {"lad": [codes]} or {"radius_km": N, "centre": "PC"}."""
        if not isinstance(spec, Mapping):
            raise InputError.one(
                'must be {"lad": [codes]} or {"radius_km": N, "centre": "POSTCODE"}',
                column=where,
            )
        unknown = [key for key in spec if key not in _SPEC_KEYS]
        if unknown:
            raise InputError(
                [
                    Problem(
                        f"unknown key {key!r}",
                        column=f"{where}.{key}",
                        hint='use "lad", or "radius_km" with "centre"',
                    )
                    for key in unknown
                ]
            )
        if "lad" in spec:
            if "radius_km" in spec or "centre" in spec:
                raise InputError.one(
                    'give either "lad" or "radius_km" with "centre", not both',
                    column=f"{where}.lad",
                )
            codes = spec["lad"]
            if isinstance(codes, str):
                codes = [codes]
            if not isinstance(codes, Sequence) or not codes:
                raise InputError.one("must be a non-empty list of LAD codes", column=f"{where}.lad")
            return cls.from_lads(codes, store, where=where)
        if not spec:
            raise InputError.one(
                'is empty: needs "lad", or "radius_km" with "centre"', column=where
            )
        for key in ("radius_km", "centre"):
            if key not in spec:
                raise InputError.one(
                    'is missing: a radius needs both "radius_km" and "centre"',
                    column=f"{where}.{key}",
                )
        centre = spec["centre"]
        if not isinstance(centre, str):
            raise InputError.one("must be a postcode", column=f"{where}.centre")
        try:
            return cls.radius(centre, spec["radius_km"], store, where=where)
        except InputError as error:
            for problem in error.problems:
                problem.column = problem.column or f"{where}.centre"
            raise

    # ---- membership ---------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return "lad" if self.centre is None else "radius"

    def contains(self, location: Location | None) -> bool:
        """Whether a looked-up postcode is in the area (None, for a failed lookup, is not)."""
        if location is None:
            return False
        if self.centre is None:
            return location.lad in self._lad_set
        return self.contains_point(location.lat, location.lon)

    def contains_many(self, locations: Iterable[Location | None]) -> list[bool]:
        return [self.contains(location) for location in locations]

    def contains_postcode(self, postcode: str) -> bool:
        """Look the postcode up (raising if it is invalid or unknown) and test it."""
        return self.contains(self._lookup_store().lookup(postcode))

    def contains_point(self, lat: float, lon: float) -> bool:
        """Whether a point is in the area.

        For a radius this is exact. For LADs it is approximate: without boundary polygons, the
        point takes the LAD of the nearest unit postcode within 5 km (so near a border it can be
        wrong, and open sea or moorland far from any postcode is outside).
        """
        if math.isnan(lat) or math.isnan(lon):
            return False
        if self.centre is not None:
            assert self.km is not None
            return haversine_km(self.centre_lat, self.centre_lon, lat, lon) <= self.km
        nearest = self._lookup_store().nearest(lat, lon)
        return nearest is not None and nearest.lad in self._lad_set

    def _lookup_store(self) -> PostcodeStore:
        return self._store if self._store is not None else default_store()

    # ---- describing ---------------------------------------------------------------------

    def describe(self) -> str:
        """In words: "Calderdale (E08000033)" or "within 12 km of BH22 8AA"."""
        if self.centre is None:
            names = [f"{lad_name(code)} ({code})" for code in self.lads]
            return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        text = f"within {_format_km(self.km)} km of {self.centre}"
        if self.centre_level and self.centre_level != "unit":
            text += f" ({self.centre_level} centroid)"
        return text

    def __str__(self) -> str:
        return self.describe()

    def to_spec(self) -> dict[str, Any]:
        """The project-file form, so that `Area.from_spec(area.to_spec())` gives the area back."""
        if self.centre is None:
            return {"lad": list(self.lads)}
        km = self.km if self.km is not None else math.nan
        return {"radius_km": int(km) if km == int(km) else km, "centre": self.centre}


def _lad_problem(code: object, where: str) -> Problem:
    column = f"{where}.lad"
    text = code.strip().upper() if isinstance(code, str) else ""
    if not text:
        return Problem(f"{code!r} is not a LAD code", column=column)
    if text in former_lads():
        new = former_lads()[text].successor
        return Problem(f"{code!r} is a retired LAD code", column=column,
                       hint=f"now {new} {lad_name(new)}")
    if text.startswith("E10"):
        return Problem(
            f"{code!r} is a county code, not a district",
            column=column,
            hint="list the county's districts instead",
        )
    matches = find_lads(str(code))[:3]
    hint = (
        "did you mean " + " or ".join(f"{c} ({n})" for c, n in matches) + "?"
        if matches
        else "codes look like E08000033; search names with `keepitlocal geo lads NAME`"
    )
    return Problem(f"{code!r} is not a current LAD code", column=column, hint=hint)


def _positive_km(km: object, where: str) -> float:
    not_a_number = InputError.one(
        f"{km!r} is not a number of kilometres", column=f"{where}.radius_km"
    )
    if isinstance(km, bool) or not isinstance(km, int | float | Decimal | str):
        raise not_a_number
    try:
        value = float(Decimal(km.strip()) if isinstance(km, str) else km)
    except (ValueError, InvalidOperation):
        raise not_a_number from None
    if not math.isfinite(value) or value <= 0:
        raise InputError.one(
            f"{km!r} must be a positive number of kilometres", column=f"{where}.radius_km"
        )
    return value


def _format_km(km: float | None) -> str:
    if km is None:
        return "?"
    return str(int(km)) if km == int(km) else f"{km:g}"
