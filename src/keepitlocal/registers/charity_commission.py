"""The Charity Commission for England and Wales register extract, in its published form.

The Commission publishes one file per table (`publicextract.charity.json`, ...), each a single
JSON array of objects, usually zipped and starting with a byte-order mark; the older extract was
tab-separated text with the same field names. Files are streamed, never loaded whole: the
`charity` table alone is over 400,000 rows. Field names follow the Commission's data definitions
(see docs/assetmap.md). Licence: Open Government Licence v3.0.

Tables read: `charity` (one row per main or linked charity), `charity_annual_return_parta`
(income by financial period, including government contracts and grants),
`charity_classification` (what / who / how) and `charity_area_of_operation`.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from keepitlocal.errors import InputError
from keepitlocal.registers.fields import (
    UTF8_BOM,
    ReadReport,
    RegisteredOrganisation,
    clean,
    norm_charity,
    norm_company,
    open_text,
    parse_date,
    parse_money,
)

CHARITY = "charity"
ANNUAL_RETURN = "charity_annual_return_parta"
CLASSIFICATION = "charity_classification"
AREA_OF_OPERATION = "charity_area_of_operation"
TABLES = (CHARITY, ANNUAL_RETURN, CLASSIFICATION, AREA_OF_OPERATION)

# Fields that tell the tables apart, whatever the file is called.
_SIGNATURE = {
    CHARITY: {"registered_charity_number", "charity_name", "charity_registration_status"},
    ANNUAL_RETURN: {"fin_period_end_date", "total_gross_income"},
    CLASSIFICATION: {"classification_code", "classification_type"},
    AREA_OF_OPERATION: {"geographic_area_type", "geographic_area_description"},
}
_MAX_OBJECT_CHARS = 8 * 1024 * 1024  # one register row is a few kB; more means broken JSON
_BETWEEN = re.compile(r"[\s,]*")


@dataclass(slots=True)
class AnnualReturn:
    """One financial period of one charity (`charity_annual_return_parta`)."""

    organisation_number: int
    period_end: date | None
    total_gross_income: Decimal | None
    government_contracts: Decimal | None
    government_grants: Decimal | None


@dataclass(slots=True)
class Classification:
    organisation_number: int
    kind: str  # "What", "Who" or "How"
    code: str
    description: str


@dataclass(slots=True)
class AreaOfOperation:
    organisation_number: int
    kind: str  # "Local Authority", "Region", "Country", "Continent"
    description: str
    parent: str | None


# ---- finding the tables ----------------------------------------------------------------------


@dataclass(frozen=True)
class TableFile:
    """Where one table is: a file, or a member of a zip."""

    table: str
    path: Path
    member: str | None = None


def _table_by_name(name: str) -> str | None:
    stem = Path(name).name.lower()
    for suffix in (".zip", ".json", ".txt"):
        stem = stem.removesuffix(suffix)
    stem = stem.removeprefix("publicextract.")
    return stem if stem in TABLES else None


def find_tables(path: Path) -> list[TableFile]:
    """The extract tables in a file or zip, by file name or else by their fields.

    Raises InputError when the file holds none of them, saying what was expected.
    """
    found: list[TableFile] = []
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist()
                       if n.lower().endswith((".json", ".txt")) and not n.endswith("/")]
        for member in members:
            table = _table_by_name(member) or _table_by_fields(path, Path(member).name)
            if table:
                found.append(TableFile(table, path, Path(member).name))
    else:
        table = _table_by_name(path.name) or _table_by_fields(path, None)
        if table:
            found.append(TableFile(table, path))
    if not found:
        raise InputError.one(
            "not a Charity Commission register extract table",
            file=path.name, row=1,
            hint="expected the Commission's publicextract files (charity, "
                 "charity_annual_return_parta, charity_classification, charity_area_of_operation),"
                 " JSON or zipped JSON, with fields such as registered_charity_number")
    return found


def _table_by_fields(path: Path, member: str | None) -> str | None:
    try:
        with open_text(path, (".json", ".txt", ".csv"), member) as (stream, _):
            first = next(_records(stream, ReadReport(path.name, "ccew")), None)
    except (InputError, UnicodeDecodeError, FileNotFoundError, csv.Error):
        return None
    if first is None:
        return None
    keys = set(first[1])
    for table, signature in _SIGNATURE.items():
        if signature <= keys:
            return table
    return None


# ---- streaming the records -------------------------------------------------------------------


def _records(stream: IO[str], report: ReadReport) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row, object) for each record: row 1 is the first object of the array, or the first data
    row (after the header) of a tab-separated file, counted as the header is row 1."""
    head = stream.read(1 << 16)
    start = head.lstrip(UTF8_BOM).lstrip()
    if start.startswith("["):
        yield from enumerate(_json_array(stream, start), start=1)
    elif start.startswith("{"):
        raise InputError.one("is a single JSON object, not the extract's array of records",
                             file=report.file, row=1)
    else:
        yield from _tab_separated(stream, head.lstrip(UTF8_BOM))


