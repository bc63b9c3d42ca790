"""Companies House "basic company data": every live company, streamed from the published zip.

The file (`BasicCompanyDataAsOneFile-YYYY-MM-DD.zip`, about 500 MB zipped, 2.7 GB and 5.7
million rows unzipped) is read row by row from inside the zip, never whole, so loading it needs
memory for one batch only. The publication date is the date in the file's name.

Sector and size come from what the company filed: its CompanyCategory marks a social-economy
form (CIC, company limited by guarantee without share capital, CIO, registered society); its
Accounts.AccountCategory gives the size of accounts (micro, small, total exemption ... = SME;
full or group = large); anything else leaves size unknown. Licence: Open Government Licence v3.0.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from keepitlocal.errors import InputError
from keepitlocal.registers.fields import (
    UTF8_BOM,
    ReadReport,
    clean,
    norm_company,
    open_text,
    parse_date,
)

# Companies House CompanyCategory values that mark a social-economy organisation.
VCSE_COMPANY_TYPES = {
    "community interest company": "CIC",
    "pri/lbg/nsc (private, limited by guarantee, no share capital)": "CLG",
    "pri/ltd by guar/nsc (private, limited by guarantee, no share capital)": "CLG",
    "pri/ltd by guar/nsc (private, limited by guarantee, no share capital, use of 'limited' "
    "exemption)": "CLG",
    "charitable incorporated organisation": "CIO",
    "scottish charitable incorporated organisation": "CIO",
    "registered society": "co-operative or community benefit society",
    "industrial and provident society": "co-operative or community benefit society",
}
# Companies House Accounts.AccountCategory: the size of accounts filed.
SME_ACCOUNTS = {"micro entity", "small", "medium", "total exemption small",
                "total exemption full", "unaudited abridged", "audit exemption subsidiary",
                "dormant", "accounts type not available", "filing exemption subsidiary"}
LARGE_ACCOUNTS = {"full", "group"}
REQUIRED = ("CompanyName", "CompanyNumber")


def published(name: str) -> dt.date | None:
    """The date in the published file's name ("BasicCompanyData-2024-05-01-part1_7.zip"), or
    in the name of the CSV inside the zip."""
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", name)
    if not found:
        return None
    try:
        return dt.date(*map(int, found.groups()))
    except ValueError:
        return None


def entry(record: dict[str, str], report: ReadReport | None = None, row: int = 0
          ) -> dict[str, Any] | None:
    """One company as a register entry (`keepitlocal.spend.register.COLUMNS`), with its
    status and incorporation and dissolution dates besides (for the asset map's growth)."""
    number = norm_company(record.get("CompanyNumber"))
    name = clean(record.get("CompanyName"))
    if number is None or name is None:
        return None
    category = (record.get("CompanyCategory") or "").strip()
    accounts = (record.get("Accounts.AccountCategory") or "").strip().lower()
    vcse_type = VCSE_COMPANY_TYPES.get(category.lower())
    size = "sme" if accounts in SME_ACCOUNTS else "large" if accounts in LARGE_ACCOUNTS else None
    return {
        "id": "CH:" + number, "name": name, "source": "companies_house",
        "postcode": clean(record.get("RegAddress.PostCode")), "supplier_id": None,
        "vat_number": None, "company_number": number, "charity_number": None,
        "country": clean(record.get("RegAddress.Country")),
        "sector": "vcse" if vcse_type else "private", "size": size,
        "company_type": vcse_type or category or None,
        "size_basis": "Companies House accounts category" if size else None,
        "status": clean(record.get("CompanyStatus")),
        "incorporated": _date(record, "IncorporationDate", report, row),
        "dissolved": _date(record, "DissolutionDate", report, row),
    }


def _date(record: dict[str, str], column: str, report: ReadReport | None, row: int
          ) -> dt.date | None:
    """A DD/MM/YYYY date of the file; a bad one is reported (when reading a file) as None."""
    return parse_date(record.get(column), report or ReadReport("", "companies_house"), row,
                      column)


def read(path: Path, report: ReadReport | None = None) -> Iterator[dict[str, Any]]:
    """Every company of the file (CSV, or the CSV inside the published zip), streamed."""
    report = report or ReadReport(path.name, "companies_house")
    with open_text(path, (".csv",)) as (stream, name):
        report.published = report.published or published(path.name) or published(name)
        reader = csv.reader(stream)
        header = [h.strip().lstrip(UTF8_BOM).strip() for h in next(reader, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError.one("not a Companies House basic company data file: no "
                                 + ", ".join(missing) + " column", file=name, row=1,
                                 hint="download BasicCompanyDataAsOneFile from "
                                      "download.companieshouse.gov.uk")
        for number, values in enumerate(reader, start=2):
            report.rows += 1
            row = entry(dict(zip(header, values, strict=False)), report, number)
            if row is None:
                report.problem("row has no CompanyNumber or CompanyName", row=number)
                continue
            report.kept += 1
            yield row
