"""The shared store of national registers: read once, matched against by every analysis.

A register (Companies House, the Charity Commission, Contracts Finder suppliers) is published as
a file of hundreds of megabytes; reading it on every run, or uploading it to the web app, is
what made published ledgers unplaceable. `registers load` reads it once into this store, with
the date the file was published, and every later analysis and organisation matches against it.

`RegisterStore` is the interface; `DuckDBStore` (a database file in the data folder) is the one
implemented. A PostgreSQL table for the web app on PostgreSQL would implement the same four
methods; it is not written yet, so the web app uses the DuckDB file beside its data.

Rows are kept in the shape of `keepitlocal.spend.register.COLUMNS`, so a loaded register is a
`Register` the matcher reads with no conversion.
"""

from __future__ import annotations

import datetime as dt
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
    register's kind) and `loads` (what was loaded, from which file, published when)."""

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else default_path()
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            self.con = duckdb.connect()
            self._create()
            return
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        if not read_only:
            self._create()

    def _create(self) -> None:
        columns = ", ".join(f'"{c}" VARCHAR' for c in COLUMNS)
        self.con.execute(f"CREATE TABLE IF NOT EXISTS entries (kind VARCHAR, {columns})")
        self.con.execute("CREATE TABLE IF NOT EXISTS loads (kind VARCHAR PRIMARY KEY, "
                         "file VARCHAR, published DATE, loaded_at TIMESTAMP, rows BIGINT)")

    def replace(self, kind: str, file: str, published: dt.date | None,
                batches: Iterable[Sequence[dict[str, Any]]]) -> Loaded:
        """Replace the register `kind` by the rows given, in one transaction: a load that fails
        half-way leaves the previous copy in place."""
        if kind not in KINDS:
            raise ValueError(f"unknown register kind {kind!r}")
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
            loaded = Loaded(kind, file, published, dt.datetime.now(dt.UTC).replace(tzinfo=None),
                            rows)
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
            f"SELECT {', '.join(chr(34) + c + chr(34) for c in COLUMNS)} FROM entries "
            f"WHERE kind IN ({marks}) ORDER BY kind", names).df()
        frame = frame.astype(object).where(frame.notna(), None)
        return Register(frame, [x.label for x in loads])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path: Path | None = None, read_only: bool = False) -> DuckDBStore:
    return DuckDBStore(path, read_only)
