"""Reading asset maps for the pages: through the organisation, filtered, and linked to what the
same organisation's local spend analysis says each organisation was paid."""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from keepitlocal.web.assetmap.models import AssetMap, BuildRun, SourceFile
from keepitlocal.web.core.maps import outlines

VIEW_CHOICES = (("office", "Registered office in the area"),
                ("operation", "Works in the area (area of operation)"))


def map_list(org: Any) -> QuerySet[AssetMap]:
    return AssetMap.objects.for_org(org).prefetch_related("runs", "files")


def map_get(org: Any, pk: int) -> AssetMap:
    return AssetMap.objects.for_org(org).get_or_404(pk=pk)


def file_get(asset_map: AssetMap, pk: int) -> SourceFile:
    return SourceFile.objects.for_org(asset_map.organisation).filter(
        asset_map=asset_map).get_or_404(pk=pk)


def run_get(asset_map: AssetMap, pk: int) -> BuildRun:
    return BuildRun.objects.for_org(asset_map.organisation).filter(
        asset_map=asset_map).get_or_404(pk=pk)


@dataclass(frozen=True)
class Filters:
    view: str = "office"
    band: str = ""
    activity: str = ""
    decile: str = ""

    def matches(self, row: dict[str, Any]) -> bool:
        if not row["registered_office_in_area" if self.view == "office" else "works_in_area"]:
            return False
        if not row["active"]:
            return False
        if self.band and row["band"] != self.band:
            return False
        if self.activity and self.activity not in row["activities"]:
            return False
        return not self.decile or str(row["imd2025_decile"] or "") == self.decile


def clean_filters(params: Any, document: dict[str, Any]) -> Filters:
    """The filters a URL may carry, each checked against what the map holds (else ignored)."""
    view = params.get("view", "office")
    if view not in dict(VIEW_CHOICES):
        view = "office"
    summary = document.get("views", {}).get(view, {})
    bands = {b["group"] for b in summary.get("by_band", [])}
    activities = {a["group"] for a in summary.get("by_activity", [])}
    band = params.get("band", "")
    activity = params.get("activity", "")
    decile = params.get("decile", "")
    return Filters(view=view, band=band if band in bands else "",
                   activity=activity if activity in activities else "",
                   decile=decile if decile in {str(d) for d in range(1, 11)} else "")


def organisations(document: dict[str, Any], filters: Filters) -> list[dict[str, Any]]:
    return [row for row in document.get("organisations", []) if filters.matches(row)]


