"""Find the date, amount, supplier and other columns in a council's own header names.

Every council names its columns differently ("Supplier Name", "BeneficiaryName", "Supplier_Name"),
so headers are reduced to lower-case letters and digits and compared with known names, best first.
A person can always override with a mapping; detection only proposes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from keepitlocal.errors import InputError, Problem
from keepitlocal.spend.model import (
    LEDGER_FIELDS,
    REGISTER_FIELDS,
    REQUIRED_LEDGER_FIELDS,
    ColumnMapping,
    DetectedColumns,
)


def squash(header: str) -> str:
    """'Supplier_Name ' -> 'suppliername': the form headers are compared in."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


# Known names per field, most preferred first. Order matters where a file has several candidates:
# Cheshire East has EffectiveDate and PaymentDate (payment wins); Cannock Chase has amounts with and
# without VAT (net wins, as the Transparency Code asks for net amounts).
LEDGER_NAMES: dict[str, tuple[str, ...]] = {
    "amount": (
        "amount", "netamount", "amountexcvat", "amountexclvat", "sumofamountexcvat", "amountnet",
        "netvalue", "value", "amountgbp", "amountpaid", "paymentamount", "transactionamount",
        "totalamount", "amountexcludingvat", "expenditure", "sumofamount", "total", "grossamount",
        "amountincvat", "sumofamountincvat",
    ),
    "date": (
        "paymentdate", "date", "transactiondate", "datepaid", "paiddate", "dateofpayment",
        "paymentdate1", "effectivedate", "postingdate", "invoicedate", "paymentrundate",
    ),
    "supplier": (
        "suppliername", "supplier", "beneficiaryname", "beneficiary", "payeename", "payee",
        "vendorname", "vendor", "creditorname", "creditor", "merchantname", "merchant",
        "recipientname", "recipient", "name", "paidto",
    ),
    "supplier_id": (
        "supplierid", "suppliernumber", "supplierno", "suppliercode", "supplierref",
        "beneficiaryotherid", "beneficiaryid", "vendorid", "vendornumber", "vendorno",
        "creditorid", "creditornumber", "creditorno", "payeeid",
    ),
    "transaction_id": (
        "transactionnumber", "transactionid", "transactionno", "transactionref",
        "transactionreference", "paymentreference", "paymentref", "paymentnumber", "documentnumber",
        "invoicenumber", "invoiceno", "reference",
    ),
    "department": (
        "department", "directorate", "departmentname", "expensearea", "organisationalunit",
        "service", "portfolio", "division", "servicedivision", "body2",
    ),
    "service": (
        "servicearea", "serviceareacategorisation", "servicelabel", "servicename",
        "costcentre", "costcentrename", "costcentredescription", "responsibleunit", "section",
    ),
    "expense_type": (
        "expensetype", "expensestype", "expendituretype", "expensetypedescription",
        "proclasslabel", "proclasslabellevel1",
        "expensescategory", "expenditurecategory", "expensecategory", "procurementcategory",
        "subjective", "subjectivedescription", "accountdescription", "merchantcategory",
        "category", "expensedescription", "expensecode", "cipfaexpenditurecode",
    ),
    "description": (
        "purpose", "description", "summaryofpurpose", "purposeofexpenditure", "narrative",
        "details", "detail", "transactiondescription", "itemdescription",
    ),
    "vat_number": (
        "vatregno", "vatregistrationnumber", "vatnumber", "vatno", "vatreg", "suppliervatnumber",
        "vatregistration", "vatregnumber",
    ),
    "company_number": (
        "companynumber", "companyno", "companyregistrationnumber", "companyregno",
        "companieshousenumber", "crn", "suppliercompanynumber",
    ),
    "charity_number": (
        "charitynumber", "charityno", "registeredcharitynumber", "charityregistrationnumber",
        "supplierscharitynumber", "charityregno",
    ),
    "postcode": (
        "supplierpostcode", "postcode", "postalcode", "supplierpostalcode", "postcodeofsupplier",
    ),
}

REGISTER_NAMES: dict[str, tuple[str, ...]] = {
    "name": (
        "suppliername", "name", "supplier", "vendorname", "companyname", "organisationname",
        "creditorname", "beneficiaryname", "payeename", "charityname",
    ),
    "supplier_id": (
        "supplierid", "suppliernumber", "supplierno", "suppliercode", "vendorid", "vendornumber",
        "creditorid", "creditornumber", "beneficiaryotherid", "id",
    ),
    "postcode": (
        "postcode", "postcode1", "supplierpostcode", "postalcode", "regaddresspostcode",
        "charitycontactpostcode", "addresspostcode",
    ),
    "vat_number": ("vatnumber", "vatregno", "vatregistrationnumber", "vatno", "vatreg"),
    "company_number": (
        "companynumber", "companyno", "companyregistrationnumber", "crn",
        "charitycompanyregistrationnumber",
    ),
    "charity_number": (
        "charitynumber", "charityno", "registeredcharitynumber", "charityregistrationnumber",
    ),
    "country": ("country", "regaddresscountry", "addresscountry", "countryofsupplier"),
    "sector": ("sector", "organisationtype", "suppliertype", "creditortype", "vcse", "type"),
    "size": ("size", "sme", "smestatus", "businesssize", "suppliersize", "organisationsize"),
    "company_type": ("companytype", "companycategory", "legalform", "legalstatus"),
}

# Headers that look like an amount but are not the amount paid.
_NOT_AMOUNT = re.compile(r"vat(?!.*(exc|excl|net))|irrecoverable|number|code|^date")


