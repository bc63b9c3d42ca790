"""Reading files people supply without letting one file exhaust the machine.

Every workbook and JSON document a user gives the product (on the command line or through the web)
is opened here. A workbook is a zip of XML: before parsing, its declared unpacked sizes and its
compression ratio are checked (Python's zipfile never inflates a member past its declared size,
so the declared sizes are a true bound); while it is read, rows, columns, cells and time are
counted. JSON is checked for size and nesting depth before it is parsed. Each refusal is an
`InputError` that names the limit and says how to split the file.

The same module neutralises text written to spreadsheets (`neutralise`), so no export carries a
live formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from keepitlocal.errors import InputError, Problem

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much one supplied file may hold. The defaults fit the largest real files seen (a
    council's year of spend, about 400,000 lines) several times over."""

    unpacked_bytes: int = 400 * MB  # all members of a workbook, unpacked
    shared_strings_bytes: int = 100 * MB  # read whole when a workbook is opened
    ratio: int = 100  # unpacked / packed, for members over `ratio_from_bytes`
    ratio_from_bytes: int = 8 * MB
    members: int = 2000
    rows_per_sheet: int = 1_048_576  # Excel's own maximum
    columns: int = 1000
    cells: int = 30_000_000
    seconds: float = 600.0
    json_bytes: int = 50 * MB
    json_depth: int = 64

    def tighter(self, **limits: Any) -> Limits:
        return replace(self, **limits)


LIMITS = Limits()
_ACTIVE: ContextVar[Limits] = ContextVar("keepitlocal_read_limits", default=LIMITS)


def active_limits() -> Limits:
    """The limits in force here: LIMITS, or tighter ones set by `bounded` (e.g. in a request)."""
    return _ACTIVE.get()


@contextmanager
def bounded(limits: Limits) -> Iterator[Limits]:
    """Every read inside the block uses `limits` (a web request sets a shorter time bound)."""
    token = _ACTIVE.set(limits)
    try:
        yield limits
    finally:
        _ACTIVE.reset(token)


Report = Callable[..., None]  # report(rows=rows read so far) or report(percent=0-100)
_PROGRESS: ContextVar[Report | None] = ContextVar("keepitlocal_read_progress", default=None)


@contextmanager
def reporting(report: Report) -> Iterator[None]:
    """Inside the block, a workbook's reader calls `report(rows=rows so far)` every 1,000 rows
    (and a reader that only knows a share calls `report(percent=...)`), so a background job
    can show how far it has got."""
    token = _PROGRESS.set(report)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def progress_reporter() -> Report | None:
    """The callback set by `reporting`, if any (readers that count in their own way use it)."""
    return _PROGRESS.get()


SPLIT_HINT = ("split it into smaller files (one per quarter or month, or one sheet per file) and "
              "use each on its own")


class TooLarge(InputError):
    """A file goes past one of the limits; the message names the limit."""

    @classmethod
    def limit(cls, message: str, file: str, row: int | None = None) -> TooLarge:
        return cls([Problem(message, file=file, row=row, hint=SPLIT_HINT)])


def _megabytes(count: int) -> str:
    return f"{count / MB:,.0f} MB"


def check_archive(source: Path | IO[bytes], file: str, limits: Limits | None = None) -> None:
    """Refuse a workbook whose zip declares more than the limits allow, before any parsing.

    A file that is not a zip at all is left to the caller's reader, which says so in its words.
    """
    limits = limits or active_limits()
    position = None if isinstance(source, Path) else source.tell()
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    finally:
        if position is not None and not isinstance(source, Path):
            source.seek(position)
    if len(members) > limits.members:
        raise TooLarge.limit(
            f"the workbook holds {len(members):,} parts, more than the {limits.members:,} "
            "allowed", file)
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.unpacked_bytes:
        raise TooLarge.limit(
            f"the workbook unpacks to {_megabytes(unpacked)}, more than the "
            f"{_megabytes(limits.unpacked_bytes)} allowed", file)
    for member in members:
        if member.filename.lower().endswith("sharedstrings.xml") and (
            member.file_size > limits.shared_strings_bytes
        ):
            raise TooLarge.limit(
                f"the workbook's text table unpacks to {_megabytes(member.file_size)}, more "
                f"than the {_megabytes(limits.shared_strings_bytes)} allowed", file)
        if member.file_size > limits.ratio_from_bytes and (
            member.file_size > limits.ratio * max(member.compress_size, 1)
        ):
            raise TooLarge.limit(
                f"part {member.filename} of the workbook unpacks to "
                f"{member.file_size // max(member.compress_size, 1):,} times its packed size, "
                f"more than the {limits.ratio} times real workbooks reach", file)


