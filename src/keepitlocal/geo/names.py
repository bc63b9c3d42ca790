"""Names of local authority districts (LADs), for showing codes to people and for choosing
areas by name in a form.

The tables are `reference/lad_names.csv`, covering every LAD code in the postcode data, and
`reference/lad_successors.csv`, the districts retired since 2018 with the codes that replaced them
(see the `.md` beside each for sources and licence).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources


@functools.cache
def lad_names() -> dict[str, str]:
    """Every LAD code with its name, in code order."""
    return {row["code"]: row["name"] for row in _read_reference("lad_names.csv")}


@dataclass(frozen=True)
class FormerLad:
    """A district retired since 2018 (`code`, `name`) and the current LAD that covers it now."""

    code: str
    name: str
    successor: str  # a current LAD code, after following any later change
    year: int  # when the (last) change took effect


def _read_reference(name: str) -> list[dict[str, str]]:
    text = resources.files("keepitlocal").joinpath(f"reference/{name}").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@functools.cache
def former_lads() -> dict[str, FormerLad]:
    """Every retired LAD code with the current LAD that replaced it, following chains
    (Taunton Deane -> Somerset West and Taunton -> Somerset)."""
    rows = {row["former_code"]: row for row in _read_reference("lad_successors.csv")}
    former = {}
    for code, row in rows.items():
        successor, year = row["successor_code"], int(row["year"])
        while successor in rows:
            year = int(rows[successor]["year"])
            successor = rows[successor]["successor_code"]
        former[code] = FormerLad(code, row["former_name"], successor, year)
    return former


def lad_name(code: str) -> str | None:
    """The name of a LAD code ("E08000033" -> "Calderdale"), or None if it is not a current LAD."""
    return lad_names().get(code.strip().upper()) if isinstance(code, str) else None


def fold_name(text: str) -> str:
    """A place name folded for matching: lower case, "&" as "and", punctuation dropped, so
    "kingston-upon-hull" finds "Kingston upon Hull, City of". Other engines (the asset map)
    match area names with it so every match agrees with the council picker."""
    text = text.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


@functools.cache
def _folded() -> tuple[tuple[str, str, str], ...]:
    return tuple((code, name, fold_name(name)) for code, name in lad_names().items())


def find_lads(query: str) -> list[tuple[str, str]]:
    """LADs whose name (or code) matches `query`, best first: whole-name matches, then names
    starting with it, then names with a word starting with it, then any other containing it."""
    wanted = fold_name(query)
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


_CODE_SHAPE = re.compile(r"^[A-Z]\d{8}$")


class UnknownLad(ValueError):
    """The text names no council area; the message says so in words a person can act on."""


@dataclass(frozen=True)
class LadChoice:
    """What a person chose: a current LAD, reached directly or through a former district."""

    code: str
    name: str
    former: FormerLad | None = None

    @property
    def note(self) -> str:
        """ "Harrogate became part of North Yorkshire in 2023", or "" for a current district."""
        if self.former is None:
            return ""
        if self.former.name == self.name:
            return f"{self.former.code} was replaced by {self.code} in {self.former.year}"
        return f"{self.former.name} became part of {self.name} in {self.former.year}"


def _choice(code: str) -> LadChoice:
    if code in lad_names():
        return LadChoice(code, lad_names()[code])
    former = former_lads()[code]
    return LadChoice(former.successor, lad_names()[former.successor], former)


@functools.cache
def _former_folded() -> tuple[tuple[str, str], ...]:
    return tuple((fold_name(former.name), code) for code, former in former_lads().items())


def _own_name(code: str) -> str:
    """The name a current or former code goes by itself ("Harrogate", not "North Yorkshire")."""
    return lad_names()[code] if code in lad_names() else former_lads()[code].name


def resolve_lad(text: str) -> LadChoice:
    """The council area meant by `text`: a current or former ONS code, or a current or former
    district name (whole, or the first three or more letters of exactly one name). Raises
    UnknownLad otherwise, never guesses between several."""
    code = text.strip().upper()
    if code in lad_names() or code in former_lads():
        return _choice(code)
    labelled = _labels().get(fold_name(text))
    if labelled:
        return _choice(labelled)
    if _CODE_SHAPE.match(code):
        raise UnknownLad(
            f"{code} is not a council area code we know: type the council area's name instead, "
            "like Calderdale"
        )
    wanted = fold_name(text)
    current = [(c, n) for c, n, folded in _folded() if folded == wanted]
    former = [c for folded, c in _former_folded() if folded == wanted]
    if current or former:
        return _choice(current[0][0] if current else former[0])
    starts = [c for c, _, folded in _folded() if folded.startswith(wanted)]
    starts += [c for folded, c in _former_folded() if folded.startswith(wanted)]
    if len(starts) == 1 and len(wanted) >= 3:
        return _choice(starts[0])
    if starts:
        names = ", ".join(_own_name(c) for c in starts[:4])
        raise UnknownLad(
            f"More than one council area starts with “{text.strip()}” ({names}"
            f"{', …' if len(starts) > 4 else ''}): type the council area's full name"
        )
    raise UnknownLad(
        f"No council area is called “{text.strip()}”: check the spelling of the council area, "
        "or type its ONS code, like E08000033"
    )


@functools.cache
def lad_options() -> list[tuple[str, str]]:
    """Every council area a person can choose, as (code, label) in name order: the current ones
    ("Calderdale (E08000033)") and the former districts pointing to their successor
    ("Harrogate (now North Yorkshire)")."""
    options = [(code, f"{name} ({code})") for code, name in lad_names().items()]
    options += [
        (code, f"{former.name} (now {lad_names()[former.successor]})")
        for code, former in former_lads().items()
        if former.name != lad_names()[former.successor]
    ]
    return sorted(options, key=lambda option: fold_name(option[1]))


@functools.cache
def _labels() -> dict[str, str]:
    return {fold_name(label): value for value, label in lad_options()}
