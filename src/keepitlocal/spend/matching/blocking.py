"""Candidate register names for many ledger names at once, by array joins rather than a loop.

A name is a multiset of words, and a multiset has a key: the sum of one 64-bit hash per word.
Keys are additive, so "this name with word i left out" or "with word i replaced by word v" is
one subtraction and one addition, and the candidates for a whole batch of ledger names are found
by sorting and `searchsorted` over integer arrays. A candidate differs from the ledger name in at
most one word, one of these ways (the real-world shapes of a ledger name):

- one word is one typing error from the register's word (a wrong, missing, extra or swapped
  letter; found with a deletion index of the register's words);
- the ledger name lacks one of the register's words, or has one word more;
- one word is different, when the ledger name keeps at least two words in common, or when a
  finance system cut the name short (the last word is then a fragment).

Two words run together ("SATERETRAPO", a lost or mistyped space) are split before. A key shared
by more than `MAX_PER_KEY` register names is no evidence of either and gives no candidate, so
"NPOWER YORKSHIRE" is never offered "YORKSHIRE WATER": they share one word, not all but one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from keepitlocal.spend.matching.names import LEGAL_SUFFIXES

MAX_PER_KEY = 20
# How a candidate was found (bits, as one pair may be found several ways).
SAME_WORDS, WORD_MISTYPED, WORD_MISSING, WORD_EXTRA, WORD_DIFFERENT, RARE_WORD = 1, 2, 4, 8, 16, 32
MAX_PER_WORD = 50
NEAR_MIN_LENGTH = 4  # a letter is deleted only from words this long; three-letter words match
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def mix(codes: np.ndarray) -> np.ndarray:
    """A well-spread 64-bit hash of each word id (splitmix64), to be summed into name keys.
    Worked in place: it runs over every word of the register."""
    z = codes.astype(np.uint64)
    z += _GOLDEN
    z ^= z >> np.uint64(30)
    z *= _M1
    z ^= z >> np.uint64(27)
    z *= _M2
    z ^= z >> np.uint64(31)
    return z


def expand(lo: np.ndarray, hi: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [lo, hi) of at most `cap` items: (which range, position) for every item."""
    size = hi - lo
    ok = np.flatnonzero((size > 0) & (size <= cap))
    counts = size[ok]
    which = np.repeat(ok, counts)
    starts = np.repeat(lo[ok] - (np.cumsum(counts) - counts), counts)
    return which, starts + np.arange(len(which))


