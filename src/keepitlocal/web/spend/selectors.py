"""Reads for local spend analysis: objects through the organisation, mappings, the review queue,
and the ledger lines behind a figure (always through the engine's `drill_down`)."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from keepitlocal.errors import InputError
from keepitlocal.registers.store import RegisterStore
from keepitlocal.spend import detect_ledger, drill_down, rules
from keepitlocal.spend import exclusions as spend_exclusions
from keepitlocal.spend import io as spend_io
from keepitlocal.spend import tiers as spend_tiers
from keepitlocal.spend.engine import DRILL_FILTERS
from keepitlocal.spend.matching import decision_key
from keepitlocal.spend.model import LEDGER_FIELDS, REQUIRED_LEDGER_FIELDS, DetectedColumns
from keepitlocal.web.spend.models import (
    NO_MATCH,
    AnalysisRun,
    ColumnMappingMemory,
    LedgerFile,
    MatchDecision,
    NationalRegisterFile,
    RegisterFile,
    RunStatus,
    SpendAnalysis,
)

FIELD_LABELS: dict[str, str] = {
    "amount": "Amount paid",
    "date": "Payment date",
    "supplier": "Supplier name",
    "supplier_id": "Supplier ID",
    "transaction_id": "Transaction number",
    "department": "Department",
    "service": "Service",
    "expense_type": "Expense type",
    "description": "Description or purpose",
    "vat_number": "VAT number",
    "company_number": "Company number",
    "charity_number": "Charity number",
    "postcode": "Supplier postcode",
}
STATUSES = ("used", "excluded", "duplicate", "unusable")
# Drill-downs the engine's filters cannot say alone: the line table is narrowed on a column the
# engine keeps (vcse, sme) before drill_down applies the filters.
KINDS = {"vcse": "VCSE suppliers", "sme": "SME suppliers",
         "sme_unknown": "suppliers of unknown size",
         "nonlocal": "suppliers placed outside the council area"}


# The command line's options, as the web pages say them.
_CLI_WORDS = (
    ("give tiers with --tiers FILE", "paste your own tiers in “Your own tiers” in the settings"),
    ("with --tiers FILE", "in “Your own tiers” in the settings"),
    ("--tiers FILE", "“Your own tiers” in the settings"),
)


def in_web_words(problem: Any) -> str:
    """An engine problem as the web says it: where the command line says `--tiers FILE`, the web
    points at the "Your own tiers" box."""
    text = str(problem)
    for cli, web in _CLI_WORDS:
        text = text.replace(cli, web)
    return text


# --- objects through the organisation ------------------------------------------------------


def analysis_list(org: Any) -> QuerySet[SpendAnalysis]:
    return SpendAnalysis.objects.for_org(org).prefetch_related("runs", "ledgers", "registers")


def analysis_get(org: Any, pk: int) -> SpendAnalysis:
    return SpendAnalysis.objects.for_org(org).get_or_404(pk=pk)


def ledger_get(analysis: SpendAnalysis, pk: int) -> LedgerFile:
    return LedgerFile.objects.for_org(analysis.organisation).filter(
        analysis=analysis).get_or_404(pk=pk)


def register_get(analysis: SpendAnalysis, pk: int) -> RegisterFile:
    return RegisterFile.objects.for_org(analysis.organisation).filter(
        analysis=analysis).get_or_404(pk=pk)


def national_get(analysis: SpendAnalysis, pk: int) -> NationalRegisterFile:
    return NationalRegisterFile.objects.for_org(analysis.organisation).filter(
        analysis=analysis).get_or_404(pk=pk)


def national_files(analysis: SpendAnalysis) -> dict[str, NationalRegisterFile]:
    """The national register file of each kind loaded for the analysis (the latest upload)."""
    found: dict[str, NationalRegisterFile] = {}
    for row in analysis.national_registers.all():
        found.setdefault(row.kind, row)
    return found


def run_get(analysis: SpendAnalysis, pk: int) -> AnalysisRun:
    return AnalysisRun.objects.for_org(analysis.organisation).filter(
        analysis=analysis).get_or_404(pk=pk)


def decision_get(org: Any, pk: int) -> MatchDecision:
    return MatchDecision.objects.for_org(org).get_or_404(pk=pk)


# --- mappings and readiness ----------------------------------------------------------------


def remembered_mapping(ledger: LedgerFile) -> dict[str, str | None] | None:
    memory = ColumnMappingMemory.objects.for_org(ledger.organisation).filter(
        signature=ledger.signature).first()
    return dict(memory.mapping) if memory else None


def mapping_for(ledger: LedgerFile) -> dict[str, str | None]:
    """Every ledger field -> header or None: the remembered mapping for this header layout, or
    what the engine detected on upload."""
    remembered = remembered_mapping(ledger)
    source = remembered if remembered is not None else ledger.detected
    headers = set(ledger.headers)
    return {f: (source.get(f) if source.get(f) in headers else None) for f in LEDGER_FIELDS}


def missing_fields(ledger: LedgerFile) -> list[str]:
    """The needed fields no column holds; a period given for the whole file stands for a date."""
    mapping = mapping_for(ledger)
    return [FIELD_LABELS[f] for f in REQUIRED_LEDGER_FIELDS
            if not mapping.get(f) and not (f == "date" and ledger.period)]


def detection(ledger: LedgerFile) -> DetectedColumns:
    """What the engine finds in the file by itself, with its reasons and runners-up."""
    return detect_ledger(ledger.original_name, list(ledger.headers), ledger.header_row, None,
                         [list(map(str, r)) for r in ledger.sample])


def suggested_period(ledger: LedgerFile) -> str:
    """The month the file's name suggests ("spend-2024-03.csv" -> "2024-03"), or ""."""
    from keepitlocal.spend.periods import period_from_name

    return period_from_name(ledger.original_name) or ""


