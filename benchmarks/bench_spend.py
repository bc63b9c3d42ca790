"""Benchmark: the spend engine on a large synthetic ledger, beside a bare DuckDB scan and pandas.

    uv run python benchmarks/bench_spend.py                 # 10,000,000 lines, 140,000 suppliers
    uv run python benchmarks/bench_spend.py --lines 1000000 # a quick run
    uv run python benchmarks/bench_spend.py --files 183     # also the same lines in 183 files

The ledger (CSV, Devon-style headers, £ signs, thousands commas and bracketed credit notes) and the
supplier register are generated once into --data (reused when the same sizes are asked again).
Each contender runs in its own process so its peak memory (max RSS) is its own:

- scan:    DuckDB reading every column of the CSV and nothing else (the floor), run first,
           between the contenders and last, its median the baseline;
- engine:  keepitlocal.spend.analyse with the DuckDB backend (ingest, matching, tiers, figures);
- engine 1.5GB: the same held to --memory-limit (DuckDB spills the rest to disk);
- ingest:  the engine keeping its parsed ledgers in a DuckDB file (`SpendOptions.ingested`);
- reanalyse: the engine again from that file (and the suppliers as matched and the lines'
           sums, kept beside it), with one rule on suppliers fewer (an officer's edit);
- reanalyse lines: the same with one rule on lines fewer, so the lines are summed again;
- reanalyse+table, reanalyse+file: "reanalyse" keeping every line in Parquet for drill-down,
           as the web does: held as one pyarrow table and then written, or written by DuckDB
           as the lines are made (`SpendOptions.lines_file`);
- pandas:  a straightforward pandas version of the same headline figures (total, tiers,
           departments, months, top suppliers), integer pence, exact id/name joins only.

With --files N the same lines are also split into N files of consecutive lines (as Devon County
Council publishes 15 years of monthly files: 183 of them), and the scan and the engine run again
on those: reading many small files costs the engine per file (detection, provenance), not only
per line.

Each contender first runs once on the ledger's first lines (its "warm-up", timed apart): what a
process pays once, not per ledger (imports, compiling Python without cached bytecode, Ibis's
first query), is left out of every contender's time alike, as a server pays it once at start.
The warm-up times are printed too: the command line pays them on every run.

The engine's and pandas's totals and tier sums must agree to the penny; the run says so.
Postcodes come from a synthetic in-memory store (real LAD codes, invented postcodes) so the run
needs no prebuilt national store.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from peak import peak_mb

ROOT = Path(__file__).resolve().parent.parent
COUNCIL = "E08000033"  # Calderdale
WORDS = [
    "north", "south", "east", "west", "calder", "pennine", "valley", "moor", "mill", "bridge",
    "park", "green", "oak", "ash", "hill", "dale", "river", "stone", "brook", "field", "wood",
    "heath", "lane", "cross", "market", "station", "church", "castle", "harbour", "vale", "ridge",
    "summit", "crown", "royal", "union", "premier", "central", "county", "city", "metro", "global",
    "united", "general", "prime", "quality", "advanced", "modern", "classic"
]
TRADES = [
    "catering", "cleaning", "construction", "consulting", "care", "transport", "print", "supplies",
    "services", "engineering", "plumbing", "electrical", "roofing", "security", "training",
    "software", "legal", "landscaping", "waste", "fuel", "furniture"
]
SUFFIXES = ("Ltd", "Limited", "LLP", "& Co", "Group Ltd", "CIC", "Trust", "Services Ltd")
INWARD = "ABDEFGHJLNPQRSTUWXYZ"  # letters a postcode's inward code may use
DEPARTMENTS = ("Adults", "Children", "Highways", "Housing", "Finance", "Culture", "Waste",
               "Education")
EXPENSES = ("Catering", "Cleaning", "Repairs", "Consultancy", "Care Packages", "Transport",
            "Materials", "IT", "Legal", "Grounds")


def supplier_name(i: int) -> str:
    a = WORDS[i % len(WORDS)]
    b = WORDS[(i // len(WORDS)) % len(WORDS)]
    t = TRADES[(i // 7) % len(TRADES)]
    s = SUFFIXES[(i // 3) % len(SUFFIXES)]
    return f"{a.title()} {b.title()} {t.title()} {i} {s}"


def store_records(n: int = 5000) -> list[tuple[str, float, float, str]]:
    """Invented postcodes spread over real English LADs, a fifth of them in the council area."""
    import csv

    with (ROOT / "src/keepitlocal/reference/spend/lad_tiers.csv").open() as handle:
        lads = [r["lad_code"] for r in csv.DictReader(handle)]
    records = []
    for i in range(n):
        lad = COUNCIL if i % 5 == 0 else lads[(i * 7919) % len(lads)]
        inward = f"{i % 10}{INWARD[(i // 10) % len(INWARD)]}{INWARD[(i // 200) % len(INWARD)]}"
        records.append((f"YY{i // 4000 + 1} {inward}", 53.0 + (i % 100) / 100,
                        -1.5 - (i % 50) / 100, lad))
    return records


def generate(data: Path, lines: int, suppliers: int) -> tuple[Path, Path]:
    """The ledger CSV and supplier register, made once with DuckDB's own generator."""
    import duckdb

    data.mkdir(parents=True, exist_ok=True)
    ledger = data / f"ledger_{lines}_{suppliers}.csv"
    register = data / f"suppliers_{suppliers}.csv"
    records = store_records()
    if not register.exists():
        import csv

        with register.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Supplier Name", "Supplier ID", "Postcode"])
            for i in range(suppliers):
                pc = "" if i % 50 == 0 else records[(i * 31) % len(records)][0]
                writer.writerow([supplier_name(i), f"V{i:06d}", pc])
    if not ledger.exists():
        con = duckdb.connect()
        con.execute(f"CREATE TABLE names AS SELECT * FROM read_csv('{register}', all_varchar=true)")
        con.execute("CREATE TABLE s AS SELECT row_number() OVER () - 1 AS i, * FROM names")
        depts = "[" + ", ".join(f"'{d}'" for d in DEPARTMENTS) + "]"
        exps = "[" + ", ".join(f"'{e}'" for e in EXPENSES) + "]"
        tmp = ledger.with_suffix(".tmp")
        con.execute(f"""
            COPY (
              WITH base AS (
                SELECT r.range AS n,
                       CAST(floor(pow(hash(r.range) % 1000000 / 1000000.0, 3) * {suppliers})
                            AS BIGINT) AS i,
                       CAST(hash(r.range * 7) % 2000000 AS BIGINT) + 50000 AS pence,
                       r.range % 37 = 0 AS credit
                FROM range({lines}) r
              )
              SELECT strftime(DATE '2024-04-01' + CAST(n % 365 AS INTEGER), '%d/%m/%Y') AS "Date",
                     'T' || n AS "Transaction Number",
                     CASE WHEN credit THEN '(' || printf('%.2f', pence / 100.0) || ')'
                          WHEN n % 3 = 0 THEN '£' || regexp_replace(printf('%.2f', pence / 100.0),
                                                '(\\d)(\\d{{3}})\\.', '\\1,\\2.')
                          ELSE printf('%.2f', pence / 100.0) END AS "Amount",
                     CASE WHEN n % 97 = 0 THEN 'REDACTED'
                          WHEN n % 11 = 0 THEN upper(s."Supplier Name")
                          ELSE s."Supplier Name" END AS "Supplier Name",
                     CASE WHEN n % 4 = 0 THEN '' ELSE s."Supplier ID" END AS "Supplier ID",
                     {depts}[1 + n % {len(DEPARTMENTS)}] AS "Expense Area",
                     {exps}[1 + (n // 3) % {len(EXPENSES)}] AS "Expense Type"
              FROM base JOIN s ON base.i = s.i
              ORDER BY n
            ) TO '{tmp}' (HEADER, DELIMITER ',')
        """)
        tmp.rename(ledger)
    return ledger, register


