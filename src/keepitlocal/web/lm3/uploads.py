"""Reading a supplier or staff file (CSV or XLSX) into rows of text, and saying what is wrong with
each row.

Nothing here writes to the database: services.upload_read stores the rows for the user to check.
A `Layout` says what one kind of file holds (its columns, template and row check).

Files are read defensively: openpyxl in read-only mode with formulas kept as text (never
evaluated), CSV encodings detected (UTF-8 first, then charset-normalizer among the encodings UK
spreadsheets are saved in), and every problem named with its row and column.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from keepitlocal.errors import InputError
from keepitlocal.lm3.validation import supplier_key
from keepitlocal.money import parse_amount
from keepitlocal.safeio import csv_text, open_workbook, workbook_bytes
from keepitlocal.web.core.uploads import UploadError

# What each field may be called in a file's header row (compared case- and punctuation-blind).
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("supplier name", "name", "supplier", "company", "company name", "organisation",
             "organisation name", "business name"),
    "contact": ("contact name", "contact", "contact person", "name of contact"),
    "email": ("email", "e mail", "email address", "e mail address", "contact email",
              "contact e mail"),
    "spend": ("value spent", "spend", "value", "amount", "amount spent", "total spend",
              "spend gbp", "value gbp", "total"),
    "postcode": ("postcode", "post code", "postal code", "supplier postcode"),
    "local": ("local", "is local", "based locally", "local yes no"),
}
FIELDS = tuple(ALIASES)
TEMPLATE_HEADER = ["Supplier name", "Contact name", "E-mail address", "Value spent", "Postcode",
                   "Local"]
TEMPLATE_EXAMPLE = ["Acme Catering Ltd", "Sam Jones", "accounts@acme.example.org", "12000.00",
                    "HX1 2JJ", ""]
# A staff file fills the same staging columns: name = role or name, spend = pay.
STAFF_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("role or name", "role", "name", "staff member", "job title", "job", "employee",
             "post", "staff"),
    "spend": ("pay", "gross pay", "salary", "annual pay", "pay gbp", "gross pay gbp", "wages",
              "amount", "pay for the period"),
    "postcode": ("home postcode", "postcode", "post code", "postal code"),
    "local": ("lives in the area", "local", "lives locally", "is local", "local yes no"),
}
STAFF_TEMPLATE_HEADER = ["Role or name", "Pay", "Home postcode", "Lives in the area"]
STAFF_TEMPLATE_EXAMPLE = ["Centre manager", "31000.00", "HX1 2JJ", ""]


@dataclass(frozen=True)
class Layout:
    """One kind of upload: what its columns may be called and what each row must hold."""

    kind: str  # the upload's kind as stored
    noun: str  # one row is one of these
    plural: str
    aliases: dict[str, tuple[str, ...]]
    required: dict[str, str]  # field -> the template's column name, for the header message
    template_header: list[str]
    template_example: list[str]
    sheet: str  # the sheet read first when a workbook has one of this name
    widths: tuple[int, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.aliases)


SUPPLIERS = Layout(
    "suppliers", "supplier", "suppliers", ALIASES,
    {"name": "Supplier name", "spend": "Value spent"}, TEMPLATE_HEADER, TEMPLATE_EXAMPLE,
    "Suppliers", (36, 24, 34, 14, 12, 8),
)
STAFF = Layout(
    "staff", "staff member", "staff", STAFF_ALIASES,
    {"name": "Role or name", "spend": "Pay"}, STAFF_TEMPLATE_HEADER, STAFF_TEMPLATE_EXAMPLE,
    "Staff", (30, 14, 14, 18),
)
LAYOUTS = {layout.kind: layout for layout in (SUPPLIERS, STAFF)}
CSV_ENCODINGS = ["utf_8", "utf_16", "cp1252", "latin_1", "iso8859_15"]
LIMITS = {"name": 300, "contact": 200, "email": 254, "postcode": 100, "spend": 100, "local": 20}
TRUE = {"yes", "y", "true", "1", "local"}
FALSE = {"no", "n", "false", "0", "non-local", "nonlocal", "not local"}
MAX_SPEND = Decimal("999999999999.99")
DECIMAL_COMMA = re.compile(r"^[£€\s]*\d{1,3}(?:\.?\d{3})*,\d{1,2}\s*$")


MAX_ROWS = 150_000  # rows in one file: more than any organisation's supplier list or payroll


@dataclass
class FileRows:
    rows: list[tuple[int, dict[str, str]]]  # (row number in the file, field -> text)
    encoding: str = ""
    ignored_columns: list[str] = field(default_factory=list)


def _header_key(value: object) -> str:
    text = str(value or "").casefold().replace("-", " ").replace("_", " ").replace("(£)", "gbp")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def map_header(
    header: Iterable[object], layout: Layout = SUPPLIERS
) -> tuple[dict[int, str], list[str]]:
    """Column index -> field, and the names of the columns we do not use."""
    lookup = {alias: name for name, aliases in layout.aliases.items() for alias in aliases}
    columns: dict[int, str] = {}
    ignored = []
    for index, value in enumerate(header):
        name = lookup.get(_header_key(value))
        if name and name not in columns.values():
            columns[index] = name
        elif str(value or "").strip():
            ignored.append(str(value).strip())
    missing = [f for f in layout.required if f not in columns.values()]
    if missing:
        found = ", ".join(f'"{str(h).strip()}"' for h in header if str(h or "").strip())
        raise UploadError(
            "The first row of the file should name the columns, and we could not find "
            + " or ".join(f'"{layout.required[m]}"' for m in missing)
            + f". Columns found: {found or 'none'}. Start from the template."
        )
    return columns, ignored


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value).strip()


def _records(values: Iterator[Iterable[Any]], layout: Layout = SUPPLIERS) -> FileRows:
    """Header row, then data rows: blank rows are skipped, row numbers are the file's own."""
    header: list[Any] = []
    header_row = 0
    for values_in_row in values:
        header_row += 1
        header = list(values_in_row)
        if any(_text(v) for v in header):
            break
    if not any(_text(v) for v in header):
        raise UploadError(
            f"The file is empty. Add a header row and one row per {layout.noun}.")
    columns, ignored = map_header(header, layout)
    rows: list[tuple[int, dict[str, str]]] = []
    for number, record in enumerate(values, start=header_row + 1):
        if len(rows) >= MAX_ROWS:
            raise UploadError(
                f"The file has more than {MAX_ROWS:,} {layout.plural}, the most one upload may "
                "hold. Split it into smaller files and upload each.")
        fields = {name: "" for name in layout.fields}
        any_value = False
        for index, value in enumerate(record):
            name = columns.get(index)
            if name is not None:
                text = _text(value)
                fields[name] = text
                any_value = any_value or bool(text)
        if any_value:
            rows.append((number, fields))
    return FileRows(rows, ignored_columns=ignored)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=CSV_ENCODINGS).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        return data.decode(encoding), encoding.replace("_", "-")
    except (UnicodeDecodeError, LookupError):
        return data.decode("latin-1"), "latin-1"


