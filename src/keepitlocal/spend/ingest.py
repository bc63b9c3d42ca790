"""Ingest once, analyse many times: the ledgers read, mapped and parsed into one columnar table
(`parsed`, with its suppliers in `ledger_suppliers`), kept in a DuckDB file beside the analysis.

Reading and parsing the ledgers is the part of a run that does not depend on what an officer
changes between runs (tiers, exclusion rules, match decisions, target, multipliers). With
`SpendOptions.ingested` the engine keeps that table in a file; the next run whose ledgers,
column mapping and redaction pattern are the same reads the table back instead of the files.
Anything else (a file added, removed or changed, another mapping) gives another fingerprint,
and the ledgers are read again and the file replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import duckdb

from keepitlocal.errors import InputError, Problem
from keepitlocal.spend import columns, io, ledger, sql
from keepitlocal.spend.model import (
    ColumnMapping,
    FileReport,
    Progress,
    UnreadableFile,
    UnreadableFiles,
)

SCHEMA = 5  # raise when the tables' columns or meaning change: old files are then re-read
TABLES = ("parsed", "ledger_suppliers")  # the lines, and one row per ledger supplier


@dataclass(frozen=True)
class Ingested:
    """What a run needs to know of the ledgers besides their lines (the `parsed` table)."""

    files: list[FileReport]
    skipped: list[UnreadableFile]
    reused: bool = False  # read back from the ingest file rather than from the ledgers
    key: str = ""  # the ingest file's fingerprint of the ledgers, when one is kept
    # Read from the ledgers for an ingest file `prepare` has not yet written: the digests to
    # write with it, given to `save_pending`.
    pending: io.Digests | None = None

    @property
    def lines_read(self) -> int:
        return sum(f.lines_read for f in self.files)

    def columns_of(self, file: str) -> dict[str, str]:
        return next((f.columns for f in self.files if f.file == file), {})


def load_ledgers(con: Any, ledgers: Sequence[Path], mapping: ColumnMapping | None,
                 workdir: Path, skip_unreadable: bool = False,
                 progress: Callable[[Progress], None] | None = None
                 ) -> tuple[list[io.LoadedFile], list[Any], list[UnreadableFile]]:
    """Read and detect every ledger. A file that cannot be read or mapped never hides the others:
    every such file is listed together (`UnreadableFiles`), or, with `skip_unreadable`, set aside
    and returned so the rest are analysed."""
    if not ledgers:
        raise InputError.one("no ledger files given", hint="pass one or more CSV or XLSX files")
    loaded, detected, skipped = [], [], []
    for index, path in enumerate(ledgers):
        name = Path(path).name
        header_row = mapping.header_rows.get(name) if mapping else None
        try:
            file = io.load_ledger(con, Path(path), f"ledger_{index}", workdir, header_row)
            found = columns.detect_ledger(file.name, file.headers, file.header_row, mapping,
                                          file.sample)
        except InputError as error:
            skipped.append(UnreadableFile(name, None, (), tuple(error.problems), {}))
            continue
        if found.missing:
            skipped.append(columns.unreadable(found))
            con.execute(f'DROP TABLE "{file.table}"')
            continue
        loaded.append(file)
        detected.append(found)
        if progress is not None:
            progress(Progress("files", index + 1, len(ledgers), sum(f.rows for f in loaded)))
    if skipped and (not skip_unreadable or not loaded):
        raise UnreadableFiles(skipped, readable=len(loaded))
    return loaded, detected, skipped


def read(con: Any, ledgers: Sequence[Path], mapping: ColumnMapping | None, workdir: Path,
         redaction: str, skip_unreadable: bool = False,
         progress: Callable[[Progress], None] | None = None) -> Ingested:
    """Read the ledgers into the table `parsed` of `con`: typed, flagged, duplicates marked."""
    loaded, detected, skipped = load_ledgers(con, ledgers, mapping, workdir, skip_unreadable,
                                             progress)
    ledger.build_parsed(con, loaded, detected, redaction)
    # The raw text tables are no longer needed: free them before the next copies.
    con.execute("DROP VIEW raw_lines")
    for file in loaded:
        con.execute(f'DROP TABLE "{file.table}"')
    ledger.mark_duplicates(con)
    ledger.number_suppliers(con)
    # One row per ledger supplier identity: what matching starts from, kept with the lines.
    con.execute("""
        CREATE TABLE ledger_suppliers AS
        SELECT sid, any_value(supplier) AS supplier, any_value(supplier_id) AS supplier_id,
               any_value(vat_number) AS vat_number, any_value(company_number) AS company_number,
               any_value(charity_number) AS charity_number, any_value(postcode) AS postcode,
               bool_or(redacted) AS redacted, coalesce(sum(amount_pence), 0) AS spend
        FROM parsed WHERE unusable_reason IS NULL
        GROUP BY sid
    """)
    files = [FileReport(f.name, f.format, f.encoding, f.header_row, d.columns, f.rows, d.notes,
                        d.period) for f, d in zip(loaded, detected, strict=True)]
    return Ingested(files, skipped)


def fingerprint(ledgers: Sequence[Path], mapping: ColumnMapping | None, redaction: str,
                skip_unreadable: bool, digests: io.Digests) -> str:
    """Changes whenever what `read` would make could change: each ledger's name and bytes
    (its digest from `io.file_digests`), the mapping, the redaction pattern, whether unreadable
    files are set aside, the schema."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps([SCHEMA, redaction, skip_unreadable,
                              asdict(mapping) if mapping else None],
                             sort_keys=True, default=str).encode())
    for path in ledgers:
        digest.update(b"\0" + Path(path).name.encode() + b"\0"
                      + digests[str(Path(path).resolve())][2].encode())
    return digest.hexdigest()


