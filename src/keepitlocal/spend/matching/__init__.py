"""Match a ledger's supplier names to register entries: ids first, then names, then fuzzily.

The order is the order of trust. A VAT, company or charity number names one organisation; a
normalised name ("ACME & SONS LIMITED" = "Acme and Sons Ltd") nearly always does; a fuzzy score
is a guess, so a guess between the review and accept thresholds goes to a person, whose decision
(ledger name -> register id, or "no match") is honoured on every later run.

Every step works on the whole batch of names at once: names are normalised with Arrow's string
kernels (`names.normalise_many`), exact names are looked up with one hash join, and fuzzy
candidates come from integer-key joins (`blocking.NameIndex`: register names that differ from the
ledger name in at most one word) and are scored pair by pair with rapidfuzz `cpdist`. A fuzzy
match is taken without a person only when nothing else is as few typing errors away and the legal
forms do not conflict ("Acme Ltd" is not "Acme LLP").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from keepitlocal.errors import Problem
from keepitlocal.spend.matching.blocking import (
    WORD_EXTRA,
    WORD_MISSING,
    NameIndex,
    score_pairs,
)
from keepitlocal.spend.matching.names import (
    drop_garbled_form,
    forms_conflict,
    has_trading_as,
    legal_form,
    legal_forms,
    name_keys,
    normalise_many,
    normalise_name,
)
from keepitlocal.spend.model import Candidate
from keepitlocal.spend.register import Register, norm_charity, norm_company, norm_id, norm_vat

__all__ = ["NO_MATCH", "Match", "MatchReport", "Matcher", "Query", "decision_key", "legal_form",
           "match_all", "name_keys", "normalise_many", "normalise_name"]

NO_MATCH = "no match"
# Finance systems cut supplier names to a fixed width, commonly 30 to 40 characters.
TRUNCATED_LENGTHS = range(30, 41)
# A lone candidate (nothing else above the review threshold) is taken this many points below
# the accept threshold, when at most this many typing errors away.
SOLE_MARGIN = 12.0
SOLE_TYPING_ERRORS = 2
# Another name scoring within this many points of the best makes the best no clear winner.
RIVAL_GAP = 10.0
# Below this score a one-letter change that makes a register word is not taken as a typing error.
KNOWN_WORDS_SCORE = 95.0
# A ledger name that is one register name with one word left out is taken down to this score
# (the score falls with the length of the lost word), when no other register name holds its
# words and none scores as high.
ONE_SHORT_SCORE = 60.0
CANDIDATES_SHOWN = 3
# Fuzzy names are matched in batches of this many, so memory stays flat and progress is told.
BATCH = 10_000
_ID_COLUMNS = ("vat_number", "company_number", "charity_number", "supplier_id")


@dataclass(frozen=True)
class Match:
    index: int | None  # row of the register frame
    method: str  # decision | supplier_id | vat_number | company_number | charity_number |
    # name | fuzzy | review | none
    score: float | None = None
    candidates: tuple[Candidate, ...] = ()


@dataclass
class MatchReport:
    matches: list[Match]
    problems: list[Problem] = field(default_factory=list)
    decisions_applied: int = 0


class Query(NamedTuple):
    """One ledger supplier identity as the ledger gives it (a tuple: made for every supplier,
    hundreds of thousands at a time)."""

    name: str
    supplier_id: str | None = None
    vat_number: str | None = None
    company_number: str | None = None
    charity_number: str | None = None


def _strings(column: pd.Series) -> pa.Array:
    """A register column as Arrow strings ("" for a missing value), without a Python object per
    value when the frame is Arrow-backed already."""
    array = pa.array(column, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.chunk(0) if array.num_chunks == 1 else array.combine_chunks()
    if not pa.types.is_string(array.type):
        array = pc.cast(array, pa.string())
    return pc.fill_null(array, "") if array.null_count else array


class Matcher:
    """A register prepared for matching: normalised names grouped for exact look-up, id columns,
    and (built on first fuzzy use) the word-key index. Columns stay Arrow arrays: five million
    names as Python strings would cost more memory than all of the matching."""

    def __init__(self, register: Register) -> None:
        self.register = register
        frame = register.frame
        self.name_array = _strings(frame["name"])
        self.norm_array: pa.Array = normalise_many(self.name_array)
        self.council = np.asarray(pc.equal(_strings(frame["source"]), "council")
                                  .to_numpy(zero_copy_only=False), dtype=bool)
        self.entry_ids = _strings(frame["id"])
        encoded = pc.dictionary_encode(self.norm_array)
        self._group_names: pa.Array = encoded.dictionary
        self.group = encoded.indices.to_numpy()
        self._group_rows = np.argsort(self.group, kind="stable").astype(np.int32)
        self._group_offsets = np.searchsorted(self.group[self._group_rows],
                                              np.arange(len(self._group_names) + 1))
        self._index: NameIndex | None = None
        self._ids: dict[str, tuple[pa.Array, np.ndarray]] = {}

    def index(self) -> NameIndex:
        if self._index is None:
            self._index = NameIndex(self.norm_array)
            _ = self.forms  # the register's part of fuzzy matching is made at once
        return self._index

    def names(self, rows: Sequence[int] | np.ndarray) -> list[str]:
        """The register names of these rows, as written."""
        return self.name_array.take(pa.array(np.asarray(rows, dtype=np.int64))).to_pylist()

    def norms(self, rows: Sequence[int] | np.ndarray) -> list[str]:
        """The normalised register names of these rows."""
        return self.norm_array.take(pa.array(np.asarray(rows, dtype=np.int64))).to_pylist()

    def rows_of_ids(self, ids: Sequence[str]) -> np.ndarray:
        """Register row of each register id (the first, if repeated), or -1."""
        return self._lookup("id", ids)

    def _id_lookup(self, column: str) -> tuple[pa.Array, np.ndarray]:
        """An id column's distinct values and the first row of each, built on first use: a
        ledger with no VAT numbers never encodes the register's five million VAT cells."""
        found = self._ids.get(column)
        if found is None:
            text = _strings(self.register.frame[column])
            valid = np.flatnonzero(np.asarray(pc.not_equal(text, "").to_numpy(
                zero_copy_only=False), dtype=bool))
            encoded = pc.dictionary_encode(text.take(pa.array(valid)))
            _, first = np.unique(encoded.indices.to_numpy(), return_index=True)
            found = self._ids[column] = (encoded.dictionary, valid[first])
        return found

    def _lookup(self, column: str, values: Sequence[str | None]) -> np.ndarray:
        distinct, rows = self._id_lookup(column)
        at = pc.index_in(pa.array(values, type=pa.string()), value_set=distinct)
        at = np.asarray(pc.fill_null(at, -1).to_numpy(zero_copy_only=False), np.int64)
        return np.where(at >= 0, rows[np.maximum(at, 0)], -1)

    def by_ids(self, column: str, values: Sequence[str | None]) -> np.ndarray:
        """Register row of each value in an id column, or -1."""
        return self._lookup(column, values)

    def name_groups(self, norms: pa.Array) -> np.ndarray:
        """The exact-name group of each normalised name, or -1."""
        found = pc.index_in(norms, value_set=self._group_names)
        return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), np.int64)

    def chosen_rows(self, groups: np.ndarray) -> np.ndarray:
        """The register row each exact-name group resolves to: its only row, else its first
        council entry (a vendor record entered twice), else -1 (a person decides)."""
        starts, ends = self._group_offsets[groups], self._group_offsets[groups + 1]
        single = ends - starts == 1
        chosen = np.full(len(groups), -1, dtype=np.int64)
        chosen[single] = self._group_rows[starts[single]]
        for at in np.flatnonzero(~single).tolist():
            hits = self._group_rows[starts[at]:ends[at]]
            council = hits[self.council[hits]]
            if len(council):
                chosen[at] = council[0]
        return chosen

    def rows_named(self, group: int) -> list[int]:
        return self._group_rows[self._group_offsets[group]:self._group_offsets[group + 1]].tolist()

    def candidates(self, rows: Sequence[int], scores: Sequence[float]) -> tuple[Candidate, ...]:
        ids = self.entry_ids.take(pa.array(np.asarray(rows, dtype=np.int64))).to_pylist()
        return tuple(Candidate(i, n, s) for i, n, s in
                     zip(ids, self.names(rows), scores, strict=True))

    @cached_property
    def forms(self) -> np.ndarray:
        """The legal form of every register name (`names.legal_forms`)."""
        return legal_forms(self.name_array)

    def fuzzy(self, norms: Sequence[str], truncated: np.ndarray,
              forms: np.ndarray | None = None) -> Scored:
        """Every plausible (query, register row, score, typing errors), best first within each
        query (at one score, a name whose legal form is not the ledger name's after one that
        is; then by register row)."""
        queries = [drop_garbled_form(n) for n in norms]
        found = self.index().candidates(queries, truncated)
        pq, pr = found.query, found.row
        choices = self.norms(pr)
        score, distance = score_pairs([queries[q] for q in pq.tolist()], choices, truncated[pq])
        # words run together ("HoldingsLimited", "SatereTrapo") are scored as repaired too
        mended = np.array([m != q for m, q in zip(found.mended, queries, strict=True)], bool)
        again = np.flatnonzero(mended[pq]) if len(pq) else pq
        if len(again):
            better, fewer = score_pairs([found.mended[q] for q in pq[again].tolist()],
                                        [choices[i] for i in again.tolist()], truncated[pq[again]])
            score[again] = np.maximum(score[again], better)
            distance[again] = np.minimum(distance[again], fewer)
        if forms is None:  # the ledger names' legal forms unknown
            conflict = same = np.zeros(len(pq), dtype=bool)
        else:
            ours, theirs = forms[pq], self.forms[pr]
            conflict = (ours != 0) & (theirs != 0) & (ours != theirs)
            same = (ours != 0) & (ours == theirs)
        order = np.lexsort((pr, conflict, -score, pq))
        return Scored(pq[order], pr[order], score[order], distance[order], found.how[order],
                      conflict[order], same[order], found.words, found.known)


