"""The spend engine's vocabulary: what goes in (options, mappings, decisions) and what comes out.

Plain dataclasses so the web app can store and rebuild them; money leaves the engine as Decimal
pounds built from integer pence, never from a float sum.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from keepitlocal.errors import InputError, Problem
from keepitlocal.parameters import value

# Every ledger field the engine understands, in the order it detects them.
LEDGER_FIELDS: tuple[str, ...] = (
    "amount",
    "date",
    "supplier",
    "supplier_id",
    "transaction_id",
    "department",
    "service",
    "expense_type",
    "description",
    "vat_number",
    "company_number",
    "charity_number",
    "postcode",
)
REQUIRED_LEDGER_FIELDS: tuple[str, ...] = ("amount", "date", "supplier")

# How precisely a line's date is known: a payment day, or only the month or quarter it fell in.
# A line keeps the precision its file gave; the engine never invents a day.
DAY = "day"
MONTH = "month"
QUARTER = "quarter"
PRECISIONS: tuple[str, ...] = (DAY, MONTH, QUARTER)

REGISTER_FIELDS: tuple[str, ...] = (
    "name",
    "supplier_id",
    "postcode",
    "vat_number",
    "company_number",
    "charity_number",
    "country",
    "sector",
    "size",
    "company_type",
)

# Where a supplier sits, beyond the numbered tiers.
OUTSIDE_UK = "outside UK"
UNKNOWN = "unknown"
REDACTED = "redacted"

# Line statuses: every line read ends up in exactly one.
USED = "used"
EXCLUDED = "excluded"
DUPLICATE = "duplicate"
UNUSABLE = "unusable"


def pence_to_pounds(pence: int) -> Decimal:
    """Integer pence to Decimal pounds with exactly two places."""
    return (Decimal(int(pence)) / 100).quantize(Decimal("0.01"))


def share(part: int, whole: int) -> Decimal:
    """A share to four places; zero when there is nothing to share."""
    if whole == 0:
        return Decimal("0.0000")
    return (Decimal(int(part)) / Decimal(int(whole))).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class ColumnMapping:
    """Which header holds which ledger field. A field mapped to None means "this file has none".

    `files` holds per-file overrides keyed by file name, for batches whose layout changed.
    `periods` gives the period of a whole file that has no date column ("2024-03"), and
    `header_rows` the 1-based row of a file's header when the detected one is wrong.
    """

    columns: dict[str, str | None] = field(default_factory=dict)
    files: dict[str, dict[str, str | None]] = field(default_factory=dict)
    periods: dict[str, str] = field(default_factory=dict)
    header_rows: dict[str, int] = field(default_factory=dict)

    def for_file(self, name: str) -> dict[str, str | None]:
        merged = dict(self.columns)
        merged.update(self.files.get(name, {}))
        return merged

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.columns)
        files: dict[str, dict[str, Any]] = {k: dict(v) for k, v in self.files.items()}
        for name, period in self.periods.items():
            files.setdefault(name, {})["period"] = period
        for name, row in self.header_rows.items():
            files.setdefault(name, {})["header_row"] = row
        if files:
            out["files"] = files
        return out


@dataclass(frozen=True)
class ColumnChoice:
    """Why a header was chosen for a field, and what came second and why it lost."""

    field: str
    header: str
    score: int
    reasons: tuple[str, ...]
    runner_up: str | None = None
    runner_up_score: int | None = None
    lost_because: str | None = None


@dataclass(frozen=True)
class DetectedColumns:
    """The outcome of column detection for one file: what was found and how sure we are."""

    file: str
    headers: tuple[str, ...]
    header_row: int
    columns: dict[str, str]
    how: dict[str, str]  # field -> "mapped" | "exact" | "similar"
    missing: tuple[str, ...]
    sample: tuple[tuple[str, ...], ...] = ()
    choices: dict[str, ColumnChoice] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    period: str | None = None  # the period given for the whole file, when it has no date column
    guesses: dict[str, str] = field(default_factory=dict)  # suggestions for missing fields


@dataclass(frozen=True)
class UnreadableFile:
    """A ledger the engine cannot map: what it found, and a mapping to start from."""

    file: str
    header_row: int | None
    headers: tuple[str, ...]
    problems: tuple[Problem, ...]
    example_mapping: dict[str, Any]


class UnreadableFiles(InputError):
    """Ledgers that cannot be read or mapped, each with its headers and a mapping to start from;
    `readable` counts the files that could be read (what `skip_unreadable` would analyse)."""

    def __init__(self, files: list[UnreadableFile], readable: int = 0) -> None:
        self.files = files
        self.readable = readable
        super().__init__([p for f in files for p in f.problems])


@dataclass(frozen=True)
class RegisterEntry:
    """One organisation a council may pay: from its vendor list or a national register."""

    id: str
    name: str
    source: str  # "council" | "companies_house" | "charity_commission"
    postcode: str | None = None
    supplier_id: str | None = None
    vat_number: str | None = None
    company_number: str | None = None
    charity_number: str | None = None
    country: str | None = None
    sector: str | None = None  # "vcse" | "private" | "public" | None
    size: str | None = None  # "sme" | "large" | None
    company_type: str | None = None
    size_basis: str | None = None


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    name: str
    score: float


@dataclass(frozen=True)
class ReviewItem:
    """A ledger supplier whose best match is uncertain: a person decides, the decision is kept."""

    ledger_name: str
    spend: Decimal
    candidates: tuple[Candidate, ...]
    reason: str


@dataclass(frozen=True)
class SupplierFigure:
    name: str
    spend: Decimal
    category: str
    tier: int | None
    postcode: str | None
    lines: int
    vcse: bool
    sme: bool | None


@dataclass(frozen=True)
class TierFigure:
    tier: int
    name: str
    spend: Decimal
    share: Decimal
    cumulative_share: Decimal
    lines: int
    suppliers: int
    definition: str


@dataclass(frozen=True)
class GroupFigure:
    """Spend in one department, service, expense type or period, and how much of it was local."""

    name: str
    spend: Decimal
    local_spend: Decimal
    local_share: Decimal
    lines: int


@dataclass(frozen=True)
class LeakageFigure:
    """Spend leaving the area in an expense type where local suppliers were also paid."""

    expense_type: str
    spend: Decimal
    local_spend: Decimal
    leaked_spend: Decimal
    local_suppliers: int


@dataclass(frozen=True)
class Target:
    target_share: Decimal
    current_share: Decimal
    gap: Decimal
    met: bool


@dataclass(frozen=True)
class ShiftEstimate:
    """LM3-style estimate of extra local value if a share of spend moved to local suppliers."""

    shift_share: Decimal
    shifted_spend: Decimal
    local_multiplier: Decimal
    nonlocal_multiplier: Decimal
    extra_local_value: Decimal
    source: str


@dataclass(frozen=True)
class FileReport:
    file: str
    format: str
    encoding: str | None
    header_row: int
    columns: dict[str, str]
    lines_read: int
    notes: tuple[str, ...] = ()
    period: str | None = None


@dataclass(frozen=True)
class LineCounts:
    """Every ledger line read lands in exactly one of used, excluded, duplicate or unusable."""

    read: int
    used: int
    excluded: int
    duplicate: int
    unusable: int
    credit_notes: int
    undated: int
    redacted: int


@dataclass
class MatchSummary:
    by_method: dict[str, int]
    spend_by_method: dict[str, Decimal]
    review: list[ReviewItem]
    decisions_applied: int
    # Spend whose supplier was placed (given a postcode) by each source: "ledger" (the line's
    # own postcode), a register kind (council, companies_house, charity_commission,
    # contracts_finder), or "not placed".
    spend_by_source: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class DistrictFigure:
    """Spend with suppliers in one local authority district, and whether it is the council's."""

    code: str
    name: str
    spend: Decimal
    share: Decimal  # of all spend used in the analysis
    lines: int
    suppliers: int
    council: bool