def read_csv(data: bytes, layout: Layout = SUPPLIERS) -> FileRows:
    text, encoding = decode(data)
    if "\x00" in text:
        raise UploadError("This does not look like a CSV file. Save it as CSV or Excel (.xlsx).")
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        try:
            found = _records(iter(csv.reader(io.StringIO(text, newline=""), dialect)), layout)
        except UploadError:
            if getattr(dialect, "delimiter", ",") == ",":
                raise
            # the sniffer can guess wrong on a short file: try plain commas before giving up
            found = _records(iter(csv.reader(io.StringIO(text, newline=""), csv.excel)),
                             layout)
    except csv.Error as error:
        raise UploadError(f"The CSV file could not be read: {error}.") from None
    found.encoding = encoding
    if getattr(dialect, "delimiter", ",") == ";":
        # Semicolon files come from spreadsheets set to a decimal comma: 1.200,50 is 1200.50
        for _, fields in found.rows:
            if DECIMAL_COMMA.match(fields["spend"]):
                fields["spend"] = fields["spend"].replace(".", "").replace(",", ".")
    return found


def read_xlsx(
    stream: IO[bytes], name: str = "the workbook", layout: Layout = SUPPLIERS
) -> FileRows:
    """The first sheet (or one named for the layout, e.g. "Staff"); formulas come back as text."""
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = open_workbook(stream, name, data_only=False)
    except InputError as error:
        raise UploadError(f"The file cannot be checked: {error}.") from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise UploadError(
            "This file is not an Excel workbook, although its name ends in .xlsx. Open it in "
            "your spreadsheet program and save it as an Excel Workbook (.xlsx) or as CSV."
        ) from None
    try:
        names = workbook.sheetnames
        sheet = workbook[layout.sheet] if layout.sheet in names else workbook[names[0]]
        found = _records(sheet.iter_rows(values_only=True), layout)
    except UploadError:
        raise
    except InputError as error:
        raise UploadError(f"The file cannot be checked: {error}.") from None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
        raise UploadError(f"The workbook could not be read ({error}).") from None
    finally:
        workbook.close()
    found.encoding = "xlsx"
    return found


def read_path(path: Path, kind: str) -> FileRows:
    """`read_file` on a staged copy: what the background worker runs for a large file, in a
    process of its own (`core.parsing.read_bounded`), so it needs no database."""
    with path.open("rb") as stream:
        return read_file(path.name, stream, LAYOUTS[kind])


