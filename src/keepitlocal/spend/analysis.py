"""The figures, as Ibis expressions, so the same code runs on DuckDB here and on Spark at scale.

Input is one table of used ledger lines, already tagged with tier, sector and size (see
`engine.py`). Every sum is over integer pence; shares are made from those integers afterwards in
Decimal, so no total ever comes from a float.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from keepitlocal.spend import rules

GROUP_COLUMNS = ("department", "service", "expense_type", "month", "quarter", "year")


@dataclass
class Figures:
    """Integer-pence results of one run, before they become report dataclasses."""

    total: int
    by_category: list[dict[str, Any]]
    vcse: int
    local_vcse: int
    sme: int
    sme_unknown: int
    leaves_area: int  # placed outside the council area, or abroad
    groups: dict[str, list[dict[str, Any]]]
    top_local: list[dict[str, Any]]
    top_nonlocal: list[dict[str, Any]]
    leakage: list[dict[str, Any]]


def _int(value: Any) -> int:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return 0
    return int(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                clean[key] = None
            elif hasattr(value, "item"):
                clean[key] = value.item()
            else:
                clean[key] = value
        out.append(clean)
    return out


def _local_pence(t: ir.Table) -> ir.IntegerValue:
    return ibis.ifelse(t.local, t.amount_pence, 0).sum()


def figures(t: ir.Table, top: int = 10) -> Figures:
    """Compute every figure from the used lines `t` (one query per figure family)."""
    totals = t.aggregate(
        total=t.amount_pence.sum(),
        vcse=t.amount_pence.sum(where=rules.vcse(t)),
        local_vcse=t.amount_pence.sum(where=rules.vcse(t) & t.local),
        sme=t.amount_pence.sum(where=rules.sme(t)),
        sme_unknown=t.amount_pence.sum(where=rules.size_unknown(t)),
        leaves_area=t.amount_pence.sum(where=rules.leaves_area(t)),
    ).to_pandas().iloc[0]

    by_category = t.group_by(["category", "tier"]).aggregate(
        spend=t.amount_pence.sum(), lines=t.count(), suppliers=t.supplier_ref.nunique(),
    ).to_pandas()

    groups: dict[str, list[dict[str, Any]]] = {}
    for column in GROUP_COLUMNS:
        frame = t.group_by(column).aggregate(
            spend=t.amount_pence.sum(), local_spend=_local_pence(t), lines=t.count(),
        ).rename(name=column).to_pandas()
        rows = _records(frame)
        for r in rows:
            r["spend"], r["local_spend"] = _int(r["spend"]), _int(r["local_spend"])
        if column in ("month", "quarter", "year"):
            rows.sort(key=lambda r: (r["name"] == "undated", r["name"]))
        else:
            rows.sort(key=lambda r: (-r["spend"], str(r["name"])))
        groups[column] = rows

    suppliers = t.group_by(["supplier_ref", "supplier_name", "category", "tier", "postcode",
                            "vcse", "sme", "local"]).aggregate(
        spend=t.amount_pence.sum(), lines=t.count())
    ranked = []
    for condition in (suppliers.local, rules.leaves_area(suppliers)):
        frame = suppliers.filter(condition).order_by(
            [ibis.desc("spend"), "supplier_name", "supplier_ref"]).limit(top).to_pandas()
        rows = _records(frame)
        for r in rows:
            r["spend"] = _int(r["spend"])
        ranked.append(rows)

    placed_away = rules.leaves_area(t)
    leakage_frame = t.group_by("expense_type").aggregate(
        spend=t.amount_pence.sum(),
        local_spend=_local_pence(t),
        leaked=t.amount_pence.sum(where=placed_away),
        local_suppliers=t.supplier_ref.nunique(where=t.local),
    ).to_pandas()
    leakage = [r for r in _records(leakage_frame) if _int(r["local_suppliers"]) > 0
               and _int(r["leaked"]) > 0]
    for r in leakage:
        for key in ("spend", "local_spend", "leaked", "local_suppliers"):
            r[key] = _int(r[key])
    leakage.sort(key=lambda r: (-r["leaked"], str(r["expense_type"])))

    categories = _records(by_category)
    for r in categories:
        r["spend"], r["lines"], r["suppliers"] = (_int(r["spend"]), _int(r["lines"]),
                                                  _int(r["suppliers"]))
        r["tier"] = None if r["tier"] is None else int(r["tier"])
    return Figures(
        total=_int(totals["total"]), by_category=categories, vcse=_int(totals["vcse"]),
        local_vcse=_int(totals["local_vcse"]), sme=_int(totals["sme"]),
        sme_unknown=_int(totals["sme_unknown"]), leaves_area=_int(totals["leaves_area"]),
        groups=groups, top_local=ranked[0],
        top_nonlocal=ranked[1], leakage=leakage,
    )


def duckdb_table(con: Any, name: str) -> ir.Table:
    """An Ibis table over a table already in our DuckDB connection."""
    return ibis.duckdb.from_connection(con).table(name)


def spark_table(session: Any, parquet_path: str) -> ir.Table:
    """An Ibis table over the same lines, read by Spark from the Parquet file DuckDB wrote."""
    con = ibis.pyspark.connect(session)
    return con.read_parquet(parquet_path)


def local_spark_session() -> Any:
    """A small local SparkSession for `--backend pyspark` when the caller brings none."""
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master("local[2]").appName("keepitlocal-spend")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())
