"""The bridge to the spend engine: a run's inputs staged as files, one `analyse` call, and its
answer and ledger lines kept. The background task and the demo call `run_execute`; the upload
services use its problems in the web's words.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from keepitlocal.errors import InputError, KeepItLocalError
from keepitlocal.spend import ColumnMapping, SpendOptions, analyse, result_to_dict
from keepitlocal.spend.model import Progress
from keepitlocal.spend.summary import path as summary_cache
from keepitlocal.spend.suppliers import cache_path as supplier_cache
from keepitlocal.web.core.jobs import run_reported
from keepitlocal.web.core.uploads import safe_name
from keepitlocal.web.spend import selectors
from keepitlocal.web.spend.models import AnalysisRun, NationalKind, RunStatus, SpendAnalysis

log = logging.getLogger(__name__)

KEEP_LINE_TABLES = 2  # runs per analysis whose ledger lines stay on disk for drill-down


def problems_of(error: KeepItLocalError) -> list[str]:
    if isinstance(error, InputError):
        return [selectors.in_web_words(p) for p in error.problems]
    return [str(error)]


def delete_stored(names: Iterable[str]) -> None:
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except OSError:  # already gone, or the disk refuses: nothing in the database points here
            log.warning("could not delete stored file %s", name)


# --- a run --------------------------------------------------------------------------------


def _progress(run: AnalysisRun, text: str, **fields: Any) -> None:
    for key, value in {"progress": text[:300], **fields}.items():
        setattr(run, key, value)
    AnalysisRun.objects.filter(pk=run.pk).update(progress=text[:300], **fields)


def _link(source: Path, target: Path) -> None:
    try:
        os.symlink(source, target)
    except (OSError, NotImplementedError):
        shutil.copyfile(source, target)


def local_copy(field: Any, folder: Path, name: str) -> Path:
    """A path to a stored file under the name the user gave it (the engine reports that name)."""
    target = folder / name
    try:
        _link(Path(field.path), target)
    except NotImplementedError:  # a storage without local paths
        with field.open("rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
    return target


def _unique_name(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    stem, suffix = Path(name).stem, Path(name).suffix
    while candidate.lower() in taken:
        number += 1
        candidate = f"{stem} ({number}){suffix}"
    taken.add(candidate.lower())
    return candidate


def engine_inputs(analysis: SpendAnalysis, folder: Path) -> tuple[list[Path], Path | None,
                                                                  SpendOptions]:
    """Everything `analyse` needs, staged in `folder`: the files under their own names, the
    remembered mappings (one per file), the decisions, the rules, tiers, target and shift."""
    taken: set[str] = set()
    ledgers: list[Path] = []
    per_file: dict[str, dict[str, str | None]] = {}
    files = folder / "files"
    files.mkdir()
    periods: dict[str, str] = {}
    header_rows: dict[str, int] = {}
    for ledger in analysis.ledgers.filter(left_out=False):
        name = _unique_name(safe_name(ledger.original_name, "ledger.csv"), taken)
        ledgers.append(local_copy(ledger.file, files, name))
        per_file[name] = selectors.mapping_for(ledger)
        if ledger.period and not per_file[name].get("date"):
            periods[name] = ledger.period
        if ledger.header_row_chosen:
            header_rows[name] = ledger.header_row
    register_row = analysis.registers.first()
    register = None
    if register_row is not None:
        name = _unique_name(safe_name(register_row.original_name, "register.csv"), taken)
        register = local_copy(register_row.file, files, name)
    national: dict[str, Path] = {}
    for kind, row in selectors.national_files(analysis).items():
        name = _unique_name(safe_name(row.original_name, f"{kind}.csv"), taken)
        national[kind] = local_copy(row.file, files, name)
    rules = folder / "exclusions.json"
    document = analysis.exclusion_rules or selectors.shipped_rules()
    rules.write_text(json.dumps(document), encoding="utf-8")
    tiers = None
    if analysis.tiers:
        tiers = folder / "tiers.json"
        tiers.write_text(json.dumps(analysis.tiers), encoding="utf-8")
    options = SpendOptions(
        tiers=tiers, mapping=ColumnMapping(columns={}, files=per_file, periods=periods,
                                           header_rows=header_rows),
        decisions=selectors.decisions_for(analysis.organisation), exclusions=rules,
        companies_house=national.get(NationalKind.COMPANIES_HOUSE.value),
        charities=national.get(NationalKind.CHARITIES.value),
        target=analysis.target_share, shift=analysis.shift_share, keep_lines=True,
        ingested=ingested_path(analysis),
    )
    return ledgers, register, options


def ingested_name(analysis: SpendAnalysis) -> str:
    return f"spend/{analysis.organisation_id}/{analysis.pk}/ingested.duckdb"


def kept_names(analysis: SpendAnalysis) -> list[str]:
    """What the analysis keeps between runs: the parsed ledgers, its suppliers as matched and
    its lines' sums."""
    ingested = Path(ingested_name(analysis))
    return [ingested.as_posix(), supplier_cache(ingested).as_posix(),
            summary_cache(ingested).as_posix()]


