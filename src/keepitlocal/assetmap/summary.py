"""Every figure of the asset map, for one view: size bands, activity, neighbourhood, deprivation,
growth and closures, government income. One function per figure; the CLI, web and exports
only format what these return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from keepitlocal.assetmap.bands import SEED_BAND, UNKNOWN, band_of
from keepitlocal.assetmap.build import VIEWS, AssetMap
from keepitlocal.assetmap.organisations import Organisation

NO_ACTIVITY = "no classification given"


@dataclass
class Tally:
    """How many organisations, and their latest income added up (None incomes not added)."""

    count: int = 0
    income: Decimal = Decimal(0)
    with_income: int = 0

    def add(self, organisation: Organisation) -> None:
        self.count += 1
        if organisation.income is not None:
            self.income += organisation.income
            self.with_income += 1


@dataclass
class YearCounts:
    year: int
    registered: int = 0
    removed: int = 0
    active_at_end: int = 0


@dataclass
class Summary:
    view: str
    view_label: str
    total: Tally
    removed_count: int
    by_band: dict[str, Tally]
    seed_band: Tally
    by_activity: dict[str, Tally]
    by_lsoa: dict[str, Tally]
    by_decile: dict[str, Tally]  # "1".."10", then each reason no decile is shown
    years: list[YearCounts]
    government_contracts: Decimal
    government_grants: Decimal
    with_government_income: int
    grants_received: Decimal
    placed: dict[str, int]
    best_fit_lsoa: int
    sources: dict[str, int] = field(default_factory=dict)


def _tally(organisations: Iterable[Organisation], key: Callable[[Organisation], Iterable[str]],
           order: Iterable[str] = ()) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {name: Tally() for name in order}
    for organisation in organisations:
        for name in key(organisation):
            tallies.setdefault(name, Tally()).add(organisation)
    return tallies


def decile_label(organisation: Organisation) -> str:
    found = organisation.deprivation
    if found.decile is not None:
        return str(found.decile)
    return found.note or "no decile"


def band_label(organisation: Organisation, asset_map: AssetMap) -> str:
    return band_of(organisation.income, asset_map.bands)


def growth(organisations: list[Organisation]) -> list[YearCounts]:
    """Registrations and removals each calendar year, and how many were registered and not yet
    removed at each year's end (from the registers' dates; organisations without a registration
    date are not counted)."""
    dated = [o for o in organisations if o.registered]
    if not dated:
        return []
    first = min(o.registered.year for o in dated if o.registered)
    last = max([o.registered.year for o in dated if o.registered]
               + [o.removed.year for o in dated if o.removed])
    years = {y: YearCounts(y) for y in range(first, last + 1)}
    for organisation in dated:
        assert organisation.registered is not None
        years[organisation.registered.year].registered += 1
        end = organisation.removed.year if organisation.removed else last + 1
        if organisation.removed:
            years[organisation.removed.year].removed += 1
        for year in range(organisation.registered.year, min(end, last + 1)):
            years[year].active_at_end += 1
    return list(years.values())


def summarise(asset_map: AssetMap, view: str) -> Summary:
    """The figures of one view; snapshot figures count active organisations only."""
    everyone = asset_map.in_view(view)
    active = [o for o in everyone if o.active]
    total = Tally()
    for organisation in active:
        total.add(organisation)
    seed = Tally()
    for organisation in active:
        if organisation.income is not None and SEED_BAND.contains(organisation.income):
            seed.add(organisation)
    contracts = grants = Decimal(0)
    with_government = 0
    for organisation in active:
        latest_contracts, latest_grants = organisation.latest_government_income
        if latest_contracts or latest_grants:
            with_government += 1
        contracts += latest_contracts or 0
        grants += latest_grants or 0
    placed: dict[str, int] = {}
    for organisation in active:
        level = organisation.place_level or "not placed"
        placed[level] = placed.get(level, 0) + 1
    sources: dict[str, int] = {}
    for organisation in active:
        for source in organisation.sources:
            sources[source] = sources.get(source, 0) + 1
    return Summary(
        view=view,
        view_label=VIEWS[view],
        total=total,
        removed_count=len(everyone) - len(active),
        by_band=_tally(active, lambda o: [band_of(o.income, asset_map.bands)],
                       [b.name for b in asset_map.bands] + [UNKNOWN]),
        seed_band=seed,
        by_activity=dict(sorted(
            _tally(active, lambda o: o.classifications or (NO_ACTIVITY,)).items(),
            key=lambda item: (-item[1].count, item[0]))),
        by_lsoa=dict(sorted(_tally(active, lambda o: [o.deprivation.lsoa21 or "no LSOA"]).items())),
        by_decile=_tally(active, lambda o: [decile_label(o)], [str(d) for d in range(1, 11)]),
        years=growth(everyone),
        government_contracts=contracts,
        government_grants=grants,
        with_government_income=with_government,
        grants_received=sum((o.grants_received for o in active), Decimal(0)),
        placed=placed,
        best_fit_lsoa=sum(1 for o in active if o.deprivation.best_fit),
        sources=sources,
    )
