"""Grants published in the 360Giving Data Standard: its summary CSV (or XLSX saved as CSV) and
its JSON package ({"grants": [...]}).

Each grant names its recipient by an org-id ("GB-CHC-1234567", "GB-COH-01234567",
"GB-SC-SC012345", "GB-NIC-100123") and often by charity and company number too, which is how a
grant finds its organisation. Licences vary by publisher (usually OGL or CC BY): the file's own
licence applies.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from keepitlocal.errors import InputError
from keepitlocal.registers.fields import (
    UTF8_BOM,
    ReadReport,
    clean,
    csv_rows,
    norm_charity,
    norm_company,
    open_text,
    parse_date,
    parse_money,
)

EXPECTED = ("a 360Giving grants file: CSV with \"Identifier\", \"Amount Awarded\", "
            "\"Award Date\", \"Recipient Org:Identifier\", \"Recipient Org:Name\" columns, or "
            "a JSON package {\"grants\": [...]}")
_CSV_REQUIRED = ("Identifier", "Amount Awarded", "Recipient Org:Identifier")


@dataclass(slots=True)
class Grant:
    identifier: str
    amount: Decimal
    currency: str
    awarded: date | None
    title: str | None
    funder_id: str | None
    funder_name: str | None
    recipient_id: str | None
    recipient_name: str | None
    charity_number: str | None
    company_number: str | None
    postcode: str | None
    row: int


def ids_from_org_id(org_id: str | None) -> tuple[str | None, str | None]:
    """(charity number, company number) named by a 360Giving org-id, where it names one."""
    text = (org_id or "").strip().upper()
    for prefix in ("GB-CHC-", "GB-SC-", "GB-NIC-"):
        if text.startswith(prefix):
            number = norm_charity(text.removeprefix(prefix))
            if prefix == "GB-NIC-" and number:
                number = f"NIC{number}"
            return number, None
    if text.startswith("GB-COH-"):
        return None, norm_company(text.removeprefix("GB-COH-"))
    return None, None


def read(path: Path, report: ReadReport | None = None) -> Iterator[Grant]:
    """Every grant of the file, in pounds (grants in another currency are reported, skipped)."""
    report = report or ReadReport(path.name, "360giving")
    with open_text(path, (".csv", ".json")) as (stream, name):
        report.file = name
        start = stream.read(1 << 16).lstrip(UTF8_BOM).lstrip()
        if start.startswith("{"):
            yield from _json(start + stream.read(), report)
            return
    if start.startswith("["):
        raise InputError.one("is a JSON array, not a 360Giving package",
                             file=name, row=1, hint="expected " + EXPECTED)
    with open_text(path, (".csv",)) as (stream, name):
        rows = csv_rows(stream)
        first = next(rows, None)
        if first is None or any(c not in first[1] for c in _CSV_REQUIRED):
            raise InputError.one("not a 360Giving grants file", file=name, row=1,
                                 hint="expected " + EXPECTED)
        for row, record in itertools.chain([first], rows):
            grant = _from_csv(row, record, report)
            if grant is not None:
                yield grant


def _grant(report: ReadReport, row: int, *, identifier: Any, amount: Any, currency: Any,
           awarded: Any, title: Any, funder_id: Any, funder_name: Any, recipient_id: Any,
           recipient_name: Any, charity: Any, company: Any, postcode: Any,
           columns: tuple[str, str, str]) -> Grant | None:
    report.rows += 1
    value = parse_money(amount, report, row, columns[0])
    if value is None:
        report.problem("grant has no amount", row=row, column=columns[0])
        return None
    currency_ = (clean(currency) or "GBP").upper()
    if currency_ != "GBP":
        report.problem(f"grant is in {currency_}, not pounds: left out", row=row,
                       column=columns[1])
        return None
    org_charity, org_company = ids_from_org_id(clean(recipient_id))
    report.kept += 1
    return Grant(
        identifier=clean(identifier) or f"row {row}",
        amount=value,
        currency=currency_,
        awarded=parse_date(awarded, report, row, columns[2]),
        title=clean(title),
        funder_id=clean(funder_id),
        funder_name=clean(funder_name),
        recipient_id=clean(recipient_id),
        recipient_name=clean(recipient_name),
        charity_number=norm_charity(charity) or org_charity,
        company_number=norm_company(company) or org_company,
        postcode=clean(postcode),
        row=row,
    )


def _from_csv(row: int, record: dict[str, str], report: ReadReport) -> Grant | None:
    return _grant(
        report, row,
        identifier=record.get("Identifier"), amount=record.get("Amount Awarded"),
        currency=record.get("Currency"), awarded=record.get("Award Date"),
        title=record.get("Title"), funder_id=record.get("Funding Org:Identifier"),
        funder_name=record.get("Funding Org:Name"),
        recipient_id=record.get("Recipient Org:Identifier"),
        recipient_name=record.get("Recipient Org:Name"),
        charity=record.get("Recipient Org:Charity Number"),
        company=record.get("Recipient Org:Company Number"),
        postcode=record.get("Recipient Org:Postal Code"),
        columns=("Amount Awarded", "Currency", "Award Date"))


def _json(text: str, report: ReadReport) -> Iterator[Grant]:
    try:
        package = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError.one(f"is not valid JSON ({error.msg}, line {error.lineno})",
                             file=report.file, hint="expected " + EXPECTED) from None
    grants = package.get("grants") if isinstance(package, dict) else None
    if not isinstance(grants, list):
        raise InputError.one("has no \"grants\" list", file=report.file, row=1,
                             hint="expected " + EXPECTED)
    for row, grant in enumerate(grants, start=1):
        if not isinstance(grant, dict):
            report.problem("grant is not a JSON object", row=row)
            continue
        recipient = _first(grant.get("recipientOrganization"))
        funder = _first(grant.get("fundingOrganization"))
        location = _first(recipient.get("location")) if recipient else {}
        item = _grant(
            report, row,
            identifier=grant.get("id"), amount=grant.get("amountAwarded"),
            currency=grant.get("currency"), awarded=grant.get("awardDate"),
            title=grant.get("title"), funder_id=funder.get("id"), funder_name=funder.get("name"),
            recipient_id=recipient.get("id"), recipient_name=recipient.get("name"),
            charity=recipient.get("charityNumber"), company=recipient.get("companyNumber"),
            postcode=recipient.get("postalCode") or location.get("postalCode"),
            columns=("amountAwarded", "currency", "awardDate"))
        if item is not None:
            yield item


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        value = value[0] if value else {}
    return value if isinstance(value, dict) else {}
