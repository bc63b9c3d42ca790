"""Writes for local spend analysis; a run is queued here and done in `bridge.run_execute`.

Views stay thin: they check the form, call one of these, and say what happened. An upload is
read by the engine before anything is stored, so a file it cannot read leaves nothing behind.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from keepitlocal.errors import KeepItLocalError
from keepitlocal.spend import detect_ledger
from keepitlocal.spend import io as spend_io
from keepitlocal.spend import register as spend_register
from keepitlocal.spend.columns import detect_register
from keepitlocal.spend.matching import decision_key
from keepitlocal.web.core import parsing
from keepitlocal.web.core.models import ParseJob
from keepitlocal.web.core.uploads import UploadError, safe_name, staged
from keepitlocal.web.spend import selectors, tasks
from keepitlocal.web.spend.bridge import delete_stored, kept_names, local_copy, problems_of
from keepitlocal.web.spend.models import (
    AnalysisRun,
    ColumnMappingMemory,
    LedgerFile,
    MatchDecision,
    NationalKind,
    NationalRegisterFile,
    RegisterFile,
    RunStatus,
    SpendAnalysis,
    header_signature,
)

log = logging.getLogger(__name__)

SAMPLE_ROWS = spend_io.SAMPLE_ROWS  # kept to judge each column's content and to show
STALE_RUN_SECONDS = 3600  # a run "running" this long has lost its worker: it may be restarted


# --- the analysis --------------------------------------------------------------------------


def analysis_create(*, org: Any, user: Any, name: str, council_code: str,
                    target_share: Decimal | None, shift_share: Decimal,
                    tiers: dict[str, Any] | None = None) -> SpendAnalysis:
    return SpendAnalysis.objects.create(
        organisation=org, created_by=user if getattr(user, "pk", None) else None, name=name,
        council_code=council_code.strip().upper(), target_share=target_share,
        shift_share=shift_share, tiers=tiers, exclusion_rules=selectors.shipped_rules(),
    )


def analysis_update(analysis: SpendAnalysis, **fields: Any) -> SpendAnalysis:
    for key, value in fields.items():
        setattr(analysis, key, value)
    if "council_code" in fields:
        analysis.council_code = analysis.council_code.strip().upper()
    analysis.save()
    return analysis


def analysis_delete(analysis: SpendAnalysis) -> None:
    names = [f.file.name for f in analysis.ledgers.all()]
    names += [f.file.name for f in analysis.registers.all()]
    names += [f.file.name for f in analysis.national_registers.all()]
    names += [r.lines_file for r in analysis.runs.exclude(lines_file="")]
    names += kept_names(analysis)
    analysis.delete()
    delete_stored(names)


# --- uploads -------------------------------------------------------------------------------


def _store(instance: LedgerFile | RegisterFile | NationalRegisterFile, path: Path) -> None:
    """Save the file, then the row; if the row cannot be saved, the file goes too."""
    with path.open("rb") as handle:
        instance.file.save(path.name, File(handle), save=False)
    try:
        with transaction.atomic():
            instance.save()
    except Exception:
        delete_stored([instance.file.name])
        raise


def _read_ledger(path: Path, header_row: int | None = None) -> spend_io.LoadedFile:
    """The engine's reading of a ledger's header and first rows, or a refusal in words (in a
    background job, read in a process capped in memory and time: `parsing.read_bounded`)."""
    work = path.parent / "work"
    work.mkdir(exist_ok=True)
    try:
        loaded = parsing.read_bounded(spend_io.peek, path, work, header_row, file=path.name)
    except KeepItLocalError as error:
        raise UploadError(problems_of(error)) from None
    except Exception as error:  # a file the readers choke on in a way they do not name
        log.info("ledger upload refused: %s", error)
        raise UploadError([f"{path.name}: this file cannot be read as a ledger. Save it "
                           "as CSV or as an Excel workbook (.xlsx) and try again."]) from None
    if loaded.rows == 0:
        raise UploadError([f"{path.name}: the file has a header row but no payments."])
    return loaded


def _describe(ledger: LedgerFile, loaded: spend_io.LoadedFile) -> None:
    """Set what the engine saw in the file: header, first rows, detected columns, layout."""
    headers = list(loaded.headers)
    found = detect_ledger(loaded.name, headers, loaded.header_row, None, loaded.sample)
    ledger.format, ledger.encoding = loaded.format[:60], loaded.encoding or ""
    ledger.header_row, ledger.headers, ledger.rows = loaded.header_row, headers, loaded.rows
    ledger.sample = [list(r) for r in loaded.sample[:SAMPLE_ROWS]]
    ledger.head = [list(r) for r in loaded.head]
    ledger.detected = dict(found.columns)
    ledger.signature = header_signature(headers)
    ledger.mapping_confirmed = ColumnMappingMemory.objects.for_org(ledger.organisation).filter(
        signature=ledger.signature).exists()


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def ledger_add(analysis: SpendAnalysis, *, upload: Any, user: Any) -> LedgerFile:
    """Read the ledger's header and first rows with the engine; store it only if that works."""
    with staged(upload) as path:
        return _ledger_store(analysis, path, _read_ledger(path), user)