def _deletion_variants(words: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Each word of NEAR_MIN_LENGTH - 1 letters or more, and each word of NEAR_MIN_LENGTH or more
    with one letter deleted: (variants, index of the word each came from)."""
    lengths = pc.utf8_length(words).to_numpy(zero_copy_only=False)
    itself = np.flatnonzero(lengths >= NEAR_MIN_LENGTH - 1)
    long_enough = np.flatnonzero(lengths >= NEAR_MIN_LENGTH)
    variants = [words.take(pa.array(itself))]
    owners = [itself]
    for p in range(int(lengths.max(initial=0))):
        having = long_enough[lengths[long_enough] > p]
        if not len(having):
            break
        chosen = words.take(pa.array(having))
        variants.append(pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(chosen, 0, p), pc.utf8_slice_codeunits(chosen, p + 1), ""))
        owners.append(having)
    return pa.concat_arrays(variants), np.concatenate(owners)


@dataclass
class Tokens:
    """Names as words: the word strings, which name each belongs to, and each name's offsets."""

    words: pa.Array
    parent: np.ndarray
    offsets: np.ndarray

    @classmethod
    def of(cls, norms: pa.Array) -> Tokens:
        lists = pc.split_pattern(norms, " ")
        sizes = pc.list_value_length(lists).to_numpy(zero_copy_only=False)
        parent = np.repeat(np.arange(len(norms), dtype=np.int32), sizes)
        words = pc.list_flatten(lists)
        if pc.any(pc.equal(words, "")).as_py():  # only from an empty name (or stray spaces)
            keep = np.asarray(pc.not_equal(words, "").to_numpy(zero_copy_only=False), bool)
            parent, words = parent[keep], words.filter(pa.array(keep))
        offsets = np.searchsorted(parent, np.arange(len(norms) + 1))
        return cls(words, parent, offsets)


@dataclass
class Found:
    """Candidate pairs with how each was found (bits of SAME_WORDS ... RARE_WORD), and per ledger
    name its word count (after repairs), whether every one of its words is a register word, and
    the name as repaired."""

    query: np.ndarray
    row: np.ndarray
    how: np.ndarray
    words: np.ndarray
    known: np.ndarray
    mended: list[str]


class NameIndex:
    """The register's names as word-multiset keys, sorted for look-up, and a deletion index of
    its words (two words are one typing error apart when deleting at most one letter from each
    makes them equal)."""

    def __init__(self, norms: pa.Array) -> None:
        # Arrays over every word of a five-million-name register are 100 MB each at 64 bits:
        # ids are 32-bit and each array is let go as soon as it is used.
        tokens = Tokens.of(norms)
        encoded = pc.dictionary_encode(tokens.words)
        self.vocab: pa.Array = encoded.dictionary
        codes = encoded.indices.to_numpy()
        del encoded
        parent, offsets = tokens.parent, tokens.offsets
        del tokens
        self.word_count = np.bincount(codes, minlength=len(self.vocab))
        mixes = mix(codes)
        counts = np.diff(offsets).astype(np.int32)
        self.word_counts = counts
        sums = np.zeros(len(norms), dtype=np.uint64)
        nonempty = np.flatnonzero(counts)
        if len(mixes):
            sums[nonempty] = np.add.reduceat(mixes, offsets[nonempty])
        self.full_keys, self.full_rows = _sorted(sums[nonempty], nonempty)
        several = counts[parent] >= 2
        owner = parent[several]
        left_out = sums[owner]
        left_out -= mixes[several]
        del mixes, several, sums
        self.loo_keys, self.loo_rows = _sorted(left_out, owner)
        del left_out, owner
        self._posting_rows = parent[np.argsort(codes, kind="stable")]
        del parent, codes
        self._posting_offsets = np.concatenate([[0], np.cumsum(self.word_count)])
        variants, owners = _deletion_variants(self.vocab)
        encoded_variants = pc.dictionary_encode(variants)
        self._variant_set: pa.Array = encoded_variants.dictionary
        order = np.argsort(encoded_variants.indices.to_numpy(), kind="stable")
        self._variant_owner = owners[order].astype(np.int32)
        self._variant_offsets = np.searchsorted(
            encoded_variants.indices.to_numpy()[order], np.arange(len(self._variant_set) + 1))

    def codes(self, words: pa.Array) -> np.ndarray:
        """Register word id of each word, or -1 for a word the register does not have."""
        found = pc.index_in(words, value_set=self.vocab)
        return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), np.int64)

    def near(self, words: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (i, v): register word v is one typing error from words[i] (and not equal)."""
        variants, owners = _deletion_variants(words)
        found = pc.index_in(variants, value_set=self._variant_set)
        hit = np.flatnonzero(found.is_valid().to_numpy(zero_copy_only=False))
        codes = pc.take(found, pa.array(hit)).to_numpy().astype(np.int64)
        which, at = expand(self._variant_offsets[codes], self._variant_offsets[codes + 1],
                           cap=1 << 30)
        pairs = np.unique(_pair_keys(owners[hit][which], self._variant_owner[at]))
        word, code = pairs >> 32, pairs & 0xFFFFFFFF
        if not len(pairs):
            return word, code
        left = words.take(pa.array(word)).to_pylist()
        right = self.vocab.take(pa.array(code)).to_pylist()
        close = process.cpdist(left, right, scorer=OSA.distance, workers=1) == 1
        return word[close], code[close]

    def repair(self, words_of: list[list[str]]) -> tuple[list[list[str]], np.ndarray,
                                                          dict[str, int]]:
        """Words the register lacks that are two of its words run together, with the space
        between them mistyped ("SatereTrapo", "VAGALEjNURSERY") or moved ("TridoamD ati": the
        cut nearest the space typed is taken), a legal form run into the last word
        ("FOODSaLLP"), a word cut in two by a stray space or mark ("Moseco,C IC"), or a leading
        "The" run into the name ("TheBricefo"): the register's words. Also whether each name,
        as written, has only register words, and the register id of every word."""
        distinct = sorted({w for ws in words_of for w in ws})
        code = dict(zip(distinct, self.codes(pa.array(distinct, type=pa.string())).tolist(),
                        strict=True))
        all_known = np.array([all(code[w] >= 0 for w in ws) for ws in words_of], dtype=bool)
        tries: list[tuple[str, str, str]] = []
        for word in distinct:
            if code[word] < 0 and len(word) >= 6:
                for cut in range(3, len(word) - 1):
                    tries += [(word, word[:cut], word[cut:]), (word, word[:cut], word[cut + 1:])]
        for a, b in sorted({pair for ws in words_of for pair in pairwise(ws)
                            if code[pair[0]] < 0 or code[pair[1]] < 0}):
            # a space typed inside a word ("Cen.a", "L TD"), or moved: the nearest cut first
            joined = a + b
            tries.append((f"{a} {b}", joined, ""))
            tries += [(f"{a} {b}", joined[:cut], joined[cut:]) for cut in
                      sorted(range(2, len(joined) - 1), key=lambda cut: abs(cut - len(a)))
                      if cut != len(a)]
        asked = sorted({w for _, a, b in tries for w in (a, b)} - code.keys())
        code.update(zip(asked, self.codes(pa.array(asked, type=pa.string())).tolist(),
                        strict=True))
        fixed: dict[str, list[str]] = {}
        for whole, a, b in tries:
            if whole in fixed:
                continue
            if not b:  # the two words are one
                if code[a] >= 0 or a in LEGAL_SUFFIXES:
                    fixed[whole] = [a] if code[a] >= 0 else []
                continue
            if (code[a] < 0 and a != "the") or len(b) < 2:
                continue
            # a leading "The" run into the name ("TheBricefo", "Th eRebaha") goes, as it does
            # from every name
            kept = [a] if a != "the" else []
            if code[b] >= 0:
                fixed[whole] = [*kept, b]
            elif b in LEGAL_SUFFIXES and kept:
                fixed[whole] = kept
        out: list[list[str]] = []
        for ws in words_of:
            mended: list[str] = []
            i = 0
            while i < len(ws):
                pair = f"{ws[i]} {ws[i + 1]}" if i + 1 < len(ws) else ""
                if pair in fixed:
                    mended += fixed[pair]
                    i += 2
                else:
                    mended += fixed.get(ws[i], [ws[i]])
                    i += 1
            out.append(mended)
        return out, all_known, code

    def candidates(self, norms: Sequence[str], truncated: np.ndarray) -> Found:
        """Pairs (ledger name i, register row r) that differ in at most one word, as above."""
        words_of, known, code = self.repair([norm.split() for norm in norms])
        mended = [" ".join(ws) for ws in words_of]
        counts = np.array([len(ws) for ws in words_of], dtype=np.int64)
        # A repair can be wrong (two words may happen to make a third, "fase an" "fasean"): a
        # repaired name is looked up as written too, as a second name of the same ledger name.
        written = [i for i, (m, n) in enumerate(zip(mended, norms, strict=True)) if m != n]
        words_of += [norms[i].split() for i in written]
        of = np.concatenate([np.arange(len(norms)), np.array(written, dtype=np.int64)])
        truncated = truncated[of]
        flat = [w for ws in words_of for w in ws]
        parent = np.repeat(np.arange(len(words_of)), [len(ws) for ws in words_of])
        sizes = np.bincount(parent, minlength=len(words_of))
        if not flat:
            nothing = np.empty(0, np.int64)
            return Found(nothing, nothing, nothing, counts, known, mended)
        words = pa.array(flat, type=pa.string())
        codes = np.array([code[w] for w in flat], dtype=np.int64)
        missing = codes < 0
        # a word the register lacks gets an id of its own, the same for the same word
        codes[missing] = len(self.vocab) + pc.dictionary_encode(
            words.filter(pa.array(missing))).indices.to_numpy()
        mixes = mix(codes)
        sums = np.zeros(len(words_of), dtype=np.uint64)
        np.add.at(sums, parent, mixes)
        keys: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        ways: list[tuple[str, int]] = []

        def want(key: np.ndarray, owner: np.ndarray, table: str, way: int) -> None:
            keys.append(key)
            owners.append(owner)
            ways.append((table, way))

        everyone = np.arange(len(words_of))
        want(sums, everyone, "full", SAME_WORDS)
        want(sums, everyone, "loo", WORD_MISSING)
        near_word, near_code = self.near(words)
        want(sums[parent[near_word]] - mixes[near_word] + mix(near_code), parent[near_word],
             "full", WORD_MISTYPED)
        several = sizes[parent] >= 2
        want(sums[parent[several]] - mixes[several], parent[several], "full", WORD_EXTRA)
        last = np.r_[parent[1:] != parent[:-1], True] if len(parent) else parent.astype(bool)
        other = (sizes[parent] >= 3) | (last & truncated[parent] & several)
        want(sums[parent[other]] - mixes[other], parent[other], "loo", WORD_DIFFERENT)
        found_q: list[np.ndarray] = []
        found_r: list[np.ndarray] = []
        found_way: list[np.ndarray] = []
        # names holding the ledger name's rarest word, when few do
        present = np.flatnonzero(~missing)
        rarest = present[np.lexsort((present, self.word_count[codes[present]], parent[present]))]
        rarest = rarest[np.r_[True, parent[rarest][1:] != parent[rarest][:-1]]] if len(
            rarest) else rarest
        which, at = expand(self._posting_offsets[codes[rarest]],
                           self._posting_offsets[codes[rarest] + 1], MAX_PER_WORD)
        found_q.append(parent[rarest][which])
        found_r.append(self._posting_rows[at])
        found_way.append(np.full(len(which), RARE_WORD))
        for key, owner, (table, way) in zip(keys, owners, ways, strict=True):
            sorted_keys, rows = ((self.full_keys, self.full_rows) if table == "full"
                                 else (self.loo_keys, self.loo_rows))
            lo = np.searchsorted(sorted_keys, key, "left")
            hi = np.searchsorted(sorted_keys, key, "right")
            which, at = expand(lo, hi, MAX_PER_KEY)
            found_q.append(owner[which])
            found_r.append(rows[at])
            found_way.append(np.full(len(which), way))
        pairs, inverse = np.unique(_pair_keys(of[np.concatenate(found_q)],
                                              np.concatenate(found_r)), return_inverse=True)
        how = np.zeros(len(pairs), dtype=np.int64)
        np.bitwise_or.at(how, inverse, np.concatenate(found_way))
        return Found(pairs >> 32, pairs & 0xFFFFFFFF, how, counts, known, mended)


def _pair_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two non-negative ids below 2**31 as one sortable integer."""
    return (a.astype(np.int64) << 32) | b.astype(np.int64)


def _sorted(keys: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    return keys[order], rows.astype(np.int32, copy=False)[order]


def score_pairs(queries: Sequence[str], choices: Sequence[str], truncated: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """Score and typing errors of each (ledger name, register name) pair: the better of
    rapidfuzz `ratio` and `token_sort_ratio`, and the OSA distance; a name a finance system cut
    short is also compared with the same length of the register name."""
    score = np.maximum(
        process.cpdist(queries, choices, scorer=fuzz.ratio, workers=1),
        process.cpdist(queries, choices, scorer=fuzz.token_sort_ratio, workers=1))
    distance = process.cpdist(queries, choices, scorer=OSA.distance, workers=1).astype(np.int64)
    cut = np.flatnonzero(truncated).tolist()
    if cut:
        short_q = [queries[i] for i in cut]
        short_c = [choices[i][:len(queries[i])] for i in cut]
        score[cut] = np.maximum(score[cut], process.cpdist(short_q, short_c, scorer=fuzz.ratio,
                                                           workers=1))
        distance[cut] = np.minimum(distance[cut], process.cpdist(
            short_q, short_c, scorer=OSA.distance, workers=1))
    return score.astype(np.float64), distance
