"""The only module of the spend engine that reads files.

Ledgers go straight into DuckDB as text (every cell a string, every row numbered as in the
file) so that parsing happens once, in one place, and a 10-million-line file never passes
through Python row by row. Encodings are detected, not assumed: councils still publish cp1252 files.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import io as _io
import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from keepitlocal.errors import InputError, Problem
from keepitlocal.safeio import (
    LIMITS,
    MB,
    check_archive,
    loads_json,
    open_workbook,
    progress_reporter,
)
from keepitlocal.spend import sql
from keepitlocal.spend.columns import header_score

_SNIFF_BYTES = 64 * 1024
_HEADER_SEARCH_ROWS = 30
SAMPLE_ROWS = 20  # rows after the header kept to show and to judge each column's content


@dataclass(frozen=True)
class LoadedFile:
    """A ledger loaded into a DuckDB table of strings; `row_sql` gives each line's row number in
    the file (a `_row` column, or for a CSV its table's rowid plus the lines above the first)."""

    path: Path
    name: str
    format: str
    encoding: str | None
    header_row: int  # 1-based row of the header in the file
    headers: tuple[str, ...]
    table: str
    rows: int
    sample: tuple[tuple[str, ...], ...]
    head: tuple[tuple[str, ...], ...] = ()  # the file's first rows as read, header included
    row_sql: str = "_row"


def hash_file(path: Path) -> str:
    """A digest of the file's bytes, read a megabyte at a time."""
    digest = hashlib.blake2b(digest_size=20)
    with Path(path).open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# A file's digest is trusted while its size and modification time are those it had when it
# was hashed (as version control and build tools do): a re-analysis does not read gigabytes
# of ledgers or registers only to learn they did not change.
Digests = dict[str, list[Any]]  # resolved path: [size, modification time (ns), digest]


def file_digests(paths: Sequence[Path], known: Digests | None = None) -> Digests:
    """Each file's content digest: from `known` when its size and time are unchanged, else
    read and hashed."""
    known = known or {}
    out: Digests = {}
    for path in paths:
        where = str(Path(path).resolve())
        stat = Path(path).stat()
        entry = known.get(where)
        if entry and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
            out[where] = entry
            continue
        out[where] = [stat.st_size, stat.st_mtime_ns, hash_file(Path(path))]
    return out


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF_BYTES)
    except FileNotFoundError:
        raise InputError.one("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise InputError.one("is a folder, not a file", file=str(path)) from None
    except OSError as error:
        raise InputError.one(f"cannot read the file: {error.strerror}", file=str(path)) from None


def sniff_format(path: Path) -> str:
    """'csv', 'xlsx' or 'parquet', judged from the bytes first and the name second."""
    head = _head(path)
    name = path.name
    if not head:
        raise InputError.one("the file is empty", file=name)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError.one("this is an old-style .xls workbook, which is not supported",
                             file=name, hint="save it as .xlsx or .csv and try again")
    if head.startswith(b"PAR1"):
        return "parquet"
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise InputError.one("the file has an Excel name but is not an Excel workbook", file=name,
                             hint="open it and save it again as .xlsx, or as .csv")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError.one("this is not a text (CSV) file: it holds binary data", file=name,
                             hint="ledgers must be CSV or XLSX")
    return "csv"


def detect_encoding(path: Path, whole: bool = True) -> str:
    """'utf-8' when the file decodes as UTF-8; otherwise charset-normalizer's best guess.

    The whole file is checked because a cp1252 '£' may first appear a million rows in. A ledger
    is read with `whole=False` (its first bytes only): DuckDB checks the rest as it reads, and
    a file it finds is not UTF-8 is detected again whole (`load_ledger`).
    """
    head = _head(path)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 22 if whole else _SNIFF_BYTES):
                decoder.decode(chunk)
                if not whole:
                    break
            decoder.decode(b"", final=whole)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    best = from_bytes(sample, cp_isolation=["cp1252", "latin_1", "iso8859_15", "cp850"]).best()
    return best.encoding if best is not None else "cp1252"


def _transcode(path: Path, encoding: str, workdir: Path) -> Path:
    target = workdir / (path.stem + ".utf8.csv")
    with path.open("r", encoding=encoding, errors="replace", newline="") as src, \
            target.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(1 << 22):
            dst.write(chunk)
    return target


