"""The matcher as it was before vectorising (a Python loop per name), kept as the benchmark's
baseline so every run of `bench_matching.py` measures old and new on the same names.

Only name matching (no ids or decisions), which is all the benchmark asks of either. The
normalisation is the package's scalar `normalise_name`, the definition both paths share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from keepitlocal.spend.matching import TRUNCATED_LENGTHS
from keepitlocal.spend.matching.names import (
    drop_garbled_form,
    forms_conflict,
    name_keys,
)

SOLE_MARGIN = 7.0
SOLE_TYPING_ERRORS = 2


def _deletions(token: str) -> list[str]:
    return [token[:i] + token[i + 1:] for i in range(len(token))]


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


class OldMatcher:
    """Normalised names grouped in a dict, and the per-name word index."""

    def __init__(self, names: list[str], norms: list[str]) -> None:
        self.names = names
        self.norms = norms
        self._norm_array = np.asarray(norms, dtype=object)
        self._name_groups: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(norms):
            if n:
                self._name_groups[n].append(i)
        self._tokens = TokenIndex(norms)

    def tokens(self) -> TokenIndex:
        return self._tokens

    def by_name(self, name: str) -> tuple[int | None, list[int]]:
        for key in name_keys(name):
            hits = self._name_groups.get(key)
            if hits:
                return (hits[0] if len(hits) == 1 else None), hits
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




def old_match(names: Sequence[str], matcher: OldMatcher, accept: float,
              review: float) -> list[tuple[int | None, str, list[int]]]:
    """(chosen row, method, candidate rows) for each name, one name at a time."""
    from keepitlocal.spend.matching import normalise_name

    out: list[tuple[int | None, str, list[int]] | None] = [None] * len(names)
    pending: list[int] = []
    for qi, name in enumerate(names):
        chosen, hits = matcher.by_name(name)
        if chosen is not None and forms_conflict(name, matcher.names[chosen]):
            hits, chosen = [chosen], None
        if chosen is not None:
            out[qi] = (chosen, "name", [chosen])
        elif hits:
            out[qi] = (None, "review", hits[:5])
        else:
            pending.append(qi)
    norms = [normalise_name(names[qi]) for qi in pending]
    truncated = [len(names[qi].strip()) in TRUNCATED_LENGTHS for qi in pending]
    found_all = matcher.fuzzy(norms, review, truncated=truncated)
    for qi, norm, found in zip(pending, norms, found_all, strict=True):
        rows = [r for r, _ in found]
        if not found:
            out[qi] = (None, "none", [])
        elif _clear_winner(names[qi], norm, found, matcher, accept):
            out[qi] = (found[0][0], "fuzzy", rows)
        else:
            out[qi] = (None, "review", rows)
    return [o if o is not None else (None, "none", []) for o in out]


def _clear_winner(raw: str, norm: str, found: list[tuple[int, float]], matcher: OldMatcher,
                  accept: float) -> bool:
    """Whether the best fuzzy candidate may be taken without a person: it scores `accept` (or,
    as the only candidate, SOLE_MARGIN less), every other candidate is more typing errors away,
    and no legal form conflicts ("Acme Ltd" is not "Acme LLP")."""
    top, score = found[0]
    if forms_conflict(raw, matcher.names[top]):
        return False
    query = drop_garbled_form(norm)
    others = [r for r, _ in found[1:] if matcher.norms[r] != matcher.norms[top]]
    distance = OSA.distance(query, matcher.norms[top])
    if any(OSA.distance(query, matcher.norms[r]) <= distance for r in others):
        return False
    return score >= accept or (not others and score >= accept - SOLE_MARGIN
                               and distance <= SOLE_TYPING_ERRORS)
