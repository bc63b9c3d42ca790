"""The packaged reference tables, loaded with their provenance so every figure can cite them.

Rows come from CSV files in `keepitlocal/reference/enabled/` (read as package data). Each value
keeps its source and status, because most could not be checked against the primary document and
reports must say so.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files

from keepitlocal.enabled.model import Override
from keepitlocal.parameters import parameters

STATUSES = ("VERIFIED", "TRANSCRIBED", "DERIVED", "UNVERIFIED", "CONVENTION", "USER")


@dataclass(frozen=True)
class Source:
    id: str
    short: str
    title: str
    publisher: str
    edition_year: str
    year: str
    licence: str
    url: str
    table_page: str
    status: str
    read_at: str = ""
    note: str = ""


OVERRIDE_SOURCE = Source(
    id="project-override",
    short="project override",
    title="Value entered for this project",
    publisher="the project",
    edition_year="",
    year="",
    licence="",
    url="",
    table_page="overrides in the input file",
    status="USER",
)


@dataclass(frozen=True)
class ReferenceValue:
    """One reference figure with where it came from; `id` is stable, e.g. "density:B1a"."""

    table: str
    key: str
    label: str
    value: Decimal
    unit: str
    source: Source
    status: str
    table_page: str = ""
    year: str = ""
    basis: str | None = None
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.table}:{self.key}" if self.key else self.table

    @property
    def checked(self) -> bool:
        """True only when the value was read in its primary source."""
        return self.status == "VERIFIED"

    @property
    def cite(self) -> str:
        """Short citation for route descriptions, e.g. "HCA" or "project override"."""
        return self.source.short


@dataclass(frozen=True)
class UseClass:
    code: str
    label: str
    aliases: tuple[str, ...]
    assumed_sic: str | None
    note: str = ""


@dataclass(frozen=True)
class Section:
    letter: str
    label: str
    first_division: int
    last_division: int


@dataclass(frozen=True)
class Mapped:
    """A convention linking one kind of activity code to the most similar code of the other kind."""

    code: str
    to: str
    note: str = ""


@dataclass(frozen=True)
class ReferenceSet:
    """Every table the engine reads, keyed as the engine looks them up."""

    sources: Mapping[str, Source]
    densities: Mapping[str, ReferenceValue]
    gva_per_fte: Mapping[str, ReferenceValue]
    fte_factors: Mapping[str, ReferenceValue]
    turnover_ratios: Mapping[str, ReferenceValue]
    full_time_hours: ReferenceValue
    use_classes: Mapping[str, UseClass]
    sections: Mapping[str, Section]
    sic_to_use_class: Mapping[str, Mapped]
    overridden: frozenset[str] = field(default_factory=frozenset)

    def with_overrides(self, overrides: Iterable[Override]) -> ReferenceSet:
        """A copy in which each project override replaces (or adds) the value it names."""
        densities = dict(self.densities)
        gva = dict(self.gva_per_fte)
        factors = dict(self.fte_factors)
        ratios = dict(self.turnover_ratios)
        hours = self.full_time_hours
        ids: set[str] = set()
        for item in overrides:
            if item.table == "density":
                base = densities.get(item.code)
                use_class = self.use_classes.get(item.code)
                label = base.label if base else (use_class.label if use_class else item.code)
                densities[item.code] = _user("density", item, label, "m² per FTE", base)
            elif item.table == "gva_per_fte":
                base = gva.get(item.code)
                section = self.sections.get(item.code)
                label = base.label if base else (section.label if section else f"SIC {item.code}")
                gva[item.code] = _user("gva_per_fte", item, label, "£ per FTE a year", base)
            elif item.table == "fte_factor":
                base = factors.get(item.code)
                section = self.sections.get(item.code)
                label = base.label if base else (section.label if section else f"SIC {item.code}")
                factors[item.code] = _user("fte_factor", item, label, "FTE per job", base)
            elif item.table == "gva_turnover_ratio":
                base = ratios.get(item.code)
                label = base.label if base else f"SIC {item.code}"
                ratios[item.code] = _user("gva_turnover_ratio", item, label, "GVA ÷ turnover", base)
            elif item.table == "full_time_hours":
                hours = _user("full_time_hours", item, hours.label, hours.unit, hours)
            else:  # validation rejects other tables before this point
                continue
            ids.add(f"{item.table}:{item.code}" if item.code else item.table)
        return replace(
            self,
            densities=densities,
            gva_per_fte=gva,
            fte_factors=factors,
            turnover_ratios=ratios,
            full_time_hours=hours,
            overridden=frozenset(ids),
        )


def _user(
    table: str, item: Override, label: str, unit: str, base: ReferenceValue | None
) -> ReferenceValue:
    replaced = f"replaces {base.value} ({base.cite}, {base.status})" if base else ""
    note = "; ".join(part for part in (item.note, replaced) if part)
    return ReferenceValue(
        table=table,
        key=item.code,
        label=label,
        value=item.value,
        unit=unit,
        source=OVERRIDE_SOURCE,
        status="USER",
        table_page=OVERRIDE_SOURCE.table_page,
        basis=base.basis if base else None,
        note=note,
    )


def _rows(name: str) -> list[dict[str, str]]:
    text = files("keepitlocal.reference").joinpath("enabled", name).read_text(encoding="utf-8")
    return [
        {key: (value or "").strip() for key, value in row.items()}
        for row in csv.DictReader(io.StringIO(text))
    ]


@lru_cache(maxsize=1)
def load_reference() -> ReferenceSet:
    """The packaged tables; cached because they never change while the program runs."""
    sources = {row["id"]: Source(**row) for row in _rows("sources.csv")}
    sections = {
        row["section"]: Section(
            row["section"], row["label"], int(row["first_division"]), int(row["last_division"])
        )
        for row in _rows("sic_sections.csv")
    }
    use_classes = {
        row["use_class"]: UseClass(
            code=row["use_class"],
            label=row["label"],
            aliases=tuple(a for a in row["aliases"].split("|") if a),
            assumed_sic=row["assumed_sic"] or None,
            note=row["note"],
        )
        for row in _rows("use_classes.csv")
    }
    densities = {
        row["use_class"]: ReferenceValue(
            table="density",
            key=row["use_class"],
            label=row["label"],
            value=Decimal(row["m2_per_fte"]),
            unit=f"m² {row['area_basis']} per FTE",
            source=sources[row["source_id"]],
            status=row["status"],
            table_page=row["table_page"] or sources[row["source_id"]].table_page,
            year=sources[row["source_id"]].year,
            basis=row["area_basis"],
            note=row["note"],
        )
        for row in _rows("densities.csv")
    }
    gva_per_fte: dict[str, ReferenceValue] = {}
    fte_factors: dict[str, ReferenceValue] = {}
    for row in _rows("gva_per_fte.csv"):
        source = sources[row["source_id"]]
        gva_per_fte[row["section"]] = ReferenceValue(
            table="gva_per_fte",
            key=row["section"],
            label=sections[row["section"]].label,
            value=Decimal(row["gva_per_fte"]),
            unit="£ per FTE a year",
            source=source,
            status=row["status"],
            table_page=row["table_page"] or source.table_page,
            year=row["year"],
            note=f"£{row['gva_per_job']} per job ÷ FTE factor {row['fte_factor']}. {row['note']}",
        )
        fte_factors[row["section"]] = ReferenceValue(
            table="fte_factor",
            key=row["section"],
            label=sections[row["section"]].label,
            value=Decimal(row["fte_factor"]),
            unit="FTE per job",
            source=source,
            status=row["status"],
            table_page=row["table_page"] or source.table_page,
            year=row["year"],
            note=(
                f"Full-time share {row['full_time_share']} of BRES 2022 employment; part-time "
                "jobs counted as 0.5 FTE (a convention, not an ONS statistic)."
            ),
        )
    turnover_ratios = {
        row["sic"]: ReferenceValue(
            table="gva_turnover_ratio",
            key=row["sic"],
            label=row["label"],
            value=Decimal(row["ratio"]),
            unit="aGVA ÷ turnover",
            source=sources[row["source_id"]],
            status=row["status"],
            table_page=row["table_page"],
            year=row["year"],
            note=(
                f"£{row['agva_million']}m aGVA ÷ £{row['turnover_million']}m turnover. "
                f"{row['note']}"
            ),
        )
        for row in _rows("gva_turnover_ratio.csv")
    }
    hours = parameters("enabled")["full_time_hours"]
    full_time_hours = ReferenceValue(
        table="full_time_hours",
        key="",
        label=hours.extra["label"],
        value=hours.default,
        unit=hours.unit,
        source=sources[hours.extra["source_id"]],
        status=hours.extra["status"],
        table_page=sources[hours.extra["source_id"]].table_page,
        note=hours.help,
    )
    sic_to_use_class = {
        row["sic"]: Mapped(row["sic"], row["use_class"], row["note"])
        for row in _rows("sic_to_use_class.csv")
    }
    return ReferenceSet(
        sources=sources,
        densities=densities,
        gva_per_fte=gva_per_fte,
        fte_factors=fte_factors,
        turnover_ratios=turnover_ratios,
        full_time_hours=full_time_hours,
        use_classes=use_classes,
        sections=sections,
        sic_to_use_class=sic_to_use_class,
    )


@lru_cache(maxsize=1)
def use_classes_2020() -> list[tuple[str, str, str]]:
    """The use classes tenants name since September 2020, as (code, label, pre-2020 use class
    whose density applies), from `use_classes_2020.csv` (see the README for the mapping)."""
    return [(row["code"], row["label"], row["use_class"]) for row in _rows("use_classes_2020.csv")]


@lru_cache(maxsize=1)
def _status_words() -> dict[str, str]:
    return {row["status"]: row["words"] for row in _rows("status_words.csv")}


def status_in_words(status: str, source: str | None = None) -> str:
    """A reference value's status as people read it ("worked out from the ONS figures"), from
    `status_words.csv`, with the source's short name; the code itself if the table has none."""
    words = _status_words().get(status, status)
    return words.format(source=source or "published")