def _csv_head(path: Path, encoding: str) -> tuple[str, list[list[str]]]:
    """The delimiter and the first rows. Export preamble (title and note lines above the header)
    can fool a sniffer, so each delimiter is tried and the one giving the best header wins."""
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        text = handle.read(_SNIFF_BYTES)
    lines = text.splitlines()[: _HEADER_SEARCH_ROWS + SAMPLE_ROWS + 1]
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines[:_HEADER_SEARCH_ROWS]),
                                      delimiters=",;\t|").delimiter
    except csv.Error:
        sniffed = ","
    best: tuple[int, int, str, list[list[str]]] | None = None
    for delimiter in dict.fromkeys((sniffed, ",", ";", "\t", "|")):
        rows = list(csv.reader(_io.StringIO("\n".join(lines)), delimiter=delimiter))
        score = max((header_score([c.strip() for c in r]) for r in rows[:_HEADER_SEARCH_ROWS]),
                    default=0)
        rank = (score, delimiter == sniffed)
        if best is None or rank > best[:2]:
            best = (score, delimiter == sniffed, delimiter, rows)
    assert best is not None
    return best[2], best[3]


def _pick_header(rows: Sequence[Sequence[str]], header_row: int | None = None,
                 file: str = "") -> int:
    """Index of the row that most looks like a header (title lines above it are skipped), or
    the row the user chose (1-based)."""
    if header_row is not None:
        if not 1 <= header_row <= min(len(rows), _HEADER_SEARCH_ROWS):
            raise InputError.one(f"the header row must be one of the first "
                                 f"{min(len(rows), _HEADER_SEARCH_ROWS)} rows, not {header_row}",
                                 file=file)
        return header_row - 1
    best, best_score = 0, -1
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        score = header_score([c.strip() for c in row])
        if score > best_score:
            best, best_score = index, score
    return best if best_score >= 3 else 0


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    return text if text.strip() else None


# A number format that shows no day ("mmm-yy", "mmmm yyyy", "yyyy-mm"): the cell is a month.
_NO_DAY = re.compile(r'"[^"]*"|\\.|\[[^]]*\]')


def _month_format(number_format: str | None) -> bool:
    """Whether an Excel date format shows a month and year but no day or time."""
    shown = _NO_DAY.sub("", (number_format or "").lower())
    return "m" in shown and "y" in shown and not any(c in shown for c in "dhs")


def _cell_value(cell: Any) -> Any:
    """A cell's value, except that a date shown as a month ("Mar-24") is the month "2024-03",
    so the line keeps month precision instead of a first day nobody wrote."""
    value = cell.value
    if isinstance(value, dt.date) and _month_format(getattr(cell, "number_format", None)):
        return f"{value:%Y-%m}"
    return value


def _xlsx_rows(path: Path) -> tuple[str, list[list[str]], Iterator[tuple[Any, ...]]]:
    """The sheet that holds the ledger: its header search rows and an iterator over the rest."""
    try:
        book = open_workbook(path, path.name)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputError.one(f"not a readable Excel workbook ({error})", file=path.name,
                             hint="open it and save it again as .xlsx, or as .csv") from None
    chosen = None
    for sheet in book.worksheets:
        rows_iter = (tuple(_cell_value(c) for c in row)
                     for row in sheet.iter_rows(values_only=False))
        head = [list(r) for _, r in zip(range(_HEADER_SEARCH_ROWS), rows_iter, strict=False)]
        texts = [[_cell_text(c) or "" for c in r] for r in head]
        if any(header_score(t) >= 3 for t in texts) or chosen is None:
            chosen = (sheet.title, texts, rows_iter)
            if any(header_score(t) >= 3 for t in texts):
                break
    if chosen is None:
        raise InputError.one("the workbook has no sheets", file=path.name)
    return chosen


