"""What does reading a large upload in a process of its own (the background worker's way,
`safeio.isolated`) cost over reading it directly (the request's way)?

    uv run python benchmarks/bench_background_parse.py [--rows 2000000] [--file ledger|register]

Writes a synthetic CSV of ROWS lines, then reads it with the engine function the upload check
uses:

- ledger (supplier, date, amount): `spend.io.peek` (header, first rows, row count);
- register (supplier name, postcode, company number): `spend.io.table_shape` (column names and
  row count, as the supplier register upload of an analysis does);

each way:

- baseline: directly, in this process;
- isolated: through `safeio.isolated` with the default job limits (a spawned process capped at
  KEEPITLOCAL_BACKGROUND_PARSE_MEMORY_MB's default, 3,072 MB of address space), progress
  reported as the worker does.

Prints the time of each, the child's peak resident memory, and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from keepitlocal.safeio import LIMITS, MB, isolated
from keepitlocal.spend import io as spend_io

# file: (header, one row, the check, its arguments after the path, its row count)
FILES: dict[str, tuple[list[str], Callable[[int], list[str]], Callable[..., Any],
                       Callable[[Path], tuple[Any, ...]], Callable[[Any], int]]] = {
    "ledger": (["Supplier Name", "Payment Date", "Amount"],
               lambda n: [f"Supplier {n % 40_000}", "01/04/2024", f"{n % 9999}.25"],
               spend_io.peek, lambda folder: (folder, None), lambda read: int(read.rows)),
    "register": (["Supplier Name", "Postcode", "Company Number"],
                 lambda n: [f"Supplier {n} Ltd", "HX1 1AA", f"{n:08d}"],
                 spend_io.table_shape, lambda folder: (), lambda read: int(read[1])),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--file", choices=sorted(FILES), default="ledger")
    options = parser.parse_args()
    header, row, check, extra, rows_of = FILES[options.file]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{options.file}.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for n in range(options.rows):
                writer.writerow(row(n))
        size = path.stat().st_size / MB
        args = extra(Path(folder))
        started = time.perf_counter()
        direct = check(path, *args)
        baseline = time.perf_counter() - started
        reports = []
        started = time.perf_counter()
        alone = isolated(check, path, *args, file=path.name, limits=LIMITS,
                         memory_bytes=3072 * MB, report=lambda **seen: reports.append(seen))
        apart = time.perf_counter() - started
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert rows_of(alone) == rows_of(direct) == options.rows
    print(f"{options.file}: {options.rows:,} rows, {size:,.0f} MB")
    print(f"baseline (direct read):   {baseline:6.2f} s")
    print(f"isolated (own process):   {apart:6.2f} s, child peak RSS {child_peak:,.0f} MB, "
          f"{len(reports)} progress reports")
    print(f"ratio isolated / direct:  {apart / baseline:6.2f}")


if __name__ == "__main__":
    main()