def ingested_path(analysis: SpendAnalysis) -> Path | None:
    """Where the analysis keeps its parsed ledgers between runs (see spend/ingest.py), so a
    re-run after a change of tiers, rules or decisions does not read the files again; None on
    a storage without local files."""
    try:
        return Path(default_storage.path(ingested_name(analysis)))
    except NotImplementedError:
        return None


@contextmanager
def national_registers() -> Iterator[Any]:
    """The registers loaded once with `keepitlocal registers load`, for every analysis of
    every organisation; None when none are loaded."""
    with selectors.register_store() as store:
        yield store if store is not None and store.loaded() else None


def _engine_progress(run: AnalysisRun) -> Callable[[Progress], None]:
    """The engine's progress into the run (its step in words and how far, 0-100, for the run
    page's progress bar), at most once a second."""
    last = [0.0]

    def tell(progress: Progress) -> None:
        now = time.monotonic()
        if now - last[0] >= 1.0 or progress.fraction >= 1.0:
            last[0] = now
            _progress(run, progress.describe(),
                      percent=max(0, min(100, int(progress.fraction * 100))))

    return tell


def run_execute(run_id: int) -> str:
    """Call the engine once for this run and keep its answer; returns the run's final status.

    Never raises for a problem with the inputs: the run is marked failed with the engine's own
    messages, which the status page shows.
    """
    run = AnalysisRun.objects.select_related("analysis").get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return run.status
    analysis = run.analysis
    problems = selectors.readiness(analysis)
    if problems:
        _finish_failed(run, problems)
        return run.status
    ledgers = list(analysis.ledgers.all())
    rows = sum(f.rows for f in ledgers)
    _progress(run, f"Reading {len(ledgers)} ledger file{'s' if len(ledgers) != 1 else ''} "
                   f"({rows:,} rows) and the supplier register, matching suppliers and "
                   "working out every figure.",
              status=RunStatus.RUNNING, started_at=timezone.now())

    def work() -> tuple[dict[str, Any], str]:
        with tempfile.TemporaryDirectory(prefix="keepitlocal-spend-run-") as tmp:
            folder = Path(tmp)
            paths, register, options = engine_inputs(analysis, folder)
            options.progress = _engine_progress(run)
            options.lines_file = folder / "lines.parquet"
            with national_registers() as loaded:
                options.registers = loaded
                result = analyse(paths, register, analysis.council_code, options)
            _progress(run, "Saving the figures and the ledger lines behind them.")
            return result_to_dict(result), _save_lines(run, result.line_table)

    outcome = run_reported(work, lambda problems: _finish_failed(run, problems),
                           what="analysis", job=f"spend analysis run {run_id}",
                           problems=problems_of)
    if outcome is None:
        return run.status
    document, lines_name = outcome
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, finished_at=timezone.now(), result=document,
        lines_file=lines_name, progress="Finished.", percent=100, problems=[
            p["text"] for p in document.get("problems", [])][:200])
    _prune_line_tables(analysis)
    return RunStatus.DONE


def _finish_failed(run: AnalysisRun, problems: list[str]) -> None:
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), problems=problems[:200],
        error="The analysis could not run: fix the problems listed and run it again.",
        progress="Stopped.")
    run.status = RunStatus.FAILED


def _save_lines(run: AnalysisRun, path: Path | None) -> str:
    """The line table the engine wrote as Parquet, kept in storage for drill-down pages."""
    if path is None:
        return ""
    name = f"spend/{run.organisation_id}/{run.analysis_id}/runs/{run.pk}-lines.parquet"
    with path.open("rb") as handle:
        return default_storage.save(name, File(handle))


def _prune_line_tables(analysis: SpendAnalysis) -> None:
    kept = analysis.runs.filter(status=RunStatus.DONE).exclude(lines_file="").order_by(
        "-created_at", "-pk")
    old = list(kept[KEEP_LINE_TABLES:])
    delete_stored([r.lines_file for r in old])
    AnalysisRun.objects.filter(pk__in=[r.pk for r in old]).update(lines_file="")
