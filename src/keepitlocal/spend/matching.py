"""Match a ledger's supplier names to register entries: ids first, then names, then fuzzily.

The order is the order of trust. A VAT, company or charity number names one organisation; a
normalised name ("ACME & SONS LIMITED" = "Acme and Sons Ltd") nearly always does; a fuzzy score
is a guess, so a guess between the review and accept thresholds goes to a person, whose decision
(ledger name -> register id, or "no match") is honoured on every later run.

Fuzzy matching scores a pair as the better of rapidfuzz `ratio` and `token_sort_ratio` ("Smith
J" against "J Smith") on the normalised names, and only against plausible candidates: register
names holding the ledger name's first distinctive word, exactly or one typing error away (see
`TokenIndex`). A word index and a deletion index are built once per register, so each name costs
a few array look-ups and one vectorised `cdist` over at most a few thousand candidates, not a
scan of five million names. A fuzzy match is taken without a person only when nothing else is as
few typing errors away and the legal forms do not conflict ("Acme Ltd" is not "Acme LLP").
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

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
# Finance systems cut supplier names to a fixed width, commonly 30 to 40 characters.
TRUNCATED_LENGTHS = range(30, 41)
# A lone candidate (nothing else above the review threshold) is taken this many points below
# the accept threshold.
SOLE_MARGIN = 7.0
SOLE_TYPING_ERRORS = 2
_TRADING_AS = re.compile(r"\s+(?:t/a|t\\a|ta|trading as|t/as)\s+", re.IGNORECASE)
_LEGAL_SUFFIXES = {"ltd", "limited", "plc", "llp", "lp", "llc", "inc", "incorporated", "cic",
                   "cio", "ltee", "gmbh"}
_SUFFIX_PHRASES = ("community interest company", "public limited company",
                   "limited liability partnership", "charitable incorporated organisation")
_FORM_WORDS = {"ltd": "ltd", "limited": "ltd", "plc": "plc", "llp": "llp", "lp": "lp",
               "cic": "cic", "cio": "cio", "llc": "llc", "inc": "inc"}
_FORM_PHRASES = {"community interest company": "cic", "public limited company": "plc",
                 "limited liability partnership": "llp"}
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


@lru_cache(maxsize=1 << 18)
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


def _deletions(token: str) -> list[str]:
    return [token[:i] + token[i + 1:] for i in range(len(token))]


def drop_garbled_form(norm: str) -> str:
    """The name without a last word that is a legal form mistyped ("Limiqed", "LPC", "Lod"):
    exact forms are already gone, and a typing error in one must not cost the match."""
    tokens = norm.split()
    if len(tokens) > 1 and len(tokens[-1]) >= 3 and tokens[-1] not in _LEGAL_SUFFIXES and any(
            OSA.distance(tokens[-1], form) <= (2 if len(form) >= 6 else 1)
            for form in _LEGAL_SUFFIXES if len(form) >= 3):
        tokens.pop()
    return " ".join(tokens)


class TokenIndex:
    """The register's names as words: which rows hold each word, and which words are one
    typing error apart (a deletion index: two words are near when deleting at most one letter
    from each makes them equal, which covers a wrong, missing, extra or swapped letter).

    Candidates for a ledger name are the rows sharing its *distinctive* words (those in at most
    one register name in a thousand), exactly or nearly; "Services" or "Ltd" never make a
    candidate on their own, so "NPOWER YORKSHIRE LTD" is not offered "YORKSHIRE WATER PLC".
    """

    MAX_NEAR_ROWS = 20_000
    MAX_CANDIDATES = 2_000

    def __init__(self, norms: Sequence[str]) -> None:
        exploded = pd.Series(norms, dtype=object).str.split().explode().dropna()
        codes, vocab = pd.factorize(exploded)
        order = np.argsort(codes, kind="stable")
        self.rows = exploded.index.to_numpy(np.int64)[order].astype(np.int32)
        self.df = np.bincount(codes, minlength=len(vocab))
        self.offsets = np.concatenate([[0], np.cumsum(self.df)])
        self.vocab: list[str] = list(vocab)
        self.token_id = {t: i for i, t in enumerate(self.vocab)}
        self.common = max(50, len(norms) // 1000)
        keys: list[int] = []
        ids: list[int] = []
        for i, token in enumerate(self.vocab):
            if len(token) >= 4:
                for variant in _deletions(token):
                    keys.append(hash(variant))
                    ids.append(i)
        key_array = np.asarray(keys, dtype=np.int64)
        by_key = np.argsort(key_array, kind="stable")
        self._del_keys = key_array[by_key]
        self._del_ids = np.asarray(ids, dtype=np.int32)[by_key]

    def postings(self, token_id: int) -> np.ndarray:
        return self.rows[self.offsets[token_id]:self.offsets[token_id + 1]]

    def near(self, token: str) -> set[int]:
        """Ids of register words at most one typing error from `token` (itself excluded)."""
        if len(token) < 4:
            return set()
        variants = _deletions(token)
        found = {self.token_id[v] for v in variants if v in self.token_id}
        keys = np.asarray([hash(v) for v in (token, *variants)], dtype=np.int64)
        left = np.searchsorted(self._del_keys, keys, "left")
        right = np.searchsorted(self._del_keys, keys, "right")
        for a, b in zip(left.tolist(), right.tolist(), strict=True):
            found.update(self._del_ids[a:b].tolist())
        found.discard(self.token_id.get(token, -1))
        return found

    def _rows(self, ids: Iterable[int]) -> np.ndarray:
        parts = [self.postings(i) for i in ids]
        if not parts:
            return np.empty(0, dtype=np.int32)
        return parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))

    def _holding_any(self, rows: np.ndarray, ids: Iterable[int]) -> np.ndarray:
        mask = np.zeros(len(rows), dtype=bool)
        for i in ids:
            posting = self.postings(i)  # sorted rows
            at = np.searchsorted(posting, rows).clip(max=max(len(posting) - 1, 0))
            mask |= posting[at] == rows if len(posting) else mask
        return rows[mask]

    def _distinctive(self, token: str) -> bool:
        """A word in few register names, or (four letters or more) in none."""
        exact = self.token_id.get(token)
        return len(token) >= 4 if exact is None else bool(self.df[exact] <= self.common)

    def _split(self, token: str) -> list[str]:
        """An unknown word that is two register words run together, or with the space between
        them mistyped ("SatereTrapo", "VAGALEjNURSERY"): the two words; otherwise the word."""
        if token in self.token_id or len(token) < 6:
            return [token]
        for cut in range(3, len(token) - 2):
            left = token[:cut]
            for right in (token[cut:], token[cut + 1:]):
                if left in self.token_id and right in self.token_id:
                    return [left, right]
        return [token]

    def candidates(self, norm: str) -> np.ndarray:
        """Register rows plausibly the same name: holding its first distinctive word exactly or
        nearly; when that is too many rows, also one of its other words."""
        tokens = list(dict.fromkeys(t for word in norm.split() for t in self._split(word)))
        position = next((i for i, t in enumerate(tokens) if self._distinctive(t)), None)
        if position is None:
            return self._rarest_word_rows(tokens)
        token = tokens[position]
        exact = self.token_id.get(token)
        near = {i for i in self.near(token) if self.df[i] <= self.common}
        rows = self._rows(near | ({exact} if exact is not None else set()))
        if len(rows) > self.MAX_CANDIDATES:
            others = [self.token_id[t] for i, t in enumerate(tokens)
                      if i != position and t in self.token_id]
            rows = self._holding_any(rows, others)
            if exact is not None:
                rows = np.union1d(rows, self.postings(exact))
        return rows[:self.MAX_CANDIDATES * 4]

    def _rarest_word_rows(self, tokens: list[str]) -> np.ndarray:
        """A name of common words only ("Care Services"): rows holding all of them."""
        ids = sorted((self.token_id[t] for t in tokens if t in self.token_id),
                     key=lambda i: int(self.df[i]))
        if not ids or self.df[ids[0]] > self.MAX_NEAR_ROWS:
            return np.empty(0, dtype=np.int32)
        rows = self.postings(ids[0])
        for i in ids[1:]:
            rows = rows[np.isin(rows, self.postings(i))]
        return rows


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
        self._norm_array = np.asarray(self.norms, dtype=object)
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
        self._tokens: TokenIndex | None = None

    def tokens(self) -> TokenIndex:
        if self._tokens is None:
            self._tokens = TokenIndex(self.norms)
        return self._tokens

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

    def fuzzy(self, queries: Sequence[str], cutoff: float, limit: int = 3,
              truncated: Sequence[bool] | None = None,
              progress: Callable[[int], None] | None = None) -> list[list[tuple[int, float]]]:
        """Best register rows for each query name (already normalised): the better of rapidfuzz
        `ratio` and `token_sort_ratio` against the plausible candidates only; a name a council
        system cut short (`truncated`) is also scored against the same length of each candidate.
        """
        index = self.tokens()
        out: list[list[tuple[int, float]]] = []
        for qi, raw in enumerate(queries):
            if progress is not None and qi % 2000 == 0:
                progress(qi)
            query = drop_garbled_form(raw)
            rows = index.candidates(query)
            if not len(rows):
                out.append([])
                continue
            choices = self._norm_array[rows]
            scores = np.maximum(
                process.cdist([query], choices, scorer=fuzz.ratio, dtype=np.uint8,
                              workers=1)[0],
                process.cdist([query], choices, scorer=fuzz.token_sort_ratio, dtype=np.uint8,
                              workers=1)[0])
            if truncated is not None and truncated[qi]:
                size = len(query)
                prefixes = [str(c)[:size] for c in choices]
                scores = np.maximum(scores, process.cdist(
                    [query], prefixes, scorer=fuzz.ratio, dtype=np.uint8, workers=1)[0])
            keep = np.flatnonzero(scores >= cutoff)
            if len(keep) > limit:
                keep = keep[np.argsort(-scores[keep], kind="stable")[:limit * 4]]
            ranked = sorted(((int(rows[k]), float(scores[k])) for k in keep),
                            key=lambda kv: (-kv[1], kv[0]))[:limit]
            out.append(ranked)
        if progress is not None:
            progress(len(queries))
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
              accept: float, review: float,
              progress: Callable[[int, int], None] | None = None) -> MatchReport:
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
        if chosen is not None and _forms_conflict(q.name, matcher.names[chosen]):
            hits, chosen = [chosen], None  # "Acme CIC" against "Acme PLC": a person decides
        if chosen is not None:
            matches[qi] = Match(chosen, "name", 100.0)
        elif hits:
            matches[qi] = Match(None, "review", 100.0, tuple(
                Candidate(str(matcher.register.frame["id"].iat[h]), matcher.names[h], 100.0)
                for h in hits[:5]))
        else:
            pending.append(qi)
    names = [normalise_name(queries[qi].name) for qi in pending]
    truncated = [len(queries[qi].name.strip()) in TRUNCATED_LENGTHS for qi in pending]
    exact = len(queries) - len(pending)
    if progress is not None:
        progress(exact, len(queries))
    found_all = matcher.fuzzy(
        names, review, truncated=truncated,
        progress=None if progress is None else
        lambda done: progress(exact + done, len(queries))) if names else []
    for qi, norm, found in zip(pending, names, found_all, strict=True):
        candidates = tuple(Candidate(str(matcher.register.frame["id"].iat[r]), matcher.names[r],
                                     s) for r, s in found)
        if not found:
            matches[qi] = Match(None, "none")
            continue
        top, score = found[0]
        if _clear_winner(queries[qi].name, norm, found, matcher, accept):
            matches[qi] = Match(top, "fuzzy", score, candidates)
        else:
            matches[qi] = Match(None, "review", score, candidates)
    return MatchReport([m if m is not None else Match(None, "none") for m in matches], problems,
                       applied)


@lru_cache(maxsize=1 << 16)
def legal_form(name: str) -> str | None:
    """The legal form a name ends with, as a class ("Limited" and "Ltd" are one), or None."""
    words = re.sub(r"[^a-z]+", " ", name.lower()).split()
    for size, forms in ((3, _FORM_PHRASES), (1, _FORM_WORDS)):
        tail = " ".join(words[-size:])
        if tail in forms:
            return forms[tail]
    return None


def _forms_conflict(a: str, b: str) -> bool:
    form, other = legal_form(a), legal_form(b)
    return form is not None and other is not None and form != other


def _clear_winner(raw: str, norm: str, found: list[tuple[int, float]], matcher: Matcher,
                  accept: float) -> bool:
    """Whether the best fuzzy candidate may be taken without a person: it scores `accept` (or,
    as the only candidate, SOLE_MARGIN less), every other candidate is more typing errors away,
    and no legal form conflicts ("Acme Ltd" is not "Acme LLP")."""
    top, score = found[0]
    if _forms_conflict(raw, matcher.names[top]):
        return False
    query = drop_garbled_form(norm)
    others = [r for r, _ in found[1:] if matcher.norms[r] != matcher.norms[top]]
    distance = OSA.distance(query, matcher.norms[top])
    if any(OSA.distance(query, matcher.norms[r]) <= distance for r in others):
        return False
    return score >= accept or (not others and score >= accept - SOLE_MARGIN
                               and distance <= SOLE_TYPING_ERRORS)
