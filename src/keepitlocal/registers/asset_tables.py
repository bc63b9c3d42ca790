"""What the asset map needs from the registers beyond the matching register, kept in the same
shared store so a register is loaded (and uploaded) once for every analysis.

The spend analysis matches against main, registered charities and companies (the store's
`entries`). The asset map also needs removed and linked charities (for growth and closures),
the Commission's annual returns, classification and area of operation, and Companies House
social-economy companies with their incorporation dates. `registers load` writes them here as
it reads the file, once; `assetmap build` with no file options reads them back for one area.

`AssetTables` is the interface; `DuckDBAssetTables` keeps its tables in the DuckDB store file,
beside `entries`, and `PostgresAssetTables` in PostgreSQL beside the `PostgresStore`'s tables
(which offers them through its `asset_tables()` method); `asset_tables_of` finds either.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

import duckdb
import pyarrow as pa

from keepitlocal.errors import InputError
from keepitlocal.registers import charity_commission
from keepitlocal.registers.charity_commission import (
    AnnualReturn,
    AreaOfOperation,
    Classification,
    TableFile,
)
from keepitlocal.registers.fields import ReadReport, RegisteredOrganisation

T = TypeVar("T")
CHARITIES = "ccew"
COMPANIES = "companies_house"
Progress = Callable[[str, int, int], None]  # (step, done, total); total 0 when not known


def _quiet(step: str, done: int, total: int) -> None:
    pass


@dataclass
class Extract:
    """The rows of one area read back from the store, with how each table was loaded."""

    organisations: list[RegisteredOrganisation] = field(default_factory=list)
    annual_returns: dict[int, list[AnnualReturn]] = field(default_factory=dict)
    classifications: dict[int, list[Classification]] = field(default_factory=dict)
    areas: dict[int, list[AreaOfOperation]] = field(default_factory=dict)
    reports: list[ReadReport] = field(default_factory=list)


@dataclass(frozen=True)
class AssetLoad:
    """One register as loaded for the asset map: which file, published when, how many rows."""

    register: str  # CHARITIES or COMPANIES
    file: str
    published: dt.date | None
    loaded_at: dt.datetime
    rows: int


@dataclass(frozen=True)
class Box:
    """A latitude/longitude box that holds an area (a radius), to read only what is near."""

    south: float
    west: float
    north: float
    east: float


class AssetTables(Protocol):
    def save_charities(self, tables: Sequence[TableFile], report: ReadReport,
                       progress: Progress = _quiet) -> int: ...

    def save_companies(self, rows: Iterable[dict[str, Any]], file: str,
                       published: dt.date | None) -> int: ...

    def loads(self) -> list[AssetLoad]: ...

    def main_charities(self) -> list[RegisteredOrganisation]: ...

    def area_descriptions(self) -> list[str]: ...

    def extract(self, lads: Collection[str], operation_names: Collection[str] = (),
                box: Box | None = None) -> Extract: ...


# ---- column layouts --------------------------------------------------------------------------

_CHARITY = pa.schema([
    ("number", pa.string()), ("name", pa.string()), ("status", pa.string()),
    ("active", pa.bool_()), ("registered", pa.date32()), ("removed", pa.date32()),
    ("income", pa.string()), ("expenditure", pa.string()), ("postcode", pa.string()),
    ("charity_number", pa.string()), ("company_number", pa.string()),
    ("activities", pa.string()), ("kind", pa.string()), ("main", pa.bool_()),
    ("organisation_number", pa.int64()), ("financial_year_end", pa.date32()),
    ("row", pa.int64()), ("lad", pa.string()), ("lat", pa.float64()), ("lon", pa.float64())])
_RETURN = pa.schema([
    ("organisation_number", pa.int64()), ("period_end", pa.date32()),
    ("total_gross_income", pa.string()), ("government_contracts", pa.string()),
    ("government_grants", pa.string())])
_CLASSIFICATION = pa.schema([
    ("organisation_number", pa.int64()), ("kind", pa.string()), ("code", pa.string()),
    ("description", pa.string())])
_AREA = pa.schema([
    ("organisation_number", pa.int64()), ("kind", pa.string()), ("description", pa.string()),
    ("parent", pa.string())])
_COMPANY = pa.schema([
    ("company_number", pa.string()), ("name", pa.string()), ("postcode", pa.string()),
    ("company_type", pa.string()), ("status", pa.string()), ("incorporated", pa.date32()),
    ("dissolved", pa.date32()), ("lad", pa.string()), ("lat", pa.float64()),
    ("lon", pa.float64())])
_TABLES = {"am_charity": _CHARITY, "am_annual_return": _RETURN,
           "am_classification": _CLASSIFICATION, "am_area": _AREA, "am_company": _COMPANY}
# The columns read back into a RegisteredOrganisation (the place columns are for finding rows).
_PLACE = ("lad", "lat", "lon")
_CHARITY_FIELDS = ", ".join(f'"{f.name}"' for f in _CHARITY if f.name not in _PLACE)
_COMPANY_FIELDS = ", ".join(f'"{f.name}"' for f in _COMPANY if f.name not in _PLACE)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _batches(items: Iterable[T], size: int = 50_000) -> Iterator[list[T]]:
    """Lists of `size` items (any kind: the store's own `batched` takes entries only)."""
    items = iter(items)
    while batch := list(itertools.islice(items, size)):
        yield batch


Place = tuple[str | None, float | None, float | None]  # (LAD, lat, lon); None when not found


def _placed(postcodes: Sequence[str | None]) -> list[Place]:
    """(LAD, lat, lon) of each postcode, so an area's rows can be read without placing all."""
    from keepitlocal.geo.store import default_store

    return [(loc.lad, loc.lat, loc.lon) if loc else (None, None, None)
            for loc in default_store().lookup_many([p or "" for p in postcodes])]


class _SQLAssetTables:
    """The asset map's tables in a SQL database, written and read with SQL both DuckDB and
    PostgreSQL run; a subclass gives the connection's own ways to insert rows, run one
    transaction and test membership of a list. Statements use `?` placeholders and `{name}`
    table names (`am_*`, with the subclass's prefix)."""

    prefix = ""
    types: ClassVar[dict[pa.DataType, str]] = {}

    def __init__(self, read_only: bool = False) -> None:
        if not read_only:
            self._create()
        self.ready = read_only is False or self._exists()

    # ---- what a database does its own way ---------------------------------------------------

    def _run(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def _transaction(self, work: Callable[[], int]) -> int:
        """Run `work` in one transaction: a load that fails half-way keeps the old copy."""
        raise NotImplementedError

    def _exists(self) -> bool:
        raise NotImplementedError

    def _among(self, column: str) -> str:
        """A condition: `column` is one of the list given as the next argument."""
        raise NotImplementedError

    # ---- shared ----------------------------------------------------------------------------

    @classmethod
    def table_names(cls) -> list[str]:
        return [cls.prefix + name for name in (*_TABLES, "am_loads")]

    def _sql(self, sql: str) -> str:
        return sql.format(**{name: self.prefix + name for name in (*_TABLES, "am_loads")})

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._run(self._sql(sql), args)

    def _create(self) -> None:
        for name, schema in _TABLES.items():
            columns = ", ".join(f'"{f.name}" {self.types[f.type]}' for f in schema)
            self._run(f"CREATE TABLE IF NOT EXISTS {self.prefix}{name} ({columns})")
        self._rows("CREATE TABLE IF NOT EXISTS {am_loads} (register VARCHAR PRIMARY KEY, "
                   "file VARCHAR, published DATE, loaded_at TIMESTAMP, rows BIGINT)")

    def _record_load(self, register: str, file: str, published: dt.date | None,
                     rows: int) -> None:
        self._rows("DELETE FROM {am_loads} WHERE register = ?", [register])
        self._rows("INSERT INTO {am_loads} VALUES (?, ?, ?, ?, ?)",
                   [register, file, published,
                    dt.datetime.now(dt.UTC).replace(tzinfo=None), rows])

    # ---- writing ---------------------------------------------------------------------------

    def save_charities(self, tables: Sequence[TableFile], report: ReadReport,
                       progress: Progress = _quiet) -> int:
        """Every row of the `charity` table (main and linked, registered and removed), placed,
        and the side tables given, for the charities read. Returns the charity rows saved."""
        found = {t.table: t for t in tables}
        if charity_commission.CHARITY not in found:
            raise InputError.one(
                "the Charity Commission files given hold no charity table",
                file=", ".join(sorted({t.path.name for t in tables})),
                hint="add publicextract.charity.zip (the other tables add to it)")

        def work() -> int:
            for table in ("am_charity", "am_annual_return", "am_classification", "am_area"):
                self._rows(f"DELETE FROM {{{table}}}")
            wanted: set[int] = set()
            count = 0
            for batch in _batches(charity_commission.read_charities(
                    found[charity_commission.CHARITY], report)):
                places = _placed([c.postcode for c in batch])
                self._insert("am_charity", [_charity_row(c, p) for c, p in zip(
                    batch, places, strict=True)])
                wanted.update(c.organisation_number for c in batch
                              if c.organisation_number is not None)
                count += len(batch)
                progress("reading the charity table", count, 0)
            self._save_side_tables(found, wanted, report, progress)
            self._record_load(CHARITIES, report.file.split(":")[0], report.published, count)
            return count

        return self._transaction(work)

    def _save_side_tables(self, found: dict[str, TableFile], wanted: set[int],
                          report: ReadReport, progress: Progress) -> None:
        readers: list[tuple[str, str, Callable[..., Iterator[Any]],
                            Callable[[Any], dict[str, Any]]]] = [
            (charity_commission.ANNUAL_RETURN, "am_annual_return",
             charity_commission.read_annual_returns, _return_row),
            (charity_commission.CLASSIFICATION, "am_classification",
             charity_commission.read_classifications, _classification_row),
            (charity_commission.AREA_OF_OPERATION, "am_area",
             charity_commission.read_areas_of_operation, _area_row)]
        for table, target, read, as_row in readers:
            if table not in found:
                continue
            side = ReadReport(found[table].path.name, "ccew")
            done = 0
            for batch in _batches(read(found[table], side, wanted)):
                self._insert(target, [as_row(item) for item in batch])
                done += len(batch)
                progress(f"reading {table}", done, 0)
            report.problems += side.problems[:max(0, report.problem_limit
                                                   - len(report.problems))]

    def save_companies(self, rows: Iterable[dict[str, Any]], file: str,
                       published: dt.date | None) -> int:
        """Companies House social-economy companies (the register entries whose sector is
        VCSE), with the incorporation and dissolution dates the file gives."""
        def work() -> int:
            self._rows("DELETE FROM {am_company}")
            count = 0
            for batch in _batches(r for r in rows if r.get("sector") == "vcse"):
                places = _placed([r.get("postcode") for r in batch])
                self._insert("am_company", [_company_row(r, p) for r, p in zip(
                    batch, places, strict=True)])
                count += len(batch)
            self._record_load(COMPANIES, file, published, count)
            return count

        return self._transaction(work)

    # ---- reading ---------------------------------------------------------------------------

    def loads(self) -> list[AssetLoad]:
        if not self.ready:
            return []
        rows = self._rows("SELECT register, file, published, loaded_at, rows "
                          "FROM {am_loads} ORDER BY register")
        return [AssetLoad(r, f, p, t, int(n)) for r, f, p, t, n in rows]

    def main_charities(self) -> list[RegisteredOrganisation]:
        """The main charities still registered, as saved: what the matching register holds."""
        rows = self._rows(f"SELECT {_CHARITY_FIELDS} FROM {{am_charity}} "
                          'WHERE main AND active ORDER BY "row"')
        return [_charity(r) for r in rows]

    def area_descriptions(self) -> list[str]:
        """The local-authority names the area-of-operation table uses, to map them to LADs."""
        if not self.ready:
            return []
        rows = self._rows("SELECT DISTINCT description FROM {am_area} WHERE "
                          "lower(kind) LIKE 'local authority%'")
        return [r[0] for r in rows if r[0]]

    def extract(self, lads: Collection[str], operation_names: Collection[str] = (),
                box: Box | None = None) -> Extract:
        """The charities and companies of an area: with an office in `lads` (or in `box`), or
        saying they work in one of `operation_names`; a charity comes with its linked charities,
        its annual returns, classification and areas of operation."""
        extract = Extract()
        loads = {x.register: x for x in self.loads()}
        lad_list, names = sorted(lads), sorted(operation_names)
        where, args = self._near(lad_list, box)
        if CHARITIES in loads:
            wanted = (
                "SELECT DISTINCT c.charity_number FROM {am_charity} c WHERE " + where +
                " UNION SELECT DISTINCT c.charity_number FROM {am_area} a JOIN {am_charity} c "
                "USING (organisation_number) WHERE lower(a.kind) LIKE 'local authority%' AND "
                + self._among("a.description"))
            wanted_args = [*args, names]
            charities = self._rows(
                f"SELECT {_CHARITY_FIELDS} FROM {{am_charity}} WHERE charity_number IN "
                f"({wanted}) ORDER BY \"row\"", wanted_args)
            extract.organisations += [_charity(r) for r in charities]
            numbers = f"(SELECT organisation_number FROM {{am_charity}} WHERE charity_number " \
                      f"IN ({wanted}))"
            for r in self._rows(f"SELECT * FROM {{am_annual_return}} WHERE "
                                f"organisation_number IN {numbers}", wanted_args):
                extract.annual_returns.setdefault(r[0], []).append(AnnualReturn(
                    r[0], r[1], _money(r[2]), _money(r[3]), _money(r[4])))
            for r in self._rows(f"SELECT * FROM {{am_classification}} WHERE "
                                f"organisation_number IN {numbers}",
                                wanted_args):
                extract.classifications.setdefault(r[0], []).append(Classification(*r))
            for r in self._rows(f"SELECT * FROM {{am_area}} WHERE organisation_number IN "
                                f"{numbers}", wanted_args):
                extract.areas.setdefault(r[0], []).append(AreaOfOperation(*r))
            extract.reports.append(_report(loads[CHARITIES], len(charities)))
        if COMPANIES in loads:
            companies = self._rows(f"SELECT {_COMPANY_FIELDS} FROM {{am_company}} c WHERE "
                                   f"{where}", args)
            extract.organisations += [_company(r) for r in companies]
            extract.reports.append(_report(loads[COMPANIES], len(companies)))
        return extract

    def _near(self, lads: list[str], box: Box | None) -> tuple[str, list[Any]]:
        if box is None:
            return self._among("c.lad"), [lads]
        return ("(c.lat BETWEEN ? AND ? AND c.lon BETWEEN ? AND ?)",
                [box.south, box.north, box.west, box.east])


class DuckDBAssetTables(_SQLAssetTables):
    """The asset map's tables (`am_*`) in the register store's DuckDB database."""

    types: ClassVar[dict[pa.DataType, str]] = {
        pa.string(): "VARCHAR", pa.bool_(): "BOOLEAN", pa.date32(): "DATE", pa.int64(): "BIGINT",
        pa.float64(): "DOUBLE"}

    def __init__(self, con: duckdb.DuckDBPyConnection, read_only: bool = False) -> None:
        self.con = con
        super().__init__(read_only)

    def _run(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(args)).fetchall()

    def _exists(self) -> bool:
        found = self._run("SELECT count(*) FROM information_schema.tables "
                          "WHERE table_name = 'am_loads'")
        return bool(found and found[0][0])

    def _among(self, column: str) -> str:
        return f"list_contains(?, {column})"

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        self.con.register("am_batch", pa.Table.from_pylist(rows, schema=_TABLES[table]))
        self.con.execute(f"INSERT INTO {table} SELECT * FROM am_batch")
        self.con.unregister("am_batch")

    def _transaction(self, work: Callable[[], int]) -> int:
        self.con.execute("BEGIN TRANSACTION")
        try:
            done = work()
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return done


class PostgresAssetTables(_SQLAssetTables):
    """The asset map's tables in PostgreSQL (`keepitlocal_am_*`), beside the register store's
    own tables, for the web app on PostgreSQL: the same answers as `DuckDBAssetTables`."""

    prefix = "keepitlocal_"
    types: ClassVar[dict[pa.DataType, str]] = {
        pa.string(): "text", pa.bool_(): "boolean", pa.date32(): "date", pa.int64(): "bigint",
        pa.float64(): "double precision"}

    def __init__(self, con: Any, read_only: bool = False) -> None:
        self.con = con  # a psycopg connection in autocommit mode
        super().__init__(read_only)

    def _run(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.con.cursor() as cursor:
            cursor.execute(sql.replace("%", "%%").replace("?", "%s"), list(args))
            return cursor.fetchall() if cursor.description is not None else []

    def _exists(self) -> bool:
        found = self._run("SELECT to_regclass(?)", [self.prefix + "am_loads"])
        return bool(found and found[0][0] is not None)

    def _among(self, column: str) -> str:
        return f"{column} = ANY(?)"

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        names = [f.name for f in _TABLES[table]]
        columns = ", ".join(f'"{n}"' for n in names)
        with self.con.cursor() as cursor, cursor.copy(
                f"COPY {self.prefix}{table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[n] for n in names])

    def _transaction(self, work: Callable[[], int]) -> int:
        with self.con.transaction():
            return work()


def _report(load: AssetLoad, kept: int) -> ReadReport:
    """How a stored register was used: its file and publication date, rows kept for the area."""
    kind = "ccew" if load.register == CHARITIES else "companies_house"
    return ReadReport(load.file, kind, rows=load.rows, kept=kept, published=load.published)


def _charity_row(c: RegisteredOrganisation, place: Place) -> dict[str, Any]:
    lad, lat, lon = place
    return {"number": c.number, "name": c.name, "status": c.status, "active": c.active,
            "registered": c.registered, "removed": c.removed, "income": _text(c.income),
            "expenditure": _text(c.expenditure), "postcode": c.postcode,
            "charity_number": c.charity_number, "company_number": c.company_number,
            "activities": c.activities, "kind": c.kind, "main": c.main,
            "organisation_number": c.organisation_number,
            "financial_year_end": c.financial_year_end, "row": c.row, "lad": lad, "lat": lat,
            "lon": lon}


def _charity(r: tuple[Any, ...]) -> RegisteredOrganisation:
    (number, name, status, active, registered, removed, income, expenditure, postcode,
     charity_number, company_number, activities, kind, main, organisation_number,
     financial_year_end, row) = r
    return RegisteredOrganisation(
        register="ccew", number=number, name=name, status=status or "", active=active,
        registered=registered, removed=removed, income=_money(income),
        expenditure=_money(expenditure), postcode=postcode, charity_number=charity_number,
        company_number=company_number, activities=activities, kind=kind, main=main,
        organisation_number=organisation_number, financial_year_end=financial_year_end,
        row=row)


def _company_row(r: dict[str, Any], place: Place) -> dict[str, Any]:
    lad, lat, lon = place
    return {"company_number": r["company_number"], "name": r["name"],
            "postcode": r.get("postcode"), "company_type": r.get("company_type"),
            "status": r.get("status"), "incorporated": r.get("incorporated"),
            "dissolved": r.get("dissolved"), "lad": lad, "lat": lat, "lon": lon}


def _company(r: tuple[Any, ...]) -> RegisteredOrganisation:
    number, name, postcode, company_type, status, incorporated, dissolved = r
    return RegisteredOrganisation(
        register="companies_house", number=number, name=name, status=status or "live",
        active=dissolved is None, registered=incorporated, removed=dissolved,
        postcode=postcode, company_number=number, kind=company_type)


def _return_row(r: AnnualReturn) -> dict[str, Any]:
    return {"organisation_number": r.organisation_number, "period_end": r.period_end,
            "total_gross_income": _text(r.total_gross_income),
            "government_contracts": _text(r.government_contracts),
            "government_grants": _text(r.government_grants)}


def _classification_row(c: Classification) -> dict[str, Any]:
    return {"organisation_number": c.organisation_number, "kind": c.kind, "code": c.code,
            "description": c.description}


def _area_row(a: AreaOfOperation) -> dict[str, Any]:
    return {"organisation_number": a.organisation_number, "kind": a.kind,
            "description": a.description, "parent": a.parent}


def asset_tables_of(store: Any, read_only: bool = False) -> AssetTables | None:
    """The asset map's tables of a register store: in its DuckDB database, or the store's own
    `asset_tables()`; None when the store keeps none."""
    maker = getattr(store, "asset_tables", None)
    if callable(maker):
        tables: AssetTables = maker()
        return tables
    con = getattr(store, "con", None)
    if isinstance(con, duckdb.DuckDBPyConnection):
        return DuckDBAssetTables(con, read_only=read_only)
    return None


def table_files(paths: Sequence[Path]) -> list[TableFile]:
    """The extract's tables found in any mix of files and zips (the first of each kind)."""
    tables: dict[str, TableFile] = {}
    for path in paths:
        for found in charity_commission.find_tables(path):
            tables.setdefault(found.table, found)
    return list(tables.values())
