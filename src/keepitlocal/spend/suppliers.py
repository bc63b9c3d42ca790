"""Who each ledger supplier is and where: matched to the registers once, placed in tiers every run.

Matching a ledger's suppliers to the registers (and reading the registers to do it) is the slow
part of a re-analysis, and it does not depend on what an officer changes most between runs: the
tiers and the exclusion rules. So a run is two steps. `identify` matches and enriches every ledger
supplier identity from the registers; `place` puts each in a tier. With an ingest file
(`SpendOptions.ingested`) what `identify` found is kept beside it (`cache_path`), under a key of
the ingested ledgers, the registers' bytes and loads, the match decisions and thresholds: the
next run with the same key reads it back and only places the suppliers again.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from keepitlocal.errors import Problem
from keepitlocal.spend import io, matching
from keepitlocal.spend import register as registers
from keepitlocal.spend import tiers as tiers_mod
from keepitlocal.spend.model import (
    REDACTED,
    Candidate,
    MatchSummary,
    Progress,
    ReviewItem,
    SpendOptions,
    pence_to_pounds,
)

# Raise when what `identify` makes, or how it matches, changes: kept results are then made again.
CACHE_SCHEMA = 1
COLUMN_TYPES = {"sid": pa.uint64(), "vcse": pa.bool_(), "match_score": pa.float64()}


@dataclass(frozen=True)
class Identified:
    """Every ledger supplier identity as the registers describe it, before tiers: the table
    (one row per `sid`), what matching did, and which registers it read."""

    table: pa.Table
    summary: MatchSummary
    problems: list[Problem]
    sources: list[str]


def _missing(column: np.ndarray) -> np.ndarray:
    return np.asarray(pd.isna(column), dtype=bool)


def _blanks_to_none(column: np.ndarray) -> np.ndarray:
    """`column` with every blank as None: None, NaN or an empty text."""
    column[_missing(column) | (column == "")] = None
    return column


def identify(rows: list[tuple[Any, ...]], reg: registers.Register, decisions: dict[str, str],
             options: SpendOptions) -> Identified:
    """One row per ledger supplier identity (`ingest.supplier_rows`): who it is, where, what
    kind, and how we know."""
    plain = [r for r in rows if not r[7]]
    queries = [matching.Query(r[1], r[2], r[3], r[4], r[5]) for r in plain]
    if len(reg):
        matcher = matching.Matcher(reg)
        tell = options.progress
        report = matching.match_all(
            queries, matcher, decisions, options.fuzzy_accept, options.fuzzy_review,
            progress=None if tell is None else
            lambda done, total: tell(Progress("matching", done, total)))
    else:
        report = matching.MatchReport([matching.Match(None, "none") for _ in queries])
    # Each figure is picked for all suppliers at once from the register rows that describe them
    # (below); a register of millions of rows is read only where a supplier points, and never
    # turned into a Python object per row.
    frame = reg.frame
    matches = report.matches
    main = np.array([-1 if m.index is None else m.index for m in matches], dtype=np.int64)

    def take(name: str, rows_at: np.ndarray) -> np.ndarray:
        """The register's `name` at each supplier's row (None where it has none)."""
        out = np.full(len(rows_at), None, dtype=object)
        found = rows_at >= 0
        out[found] = frame[name].take(rows_at[found]).to_numpy(dtype=object)
        return _blanks_to_none(out)

    def related(name: str, source: str, numbers: list[str | None]) -> np.ndarray:
        """The first `source` register row holding each number (-1 if none, or if it is the
        supplier's own match): a national register entry enriching a council one."""
        wanted = {n for n in numbers if n}
        at = np.full(len(numbers), -1, dtype=np.int64)
        if not wanted:
            return at
        column = frame[name]
        rows = np.flatnonzero(((frame["source"] == source) & column.isin(wanted)).to_numpy())
        first_row: dict[str, int] = {}
        for number, row in zip(column.take(rows).to_numpy(dtype=object), rows, strict=True):
            first_row.setdefault(number, int(row))
        at[:] = [first_row.get(n, -1) if n else -1 for n in numbers]
        at[at == main] = -1
        return at

    # Enrich from the national registers through the numbers the entry (or line) carries.
    company = [registers.norm_company(found or given) for found, given in zip(
        take("company_number", main), (r[4] for r in plain), strict=True)]
    charity = [registers.norm_charity(found or given) for found, given in zip(
        take("charity_number", main), (r[5] for r in plain), strict=True)]
    chain = (main, related("company_number", "companies_house", company),
             related("charity_number", "charity_commission", charity))

    @cache
    def along(name: str) -> tuple[np.ndarray, ...]:
        """`name` at each of the supplier's rows: its match, then its numbers'."""
        return tuple(take(name, rows_at) for rows_at in chain)

    def first(name: str) -> np.ndarray:
        """The first value found along each supplier's rows."""
        found = along(name)
        out = found[0].copy()
        for values in found[1:]:
            missing = _missing(out)
            out[missing] = values[missing]
        return out

    ledger_postcode = np.array([r[6] or None for r in plain], dtype=object)
    postcode = first("postcode")
    placed_by = np.full(len(plain), "not placed", dtype=object)
    # the first row in the chain with a postcode places it
    for postcodes_at, sources_at in reversed(list(zip(along("postcode"), along("source"),
                                                      strict=True))):
        with_postcode = ~_missing(postcodes_at)
        placed_by[with_postcode] = sources_at[with_postcode]
    has_ledger_postcode = ~_missing(ledger_postcode)
    postcode[has_ledger_postcode] = ledger_postcode[has_ledger_postcode]
    placed_by[has_ledger_postcode] = "ledger"
    sector = first("sector")
    vcse = (sector == "vcse") | ~_missing(np.array(charity, dtype=object))
    for sources_at in along("source"):
        vcse |= sources_at == "charity_commission"
    sector[vcse] = "vcse"
    matched = main >= 0
    ids = take("id", main)
    methods = [m.method if m.index is not None or m.method != "decision" else
               "decision: no match" for m in matches]
    spends = [int(r[8]) for r in plain]
    out: dict[str, list[Any]] = {
        "sid": [r[0] for r in plain],
        "supplier_ref": [str(i) if hit else "ledger:" + (matching.normalise_name(r[1]) or r[1])
                         for i, hit, r in zip(ids, matched, plain, strict=True)],
        "supplier_name": list(np.where(matched, take("name", main),
                                       np.array([r[1] for r in plain], dtype=object))),
        "postcode": list(postcode), "country": list(first("country")), "sector": list(sector),
        "vcse": [bool(v) for v in vcse], "sme": list(first("size")),
        "company_type": list(first("company_type")), "match_method": methods,
        "match_score": [m.score for m in matches], "register_id": list(ids),
    }
    by_method: dict[str, int] = {}
    spend_by_method: dict[str, int] = {}
    spend_by_source: dict[str, int] = {}
    for method, source, spend in zip(methods, placed_by, spends, strict=True):
        by_method[method] = by_method.get(method, 0) + 1
        spend_by_method[method] = spend_by_method.get(method, 0) + spend
        spend_by_source[source] = spend_by_source.get(source, 0) + spend
    review: dict[str, tuple[int, tuple[Candidate, ...], str]] = {}
    for row, match in zip(plain, matches, strict=True):
        if match.method != "review":
            continue
        name, spend = row[1], int(row[8])
        previous = review.get(name)
        total = spend + (previous[0] if previous else 0)
        reason = ("several register entries share this name" if match.score == 100.0
                  else f"best fuzzy score {match.score:.0f} is below the accept threshold "
                       f"{options.fuzzy_accept:.0f} or too close to the next")
        review[name] = (total, match.candidates, reason)
    for row in rows:
        if row[7]:
            for key, value in (("sid", row[0]), ("supplier_ref", REDACTED),
                               ("supplier_name", "REDACTED"), ("postcode", None),
                               ("country", None), ("sector", None), ("vcse", False),
                               ("sme", None), ("company_type", None), ("match_method", "redacted"),
                               ("match_score", None), ("register_id", None)):
                out[key].append(value)
            by_method["redacted"] = by_method.get("redacted", 0) + 1
            spend_by_method["redacted"] = spend_by_method.get("redacted", 0) + int(row[8])
    table = pa.table({k: pa.array(v, type=COLUMN_TYPES.get(k, pa.string()))
                      for k, v in out.items()})
    items = [ReviewItem(name, pence_to_pounds(spend), cands, reason)
             for name, (spend, cands, reason) in review.items()]
    items.sort(key=lambda r: (-r.spend, r.ledger_name))
    summary = MatchSummary(by_method, {k: pence_to_pounds(v) for k, v in spend_by_method.items()},
                           items, report.decisions_applied,
                           {k: pence_to_pounds(v) for k, v in sorted(
                               spend_by_source.items(), key=lambda kv: -kv[1])})
    return Identified(table, summary, report.problems, list(reg.sources))


def place(table: pa.Table, tiers: tiers_mod.Tiers, store: Any) -> pa.Table:
    """`table` (from `identify`) with each supplier's tier, category and district (`lad`, where
    its postcode is known): every distinct postcode looked up once, and each distinct postcode
    and country placed once, then given to every supplier with it at once."""
    # a missing postcode or country places as a blank one does
    postcode = pc.fill_null(table.column("postcode"), "").combine_chunks()
    country = pc.fill_null(table.column("country"), "").combine_chunks()
    redacted = pc.fill_null(pc.equal(table.column("match_method"), "redacted"), False)
    # each (postcode, country) pair as one integer: its first supplier, and each supplier's pair
    codes = [pc.dictionary_encode(column) for column in (postcode, country)]
    key = (codes[0].indices.to_numpy().astype(np.int64) * max(len(codes[1].dictionary), 1)
           + codes[1].indices.to_numpy())
    _, first, pair_of = np.unique(key, return_index=True, return_inverse=True)
    postcodes, countries = postcode.take(first).to_pylist(), country.take(first).to_pylist()
    distinct = [p for p in dict.fromkeys(postcodes) if p]
    location = dict(zip(distinct, store.lookup_many(distinct) if distinct else [], strict=True))
    tier_of: list[int | None] = []
    category_of: list[str] = []
    lad_of: list[str | None] = []
    for code, where in zip(postcodes, countries, strict=True):
        found = location.get(code) if code else None
        number, category = tiers_mod.place(found, where or None, tiers)
        tier_of.append(number)
        category_of.append(category)
        lad_of.append(getattr(found, "lad", None) or None)
    at = pa.array(pair_of.ravel())
    tier = pc.if_else(redacted, pa.scalar(None, pa.int32()),
                      pa.array(tier_of, type=pa.int32()).take(at))
    category = pc.if_else(redacted, REDACTED, pa.array(category_of, type=pa.string()).take(at))
    lad = pc.if_else(redacted, pa.scalar(None, pa.string()),
                     pa.array(lad_of, type=pa.string()).take(at))
    return table.append_column("tier", tier).append_column("category", category).append_column(
        "lad", lad)


def _register_files(register: Path | None, options: SpendOptions) -> dict[str, Path]:
    files = {"register": register, "companies_house": options.companies_house,
             "charities": options.charities}
    return {kind: Path(path) for kind, path in files.items() if path is not None}


def cache_key(ingest_key: str, register: Path | None, decisions: dict[str, str],
              options: SpendOptions, digests: io.Digests) -> str:
    """Changes whenever what `identify` would find could change: the ingested ledgers, each
    register file's name and bytes (`io.file_digests`), the national registers' loads, the
    decisions and thresholds."""
    files = _register_files(register, options)
    loads = [asdict(load) for load in options.registers.loaded()] \
        if options.registers is not None else None
    given = [[kind, path.name, digests[str(path.resolve())][2]] for kind, path in files.items()]
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps([CACHE_SCHEMA, ingest_key, sorted(decisions.items()),
                              options.fuzzy_accept, options.fuzzy_review, loads, given],
                             default=str).encode())
    return digest.hexdigest()