def _candidates(field: str, squashed: str, names: dict[str, tuple[str, ...]]) -> int | None:
    """Rank of a header for a field: lower is better; None when it does not fit."""
    options = names[field]
    if squashed in options:
        return options.index(squashed)
    if field == "amount" and _NOT_AMOUNT.search(squashed):
        return None
    # "Supplier Name (Redacted)" or "Amount £": a known name inside a longer header.
    for rank, option in enumerate(options):
        if len(option) >= 5 and option in squashed:
            return 100 + rank
    return None


def detect(
    headers: Sequence[str],
    mapping: dict[str, str | None] | None = None,
    names: dict[str, tuple[str, ...]] | None = None,
    fields: Sequence[str] = LEDGER_FIELDS,
) -> tuple[dict[str, str], dict[str, str]]:
    """Propose a header for each field. A mapping wins; a header serves at most one field.

    Returns (columns, how) where how[field] is "mapped", "exact" or "similar".
    """
    names = names or LEDGER_NAMES
    mapping = mapping or {}
    columns: dict[str, str] = {}
    how: dict[str, str] = {}
    taken: set[str] = set()
    for fld, header in mapping.items():
        if header is not None:
            columns[fld] = header
            how[fld] = "mapped"
            taken.add(header)
    squashed = {h: squash(h) for h in headers}
    # Two passes: every field first takes a header that is one of its known names, and only then
    # may a field take a header that merely contains one (so "Service Area" is not taken by
    # department before service sees it).
    for similar in (False, True):
        for fld in fields:
            if fld in mapping or fld in columns:
                continue
            best: tuple[int, int, str] | None = None
            for position, header in enumerate(headers):
                if header in taken or not header.strip():
                    continue
                rank = _candidates(fld, squashed[header], names)
                if rank is None or (rank >= 100) != similar:
                    continue
                if best is None or (rank, position) < best[:2]:
                    best = (rank, position, header)
            if best is not None:
                columns[fld] = best[2]
                how[fld] = "similar" if similar else "exact"
                taken.add(best[2])
    return columns, how


def check_mapping(mapping: ColumnMapping | dict[str, Any], fields: Sequence[str] = LEDGER_FIELDS
                  ) -> None:
    """Reject a mapping that names a field the engine does not know, before any file is read."""
    columns = mapping.columns if isinstance(mapping, ColumnMapping) else mapping
    unknown = [f for f in columns if f not in fields]
    if unknown:
        raise InputError([
            Problem(f"unknown field {f!r} in the column mapping",
                    hint="fields are: " + ", ".join(fields)) for f in unknown
        ])


def mapping_from_dict(data: Any, source: str = "mapping") -> ColumnMapping:
    """Read a mapping object: {"amount": "Net Amount", ..., "files": {"apr.csv": {...}}}."""
    if not isinstance(data, dict):
        raise InputError.one("a column mapping must be a JSON object", file=source)
    raw = data.get("columns", data)
    files = raw.get("files", data.get("files", {})) or {}
    columns = {k: v for k, v in raw.items() if k != "files"}
    problems = []
    for where in [columns, *files.values()]:
        for key, value in where.items():
            if key not in LEDGER_FIELDS:
                problems.append(Problem(f"unknown field {key!r}", file=source,
                                        hint="fields are: " + ", ".join(LEDGER_FIELDS)))
            elif value is not None and not isinstance(value, str):
                problems.append(Problem(f"{key!r} must name a header (a string) or be null",
                                        file=source))
    if problems:
        raise InputError(problems)
    return ColumnMapping(columns=columns, files={k: dict(v) for k, v in files.items()})


def detect_ledger(file: str, headers: Sequence[str], header_row: int,
                  mapping: ColumnMapping | None = None,
                  sample: Sequence[Sequence[str]] = ()) -> DetectedColumns:
    """Detect one ledger file's columns and check that a mapped header is really there."""
    wanted = mapping.for_file(file) if mapping else {}
    absent = [h for h in wanted.values() if h is not None and h not in headers]
    if absent:
        raise InputError([
            Problem(f"the mapping names column {h!r}, which this file does not have", file=file,
                    row=header_row, hint="headers found: " + ", ".join(map(repr, headers)))
            for h in absent
        ])
    columns, how = detect(headers, wanted)
    missing = tuple(f for f in REQUIRED_LEDGER_FIELDS if f not in columns)
    return DetectedColumns(
        file=file, headers=tuple(headers), header_row=header_row, columns=columns, how=how,
        missing=missing, sample=tuple(tuple(r) for r in sample),
    )


def require(detected: DetectedColumns) -> None:
    if detected.missing:
        raise InputError([
            Problem(f"no {f} column found", file=detected.file, row=detected.header_row,
                    hint="headers found: " + ", ".join(map(repr, detected.headers))
                    + f'; map it with --map FILE.json, e.g. {{"{f}": "Header Name"}}')
            for f in detected.missing
        ])


def header_score(cells: Sequence[str]) -> int:
    """How much a row looks like a ledger header: the number of fields it names."""
    columns, _ = detect([c for c in cells if c], fields=LEDGER_FIELDS)
    return len(columns) + 2 * sum(1 for f in REQUIRED_LEDGER_FIELDS if f in columns)


def detect_register(headers: Sequence[str]) -> dict[str, str]:
    columns, _ = detect(headers, None, REGISTER_NAMES, REGISTER_FIELDS)
    return columns