def load_ledger(con: Any, path: Path, table: str, workdir: Path,
                header_row: int | None = None) -> LoadedFile:
    """Load one ledger file into DuckDB table `table` (all text; see `LoadedFile.row_sql`).

    `header_row` (1-based) overrides the detected header row."""
    fmt = sniff_format(path)
    name = path.name
    if fmt == "xlsx":
        return _load_xlsx(con, path, table, header_row)
    if fmt == "parquet":
        try:
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM read_parquet(?)', [str(path)])
        except Exception as error:  # duckdb raises its own error types; name the file
            message = str(error).splitlines()[0]
            raise InputError.one(f"cannot be read as Parquet: {message}", file=name,
                                 hint="save it again as .parquet, .csv or .xlsx") from None
        cols = [r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()]
        casts = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in cols)
        con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT {casts}, '
                    f'CAST(rowid + 2 AS BIGINT) AS _row FROM "{table}"')
        rows = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
        return LoadedFile(path, name, fmt, None, 1, tuple(cols), table, rows, ())
    try:
        return _load_csv(con, path, table, workdir, header_row, detect_encoding(path, whole=False))
    except _NotUtf8:  # judged whole; if it is UTF-8 after all, DuckDB's own error is given
        return _load_csv(con, path, table, workdir, header_row, detect_encoding(path),
                         retry=False)


class _NotUtf8(Exception):
    """DuckDB found bytes that are not UTF-8 past the part of the file checked first."""


def _load_csv(con: Any, path: Path, table: str, workdir: Path, header_row: int | None,
              encoding: str, retry: bool = True) -> LoadedFile:
    name = path.name
    source = path
    if encoding not in ("utf-8", "utf-8-sig"):
        source = _transcode(path, encoding, workdir)
        read_encoding = "utf-8"
    else:
        read_encoding = encoding
    delimiter, head_rows = _csv_head(source, read_encoding)
    if not head_rows:
        raise InputError.one("the file is empty", file=name)
    skip = _pick_header(head_rows, header_row, name)
    headers = [h.strip() for h in head_rows[skip]]
    try:
        con.execute(
            f'CREATE TABLE "{table}" AS SELECT * '
            "FROM read_csv(?, all_varchar=true, header=true, skip=?, delim=?, quote='\"', "
            "escape='\"', null_padding=true, strict_mode=false, auto_detect=false, "
            f"columns={_columns_struct(headers)}, encoding='utf-8')",
            [str(source), skip, delimiter],
        )
    except Exception as error:  # duckdb raises its own error types; name the file
        if retry and source == path and "Invalid unicode" in str(error):
            raise _NotUtf8 from None
        message = str(error).splitlines()[0]
        raise InputError.one(f"cannot be read as CSV: {message}", file=name) from None
    rows = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
    sample = tuple(tuple(r) for r in head_rows[skip + 1: skip + 1 + SAMPLE_ROWS])
    # A table's rowid follows insertion order, which DuckDB keeps equal to file order: the row
    # number comes from it when the lines are read, not from a second copy of the table.
    return LoadedFile(path, name, "csv", encoding, skip + 1, tuple(_unique(headers)), table, rows,
                      sample, _head_rows(head_rows), f"CAST(rowid + {skip + 2} AS BIGINT)")


