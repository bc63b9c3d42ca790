"""Decide, for each staff member and supplier, whether they are inside the project's area.

An explicit `local` flag wins; otherwise the postcode is looked up (unit, then sector, then
district centroid) and tested against the area. An entry that cannot be placed is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from keepitlocal.errors import InputError, KeepItLocalError, Problem
from keepitlocal.lm3.model import Placed, PlacedProject, Project, StaffMember, Supplier

if TYPE_CHECKING:
    from keepitlocal.geo import Area, PostcodeStore


def _needs_store(project: Project) -> bool:
    entries: Sequence[StaffMember | Supplier] = [*project.staff, *project.suppliers]
    return "radius_km" in project.area or any(e.local is None for e in entries)


def _area(project: Project, store: PostcodeStore | None) -> Area:
    from keepitlocal.geo import Area

    try:
        return Area.from_spec(project.area, store=store)
    except KeepItLocalError as error:
        raise InputError.one(f"area: {error}", file=project.source, column="area") from error


Spot = tuple[bool, str, str | None]  # inside the area, placed by (flag/unit/...), postcode


def locate(
    entries: Sequence[tuple[bool | None, str | None]], area: Area, store: PostcodeStore | None
) -> list[Spot | None]:
    """Where each (local flag, postcode) entry falls, None when its postcode cannot be placed.

    The only placement rule: a flag wins, else the postcode's centroid is tested against the
    area; the postcodes are looked up in one vectorised call.
    """
    postcodes = [postcode or "" for flag, postcode in entries if flag is None]
    found = iter(store.lookup_many(postcodes) if (store is not None and postcodes) else [])
    spots: list[Spot | None] = []
    for flag, postcode in entries:
        if flag is not None:
            spots.append((flag, "flag", postcode))
            continue
        location = next(found)
        spots.append(None if location is None else
                     (area.contains(location), location.level, location.postcode))
    return spots


def place(project: Project, store: PostcodeStore | None = None) -> PlacedProject:
    """Place every entry of `project`; InputError lists every entry that cannot be placed."""
    if store is None and _needs_store(project):
        from keepitlocal.geo import default_store

        store = default_store()
    area = _area(project, store)
    problems: list[Problem] = []

    def place_all(entries: Sequence[StaffMember | Supplier], kind: str) -> list[Placed]:
        where = locate([(e.local, e.postcode) for e in entries], area, store)
        placed = []
        for entry, spot in zip(entries, where, strict=True):
            name = entry.label if isinstance(entry, StaffMember) else entry.name
            amount = entry.pay if isinstance(entry, StaffMember) else entry.spend
            response = entry.response if isinstance(entry, Supplier) else None
            if spot is None:
                given = f"postcode {entry.postcode!r}" if entry.postcode else "no postcode"
                problems.append(
                    Problem(
                        f"{kind} {name!r} has {given} that cannot be placed",
                        file=project.source,
                        row=entry.row,
                        column="postcode",
                        hint='correct the postcode, or set "local": true or false',
                    )
                )
                continue
            inside, placed_by, postcode = spot
            placed.append(Placed(name, amount, inside, placed_by, postcode, response))
        return placed

    staff = place_all(project.staff, "staff member")
    suppliers = place_all(project.suppliers, "supplier")
    if problems:
        raise InputError(problems)
    return PlacedProject(project, staff, suppliers, area.describe())
