"""What every register reader shares: one organisation row, the published files opened (plain,
zipped, with or without a byte-order mark) and the field parsers that report where a value is bad.

Register rows are kept small (slots, no pandas) so a full register streams through in one pass.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from keepitlocal.errors import Problem

UTF8_BOM = "\ufeff"


@dataclass(slots=True)
class RegisteredOrganisation:
    """One organisation as one register publishes it (a charity, a company, a grant recipient).

    `register` names the source ("ccew", "oscr", "ccni", "companies_house", "360giving",
    "directory"); `number` is the register's own key. Money is Decimal; None is "not given".
    """

    register: str
    number: str
    name: str
    status: str = ""
    active: bool = True
    registered: date | None = None
    removed: date | None = None
    income: Decimal | None = None
    expenditure: Decimal | None = None
    postcode: str | None = None
    charity_number: str | None = None
    company_number: str | None = None
    activities: str | None = None
    classifications: tuple[str, ...] = ()
    areas_of_operation: tuple[str, ...] = ()
    kind: str | None = None
    main: bool = True  # False for a Charity Commission linked charity (a subsidiary)
    organisation_number: int | None = None
    financial_year_end: date | None = None
    row: int = 0
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class ReadReport:
    """How a read went: rows read, rows kept, problems (bounded) and the publication date."""

    file: str
    kind: str
    rows: int = 0
    kept: int = 0
    problems: list[Problem] = field(default_factory=list)
    published: date | None = None
    problem_limit: int = 200
    problems_dropped: int = 0

    def problem(self, message: str, *, row: int | None = None, column: str | None = None,
                hint: str | None = None) -> None:
        if len(self.problems) >= self.problem_limit:
            self.problems_dropped += 1
            return
        self.problems.append(Problem(message, file=self.file, row=row, column=column, hint=hint))


@contextmanager
def open_text(path: Path, member_suffix: tuple[str, ...] = (".csv", ".json", ".txt"),
              member: str | None = None) -> Iterator[tuple[IO[str], str]]:
    """A text stream over `path`, or over the matching member of a zip; yields (stream, name).

    The stream is read lazily (never loaded whole); a UTF-8 byte-order mark is dropped, and a
    file that is not UTF-8 is read as Windows-1252, as the Northern Ireland register is.
    """
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            wanted = [n for n in names if n.lower().endswith(member_suffix)
                      and (member is None or Path(n).name.lower() == member.lower())]
            if not wanted:
                raise FileNotFoundError(f"{path.name} holds no {' or '.join(member_suffix)} file"
                                        + (f" for {member}" if member else ""))
            with archive.open(wanted[0]) as peek:
                encoding = _encoding(peek.read(65536))
            with archive.open(wanted[0]) as raw:
                yield io.TextIOWrapper(raw, encoding=encoding, newline=""), \
                    f"{path.name}:{wanted[0]}"
        return
    with path.open("rb") as raw:
        encoding = _encoding(raw.read(65536))
        raw.seek(0)
        yield io.TextIOWrapper(raw, encoding=encoding, newline=""), path.name


def _encoding(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the sample's end
            return "cp1252"
    return "utf-8"


def csv_rows(stream: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, row) for each data row; headers stripped."""
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        return
    names = [h.strip().lstrip(UTF8_BOM).strip() for h in header]
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        yield number, dict(zip(names, values, strict=False))


def register_rows(path: Path, report: ReadReport, required: tuple[str, ...], what: str,
                  expected: str) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a register CSV (or its zip), after checking its header names the `required`
    columns; a file without them is refused saying what was expected."""
    from keepitlocal.errors import InputError

    missing = [c for c in required if c not in header_of(path)]
    if missing:
        raise InputError.one(f"not {what}: no {', '.join(missing)} column", file=path.name,
                             row=1, hint="expected " + expected)
    with open_text(path, (".csv",)) as (stream, name):
        report.file = name
        for row, record in csv_rows(stream):
            report.rows += 1
            yield row, record


def header_of(path: Path, member: str | None = None) -> list[str]:
    """The first row of a CSV (or of the CSV inside a zip), for telling files apart."""
    with open_text(path, (".csv", ".txt"), member) as (stream, _):
        row = next(csv.reader(stream), [])
    return [h.strip().lstrip(UTF8_BOM).strip() for h in row]


_DATE_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y",
                 "%d %b %Y", "%Y-%m-%dT%H:%M:%S.%f", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")


def parse_date(value: object, report: ReadReport, row: int, column: str) -> date | None:
    """A register date in any of its published shapes; bad text is reported and read as None."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":  # ISO, as the JSON extract writes
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    if len(text) >= 10 and text[2] == "/" and text[5] == "/":  # 31/03/2024, OSCR and CCNI
        try:
            return date(int(text[6:10]), int(text[3:5]), int(text[:2]))
        except ValueError:
            pass
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    report.problem(f"{text!r} is not a date", row=row, column=column,
                   hint="dates look like 2024-03-31 or 31/03/2024")
    return None


_MONEY_STRIP = re.compile(r"[£,\s]")


def parse_money(value: object, report: ReadReport, row: int, column: str) -> Decimal | None:
    """A register amount in pounds as Decimal; blank is None, bad text is reported and None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = _MONEY_STRIP.sub("", str(value))
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        report.problem(f"{value!r} is not an amount of money", row=row, column=column)
        return None
    return amount


def norm_company(value: object) -> str | None:
    """A Companies House number in its 8-character form ("1234" -> "00001234", "sc12" ->
    "SC000012"); None when there is none."""
    if value is None:
        return None
    text = re.sub(r"[^A-Za-z0-9]", "", str(value)).upper()
    if not text or set(text) == {"0"}:
        return None
    if text.isdigit():
        return text.zfill(8) if len(text) <= 8 else None
    return text[:2] + text[2:].zfill(6) if len(text) <= 8 and text[2:].isdigit() else None


def norm_charity(value: object) -> str | None:
    """A charity number without spaces or leading zeros ("SC 012345" -> "SC012345")."""
    if value is None:
        return None
    text = re.sub(r"[^A-Za-z0-9]", "", str(value)).upper()
    if not text:
        return None
    if text.isdigit():
        return str(int(text)) if int(text) else None
    return text


def clean(value: object) -> str | None:
    """Stripped text, or None for blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


_POSTCODE_IN_TEXT = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\s*$", re.I)


def postcode_at_end(address: str | None) -> str | None:
    """The postcode that ends an address line ("..., Belfast, BT1 5GS" -> "BT1 5GS")."""
    if not address:
        return None
    found = _POSTCODE_IN_TEXT.search(address.strip().rstrip(".,"))
    return f"{found.group(1).upper()} {found.group(2).upper()}" if found else None
