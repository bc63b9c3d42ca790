"""How fast is the offline postcode store? Build, load, and 140,000 lookups.

    uv run python benchmarks/bench_geo.py [--keep DIR]

Builds a fresh store in a temporary folder (or DIR), times loading it, then looks up 140,000
postcodes shaped like a year of council spending lines: real postcodes drawn with repetition
(a few suppliers recur often), some typed with odd case and spacing, some terminated or mistyped
(so they fall back to a sector or district centroid), and some not postcodes at all. Each timing is
compared with a plain Python dict built from the same data (its build time not counted), looked up
with the same keys after the same cheap clean-up (upper case, spaces removed).
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from keepitlocal.geo import InvalidPostcode, PostcodeStore, UnknownPostcode, compact_postcode
from keepitlocal.geo.store import build_store

N_LOOKUPS = 140_000
SEED = 20260221


def best_of(repeats: int, function: Callable[[], Any]) -> tuple[float, Any]:
    """Fastest of `repeats` runs (the least disturbed by other work on a shared machine)."""
    times, result = [], None
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def odd_form(postcode: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice == 0:
        return postcode.lower()
    if choice == 1:
        return postcode.replace(" ", "")
    if choice == 2:
        return f"  {postcode.replace(' ', '   ')} "
    return postcode.lower().replace(" ", "")


def workload(store: PostcodeStore, rng: random.Random) -> tuple[list[str], dict[str, int]]:
    keys = store._tables["unit"].keys
    pool = [
        k.decode()
        for k in keys[np.sort(np.random.default_rng(SEED).choice(len(keys), 40_000, replace=False))]
    ]
    pool = [f"{k[:-3]} {k[-3:]}" for k in pool]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(pool))]  # Zipf-like supplier mix
    texts: list[str] = []
    mix = {"real": 0, "odd form": 0, "fallback": 0, "unknown district": 0, "not a postcode": 0}
    real = rng.choices(pool, weights, k=N_LOOKUPS)
    for postcode in real:
        roll = rng.random()
        if roll < 0.80:
            texts.append(postcode)
            mix["real"] += 1
        elif roll < 0.90:
            texts.append(odd_form(postcode, rng))
            mix["odd form"] += 1
        elif roll < 0.95:
            texts.append(postcode[:-2] + "ZZ")  # a typo or a terminated unit
            mix["fallback"] += 1
        elif roll < 0.97:
            texts.append(f"ZE9{rng.randrange(10)} {rng.randrange(10)}AB")
            mix["unknown district"] += 1
        else:
            texts.append(rng.choice(["n/a", "", "TBC", "HX1", "0113 2345678", "LS1 1AAA"]))
            mix["not a postcode"] += 1
    return texts, mix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the store here and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-geo-"))

    started = time.perf_counter()
    built = build_store(work, replace=True)
    build_seconds = time.perf_counter() - started
    assert built.path is not None
    path = built.path
    size_mb = sum(f.stat().st_size for f in path.iterdir()) / 1e6
    del built

    load_seconds, store = best_of(5, lambda: PostcodeStore.load(path))
    first_seconds, _ = best_of(1, lambda: store.lookup("HX1 2JJ"))

    rng = random.Random(SEED)
    texts, mix = workload(store, rng)

    units = store._tables["unit"]
    lad_by_index = [None, *store.lad_codes]
    plain = {
        key: (lat, lon, lad_by_index[lad + 1])
        for key, lat, lon, lad in zip(
            units.keys.astype("U7").tolist(),
            units.lat.tolist(),
            units.lon.tolist(),
            units.lad.tolist(),
            strict=True,
        )
    }

    def dict_cleaned() -> list[Any]:
        get = plain.get
        return [get(compact_postcode(t)) for t in texts]

    def dict_raw() -> list[Any]:
        get = plain.get
        return [get(t) for t in texts]

    def many() -> list[Any]:
        return store.lookup_many(texts)

    def single() -> list[Any]:
        out: list[Any] = []
        for text in texts:
            try:
                out.append(store.lookup(text))
            except (InvalidPostcode, UnknownPostcode):
                out.append(None)
        return out

    distinct = list(dict.fromkeys(texts))

    def many_distinct() -> list[Any]:
        return store.lookup_many(distinct)

    def dict_distinct() -> list[Any]:
        get = plain.get
        return [get(compact_postcode(t)) for t in distinct]

    t_dict, by_dict = best_of(3, dict_cleaned)
    t_raw, _ = best_of(3, dict_raw)
    t_many, by_many = best_of(3, many)
    t_single, by_single = best_of(1, single)
    t_many_d, _ = best_of(3, many_distinct)
    t_dict_d, _ = best_of(3, dict_distinct)
    differ = [
        (t, a, b)
        for t, a, b in zip(texts, by_many, by_single, strict=True)
        if a != b and not (a and b and not a.has_coordinates and a.lad == b.lad)  # NaN != NaN
    ]
    assert not differ, f"lookup_many and lookup disagree: {differ[:5]}"
    levels = {
        level: sum(1 for r in by_many if r and r.level == level)
        for level in ("unit", "sector", "district")
    }
    levels["none"] = sum(1 for r in by_many if r is None)
    dict_hits = sum(1 for r in by_dict if r is not None)

    print(f"store: {path} ({size_mb:.0f} MB, {len(store):,} postcodes)")
    print(f"build the store from the packaged data: {build_seconds:6.2f} s")
    print(f"load the store (memory-mapped):          {load_seconds * 1000:6.1f} ms")
    print(f"first lookup after loading:              {first_seconds * 1000:6.1f} ms")
    print()
    print(f"{N_LOOKUPS:,} lookups, {len(distinct):,} distinct texts; mix: {mix}")
    print(f"answers: {levels}; the dict finds {dict_hits:,} (units only, no fallback)")
    print()
    print(f"{'method':44} {'seconds':>8} {'per lookup':>11} {'vs dict':>8}")
    rows = [
        ("dict.get(cleaned text)  [baseline]", t_dict, t_dict),
        ("dict.get(raw text)  [no clean-up at all]", t_raw, t_dict),
        ("PostcodeStore.lookup_many(texts)", t_many, t_dict),
        ("PostcodeStore.lookup(text), one by one", t_single, t_dict),
        (f"lookup_many, {len(distinct):,} distinct texts", t_many_d, t_dict_d),
        (f"dict.get(cleaned), {len(distinct):,} distinct", t_dict_d, t_dict_d),
    ]
    for name, seconds, base in rows:
        count = len(distinct) if "distinct" in name else N_LOOKUPS
        print(f"{name:44} {seconds:8.3f} {seconds / count * 1e6:8.2f} µs {seconds / base:7.1f}x")
    print()
    print("(timings are the best of 3 runs; one-by-one lookups: 1 run)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
