"""LM3 at the scale of the 26 North East councils (140,000 suppliers, seed 001 line 1903).

For a JSON project file and the same project as an XLSX workbook, prints the time and peak memory
of (a) only reading the file (json.load / iterating the workbook's cells) and (b) the whole LM3:
read, validate, place every postcode, compute; and their ratio. Each measurement runs in its own
process so peak memory is its own.

    uv run python benchmarks/bench_lm3.py [--suppliers 140000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from peak import peak_mb

# The 12 North East LADs (the 26 councils of seed 001 include the former districts).
NORTH_EAST = {
    "E06000001",
    "E06000002",
    "E06000003",
    "E06000004",
    "E06000005",
    "E06000047",
    "E06000057",
    "E08000021",
    "E08000022",
    "E08000023",
    "E08000024",
    "E08000037",
}


def make_project(suppliers: int, folder: Path) -> tuple[Path, Path]:
    """A realistic large project: real postcodes across England, a third of suppliers answered."""
    from keepitlocal.geo.io import read_source
    from keepitlocal.lm3 import project_from_dict, write_workbook

    rng = random.Random(3)
    source = read_source()
    north_east = [pc for pc, lad in zip(source.pcd, source.laua, strict=True) if lad in NORTH_EAST]
    postcodes = rng.sample(north_east, 20_000)
    rows = []
    for i in range(suppliers):
        row = {
            "name": f"Supplier {i:06d} Ltd",
            "postcode": rng.choice(postcodes),
            "spend": str(Decimal(rng.randint(100, 5_000_000)) / 100),
            "response": None,
        }
        if rng.random() < 0.33:
            staff_share = Decimal(rng.randint(0, 60)) / 100
            row["response"] = {
                "local_staff_share": str(staff_share),
                "local_supplier_share": str(Decimal(rng.randint(0, 40)) / 100),
            }
        rows.append(row)
    document = {
        "name": "North East councils",
        "area": {"lad": ["E08000021", "E08000022", "E08000037"]},  # Tyneside
        "staff": {"local_pay": "90000000", "nonlocal_pay": "30000000"},
        "suppliers": rows,
        "other_costs": [],
    }
    json_path = folder / "project.json"
    json_path.write_text(json.dumps(document))
    xlsx_path = folder / "project.xlsx"
    write_workbook(xlsx_path, project_from_dict(document))
    return json_path, xlsx_path


def measure(kind: str, path: str) -> None:
    """Runs in a child process: do one thing, print seconds and peak RSS in MiB."""
    start = time.perf_counter()
    if kind == "read":
        if path.endswith(".json"):
            json.loads(Path(path).read_text(), parse_float=Decimal)
        else:
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True, data_only=True)
            for sheet in book.worksheets:
                for _ in sheet.iter_rows(values_only=True):
                    pass
    else:
        from keepitlocal.geo import default_store
        from keepitlocal.lm3 import read_project, run

        store = default_store()  # loading the prebuilt postcode store is counted
        run(read_project(path), store)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mb()}))


def child(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suppliers", type=int, default=140_000)
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"))
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        json_path, xlsx_path = make_project(args.suppliers, folder)
        print(
            f"generated {args.suppliers:,} suppliers in {time.perf_counter() - start:.1f} s "
            f"(json {json_path.stat().st_size / 2**20:.1f} MiB, "
            f"xlsx {xlsx_path.stat().st_size / 2**20:.1f} MiB)"
        )
        print(f"{'file':<6}{'step':<28}{'seconds':>9}{'peak MiB':>10}{'× read':>9}")
        for path in (json_path, xlsx_path):
            read = child("read", path)
            full = child("lm3", path)
            fmt = path.suffix[1:]
            print(
                f"{fmt:<6}{'read only':<28}{read['seconds']:>9.2f}{read['peak_mib']:>10.0f}"
                f"{1:>9.2f}"
            )
            print(
                f"{fmt:<6}{'read+validate+place+LM3':<28}{full['seconds']:>9.2f}"
                f"{full['peak_mib']:>10.0f}{full['seconds'] / read['seconds']:>9.2f}"
            )


if __name__ == "__main__":
    main()