def read_file(name: str, stream: IO[bytes], layout: Layout = SUPPLIERS) -> FileRows:
    """The file's rows, read within the limits in force (`safeio.bounded`: the request's, or
    the background job's)."""
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return read_xlsx(stream, name, layout)
    if lower.endswith((".csv", ".txt", ".tsv")):
        return read_csv(stream.read(), layout)
    if lower.endswith(".xls"):
        raise UploadError("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV.")
    raise UploadError("Upload a CSV file (.csv) or an Excel workbook (.xlsx).")


def parse_local(text: str) -> bool | None:
    word = text.strip().casefold()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    return None


def parse_spend(text: str) -> Decimal:
    """Raise ValueError with a message a person can act on."""
    if text.startswith("="):
        raise ValueError("is a formula: enter the amount itself")
    if re.search(r"\d[eE][+-]?\d", text):
        raise ValueError(f'"{text}" is written as a power of ten: enter the amount in full, '
                         "like 1250000 (a spreadsheet may show large numbers this way)")
    try:
        value = parse_amount(text)
    except ValueError:
        raise ValueError(f'"{text}" is not an amount: enter pounds, e.g. 1250.00') from None
    if value < 0:
        raise ValueError("is negative: net off credit notes and enter the total spent")
    if value > MAX_SPEND:
        raise ValueError("is too large")
    return value.quantize(Decimal("0.01"))


def check_row(
    fields: dict[str, str], *, duplicate_of: str | None, postcode_found: bool | None
) -> dict[str, str]:
    """field -> what is wrong with it (an empty dict: the row is ready to import).

    `duplicate_of` says where the same supplier already is; `postcode_found` whether the postcode
    could be placed (None when there is no valid postcode to look up).
    """
    problems = _too_long(fields)
    name = fields.get("name", "")
    if not name:
        problems["name"] = "Enter the supplier's name"
    elif duplicate_of:
        problems["name"] = f"{name} is already {duplicate_of}: combine the two into one row"
    _amount_problem(problems, fields, "Value spent", "Enter the value spent with this supplier")
    email = fields.get("email", "")
    if email and "email" not in problems:
        try:
            validate_email(email)
        except ValidationError:
            problems["email"] = f'"{email}" is not an e-mail address, like name@example.org'
    _place_problems(problems, fields, postcode_found,
                    "Enter the supplier's postcode, or say in the Local column whether it is "
                    "based in the area (yes or no)")
    return problems


def check_staff_row(fields: dict[str, str], *, postcode_found: bool | None) -> dict[str, str]:
    """A staff row's problems, like `check_row` (two staff may share a role, so no duplicates)."""
    problems = _too_long(fields, {"name": 200})
    if not fields.get("name", ""):
        problems["name"] = "Enter a role or name for this staff member"
    _amount_problem(problems, fields, "Pay", "Enter this staff member's pay for the period")
    _place_problems(problems, fields, postcode_found,
                    "Enter the home postcode, or say in the Lives in the area column whether "
                    "they live in the area (yes or no)")
    return problems


def _too_long(fields: dict[str, str], tighter: dict[str, int] | None = None) -> dict[str, str]:
    limits = LIMITS | (tighter or {})
    return {name: f"is longer than {limit} characters" for name, limit in limits.items()
            if len(fields.get(name, "")) > limit}


def _amount_problem(
    problems: dict[str, str], fields: dict[str, str], label: str, missing: str
) -> None:
    amount = fields.get("spend", "")
    if not amount:
        problems["spend"] = missing
    elif "spend" not in problems:
        try:
            parse_spend(amount)
        except ValueError as error:
            problems["spend"] = f"{label} {error}"


def _place_problems(
    problems: dict[str, str], fields: dict[str, str], postcode_found: bool | None, missing: str
) -> None:
    """The postcode must be found, unless the Local column says yes or no."""
    local_text = fields.get("local", "")
    local = parse_local(local_text) if local_text else None
    if local_text and local is None:
        problems["local"] = f'"{local_text}" should be yes or no'
    postcode = fields.get("postcode", "")
    if postcode and "postcode" not in problems:
        from keepitlocal.geo import is_valid_postcode
        from keepitlocal.web.core.fields import postcode_shaped

        if not postcode_shaped(postcode):
            problems["postcode"] = f'"{postcode}" is not a UK postcode, like HX1 2JJ'
        elif (postcode_found is False or not is_valid_postcode(postcode)) and local is None:
            problems["postcode"] = (
                f'"{postcode}" cannot be found: check it, or say whether it is in the area'
            )
    elif not postcode and local is None and not local_text:
        problems["postcode"] = missing


def row_key(name: str) -> str:
    return supplier_key(name)


def template_csv(layout: Layout = SUPPLIERS) -> str:
    return csv_text([layout.template_header, layout.template_example])


def template_xlsx(layout: Layout = SUPPLIERS) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = layout.sheet
    sheet.append(layout.template_header)
    sheet.append(layout.template_example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(layout.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return workbook_bytes(workbook)
