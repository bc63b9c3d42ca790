"""Every register file the asset map reads, read once into organisation rows and side tables.

The Charity Commission extract may come as several files (one per table) or one zip; the other
registers are one file each. A file of the wrong kind is refused saying what was expected; bad
rows are reported (file, row, column) and the rest of the file is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from keepitlocal.errors import InputError
from keepitlocal.geo.areas import Area
from keepitlocal.registers import ccni, charity_commission, grants360, oscr
from keepitlocal.registers.asset_tables import AssetTables
from keepitlocal.registers.charity_commission import (
    AnnualReturn,
    AreaOfOperation,
    Classification,
    TableFile,
)
from keepitlocal.registers.fields import (
    ReadReport,
    RegisteredOrganisation,
    clean,
    norm_charity,
    norm_company,
)
from keepitlocal.registers.grants360 import Grant

T = TypeVar("T")
REGISTER_NAMES = {
    "ccew": "Charity Commission for England and Wales register extract",
    "oscr": "Scottish Charity Regulator (OSCR) register",
    "ccni": "Charity Commission for Northern Ireland register",
    "companies_house": "Companies House basic company data (CICs, guarantee companies, "
                       "CIOs, societies)",
    "360giving": "360Giving grants",
    "directory": "the council's own directory",
}
DIRECTORY_FIELDS = ("name", "postcode", "charity_number", "company_number", "activity",
                    "income", "id")


@dataclass
class Sources:
    """What was read: organisation rows, the Commission's side tables, grants and reports."""

    organisations: list[RegisteredOrganisation] = field(default_factory=list)
    annual_returns: dict[int, list[AnnualReturn]] = field(default_factory=dict)
    classifications: dict[int, list[Classification]] = field(default_factory=dict)
    areas: dict[int, list[AreaOfOperation]] = field(default_factory=dict)
    grants: list[Grant] = field(default_factory=list)
    reports: list[ReadReport] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)  # registers read from the store, in words

    def published(self) -> dict[str, date | None]:
        """Each register's publication (extract) date, as far as the files say."""
        dates: dict[str, date | None] = {}
        for report in self.reports:
            if report.published or report.kind not in dates:
                dates[report.kind] = report.published
        return dates


def _date_in_name(name: str) -> date | None:
    """OSCR and Companies House put the date in the file name (30-Nov-2026, 2026-11-01)."""
    for pattern, form in ((r"(\d{1,2}-[A-Za-z]{3}-\d{4})", "%d-%b-%Y"),
                          (r"(\d{4}-\d{2}-\d{2})", "%Y-%m-%d")):
        found = re.search(pattern, name)
        if found:
            try:
                return datetime.strptime(found.group(1), form).date()
            except ValueError:
                continue
    return None


Progress = Callable[[str, int, int], None]  # (step, done, total); total 0 when not known


def _quiet(step: str, done: int, total: int) -> None:
    pass


def _counted(items: Iterable[T], step: str, progress: Progress, every: int = 50_000
             ) -> Iterator[T]:
    """The items, telling `progress` how many have gone by every `every` of them."""
    count = 0
    for item in items:
        count += 1
        if count % every == 0:
            progress(step, count, 0)
        yield item
    progress(step, count, 0)


