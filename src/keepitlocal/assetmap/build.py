"""Build a council's asset map: merge the registers, place every organisation, keep those in the
area by either view, and attach what the side tables say.

Two views, because a register gives the registered (head) office, not where work happens:
- "office": the registered-office postcode is in the area;
- "operation": the organisation says it works in the area (the Commission's area of operation,
  OSCR's main operating location), wherever its office is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from keepitlocal.assetmap.areas import lad_by_name, lad_of_area_name, operation_lads
from keepitlocal.assetmap.bands import Band, ncvo_bands
from keepitlocal.assetmap.deprivation import (
    DeprivationLookup,
    DistrictDeprivation,
    default_lookup,
    district_deprivation,
)
from keepitlocal.assetmap.organisations import IncomeYear, Organisation, merge
from keepitlocal.assetmap.sources import Sources
from keepitlocal.geo.areas import Area
from keepitlocal.geo.store import PostcodeStore, default_store
from keepitlocal.registers.fields import ReadReport, RegisteredOrganisation

OFFICE = "office"
OPERATION = "operation"
VIEWS = {
    OFFICE: "registered-office view: organisations whose registered office is in the area",
    OPERATION: "area-of-operation view: organisations that say they work in the area, "
               "wherever their office is",
}
Progress = Callable[[str, int, int], None]  # (step, done, total)


def _quiet(step: str, done: int, total: int) -> None:
    pass


@dataclass
class AssetMap:
    """The organisations of one area with everything the summaries and the map need."""

    area: Area
    organisations: list[Organisation]
    bands: tuple[Band, ...]
    published: dict[str, date | None]
    reports: list[ReadReport]
    read_count: int  # organisations read from all registers, after merging
    placed_levels: dict[str, int] = field(default_factory=dict)  # of all read
    districts: list[DistrictDeprivation] = field(default_factory=list)  # the map's shading

    def in_view(self, view: str) -> list[Organisation]:
        if view == OFFICE:
            return [o for o in self.organisations if o.in_area_office]
        if view == OPERATION:
            return [o for o in self.organisations if o.in_area_operation]
        raise ValueError(f"unknown view {view!r}: use one of {', '.join(VIEWS)}")

    def find(self, key: str) -> Organisation | None:
        return next((o for o in self.organisations if o.key == key), None)


@dataclass
class Placed:
    """Every organisation read, placed (before the area filter): what the benchmark measures."""

    organisations: list[Organisation]
    levels: dict[str, int]


def place(sources: Sources, store: PostcodeStore | None = None,
          deprivation: DeprivationLookup | None = None, progress: Progress = _quiet) -> Placed:
    """Merge every register row into organisations, attach side tables and grants, and place
    each one by postcode (with the fallback level) and LSOA/decile."""
    store = store if store is not None else default_store()
    deprivation = deprivation if deprivation is not None else default_lookup()
    progress("merging organisations", 0, len(sources.organisations))
    organisations = merge(sources.organisations)
    progress("merging organisations", len(sources.organisations), len(sources.organisations))
    _attach_commission_tables(organisations, sources)
    organisations += _attach_grants(organisations, sources)
    total = len(organisations)
    levels: dict[str, int] = {"unit": 0, "sector": 0, "district": 0, "not placed": 0}
    step = 100_000
    for start in range(0, total, step):
        batch = organisations[start:start + step]
        postcodes = [o.postcode for o in batch]
        locations = store.lookup_many([p or "" for p in postcodes])
        for organisation, location, found in zip(batch, locations,
                                                 deprivation.lookup_many(postcodes),
                                                 strict=True):
            organisation.location = location
            organisation.deprivation = found
            levels[location.level if location else "not placed"] += 1
        progress("placing organisations", min(start + step, total), total)
    return Placed(organisations, levels)


def build(sources: Sources, area: Area, *, store: PostcodeStore | None = None,
          deprivation: DeprivationLookup | None = None, bands: tuple[Band, ...] | None = None,
          progress: Progress = _quiet) -> AssetMap:
    """The asset map of `area` from everything read."""
    placed = place(sources, store, deprivation, progress)
    area_lads = operation_lads(area)
    kept = []
    for organisation in placed.organisations:
        organisation.in_area_office = area.contains(organisation.location)
        organisation.in_area_operation = bool(area_lads & set(organisation.areas_of_operation))
        if organisation.in_area_office or organisation.in_area_operation:
            kept.append(organisation)
    kept.sort(key=lambda o: (-(o.income or Decimal(-1)), o.name))
    return AssetMap(area=area, organisations=kept, bands=bands or ncvo_bands(),
                    published=sources.published(), reports=sources.reports,
                    read_count=len(placed.organisations), placed_levels=placed.levels,
                    districts=district_deprivation(map_districts(area, kept), lookup=deprivation))


def map_districts(area: Area, organisations: list[Organisation]) -> list[str]:
    """The districts the map outlines and shades: the area's, or for a radius every district
    an organisation in it has its office in."""
    if area.kind == "lad":
        return list(area.lads)
    return sorted({o.location.lad for o in organisations
                   if o.in_area_office and o.location and o.location.lad})


def _attach_commission_tables(organisations: list[Organisation], sources: Sources) -> None:
    names = lad_by_name()
    for organisation in organisations:
        numbers = [r.organisation_number for r in organisation.records
                   if r.register == "ccew" and r.organisation_number is not None]
        main = [r.organisation_number for r in organisation.records
                if r.register == "ccew" and r.main and r.organisation_number is not None]
        what = [c.description for n in numbers for c in sources.classifications.get(n, ())
                if c.kind.lower() == "what" and c.description]
        if what:
            organisation.classifications = tuple(dict.fromkeys(
                [*what, *organisation.classifications]))
        area_names = [a.description for n in numbers for a in sources.areas.get(n, ())
                      if a.kind.lower().startswith("local authority")]
        organisation.area_names = tuple(dict.fromkeys([*organisation.area_names, *area_names]))
        organisation.areas_of_operation = tuple(dict.fromkeys(
            code for code in (lad_of_area_name(a, names) for a in organisation.area_names)
            if code))
        history = sorted((r for n in main for r in sources.annual_returns.get(n, ())),
                         key=lambda r: r.period_end or date.min)
        organisation.income_history = tuple(
            IncomeYear(r.period_end, r.total_gross_income, r.government_contracts,
                       r.government_grants) for r in history)


def _attach_grants(organisations: list[Organisation], sources: Sources) -> list[Organisation]:
    """Add each grant to the organisation it names; recipients no register lists become
    organisations of their own (source 360Giving)."""
    index: dict[str, Organisation] = {}
    for organisation in organisations:
        for number in organisation.charity_numbers:
            index.setdefault(f"charity:{number}", organisation)
        for number in organisation.company_numbers:
            index.setdefault(f"company:{number}", organisation)
    added: list[Organisation] = []
    for grant in sources.grants:
        keys = [f"charity:{grant.charity_number}" if grant.charity_number else "",
                f"company:{grant.company_number}" if grant.company_number else "",
                f"grant:{grant.recipient_id or grant.recipient_name}"]
        target = next((index[k] for k in keys if k in index), None)
        if target is None:
            record = RegisteredOrganisation(
                register="360giving", number=grant.recipient_id or f"row {grant.row}",
                name=grant.recipient_name or "(recipient not named)",
                postcode=grant.postcode, charity_number=grant.charity_number,
                company_number=grant.company_number, row=grant.row)
            (target,) = merge([record])
            added.append(target)
            for key in keys:
                if key:
                    index.setdefault(key, target)
        target.grants_received += grant.amount
        target.grant_count += 1
    return added
