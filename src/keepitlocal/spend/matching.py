"""Match a ledger's supplier names to register entries: ids first, then names, then fuzzily.

The order is the order of trust. A VAT, company or charity number names one organisation; a
normalised name ("ACME & SONS LIMITED" = "Acme and Sons Ltd") nearly always does; a fuzzy score
is a guess, so a guess between the review and accept thresholds goes to a person, whose decision
(ledger name -> register id, or "no match") is honoured on every later run.

Fuzzy matching scores a pair as the better of rapidfuzz `ratio` on the normalised names and on
the names with their words sorted (`token_sort_ratio`, for "Smith J" against "J Smith"), and
only within blocks: register names sharing the first three letters
of the query's first word, or of its longest word. Blocking keeps 140,000 x 5,000,000 comparisons
down to what two cores can do in minutes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from keepitlocal.errors import Problem
from keepitlocal.spend.model import Candidate
from keepitlocal.spend.register import (
    Register,
    norm_charity,
    norm_company,
    norm_id,
    norm_vat,
)

NO_MATCH = "no match"
_TRADING_AS = re.compile(r"\s+(?:t/a|t\\a|ta|trading as|t/as)\s+", re.IGNORECASE)
_LEGAL_SUFFIXES = {"ltd", "limited", "plc", "llp", "lp", "llc", "inc", "incorporated", "cic",
                   "cio", "ltee", "gmbh"}
_SUFFIX_PHRASES = ("community interest company", "public limited company",
                   "limited liability partnership", "charitable incorporated organisation")
_ACCENTS = str.maketrans({"’": "", "'": "", "`": "", "‘": ""})


@lru_cache(maxsize=1 << 18)
def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().translate(_ACCENTS)
    text = text.replace("&", " and ").replace("+", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    # "a b c" (from "A.B.C.") is one word: "abc".
    text = re.sub(r"\b[a-z](?: [a-z]\b)+", lambda m: m.group(0).replace(" ", ""), text)
    for phrase in _SUFFIX_PHRASES:
        if text.endswith(" " + phrase):
            text = text[: -len(phrase) - 1]
    tokens = text.split()
    while len(tokens) > 1 and tokens[-1] in _LEGAL_SUFFIXES:
        tokens.pop()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens.pop(0)
    return " ".join(tokens)


def normalise_name(name: str) -> str:
    """The name a supplier is known by, reduced: trading name for "X T/A Y", no legal suffix,
    "&" as "and", no punctuation, no leading "The", lower case, ASCII."""
    parts = _TRADING_AS.split(name.strip(), maxsplit=1)
    return _normalise(parts[-1])


def name_keys(name: str) -> list[str]:
    """Every normalised form worth an exact look-up: trading name, owner name, whole name."""
    parts = _TRADING_AS.split(name.strip(), maxsplit=1)
    keys = [_normalise(parts[-1])]
    if len(parts) == 2:
        keys += [_normalise(parts[0]), _normalise(" ".join(parts))]
    return [k for i, k in enumerate(keys) if k and k not in keys[:i]]


def sort_tokens(norm: str) -> str:
    return " ".join(sorted(norm.split()))


def block_keys(norm: str) -> set[str]:
    tokens = norm.split()
    if not tokens:
        return set()
    longest = max(tokens, key=len)
    return {"f" + tokens[0][:3], "l" + longest[:3]}


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


class Matcher:
    """A register prepared for matching: id indexes, normalised names, blocks."""

    def __init__(self, register: Register) -> None:
        self.register = register
        frame = register.frame
        self.names: list[str] = frame["name"].astype(str).tolist()
        self.norms: list[str] = [normalise_name(n) for n in self.names]
        self.sorted_norms: list[str] = [sort_tokens(n) for n in self.norms]
        self.sources = frame["source"].astype(str).to_numpy()
        self.ids = {str(v): i for i, v in enumerate(frame["id"]) if v}
        self._id_index = {
            col: _first_index(frame[col]) for col in
            ("supplier_id", "vat_number", "company_number", "charity_number")
        }
        self._name_groups: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(self.norms):
            if n:
                self._name_groups[n].append(i)
        self._blocks: dict[str, np.ndarray] | None = None

    def blocks(self) -> dict[str, np.ndarray]:
        if self._blocks is None:
            lists: dict[str, list[int]] = defaultdict(list)
            for i, n in enumerate(self.norms):
                for key in block_keys(n):
                    lists[key].append(i)
            self._blocks = {k: np.asarray(v, dtype=np.int64) for k, v in lists.items()}
        return self._blocks

    def by_id(self, column: str, value: str | None) -> int | None:
        if value is None:
            return None
        return self._id_index[column].get(value)

    def by_name(self, name: str) -> tuple[int | None, list[int]]:
        """Exact normalised match: (chosen, all hits). Several hits resolve to a council entry
        when exactly one council entry (or several that share one name and id) is among them."""
        for key in name_keys(name):
            hits = self._name_groups.get(key)
            if not hits:
                continue
            if len(hits) == 1:
                return hits[0], hits
            council = [h for h in hits if self.sources[h] == "council"]
            if council:
                return council[0], hits
            return None, hits
        return None, []

    def fuzzy(self, queries: Sequence[str], cutoff: float, limit: int = 3
              ) -> list[list[tuple[int, float]]]:
        """Best register rows for each query name (already normalised), by blocked cdist."""
        blocks = self.blocks()
        sorted_queries = [sort_tokens(q) for q in queries]
        by_block: dict[str, list[int]] = defaultdict(list)
        for qi, q in enumerate(queries):
            for key in block_keys(q):
                if key in blocks:
                    by_block[key].append(qi)
        best: list[dict[int, float]] = [dict() for _ in queries]
        for key, qis in by_block.items():
            rows = blocks[key]
            choices = [self.sorted_norms[r] for r in rows]
            plain_choices = [self.norms[r] for r in rows]
            for start in range(0, len(qis), 256):
                chunk = qis[start:start + 256]
                scores = np.maximum(
                    process.cdist([queries[q] for q in chunk], plain_choices,
                                  scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8,
                                  workers=-1),
                    process.cdist([sorted_queries[q] for q in chunk], choices,
                                  scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8,
                                  workers=-1))
                for row_in_chunk, qi in enumerate(chunk):
                    line = scores[row_in_chunk]
                    hits = np.flatnonzero(line)
                    if not len(hits):
                        continue
                    if len(hits) > limit * 4:
                        hits = hits[np.argpartition(line[hits], -limit * 4)[-limit * 4:]]
                    found = best[qi]
                    for h in hits:
                        r = int(rows[h])
                        s = float(line[h])
                        if s > found.get(r, 0):
                            found[r] = s
        out = []
        for found in best:
            ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
            out.append(ranked)
        return out


def _first_index(series: pd.Series) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, v in enumerate(series):
        if v is not None and not (isinstance(v, float) and np.isnan(v)) and v not in out:
            out[str(v)] = i
    return out


@dataclass(frozen=True)
class Query:
    """One ledger supplier identity as the ledger gives it."""

    name: str
    supplier_id: str | None = None
    vat_number: str | None = None
    company_number: str | None = None
    charity_number: str | None = None


def decision_key(name: str) -> str:
    return normalise_name(name) or name.strip().lower()


def match_all(queries: Sequence[Query], matcher: Matcher, decisions: dict[str, str] | None,
              accept: float, review: float) -> MatchReport:
    """Match every query; see the module docstring for the order. Never raises on a bad decision:
    an unknown register id is reported as a problem and the supplier is matched as usual."""
    decisions = {decision_key(k): v.strip() for k, v in (decisions or {}).items()}
    problems: list[Problem] = []
    matches: list[Match | None] = [None] * len(queries)
    applied = 0
    pending: list[int] = []
    for qi, q in enumerate(queries):
        decided = decisions.get(decision_key(q.name))
        if decided is not None:
            if decided.lower() in (NO_MATCH, "none", ""):
                matches[qi] = Match(None, "decision")
                applied += 1
                continue
            index = matcher.ids.get(decided)
            if index is not None:
                matches[qi] = Match(index, "decision")
                applied += 1
                continue
            problems.append(Problem(f"decision names register id {decided!r}, which is not in "
                                    "the register", row=q.name, column="decisions"))
        for column, value in (("vat_number", norm_vat(q.vat_number)),
                              ("company_number", norm_company(q.company_number)),
                              ("charity_number", norm_charity(q.charity_number)),
                              ("supplier_id", norm_id(q.supplier_id))):
            index = matcher.by_id(column, value)
            if index is not None:
                matches[qi] = Match(index, column)
                break
        if matches[qi] is not None:
            continue
        chosen, hits = matcher.by_name(q.name)
        if chosen is not None:
            matches[qi] = Match(chosen, "name", 100.0)
        elif hits:
            matches[qi] = Match(None, "review", 100.0, tuple(
                Candidate(str(matcher.register.frame["id"].iat[h]), matcher.names[h], 100.0)
                for h in hits[:5]))
        else:
            pending.append(qi)
    names = [normalise_name(queries[qi].name) for qi in pending]
    for qi, found in zip(pending, matcher.fuzzy(names, review) if names else [], strict=True):
        candidates = tuple(Candidate(str(matcher.register.frame["id"].iat[r]), matcher.names[r],
                                     s) for r, s in found)
        if not found:
            matches[qi] = Match(None, "none")
            continue
        top, score = found[0]
        close_second = len(found) > 1 and found[1][1] >= score - 2 and \
            matcher.norms[found[1][0]] != matcher.norms[top]
        if score >= accept and not close_second:
            matches[qi] = Match(top, "fuzzy", score, candidates)
        else:
            matches[qi] = Match(None, "review", score, candidates)
    return MatchReport([m if m is not None else Match(None, "none") for m in matches], problems,
                       applied)