def read_charity_commission(paths: Sequence[Path], sources: Sources,
                            progress: Progress = _quiet) -> None:
    """The extract's tables from any mix of files and zips; the `charity` table is required."""
    tables: dict[str, TableFile] = {}
    for path in paths:
        for found in charity_commission.find_tables(path):
            tables.setdefault(found.table, found)
    if charity_commission.CHARITY not in tables:
        raise InputError.one(
            "the Charity Commission files given hold no charity table",
            file=", ".join(p.name for p in paths),
            hint="add publicextract.charity.zip (the other tables add to it)")
    report = ReadReport(paths[0].name, "ccew")
    sources.reports.append(report)
    rows = list(_counted(charity_commission.read_charities(
        tables[charity_commission.CHARITY], report), "reading the charity table", progress))
    sources.organisations += rows
    wanted = {r.organisation_number for r in rows if r.organisation_number is not None}

    def report_for(table: str) -> ReadReport:
        table_report = ReadReport(tables[table].path.name, "ccew")
        sources.reports.append(table_report)
        return table_report

    if charity_commission.ANNUAL_RETURN in tables:
        for ret in _counted(charity_commission.read_annual_returns(
                tables[charity_commission.ANNUAL_RETURN],
                report_for(charity_commission.ANNUAL_RETURN), wanted),
                "reading the annual returns", progress):
            sources.annual_returns.setdefault(ret.organisation_number, []).append(ret)
    if charity_commission.CLASSIFICATION in tables:
        for item in charity_commission.read_classifications(
                tables[charity_commission.CLASSIFICATION],
                report_for(charity_commission.CLASSIFICATION), wanted):
            sources.classifications.setdefault(item.organisation_number, []).append(item)
    if charity_commission.AREA_OF_OPERATION in tables:
        for place in charity_commission.read_areas_of_operation(
                tables[charity_commission.AREA_OF_OPERATION],
                report_for(charity_commission.AREA_OF_OPERATION), wanted):
            sources.areas.setdefault(place.organisation_number, []).append(place)


def read_store(tables: AssetTables, area: Area, sources: Sources) -> None:
    """The area's charities and companies from the registers loaded once into the shared store
    (`keepitlocal registers load`), with the publication date each was loaded with."""
    from keepitlocal.assetmap.areas import (
        bounding_box,
        lad_by_name,
        lad_of_area_name,
        operation_lads,
    )

    wanted = operation_lads(area)
    names = lad_by_name()
    operation_names = [d for d in tables.area_descriptions()
                       if lad_of_area_name(d, names) in wanted]
    extract = tables.extract(area.lads, operation_names, bounding_box(area))
    sources.organisations += extract.organisations
    _extend(sources.annual_returns, extract.annual_returns)
    _extend(sources.classifications, extract.classifications)
    _extend(sources.areas, extract.areas)
    sources.reports += extract.reports
    for report in extract.reports:
        when = report.published.isoformat() if report.published else "publication date unknown"
        sources.stored.append(f"{REGISTER_NAMES.get(report.kind, report.kind)}: {report.file} "
                              f"(published {when}), from the register store")


def _extend(target: dict[int, list[T]], found: dict[int, list[T]]) -> None:
    for number, items in found.items():
        target.setdefault(number, []).extend(items)


def read_oscr(path: Path, sources: Sources) -> None:
    report = ReadReport(path.name, "oscr", published=_date_in_name(path.name))
    sources.reports.append(report)
    sources.organisations += oscr.read(path, report)


def read_ccni(path: Path, sources: Sources) -> None:
    report = ReadReport(path.name, "ccni", published=_date_in_name(path.name))
    sources.reports.append(report)
    sources.organisations += ccni.read(path, report)


def read_grants(path: Path, sources: Sources) -> None:
    report = ReadReport(path.name, "360giving")
    sources.reports.append(report)
    sources.grants += grants360.read(path, report)


def read_companies_house(path: Path, sources: Sources) -> None:
    """Social-economy companies from the basic company data (CICs, guarantee companies, CIOs,
    societies), through the one Companies House reader. The file has no income; it has each
    company's incorporation date (and, for the few not yet gone, a dissolution date)."""
    from keepitlocal.registers import companies_house

    report = ReadReport(path.name, "companies_house", published=_date_in_name(path.name))
    sources.reports.append(report)
    kept = 0
    for row in companies_house.read(path, report):
        if row["sector"] == "vcse":
            sources.organisations.append(company_organisation(row))
            kept += 1
    report.kept = kept


def company_organisation(row: dict[str, Any]) -> RegisteredOrganisation:
    """A Companies House register entry as an organisation row (no income: the file has none)."""
    return RegisteredOrganisation(
        register="companies_house", number=str(row["company_number"]), name=str(row["name"]),
        status=row.get("status") or "live", active=row.get("dissolved") is None,
        registered=row.get("incorporated"), removed=row.get("dissolved"),
        postcode=row.get("postcode"), company_number=str(row["company_number"]),
        kind=row.get("company_type"))


