"""A council's self-assessment against the six Keep it Local principles.

Several colleagues (commissioning, procurement, community development: 004 lines 805-836) each
rate every statement on the maturity scale (0 Not started .. 4 Embracer), independently. What
comes out:

- per statement, the **agreed rating**: the lower median of the raters' levels (with an odd
  number of raters the median; with an even number the lower of the two middle ratings, so a
  council never claims a level half its raters do not see), and the **spread** (highest minus
  lowest); a spread of 2 levels or more is flagged as a disagreement to talk through;
- per principle, a **profile**: the mean of the agreed ratings (to one decimal place), lowest and
  highest agreed rating, and how many statements sit at each level;
- **gaps** (statements whose agreed rating is below the council's target level, or not rated at
  all) and an **action plan** made from them, each action with an owner and a due date;
- the **change** since a previous assessment, and an **anonymised network comparison** that
  shows only aggregates of at least MIN_GROUP councils.

docs/self-assessment.md explains each rule for non-specialists.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from keepitlocal.errors import InputError, Problem
from keepitlocal.framework.principles import (
    MAX_LEVEL,
    MIN_LEVEL,
    Principle,
    Statement,
    level_name,
    principles,
    statements,
    statements_by_id,
)

DISAGREEMENT = 2  # a spread of this many levels or more is flagged
DEFAULT_TARGET = 3  # Adopter: applied more widely than required
MIN_GROUP = 5  # the fewest councils an aggregate may describe
SCORE_PLACES = Decimal("0.1")
# How soon an action is due, by the size of its gap (levels short of the target).
DUE_AFTER_DAYS = {1: 365, 2: 182, 3: 91, 4: 91}


# --- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """One rater's answer to one statement. level None means "don't know" (it does not count)."""

    rater: str
    statement: str
    level: int | None
    evidence: str = ""
    owner: str = ""


@dataclass(frozen=True)
class Assessment:
    assessed_on: date
    ratings: tuple[Rating, ...]
    target: int = DEFAULT_TARGET
    label: str = ""


def validate(assessment: Assessment) -> None:
    """InputError listing every unknown statement, level out of range or repeated answer."""
    known = statements_by_id()
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    if not MIN_LEVEL <= assessment.target <= MAX_LEVEL:
        problems.append(
            Problem(
                f"target level {assessment.target} is not between {MIN_LEVEL} and {MAX_LEVEL}",
                column="target",
            )
        )
    for index, rating in enumerate(assessment.ratings, start=1):
        if rating.statement not in known:
            problems.append(
                Problem(
                    f"unknown statement {rating.statement!r}",
                    row=index,
                    column="statement",
                    hint="use an id such as S6.3",
                )
            )
        if rating.level is not None and not MIN_LEVEL <= rating.level <= MAX_LEVEL:
            problems.append(
                Problem(
                    f"level {rating.level} is not between {MIN_LEVEL} and {MAX_LEVEL}",
                    row=index,
                    column="level",
                )
            )
        key = (rating.rater, rating.statement)
        if key in seen:
            problems.append(Problem(f"{rating.rater} rated {rating.statement} twice", row=index))
        seen.add(key)
    if problems:
        raise InputError(problems)


# --- per statement ------------------------------------------------------------------------


def agreed_rating(levels: Iterable[int]) -> int | None:
    """The lower median of the levels given (None when nobody rated)."""
    ordered = sorted(levels)
    if not ordered:
        return None
    return statistics.median_low(ordered)


def spread(levels: Iterable[int]) -> int | None:
    ordered = sorted(levels)
    return ordered[-1] - ordered[0] if ordered else None


@dataclass(frozen=True)
class StatementResult:
    statement: Statement
    levels: tuple[int, ...]  # the raters' levels, lowest first
    dont_know: int  # raters who answered "don't know"
    agreed: int | None
    spread: int | None
    owner: str  # the owner most raters named (ties: first alphabetically)
    evidence: tuple[tuple[str, str], ...]  # (rater, evidence) for each rater who gave any

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT

    @property
    def lowest(self) -> int | None:
        return self.levels[0] if self.levels else None

    @property
    def highest(self) -> int | None:
        return self.levels[-1] if self.levels else None


def _owner(names: Iterable[str]) -> str:
    counts = Counter(name.strip() for name in names if name.strip())
    if not counts:
        return ""
    return min(counts, key=lambda name: (-counts[name], name.casefold(), name))


def statement_result(statement: Statement, ratings: Sequence[Rating]) -> StatementResult:
    levels = tuple(sorted(r.level for r in ratings if r.level is not None))
    return StatementResult(
        statement=statement,
        levels=levels,
        dont_know=sum(1 for r in ratings if r.level is None),
        agreed=agreed_rating(levels),
        spread=spread(levels),
        owner=_owner(r.owner for r in ratings),
        evidence=tuple(
            sorted((r.rater, r.evidence.strip()) for r in ratings if r.evidence.strip())
        ),
    )