def _document(ingested: Ingested, digests: io.Digests | None = None) -> str:
    return json.dumps({"files": [asdict(f) for f in ingested.files],
                       "skipped": [asdict(s) for s in ingested.skipped],
                       "digests": digests or {}})


def _from_document(text: str) -> Ingested:
    data = json.loads(text)
    files = [FileReport(**{**f, "notes": tuple(f["notes"])}) for f in data["files"]]
    skipped = [UnreadableFile(s["file"], s["header_row"], tuple(s["headers"]),
                              tuple(Problem(**p) for p in s["problems"]), s["example_mapping"])
               for s in data["skipped"]]
    return Ingested(files, skipped, reused=True)


def known_digests(path: Path) -> io.Digests:
    """The ledger digests the ingest file `path` was made with ({} when there is none, or it
    cannot be read)."""
    if not path.is_file():
        return {}
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            found = con.execute("SELECT document FROM meta").fetchall()
        return dict(json.loads(found[0][0]).get("digests", {})) if found else {}
    except (duckdb.Error, ValueError, TypeError, AttributeError):
        return {}


def write_tables(con: Any, path: Path, tables: Sequence[str], key: str, document: str) -> None:
    """Write `tables` of `con`, with `key` and `document` in a `meta` table, into the DuckDB
    file `path`, whole or not at all: a new file is written beside it and moved over it, so a
    reader never sees half a table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own per writer: two runs of one analysis at once (threads of one server
    # process too) never write the same partial file.
    partial = path.with_name(f".{path.name}.{secrets.token_hex(8)}.partial")
    try:
        con.execute(f"ATTACH {sql.literal(str(partial))} AS kept_out")
        try:
            for table in tables:
                con.execute(f"CREATE TABLE kept_out.{table} AS SELECT * FROM {table}")
            con.execute("CREATE TABLE kept_out.meta (key VARCHAR, document VARCHAR)")
            con.execute("INSERT INTO kept_out.meta VALUES (?, ?)", [key, document])
        finally:
            con.execute("DETACH kept_out")
        os.replace(partial, path)
    except BaseException:  # a full disk, a cancelled run: no half-written file is left
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".wal").unlink(missing_ok=True)
        raise


def attach_tables(con: Any, path: Path, key: str, tables: Sequence[str],
                  alias: str) -> str | None:
    """The `tables` that `write_tables` kept in `path` as views of `con` (the file attached
    as `alias`), and the document kept with them, when the file holds `key`; None when there
    is no file, it holds another key or it cannot be read."""
    if not path.is_file():
        return None
    try:
        con.execute(f"ATTACH {sql.literal(str(path))} AS {alias} (READ_ONLY)")
    except duckdb.Error:  # not a database, or another DuckDB version's
        return None
    try:
        found = con.execute(f"SELECT key, document FROM {alias}.meta").fetchall()
    except duckdb.Error:
        found = []
    if not found or found[0][0] != key:
        con.execute(f"DETACH {alias}")
        return None
    for table in tables:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM {alias}.{table}")
    return str(found[0][1])


def save(con: Any, path: Path, key: str, ingested: Ingested,
         digests: io.Digests | None = None) -> None:
    """Write `parsed` and what was read into `path` (see `write_tables`)."""
    write_tables(con, path, TABLES, key, _document(ingested, digests))


def reuse(con: Any, path: Path, key: str) -> Ingested | None:
    """The ingested ledgers of `path` as the view `parsed`, when the file holds `key`; None when
    there is no file, it is another run's or it cannot be read (then the ledgers are read)."""
    document = attach_tables(con, path, key, TABLES, "ingest_in")
    return None if document is None else _from_document(document)


def prepare(con: Any, ledgers: Sequence[Path], mapping: ColumnMapping | None, workdir: Path,
            redaction: str, skip_unreadable: bool = False,
            progress: Callable[[Progress], None] | None = None,
            keep: Path | None = None) -> Ingested:
    """`parsed` for a run: read from the ledgers, or, with `keep`, reused from that file when
    it was made from the same ledgers and settings (else read, and written there when the
    caller calls `save_pending`: it can do other work meanwhile)."""
    if keep is None:
        return read(con, ledgers, mapping, workdir, redaction, skip_unreadable, progress)
    digests = io.file_digests(ledgers, known_digests(keep))
    key = fingerprint(ledgers, mapping, redaction, skip_unreadable, digests)
    found = reuse(con, keep, key)
    if found is not None:
        if progress is not None:
            progress(Progress("files", len(ledgers), len(ledgers), found.lines_read))
        return replace(found, key=key)
    return replace(read(con, ledgers, mapping, workdir, redaction, skip_unreadable, progress),
                   key=key, pending=digests)


def save_pending(con: Any, keep: Path, ingested: Ingested) -> None:
    """Write the ingest file that `prepare` left to write, if any."""
    if ingested.pending is not None:
        save(con, keep, ingested.key, ingested, ingested.pending)


def release(con: Any, ingested: Ingested) -> None:
    """Drop the ingested tables, and the ingest file they read from when it was reused."""
    for table in TABLES:
        con.execute(f"DROP {'VIEW' if ingested.reused else 'TABLE'} {table}")
    if ingested.reused:
        con.execute("DETACH ingest_in")


def supplier_rows(con: Any) -> list[tuple[Any, ...]]:
    """(sid, supplier, supplier_id, vat, company, charity, postcode, redacted, spend) of every
    ledger supplier identity with usable lines."""
    return con.execute("SELECT * FROM ledger_suppliers").fetchall()