@dataclass
class Scored:
    """Scored candidate pairs, sorted; per query its word count and whether all are known."""

    query: np.ndarray
    row: np.ndarray
    score: np.ndarray
    distance: np.ndarray
    how: np.ndarray
    conflict: np.ndarray  # the legal forms conflict ("Acme Ltd", "Acme LLP")
    same_form: np.ndarray  # both have one legal form
    words: np.ndarray
    known: np.ndarray


def decision_key(name: str) -> str:
    return normalise_name(name) or name.strip().lower()


def match_all(queries: Sequence[Query], matcher: Matcher, decisions: dict[str, str] | None,
              accept: float, review: float,
              progress: Callable[[int, int], None] | None = None) -> MatchReport:
    """Match every query; see the module docstring for the order. Never raises on a bad decision:
    an unknown register id is reported as a problem and the supplier is matched as usual."""
    matches: list[Match | None] = [None] * len(queries)
    problems: list[Problem] = []
    applied = _apply_decisions(queries, matcher, decisions or {}, matches, problems)
    _match_ids(queries, matcher, matches)
    pending = _match_names(queries, matcher, matches)
    if progress is not None:
        progress(len(queries) - len(pending), len(queries))
    for start in range(0, len(pending), BATCH):
        batch = pending[start:start + BATCH]
        _match_fuzzy([queries[qi] for qi in batch], batch, matcher, accept, review, matches)
        if progress is not None:
            progress(len(queries) - len(pending) + start + len(batch), len(queries))
    return MatchReport([m if m is not None else Match(None, "none") for m in matches], problems,
                       applied)