# --- per principle ------------------------------------------------------------------------


def score(levels: Sequence[int]) -> Decimal | None:
    """The mean of agreed ratings, to one decimal place (None when none is rated)."""
    if not levels:
        return None
    mean = Decimal(sum(levels)) / Decimal(len(levels))
    return mean.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PrincipleProfile:
    principle: Principle
    statements: tuple[StatementResult, ...]
    score: Decimal | None
    at_level: tuple[int, ...]  # how many statements have agreed rating 0, 1, .. MAX_LEVEL

    @property
    def rated(self) -> int:
        return sum(1 for s in self.statements if s.agreed is not None)

    @property
    def lowest(self) -> int | None:
        return min((s.agreed for s in self.statements if s.agreed is not None), default=None)

    @property
    def highest(self) -> int | None:
        return max((s.agreed for s in self.statements if s.agreed is not None), default=None)

    @property
    def disagreements(self) -> int:
        return sum(1 for s in self.statements if s.disagreement)


def principle_profile(principle: Principle, results: Sequence[StatementResult]) -> PrincipleProfile:
    mine = tuple(r for r in results if r.statement.principle == principle.id)
    agreed = [r.agreed for r in mine if r.agreed is not None]
    counts = Counter(agreed)
    return PrincipleProfile(
        principle=principle,
        statements=mine,
        score=score(agreed),
        at_level=tuple(counts[level] for level in range(MIN_LEVEL, MAX_LEVEL + 1)),
    )


# --- the whole assessment -----------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    result: StatementResult
    target: int

    @property
    def size(self) -> int:
        """Levels short of the target; an unrated statement counts as the whole way."""
        return self.target - (self.result.agreed if self.result.agreed is not None else 0)

    @property
    def unrated(self) -> bool:
        return self.result.agreed is None