@dataclass
class SpendResult:
    """Everything `spend analyse` reports, with the provenance needed to trust it."""

    council: str
    council_name: str
    total: Decimal
    excluded_total: Decimal
    duplicate_total: Decimal
    unusable_count: int
    credit_note_total: Decimal
    tiers: list[TierFigure]
    outside_uk_spend: Decimal
    unknown_spend: Decimal
    redacted_spend: Decimal
    vcse_spend: Decimal
    vcse_share: Decimal
    local_vcse_spend: Decimal
    local_vcse_share: Decimal
    sme_spend: Decimal
    sme_share: Decimal
    sme_unknown_spend: Decimal
    by_department: list[GroupFigure]
    by_service: list[GroupFigure]
    by_expense_type: list[GroupFigure]
    by_month: list[GroupFigure]
    by_quarter: list[GroupFigure]
    by_year: list[GroupFigure]
    top_local_suppliers: list[SupplierFigure]
    top_nonlocal_suppliers: list[SupplierFigure]
    leakage: list[LeakageFigure]
    target: Target | None
    shift: ShiftEstimate
    lines: LineCounts
    exclusions: dict[str, Decimal]
    matching: MatchSummary
    files: list[FileReport]
    problems: list[Problem]
    provenance: dict[str, Any]
    backend: str
    # Every line with its status, for drill-down: a pyarrow.Table, or the Parquet file
    # (a Path) it was written to with `SpendOptions.lines_file`.
    line_table: Any = None
    unreadable: list[UnreadableFile] = field(default_factory=list)  # skipped, with why
    by_district: list[DistrictFigure] = field(default_factory=list)  # spend.districts.by_district


