"""What does reading a large ledger in a process of its own (the background worker's way,
`safeio.isolated`) cost over reading it directly (the request's way)?

    uv run python benchmarks/bench_background_parse.py [--rows 2000000]

Writes a synthetic CSV ledger of ROWS lines (supplier, date, amount), then reads it with the
engine's `spend.io.peek` (header, first rows, row count, as the upload does):

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
from pathlib import Path

from keepitlocal.safeio import LIMITS, MB, isolated
from keepitlocal.spend import io as spend_io


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Supplier Name", "Payment Date", "Amount"])
            for n in range(options.rows):
                writer.writerow([f"Supplier {n % 40_000}", "01/04/2024", f"{n % 9999}.25"])
        size = path.stat().st_size / MB
        started = time.perf_counter()
        direct = spend_io.peek(path, Path(folder))
        baseline = time.perf_counter() - started
        reports = []
        started = time.perf_counter()
        alone = isolated(spend_io.peek, path, Path(folder), None, file=path.name,
                         limits=LIMITS, memory_bytes=3072 * MB,
                         report=lambda **seen: reports.append(seen))
        apart = time.perf_counter() - started
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert alone.rows == direct.rows == options.rows
    print(f"ledger: {options.rows:,} rows, {size:,.0f} MB")
    print(f"baseline (direct peek):   {baseline:6.2f} s")
    print(f"isolated (own process):   {apart:6.2f} s, child peak RSS {child_peak:,.0f} MB, "
          f"{len(reports)} progress reports")
    print(f"ratio isolated / direct:  {apart / baseline:6.2f}")


if __name__ == "__main__":
    main()