def _ledger_store(analysis: SpendAnalysis, path: Path, loaded: spend_io.LoadedFile,
                  user: Any) -> LedgerFile:
    ledger = LedgerFile(
        organisation=analysis.organisation, analysis=analysis, original_name=path.name[:255],
        size=path.stat().st_size, content_hash=_sha256(path),
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    _describe(ledger, loaded)
    _store(ledger, path)
    return ledger


def ledger_uploaded(ledger: LedgerFile) -> parsing.Landing:
    """Where an upload of a ledger lands (its column step) and what it says there."""
    notes = [("warning", f"{ledger} holds {how} as {other}, uploaded before. Lines repeated "
                         "across files are counted once, as duplicates; remove one of the two if "
                         "you did not mean to upload it twice.")
             for other, how in selectors.duplicates_of(ledger)]
    if ledger.mapping_confirmed:
        notes.append(("success", f"Uploaded {ledger} ({ledger.rows:,} rows). Its columns are "
                                 "laid out like an earlier file, so the mapping you chose then "
                                 "is used: check it here."))
    else:
        notes.append(("success", f"Uploaded {ledger} ({ledger.rows:,} rows). Check which column "
                                 "holds what."))
    return parsing.Landing(reverse("spend:columns", args=[ledger.analysis_id, ledger.pk]), notes)


def ledger_header_row_set(ledger: LedgerFile, header_row: int) -> LedgerFile:
    """Read the stored file again with the header on the row a person chose."""
    with tempfile.TemporaryDirectory(prefix="keepitlocal-reread-") as tmp:
        path = local_copy(ledger.file, Path(tmp), safe_name(ledger.original_name, "ledger.csv"))
        loaded = _read_ledger(path, header_row)
    _describe(ledger, loaded)
    ledger.header_row_chosen = True
    ledger.save()
    return ledger


def ledger_period_set(ledger: LedgerFile, period: str) -> LedgerFile:
    """The month or quarter of a file with no date column ("" to take it back)."""
    ledger.period = period.strip()
    ledger.save(update_fields=["period"])
    return ledger


def ledger_leave_out(ledger: LedgerFile, left_out: bool) -> None:
    """Analyse the other files without this one (or include it again)."""
    ledger.left_out = left_out
    ledger.save(update_fields=["left_out"])


def ledger_remove(ledger: LedgerFile) -> None:
    """The file, and what the last run, which read it, kept (`kept_names`)."""
    names = [ledger.file.name, *kept_names(ledger.analysis)]
    ledger.delete()
    delete_stored(names)


@dataclass(frozen=True)
class RegisterRead:
    """What the check of a supplier register found: its columns, and how many suppliers."""

    headers: list[str]
    columns: dict[str, str]
    rows: int


def _read_register(path: Path) -> RegisterRead:
    """Check the register has a name column and suppliers, or refuse in words (in a background
    job, read in a process capped in memory and time: `parsing.read_bounded`)."""
    try:
        headers, rows = parsing.read_bounded(spend_io.table_shape, path, file=path.name)
    except KeepItLocalError as error:
        raise UploadError(problems_of(error)) from None
    except Exception as error:
        log.info("register upload refused: %s", error)
        raise UploadError([f"{path.name}: this file cannot be read as a supplier register. "
                           "Save it as CSV or as an Excel workbook (.xlsx)."]) from None
    columns = detect_register(headers)
    if "name" not in columns:
        found = ", ".join(f'"{h}"' for h in headers) or "none"
        raise UploadError([
            f'{path.name}: no supplier name column. Name it "Supplier Name" or "Name" '
            f"(columns found: {found})."])
    if rows == 0:
        raise UploadError([f"{path.name}: the register has a header row but no suppliers."])
    return RegisterRead(headers, columns, rows)


def register_set(analysis: SpendAnalysis, *, upload: Any, user: Any) -> RegisterFile:
    """Check the register has a name column (and count its rows); it replaces any earlier one."""
    with staged(upload) as path:
        return _register_store(analysis, path, _read_register(path), user)


def _register_store(analysis: SpendAnalysis, path: Path, found: RegisterRead,
                    user: Any) -> RegisterFile:
    register = RegisterFile(
        organisation=analysis.organisation, analysis=analysis, original_name=path.name[:255],
        size=path.stat().st_size, rows=found.rows, headers=found.headers,
        detected=found.columns, uploaded_by=user if getattr(user, "pk", None) else None,
    )
    old = list(analysis.registers.all())
    _store(register, path)
    for previous in old:
        register_remove(previous)
    return register


def register_uploaded(register: RegisterFile) -> parsing.Landing:
    """Where an upload of a supplier register lands, and what it says there."""
    return parsing.Landing(
        reverse("spend:files", args=[register.analysis_id]) + "#register",
        [("success", f"Uploaded the supplier register {register} ({register.rows:,} "
                     "suppliers).")])


def register_remove(register: RegisterFile) -> None:
    name = register.file.name
    register.delete()
    delete_stored([name])


# The engine's own reader of each national register, and what to call it in a refusal.
NATIONAL_READERS = {
    NationalKind.COMPANIES_HOUSE: spend_register.companies_house,
    NationalKind.CHARITIES: spend_register.charity_commission,
}


def _read_national(kind: NationalKind, path: Path) -> int:
    """How many entries the engine's own reader of the register (as `analyse` will read it)
    finds, or a refusal in words; in a job, read in a capped process (`parsing.read_bounded`)."""
    try:
        entries = parsing.read_bounded(spend_register.entries, NATIONAL_READERS[kind], path,
                                       file=path.name)
    except KeepItLocalError as error:
        raise UploadError(problems_of(error)) from None
    except Exception as error:  # a file the readers choke on in a way they do not name
        log.info("%s upload refused: %s", kind.value, error)
        raise UploadError([f"{path.name}: this file cannot be read as the {kind.label}. Upload "
                           "the file as it is published, without changing it."]) from None
    if entries == 0:
        raise UploadError([f"{path.name}: the {kind.label} has a header but no entries."])
    return int(entries)


def national_set(analysis: SpendAnalysis, *, kind: str, upload: Any,
                 user: Any) -> NationalRegisterFile:
    """Read the file with the engine's own reader; store it only if that works. It replaces
    any earlier file of the same kind."""
    national = NationalKind(kind)
    with staged(upload) as path:
        return _national_store(analysis, national, path, _read_national(national, path), user)


def _national_store(analysis: SpendAnalysis, kind: NationalKind, path: Path, entries: int,
                    user: Any) -> NationalRegisterFile:
    national = NationalRegisterFile(
        organisation=analysis.organisation, analysis=analysis, kind=kind.value,
        original_name=path.name[:255], size=path.stat().st_size, rows=entries,
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    old = list(analysis.national_registers.filter(kind=kind.value))
    _store(national, path)
    for previous in old:
        national_remove(previous)
    return national


def national_uploaded(national: NationalRegisterFile) -> parsing.Landing:
    """Where an upload of a national register lands, and what it says there."""
    return parsing.Landing(
        reverse("spend:files", args=[national.analysis_id]) + "#national",
        [("success", f"Uploaded the {national.get_kind_display()} {national} "
                     f"({national.rows:,} entries). Run the analysis again to use it.")])


def national_remove(national: NationalRegisterFile) -> None:
    name = national.file.name
    national.delete()
    delete_stored([name])


# --- the same uploads, for a file over KEEPITLOCAL_BACKGROUND_PARSE_MB -----------------------


def _job_analysis(job: ParseJob) -> SpendAnalysis:
    analysis = SpendAnalysis.objects.for_org(job.organisation).filter(
        pk=job.params.get("analysis")).first()
    if analysis is None:
        raise UploadError("The analysis this file was uploaded to has been deleted.")
    return analysis


def _ledger_job_store(job: ParseJob, path: Path, loaded: spend_io.LoadedFile) -> parsing.Landing:
    return ledger_uploaded(_ledger_store(_job_analysis(job), path, loaded, job.created_by))


def _register_job_store(job: ParseJob, path: Path, found: RegisterRead) -> parsing.Landing:
    return register_uploaded(_register_store(_job_analysis(job), path, found, job.created_by))


def _national_job_store(kind: NationalKind, job: ParseJob, path: Path,
                        entries: int) -> parsing.Landing:
    return national_uploaded(
        _national_store(_job_analysis(job), kind, path, entries, job.created_by))


LEDGER_UPLOAD = parsing.Kind(read=_read_ledger, store=_ledger_job_store)
REGISTER_UPLOAD = parsing.Kind(read=_read_register, store=_register_job_store)
COMPANIES_HOUSE_UPLOAD = parsing.Kind(
    read=partial(_read_national, NationalKind.COMPANIES_HOUSE),
    store=partial(_national_job_store, NationalKind.COMPANIES_HOUSE))
CHARITIES_UPLOAD = parsing.Kind(read=partial(_read_national, NationalKind.CHARITIES),
                                store=partial(_national_job_store, NationalKind.CHARITIES))
# Each upload of the files page: the kind the worker reads it with, and the part to go back to.
UPLOAD_KINDS = {
    "ledger": ("LEDGER_UPLOAD", "#ledgers"),
    "register": ("REGISTER_UPLOAD", "#register"),
    NationalKind.COMPANIES_HOUSE.value: ("COMPANIES_HOUSE_UPLOAD", "#national"),
    NationalKind.CHARITIES.value: ("CHARITIES_UPLOAD", "#national"),
}


def upload_later(analysis: SpendAnalysis, *, action: str, upload: Any, user: Any) -> ParseJob:
    """A large file of the files page (`action`: ledger, register or a national register):
    staged, then read and stored by the background worker with the same checks as in the
    request."""
    name, anchor = UPLOAD_KINDS[action]
    return parsing.start(
        f"keepitlocal.web.spend.services:{name}", upload=upload, org=analysis.organisation,
        user=user, params={"analysis": analysis.pk},
        back=reverse("spend:files", args=[analysis.pk]) + anchor)


# --- remembered choices --------------------------------------------------------------------


def mapping_save(ledger: LedgerFile, mapping: dict[str, str | None], user: Any) -> None:
    """Remember the mapping for this header layout: every later file with it uses it too."""
    with transaction.atomic():
        ColumnMappingMemory.objects.update_or_create(
            organisation=ledger.organisation, signature=ledger.signature,
            defaults={"headers": ledger.headers, "mapping": mapping,
                      "updated_at": timezone.now(),
                      "updated_by": user if getattr(user, "pk", None) else None},
        )
        LedgerFile.objects.for_org(ledger.organisation).filter(
            signature=ledger.signature).update(mapping_confirmed=True)


def decision_save(org: Any, *, ledger_name: str, register_id: str, register_name: str,
                  user: Any) -> MatchDecision:
    decision, _ = MatchDecision.objects.update_or_create(
        organisation=org, key=decision_key(ledger_name)[:300],
        defaults={"ledger_name": ledger_name[:300], "register_id": register_id[:200],
                  "register_name": register_name[:300], "decided_at": timezone.now(),
                  "decided_by": user if getattr(user, "pk", None) else None},
    )
    return decision


def decision_remove(decision: MatchDecision) -> None:
    decision.delete()


def rules_save(analysis: SpendAnalysis, document: dict[str, Any]) -> None:
    analysis.exclusion_rules = document
    analysis.save(update_fields=["exclusion_rules"])


def rules_reset(analysis: SpendAnalysis) -> None:
    rules_save(analysis, selectors.shipped_rules())


RULE_FIELDS = ("id", "reason", "field", "pattern")  # what the rule form edits


def rule_add(analysis: SpendAnalysis, values: dict[str, Any]) -> None:
    document = selectors.rules_document(analysis)
    document["rules"].append({k: values[k] for k in RULE_FIELDS})
    rules_save(analysis, document)


def rule_update(analysis: SpendAnalysis, index: int, values: dict[str, Any]) -> None:
    """Change the rule's edited fields; what the form does not show (an `unless`) is kept."""
    document = selectors.rules_document(analysis)
    rule = selectors.rule_at(document, index)
    document["rules"][index] = {**rule, **{k: values[k] for k in RULE_FIELDS}}
    rules_save(analysis, document)


def rule_remove(analysis: SpendAnalysis, index: int) -> dict[str, Any]:
    """Remove the rule at `index`; returns it."""
    document = selectors.rules_document(analysis)
    removed = selectors.rule_at(document, index)
    del document["rules"][index]
    rules_save(analysis, document)
    return removed


def redacted_set(analysis: SpendAnalysis, pattern: str) -> None:
    """The pattern a supplier name matches when the council has redacted it."""
    document = selectors.rules_document(analysis)
    document["redacted"] = pattern
    rules_save(analysis, document)


# --- running the engine --------------------------------------------------------------------


def run_start(analysis: SpendAnalysis, user: Any) -> AnalysisRun:
    """Queue a run (or return the one already under way) and hand it to the task queue."""
    active = analysis.runs.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).first()
    if active is not None:
        age = (timezone.now() - (active.started_at or active.created_at)).total_seconds()
        if age < STALE_RUN_SECONDS:
            return active
        AnalysisRun.objects.filter(pk=active.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(),
            error="This run stopped without finishing (its worker may have been restarted).")
    run = run_create(analysis, user)
    tasks.run_analysis.enqueue(run.pk)
    return run


def run_create(analysis: SpendAnalysis, user: Any) -> AnalysisRun:
    """A queued run; `run_execute` (in the background task, or directly) does the work."""
    return AnalysisRun.objects.create(
        organisation=analysis.organisation, analysis=analysis,
        requested_by=user if getattr(user, "pk", None) else None,
        inputs=selectors.inputs_fingerprint(analysis),
        progress="Waiting for the background worker to start the analysis.",
    )
