"""Find the date, amount, supplier and other columns in a council's own header names.

Every council names its columns differently ("Supplier Name", "BeneficiaryName", "Supplier_Name"),
so headers are reduced to lower-case letters and digits and compared with known names, best first.
A person can always override with a mapping; detection only proposes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from keepitlocal.errors import InputError, Problem
from keepitlocal.spend.model import (
    LEDGER_FIELDS,
    REGISTER_FIELDS,
    REQUIRED_LEDGER_FIELDS,
    ColumnChoice,
    ColumnMapping,
    DetectedColumns,
    UnreadableFile,
)
from keepitlocal.spend.periods import looks_like_date, parse_period, period_from_name


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
        "totalamount", "amountexcludingvat", "expenditure", "sumofamount", "spend", "net",
        "valuegbp", "netspend", "spendamount", "paymentvalue", "amountnetofvat", "total",
        "grossamount", "amountincvat", "sumofamountincvat",
    ),
    "date": (
        "paymentdate", "date", "transactiondate", "datepaid", "paiddate", "dateofpayment",
        "paymentdate1", "clearingdate", "datecleared", "cleareddate", "transdate",
        "paymentperiod", "period", "month", "effectivedate", "postingdate", "invoicedate",
        "paymentrundate",
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
_NOT_AMOUNT = re.compile(r"vat(?!.*(exc|excl|net))|irrecoverable|number|code|ref|date|year|"
                         r"period|month|^no$|count|percent|rate")
_NET = re.compile(r"net|exc|excl|excluding|exvat")
_GROSS = re.compile(r"gross|incvat|inclvat|includingvat|incvat|invat")
_TOTALS = ("total", "totalamount", "totalvalue", "totalpaid", "totalcost")

# Words that make a header a candidate for a field even when it is no known name ("Clearing
# Date", "Spend", "Value (£)", "Payee"), so that the column's content can decide.
_HINTS: dict[str, tuple[str, ...]] = {
    "date": ("date", "paid", "period", "month", "quarter", "cleared", "clearing", "posted",
             "when"),
    "amount": ("amount", "spend", "value", "gbp", "total", "net", "cost", "paid", "payment",
               "sum", "expenditure"),
    "supplier": ("supplier", "vendor", "payee", "beneficiary", "merchant", "creditor",
                 "recipient", "contractor", "company", "organisation", "name", "paidto",
                 "trader", "provider"),
}
_CONTENT = {"date": "dates", "amount": "amounts", "supplier": "names"}
_MONEY = re.compile(r"\(?[-+]?£?\s?-?\d{1,3}(,\d{3})*(\.\d{1,2})?\)?|\(?[-+]?£?\s?-?\d+(\.\d+)?\)?")
_DECIMALS = re.compile(r".*\.\d{2}\)?")
_LETTERS = re.compile(r"[A-Za-z]{2,}")


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


@dataclass(frozen=True)
class _Profile:
    """What the first rows of one column hold."""

    values: int  # non-blank cells
    dates: int
    numbers: int
    money: int  # numbers written with pence
    names: int  # text with letters that is neither a date nor a number
    distinct: int


def profile(cells: Sequence[str]) -> _Profile:

    values = [c.strip() for c in cells if c and c.strip()]
    dates = sum(1 for v in values if looks_like_date(v))
    numbers = [v for v in values if _MONEY.fullmatch(v.replace("\u00a0", ""))]
    names = sum(1 for v in values if _LETTERS.search(v) and not looks_like_date(v)
                and not _MONEY.fullmatch(v))
    return _Profile(len(values), dates, len(numbers),
                    sum(1 for v in numbers if _DECIMALS.fullmatch(v)), names,
                    len({v.upper() for v in values}))


def _content(field: str, prof: _Profile | None) -> tuple[int, str | None, bool]:
    """(points, reason, fits) from a column's content; fits is False when the content says no."""
    if prof is None or field not in _CONTENT:
        return 0, None, True
    n = prof.values
    if n == 0:
        return 0, "no values in the first rows", True
    if field == "date":
        hits, points = prof.dates, round(30 * prof.dates / n)
    elif field == "amount":
        hits = prof.numbers
        points = round(20 * prof.numbers / n + 10 * prof.money / n)
    else:
        hits, points = prof.names, round(20 * prof.names / n)
        if prof.distinct < prof.names:
            points += 5  # names that come back row after row, as suppliers do
        if prof.distinct == 1 and n >= 3:
            points -= 15  # one value throughout: the council's own name, not its suppliers
    reason = f"{hits} of {n} values in the first rows are {_CONTENT[field]}"
    return points, reason, hits * 2 >= n