def _json_array(stream: IO[str], buffer: str) -> Iterator[dict[str, Any]]:
    """The objects of a JSON array, decoded one at a time from a growing window of the text."""
    decoder = json.JSONDecoder()
    position = 1  # after "["
    count = 0
    while True:
        position = _BETWEEN.match(buffer, position).end()  # type: ignore[union-attr]
        if position >= len(buffer):
            more = stream.read(1 << 20)
            if not more:
                raise InputError.one("the JSON array is cut short (no closing ']')",
                                     row=count + 1, hint="the file may be incomplete: "
                                     "download it again")
            buffer, position = buffer[position:] + more, 0
            continue
        if buffer[position] == "]":
            return
        try:
            value, end = decoder.raw_decode(buffer, position)
        except json.JSONDecodeError as error:
            more = stream.read(1 << 20)
            if not more or len(buffer) - position > _MAX_OBJECT_CHARS:
                raise InputError.one(f"record is not valid JSON ({error.msg})", row=count + 1,
                                     hint="the file may be damaged: download it again") from None
            buffer, position = buffer[position:] + more, 0
            continue
        count += 1
        if not isinstance(value, dict):
            raise InputError.one("record is not a JSON object", row=count)
        yield value
        position = end


def _tab_separated(stream: IO[str], head: str) -> Iterator[tuple[int, dict[str, Any]]]:
    def lines() -> Iterator[str]:
        pending = ""
        for chunk in itertools.chain([head], iter(lambda: stream.read(1 << 20), "")):
            pending += chunk
            *complete, pending = pending.split("\n")
            yield from (line.rstrip("\r") + "\n" for line in complete)
        if pending:
            yield pending.rstrip("\r")

    reader = csv.reader(lines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = [h.strip() for h in next(reader, [])]
    for row, values in enumerate(reader, start=1):
        if values:
            yield row, dict(zip(header, values, strict=False))


def _iter_table(source: TableFile, report: ReadReport) -> Iterator[tuple[int, dict[str, Any]]]:
    member = source.member
    with open_text(source.path, (".json", ".txt"), member) as (stream, name):
        report.file = name
        try:
            for row, record in _records(stream, report):
                _extract_date(record, report)
                yield row, record
        except InputError as error:
            for problem in error.problems:
                problem.file = problem.file or name
            raise


def _organisation_number(record: dict[str, Any], report: ReadReport, row: int) -> int | None:
    value = record.get("organisation_number")
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        report.problem(f"{value!r} is not an organisation number", row=row,
                       column="organisation_number")
        return None


def _extract_date(record: dict[str, Any], report: ReadReport) -> None:
    if report.published is None and record.get("date_of_extract"):
        report.published = parse_date(record["date_of_extract"], report, 0, "date_of_extract")


# ---- the tables ------------------------------------------------------------------------------


def read_charities(source: TableFile | Path, report: ReadReport | None = None
                   ) -> Iterator[RegisteredOrganisation]:
    """Every row of the `charity` table: main charities (linked_charity_number 0) and linked
    ones, registered and removed, as published. Rows without a charity number are reported."""
    source = _one(source, CHARITY)
    report = report or ReadReport(source.path.name, "ccew")
    for row, record in _iter_table(source, report):
        report.rows += 1
        number = norm_charity(record.get("registered_charity_number"))
        name = clean(record.get("charity_name"))
        if number is None or name is None:
            report.problem("row has no registered_charity_number or charity_name", row=row,
                           column="registered_charity_number" if number is None
                           else "charity_name")
            continue
        linked = str(record.get("linked_charity_number") or "0").strip() or "0"
        status = clean(record.get("charity_registration_status")) or ""
        removed = parse_date(record.get("date_of_removal"), report, row, "date_of_removal")
        report.kept += 1
        yield RegisteredOrganisation(
            register="ccew",
            number=number if linked == "0" else f"{number}-{linked}",
            name=name,
            status=status,
            active=removed is None and not status.lower().startswith("removed"),
            registered=parse_date(record.get("date_of_registration"), report, row,
                                  "date_of_registration"),
            removed=removed,
            income=parse_money(record.get("latest_income"), report, row, "latest_income"),
            expenditure=parse_money(record.get("latest_expenditure"), report, row,
                                    "latest_expenditure"),
            postcode=clean(record.get("charity_contact_postcode")),
            charity_number=number,
            company_number=norm_company(record.get("charity_company_registration_number")),
            activities=clean(record.get("charity_activities")),
            kind=clean(record.get("charity_type")),
            main=linked == "0",
            organisation_number=_organisation_number(record, report, row),
            financial_year_end=parse_date(record.get("latest_acc_fin_period_end_date"), report,
                                          row, "latest_acc_fin_period_end_date"),
            row=row,
        )


def _side_table(source: TableFile | Path, table: str, report: ReadReport | None,
                wanted: Collection[int] | None
                ) -> Iterator[tuple[ReadReport, int, int, dict[str, Any]]]:
    """(report, row, organisation number, record) for each row of a side table whose
    organisation is wanted (all, when `wanted` is None)."""
    found = _one(source, table)
    report = report or ReadReport(found.path.name, "ccew")
    for row, record in _iter_table(found, report):
        report.rows += 1
        number = _organisation_number(record, report, row)
        if number is None or (wanted is not None and number not in wanted):
            continue
        report.kept += 1
        yield report, row, number, record


def read_annual_returns(source: TableFile | Path, report: ReadReport | None = None,
                        wanted: Collection[int] | None = None) -> Iterator[AnnualReturn]:
    """Each financial period of `charity_annual_return_parta` (optionally only for `wanted`
    organisation numbers)."""
    for seen, row, number, record in _side_table(source, ANNUAL_RETURN, report, wanted):
        yield AnnualReturn(
            organisation_number=number,
            period_end=parse_date(record.get("fin_period_end_date"), seen, row,
                                  "fin_period_end_date"),
            total_gross_income=parse_money(record.get("total_gross_income"), seen, row,
                                           "total_gross_income"),
            government_contracts=parse_money(record.get("income_from_government_contracts"),
                                             seen, row, "income_from_government_contracts"),
            government_grants=parse_money(record.get("income_from_government_grants"), seen,
                                          row, "income_from_government_grants"),
        )


def read_classifications(source: TableFile | Path, report: ReadReport | None = None,
                         wanted: Collection[int] | None = None) -> Iterator[Classification]:
    for _, _, number, record in _side_table(source, CLASSIFICATION, report, wanted):
        yield Classification(number, clean(record.get("classification_type")) or "",
                             str(record.get("classification_code") or "").strip(),
                             clean(record.get("classification_description")) or "")


def read_areas_of_operation(source: TableFile | Path, report: ReadReport | None = None,
                            wanted: Collection[int] | None = None
                            ) -> Iterator[AreaOfOperation]:
    for _, _, number, record in _side_table(source, AREA_OF_OPERATION, report, wanted):
        yield AreaOfOperation(number, clean(record.get("geographic_area_type")) or "",
                              clean(record.get("geographic_area_description")) or "",
                              clean(record.get("parent_geographic_area_description")))


def _one(source: TableFile | Path, table: str) -> TableFile:
    """The given table file; a path is checked to hold that table (a wrong table is refused)."""
    if isinstance(source, TableFile):
        return source
    tables = {t.table: t for t in find_tables(source)}
    if table not in tables:
        raise InputError.one(
            f"holds the {', '.join(tables)} table, not {table}", file=source.name, row=1,
            hint=f"give the Commission's publicextract.{table}.json (or its zip)")
    return tables[table]