def cache_path(ingested: Path) -> Path:
    """Where the identified suppliers of the ingest file `ingested` are kept."""
    return ingested.with_name(ingested.stem + ".suppliers.parquet")


def _document(found: Identified, digests: io.Digests) -> str:
    summary = found.summary
    return json.dumps({
        "digests": digests,
        "by_method": summary.by_method,
        "spend_by_method": {k: str(v) for k, v in summary.spend_by_method.items()},
        "review": [{**asdict(r), "spend": str(r.spend)} for r in summary.review],
        "decisions_applied": summary.decisions_applied,
        "spend_by_source": {k: str(v) for k, v in summary.spend_by_source.items()},
        "problems": [asdict(p) for p in found.problems], "sources": found.sources})


def _from_document(table: pa.Table, text: str) -> Identified:
    data = json.loads(text)
    review = [ReviewItem(r["ledger_name"], Decimal(r["spend"]),
                         tuple(Candidate(**c) for c in r["candidates"]), r["reason"])
              for r in data["review"]]
    summary = MatchSummary(data["by_method"],
                           {k: Decimal(v) for k, v in data["spend_by_method"].items()}, review,
                           data["decisions_applied"],
                           {k: Decimal(v) for k, v in data["spend_by_source"].items()})
    return Identified(table, summary, [Problem(**p) for p in data["problems"]], data["sources"])


