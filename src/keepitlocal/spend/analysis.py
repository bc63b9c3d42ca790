"""The figures, as Ibis expressions, so the same code runs on DuckDB here and on Spark at scale.

Input is what the used ledger lines sum to (see `summary.py`): per supplier, and per supplier
and each breakdown's name (department, service, expense type, period), with the suppliers, one
row each with tier, sector, size and whether it is local (see `engine.py`). Every sum is over
integer pence; shares are made from those integers afterwards in Decimal, so no total ever
comes from a float.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def figures(per: ir.Table, breakdowns: Mapping[str, ir.Table], s: ir.Table,
            top: int = 10) -> Figures:
    """Compute every figure from the used spend and lines per supplier `per` (sid, spend,
    lines), per supplier and name of each breakdown (`breakdowns[column]`, for each of
    GROUP_COLUMNS: sid, the column, spend, lines, and the supplier's `local` and `leaves`,
    see `supplier_facts`) and the suppliers `s` (one row per `sid`, see `engine.placed_sql`).
    The supplier's columns are joined to those sums, never carried on every line."""
    # every used line's supplier has its row; summed once, read by four figure families
    with per.join(s, "sid").cache() as ps:
        return _figures(breakdowns, s, ps, top)


def _by_place(t: ir.Table, columns: list[str]) -> pd.DataFrame:
    """The spend and lines of `t` by `columns` and by whether the supplier is local or leaves:
    one pass, from which each figure of those columns is added up (integers, in pandas)."""
    return t.group_by([*columns, "local", "leaves"]).aggregate(
        spend=t.spend.sum(), lines=t.lines.sum()).to_pandas()


def _group_rows(frame: pd.DataFrame, column: str) -> list[dict[str, Any]]:
    frame = frame.assign(local_spend=frame.spend.where(frame.local, 0),
                         leaked=frame.spend.where(frame.leaves, 0))
    summed = frame.groupby(column, dropna=False)[["spend", "local_spend", "leaked", "lines"]]
    rows = _records(summed.sum().reset_index().rename(columns={column: "name"}))
    for r in rows:
        for key in ("spend", "local_spend", "leaked", "lines"):
            r[key] = _int(r[key])
    return rows


def _figures(breakdowns: Mapping[str, ir.Table], s: ir.Table, ps: ir.Table,
             top: int) -> Figures:
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

    # One pass per table: the period's table gives its month, quarter and year.
    passes: dict[int, tuple[ir.Table, list[str]]] = {}
    for column in GROUP_COLUMNS:
        table = breakdowns[column]
        passes.setdefault(id(table), (table, []))[1].append(column)
    frames = {}
    for table, columns in passes.values():
        frame = _by_place(table, columns)
        frames.update(dict.fromkeys(columns, frame))
    groups: dict[str, list[dict[str, Any]]] = {}
    for column in GROUP_COLUMNS:
        rows = _group_rows(frames[column], column)
        if column in ("month", "quarter", "year"):
            rows.sort(key=lambda r: (r["name"] == "undated", r["name"]))
        else:
            rows.sort(key=lambda r: (-r["spend"], str(r["name"])))
        groups[column] = [{k: r[k] for k in ("name", "spend", "local_spend", "lines")}
                          for r in rows]

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

    # Leakage by expense type: what leaves the area, and how many local suppliers the type
    # already has (counted over local lines only).
    e = breakdowns["expense_type"]
    local_pairs = e.filter(e.local).select("expense_type", "sid").distinct().join(s, "sid")
    local_suppliers = {r["expense_type"]: _int(r["local_suppliers"]) for r in _records(
        local_pairs.group_by("expense_type").aggregate(
            local_suppliers=local_pairs.supplier_ref.nunique()).to_pandas())}
    leakage = []
    for r in _group_rows(frames["expense_type"], "expense_type"):
        count = local_suppliers.get(r["name"], 0)
        if count > 0 and r["leaked"] > 0:
            leakage.append({"expense_type": r["name"], "spend": r["spend"],
                            "local_spend": r["local_spend"], "leaked": r["leaked"],
                            "local_suppliers": count})
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


def supplier_facts(s: ir.Table) -> ir.Table:
    """What each sum carries of its supplier (`s`, one row per `sid`), for the figures summed
    by breakdown: whether it is local and whether its spend leaves the area (`rules`)."""
    return s.select("sid", "sector", local=s.local, leaves=rules.leaves_area(s))


def supplier_facts_sql(con: Any, suppliers: str) -> str:
    """`supplier_facts` of the DuckDB table `suppliers`, as SQL for the engine's queries."""
    return str(ibis.to_sql(supplier_facts(duckdb_table(con, suppliers)), dialect="duckdb"))


def duckdb_table(con: Any, name: str) -> ir.Table:
    """An Ibis table over a table already in our DuckDB connection."""
    return ibis.duckdb.from_connection(con).table(name)


def spark_tables(session: Any, *parquet_paths: str) -> tuple[ir.Table, ...]:
    """Ibis tables over the same sums and suppliers, read by Spark (one connection, so they
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
