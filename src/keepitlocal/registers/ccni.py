"""The Charity Commission for Northern Ireland register export, in its published CSV form.

Columns: "Reg charity number", "Sub charity number", "Charity name", "Date registered", "Status"
("Registered", "Removed", "Received: on time", ...), "Date for financial year ending",
"Total income", "Total spending", "Public address" (the postcode ends it), "Company number",
"What the charity does", "Who the charity helps", "How the charity works". The export is not
always UTF-8 (it is read as Windows-1252 then). Licence: Open Government Licence v3.0.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from keepitlocal.registers.fields import (
    ReadReport,
    RegisteredOrganisation,
    clean,
    norm_charity,
    norm_company,
    parse_date,
    parse_money,
    postcode_at_end,
    register_rows,
)

REQUIRED = ("Reg charity number", "Charity name")
EXPECTED = ("the CCNI register export CSV with columns \"Reg charity number\", "
            "\"Charity name\", \"Date registered\", \"Public address\"")
_CLASSES = ("What the charity does", "Who the charity helps", "How the charity works")


def read(path: Path, report: ReadReport | None = None) -> Iterator[RegisteredOrganisation]:
    """Every charity of the export (registered and removed), one row each."""
    report = report or ReadReport(path.name, "ccni")
    for row, record in register_rows(path, report, REQUIRED, "a CCNI register export", EXPECTED):
        number = norm_charity(record.get("Reg charity number"))
        name_ = clean(record.get("Charity name"))
        if number is None or not number.isdigit() or name_ is None:
            report.problem(f"{record.get('Reg charity number')!r} is not a CCNI charity "
                           "number" if name_ else "row has no charity name", row=row,
                           column="Reg charity number" if name_ else "Charity name")
            continue
        sub = (clean(record.get("Sub charity number")) or "0").lstrip("0") or "0"
        status = clean(record.get("Status")) or ""
        classes: list[str] = []
        for column in _CLASSES:
            classes += [c.strip() for c in (record.get(column) or "").split(",")
                        if c.strip()]
        report.kept += 1
        yield RegisteredOrganisation(
            register="ccni",
            number=f"NIC{number}" if sub == "0" else f"NIC{number}-{sub}",
            name=name_,
            status=status,
            active=status.lower() != "removed",
            registered=parse_date(record.get("Date registered"), report, row,
                                  "Date registered"),
            income=parse_money(record.get("Total income"), report, row, "Total income"),
            expenditure=parse_money(record.get("Total spending"), report, row,
                                    "Total spending"),
            postcode=postcode_at_end(record.get("Public address")),
            charity_number=f"NIC{number}",
            company_number=norm_company(record.get("Company number")),
            classifications=tuple(classes),
            main=sub == "0",
            financial_year_end=parse_date(record.get("Date for financial year ending"),
                                          report, row, "Date for financial year ending"),
            row=row,
        )