def save(path: Path, key: str, found: Identified, digests: io.Digests | None = None) -> None:
    """Keep `found` in `path` under `key`, whole or not at all (written beside, then moved),
    with the register files' `digests` the key was made from."""
    partial = path.with_name(f".{path.name}.{secrets.token_hex(8)}.partial")
    table = found.table.replace_schema_metadata(
        {"key": key, "document": _document(found, digests or {})})
    try:
        pq.write_table(table, partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def saved(path: Path, key: str) -> Identified | None:
    """What `save` kept in `path`, when it was kept under `key`; None otherwise (no file,
    another key, or a file that cannot be read: then the suppliers are matched again)."""
    if not path.is_file():
        return None
    try:
        table = pq.read_table(path)
        meta = table.schema.metadata or {}
        if meta.get(b"key", b"").decode() != key:
            return None
        return _from_document(table.replace_schema_metadata(None),
                              meta[b"document"].decode())
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None


def known_digests(path: Path) -> io.Digests:
    """The register files' digests the kept suppliers in `path` were matched with ({} when
    there are none)."""
    try:
        meta = pq.read_schema(path).metadata or {}
        return dict(json.loads(meta[b"document"].decode()).get("digests", {}))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, pa.ArrowException):
        return {}


def identified(rows: Callable[[], list[tuple[Any, ...]]], register: Path | None,
               decisions: dict[str, str], options: SpendOptions,
               ingest_key: str = "") -> Identified:
    """`identify` the ledger's suppliers (`rows`) against the registers, reading them only when
    no kept result under the same key is beside the ingest file."""
    kept = cache_path(options.ingested) if options.ingested and ingest_key else None
    digests = io.file_digests(list(_register_files(register, options).values()),
                              known_digests(kept)) if kept else {}
    key = cache_key(ingest_key, register, decisions, options, digests) if kept else ""
    if kept is not None and (found := saved(kept, key)) is not None:
        if options.progress is not None:
            options.progress(Progress("matching", 1, 1))
        return found
    reg = registers.load(register, options.companies_house, options.charities)
    if options.registers is not None:  # the national registers loaded once into the store
        reg = registers.Register.concat([reg, options.registers.register()])
    found = identify(rows(), reg, decisions, options)
    if kept is not None:
        save(kept, key, found, digests)
    return found
