"""Load a published register file into the store: pick the reader, stream, keep the date."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from keepitlocal.registers import companies_house, contracts_finder
from keepitlocal.registers.asset_tables import asset_tables_of, table_files
from keepitlocal.registers.fields import ReadReport, RegisteredOrganisation
from keepitlocal.registers.store import Loaded, RegisterStore, batched

# command-line name -> store kind
KINDS = {"companies-house": "companies_house", "charities": "charity_commission",
         "contracts-finder": "contracts_finder"}


def _charities(path: Path, report: ReadReport) -> Iterator[dict[str, Any]]:
    """Main charities still registered, from the Charity Commission extract, as register
    entries."""
    from keepitlocal.registers.charity_commission import read_charities

    return _charity_entries(read_charities(path, report))


def _charity_entries(charities: Iterable[RegisteredOrganisation]) -> Iterator[dict[str, Any]]:
    """Main registered charities as register entries; a charity is an SME when its latest
    income is at most SME_INCOME_LIMIT."""
    from keepitlocal.spend.register import SME_INCOME_LIMIT

    for charity in charities:
        if not charity.main or not charity.active:
            continue
        size = None if charity.income is None else (
            "sme" if charity.income <= SME_INCOME_LIMIT else "large")
        yield {"id": "CC:" + charity.number, "name": charity.name,
               "source": "charity_commission", "postcode": charity.postcode,
               "supplier_id": None, "vat_number": None,
               "company_number": charity.company_number, "charity_number": charity.number,
               "country": None, "sector": "vcse", "size": size,
               "company_type": "CIO" if _is_cio(charity.kind) else "registered charity",
               "size_basis": "charity latest income" if size else None}


def _is_cio(kind: str | None) -> bool:
    text = (kind or "").lower()
    return text == "cio" or "charitable incorporated" in text


def load(store: RegisterStore, kind: str, path: Path, more: Sequence[Path] = ()
         ) -> tuple[Loaded, ReadReport]:
    """Read `path` (a `KINDS` key or a store kind) once into `store`, and what the asset map
    needs besides into the store's asset tables when it keeps them. `more`: the Charity
    Commission's other tables (annual return part A, classification, area of operation)."""
    kind = KINDS.get(kind, kind)
    report = ReadReport(path.name, kind)
    if more and kind != "charity_commission":
        raise ValueError("only the Charity Commission extract comes as several files")
    tables = asset_tables_of(store)
    social: list[dict[str, Any]] = []
    rows: Iterable[dict[str, Any]]
    if kind == "companies_house":
        rows = _social_economy(companies_house.read(path, report), social)
    elif kind == "charity_commission" and tables is not None:
        tables.save_charities(table_files([path, *more]), report)
        rows = _charity_entries(tables.main_charities())
    elif kind == "charity_commission":
        rows = _charities(path, report)
    elif kind == "contracts_finder":
        rows = contracts_finder.read(path, report)
    else:
        raise ValueError(f"unknown register {kind!r}")
    batches = list(batched(rows)) if kind == "contracts_finder" else batched(rows)
    # The publication date is known once the reader has begun (Charity Commission: first
    # record; Contracts Finder: after the whole file), so it is read at the end.
    loaded = store.replace(kind, path.name, None, batches)
    if report.published is not None:
        loaded = store.set_published(kind, report.published)
    if kind == "companies_house" and tables is not None:
        tables.save_companies(social, path.name, report.published)
    return loaded, report



def _social_economy(rows: Iterable[dict[str, Any]], kept: list[dict[str, Any]]
                    ) -> Iterator[dict[str, Any]]:
    """Every company, passed on to the matching register; the social-economy ones (with their
    dates) are also kept for the asset map's tables."""
    for row in rows:
        if row.get("sector") == "vcse":
            kept.append(row)
        yield row