def duplicates_of(ledger: LedgerFile) -> list[tuple[LedgerFile, str]]:
    """Other ledgers of the analysis that are this file again: the same bytes, or the same
    header, row count and first rows (the same lines saved again)."""
    found = []
    others = LedgerFile.objects.for_org(ledger.organisation).filter(
        analysis=ledger.analysis).exclude(pk=ledger.pk)
    for other in others:
        if ledger.content_hash and other.content_hash == ledger.content_hash:
            found.append((other, "the same file"))
        elif (other.signature == ledger.signature and other.rows == ledger.rows
              and other.sample == ledger.sample):
            found.append((other, "the same lines"))
    return found


@dataclass(frozen=True)
class ColumnRow:
    index: int
    header: str
    role: str
    detected: str
    samples: list[str]

    @property
    def name(self) -> str:
        return f"col_{self.index}"


def column_rows(ledger: LedgerFile, mapping: dict[str, str | None]) -> list[ColumnRow]:
    """One row per column of the file: its header, its role now, what was detected, samples."""
    role_of = {header: field for field, header in mapping.items() if header}
    detected_of = {header: field for field, header in ledger.detected.items() if header}
    rows = []
    for index, header in enumerate(ledger.headers):
        samples = []
        for sample in ledger.sample[:3]:
            value = str(sample[index]).strip() if index < len(sample) and sample[index] else ""
            samples.append(value[:40] + ("…" if len(value) > 40 else ""))
        rows.append(ColumnRow(index, header, role_of.get(header, ""),
                              detected_of.get(header, ""), samples))
    return rows