def organisation(document: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((r for r in document.get("organisations", []) if r["key"] == key), None)


def map_points(rows: list[dict[str, Any]], url_of: Any) -> list[dict[str, Any]]:
    """What the map script draws: one point per placed organisation."""
    return [{"key": r["key"], "name": r["name"], "lat": r["lat"], "lon": r["lon"],
             "income": float(Decimal(str(r["income"]))) if r["income"] is not None else None,
             "band": r["band"], "decile": r["imd2025_decile"], "url": url_of(r["key"])}
            for r in rows if r["lat"] is not None and r["lon"] is not None]


# ---- council spend ---------------------------------------------------------------------------


# District fills by share of neighbourhoods among England's most deprived (lightest first).
SHADES = ((Decimal("0.1"), "#f2f0f7"), (Decimal("0.2"), "#cbc9e2"), (Decimal("0.3"), "#9e9ac8"),
          (Decimal("0.4"), "#756bb1"), (None, "#54278f"))


def shade_of(share: Decimal | None) -> str | None:
    """The fill of a district with this share (None: not shaded, outside England)."""
    if share is None:
        return None
    return next(colour for upper, colour in SHADES if upper is None or share < upper)


def shade_legend() -> list[dict[str, Any]]:
    """The legend's rows: each fill and the shares it stands for."""
    rows, lower = [], Decimal(0)
    for upper, colour in SHADES:
        rows.append({"fill": colour, "lower": lower, "upper": upper})
        lower = upper or lower
    return rows


def shaded_outlines(document: dict[str, Any]) -> dict[str, Any]:
    """The map's district outlines, each filled by its deprivation share (core/map.js)."""
    shading = {}
    for district in document.get("districts", []):
        share = district["share"]
        fill = shade_of(Decimal(str(share)) if share is not None else None)
        if fill:
            shading[district["lad"]] = {"fill": fill}
    return outlines(document.get("lads", []), shading)


@dataclass(frozen=True)
class Received:
    analysis: str
    amount: Decimal
    payments: int
    through: str  # which link found it: an identifier, or the spend analysis's name match


def _register_numbers(register_row: Any) -> dict[str, list[str]]:
    """Council register id -> the org-ids its charity and company numbers give."""
    from keepitlocal.spend.register import council_register

    with tempfile.TemporaryDirectory(prefix="keepitlocal-assetmap-") as tmp:
        path = Path(tmp) / Path(register_row.original_name).name
        with register_row.file.open("rb") as source:
            path.write_bytes(source.read())
        frame = council_register(path).frame
    out: dict[str, list[str]] = {}
    for row in frame.itertuples(index=False):
        ids = []
        if row.charity_number:
            ids.append(f"GB-CHC-{row.charity_number}")
        if row.company_number:
            ids.append(f"GB-COH-{row.company_number}")
        out[str(row.id)] = ids
    return out


NAME_KEY = "name:"
SUPPLIER_KEY = "supplier:"


@functools.lru_cache(maxsize=32)
def _spend_by_identifier(run_pk: int, lines_file: str) -> dict[str, tuple[int, int]]:
    """Link key -> (pence paid, payments) over the used lines of one spend run. Keys: the
    org-ids of the matched register entry's charity and company numbers; `supplier:` and the
    matched entry's id (a council directory may use the council's supplier ids); and `name:`
    and the name the spend analysis matched the line to (or the ledger's name, unmatched),
    normalised by the spend matcher."""
    import duckdb

    from keepitlocal.spend.engine import open_lines
    from keepitlocal.spend.matching import normalise_name
    from keepitlocal.web.spend import selectors as spend
    from keepitlocal.web.spend.models import AnalysisRun

    run = AnalysisRun.objects.select_related("analysis").get(pk=run_pk)
    table = spend.line_table(run)
    if table is None:
        return {}
    with duckdb.connect() as con:
        open_lines(con, table)
        grouped = con.execute(
            "SELECT register_id, supplier_name, sum(amount_pence), count(amount_pence) "
            "FROM lines WHERE status = 'used' GROUP BY ALL").fetchall()
    register_row = run.analysis.registers.first()
    numbers = _register_numbers(register_row) if register_row is not None else {}
    out: dict[str, tuple[int, int]] = {}

    def add(key: str, pence: int, count: int) -> None:
        before = out.get(key, (0, 0))
        out[key] = (before[0] + pence, before[1] + count)

    for register_id, name, pence, count in grouped:
        pence, count = int(pence or 0), int(count or 0)
        if name and normalise_name(str(name)):
            add(NAME_KEY + normalise_name(str(name)), pence, count)
        if not register_id:
            continue
        add(SUPPLIER_KEY + str(register_id), pence, count)
        ids = numbers.get(register_id, [])
        if register_id.startswith("CC:"):
            ids = [f"GB-CHC-{register_id[3:]}"]
        elif register_id.startswith("CH:"):
            ids = [f"GB-COH-{register_id[3:]}"]
        for org_id in ids:
            add(org_id, pence, count)
    return out


def council_spend(org: Any) -> dict[str, list[Received]]:
    """Org-id -> what this organisation's spend analyses say it paid (latest run of each)."""
    from keepitlocal.web.spend import selectors as spend
    from keepitlocal.web.spend.models import RunStatus

    found: dict[str, list[Received]] = {}
    for analysis in spend.analysis_list(org):
        run = next((r for r in analysis.runs.all() if r.status == RunStatus.DONE), None)
        if run is None or not run.lines_file:
            continue
        for key, (pence, count) in _spend_by_identifier(run.pk, run.lines_file).items():
            found.setdefault(key, []).append(
                Received(analysis.name, Decimal(pence) / 100, count, _through(key)))
    return found


def _through(key: str) -> str:
    if key.startswith(NAME_KEY):
        return "the spend analysis's name match"
    if key.startswith(SUPPLIER_KEY):
        return "the council's supplier id"
    return {"GB-CHC": "charity number", "GB-COH": "company number"}.get(key[:6], "identifier")


def spend_of(row: dict[str, Any], spend: dict[str, list[Received]]) -> list[Received]:
    """What the council paid an organisation, once per analysis: through any of its charity or
    company numbers, else the council's supplier id its directory entry gives, else the name
    the spend analysis matched its suppliers to (exact, once normalised)."""
    from keepitlocal.spend.matching import normalise_name

    keys = [f"{scheme}-{value}" for scheme, value in row["identifiers"]
            if scheme.startswith("GB-")]
    keys += [SUPPLIER_KEY + value for scheme, value in row["identifiers"]
             if scheme == "council directory" and not value.startswith("row ")]
    if normalise_name(row["name"]):
        keys.append(NAME_KEY + normalise_name(row["name"]))
    seen: dict[str, Received] = {}
    for key in keys:
        for received in spend.get(key, []):
            seen.setdefault(received.analysis, received)
    return list(seen.values())
