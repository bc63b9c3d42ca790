"""One organisation, however many registers list it: the merge rules and what is kept.

Two rows are the same organisation when they share a charity number (a Commission linked
charity shares its main charity's number, so it folds into it), a company number, or when a
charity's registered company number is a company's number. Every source's identifiers are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from keepitlocal.assetmap.deprivation import Deprivation
from keepitlocal.geo.model import Location
from keepitlocal.registers.fields import RegisteredOrganisation

# Which register's row describes the organisation when several list it.
_PRECEDENCE = {"ccew": 0, "oscr": 1, "ccni": 2, "companies_house": 3, "directory": 4,
               "360giving": 5}


@dataclass(frozen=True, slots=True)
class IncomeYear:
    """One financial year of a charity's annual return (Commission part A)."""

    period_end: date | None
    income: Decimal | None
    government_contracts: Decimal | None
    government_grants: Decimal | None


@dataclass
class Organisation:
    key: str  # an org-id: GB-CHC-1100001, GB-SC-SC012345, GB-NIC-100123, GB-COH-08123456
    name: str
    records: list[RegisteredOrganisation]
    income: Decimal | None = None
    income_source: str | None = None
    registered: date | None = None
    removed: date | None = None
    active: bool = True
    postcode: str | None = None
    classifications: tuple[str, ...] = ()
    areas_of_operation: tuple[str, ...] = ()  # LAD codes the organisation says it works in
    area_names: tuple[str, ...] = ()  # as the register wrote them
    income_history: tuple[IncomeYear, ...] = ()
    grants_received: Decimal = Decimal(0)
    grant_count: int = 0
    location: Location | None = None
    deprivation: Deprivation = field(default_factory=Deprivation)
    in_area_office: bool = False  # registered office in the area
    in_area_operation: bool = False  # says it works in the area

    @property
    def identifiers(self) -> list[tuple[str, str]]:
        """(scheme, value) for every identifier any source gave, without repeats."""
        seen: dict[tuple[str, str], None] = {}
        for record in self.records:
            for item in identifiers_of(record):
                seen.setdefault(item, None)
        return list(seen)

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(r.register for r in self.records))

    @property
    def charity_numbers(self) -> set[str]:
        return {r.charity_number for r in self.records if r.charity_number}

    @property
    def company_numbers(self) -> set[str]:
        return {r.company_number for r in self.records if r.company_number}

    @property
    def place_level(self) -> str | None:
        """"unit", or the centroid level used ("sector", "district"), or None: not placed."""
        return self.location.level if self.location else None

    @property
    def latest_government_income(self) -> tuple[Decimal | None, Decimal | None]:
        """Government contracts and grants income in the latest annual return, if any."""
        dated = [y for y in self.income_history if y.period_end]
        if not dated:
            return None, None
        latest = max(dated, key=lambda y: y.period_end or date.min)
        return latest.government_contracts, latest.government_grants


def identifiers_of(record: RegisteredOrganisation) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if record.charity_number:
        number = record.charity_number
        if number.startswith("SC"):
            found.append(("GB-SC", number))
        elif number.startswith("NIC"):
            found.append(("GB-NIC", number.removeprefix("NIC")))
        else:
            found.append(("GB-CHC", number))
    if record.register == "ccew" and not record.main:
        found.append(("CCEW linked charity", record.number))
    if record.company_number:
        found.append(("GB-COH", record.company_number))
    if record.register == "directory":
        found.append(("council directory", record.number))
    return found


def _links(record: RegisteredOrganisation) -> list[str]:
    """The keys that join rows: charity numbers and company numbers."""
    keys = []
    if record.charity_number:
        keys.append(f"charity:{record.charity_number}")
    if record.company_number:
        keys.append(f"company:{record.company_number}")
    return keys


def merge(records: Iterable[RegisteredOrganisation]) -> list[Organisation]:
    """Group rows that share a charity or company number (union-find), one Organisation each.

    A row with neither (a directory entry with only a name) stays on its own: names alone are
    not evidence enough to merge.
    """
    rows = list(records)
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, record in enumerate(rows):
        for key in _links(record):
            if key in owner:
                a, b = find(i), find(owner[key])
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = i
    groups: dict[int, list[RegisteredOrganisation]] = {}
    for i, record in enumerate(rows):
        groups.setdefault(find(i), []).append(record)
    return [_organisation(group) for group in groups.values()]


def _organisation(group: list[RegisteredOrganisation]) -> Organisation:
    group.sort(key=lambda r: (_PRECEDENCE.get(r.register, 9), not r.main, not r.active))
    lead = group[0]
    with_income = [r for r in group if r.income is not None and r.main]
    best = max(with_income, key=lambda r: (r.financial_year_end or date.min,
                                           -_PRECEDENCE.get(r.register, 9)), default=None)
    scheme, number = _key(lead)
    return Organisation(
        key=f"{scheme}-{number}",
        name=lead.name,
        records=group,
        income=best.income if best else None,
        income_source=best.register if best else None,
        registered=min((r.registered for r in group if r.registered), default=None),
        removed=lead.removed,
        active=lead.active,
        postcode=next((r.postcode for r in group if r.postcode), None),
        classifications=tuple(dict.fromkeys(c for r in group for c in r.classifications)),
        area_names=tuple(dict.fromkeys(a for r in group for a in r.areas_of_operation)),
    )


def _key(record: RegisteredOrganisation) -> tuple[str, str]:
    for scheme, value in identifiers_of(record):
        if scheme.startswith("GB-"):
            return scheme, value
    return ("DIRECTORY" if record.register == "directory" else record.register.upper(),
            record.number.replace(" ", "-"))
