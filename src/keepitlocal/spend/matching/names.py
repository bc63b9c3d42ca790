"""Supplier names reduced to the name a supplier is known by, one at a time or five million at once.

`normalise_name` is the definition; `normalise_many` gives the same answers for a whole column
with Arrow's vectorised string kernels (a register of five million names in seconds, where a
Python call per name takes over a minute). Whitespace is the ASCII set in both, so the two agree.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz.distance import OSA

_SPACE = " \t\n\r\f\v"
_TA_WORDS = r"(?:t/a|t\\a|ta|trading as|t/as)"
_TRADING_AS = re.compile(rf"[{_SPACE}]+{_TA_WORDS}[{_SPACE}]+", re.IGNORECASE | re.ASCII)
LEGAL_SUFFIXES = frozenset({"ltd", "limited", "plc", "llp", "lp", "llc", "inc", "incorporated",
                            "cic", "cio", "ltee", "gmbh"})
_SUFFIX_PHRASES = ("community interest company", "public limited company",
                   "limited liability partnership", "charitable incorporated organisation")
_FORM_WORDS = {"ltd": "ltd", "limited": "ltd", "plc": "plc", "llp": "llp", "lp": "lp",
               "cic": "cic", "cio": "cio", "llc": "llc", "inc": "inc"}
_FORM_PHRASES = {"community interest company": "cic", "public limited company": "plc",
                 "limited liability partnership": "llp"}
_ACCENTS = str.maketrans({"’": "", "'": "", "`": "", "‘": ""})
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_LETTER_RUN = re.compile(r"\b[a-z](?: [a-z]\b)+")
_SUFFIX_RUN = "(?: (?:" + "|".join(sorted(LEGAL_SUFFIXES)) + "))+$"


@lru_cache(maxsize=1 << 18)
def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().translate(_ACCENTS)
    text = text.replace("&", " and ").replace("+", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    # "a b c" (from "A.B.C.") is one word: "abc".
    text = _LETTER_RUN.sub(lambda m: m.group(0).replace(" ", ""), text)
    for phrase in _SUFFIX_PHRASES:
        if text.endswith(" " + phrase):
            text = text[: -len(phrase) - 1]
    tokens = text.split()
    while len(tokens) > 1 and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens.pop(0)
    return " ".join(tokens)


@lru_cache(maxsize=1 << 18)
def normalise_name(name: str) -> str:
    """The name a supplier is known by, reduced: trading name for "X T/A Y", no legal suffix,
    "&" as "and", no punctuation, no leading "The", lower case, ASCII."""
    parts = _TRADING_AS.split(name.strip(_SPACE), maxsplit=1)
    return _normalise(parts[-1])


def name_keys(name: str) -> list[str]:
    """Every normalised form worth an exact look-up: trading name, owner name, whole name."""
    parts = _TRADING_AS.split(name.strip(_SPACE), maxsplit=1)
    keys = [_normalise(parts[-1])]
    if len(parts) == 2:
        keys += [_normalise(parts[0]), _normalise(" ".join(parts))]
    return [k for i, k in enumerate(keys) if k and k not in keys[:i]]


def has_trading_as(names: pa.Array) -> np.ndarray:
    """Which names carry an owner before "T/A" (so have more than one key)."""
    pattern = f"(?i)[{_SPACE}]+{_TA_WORDS}[{_SPACE}]+"
    found = pc.match_substring_regex(pc.utf8_trim(names, characters=_SPACE), pattern)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def normalise_many(names: Sequence[str] | pa.Array) -> pa.Array:
    """`normalise_name` of every name, as one Arrow string array, without a Python call per name.
    """
    text = names if isinstance(names, pa.Array) else pa.array(names, type=pa.string())
    text = pc.utf8_trim(pc.fill_null(text, ""), characters=_SPACE)
    # "X T/A Y" -> "Y": everything up to the first "T/A" goes.
    text = pc.replace_substring_regex(
        text, f"(?is)^.*?[{_SPACE}]+{_TA_WORDS}[{_SPACE}]+", "", max_replacements=1)
    text = pc.utf8_normalize(text, form="NFKD")
    text = pc.replace_substring_regex(text, r"[^\x00-\x7F]+", "")
    text = pc.ascii_lower(text)
    text = pc.replace_substring_regex(text, "['`]", "")
    text = pc.replace_substring_regex(text, "[&+]", " and ")
    text = pc.replace_substring_regex(text, "[^a-z0-9]+", " ")
    text = pc.utf8_trim(text, characters=" ")
    runs = np.flatnonzero(np.asarray(pc.match_substring_regex(
        text, r"(^| )[a-z] [a-z]( |$)").to_numpy(zero_copy_only=False), dtype=bool))
    if len(runs):  # few names ("A B C Builders"): joined one by one
        fixed = [_LETTER_RUN.sub(lambda m: m.group(0).replace(" ", ""), t)
                 for t in text.take(pa.array(runs)).to_pylist()]
        mask = np.zeros(len(text), dtype=bool)
        mask[runs] = True
        text = pc.replace_with_mask(text, pa.array(mask), pa.array(fixed, type=pa.string()))
    for phrase in _SUFFIX_PHRASES:
        text = pc.replace_substring_regex(text, f" {phrase}$", "", max_replacements=1)
    text = pc.replace_substring_regex(text, _SUFFIX_RUN, "", max_replacements=1)
    return pc.replace_substring_regex(text, "^the ", "", max_replacements=1)


@lru_cache(maxsize=1 << 16)
def legal_form(name: str) -> str | None:
    """The legal form a name ends with, as a class ("Limited" and "Ltd" are one), or None."""
    # ASCII letters only are lowered, as `legal_forms` does
    words = re.sub(r"[^a-z]+", " ", name.translate(_ASCII_LOWER)).split()
    for size, forms in ((3, _FORM_PHRASES), (1, _FORM_WORDS)):
        tail = " ".join(words[-size:])
        if tail in forms:
            return forms[tail]
    return None


FORM_CLASSES = sorted({*_FORM_WORDS.values(), *_FORM_PHRASES.values()})
# Plain Python at import: an Arrow array made here would start Arrow's memory pool in every
# process that imports the engine, about 1 GB of address space, which the capped process that
# reads an upload (safeio.isolated) cannot spare.
_LAST_WORD_LIST = [*_FORM_WORDS, *sorted({p.rsplit(" ", 1)[1] for p in _FORM_PHRASES})]
_LAST_WORD_CLASS = np.array([0, *(FORM_CLASSES.index(f) + 1 for f in _FORM_WORDS.values())]
                            + [0] * (len(_LAST_WORD_LIST) - len(_FORM_WORDS)), dtype=np.int8)


def legal_forms(names: pa.Array) -> np.ndarray:
    """`legal_form` of every name as a number (0: none, else 1 + its place in FORM_CLASSES),
    without a Python call per name: the last word is found with one regular expression, and
    only names ending in a phrase's last word ("... Company") are read further."""
    text = pc.ascii_lower(pc.fill_null(names, ""))
    last = pc.struct_field(pc.extract_regex(text, r"(?P<w>[a-z]+)[^a-z]*$"), [0])
    forms = pa.array(_LAST_WORD_LIST, type=pa.string())
    at = np.asarray(pc.fill_null(pc.index_in(last, value_set=forms), -1)
                    .to_numpy(zero_copy_only=False), np.int64)
    out = _LAST_WORD_CLASS[at + 1]
    ending = np.flatnonzero(at >= len(_FORM_WORDS))
    if len(ending):
        words = pc.utf8_trim(pc.replace_substring_regex(text.take(pa.array(ending)), "[^a-z]+",
                                                        " "), characters=" ")
        for phrase, form in _FORM_PHRASES.items():
            hit = pc.or_(pc.equal(words, phrase), pc.ends_with(words, " " + phrase))
            out[ending[np.asarray(hit.to_numpy(zero_copy_only=False), bool)]] = (
                FORM_CLASSES.index(form) + 1)
    return out


def forms_conflict(a: str, b: str) -> bool:
    form, other = legal_form(a), legal_form(b)
    return form is not None and other is not None and form != other


def drop_garbled_form(norm: str) -> str:
    """The name without a last word that is a legal form mistyped ("Limiqed", "LPC", "Lod"):
    exact forms are already gone, and a typing error in one must not cost the match."""
    tokens = norm.split()
    if len(tokens) > 1 and len(tokens[-1]) >= 3 and tokens[-1] not in LEGAL_SUFFIXES and any(
            OSA.distance(tokens[-1], form) <= (2 if len(form) >= 6 else 1)
            for form in LEGAL_SUFFIXES if len(form) >= 3):
        tokens.pop()
    return " ".join(tokens)