@dataclass(frozen=True)
class AssessmentResult:
    assessment: Assessment
    statements: tuple[StatementResult, ...]
    profiles: tuple[PrincipleProfile, ...]
    raters: tuple[str, ...]

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Statements below the target, the largest gap first (then in statement order)."""
        target = self.assessment.target
        found = [Gap(r, target) for r in self.statements if r.agreed is None or r.agreed < target]
        order = {s.id: n for n, s in enumerate(statements())}
        return tuple(sorted(found, key=lambda g: (-g.size, order[g.result.statement.id])))

    @property
    def disagreements(self) -> tuple[StatementResult, ...]:
        return tuple(r for r in self.statements if r.disagreement)

    @property
    def score(self) -> Decimal | None:
        """The mean of every agreed rating, to one decimal place."""
        return score([r.agreed for r in self.statements if r.agreed is not None])

    def profile(self, principle_id: str) -> PrincipleProfile:
        return next(p for p in self.profiles if p.principle.id == principle_id)

    def statement(self, statement_id: str) -> StatementResult:
        return next(r for r in self.statements if r.statement.id == statement_id)


def assess(assessment: Assessment) -> AssessmentResult:
    """Agreed ratings, spreads, profiles for one assessment (every statement, rated or not)."""
    validate(assessment)
    by_statement: dict[str, list[Rating]] = {}
    for rating in assessment.ratings:
        by_statement.setdefault(rating.statement, []).append(rating)
    results = tuple(statement_result(s, by_statement.get(s.id, [])) for s in statements())
    return AssessmentResult(
        assessment=assessment,
        statements=results,
        profiles=tuple(principle_profile(p, results) for p in principles()),
        raters=tuple(sorted({r.rater for r in assessment.ratings})),
    )


# --- action plan --------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    statement: str
    principle: str
    text: str
    owner: str
    due: date
    gap: int


def action_text(gap: Gap) -> str:
    if gap.unrated:
        return (
            f"Find out where the council stands, then work towards "
            f"{level_name(gap.target)}: {gap.result.statement.text}"
        )
    return (
        f"Move from {level_name(gap.result.agreed)} to {level_name(gap.target)}: "
        f"{gap.result.statement.text}"
    )


def action_plan(result: AssessmentResult) -> tuple[Action, ...]:
    """One action per gap, largest first; due 3, 6 or 12 months after the assessment by gap size.

    The owner is the person the raters named for the statement; blank when nobody was named,
    for the council to fill in.
    """
    start = result.assessment.assessed_on
    return tuple(
        Action(
            statement=gap.result.statement.id,
            principle=gap.result.statement.principle,
            text=action_text(gap),
            owner=gap.result.owner,
            due=start + timedelta(days=DUE_AFTER_DAYS[min(max(gap.size, 1), MAX_LEVEL)]),
            gap=gap.size,
        )
        for gap in result.gaps
    )


# --- comparison with a previous assessment ------------------------------------------------


@dataclass(frozen=True)
class Change:
    id: str  # a statement or principle id
    before: int | Decimal | None
    after: int | Decimal | None

    @property
    def change(self) -> int | Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    previous: AssessmentResult
    current: AssessmentResult
    principles: tuple[Change, ...]
    statements: tuple[Change, ...]

    def _count(self, sign: int) -> int:
        return sum(
            1
            for c in self.statements
            if c.change is not None and (c.change > 0) - (c.change < 0) == sign
        )

    @property
    def improved(self) -> int:
        return self._count(1)

    @property
    def declined(self) -> int:
        return self._count(-1)

    @property
    def unchanged(self) -> int:
        return self._count(0)


def compare(previous: AssessmentResult, current: AssessmentResult) -> Comparison:
    return Comparison(
        previous=previous,
        current=current,
        principles=tuple(
            Change(p.principle.id, previous.profile(p.principle.id).score, p.score)
            for p in current.profiles
        ),
        statements=tuple(
            Change(s.statement.id, previous.statement(s.statement.id).agreed, s.agreed)
            for s in current.statements
        ),
    )


# --- anonymised comparison across councils ------------------------------------------------


@dataclass(frozen=True)
class NetworkAggregate:
    """One principle across the councils that share: never fewer than MIN_GROUP of them."""

    principle: Principle
    councils: int  # councils with a score for this principle
    median: Decimal | None  # None when fewer than MIN_GROUP councils have a score
    adopter_or_above: int | None  # councils whose score is at least DEFAULT_TARGET

    @property
    def shown(self) -> bool:
        return self.median is not None


def network_comparison(
    latest_by_council: Mapping[str, AssessmentResult], min_group: int = MIN_GROUP
) -> tuple[NetworkAggregate, ...]:
    """Per principle, the median score of the sharing councils' latest assessments.

    The council names are only keys: nothing returned names or can be traced to one council.
    Below min_group councils only the count is returned.
    """
    if min_group < 2:
        raise ValueError("an aggregate of fewer than 2 councils would identify one")
    out = []
    for p in principles():
        scores = sorted(
            s
            for result in latest_by_council.values()
            if (s := result.profile(p.id).score) is not None
        )
        enough = len(scores) >= min_group
        median = (
            Decimal(statistics.median(scores)).quantize(SCORE_PLACES, ROUND_HALF_UP)
            if enough
            else None
        )
        out.append(
            NetworkAggregate(
                principle=p,
                councils=len(scores),
                median=median,
                adopter_or_above=sum(1 for s in scores if s >= DEFAULT_TARGET) if enough else None,
            )
        )
    return tuple(out)


# --- network membership -------------------------------------------------------------------


class Conversation:
    NONE = "none"
    PLANNED = "planned"
    HELD = "held"


@dataclass(frozen=True)
class Champion:
    name: str
    role: str
    level: str  # "cabinet" | "senior leadership" | another team


@dataclass(frozen=True)
class MembershipState:
    """What a council has done towards Keep it Local Network membership (000 lines 60, 290)."""

    endorsed_on: date | None = None
    champions: tuple[Champion, ...] = ()
    conversation: str = Conversation.NONE
    conversation_on: date | None = None
    working_with_locality: bool = False
    internal_processes: bool = False  # "going through internal processes" (000 line 90)


@dataclass(frozen=True)
class MembershipStatus:
    status: str  # "member" | "pending" | "not started"
    met: tuple[str, ...] = field(default=())  # commitment ids from commitments.csv
    missing: tuple[str, ...] = field(default=())


CABINET = "cabinet"
SENIOR_LEADERSHIP = "senior leadership"


def membership_status(state: MembershipState) -> MembershipStatus:
    """A member has met all four commitments; pending while some are met or internal
    processes are under way; else not started."""
    levels = {c.level for c in state.champions if c.name.strip()}
    met_by = {
        "endorsed": state.endorsed_on is not None,
        "champions": CABINET in levels and SENIOR_LEADERSHIP in levels,
        "locality": state.working_with_locality,
        "conversation": state.conversation in (Conversation.PLANNED, Conversation.HELD),
    }
    met = tuple(k for k, ok in met_by.items() if ok)
    missing = tuple(k for k, ok in met_by.items() if not ok)
    if not missing:
        status = "member"
    elif met or state.internal_processes or state.champions:
        status = "pending"
    else:
        status = "not started"
    return MembershipStatus(status, met, missing)