def database_conninfo() -> dict[str, Any] | None:
    """The web app's own database as libpq keywords, when it is PostgreSQL; else None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    given = connection.settings_dict
    return {"host": given["HOST"], "port": given["PORT"], "dbname": given["NAME"],
            "user": given["USER"], "password": given["PASSWORD"]}


@contextmanager
def register_store() -> Iterator[RegisterStore | None]:
    """The shared store of registers loaded with `keepitlocal registers load`, as the web app
    reads it: the tables in its own database when that is PostgreSQL (the command writes there
    with the same DATABASE_URL), else the DuckDB file in the data folder; None when neither
    exists."""
    from keepitlocal.registers.store import DuckDBStore, PostgresStore, default_path

    store: RegisterStore
    conninfo = database_conninfo()
    if conninfo is not None:
        store = PostgresStore(conninfo, read_only=True)
    elif default_path().exists():
        store = DuckDBStore(read_only=True)
    else:
        yield None
        return
    try:
        yield store
    finally:
        store.close()


def national_registers_loaded() -> bool:
    """Whether `keepitlocal registers load` has filled the shared store: then an analysis
    can run without a council supplier register of its own."""
    with register_store() as store:
        return store is not None and bool(store.loaded())


def readiness(analysis: SpendAnalysis) -> list[str]:
    """What stops a run, in words; empty when the analysis can run."""
    problems = []
    ledgers = list(analysis.ledgers.all())
    if not ledgers:
        problems.append("Upload at least one ledger (a “spending over £500” file).")
    if not analysis.registers.exists() and not national_registers_loaded():
        problems.append("Upload the council's supplier register.")
    used = [ledger for ledger in ledgers if not ledger.left_out]
    if ledgers and not used:
        problems.append("Every ledger is left out of the analysis: include one again.")
    for ledger in used:
        missing = missing_fields(ledger)
        if missing:
            problems.append(f"{ledger.original_name}: choose the column that holds "
                            + " and ".join(m.lower() for m in missing)
                            + ", or analyse the other files without it.")
    return problems


def decisions_for(org: Any) -> dict[str, str]:
    return {d.ledger_name: d.register_id for d in MatchDecision.objects.for_org(org)}


def inputs_fingerprint(analysis: SpendAnalysis) -> str:
    """Changes whenever anything the engine reads changes: a stale result says so."""
    register = analysis.registers.first()
    document: dict[str, Any] = {
        "council": analysis.council_code, "target": _share_text(analysis.target_share),
        "shift": _share_text(analysis.shift_share), "tiers": analysis.tiers,
        "rules": analysis.exclusion_rules,
        "ledgers": [(f.pk, "left out" if f.left_out else mapping_for(f))
                    for f in analysis.ledgers.all()],
        "register": register.pk if register else None,
        "decisions": sorted(decisions_for(analysis.organisation).items()),
    }
    national = sorted((kind, row.pk) for kind, row in national_files(analysis).items())
    if national:  # absent when none is loaded, so results from before stay current
        document["national"] = national
    text = json.dumps(document, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _share_text(value: Any) -> str | None:
    """As the database keeps it (four places), whether or not the object was reloaded."""
    return None if value is None else f"{Decimal(str(value)).quantize(Decimal('0.0001'))}"


def is_stale(analysis: SpendAnalysis, run: AnalysisRun | None) -> bool:
    return run is not None and run.inputs != inputs_fingerprint(analysis)


# --- the review queue ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewEntry:
    number: int
    ledger_name: str
    spend: str
    reason: str
    candidates: list[dict[str, Any]]


def review_entries(run: AnalysisRun | None, org: Any) -> list[ReviewEntry]:
    """The engine's review list from the run, less the names decided since."""
    if run is None or not run.result:
        return []
    decided = {d.key for d in MatchDecision.objects.for_org(org)}
    entries = []
    for number, item in enumerate(run.result.get("matching", {}).get("review", []), start=1):
        if decision_key(item["ledger_name"]) in decided:
            continue
        entries.append(ReviewEntry(number, item["ledger_name"], item["spend"],
                                   _reason(item["reason"], item["candidates"]),
                                   list(item["candidates"])))
    return entries


def _reason(reason: str, candidates: list[dict[str, Any]]) -> str:
    """The engine's reason in plain words."""
    if reason.startswith("best fuzzy score") and candidates:
        return (f"The names are alike (a score of {candidates[0]['score']:.0f} out of 100) but "
                "not alike enough to be sure")
    if reason.startswith("several register entries"):
        return "Several entries in the register have this name"
    return reason


def review_candidate(run: AnalysisRun | None, ledger_name: str,
                     choice: str) -> tuple[str, str] | None:
    """(register id, register name) when `choice` is a candidate the engine offered for this name
    (or "no match"); None otherwise."""
    if run is None or not run.result:
        return None
    for item in run.result.get("matching", {}).get("review", []):
        if item["ledger_name"] != ledger_name:
            continue
        if choice == NO_MATCH:
            return NO_MATCH, ""
        for candidate in item["candidates"]:
            if candidate["entry_id"] == choice:
                return candidate["entry_id"], candidate["name"]
    return None


# --- drill-down ----------------------------------------------------------------------------


class _StoredLines:
    """What `drill_down` reads from a SpendResult: the line table, here loaded from Parquet."""

    def __init__(self, table: Any) -> None:
        self.line_table = table


@lru_cache(maxsize=4)
def _line_table(name: str, size: int) -> Any:
    import pyarrow.parquet as pq

    with default_storage.open(name, "rb") as handle:
        return pq.read_table(handle)


def line_table(run: AnalysisRun) -> Any | None:
    """The run's kept lines: the path of their Parquet file where the storage keeps local files
    (read a part at a time, never whole: a ledger of millions of lines is gigabytes in memory),
    else the table read from it; None when the run kept none."""
    if not run.lines_file or not default_storage.exists(run.lines_file):
        return None
    try:
        return Path(default_storage.path(run.lines_file))
    except NotImplementedError:
        return _line_table(run.lines_file, default_storage.size(run.lines_file))


