"""Load a published register file into the store: pick the reader, stream, keep the date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from keepitlocal.registers import companies_house, contracts_finder
from keepitlocal.registers.fields import ReadReport
from keepitlocal.registers.store import Loaded, RegisterStore, batched

# command-line name -> store kind
KINDS = {"companies-house": "companies_house", "charities": "charity_commission",
         "contracts-finder": "contracts_finder"}


def _charities(path: Path, report: ReadReport) -> Iterator[dict[str, Any]]:
    """Main charities still registered, from the Charity Commission extract, as register
    entries; a charity is an SME when its latest income is at most SME_INCOME_LIMIT."""
    from keepitlocal.registers.charity_commission import read_charities
    from keepitlocal.spend.register import SME_INCOME_LIMIT

    for charity in read_charities(path, report):
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


def load(store: RegisterStore, kind: str, path: Path) -> tuple[Loaded, ReadReport]:
    """Read `path` (a `KINDS` key or a store kind) once into `store`."""
    kind = KINDS.get(kind, kind)
    report = ReadReport(path.name, kind)
    rows: Iterator[dict[str, Any]]
    if kind == "companies_house":
        rows = companies_house.read(path, report)
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
    return loaded, report