@dataclass
class _Candidate:
    field: str
    header: str
    position: int
    header_points: int
    content_points: int
    header_reason: str
    content_reason: str | None
    fits: bool
    how: str
    adjust: int = 0
    adjust_reason: str | None = None

    @property
    def score(self) -> int:
        return self.header_points + self.content_points + self.adjust

    def reasons(self) -> tuple[str, ...]:
        return tuple(r for r in (self.header_reason, self.content_reason, self.adjust_reason)
                     if r)


def _header_points(field: str, header: str, squashed: str,
                   names: dict[str, tuple[str, ...]]) -> tuple[int, str, str] | None:
    rank = _candidates(field, squashed, names)
    label = field.replace("_", " ")
    if rank is not None and rank < 100:
        return 60 - min(rank, 30), f"{header!r} is a usual name for the {label}", "exact"
    if rank is not None:
        return 30 - min(rank - 100, 20) // 2, f"{header!r} contains a usual name for the " \
            f"{label}", "similar"
    hints = _HINTS.get(field, ())
    if field == "amount" and (_NOT_AMOUNT.search(squashed) and "£" not in header):
        return None
    if any(h in squashed for h in hints) or (field == "amount" and "£" in header):
        return 15, f"{header!r} has a word used for the {label}", "similar"
    return None


def _scored(headers: Sequence[str], names: dict[str, tuple[str, ...]], fields: Sequence[str],
            profiles: dict[str, _Profile]) -> tuple[list[_Candidate], list[str]]:
    """Every (field, header) pairing worth considering, scored; and notes on the choice."""
    out: list[_Candidate] = []
    for position, header in enumerate(headers):
        if not header.strip():
            continue
        squashed = squash(header)
        for fld in fields:
            prof = profiles.get(header)
            points, reason, fits = _content(fld, prof)
            found = _header_points(fld, header, squashed, names)
            if found is None:
                # A column of dates needs no name: "Column 3" full of 01/04/2024 is a date.
                if fld != "date" or prof is None or prof.values < 3 or \
                        prof.dates < 0.9 * prof.values:
                    continue
                found = (0, "", "content")
            elif found[2] == "exact" and not fits:
                # A usual name is kept even when its values do not read (they are then reported
                # line by line), but any column whose content fits better wins.
                points, fits = -20, True
            out.append(_Candidate(fld, header, position, found[0], points, found[1], reason,
                                  fits, found[2]))
    notes = _prefer_net([c for c in out if c.field == "amount" and c.fits], headers)
    return out, notes


def _prefer_net(amounts: list[_Candidate], headers: Sequence[str]) -> list[str]:
    """Gross, VAT and net side by side: the net amount is used (the Transparency Code asks for
    amounts net of recoverable VAT), and the choice is reported."""
    has_vat = any("vat" in squash(h) and not _NET.search(squash(h)) and not
                  _GROSS.search(squash(h)) for h in headers)

    def gross(c: _Candidate) -> bool:
        sq = squash(c.header)
        return bool(_GROSS.search(sq)) or (has_vat and sq in _TOTALS)

    grosses = [c for c in amounts if gross(c)]
    nets = [c for c in amounts if not gross(c)]
    if not grosses or not nets:
        return []
    for c in grosses:
        c.adjust = -60
        c.adjust_reason = "it is the gross amount (with VAT): the net amount is used"
    best = max(nets, key=lambda c: (c.score, -c.position))
    return [f"gross, VAT and net amounts are side by side: the net amount {best.header!r} is "
            f"used, not {grosses[0].header!r} (amounts are reported net of recoverable VAT)"]


def _lost(runner: _Candidate, winner: _Candidate, taken_by: dict[str, str]) -> str:
    other = taken_by.get(runner.header)
    if other is not None and other != runner.field:
        return f"it holds the {other.replace('_', ' ')} instead"
    if runner.adjust_reason:
        return runner.adjust_reason
    if not runner.fits:
        return f"only {runner.content_reason}"
    if runner.content_points < winner.content_points and runner.content_reason:
        return f"its content fits less well ({runner.content_reason})"
    if runner.header_points < winner.header_points:
        return (f"its header is a less usual name for the {runner.field.replace('_', ' ')} "
                f"(score {runner.score} against {winner.score})")
    return f"it comes later in the file (score {runner.score} against {winner.score})"


@dataclass(frozen=True)
class Detection:
    columns: dict[str, str]
    how: dict[str, str]
    choices: dict[str, ColumnChoice]
    notes: tuple[str, ...]
    guesses: dict[str, str]  # a free header to suggest for each required field not found