def split(ledger: Path, files: int) -> Path:
    """The ledger's lines in `files` CSV files of consecutive lines, each with the header; made
    once, in one pass (DuckDB's partitioned COPY)."""
    import duckdb

    folder = ledger.with_name(f"{ledger.stem}_in_{files}_files")
    if not folder.exists():
        tmp = folder.with_name(folder.name + ".tmp")
        con = duckdb.connect()
        total = con.execute(f"SELECT count(*) FROM read_csv('{ledger}', all_varchar=true)"
                            ).fetchone()[0]  # type: ignore[index]
        con.execute(f"""
            COPY (SELECT *, CAST((row_number() OVER () - 1) * {files} // {total} AS INTEGER)
                            AS part
                  FROM read_csv('{ledger}', all_varchar=true))
            TO '{tmp}' (FORMAT csv, HEADER, PARTITION_BY (part))
        """)
        tmp.rename(folder)
    return folder


def ledger_files(ledger: str) -> list[Path]:
    """One file, or every CSV below a folder made by `split`."""
    path = Path(ledger)
    return sorted(path.glob("*/*.csv")) if path.is_dir() else [path]


def sample(ledger: str, folder: Path, lines: int = 200) -> str:
    """The first `lines` lines of the (first) ledger, in `folder`, for a contender's warm-up."""
    first = ledger_files(ledger)[0]
    path = folder / first.name
    with first.open(encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        for _, line in zip(range(lines + 1), source, strict=False):
            out.write(line)
    return str(path)


def warmed(run: Any, ledger: str, *args: str) -> dict[str, Any]:
    """`run` on a small sample of the ledger, then on the ledger; both times reported."""
    with tempfile.TemporaryDirectory(prefix="keepitlocal-warm-") as folder:
        start = time.perf_counter()
        run(sample(ledger, Path(folder)), *args[:1])
        warm_up = time.perf_counter() - start
    return {**run(ledger, *args), "warm_up_seconds": warm_up}


def run_scan(ledger: str) -> dict[str, Any]:
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect()
    files = "[" + ", ".join(f"'{path}'" for path in ledger_files(ledger)) + "]"
    cols = [r[0] for r in con.execute(
        f"DESCRIBE SELECT * FROM read_csv({files}, all_varchar=true)").fetchall()]
    aggs = ", ".join(f'max("{c}")' for c in cols)
    con.execute(f"SELECT count(*), {aggs} FROM read_csv({files}, all_varchar=true)").fetchall()
    return {"seconds": time.perf_counter() - start, "peak_mb": peak_mb()}


def run_engine(ledger: str, register: str, ingested: str = "", change: str = "",
               memory_limit: str = "", lines: str = "") -> dict[str, Any]:
    """The engine; with `ingested`, keeping the parsed ledgers in that file (the web's way) or,
    when the file is there already, re-analysing from it after an officer's edit of the
    exclusion rules: `change` "supplier" drops the first rule (on suppliers' names), "line"
    drops the last (on expense types, so the lines are summed again); with `memory_limit`,
    holding DuckDB to that much memory (`SpendOptions.memory_limit`); with `lines`, keeping
    the line table for drill-down: "table" as a pyarrow.Table in memory, then written to
    Parquet by pyarrow, "file" written by the data engine as it is made
    (`SpendOptions.lines_file`, the web's way now)."""
    from keepitlocal.geo import PostcodeStore
    from keepitlocal.spend import SpendOptions, analyse, exclusions

    store = PostcodeStore.from_records(store_records())
    keep = Path(ingested) if ingested else None
    rules = None
    if keep is not None and change:
        shipped = json.loads(exclusions.default_path().read_text(encoding="utf-8"))
        shipped["rules"] = shipped["rules"][1:] if change == "supplier" else shipped["rules"][:-1]
        rules = keep.with_suffix(f".{change}-rules.json")
        rules.write_text(json.dumps(shipped), encoding="utf-8")
    folder = tempfile.mkdtemp(prefix="keepitlocal-bench-lines-")
    start = time.perf_counter()
    result = analyse(ledger_files(ledger), Path(register), COUNCIL,
                     SpendOptions(store=store, keep_lines=bool(lines), ingested=keep,
                                  exclusions=rules, memory_limit=memory_limit or None,
                                  lines_file=Path(folder) / "lines.parquet"
                                  if lines == "file" else None))
    if lines == "table":  # then saved for drill-down, as the web did before `lines_file`
        import pyarrow.parquet as pq

        pq.write_table(result.line_table, Path(folder) / "lines.parquet", compression="zstd")
    seconds = time.perf_counter() - start
    shutil.rmtree(folder)
    return {"seconds": seconds, "peak_mb": peak_mb(), "total": str(result.total),
            "ledgers": result.provenance["ledgers"],
            "tiers": [str(t.spend) for t in result.tiers], "lines_read": result.lines.read,
            "lines_used": result.lines.used, "match_methods": result.matching.by_method,
            "excluded": str(result.excluded_total), "line_sums": result.provenance["line_sums"]}


def run_pandas(ledger: str, register: str) -> dict[str, Any]:
    """The same headline figures the obvious pandas way (exact joins, no fuzzy matching)."""
    import pandas as pd

    from keepitlocal.geo import PostcodeStore
    from keepitlocal.spend import tiers as spend_tiers

    store = PostcodeStore.from_records(store_records())
    start = time.perf_counter()
    lines = pd.read_csv(ledger, dtype=str, keep_default_na=False)
    reg = pd.read_csv(register, dtype=str, keep_default_na=False)
    text = lines["Amount"].str.replace(r"[£,\s]", "", regex=True)
    negative = text.str.startswith("(")
    text = text.str.strip("()")
    whole = text.str.split(".", n=1, expand=True)
    pence = whole[0].astype("int64") * 100 + whole[1].fillna("0").str.ljust(2, "0").astype(
        "int64")
    lines["pence"] = pence.where(~negative, -pence)
    tiers = spend_tiers.preset(COUNCIL)
    locations = store.lookup_many(reg["Postcode"].tolist())
    reg["tier"] = [spend_tiers.place(loc, None, tiers)[0] for loc in locations]
    by_id = reg.set_index("Supplier ID")["tier"]
    reg["key"] = reg["Supplier Name"].str.upper()
    by_name = reg.drop_duplicates("key").set_index("key")["tier"]
    tier = lines["Supplier ID"].map(by_id)
    tier = tier.where(lines["Supplier ID"] != "", lines["Supplier Name"].str.upper().map(by_name))
    lines["tier"] = tier.where(lines["Supplier Name"] != "REDACTED")
    total = int(lines["pence"].sum())
    per_tier = lines.groupby("tier")["pence"].sum()
    dates = pd.to_datetime(lines["Date"], format="%d/%m/%Y")
    lines["month"] = dates.dt.strftime("%Y-%m")
    lines.groupby("Expense Area")["pence"].sum()
    lines.groupby("month")["pence"].sum()
    lines.groupby("Supplier Name")["pence"].sum().nlargest(10)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": peak_mb(), "total": f"{total / 100:.2f}",
            "tiers": [f"{int(per_tier.get(float(n), 0)) / 100:.2f}" for n in (1, 2, 3, 4)]}


