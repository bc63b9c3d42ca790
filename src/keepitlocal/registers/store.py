"""The shared store of national registers: read once, matched against by every analysis.

A register (Companies House, the Charity Commission, Contracts Finder suppliers) is published as
a file of hundreds of megabytes; reading it on every run, or uploading it to the web app, is
what made published ledgers unplaceable. `registers load` reads it once into this store, with
the date the file was published, and every later analysis and organisation matches against it.

`RegisterStore` is the interface, with two implementations:
- `DuckDBStore`, a database file in the data folder (the default). A load writes a copy of the
  file and swaps it in when it is done, so an analysis that opens the store read-only while a
  load runs reads the previous copy instead of failing on DuckDB's file lock.
- `PostgresStore`, two tables in a PostgreSQL database: what `open_store` gives when no file is
  named and DATABASE_URL is a PostgreSQL URL, that is where the web app runs on PostgreSQL.

Rows are kept in the shape of `keepitlocal.spend.register.COLUMNS`, so a loaded register is a
`Register` the matcher reads with no conversion.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from keepitlocal.spend.register import COLUMNS, Register

KINDS = ("companies_house", "charity_commission", "contracts_finder")
KIND_NAMES = {"companies_house": "Companies House basic company data",
              "charity_commission": "Charity Commission register extract",
              "contracts_finder": "Contracts Finder award suppliers"}
STORE_FILE = "registers.duckdb"
BATCH_ROWS = 100_000


@dataclass(frozen=True)
class Loaded:
    """One register as loaded: which file, published when, loaded when, how many rows."""

    kind: str
    file: str
    published: dt.date | None
    loaded_at: dt.datetime
    rows: int

    @property
    def label(self) -> str:
        when = self.published.isoformat() if self.published else "publication date unknown"
        return f"{KIND_NAMES.get(self.kind, self.kind)} {self.file} (published {when})"


class RegisterStore(Protocol):
    def replace(self, kind: str, file: str, published: dt.date | None,
                batches: Iterable[Sequence[dict[str, Any]]]) -> Loaded: ...

    def set_published(self, kind: str, published: dt.date) -> Loaded: ...

    def loaded(self) -> list[Loaded]: ...

    def register(self, kinds: Sequence[str] | None = None) -> Register: ...

    def close(self) -> None: ...


def default_path() -> Path:
    from keepitlocal.geo.io import data_dir

    return data_dir() / STORE_FILE


def batched(rows: Iterable[dict[str, Any]], size: int = BATCH_ROWS
            ) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_SCHEMA = pa.schema([(c, pa.string()) for c in COLUMNS])


class DuckDBStore:
    """Registers in one DuckDB database file: `entries` (one row per organisation, with its
    register's kind) and `loads` (what was loaded, from which file, published when).

    Opened for writing, the store works on a copy (`<file>.loading-<pid>`) under an exclusive
    lock file, and `close` swaps the copy in; readers never meet the writer's lock."""

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._work: Path | None = None
        self._lock: Any = None
        if read_only:
            if not self.path.exists():
                self.con = duckdb.connect()
                self._create()
                return
            self.con = _connect_read_only(self.path)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _exclusive_lock(self.path)
        self._work = self.path.with_name(f"{self.path.name}.loading-{os.getpid()}")
        try:
            if self.path.exists():
                shutil.copyfile(self.path, self._work)
            self.con = duckdb.connect(str(self._work))
            self._create()
        except BaseException:
            self._release(keep=False)
            raise

    def _create(self) -> None:
        columns = ", ".join(f'"{c}" VARCHAR' for c in COLUMNS)
        self.con.execute(f"CREATE TABLE IF NOT EXISTS entries (kind VARCHAR, {columns})")
        self.con.execute("CREATE TABLE IF NOT EXISTS loads (kind VARCHAR PRIMARY KEY, "
                         "file VARCHAR, published DATE, loaded_at TIMESTAMP, rows BIGINT)")

    def replace(self, kind: str, file: str, published: dt.date | None,
                batches: Iterable[Sequence[dict[str, Any]]]) -> Loaded:
        """Replace the register `kind` by the rows given, in one transaction: a load that fails
        half-way leaves the previous copy in place."""
        _check_kind(kind)
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM entries WHERE kind = ?", [kind])
            rows = 0
            for batch in batches:
                table = pa.Table.from_pylist(
                    [{c: row.get(c) for c in COLUMNS} for row in batch], schema=_SCHEMA)
                con.register("batch_rows", table)
                con.execute(f"INSERT INTO entries SELECT '{kind}', * FROM batch_rows")
                con.unregister("batch_rows")
                rows += len(batch)
            loaded = Loaded(kind, file, published, _now(), rows)
            con.execute("DELETE FROM loads WHERE kind = ?", [kind])
            con.execute("INSERT INTO loads VALUES (?, ?, ?, ?, ?)",
                        [kind, file, published, loaded.loaded_at, rows])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return loaded

    def set_published(self, kind: str, published: dt.date) -> Loaded:
        """Record the publication date a reader found only as it read."""
        self.con.execute("UPDATE loads SET published = ? WHERE kind = ?", [published, kind])
        return next(x for x in self.loaded() if x.kind == kind)

    def loaded(self) -> list[Loaded]:
        rows = self.con.execute(
            "SELECT kind, file, published, loaded_at, rows FROM loads ORDER BY kind").fetchall()
        return [Loaded(k, f, p, t, int(n)) for k, f, p, t, n in rows]

    def register(self, kinds: Sequence[str] | None = None) -> Register:
        """The loaded registers (all, or `kinds`) as one Register for matching."""
        loads = [x for x in self.loaded() if kinds is None or x.kind in kinds]
        if not loads:
            return Register.empty()
        names = [x.kind for x in loads]
        marks = ", ".join("?" for _ in names)
        frame = self.con.execute(
            f"SELECT {_COLUMN_LIST} FROM entries WHERE kind IN ({marks}) ORDER BY kind",
            names).df()
        frame = frame.astype(object).where(frame.notna(), None)
        return Register(frame, [x.label for x in loads])

    def close(self, keep: bool = True) -> None:
        """Close the store; a writing store swaps its copy in (`keep`) or throws it away."""
        self.con.close()
        self._release(keep)

    def _release(self, keep: bool) -> None:
        if self._work is not None:
            if keep and self._work.exists():
                os.replace(self._work, self.path)
            else:
                self._work.unlink(missing_ok=True)
            Path(f"{self._work}.wal").unlink(missing_ok=True)
            self._work = None
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(keep=kind is None)


_COLUMN_LIST = ", ".join(f'"{c}"' for c in COLUMNS)
# How long a reader waits for a file another program holds open for writing (an older version,
# or a DuckDB shell), trying again every READ_RETRY_SECONDS.
READ_WAIT_SECONDS = 30.0
READ_RETRY_SECONDS = 0.25


def _connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """Open `path` read-only, waiting while another process holds its write lock."""
    deadline = time.monotonic() + READ_WAIT_SECONDS
    while True:
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(READ_RETRY_SECONDS)


def _exclusive_lock(path: Path) -> Any:
    """Hold `<file>.lock` for the whole of a load, so two loads run one after the other and
    neither swaps away the other's work."""
    handle = open(f"{path}.lock", "a+b")  # noqa: SIM115 - held until the store closes
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    return handle


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown register kind {kind!r}")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class PostgresStore:
    """Registers in two PostgreSQL tables (`keepitlocal_register_entries`, `..._loads`), for
    the web app on PostgreSQL: the same interface and answers as `DuckDBStore`.

    `conninfo` is a libpq URL or keyword string (DATABASE_URL), or the keywords as a dict.
    Rows go in with COPY, in one transaction, so readers see the old register until the new
    one is complete (PostgreSQL's own isolation: no file lock to wait for)."""

    ENTRIES = "keepitlocal_register_entries"
    LOADS = "keepitlocal_register_loads"

    def __init__(self, conninfo: str | dict[str, Any], read_only: bool = False) -> None:
        import psycopg

        self.read_only = read_only
        if isinstance(conninfo, dict):
            self.con = psycopg.connect(**{k: v for k, v in conninfo.items() if v})
        else:
            self.con = psycopg.connect(conninfo)
        self.con.autocommit = True
        if not read_only:
            self._create()

    def _create(self) -> None:
        columns = ", ".join(f'"{c}" text' for c in COLUMNS)
        with self.con.transaction():
            self.con.execute(f"CREATE TABLE IF NOT EXISTS {self.ENTRIES} (seq bigserial, "
                             f"kind text NOT NULL, {columns})")
            self.con.execute(f"CREATE INDEX IF NOT EXISTS {self.ENTRIES}_kind "
                             f"ON {self.ENTRIES} (kind, seq)")
            self.con.execute(f"CREATE TABLE IF NOT EXISTS {self.LOADS} (kind text PRIMARY KEY, "
                             "file text, published date, loaded_at timestamp, rows bigint)")

    def _exists(self) -> bool:
        row = self.con.execute("SELECT to_regclass(%s)", [self.LOADS]).fetchone()
        return row is not None and row[0] is not None

    def replace(self, kind: str, file: str, published: dt.date | None,
                batches: Iterable[Sequence[dict[str, Any]]]) -> Loaded:
        """Replace the register `kind` by the rows given, in one transaction."""
        _check_kind(kind)
        rows = 0
        with self.con.transaction(), self.con.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.ENTRIES} WHERE kind = %s", [kind])
            with cursor.copy(f"COPY {self.ENTRIES} (kind, {_COLUMN_LIST}) FROM STDIN") as copy:
                for batch in batches:
                    for row in batch:
                        copy.write_row([kind, *(_text(row.get(c)) for c in COLUMNS)])
                    rows += len(batch)
            loaded = Loaded(kind, file, published, _now(), rows)
            cursor.execute(f"DELETE FROM {self.LOADS} WHERE kind = %s", [kind])
            cursor.execute(f"INSERT INTO {self.LOADS} VALUES (%s, %s, %s, %s, %s)",
                           [kind, file, published, loaded.loaded_at, rows])
        return loaded

    def set_published(self, kind: str, published: dt.date) -> Loaded:
        """Record the publication date a reader found only as it read."""
        self.con.execute(f"UPDATE {self.LOADS} SET published = %s WHERE kind = %s",
                         [published, kind])
        return next(x for x in self.loaded() if x.kind == kind)

    def loaded(self) -> list[Loaded]:
        if not self._exists():
            return []
        rows = self.con.execute(f"SELECT kind, file, published, loaded_at, rows "
                                f"FROM {self.LOADS} ORDER BY kind").fetchall()
        return [Loaded(k, f, p, t, int(n)) for k, f, p, t, n in rows]

    def register(self, kinds: Sequence[str] | None = None) -> Register:
        """The loaded registers (all, or `kinds`) as one Register for matching."""
        import pandas as pd

        loads = [x for x in self.loaded() if kinds is None or x.kind in kinds]
        if not loads:
            return Register.empty()
        rows = self.con.execute(
            f"SELECT {_COLUMN_LIST} FROM {self.ENTRIES} WHERE kind = ANY(%s) ORDER BY kind, seq",
            [[x.kind for x in loads]]).fetchall()
        frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)
        return Register(frame, [x.label for x in loads])

    def asset_tables(self) -> Any:
        """The asset map's tables in the same database (see `registers.asset_tables`)."""
        from keepitlocal.registers.asset_tables import PostgresAssetTables

        return PostgresAssetTables(self.con, read_only=self.read_only)

    def drop(self) -> None:
        """Remove every table of the store, the asset map's too: the database as before the
        first load."""
        from keepitlocal.registers.asset_tables import PostgresAssetTables

        tables = [self.ENTRIES, self.LOADS, *PostgresAssetTables.table_names()]
        self.con.execute(f"DROP TABLE IF EXISTS {', '.join(tables)}")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def postgres_url(url: str | None = None) -> str | None:
    """DATABASE_URL (or `url`) when it names a PostgreSQL database, else None."""
    text = url if url is not None else os.environ.get("DATABASE_URL", "")
    return text if text.startswith(("postgres://", "postgresql://")) else None


def available(path: Path | None = None) -> bool:
    """Whether there is a store to read: a PostgreSQL database (see `open_store`) or the file."""
    if path is None and postgres_url() is not None:
        return True
    return (Path(path) if path is not None else default_path()).exists()


def open_store(path: Path | None = None, read_only: bool = False) -> DuckDBStore | PostgresStore:
    """The store to load into or match against: the DuckDB file `path` when one is named; else
    PostgreSQL when DATABASE_URL is a PostgreSQL URL (the web app's database); else the DuckDB
    file in the data folder."""
    url = postgres_url() if path is None else None
    if url is not None:
        return PostgresStore(url, read_only)
    return DuckDBStore(path, read_only)
