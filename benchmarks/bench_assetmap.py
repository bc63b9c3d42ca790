"""How fast does the asset map import and place a full Charity Commission register?

    uv run python benchmarks/bench_assetmap.py [--rows 400000] [--keep DIR]

Writes a synthetic register extract in the published layout (zipped JSON arrays with a byte-order
mark): `charity` with ROWS rows (about 12% removed charities and 5% linked charities, real
postcodes of England and Wales, some blank or mistyped) and `charity_annual_return_parta` with
five financial years for every charity. Then, each in a fresh process so that peak memory is its
own:

- baseline: read the files alone (unzip, and parse each JSON array whole with the standard
  library);
- import and place: read both tables with the asset map's readers, merge the organisations,
  attach the annual returns, and place every organisation by postcode (unit, sector or district)
  with its LSOA and deprivation decile, on the full UK postcode store;
- load into the register store: `registers load charities` of both files into a new store
  (done once per publication, for every analysis);
- build from the store: one district's map (Leeds, the largest English district) read back
  from that store, merged, placed and summarised, as every `assetmap build --council` and web
  build with no files does.

Prints time and peak resident memory of each, and the ratios to reading the files alone.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from peak import peak_mb

SEED = 20261201


def write_register(folder: Path, rows: int) -> tuple[Path, Path]:
    from keepitlocal.assetmap.deprivation import default_lookup

    rng = random.Random(SEED)
    keys = default_lookup().keys
    postcodes = [k.decode() for k in keys[rng.sample(range(len(keys)), 50_000)].tolist()]
    postcodes = [f"{p[:-3]} {p[-3:]}" for p in postcodes]
    charity = folder / "publicextract.charity.zip"
    parta = folder / "publicextract.charity_annual_return_parta.zip"
    with zipfile.ZipFile(charity, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zc, \
            zipfile.ZipFile(parta, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zp, \
            zc.open("publicextract.charity.json", "w") as out_c, \
            zp.open("publicextract.charity_annual_return_parta.json", "w") as out_p:
        out_c.write(b"\xef\xbb\xbf[")
        out_p.write(b"\xef\xbb\xbf[")
        number = 200_000
        main_org = 0
        first_return = True
        for i in range(rows):
            linked = i > 0 and rng.random() < 0.05
            if not linked:
                number += rng.randint(1, 3)
                main_org = i
            removed = rng.random() < 0.12
            postcode = rng.choice(postcodes)
            if rng.random() < 0.02:
                postcode = None
            elif rng.random() < 0.02:
                postcode = postcode[:-2] + "ZZ"  # a mistyped unit: placed at its sector
            income = int(rng.lognormvariate(10, 2.2))
            record = {
                "date_of_extract": "2026-11-30T00:00:00", "organisation_number": i + 1,
                "registered_charity_number": number,
                "linked_charity_number": (i - main_org) if linked else 0,
                "charity_name": f"Synthetic Charity {i:07d}", "charity_type": "Other",
                "charity_registration_status": "Removed" if removed else "Registered",
                "date_of_registration":
                    f"{rng.randint(1961, 2026)}-0{rng.randint(1, 9)}-01T00:00:00",
                "date_of_removal": "2020-06-30T00:00:00" if removed else None,
                "charity_reporting_status": "Submission Received",
                "latest_acc_fin_period_start_date": "2025-04-01T00:00:00",
                "latest_acc_fin_period_end_date": "2026-03-31T00:00:00",
                "latest_income": None if linked else income,
                "latest_expenditure": None if linked else income,
                "charity_contact_address1": "1 High Street", "charity_contact_address2": None,
                "charity_contact_address3": None, "charity_contact_address4": None,
                "charity_contact_address5": None, "charity_contact_postcode": postcode,
                "charity_contact_phone": None, "charity_contact_email": None,
                "charity_contact_web": None,
                "charity_company_registration_number":
                    f"{rng.randint(1, 15_999_999):08d}" if rng.random() < 0.1 else None,
                "charity_insolvent": False, "charity_in_administration": False,
                "charity_previously_excepted": None, "charity_is_cdf_or_cuf": None,
                "charity_is_cio": rng.random() < 0.3, "cio_is_dissolved": None,
                "date_cio_dissolution_notice": None,
                "charity_activities": "Provides services to people in the local community.",
                "charity_gift_aid": None, "charity_has_land": None,
            }
            out_c.write((b"," if i else b"") + json.dumps(record).encode())
            for year in range(2022, 2027):
                ret = {"date_of_extract": "2026-11-30T00:00:00", "organisation_number": i + 1,
                       "registered_charity_number": number,
                       "latest_fin_period_submitted_ind": year == 2026,
                       "fin_period_order_number": 2027 - year,
                       "fin_period_start_date": f"{year - 1}-04-01T00:00:00",
                       "fin_period_end_date": f"{year}-03-31T00:00:00",
                       "total_gross_income": income, "total_gross_expenditure": income,
                       "income_from_government_contracts": income // 4,
                       "income_from_government_grants": income // 10}
                out_p.write((b"" if first_return else b",") + json.dumps(ret).encode())
                first_return = False
        out_c.write(b"]")
        out_p.write(b"]")
    return charity, parta


def measure(kind: str, charity: Path, parta: Path) -> None:
    """Run in a child process: one measurement, printed as JSON."""
    if kind in ("store-load", "store-build"):
        print(json.dumps({**_measure_store(kind, charity, parta), "peak_mb": peak_mb()}))
        return
    started = time.perf_counter()
    if kind == "read":
        count = 0
        for path in (charity, parta):
            with zipfile.ZipFile(path) as archive:
                data = archive.read(archive.namelist()[0])
            count += len(json.loads(data.decode("utf-8-sig")))
            del data
        detail = {"records": count}
    else:
        from keepitlocal.assetmap.build import place
        from keepitlocal.assetmap.deprivation import default_lookup
        from keepitlocal.assetmap.sources import read_all
        from keepitlocal.geo import default_store

        store, lookup = default_store(), default_lookup()  # opened before timing the import
        len(store)
        started = time.perf_counter()
        sources = read_all(charities=[charity, parta])
        read_done = time.perf_counter()
        placed = place(sources, store, lookup)
        detail = {"organisations": len(placed.organisations), "levels": placed.levels,
                  "charity_rows": sources.reports[0].rows,
                  "annual_returns": sum(len(v) for v in sources.annual_returns.values()),
                  "reading_s": round(read_done - started, 2)}
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": peak_mb(),
                      **detail}))


BUILD_DISTRICT = "E08000035"  # Leeds


def _measure_store(kind: str, charity: Path, parta: Path) -> dict[str, object]:
    """Time loading the register store, or building one district's map from it."""
    from keepitlocal.assetmap.build import build
    from keepitlocal.assetmap.deprivation import default_lookup
    from keepitlocal.assetmap.sources import read_all
    from keepitlocal.geo import Area, default_store
    from keepitlocal.registers import load
    from keepitlocal.registers.asset_tables import asset_tables_of
    from keepitlocal.registers.store import open_store

    store_path = charity.parent / "bench-registers.duckdb"
    len(default_store()), default_lookup()  # opened before timing
    started = time.perf_counter()
    if kind == "store-load":
        store_path.unlink(missing_ok=True)
        with open_store(store_path) as store:
            loaded, _ = load.load(store, "charities", charity, [parta])
        return {"seconds": time.perf_counter() - started, "matching_rows": loaded.rows}
    with open_store(store_path, read_only=True) as store:
        tables = asset_tables_of(store, read_only=True)
        area = Area.from_lads([BUILD_DISTRICT])
        asset_map = build(read_all(store=tables, area=area), area)
    return {"seconds": time.perf_counter() - started, "organisations": len(asset_map.organisations)}


