"""Changes to asset maps: create one, add or remove a register file, build it (in the
background), and turn the engine's answer into the stored document the pages read."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from keepitlocal.assetmap import areas
from keepitlocal.assetmap.areas import AreaChoice
from keepitlocal.assetmap.build import VIEWS, build
from keepitlocal.assetmap.build import AssetMap as EngineMap
from keepitlocal.assetmap.deprivation import ATTRIBUTION, EDITION, OLDER_EDITION
from keepitlocal.assetmap.export import district_document, organisation_row, summary_document
from keepitlocal.assetmap.sources import REGISTER_NAMES, Sources, read_all, read_directory
from keepitlocal.assetmap.summary import summarise
from keepitlocal.errors import KeepItLocalError
from keepitlocal.registers.asset_tables import AssetTables, asset_tables_of
from keepitlocal.web.assetmap.models import (
    AssetMap,
    BuildRun,
    BuildStatus,
    SourceFile,
    SourceKind,
)
from keepitlocal.web.core.jobs import run_reported
from keepitlocal.web.core.uploads import UploadError, staged

log = logging.getLogger(__name__)


def map_create(org: Any, name: str, council_code: str, choice: AreaChoice | None = None
               ) -> AssetMap:
    """A new map of a council's district, or of the area `choice` names (a county, a combined
    authority, several districts or a radius); `council_code` is a district it holds."""
    return AssetMap.objects.create(organisation=org, name=name, council_code=council_code,
                                   area=choice.spec if choice else {},
                                   area_name=choice.name[:300] if choice else "")


@contextmanager
def national_tables() -> Iterator[AssetTables | None]:
    """The asset map's tables of the registers loaded once (`keepitlocal registers load`) into
    the data folder's store, or None when none are loaded."""
    from keepitlocal.registers.store import available, open_store

    if not available():
        yield None
        return
    with open_store(read_only=True) as store:
        tables = asset_tables_of(store, read_only=True)
        yield tables if tables is not None and tables.loads() else None


def directory_check(upload: UploadedFile | Any, mapping: dict[str, str] | None
                    ) -> list[str]:
    """Read the council's directory through the bounded upload path before it is kept: a file
    that cannot be used is refused (UploadError, nothing kept); the problems of single rows are
    returned, each naming the file, row and column, for the page to show."""
    sources = Sources()
    with staged(upload, default="directory.csv") as path:
        try:
            read_directory(path, sources, mapping)
        except KeepItLocalError as error:
            raise UploadError(getattr(error, "problems", None) or [str(error)]) from None
        except (ValueError, UnicodeDecodeError, OSError):
            raise UploadError([f"{path.name}: this file cannot be read as a directory. Save it "
                               "as CSV (UTF-8) or XLSX, with a header row."]) from None
    (report,) = sources.reports
    if not report.kept:
        raise UploadError([f"{path.name}: no row names an organisation, so nothing can be "
                           "mapped. Check the name column, or name it in the form."],
                          hint=None)
    problems = [str(p) for p in report.problems]
    if report.problems_dropped:
        problems.append(f"… and {report.problems_dropped:,} more problems in {path.name}")
    return problems


def file_add(asset_map: AssetMap, kind: str, upload: UploadedFile | Any, user: Any,
             mapping: dict[str, str] | None = None) -> SourceFile:
    """Keep an uploaded register file; one file per kind except the Commission's tables."""
    if kind != SourceKind.CHARITY_COMMISSION:
        for old in asset_map.files.filter(kind=kind):
            file_delete(old)
    row = SourceFile(organisation=asset_map.organisation, asset_map=asset_map, kind=kind,
                     original_name=Path(str(upload.name)).name[:255], size=upload.size or 0,
                     mapping=mapping or {},
                     uploaded_by=user if getattr(user, "pk", None) else None)
    row.file.save(row.original_name, upload, save=False)
    row.save()
    return row


def file_delete(row: SourceFile) -> None:
    row.file.delete(save=False)
    row.delete()


def build_create(asset_map: AssetMap) -> BuildRun:
    return BuildRun.objects.create(organisation=asset_map.organisation, asset_map=asset_map,
                                   progress="Waiting for the background worker to start.")


def _progress(run: BuildRun, text: str, **fields: Any) -> None:
    BuildRun.objects.filter(pk=run.pk).update(progress=text[:300], **fields)


def _stage(row: SourceFile, folder: Path) -> Path:
    target = folder / f"{row.pk}-{Path(row.original_name).name}"
    with row.file.open("rb") as source, target.open("wb") as out:
        shutil.copyfileobj(source, out)
    return target


