"""Names of local authority districts (LADs), for showing codes to people and for choosing
areas by name in a form.

The table is `reference/lad_names.csv` (see `lad_names.md` for its sources and licence), covering
every LAD code in the postcode data.
"""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources

# Codes retired since 2019 with the codes that replaced them, so that an old code in a project
# file gets a helpful message instead of silently matching nothing.
SUCCESSORS: dict[str, tuple[str, ...]] = {
    "E08000016": ("E08000038",),  # Barnsley, recoded for LAD 2025
    "E08000019": ("E08000039",),  # Sheffield, recoded for LAD 2025
    # Cumbria, 2023
    "E07000026": ("E06000063",),
    "E07000028": ("E06000063",),
    "E07000029": ("E06000063",),
    "E07000027": ("E06000064",),
    "E07000030": ("E06000064",),
    "E07000031": ("E06000064",),
    # North Yorkshire, 2023
    **{f"E07000{n}": ("E06000065",) for n in range(163, 170)},
    # Somerset, 2023
    **{f"E07000{n}": ("E06000066",) for n in (187, 188, 189, 246)},
    # Northamptonshire, 2021
    **{f"E07000{n}": ("E06000061",) for n in (150, 152, 153, 156)},
    **{f"E07000{n}": ("E06000062",) for n in (151, 154, 155)},
    # Buckinghamshire, 2020
    **{f"E0700000{n}": ("E06000060",) for n in (4, 5, 6, 7)},
}


@functools.cache
def lad_names() -> dict[str, str]:
    """Every LAD code with its name, in code order."""
    text = resources.files("keepitlocal").joinpath("reference/lad_names.csv").read_text("utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines())}


def lad_name(code: str) -> str | None:
    """The name of a LAD code ("E08000033" -> "Calderdale"), or None if it is not a current LAD."""
    return lad_names().get(code.strip().upper()) if isinstance(code, str) else None


def _fold(text: str) -> str:
    """Lower case, "&" as "and", punctuation dropped: so "kingston-upon-hull" finds
    "Kingston upon Hull, City of"."""
    text = text.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


@functools.cache
def _folded() -> tuple[tuple[str, str, str], ...]:
    return tuple((code, name, _fold(name)) for code, name in lad_names().items())


def find_lads(query: str) -> list[tuple[str, str]]:
    """LADs whose name (or code) matches `query`, best first: whole-name matches, then names
    starting with it, then names with a word starting with it, then any other containing it."""
    wanted = _fold(query)
    if not wanted:
        return []
    code = query.strip().upper()
    if code in lad_names():
        return [(code, lad_names()[code])]
    ranked = []
    for code, name, folded in _folded():
        if folded == wanted:
            rank = 0
        elif folded.startswith(wanted):
            rank = 1
        elif f" {wanted}" in f" {folded}":
            rank = 2
        elif wanted in folded:
            rank = 3
        else:
            continue
        ranked.append((rank, name, code))
    return [(code, name) for _, name, code in sorted(ranked)]
