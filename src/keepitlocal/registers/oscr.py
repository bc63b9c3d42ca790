"""The Scottish Charity Regulator (OSCR) register download, in its published CSV form.

OSCR publishes the current register (`CharityExport-DD-Mon-YYYY.csv`, zipped) and a file of
former charities with a "Ceased Date"; both have the same columns ("Charity Number" SC012345,
"Charity Name", "Registered Date", "Charity Status", "Postcode", "Purposes", "Beneficiaries",
"Activities", "Main Operating Location", "Most recent year income", ...). Licence: Open
Government Licence v3.0.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from keepitlocal.registers.fields import (
    ReadReport,
    RegisteredOrganisation,
    clean,
    norm_charity,
    parse_date,
    parse_money,
    register_rows,
)

REQUIRED = ("Charity Number", "Charity Name")
EXPECTED = ("the OSCR charity register CSV (CharityExport-….csv or its zip) with columns "
            "\"Charity Number\", \"Charity Name\", \"Registered Date\", \"Postcode\"")


def _listed(text: str | None) -> tuple[str, ...]:
    """OSCR writes lists as 'First','Second, with a comma'."""
    if not text:
        return ()
    items = next(csv.reader([text], quotechar="'", skipinitialspace=True), [])
    return tuple(item.strip() for item in items if item.strip())


def read(path: Path, report: ReadReport | None = None) -> Iterator[RegisteredOrganisation]:
    """Every charity of the download (current and former), one row each."""
    report = report or ReadReport(path.name, "oscr")
    for row, record in register_rows(path, report, REQUIRED, "an OSCR register download", EXPECTED):
        number = norm_charity(record.get("Charity Number"))
        name_ = clean(record.get("Charity Name"))
        if number is None or not number.startswith("SC") or name_ is None:
            report.problem(f"{record.get('Charity Number')!r} is not a Scottish charity "
                           "number (SC followed by six digits)" if name_ else
                           "row has no charity name", row=row,
                           column="Charity Number" if name_ else "Charity Name")
            continue
        status = clean(record.get("Charity Status")) or ""
        ceased = parse_date(record.get("Ceased Date"), report, row, "Ceased Date")
        report.kept += 1
        yield RegisteredOrganisation(
            register="oscr",
            number=number,
            name=name_,
            status=status,
            active=ceased is None and status.lower() not in {"removed", "ceased"},
            registered=parse_date(record.get("Registered Date"), report, row,
                                  "Registered Date"),
            removed=ceased,
            income=parse_money(record.get("Most recent year income"), report, row,
                               "Most recent year income"),
            expenditure=parse_money(record.get("Most recent year expenditure"), report,
                                    row, "Most recent year expenditure"),
            postcode=clean(record.get("Postcode")),
            charity_number=number,
            activities=clean(record.get("Objectives")),
            classifications=_listed(record.get("Purposes")) + _listed(
                record.get("Activities")),
            areas_of_operation=tuple(filter(None, [clean(record.get(
                "Main Operating Location"))])),
            kind=clean(record.get("Constitutional Form")),
            financial_year_end=parse_date(record.get("Year End"), report, row, "Year End"),
            row=row,
        )