def _apply_decisions(queries: Sequence[Query], matcher: Matcher, decisions: dict[str, str],
                     matches: list[Match | None], problems: list[Problem]) -> int:
    if not decisions:
        return 0
    decided_by = {decision_key(k): v.strip() for k, v in decisions.items()}
    wanted = [(qi, decided_by[key]) for qi, key in
              enumerate(decision_key(q.name) for q in queries) if key in decided_by]
    rows = matcher.rows_of_ids([d for _, d in wanted]).tolist()
    applied = 0
    for (qi, decided), row in zip(wanted, rows, strict=True):
        if decided.lower() in (NO_MATCH, "none", ""):
            matches[qi] = Match(None, "decision")
        elif row >= 0:
            matches[qi] = Match(row, "decision")
        else:
            problems.append(Problem(f"decision names register id {decided!r}, which is not in "
                                    "the register", row=queries[qi].name, column="decisions"))
            continue
        applied += 1
    return applied


def _match_ids(queries: Sequence[Query], matcher: Matcher, matches: list[Match | None]) -> None:
    """VAT, company, charity number, then the council's supplier id: the first that is found."""
    normalisers = {"vat_number": norm_vat, "company_number": norm_company,
                   "charity_number": norm_charity, "supplier_id": norm_id}
    open_ = np.array([m is None for m in matches], dtype=bool)
    for column in _ID_COLUMNS:
        field_at = Query._fields.index(column)
        given = np.array([q[field_at] is not None for q in queries], dtype=bool)
        wanted = np.flatnonzero(open_ & given).tolist()
        norm = normalisers[column]
        values = [norm(queries[qi][field_at]) for qi in wanted]
        if not any(v is not None for v in values):
            continue
        for qi, row in zip(wanted, matcher.by_ids(column, values).tolist(), strict=True):
            if row >= 0:
                matches[qi] = Match(row, column)
                open_[qi] = False