def explain(headers: Sequence[str], mapping: dict[str, str | None] | None = None,
            names: dict[str, tuple[str, ...]] | None = None,
            fields: Sequence[str] = LEDGER_FIELDS,
            sample: Sequence[Sequence[str]] = ()) -> Detection:
    """Choose a header for each field from header words and the first rows' content.

    Every pairing is scored (a usual name, a name inside a longer header, a telling word; then
    how many values are dates, amounts or names); the best pairings are taken first and a header
    serves at most one field. A mapping wins. Each choice says why, and why the runner-up lost.
    """
    names = names or LEDGER_NAMES
    mapping = mapping or {}
    columns: dict[str, str] = {}
    how: dict[str, str] = {}
    choices: dict[str, ColumnChoice] = {}
    for fld, header in mapping.items():
        if header is not None:
            columns[fld] = header
            how[fld] = "mapped"
            choices[fld] = ColumnChoice(fld, header, 0, ("given in the mapping",))
    profiles = {h: profile([r[i] if i < len(r) else "" for r in sample])
                for i, h in enumerate(headers)} if sample else {}
    candidates, notes = _scored(headers, names, fields, profiles)
    order = {f: i for i, f in enumerate(fields)}
    ranked = sorted((c for c in candidates if c.fits and c.score > 0),
                    key=lambda c: (-c.score, order[c.field], c.position))
    taken = set(columns.values())
    winners: dict[str, _Candidate] = {}
    for cand in ranked:
        if cand.field in mapping or cand.field in columns or cand.header in taken:
            continue
        columns[cand.field] = cand.header
        how[cand.field] = cand.how
        winners[cand.field] = cand
        taken.add(cand.header)
    taken_by = {h: f for f, h in columns.items()}
    for fld, win in winners.items():
        others = sorted((c for c in candidates if c.field == fld and c.header != win.header),
                        key=lambda c: (-c.score, c.position))
        runner = others[0] if others else None
        choices[fld] = ColumnChoice(
            fld, win.header, win.score, win.reasons(),
            runner.header if runner else None, runner.score if runner else None,
            _lost(runner, win, taken_by) if runner else None)
    used_notes = tuple(n for n in notes if "amount" in columns and columns["amount"] in n)
    guesses: dict[str, str] = {}
    free = [h for h in headers if h.strip() and h not in taken]
    wanting = [f for f in REQUIRED_LEDGER_FIELDS if f in fields and f not in columns]
    # The field whose content stands out most chooses first ("Col B" full of names: supplier).
    wanting.sort(key=lambda f: -max((_content(f, profiles.get(h))[0] for h in free), default=0))
    for fld in wanting:
        near = sorted((c for c in candidates if c.field == fld and c.header in free),
                      key=lambda c: (-c.score, c.position))
        if near:
            guesses[fld] = near[0].header
        elif free:  # no header word to go on: the column whose content fits best
            guesses[fld] = max(free, key=lambda h: (_content(fld, profiles.get(h))[0],
                                                    -headers.index(h)))
        if fld in guesses and len(free) > 1:
            free.remove(guesses[fld])
    return Detection({f: columns[f] for f in fields if f in columns},
                     {f: how[f] for f in fields if f in how}, choices, used_notes, guesses)


def detect(
    headers: Sequence[str],
    mapping: dict[str, str | None] | None = None,
    names: dict[str, tuple[str, ...]] | None = None,
    fields: Sequence[str] = LEDGER_FIELDS,
    sample: Sequence[Sequence[str]] = (),
) -> tuple[dict[str, str], dict[str, str]]:
    """Propose a header for each field: (columns, how), how being "mapped", "exact", "similar"
    or "content". See `explain` for the reasons."""
    found = explain(headers, mapping, names, fields, sample)
    return found.columns, found.how


# Per-file settings a mapping may give besides columns.
FILE_SETTINGS = ("period", "header_row")


