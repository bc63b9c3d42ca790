"""The figures, as Ibis expressions, so the same code runs on DuckDB here and on Spark at scale.

Input is the used ledger lines, each with its supplier's number and whether it is local, and
the suppliers, one row each with tier, sector and size (see `engine.py`). Every sum is over
integer pence; shares are made from those integers afterwards in Decimal, so no total ever
comes from a float.
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


def figures(t: ir.Table, s: ir.Table, top: int = 10) -> Figures:
    """Compute every figure from the used lines `t` (each with its supplier's number `sid` and
    whether that supplier is local) and the suppliers `s` (one row per `sid`, see
    `engine.placed_sql`). Figures of suppliers are summed by `sid` first and the supplier's
    columns joined to those few rows, never carried on every line."""
    per = t.group_by("sid").aggregate(spend=t.amount_pence.sum(), lines=t.count())
    # every used line's supplier has its row; summed once, read by four figure families
    with per.join(s, "sid").cache() as ps:
        return _figures(t, s, ps, top)


def _figures(t: ir.Table, s: ir.Table, ps: ir.Table, top: int) -> Figures:
    totals = ps.aggregate(
        total=ps.spend.sum(),
        vcse=ps.spend.sum(where=rules.vcse(ps)),
        local_vcse=ps.spend.sum(where=rules.vcse(ps) & ps.local),
        sme=ps.spend.sum(where=rules.sme(ps)),
        sme_unknown=ps.spend.sum(where=rules.size_unknown(ps)),
        leaves_area=ps.spend.sum(where=rules.leaves_area(ps)),
    ).to_pandas().iloc[0]

    by_category = ps.group_by(["category", "tier"]).aggregate(
        spend=ps.spend.sum(), lines=ps.lines.sum(), suppliers=ps.supplier_ref.nunique(),
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

    suppliers = ps.group_by(["supplier_ref", "supplier_name", "category", "tier", "postcode",
                             "vcse", "sme", "local"]).aggregate(
        spend=ps.spend.sum(), lines=ps.lines.sum())
    ranked = []
    for condition in (suppliers.local, rules.leaves_area(suppliers)):
        frame = suppliers.filter(condition).order_by(
            [ibis.desc("spend"), "supplier_name", "supplier_ref"]).limit(top).to_pandas()
        rows = _records(frame)
        for r in rows:
            r["spend"], r["lines"] = _int(r["spend"]), _int(r["lines"])
        ranked.append(rows)

    # Leakage by expense type: what leaves the area, line by line, and how many local
    # suppliers the type already has (counted over local lines only).
    local_pairs = t.filter(t.local).select("expense_type", "sid").distinct().join(s, "sid")
    local_suppliers = local_pairs.group_by("expense_type").aggregate(
        local_suppliers=local_pairs.supplier_ref.nunique()).to_pandas()
    leakage_frame = t.group_by("expense_type").aggregate(
        spend=t.amount_pence.sum(), local_spend=_local_pence(t),
        leaked=t.amount_pence.sum(where=t.leaves),
    ).to_pandas().merge(local_suppliers, on="expense_type", how="left")
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


def line_facts(s: ir.Table) -> ir.Table:
    """What each line carries of its supplier (`s`, one row per `sid`), for the figures summed
    line by line: whether it is local and whether its spend leaves the area (`rules`)."""
    return s.select("sid", "sector", local=s.local, leaves=rules.leaves_area(s))


def line_facts_sql(con: Any, suppliers: str) -> str:
    """`line_facts` of the DuckDB table `suppliers`, as SQL for the engine's line query."""
    return str(ibis.to_sql(line_facts(duckdb_table(con, suppliers)), dialect="duckdb"))


def duckdb_table(con: Any, name: str) -> ir.Table:
    """An Ibis table over a table already in our DuckDB connection."""
    return ibis.duckdb.from_connection(con).table(name)


def spark_tables(session: Any, *parquet_paths: str) -> tuple[ir.Table, ...]:
    """Ibis tables over the same lines and suppliers, read by Spark (one connection, so they
    join) from the Parquet files DuckDB wrote."""
    con = ibis.pyspark.connect(session)
    return tuple(con.read_parquet(path) for path in parquet_paths)


def local_spark_session() -> Any:
    """A small local SparkSession for `--backend pyspark` when the caller brings none."""
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master("local[2]").appName("keepitlocal-spend")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())