def _match_names(queries: Sequence[Query], matcher: Matcher,
                 matches: list[Match | None]) -> list[int]:
    """Exact normalised names. Several hits resolve to a council entry when one is among them
    (the first, for duplicated vendor records), else go to review; the trading name of "X T/A Y"
    is tried first, then the owner, then both. Returns the queries still unmatched."""
    open_ = [qi for qi, m in enumerate(matches) if m is None]
    raw = pa.array([queries[qi].name for qi in open_], type=pa.string())
    groups = matcher.name_groups(normalise_many(raw))
    retry = [(at, key) for at in np.flatnonzero((groups < 0) & has_trading_as(raw)).tolist()
             for key in name_keys(queries[open_[at]].name)[1:]]
    found = matcher.name_groups(pa.array([k for _, k in retry], type=pa.string())).tolist()
    for (at, _), group in zip(retry, found, strict=True):
        if groups[at] < 0:
            groups[at] = group
    pending = [open_[at] for at in np.flatnonzero(groups < 0).tolist()]
    found = np.flatnonzero(groups >= 0)
    hit_groups = groups[found]
    chosen = matcher.chosen_rows(hit_groups)
    # "Acme CIC" against "Acme PLC": the legal forms conflict, so a person decides
    named = np.flatnonzero(chosen >= 0)
    ours = legal_forms(raw.take(pa.array(found[named])))
    theirs = legal_forms(matcher.name_array.take(pa.array(chosen[named])))
    conflict = np.zeros(len(found), dtype=bool)
    conflict[named] = (ours != 0) & (theirs != 0) & (ours != theirs)
    for at, row, group, clash in zip(found.tolist(), chosen.tolist(), hit_groups.tolist(),
                                     conflict.tolist(), strict=True):
        if row >= 0 and not clash:
            matches[open_[at]] = Match(row, "name", 100.0)
        else:
            hits = [row] if clash else matcher.rows_named(group)[:5]
            matches[open_[at]] = Match(None, "review", 100.0,
                                       matcher.candidates(hits, [100.0] * len(hits)))
    return pending