def child(kind: str, *args: str) -> dict[str, Any]:
    output = subprocess.run([sys.executable, __file__, "--child", kind, *args], check=True,
                            capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"}).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--suppliers", type=int, default=140_000)
    parser.add_argument("--data", type=Path,
                        default=Path(tempfile.gettempdir()) / "keepitlocal-bench")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--memory-limit", default="1.5GB",
                        help="also run the engine held to this much memory (default 1.5GB)")
    parser.add_argument("--files", type=int, default=0,
                        help="also split the lines into this many files (Devon: 183)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply lines and suppliers, e.g. 0.1 for a quick run")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        runner = {"scan": run_scan, "engine": run_engine, "pandas": run_pandas}[kind]
        print(json.dumps(warmed(runner, *rest)))
        return
    args.lines = int(args.lines * args.scale)
    args.suppliers = int(args.suppliers * args.scale)
    start = time.perf_counter()
    ledger, register = generate(args.data, args.lines, args.suppliers)
    size = ledger.stat().st_size / 1e6
    print(f"ledger: {args.lines:,} lines, {args.suppliers:,} suppliers, {size:,.0f} MB CSV "
          f"(ready in {time.perf_counter() - start:.1f} s)")
    # The scan runs first, between the contenders and last: the machine's speed drifts over a
    # run of several minutes, and the baseline is the median of the three.
    scans = [child("scan", str(ledger))]
    results = {"scan": scans[0]}
    results["engine"] = child("engine", str(ledger), str(register))
    held = f"{args.memory_limit}"
    results[f"engine {held}"] = child("engine", str(ledger), str(register), "", "", held)
    assert results[f"engine {held}"]["total"] == results["engine"]["total"]
    ingested = args.data / f"ingested_{args.lines}_{args.suppliers}.duckdb"
    from keepitlocal.spend import summary
    from keepitlocal.spend.suppliers import cache_path

    # the ingesting run starts from nothing kept
    for kept in (ingested, cache_path(ingested), summary.path(ingested)):
        kept.unlink(missing_ok=True)
    results["ingest"] = child("engine", str(ledger), str(register), str(ingested))
    results["reanalyse"] = child("engine", str(ledger), str(register), str(ingested),
                                 "supplier")
    assert results["reanalyse"]["ledgers"] == "reused from the ingest file"
    assert results["reanalyse"]["line_sums"] == "reused from the summary file"
    results["reanalyse lines"] = child("engine", str(ledger), str(register), str(ingested),
                                       "line")
    assert results["reanalyse lines"]["line_sums"] == "summed from the lines"
    # The web keeps every line for drill-down in Parquet: held as one table and then written
    # (its way before), or written as the lines are made (its way now).
    for kept_as in ("table", "file"):
        results[f"reanalyse+{kept_as}"] = child("engine", str(ledger), str(register),
                                                str(ingested), "supplier", "", kept_as)
    scans.append(child("scan", str(ledger)))
    if not args.skip_pandas:
        results["pandas"] = child("pandas", str(ledger), str(register))
    scans.append(child("scan", str(ledger)))
    results["scan"] = sorted(scans, key=lambda r: r["seconds"])[1]
    print("scan runs (first, between, last): "
          + ", ".join(f"{r['seconds']:.2f} s" for r in scans) + "; the median is the baseline")
    if args.files > 1:
        folder = split(ledger, args.files)
        results[f"scan {args.files}"] = child("scan", str(folder))
        results[f"engine {args.files}"] = child("engine", str(folder), str(register))
        assert results[f"engine {args.files}"]["total"] == results["engine"]["total"]
    base = results["scan"]["seconds"]
    print(f"{'contender':<15} {'seconds':>9} {'x scan':>8} {'peak MB':>9} {'warm-up s':>10}")
    for name, r in results.items():
        print(f"{name:<15} {r['seconds']:>9.2f} {r['seconds'] / base:>8.2f} {r['peak_mb']:>9.0f} "
              f"{r['warm_up_seconds']:>10.2f}")
    engine = results["engine"]
    print(f"engine: total £{engine['total']}, tiers {engine['tiers']}, lines read "
          f"{engine['lines_read']:,}, used {engine['lines_used']:,}, "
          f"excluded £{engine['excluded']}")
    print(f"engine matching: {engine['match_methods']}")
    goals = [("whole-ledger analysis / bare scan", engine["seconds"] / base, "<=", 1.5,
              "36x (34.8 s / 0.97 s)"),
             ("re-analysis (ingested) / bare scan", results["reanalyse"]["seconds"] / base,
              "<=", 0.1, "none before (every run read the files)"),
             ("re-analysis, line rule changed / scan", results["reanalyse lines"]["seconds"]
              / base, "<=", 0.1, "the lines summed again"),
             ("ingesting run / plain engine run", results["ingest"]["seconds"]
              / engine["seconds"], "<=", 1.1, "what keeping the ingest file costs")]
    table, file = results["reanalyse+table"], results["reanalyse+file"]
    print(f"re-analysis keeping every line in Parquet for drill-down (the web's way): written "
          f"as made, {file['seconds'] / table['seconds']:.2f}x the time and "
          f"{file['peak_mb'] / table['peak_mb']:.2f}x the peak memory of held as one table, "
          "then written")
    if args.files > 1:
        goals.append((f"analysis / bare scan, {args.files} files",
                      results[f"engine {args.files}"]["seconds"]
                      / results[f"scan {args.files}"]["seconds"], "<=", 1.5,
                      "3.4x on Devon's 183 real files (16.5 s)"))
    if "pandas" in results:
        pandas_run = results["pandas"]
        held_run = results[f"engine {held}"]
        goals += [("engine peak memory / pandas peak", engine["peak_mb"] / pandas_run["peak_mb"],
                   "<=", 1 / 3, "1.03 (6.6 GB / 6.4 GB)"),
                  (f"same, engine held to {held}", held_run["peak_mb"] / pandas_run["peak_mb"],
                   "<=", 1 / 3, f"at {held_run['seconds'] / engine['seconds']:.2f}x the time"),
                  ("pandas time / engine time", pandas_run["seconds"] / engine["seconds"], ">=",
                   10.0, "2.0 (71 s / 34.8 s)")]
    print(f"{'goal':<38} {'now':>7} {'target':>9}  {'met':<4} baseline (issue 11)")
    for label, value, op, target, baseline in goals:
        met = value <= target if op == "<=" else value >= target
        print(f"{label:<38} {value:>7.2f} {op} {target:>6.2f}  {'yes' if met else 'no':<4} "
              f"{baseline}")
    if "pandas" in results:
        agree = (results["pandas"]["total"] == engine["total"]
                 and results["pandas"]["tiers"] == engine["tiers"])
        print(f"pandas vs engine: {results['engine']['seconds'] / results['pandas']['seconds']:.2f}"
              f"x the time; totals and tiers agree to the penny: {agree}")
        if not agree:
            pandas = results["pandas"]
            print(f"pandas: total £{pandas['total']}, tiers {pandas['tiers']}")


if __name__ == "__main__":
    main()