class Budget:
    """Cells and time left for one file, shared by all its sheets."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.cells = 0
        self.read = 0  # rows of all sheets so far, for `reporting`
        self.deadline = time.monotonic() + limits.seconds

    def rows(self, rows: Iterator[tuple[Any, ...]], sheet: str) -> Iterator[tuple[Any, ...]]:
        limits = self.limits
        report = _PROGRESS.get()
        for number, row in enumerate(_readable(rows, self.file, sheet), start=1):
            self.read += 1
            if number > limits.rows_per_sheet:
                raise TooLarge.limit(
                    f"sheet {sheet} has more than {limits.rows_per_sheet:,} rows", self.file)
            width = len(row)
            if width > limits.columns:
                while width and row[width - 1] is None:
                    width -= 1
                if width > limits.columns:
                    raise TooLarge.limit(
                        f"sheet {sheet} has more than {limits.columns:,} columns", self.file,
                        row=number)
                row = row[:width]
            self.cells += width
            if self.cells > limits.cells:
                raise TooLarge.limit(
                    f"the workbook has more than {limits.cells:,} cells", self.file, row=number)
            if number % 1000 == 0:
                if time.monotonic() > self.deadline:
                    raise TooLarge.limit(
                        f"reading the workbook took longer than {limits.seconds:,.0f} seconds "
                        f"(stopped at sheet {sheet}, row {number:,})", self.file)
                if report is not None:
                    report(rows=self.read)
            yield row


def _readable(rows: Iterator[tuple[Any, ...]], file: str, sheet: str) -> Iterator[tuple[Any, ...]]:
    """The rows, with any failure of the parser inside a damaged file (zlib, XML, zip, date and
    number errors: openpyxl raises many kinds) turned into an InputError naming the place."""
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:  # hostile input can fail anywhere in a third-party parser
            raise InputError.one(
                f"the workbook is damaged: it cannot be read past row {number:,} of sheet "
                f"{sheet} ({type(error).__name__})", file=file,
                hint="open it in your spreadsheet program and save it again as .xlsx, or as CSV",
            ) from None
        number += 1
        yield row


class BoundedSheet:
    """A read-only worksheet whose rows are counted against the file's budget."""

    def __init__(self, sheet: Any, budget: Budget) -> None:
        self._sheet = sheet
        self._budget = budget
        self.title: str = sheet.title

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple[Any, ...]]:
        return self._budget.rows(self._sheet.iter_rows(values_only=values_only), self.title)