def _head_rows(rows: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """The rows a person may choose the header from: the first ones, as text."""
    return tuple(tuple(str(c or "").strip() for c in r) for r in rows[:_HEADER_SEARCH_ROWS])


def _unique(headers: Sequence[str]) -> list[str]:
    """Blank and repeated headers get a suffix so every column has its own name."""
    seen: dict[str, int] = {}
    out = []
    for index, header in enumerate(headers):
        base = header or f"column{index + 1}"
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.append(base if count == 0 else f"{base}_{count + 1}")
    return out


def _columns_struct(headers: Sequence[str]) -> str:
    names = _unique(headers)
    inner = ", ".join(f"{sql.literal(n)}: 'VARCHAR'" for n in names)
    return "{" + inner + "}"


def _load_xlsx(con: Any, path: Path, table: str, header_row: int | None = None) -> LoadedFile:
    sheet, head_texts, rest = _xlsx_rows(path)
    skip = _pick_header(head_texts, header_row, path.name)
    headers = _unique([h.strip() for h in head_texts[skip]]) if head_texts else []
    if not headers:
        raise InputError.one("the workbook is empty", file=path.name)
    width = len(headers)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    rownums: list[int] = []
    row_number = skip + 1

    def add(cells: Sequence[Any], texts: bool) -> None:
        nonlocal row_number
        row_number += 1
        values = list(cells)[:width]
        values += [None] * (width - len(values))
        for i, value in enumerate(values):
            columns[i].append(value if texts else _cell_text(value))
        rownums.append(row_number)

    for texts in head_texts[skip + 1:]:
        add([c if c else None for c in texts], texts=True)
    for cells in rest:
        add(cells, texts=False)
    # Trailing rows that are wholly empty are spreadsheet padding, not ledger lines.
    while rownums and all(col[-1] is None for col in columns):
        for col in columns:
            col.pop()
        rownums.pop()
    arrow = pa.table({**{h: pa.array(c, pa.string()) for h, c in zip(headers, columns,
                                                                      strict=True)},
                      "_row": pa.array(rownums, pa.int64())})
    con.register(f"{table}_arrow", arrow)
    con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM "{table}_arrow"')
    con.unregister(f"{table}_arrow")
    sample = tuple(tuple(c or "" for c in r)
                   for r in head_texts[skip + 1: skip + 1 + SAMPLE_ROWS])
    return LoadedFile(path, path.name, f"xlsx ({sheet})", None, skip + 1, tuple(headers), table,
                      len(rownums), sample, _head_rows(head_texts))


def peek(path: Path, workdir: Path, header_row: int | None = None) -> LoadedFile:
    """Load a ledger into a throwaway DuckDB to show its headers and first rows."""
    import duckdb

    con = duckdb.connect()
    try:
        with _watched(con):
            return load_ledger(con, path, "peek", workdir, header_row)
    finally:
        con.close()


@contextlib.contextmanager
def _watched(con: Any) -> Iterator[None]:
    """DuckDB's own progress through a CSV, passed to `safeio.reporting`'s callback (if one is
    set: a background upload's job) four times a second while the file loads."""
    import threading

    report = progress_reporter()
    if report is None:
        yield
        return
    con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.25):
            share = con.query_progress()
            if share >= 0:
                report(percent=share)

    watcher = threading.Thread(target=watch, name="ledger-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()


def read_json(path: Path, what: str) -> Any:
    """A JSON file the user supplied (mapping, tiers, decisions, rules), with a clear error."""
    try:
        return loads_json(path.read_bytes(), path.name)
    except FileNotFoundError:
        raise InputError.one(f"{what} file not found", file=str(path)) from None
    except json.JSONDecodeError as error:
        raise InputError([Problem(f"not valid JSON: {error.msg}", file=path.name,
                                  row=error.lineno, hint=f"the {what} file must be JSON")]
                         ) from None


def read_decisions(path: Path) -> dict[str, str]:
    """Matching decisions: JSON {ledger name: register id | "no match"} or a two-column CSV."""
    if path.suffix.lower() == ".json":
        data = read_json(path, "decisions")
        if isinstance(data, dict) and "decisions" in data:
            data = data["decisions"]
        if isinstance(data, list):
            data = {d.get("ledger_name", ""): d.get("register_id", "") for d in data}
        if not isinstance(data, dict):
            raise InputError.one("decisions must be an object {ledger name: register id}",
                                 file=path.name)
        return {str(k): str(v) for k, v in data.items()}
    frame = read_table(path)
    if frame.shape[1] < 2:
        raise InputError.one("a decisions CSV needs two columns: ledger name, register id",
                             file=path.name)
    return dict(zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True))


REPORT_EVERY_ROWS = 100_000


def _read_csv(source: Any, **options: Any) -> pd.DataFrame:
    """`pandas.read_csv`; in a background upload's job (`safeio.reporting`), read in blocks so
    the progress page shows the rows read so far."""
    report = progress_reporter()
    if report is None:
        return pd.read_csv(source, **options)
    blocks, rows = [], 0
    with pd.read_csv(source, chunksize=REPORT_EVERY_ROWS, **options) as reader:
        for block in reader:
            blocks.append(block)
            rows += len(block)
            report(rows=rows)
    if not blocks:  # a header and no rows
        if hasattr(source, "seek"):
            source.seek(0)
        return pd.read_csv(source, **options)
    return pd.concat(blocks, ignore_index=True)