def build_execute(run_id: int) -> str:
    """Read the files, build the map and store its document; never raises for bad input (the
    run is marked failed with the engine's messages instead)."""
    run = BuildRun.objects.select_related("asset_map").get(pk=run_id)
    if run.status not in (BuildStatus.QUEUED, BuildStatus.RUNNING):
        return run.status
    asset_map = run.asset_map
    files = list(asset_map.files.all())
    _progress(run, f"Reading {len(files)} register file{'s' if len(files) != 1 else ''}.",
              status=BuildStatus.RUNNING)

    def work() -> dict[str, Any] | None:
        choice = areas.from_spec(asset_map.area or {}, asset_map.council_code)
        with tempfile.TemporaryDirectory(prefix="keepitlocal-assetmap-") as tmp, \
                national_tables() as tables:
            if not files and tables is None:
                _finish_failed(run, ["Add at least one register file before building the map "
                                     "(no national registers are loaded on this server)."])
                return None
            folder = Path(tmp)
            staged = {row.pk: _stage(row, folder) for row in files}

            def one(kind: str) -> Path | None:
                rows = [r for r in files if r.kind == kind]
                return staged[rows[-1].pk] if rows else None

            def progress(step: str, done: int, total: int) -> None:
                of = f" of {total:,}" if total else " so far"
                _progress(run, f"{step.capitalize()}: {done:,}{of}.")

            directory = [r for r in files if r.kind == SourceKind.DIRECTORY]
            sources = read_all(
                charities=[staged[r.pk] for r in files
                           if r.kind == SourceKind.CHARITY_COMMISSION],
                oscr_file=one(SourceKind.OSCR), ccni_file=one(SourceKind.CCNI),
                companies_house_file=one(SourceKind.COMPANIES_HOUSE),
                grants_file=one(SourceKind.GRANTS), directory=one(SourceKind.DIRECTORY),
                directory_mapping=directory[-1].mapping or None if directory else None,
                store=tables, area=choice.area, progress=progress)

            engine_map = build(sources, choice.area, progress=progress)
            _progress(run, "Saving the map.")
            return result_document(engine_map, choice, sources.stored)

    document = run_reported(work, lambda problems: _finish_failed(run, problems),
                            what="build", job=f"asset map build {run_id}")
    if document is None:
        return BuildStatus.FAILED
    BuildRun.objects.filter(pk=run.pk).update(
        status=BuildStatus.DONE, finished_at=timezone.now(), result=document,
        progress="Finished.", problems=[p for r in document["registers"]
                                        for p in r["problems"]][:200])
    return BuildStatus.DONE


def _finish_failed(run: BuildRun, problems: list[str]) -> None:
    BuildRun.objects.filter(pk=run.pk).update(status=BuildStatus.FAILED, problems=problems[:200],
                                              finished_at=timezone.now(), progress="Stopped.")


def result_document(engine_map: EngineMap, choice: AreaChoice | None = None,
                    stored: list[str] | None = None) -> dict[str, Any]:
    """Everything the pages show, as plain data: one entry per organisation and each view's
    figures (computed by the engine; the pages only format them)."""
    organisations = []
    for organisation in engine_map.organisations:
        row = organisation_row(organisation, engine_map)
        row["identifiers"] = [list(i) for i in organisation.identifiers]
        row["sources"] = organisation.sources
        row["activities"] = list(organisation.classifications)
        row["area_names"] = list(organisation.area_names)
        row["records"] = [{"register": REGISTER_NAMES.get(r.register, r.register),
                           "number": r.number, "name": r.name, "status": r.status,
                           "row": r.row} for r in organisation.records]
        row["income_history"] = [
            {"period_end": y.period_end, "income": y.income,
             "government_contracts": y.government_contracts,
             "government_grants": y.government_grants} for y in organisation.income_history]
        row["grant_count"] = organisation.grant_count
        organisations.append(row)
    return {
        "area": engine_map.area.describe(),
        "area_name": choice.name if choice else engine_map.area.describe(),
        "from_store": stored or [],
        "lads": [d.lad for d in engine_map.districts],
        "districts": [district_document(d) for d in engine_map.districts],
        "read_count": engine_map.read_count,
        "placed_levels": engine_map.placed_levels,
        "bands": [{"name": b.name, "range": b.describe()} for b in engine_map.bands],
        "views": {view: summary_document(summarise(engine_map, view)) for view in VIEWS},
        "registers": [{"register": REGISTER_NAMES.get(r.kind, r.kind), "file": r.file,
                       "published": r.published, "rows": r.rows, "kept": r.kept,
                       "problems": [str(p) for p in r.problems],
                       "problems_not_listed": r.problems_dropped}
                      for r in engine_map.reports],
        "organisations": organisations,
        "deprivation": {"edition": EDITION, "older": OLDER_EDITION, "attribution": ATTRIBUTION},
    }