def read_directory(path: Path, sources: Sources, mapping: dict[str, str] | None = None) -> None:
    """The council's own list of local groups (CSV or XLSX): a name column at least; postcode,
    charity and company numbers, activity and income when present. `mapping` names columns
    (field -> header) where the headers are not recognised."""
    from keepitlocal.money import parse_amount
    from keepitlocal.spend import io
    from keepitlocal.spend.columns import detect_register

    report = ReadReport(path.name, "directory")
    sources.reports.append(report)
    frame = io.read_table(path)
    headers = list(frame.columns)
    detected = detect_register(headers)
    columns = {("id" if k == "supplier_id" else k): v for k, v in detected.items()
               if k in DIRECTORY_FIELDS or k == "supplier_id"}
    for name, header in (mapping or {}).items():
        if name not in DIRECTORY_FIELDS:
            raise InputError.one(f"{name!r} is not a directory field", file=path.name,
                                 hint="fields: " + ", ".join(DIRECTORY_FIELDS))
        if header not in headers:
            raise InputError.one(f"no column {header!r}", file=path.name, row=1,
                                 hint="headers found: " + ", ".join(map(repr, headers)))
        columns[name] = header
    for field_name, words in (("activity", ("activity", "category", "theme", "sector")),
                              ("income", ("income", "turnover"))):
        match = next((h for h in headers if any(w in h.lower() for w in words)), None)
        if field_name not in columns and match is not None:
            columns[field_name] = match
    if "name" not in columns:
        raise InputError.one("no organisation name column found in the directory",
                             file=path.name, row=1,
                             hint="name it with a column mapping; headers found: "
                                  + ", ".join(map(repr, headers)))
    for index, record in enumerate(frame.to_dict("records"), start=2):
        report.rows += 1
        org_name = clean(record.get(columns["name"]))
        if not org_name:
            report.problem("row has no organisation name", row=index, column=columns["name"])
            continue
        income = None
        if "income" in columns and clean(record.get(columns["income"])):
            try:
                income = parse_amount(record[columns["income"]])
            except ValueError:
                report.problem(f"{record[columns['income']]!r} is not an amount", row=index,
                               column=columns["income"])

        def get(key: str, record: dict[str, object] = record) -> str | None:
            return clean(record.get(columns[key])) if key in columns else None

        activity = get("activity")
        report.kept += 1
        sources.organisations.append(RegisteredOrganisation(
            register="directory", number=get("id") or f"row {index}", name=org_name,
            postcode=get("postcode"), charity_number=norm_charity(get("charity_number")),
            company_number=norm_company(get("company_number")), income=income,
            classifications=(activity,) if activity else (), row=index))


def read_all(*, charities: Iterable[Path] = (), oscr_file: Path | None = None,
             ccni_file: Path | None = None, companies_house_file: Path | None = None,
             grants_file: Path | None = None, directory: Path | None = None,
             directory_mapping: dict[str, str] | None = None,
             store: AssetTables | None = None, area: Area | None = None,
             progress: Progress = _quiet) -> Sources:
    """Read every file given; the first file that cannot be used raises (naming itself).

    With a register store and no national register file (Charity Commission or Companies
    House), the area's charities and companies come from the store instead."""
    sources = Sources()
    charity_paths = list(charities)
    if store is not None and area is not None and not charity_paths \
            and companies_house_file is None:
        progress("reading the register store", 0, 0)
        read_store(store, area, sources)
    if charity_paths:
        read_charity_commission(charity_paths, sources, progress)
    if oscr_file:
        read_oscr(oscr_file, sources)
    if ccni_file:
        read_ccni(ccni_file, sources)
    if companies_house_file:
        read_companies_house(companies_house_file, sources)
    if grants_file:
        read_grants(grants_file, sources)
    if directory:
        read_directory(directory, sources, directory_mapping)
    return sources
