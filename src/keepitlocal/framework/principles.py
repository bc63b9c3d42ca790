"""The six Keep it Local principles and what a council is assessed against, as packaged data.

Everything here is read from `reference/framework/` (see SELF-ASSESSMENT.md there): the principles,
their recommendations, the eleven "local by default" tips, the 18 lessons, the network
membership commitments (each quoted from a seed, with file and line), the maturity scale, and
the statements a council rates, each citing the recommendations, tips or lessons it comes from.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

PACKAGE = "keepitlocal.reference.framework"


@dataclass(frozen=True)
class Citation:
    """Where a row's words come from: seed file prefix ("000"), line (as `cat -n` counts)."""

    seed: str
    line: int
    quote: str

    @property
    def ref(self) -> str:
        return f"{self.seed}:{self.line}"


@dataclass(frozen=True)
class Principle:
    id: str  # "P1" .. "P6"
    name: str
    citation: Citation

    @property
    def number(self) -> int:
        return int(self.id[1:])

    @property
    def wording(self) -> str:
        return self.citation.quote


@dataclass(frozen=True)
class SourceRow:
    """A recommendation, tip or lesson: what a statement is drawn from."""

    id: str  # "R1.2", "T04", "L07"
    kind: str  # "recommendation" | "tip" | "lesson"
    citation: Citation
    principle: str | None = None  # lessons are not filed under a principle by the seeds
    group: str = ""
    summary: Citation | None = None  # lessons: the summary column


@dataclass(frozen=True)
class Statement:
    """One thing a council rates itself on, in the project's words, citing its sources."""

    id: str  # "S6.3"
    principle: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class MaturityLevel:
    level: int
    name: str
    descriptor: str
    citation: Citation | None  # None for level 0, which is the project's own


@dataclass(frozen=True)
class Commitment:
    id: str
    kind: str  # "commitment" | "status"
    label: str
    citation: Citation


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _citation(row: dict[str, str], line: str = "line", quote: str = "quote") -> Citation:
    return Citation(seed=row["seed"], line=int(row[line]), quote=row[quote])


@cache
def principles() -> tuple[Principle, ...]:
    return tuple(Principle(r["id"], r["name"], _citation(r)) for r in _rows("kil_principles.csv"))


@cache
def sources() -> dict[str, SourceRow]:
    """Every recommendation, tip and lesson by id."""
    found: dict[str, SourceRow] = {}
    for r in _rows("recommendations.csv"):
        found[r["id"]] = SourceRow(r["id"], "recommendation", _citation(r), r["principle"])
    for r in _rows("tips.csv"):
        found[r["id"]] = SourceRow(r["id"], "tip", _citation(r), r["principle"])
    for r in _rows("lessons.csv"):
        found[r["id"]] = SourceRow(
            r["id"],
            "lesson",
            _citation(r),
            None,
            r["group"],
            _citation(r, "summary_line", "summary"),
        )
    return found


@cache
def statements() -> tuple[Statement, ...]:
    return tuple(
        Statement(r["id"], r["principle"], r["statement"], tuple(r["sources"].split(";")))
        for r in _rows("statements.csv")
    )


@cache
def statements_by_id() -> dict[str, Statement]:
    return {s.id: s for s in statements()}


@cache
def maturity_scale() -> tuple[MaturityLevel, ...]:
    return tuple(
        MaturityLevel(
            int(r["level"]), r["name"], r["descriptor"], _citation(r) if r["seed"] else None
        )
        for r in _rows("maturity.csv")
    )


@cache
def commitments() -> tuple[Commitment, ...]:
    return tuple(
        Commitment(r["id"], r["kind"], r["label"], _citation(r)) for r in _rows("commitments.csv")
    )


def principle(principle_id: str) -> Principle:
    return next(p for p in principles() if p.id == principle_id)


def level_name(level: int | None) -> str:
    """ "3 Adopter"; "Not rated" for None."""
    if level is None:
        return "Not rated"
    return f"{level} {maturity_scale()[level].name}"


MIN_LEVEL = 0
MAX_LEVEL = 4
