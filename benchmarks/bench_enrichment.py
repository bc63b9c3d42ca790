"""Benchmark: the per-supplier table against a national register of millions of rows.

    uv run python benchmarks/bench_enrichment.py [--register 5000000] [--suppliers 14000]

A council register of `--suppliers` entries, each carrying a company number, beside a synthetic
Companies House register of `--register` rows (as `keepitlocal registers load` gives). Every
ledger supplier is matched by its council entry, and the national entry with the same company
number enriches it (postcode, size). Timed, in CPU seconds of this process:

- engine: `spend.suppliers.identify` and `place`, all of it (matching, enrichment, tiers);
- of which the matcher's preparation of the register (`matching.Matcher`, timed again alone:
  every name normalised and grouped, which a run against the loaded registers pays each time)
  and the matching itself (`matching.match_all`, again alone), the rest being the enrichment,
  the tiers and the table;
- baseline: only the step the enrichment replaced, a dict of every national row's number built
  in a Python loop (`by_number`), which an analysis paid before it looked anything up.

Both find the same national rows; the run checks this.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from bench_spend import COUNCIL, store_records

from keepitlocal.spend import SpendOptions, matching, tiers
from keepitlocal.spend import suppliers as spend_suppliers
from keepitlocal.spend.register import COLUMNS, Register


def national(rows: int) -> pd.DataFrame:
    frame = pd.DataFrame({c: np.full(rows, None, dtype=object) for c in COLUMNS})
    frame["id"] = np.array([f"CH{i}" for i in range(rows)], dtype=object)
    frame["name"] = np.array([f"COMPANY {i} LIMITED" for i in range(rows)], dtype=object)
    frame["source"] = "companies_house"
    frame["company_number"] = np.array([f"{i:08d}" for i in range(rows)], dtype=object)
    frame["size"] = "sme"
    return frame


def council(suppliers: int, rows: int, postcodes: list[str]) -> pd.DataFrame:
    step = max(1, rows // suppliers)
    frame = pd.DataFrame({c: np.full(suppliers, None, dtype=object) for c in COLUMNS})
    frame["id"] = np.array([f"V{i}" for i in range(suppliers)], dtype=object)
    frame["name"] = np.array([f"Supplier {i} Ltd" for i in range(suppliers)], dtype=object)
    frame["source"] = "council"
    frame["supplier_id"] = frame["id"]
    frame["company_number"] = np.array([f"{i * step:08d}" for i in range(suppliers)], dtype=object)
    frame["postcode"] = np.array([postcodes[i % len(postcodes)] for i in range(suppliers)],
                                 dtype=object)
    return frame


def old_by_number(frame: pd.DataFrame) -> dict[str, int]:
    """The replaced step: every Companies House row's number into a dict, one Python step a row."""
    by_number: dict[str, int] = {}
    rows_of = frame.index[frame["source"] == "companies_house"]
    for i, v in zip(rows_of, frame["company_number"].iloc[rows_of], strict=True):
        if v and v not in by_number:
            by_number[v] = int(i)
    return by_number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--register", type=int, default=5_000_000)
    parser.add_argument("--suppliers", type=int, default=14_000)
    args = parser.parse_args()
    from keepitlocal.geo import PostcodeStore

    records = store_records()
    store = PostcodeStore.from_records(records)
    national_rows = national(args.register)
    ours = council(args.suppliers, args.register, [r[0] for r in records])
    register = Register(pd.concat([ours, national_rows], ignore_index=True), ["bench"])
    rows = [(f"k{i}", name, sid, None, None, None, None, False, 100)
            for i, (name, sid) in enumerate(zip(ours["name"], ours["id"], strict=True))]
    options = SpendOptions(store=store)
    council_tiers = tiers.preset(COUNCIL)

    start = time.process_time()
    found = spend_suppliers.identify(rows, register, {}, options)
    table, summary = spend_suppliers.place(found.table, council_tiers, store), found.summary
    engine_seconds = time.process_time() - start
    start = time.process_time()
    matcher = matching.Matcher(register)
    matcher_seconds = time.process_time() - start
    start = time.process_time()
    matching.match_all([matching.Query(r[1], r[2]) for r in rows], matcher, {},
                       options.fuzzy_accept, options.fuzzy_review)
    match_seconds = time.process_time() - start
    rest = engine_seconds - matcher_seconds - match_seconds
    start = time.process_time()
    by_number = old_by_number(register.frame)
    baseline_seconds = time.process_time() - start

    expected = [by_number[n] for n in ours["company_number"]]
    sizes = table.column("sme").to_pylist()
    agree = sizes == ["sme"] * args.suppliers and len(expected) == args.suppliers
    print(f"register: {args.register:,} national rows and {args.suppliers:,} council entries; "
          f"matched {summary.by_method}")
    print(f"{'step':<52} {'CPU s':>7}")
    print(f"{'engine: the whole per-supplier table':<52} {engine_seconds:>7.2f}")
    print(f"{'  of which preparing the register for matching':<52} {matcher_seconds:>7.2f}")
    print(f"{'  of which matching (by supplier id)':<52} {match_seconds:>7.2f}")
    print(f"{'  the rest (enrichment, tiers, the table)':<52} {rest:>7.2f}")
    print(f"{'baseline: only the by-number dict it replaced':<52} {baseline_seconds:>7.2f}")
    print(f"baseline / the rest: {baseline_seconds / rest:.1f}x; "
          f"every supplier enriched from its national row: {agree}")


if __name__ == "__main__":
    main()
