"""Contracts Finder suppliers, from its OCDS award releases (JSON).

Contracts Finder publishes every award above the thresholds as Open Contracting Data Standard
releases: `{"releases": [{"parties": [...], "awards": [{"suppliers": [...]}]}]}` (a release
package; a list of packages, or one release per line, is read too). Each supplier party gives
a name, usually an address with a postcode, and often its Companies House (`GB-COH`) or charity
(`GB-CHC`) number, which is what places a supplier a ledger names but no vendor list locates.
The publication date is the package's `publishedDate` (the latest, for several). Licence: Open
Government Licence v3.0.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from keepitlocal.errors import InputError
from keepitlocal.registers.fields import (
    ReadReport,
    clean,
    norm_charity,
    norm_company,
    open_text,
    parse_date,
)

SCHEMES = {"GB-COH": "company_number", "GB-CHC": "charity_number", "GB-SC": "charity_number",
           "GB-NIC": "charity_number"}


def _releases(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _releases(item)
    elif isinstance(data, dict):
        if "releases" in data:
            yield from (r for r in data["releases"] if isinstance(r, dict))
        elif "parties" in data or "awards" in data:
            yield data


def _documents(text: str) -> Iterator[Any]:
    try:
        yield json.loads(text)
        return
    except json.JSONDecodeError:
        pass
    for line in text.splitlines():  # one release or package per line
        if line.strip():
            yield json.loads(line)


def _ids(party: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    identifiers = [party.get("identifier") or {}, *(party.get("additionalIdentifiers") or [])]
    for ident in identifiers:
        if not isinstance(ident, dict):
            continue
        field = SCHEMES.get(str(ident.get("scheme") or "").upper())
        value = (norm_company if field == "company_number" else norm_charity)(ident.get("id"))
        if field and value and field not in found:
            found[field] = value
    return found


def read(path: Path, report: ReadReport | None = None) -> Iterator[dict[str, Any]]:
    """Every distinct supplier of the awards, as register entries (one per supplier party)."""
    report = report or ReadReport(path.name, "contracts_finder")
    with open_text(path, (".json", ".jsonl")) as (stream, name):
        text = stream.read()
    seen: set[tuple[str, str | None]] = set()
    latest: dt.date | None = None
    try:
        documents = list(_documents(text))
    except json.JSONDecodeError as error:
        raise InputError.one(f"not JSON: {error.msg}", file=name, row=error.lineno,
                             hint="give the OCDS release package Contracts Finder publishes"
                             ) from None
    for document in documents:
        if isinstance(document, dict) and document.get("publishedDate"):
            when = parse_date(str(document["publishedDate"])[:10], report, 0, "publishedDate")
            latest = max(latest, when) if latest and when else (when or latest)
        for number, release in enumerate(_releases(document), start=1):
            suppliers = {str(s.get("id")) for a in release.get("awards") or []
                         for s in (a.get("suppliers") or []) if isinstance(s, dict)}
            for party in release.get("parties") or []:
                if not isinstance(party, dict):
                    continue
                if "supplier" not in (party.get("roles") or []) and \
                        str(party.get("id")) not in suppliers:
                    continue
                report.rows += 1
                party_name = clean(party.get("name"))
                if party_name is None:
                    report.problem("supplier party has no name", row=number, column="parties")
                    continue
                address = party.get("address") or {}
                postcode = clean(address.get("postalCode")) if isinstance(address, dict) \
                    else None
                ids = _ids(party)
                key = (ids.get("company_number") or party_name.lower(), postcode)
                if key in seen:
                    continue
                seen.add(key)
                report.kept += 1
                ref = ids.get("company_number") or ids.get("charity_number") or \
                    f"{party_name.upper()}|{postcode or ''}"
                yield {
                    "id": "CF:" + ref, "name": party_name, "source": "contracts_finder",
                    "postcode": postcode, "supplier_id": None, "vat_number": None,
                    "company_number": ids.get("company_number"),
                    "charity_number": ids.get("charity_number"),
                    "country": clean(address.get("countryName")) if isinstance(address, dict)
                    else None,
                    "sector": None, "size": None, "company_type": None, "size_basis": None,
                }
    report.published = report.published or latest