def mapping_from_dict(data: Any, source: str = "mapping") -> ColumnMapping:
    """Read a mapping object: {"amount": "Net Amount", ..., "files": {"apr.csv": {...}}}.

    A file's entry may also give "period" (the month or quarter of a file with no date column,
    e.g. "2024-03") and "header_row" (the 1-based row of its header).
    """

    if not isinstance(data, dict):
        raise InputError.one("a column mapping must be a JSON object", file=source)
    raw = data.get("columns", data)
    files = raw.get("files", data.get("files", {})) or {}
    if not isinstance(files, dict) or not all(isinstance(v, dict) for v in files.values()):
        raise InputError.one('"files" must map each file name to an object', file=source)
    columns = {k: v for k, v in raw.items() if k != "files"}
    problems = []
    periods: dict[str, str] = {}
    header_rows: dict[str, int] = {}
    per_file: dict[str, dict[str, str | None]] = {}
    for name, where in [("", columns), *files.items()]:
        for key, value in where.items():
            if name and key == "period":
                if not isinstance(value, str) or parse_period(value) is None:
                    problems.append(Problem(
                        f"the period {value!r} for {name} is not a month or quarter",
                        file=source, hint='write it as "2024-03", "March 2024" or "Q1 2024/25"'))
                else:
                    periods[name] = value
            elif name and key == "header_row":
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    problems.append(Problem(f"the header row for {name} must be a row number "
                                            f"(1 or more), not {value!r}", file=source))
                else:
                    header_rows[name] = value
            elif key not in LEDGER_FIELDS:
                problems.append(Problem(f"unknown field {key!r}", file=source,
                                        hint="fields are: " + ", ".join(LEDGER_FIELDS)
                                        + ("; a file may also give " + ", ".join(FILE_SETTINGS)
                                           if name else "")))
            elif value is not None and not isinstance(value, str):
                problems.append(Problem(f"{key!r} must name a header (a string) or be null",
                                        file=source))
            elif name:
                per_file.setdefault(name, {})[key] = value
    if problems:
        raise InputError(problems)
    return ColumnMapping(columns=columns, files=per_file, periods=periods,
                         header_rows=header_rows)


def detect_ledger(file: str, headers: Sequence[str], header_row: int,
                  mapping: ColumnMapping | None = None,
                  sample: Sequence[Sequence[str]] = ()) -> DetectedColumns:
    """Detect one ledger file's columns and check that a mapped header is really there.

    A period given for the whole file stands in for its date column (unless the mapping names
    one): it is how a file published a month at a time, with no date column, is read.
    """
    wanted = mapping.for_file(file) if mapping else {}
    period = mapping.periods.get(file) if mapping else None
    if period and wanted.get("date") is None:
        wanted["date"] = None
    absent = [h for h in wanted.values() if h is not None and h not in headers]
    if absent:
        raise InputError([
            Problem(f"the mapping names column {h!r}, which this file does not have", file=file,
                    row=header_row, hint="headers found: " + ", ".join(map(repr, headers)))
            for h in absent
        ])
    found = explain(headers, wanted, sample=sample)
    missing = tuple(f for f in REQUIRED_LEDGER_FIELDS
                    if f not in found.columns and not (f == "date" and period))
    return DetectedColumns(
        file=file, headers=tuple(headers), header_row=header_row, columns=found.columns,
        how=found.how, missing=missing, sample=tuple(tuple(r) for r in sample),
        choices=found.choices, notes=found.notes, period=period if "date" not in found.columns
        else None, guesses=found.guesses,
    )


def example_mapping(detected: DetectedColumns) -> dict[str, Any]:
    """A `--map` file that would read this ledger: what was found plus a guess for what was not
    (for a missing date, the period its file name suggests), ready to check and edit."""

    entry: dict[str, Any] = {f: detected.columns[f] for f in REQUIRED_LEDGER_FIELDS
                             if f in detected.columns}
    for fld in detected.missing:
        suggested = period_from_name(detected.file) if fld == "date" else None
        if suggested:
            entry["period"] = suggested
        else:
            entry[fld] = detected.guesses.get(fld, "Header Name")
    return {"files": {detected.file: entry}}


def unreadable(detected: DetectedColumns) -> UnreadableFile:
    import json

    example = example_mapping(detected)
    problems = tuple(
        Problem(f"no {f} column found", file=detected.file, row=detected.header_row,
                hint="headers found: " + ", ".join(map(repr, detected.headers))
                + "; map it with --map FILE.json, e.g. " + json.dumps(example, ensure_ascii=False))
        for f in detected.missing)
    return UnreadableFile(detected.file, detected.header_row, detected.headers, problems, example)


def require(detected: DetectedColumns) -> None:
    if detected.missing:
        raise InputError(list(unreadable(detected).problems))


def header_score(cells: Sequence[str]) -> int:
    """How much a row looks like a ledger header: the number of fields it names."""
    return _header_score(tuple(c for c in cells if c))


@functools.lru_cache(maxsize=1 << 12)
def _header_score(cells: tuple[str, ...]) -> int:
    """Cached: the delimiter search and the header search score the same rows, and a council's
    monthly files repeat one header row."""
    columns, _ = detect(cells, fields=LEDGER_FIELDS)
    return len(columns) + 2 * sum(1 for f in REQUIRED_LEDGER_FIELDS if f in columns)


def detect_register(headers: Sequence[str]) -> dict[str, str]:
    columns, _ = detect(headers, None, REGISTER_NAMES, REGISTER_FIELDS)
    return columns