def child(kind: str, charity: Path, parta: Path) -> dict[str, object]:
    output = subprocess.run([sys.executable, __file__, "--measure", kind, str(charity),
                             str(parta)], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--keep", type=Path, help="write (or reuse) the register here")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]), Path(args.measure[2]))
        return
    with tempfile.TemporaryDirectory(prefix="bench-assetmap-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        charity = folder / "publicextract.charity.zip"
        parta = folder / "publicextract.charity_annual_return_parta.zip"
        if not (charity.exists() and parta.exists()):
            started = time.perf_counter()
            write_register(folder, args.rows)
            print(f"wrote a synthetic register of {args.rows:,} charities and "
                  f"{5 * args.rows:,} annual returns in {time.perf_counter() - started:.0f} s "
                  f"({charity.stat().st_size / 1e6:.0f} MB + {parta.stat().st_size / 1e6:.0f} MB"
                  " zipped)")
        read = child("read", charity, parta)
        full = child("import", charity, parta)
        loaded = child("store-load", charity, parta)
        built = child("store-build", charity, parta)
    print(f"read the files alone (unzip + json.loads): {read['seconds']:.1f} s, "
          f"peak {read['peak_mb']:.0f} MB, {read['records']:,} records")
    print(f"import and place (asset map):              {full['seconds']:.1f} s, "
          f"peak {full['peak_mb']:.0f} MB; of which reading {full['reading_s']} s")
    print(f"  {full['charity_rows']:,} charity rows -> {full['organisations']:,} organisations,"
          f" {full['annual_returns']:,} annual returns; placed: {full['levels']}")
    print(f"ratio import-and-place / read-alone: time {full['seconds'] / read['seconds']:.2f}x, "
          f"peak memory {full['peak_mb'] / read['peak_mb']:.2f}x")
    print(f"load into the register store (once):       {loaded['seconds']:.1f} s, "
          f"peak {loaded['peak_mb']:.0f} MB ({loaded['matching_rows']:,} main registered "
          f"charities for matching); {loaded['seconds'] / read['seconds']:.2f}x read-alone")
    print(f"build one district from the store (Leeds): {built['seconds']:.1f} s, "
          f"peak {built['peak_mb']:.0f} MB, {built['organisations']:,} organisations; "
          f"{built['seconds'] / read['seconds']:.2f}x read-alone")


if __name__ == "__main__":
    main()