def read_table(path: Path, usecols: Any = None, sep: str | None = None) -> pd.DataFrame:
    """A register-like CSV/XLSX (or a zip of one) as strings, headers stripped of spaces."""
    fmt = sniff_format(path)
    if fmt == "xlsx" and path.suffix.lower() == ".zip":
        fmt = "zip"
    try:
        if fmt == "xlsx":
            _, head, rest = _xlsx_rows(path)
            skip = _pick_header(head) if any(header_score(r) >= 3 for r in head) else 0
            headers = _unique([h.strip() for h in head[skip]]) if head else []
            body = [list(r) for r in head[skip + 1:]] + [
                [_cell_text(c) or "" for c in r] for r in rest]
            frame = pd.DataFrame([r[: len(headers)] + [""] * (len(headers) - len(r))
                                  for r in body], columns=headers, dtype=str)
        elif fmt == "zip":
            check_archive(path, path.name, REGISTER_ZIP_LIMITS)
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if not m.endswith("/")]
                if len(members) != 1:
                    raise InputError.one("the zip must hold exactly one file", file=path.name)
                with archive.open(members[0]) as handle:
                    raw = handle.read()
            return _frame_from_bytes(raw, path.name, usecols, sep)
        else:
            encoding = detect_encoding(path)
            frame = _read_csv(path, dtype=str, keep_default_na=False, encoding=encoding,
                              encoding_errors="replace",
                              sep=sep or _sniffed_separator(path, encoding), usecols=usecols)
    except InputError:
        raise
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError, csv.Error) as error:
        raise InputError.one(f"cannot be read as a table: {error}", file=path.name) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("")



def table_shape(path: Path) -> tuple[list[str], int]:
    """A register's column names and number of rows, without the rows: all an upload check
    needs, and small enough to send back from the capped process that reads a large file."""
    frame = read_table(path)
    return [str(c) for c in frame.columns], len(frame)

UTF8_BOM = b"\xef\xbb\xbf"
# A national register part file (Companies House publishes ~70 MB zips of ~350 MB CSV) unpacks
# to more than a workbook may; the ratio check still applies.
REGISTER_ZIP_LIMITS = LIMITS.tighter(unpacked_bytes=1024 * MB)


def _frame_from_bytes(raw: bytes, name: str, usecols: Any, sep: str | None) -> pd.DataFrame:
    if raw.removeprefix(UTF8_BOM).lstrip()[:1] in (b"[", b"{"):
        data = loads_json(raw, name)
        if isinstance(data, dict):
            data = next((v for v in data.values() if isinstance(v, list)), [])
        return pd.DataFrame(data, dtype=str).fillna("")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    frame = _read_csv(_io.StringIO(text), dtype=str, keep_default_na=False,
                      sep=sep or _separator(text[:65536].encode()), usecols=usecols)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("")


def read_records(path: Path, usecols: Any = None) -> pd.DataFrame:
    """A national register extract: CSV, tab-separated text, JSON list, or a zip of one of them."""
    head = _head(path)
    if not head:
        raise InputError.one("the file is empty", file=path.name)
    if head.startswith(b"PK\x03\x04") and path.suffix.lower() == ".zip":
        return read_table(path, usecols=usecols)
    if head.removeprefix(UTF8_BOM).lstrip()[:1] in (b"[", b"{"):  # the published JSON has a BOM
        return _frame_from_bytes(path.read_bytes(), path.name, usecols, None)
    return read_table(path, usecols=usecols, sep=_separator(head))


def _sniffed_separator(path: Path, encoding: str) -> str:
    """The delimiter of the file's first non-blank line, as `csv.Sniffer` judges it among the
    delimiters registers use (pandas's Python parser, for `sep=None`, let it pick any character,
    so a pipe-separated header with spaces in its names was split at the spaces). Pandas's far
    faster C parser then reads the rest. A line with none of them is one column: a comma."""
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        for line in handle:
            if line.strip():
                with contextlib.suppress(csv.Error):
                    return csv.Sniffer().sniff(line, delimiters=",;\t|").delimiter
                break
    return ","


def _separator(head: bytes) -> str:
    """Tab for tab-separated text (the Charity Commission's .txt extracts), else comma."""
    first_line = head.split(b"\n", 1)[0]
    return "\t" if first_line.count(b"\t") > first_line.count(b",") else ","


def reference_dir() -> Path:
    """Where the shipped spend reference tables live (inside the package)."""
    return Path(__file__).resolve().parent.parent / "reference" / "spend"


def read_reference_csv(name: str) -> list[dict[str, str]]:
    with (reference_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_reference_json(name: str) -> Any:
    return json.loads((reference_dir() / name).read_text(encoding="utf-8"))