class BoundedWorkbook:
    """An openpyxl read-only workbook seen through `Budget`: sheetnames, worksheets, [name]."""

    def __init__(self, book: Any, budget: Budget) -> None:
        self._book = book
        self._budget = budget
        self.sheetnames: list[str] = list(book.sheetnames)

    @property
    def worksheets(self) -> list[BoundedSheet]:
        return [BoundedSheet(s, self._budget) for s in self._book.worksheets]

    def __getitem__(self, name: str) -> BoundedSheet:
        return BoundedSheet(self._book[name], self._budget)

    def __contains__(self, name: str) -> bool:
        return name in self.sheetnames

    def close(self) -> None:
        self._book.close()

    def __enter__(self) -> BoundedWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_workbook(
    source: Path | IO[bytes], file: str, *, data_only: bool = True, limits: Limits | None = None,
) -> BoundedWorkbook:
    """A workbook opened read-only (streamed, formulas never evaluated) within the limits.

    Raises TooLarge before parsing when the zip declares too much; openpyxl's own errors for a
    file that is not a workbook pass through for the caller to word.
    """
    from openpyxl import load_workbook

    limits = limits or active_limits()
    check_archive(source, file, limits)
    try:
        book = load_workbook(source, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise
    except Exception as error:  # zlib, XML and other parser errors from a damaged file
        # presented as the error every reader already words as "not an Excel workbook"
        raise zipfile.BadZipFile(f"{type(error).__name__}: {error}") from None
    return BoundedWorkbook(book, Budget(file, limits))


@dataclass
class Row:
    """One record of fields, with where it came from (file and row) for error messages:
    what a reader turns into typed values."""

    fields: dict[str, Any]
    file: str
    row: int | str | None


def header_key(value: Any) -> str:
    """A column heading as a field key ("Start-date " -> "start_date"), so headings match
    whatever case, spacing or hyphens a spreadsheet program left."""
    return "_".join(str(value or "").strip().casefold().replace("-", " ").split())


def sheet_records(
    sheet: BoundedSheet,
) -> tuple[list[str], list[tuple[int, dict[str, Any]]]] | None:
    """A sheet's header keys and its non-blank rows as {key: value}, each with its row number
    as the spreadsheet shows it (the header is row 1); None for a sheet with no header.
    Rows are read through the workbook's budget, so the bounds on rows and cells still hold."""
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return None
    keys = [header_key(h) for h in header]
    found = []
    for number, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        found.append((number, {k: v for k, v in zip(keys, values, strict=False) if k}))
    return keys, found


def sheet_rows(workbook: Any, sheet: str, source: str, *, columns: Iterable[str],
               required: Iterable[str], main_sheet: str, template: str,
               problems: list[Problem]) -> list[Row]:
    """The rows of one sheet of a workbook to fill in, each a Row naming file, sheet and row.

    A missing `main_sheet` and each missing `required` column become a problem (appended to
    `problems`) that says how to start again from `template` or which columns the sheet takes;
    any other missing sheet is empty."""
    if sheet not in workbook.sheetnames:
        if sheet == main_sheet:
            problems.append(Problem(f'the workbook has no "{sheet}" sheet', file=source,
                                    hint=f"start from `{template}`"))
        return []
    where = f"{source} [{sheet}]"
    records = sheet_records(workbook[sheet])
    if records is None:
        return []
    keys, found = records
    columns = list(columns)
    for key in required:
        if key not in keys:
            problems.append(Problem(f'column "{key}" is missing', file=where, row=1,
                                    hint=f"the {sheet} sheet has columns: " + ", ".join(columns)))
    return [Row(fields, where, number) for number, fields in found]


def workbook_sheets(
    path: Path, sheets: dict[str, list[str]], required: dict[str, list[str]], *,
    main_sheet: str, template: str, problems: list[Problem],
) -> dict[str, list[Row]]:
    """The rows of each of `sheets` (name: columns) of a workbook to fill in, read as
    `sheet_rows` reads one; a file that is not a workbook is an InputError."""
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = open_workbook(path, path.name)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise InputError.one("is not an Excel workbook (.xlsx)", file=path.name,
                             hint="save it as an Excel Workbook (.xlsx)") from None
    try:
        return {name: sheet_rows(workbook, name, path.name, columns=columns,
                                 required=required[name], main_sheet=main_sheet,
                                 template=template, problems=problems)
                for name, columns in sheets.items()}
    finally:
        workbook.close()


# --- reading in a process of its own --------------------------------------------------------

MEMORY_HINT = ("split it into smaller files (one per quarter or month) and upload each on its own, "
               "or ask whoever runs the server to allow more memory")


def isolated(
    work: Callable[..., Any], *args: Any, file: str, limits: Limits, memory_bytes: int,
    report: Report | None = None, stopped: Callable[[], bool] | None = None,
    grace: float = 30.0,
) -> Any:
    """`work(*args)` run in a fresh process whose memory is capped at `memory_bytes` (its
    address space) and which is stopped after `limits.seconds`, so no file, however built, can
    exhaust the machine or hang the worker: not even inside a parser's C code, which the row
    budget cannot interrupt. The process is killed `grace` seconds after `limits.seconds` (the
    budget's own check, between rows, comes first; starting the process takes a few seconds).

    `work` must be importable by name (a module-level function of an engine: the process does
    not set up the web app) and its result picklable. Inside, reads are bounded by `limits` and
    progress goes to `report` (called here, twice a second); `stopped()` is asked as often, and
    when it says so the process is killed and InputError raised. An InputError raised by `work`
    comes back as itself; any other error is raised again here.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    rows, percent = context.Value("q", -1), context.Value("d", -1.0)
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_isolated_child, daemon=True, args=(
        work, args, limits, memory_bytes, rows, percent, send))
    child.start()
    send.close()
    deadline = time.monotonic() + limits.seconds + grace
    seen = (-1, -1.0)
    outcome: tuple[str, Any] | None = None
    try:
        while outcome is None:
            if receive.poll(0.5):
                try:
                    outcome = receive.recv()
                except EOFError:  # the process died before it could answer
                    break
                break
            now = (rows.value, percent.value)
            if report is not None and now != seen:
                seen = now
                report(rows=now[0] if now[0] >= 0 else None,
                       percent=now[1] if now[1] >= 0 else None)
            if stopped is not None and stopped():
                raise InputError.one("the check was cancelled", file=file)
            if time.monotonic() > deadline:
                raise TooLarge.limit(
                    f"reading the file took longer than {limits.seconds:,.0f} seconds", file)
            if not child.is_alive() and not receive.poll(0):
                break
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if outcome is None:  # a crash in C code, most often an allocation refused by the cap
        raise InputError([Problem(
            f"the process reading the file stopped (exit code {child.exitcode}), most likely "
            f"for want of memory ({_megabytes(memory_bytes)} allowed)", file=file,
            hint=MEMORY_HINT)])
    if outcome[0] == "memory":
        raise InputError([Problem(
            f"reading the file needed more than the {_megabytes(memory_bytes)} of memory allowed",
            file=file, hint=MEMORY_HINT)])
    kind, value = outcome
    if kind == "refused":
        error_type, problems = value
        raise error_type(problems)
    if kind == "raised":
        raise value
    return value


def _isolated_child(work: Callable[..., Any], args: tuple[Any, ...], limits: Limits,
                    memory_bytes: int, rows: Any, percent: Any, send: Any) -> None:
    """The process of `isolated`: cap the memory, run the work, send back what happened."""
    import pickle
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    def report(**named: Any) -> None:
        if named.get("rows") is not None:
            rows.value = named["rows"]
        if named.get("percent") is not None:  # readers make several passes: never go back
            percent.value = max(percent.value, named["percent"])

    outcome: tuple[str, Any]
    try:
        with bounded(limits), reporting(report):
            outcome = ("done", work(*args))
    except MemoryError:
        outcome = ("memory", None)
    except InputError as error:  # DuckDB's "Out of Memory Error", worded by a reader
        outcome = ("memory", None) if "Out of Memory" in str(error) else (
            "refused", (type(error), error.problems))
    except Exception as error:  # sent back to be worded (or logged) by the caller
        outcome = ("memory", None) if "OutOfMemory" in type(error).__name__ else (
            "raised", error)
    try:
        send.send(outcome)
    except (pickle.PicklingError, TypeError, AttributeError, MemoryError):
        send.send(("raised", RuntimeError(f"{outcome[0]}: {outcome[1]!r}"[:2000])))
    send.close()


# --- JSON ------------------------------------------------------------------------------------

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text` (brackets inside strings do not count)."""
    deepest = depth = 0
    for char in re.sub(r"[^\[\]{}]", "", _STRING.sub("", text)):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def loads_json(
    text: str | bytes, file: str, *, limits: Limits | None = None, **options: Any
) -> Any:
    """json.loads with the size and nesting checked first; `options` go to json.loads.

    json.JSONDecodeError passes through for the caller to word; bytes that are not UTF-8 are an
    InputError.
    """
    limits = limits or active_limits()
    size = len(text)
    if size > limits.json_bytes:
        raise TooLarge.limit(
            f"the JSON is {_megabytes(size)}, more than the {_megabytes(limits.json_bytes)} "
            "allowed", file)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InputError.one(f"is not a UTF-8 text file (byte {error.start:,})", file=file,
                                 hint="save it as UTF-8 JSON") from None
    if json_depth(text) > limits.json_depth:
        raise InputError.one(
            f"the JSON nests lists or objects more than {limits.json_depth} deep", file=file,
            hint="real files need a few levels: check that this is the right file")
    return json.loads(text, **options)


def read_json_file(path: Path) -> Any:
    """The document in a JSON file a user wrote (numbers with a point as Decimals), read as
    `loads_json` reads text; a syntax error is an InputError naming its line and column."""
    from decimal import Decimal

    try:
        return loads_json(path.read_bytes(), path.name, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InputError.one(
            f"is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}",
            file=path.name, hint="check the JSON syntax (commas, quotes, brackets)") from None


# --- writing spreadsheets --------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection).

    Numbers, dates and other values pass unchanged, so a negative amount stays a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]], *, lineterminator: str = "\r\n") -> str:
    """The one CSV writer: every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([neutralise("" if v is None else v) for v in row])
    return out.getvalue()


def text_cells(workbook: Any) -> None:
    """Every text cell of an openpyxl workbook stored as text, never as a formula.

    openpyxl turns any string starting with "=" into a formula; marking the cell as text keeps
    the words exactly (so the workbook reads back unchanged) and a spreadsheet never runs them.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"


def save_workbook(workbook: Any, target: str | Path | IO[bytes]) -> None:
    """The one XLSX writer: every text cell kept as text, then saved."""
    text_cells(workbook)
    workbook.save(target)


def sheets_workbook(
    readme: Iterable[str],
    sheets: dict[str, list[str]],
    rows: Callable[[str], Iterable[list[Any]]],
) -> Any:
    """A new workbook to fill in: a "Read me" sheet of `readme` lines, then each sheet of
    `sheets` with its column headings in bold and `rows(name)` beneath. Save it with
    `save_workbook`, so every text cell is stored as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Read me"
    for line in readme:
        sheet.append([line])
    bold = Font(bold=True)
    for name, columns in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = bold
        for row in rows(name):
            sheet.append(row)
    return workbook


def workbook_bytes(workbook: Any) -> bytes:
    out = io.BytesIO()
    save_workbook(workbook, out)
    return out.getvalue()
