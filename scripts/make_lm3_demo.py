"""Regenerate the bundled LM3 demo project (deterministic): a community anchor in Calderdale.

Postcodes are real ones drawn from the ONS postcode data the package ships; names are invented.
Run: uv run python scripts/make_lm3_demo.py
"""

from __future__ import annotations

import json
import math
import random
from decimal import Decimal
from pathlib import Path

from keepitlocal.geo.io import read_source

OUT = Path(__file__).parents[1] / "src/keepitlocal/lm3/demo/calder_valley_trust.json"
CALDERDALE = "E08000033"
NEIGHBOURS = {"E08000034": "HD", "E08000032": "BD", "E08000035": "LS"}  # Kirklees, Bradford, Leeds
FAR = {"E08000003": "M", "E09000001": "E", "E08000025": "B", "E06000023": "BS"}

FIRST = [
    "Amina",
    "Ben",
    "Chloe",
    "Dev",
    "Emma",
    "Farah",
    "Gareth",
    "Hannah",
    "Imran",
    "Jess",
    "Kieran",
    "Leah",
    "Mohammed",
    "Niamh",
    "Owen",
    "Priya",
    "Rachel",
    "Sam",
    "Tariq",
    "Zoe",
]
ROLES = [
    "Centre manager",
    "Early years practitioner",
    "Nursery nurse",
    "Family support worker",
    "Cook",
    "Caretaker",
    "Finance officer",
    "Volunteer coordinator",
    "Receptionist",
    "Youth worker",
    "Cleaner",
    "Outreach worker",
    "Room leader",
    "Administrator",
]
TRADES = [
    ("Catering", 2000, 30000),
    ("Cleaning Services", 1500, 20000),
    ("Printing", 300, 6000),
    ("Electrical", 500, 12000),
    ("Plumbing & Heating", 400, 9000),
    ("Building Services", 1000, 40000),
    ("Stationery", 200, 4000),
    ("Toys & Play", 300, 7000),
    ("Garden Services", 300, 5000),
    ("IT Support", 800, 15000),
    ("Accountancy", 1500, 12000),
    ("Training", 500, 8000),
    ("Security", 600, 10000),
    ("Removals", 300, 3000),
    ("Foods", 500, 15000),
    ("Design", 300, 5000),
]
PLACES = [
    "Calder",
    "Pennine",
    "Hebden",
    "Shibden",
    "Ryburn",
    "Elland",
    "Todmorden",
    "Sowerby",
    "Brighouse",
    "Luddenden",
    "Copley",
    "Northowram",
    "Hipperholme",
    "Mytholm",
    "Savile",
]
NATIONAL = ["Britannia", "Albion", "National", "Sterling", "Crown", "Union", "Premier", "Apex"]
SURNAMES = ["Ali", "Brook", "Clegg", "Dunn", "Earnshaw", "Fox", "Greenwood", "Hirst"]
SUFFIX = ["Ltd", "Limited", "& Co", "CIC", "LLP", "Co-operative", "Ltd"]


def postcodes_in(lads: set[str], rng: random.Random) -> dict[str, list[str]]:
    """Real postcodes with a grid reference, by LAD, read from the packaged ONS data."""
    source = read_source()
    found: dict[str, list[str]] = {lad: [] for lad in lads}
    for pc, lad, east in zip(source.pcd, source.laua, source.east, strict=True):
        if lad in found and not math.isnan(east):
            found[lad].append(" ".join(pc.split()))
    return {lad: sorted(rng.sample(pcs, min(400, len(pcs)))) for lad, pcs in found.items()}


def money(rng: random.Random, low: int, high: int) -> str:
    return str(Decimal(rng.randint(low * 100, high * 100)) / 100)


def main() -> None:
    rng = random.Random(2020)
    lads = {CALDERDALE, *NEIGHBOURS, *FAR}
    pcs = postcodes_in(lads, rng)
    staff = []
    for i in range(40):
        lad = CALDERDALE if i < 33 else rng.choice(sorted(NEIGHBOURS))
        role = ROLES[0] if i == 0 else rng.choice(ROLES[1:])
        pay = 34000 if i == 0 else rng.randint(9000, 27000)
        staff.append(
            {
                "label": f"{role} ({rng.choice(FIRST)})",
                "postcode": rng.choice(pcs[lad]),
                "pay": f"{pay}.00",
            }
        )
    suppliers = []
    names: set[str] = set()
    while len(suppliers) < 150:
        trade, low, high = rng.choice(TRADES)
        local = rng.random() < 0.6
        lad = CALDERDALE if local else rng.choice(sorted({**NEIGHBOURS, **FAR}))
        place = rng.choice(PLACES if lad == CALDERDALE or lad in NEIGHBOURS else NATIONAL)
        name = f"{place} {trade} {rng.choice(SUFFIX)}"
        if name.casefold() in names:
            continue
        names.add(name.casefold())
        slug = "".join(c for c in f"{place}{trade}".lower() if c.isalnum())[:20]
        supplier = {
            "name": name,
            "postcode": rng.choice(pcs[lad]),
            "spend": money(rng, low, high if local else high * 2),
            "contact": f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}",
            "email": f"accounts@{slug}.example.org",
            "response": None,
        }
        if rng.random() < (0.55 if local else 0.35):
            staff_share = Decimal(rng.randint(20, 60) if local else rng.randint(0, 25)) / 100
            supplier_share = Decimal(rng.randint(5, 35) if local else rng.randint(0, 15)) / 100
            supplier["response"] = {
                "local_staff_share": str(staff_share),
                "local_supplier_share": str(supplier_share),
                "source": rng.choice(["survey"] * 5 + ["phone", "paper"]),
            }
        suppliers.append(supplier)
    # Real-world untidiness: a sole trader who gave no postcode but is known to be local, and a
    # supplier whose postcode has a typo, placed by its sector's centre (and reported as such).
    suppliers[7]["postcode"] = None
    suppliers[7]["local"] = True
    known = {pc for lad in pcs.values() for pc in lad}
    typo = suppliers[11]["postcode"][:-2] + "ZZ"
    assert typo not in known
    suppliers[11]["postcode"] = typo
    project = {
        "name": "Calder Valley Community Trust: turnover 2025/26",
        "period": "2025-04-01 to 2026-03-31",
        "area": {"lad": [CALDERDALE]},
        "staff": staff,
        "suppliers": suppliers,
        "other_costs": [
            {"label": "Business rates", "spend": "6200.00", "local": True},
            {"label": "Electricity and gas", "spend": "14350.00", "local": False},
            {"label": "Water", "spend": "2100.00", "local": False},
            {"label": "Phones and internet", "spend": "3890.00", "local": False},
            {"label": "Bank and finance charges", "spend": "1240.00", "local": False},
            {"label": "Credit union loan interest", "spend": "860.00", "local": True},
        ],
        "proxies": {},
    }
    OUT.write_text(json.dumps(project, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(Path.cwd())}: {len(staff)} staff, {len(suppliers)} suppliers")


if __name__ == "__main__":
    main()