@dataclass(frozen=True)
class Progress:
    """Where a run is, for a progress bar: `step` is one of STEPS; `done` of `total` units
    (files, suppliers, figure families); `lines` read so far."""

    step: str
    done: int
    total: int
    lines: int = 0

    STEPS = ("files", "matching", "figures")

    @property
    def fraction(self) -> float:
        """0 to 1 across the whole run: files are the first half, matching the next 40%."""
        weights = {"files": (0.0, 0.5), "matching": (0.5, 0.4), "figures": (0.9, 0.1)}
        start, width = weights[self.step]
        return start + width * (self.done / self.total if self.total else 1.0)

    def describe(self) -> str:
        if self.step == "files":
            return f"Read {self.done} of {self.total} ledger files ({self.lines:,} lines)."
        if self.step == "matching":
            return f"Matched {self.done:,} of {self.total:,} supplier names."
        return f"Computed {self.done} of {self.total} figure groups."


@dataclass
class SpendOptions:
    """How to run an analysis. Paths are read by `io`; built objects are used as they are."""

    tiers: Path | Any | None = None
    mapping: Path | ColumnMapping | None = None
    decisions: Path | dict[str, str] | None = None
    exclusions: Path | None = None
    multipliers: Path | None = None
    companies_house: Path | None = None
    charities: Path | None = None
    backend: str = "duckdb"
    target: Decimal | None = None
    shift: Decimal = field(default_factory=lambda: value("spend", "shift_share"))
    fuzzy_accept: float = field(default_factory=lambda: float(value("spend", "fuzzy_accept")))
    fuzzy_review: float = field(default_factory=lambda: float(value("spend", "fuzzy_review")))
    top: int = 10
    strict: bool = False
    skip_unreadable: bool = False  # analyse the readable files and list the others
    keep_lines: bool = True
    store: Any = None  # a postcode store; keepitlocal.geo.default_store() when None
    registers: Any = None  # a keepitlocal.registers.store.RegisterStore of national registers
    progress: Callable[[Progress], None] | None = None  # told where the run is, step by step
    spark: Any = None  # a SparkSession for backend="pyspark"; a local one is made when None
    ingested: Path | None = None  # keep the parsed ledgers in this DuckDB file, reuse if same
    memory_limit: str | None = None  # e.g. "2GB": DuckDB spills to disk past it
    # With keep_lines, write the line table to this Parquet file rather than hold it in
    # memory: millions of lines are gigabytes as a table, and the data engine writes them as
    # it makes them.
    lines_file: Path | None = None