def _match_fuzzy(batch: Sequence[Query], positions: Sequence[int], matcher: Matcher,
                 accept: float, review: float, matches: list[Match | None]) -> None:
    """Take the best fuzzy candidate without a person when no other name scoring `review` is as
    few typing errors away, no legal form conflicts ("Acme Ltd" is not "Acme LLP"), and either

    - it has one word more or fewer than the ledger name (a dropped or added word) and no other
      name scores within RIVAL_GAP points of it; or
    - it scores `accept` (or, with no other name scoring `review` within RIVAL_GAP points,
      SOLE_MARGIN less and at most SOLE_TYPING_ERRORS away), unless it scores below
      KNOWN_WORDS_SCORE and the ledger name has as many words as it, every one a register word:
      "Bell Plumbing" against "Ball Plumbing" may be two firms, as a typing error seldom makes a
      word the register has (a long name one letter apart still scores above it); or
    - the ledger name, of two words or more, is it with one word left out, no other register
      name is, and no other name scores as high: then down to ONE_SHORT_SCORE, as a long lost
      word costs many points of score but is no sign of another firm.

    When the best has the legal form the ledger name gives, a name of another form is no rival
    in the first test or in SOLE_MARGIN's ("Zanei LLP": "Zanewi LLP", not "Zaneci Limited"),
    as it could not be taken; at one score, the name of the ledger's form is the best.

    Otherwise a best candidate scoring `review` goes to a person; below that, no match."""
    raw = [q.name for q in batch]
    norms = normalise_many(pa.array(raw, type=pa.string())).to_pylist()
    truncated = np.array([len(n.strip()) in TRUNCATED_LENGTHS for n in raw], dtype=bool)
    found = matcher.fuzzy(norms, truncated, legal_forms(pa.array(raw, type=pa.string())))
    pq, pr, score, distance = found.query, found.row, found.score, found.distance
    starts = np.searchsorted(pq, np.arange(len(batch) + 1))
    sizes = np.diff(starts)
    has = np.flatnonzero(sizes)
    top = starts[has]
    best = np.repeat(top, sizes[has])  # the best pair of each pair's query
    other = matcher.group[pr] != matcher.group[pr[best]]
    # when the best has the ledger name's legal form, a name of another form scoring no higher
    # is no rival as a typing error: "Zanei LLP" is "Zanewi LLP" sooner than "Zaneci Limited"
    typed = other & ~(found.conflict & found.same_form[best])
    strong = typed & (score >= review)
    close = other & (score > score[best] - RIVAL_GAP)

    def per_query(flags: np.ndarray) -> np.ndarray:
        return np.add.reduceat(flags.astype(np.int64), top) if len(top) else top

    rivals = per_query(strong & (distance <= distance[best]))
    close_others = per_query(close)
    close_strong = per_query(close & strong)  # `strong` holds typing-error rivals only
    s, d = score[top], distance[top]
    word_more_or_fewer = (found.how[top] & (WORD_MISSING | WORD_EXTRA)) != 0
    same_count = found.words[has] == matcher.index().word_counts[pr[top]]
    known_words = same_count & found.known[has] & (s < KNOWN_WORDS_SCORE)
    missing = (found.how & WORD_MISSING) != 0
    level = per_query(other & (score >= score[best]))
    one_short = (missing[top] & (per_query(missing) == 1) & (level == 0)
                 & (found.words[has] >= 2) & (s >= ONE_SHORT_SCORE))
    take = one_short | (rivals == 0) & (s >= review) & (
        (word_more_or_fewer & (close_others == 0))
        | (~known_words & ((s >= accept) | ((close_strong == 0) & (s >= accept - SOLE_MARGIN)
                                           & (d <= SOLE_TYPING_ERRORS)))))
    for qi in np.flatnonzero(sizes == 0).tolist():
        matches[positions[qi]] = Match(None, "none")
    chosen_names = matcher.names(pr[top])
    for k, qi in enumerate(has.tolist()):
        taken = bool(take[k]) and not forms_conflict(raw[qi], chosen_names[k])
        if s[k] < review and not taken:
            matches[positions[qi]] = Match(None, "none")
            continue
        at = slice(starts[qi], min(starts[qi + 1], starts[qi] + CANDIDATES_SHOWN))
        chosen = int(pr[starts[qi]])
        shown_at = (score[at] >= review) | (pr[at] == chosen)
        shown = matcher.candidates(pr[at][shown_at].tolist(), score[at][shown_at].tolist())
        matches[positions[qi]] = Match(chosen if taken else None, "fuzzy" if taken else "review",
                                       float(s[k]), shown)