def clean_filters(params: Any) -> tuple[dict[str, Any], str]:
    """The drill-down filters a URL may carry, checked: (filters for drill_down, kind)."""
    filters: dict[str, Any] = {}
    for key in DRILL_FILTERS:
        value = params.get(key)
        if value is None or value == "":
            continue
        value = str(value)[:300]
        if key == "tier":
            if not value.isdigit():
                continue
            filters[key] = int(value)
        elif key == "status":
            if value in STATUSES:
                filters[key] = value
        else:
            filters[key] = value
    kind = params.get("kind", "")
    return filters, kind if kind in KINDS else ""


def drill(run: AnalysisRun, filters: dict[str, Any], kind: str = "",
          limit: int | None = None) -> list[dict[str, Any]] | None:
    """The ledger lines behind a figure, from the engine's drill_down; None when the run kept
    no lines (an old run)."""
    table = line_table(run)
    if table is None:
        return None
    if kind:  # the engine's own rule for the figure, applied to the stored lines
        import ibis

        # A connection of its own for the file: the default one would keep a view per call.
        lines = ibis.duckdb.connect().read_parquet(str(table)) if isinstance(table, Path) \
            else ibis.memtable(table)
        table = lines.filter(rules.KINDS[kind](lines)).to_pyarrow()
    return drill_down(_StoredLines(table), limit=limit, **filters)  # type: ignore[arg-type]  # reads only .line_table


def describe_filters(filters: dict[str, Any], kind: str, result: dict[str, Any]) -> str:
    """The figure a drill-down stands behind, in words: "Tier 1 (Calderdale), department Adults"."""
    parts = []
    tiers = {t["tier"]: t["name"] for t in result.get("tiers", [])}
    status = filters.get("status", "used")
    words = {
        "category": "where: {}", "department": "department {}", "service": "service {}",
        "expense_type": "expense type {}", "supplier_ref": "supplier reference {}",
        "supplier_name": "supplier {}", "month": "month {}", "quarter": "quarter {}",
        "year": "financial year {}", "file": "file {}", "reason": "rule {}",
    }
    if "tier" in filters:
        parts.append(f"tier {filters['tier']} ({tiers.get(filters['tier'], 'unknown tier')})")
    for key, template in words.items():
        if key in filters:
            parts.append(template.format(filters[key]))
    if kind:
        parts.append(KINDS[kind])
    lead = {"used": "Lines counted in the total", "excluded": "Excluded lines",
            "duplicate": "Duplicate lines", "unusable": "Unusable lines"}[status]
    return lead + (": " + ", ".join(parts) if parts else "")


# --- pages ---------------------------------------------------------------------------------


def council_name(code: str) -> str:
    """The council a tier preset names for this code (the code itself when there is none)."""
    try:
        return str(spend_tiers.preset(code).council_name)
    except InputError:
        return code


HEAD_ROWS, HEAD_CELLS = 20, 8  # how much of the file's start the column step shows


def head_table(ledger: Any) -> dict[str, Any]:
    """The file's first rows as a grid of equal width, for choosing the header row."""
    rows = [list(r)[:HEAD_CELLS] for r in ledger.head[:HEAD_ROWS]]
    width = max((len(r) for r in rows), default=0)
    return {"head": [(n, r + [""] * (width - len(r))) for n, r in enumerate(rows, start=1)],
            "head_columns": range(1, width + 1)}


def run_state(analysis: SpendAnalysis, row: AnalysisRun) -> dict[str, Any]:
    """What the run page polls for: status, progress (words and percent), times, and the
    dashboard once done."""
    return {
        "status": row.status, "label": RunStatus(row.status).label, "progress": row.progress,
        "percent": row.percent,
        "started": row.started_at.isoformat() if row.started_at else None,
        "finished": row.finished_at.isoformat() if row.finished_at else None,
        "dashboard": reverse("spend:dashboard", args=[analysis.pk])
        if row.status == RunStatus.DONE else None,
    }


# --- exclusion rules -----------------------------------------------------------------------


def shipped_rules() -> dict[str, Any]:
    """The engine's exclusion rules, as shipped: each new analysis starts from a copy."""
    document: dict[str, Any] = spend_io.read_json(spend_exclusions.default_path(), "exclusions")
    return document


def rules_document(analysis: SpendAnalysis) -> dict[str, Any]:
    """A copy of the analysis's exclusion rules (the shipped ones if it has none), to edit."""
    document = copy.deepcopy(analysis.exclusion_rules or shipped_rules())
    document.setdefault("rules", [])
    return document


def rule_at(document: dict[str, Any], index: int) -> dict[str, Any]:
    """The rule at `index` of the list; a 404 for a number the list does not have."""
    if not 0 <= index < len(document["rules"]):
        raise Http404("No such rule")
    rule: dict[str, Any] = document["rules"][index]
    return rule
