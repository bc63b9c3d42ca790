"""`analyse`: the one entry point the CLI and the web app call.

The pipeline: read every ledger into DuckDB as text; detect or apply the column mapping; parse
amounts and dates; flag unusable lines and lines repeated across files; match each distinct
supplier to the register; place it in a tier; sum the lines per supplier and breakdown
(`summary.py`); apply the exclusion rules to those sums; then compute the figures with Ibis on
the chosen backend. Every line read ends in exactly one status (used, excluded, duplicate,
unusable), and the line table, with each line's status by the same rules, is kept for
drill-down.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb

from keepitlocal.errors import InputError, Problem
from keepitlocal.lm3.parameters import PARAMETERS as lm3_parameters
from keepitlocal.spend import (
    analysis,
    columns,
    districts,
    exclusions,
    ingest,
    io,
    sql,
    summary,
)
from keepitlocal.spend import suppliers as supplier_mod
from keepitlocal.spend import tiers as tiers_mod
from keepitlocal.spend.model import (
    DUPLICATE,
    EXCLUDED,
    OUTSIDE_UK,
    REDACTED,
    UNKNOWN,
    UNUSABLE,
    USED,
    ColumnMapping,
    GroupFigure,
    LeakageFigure,
    LineCounts,
    Progress,
    ShiftEstimate,
    SpendOptions,
    SpendResult,
    SupplierFigure,
    Target,
    TierFigure,
    pence_to_pounds,
    share,
)

MAX_LISTED_PROBLEMS = 200
BACKENDS = ("duckdb", "pyspark")


def _mapping(options: SpendOptions) -> ColumnMapping | None:
    if options.mapping is None or isinstance(options.mapping, ColumnMapping):
        return options.mapping
    path = Path(options.mapping)
    return columns.mapping_from_dict(io.read_json(path, "column mapping"), path.name)


def _decisions(options: SpendOptions) -> dict[str, str]:
    if options.decisions is None:
        return {}
    if isinstance(options.decisions, dict):
        return dict(options.decisions)
    return io.read_decisions(Path(options.decisions))


def _rules(options: SpendOptions) -> exclusions.RuleSet:
    path = Path(options.exclusions) if options.exclusions else exclusions.default_path()
    return exclusions.rules_from_dict(io.read_json(path, "exclusions"), path.name)


def _multipliers(options: SpendOptions) -> tuple[Decimal, Decimal, str]:
    """A supplier's £1 is worth 1 + its local re-spend: LM3's supplier re-spend parameters,
    unless the user gives a multipliers file."""
    if not options.multipliers:
        local, nonlocal_ = (lm3_parameters[f"{kind}_supplier_respend"]
                            for kind in ("local", "nonlocal"))
        return (1 + local.default, 1 + nonlocal_.default,
                f"1 + supplier re-spend: {local.source}; {nonlocal_.source}")
    data = io.read_json(Path(options.multipliers), "multipliers")
    try:
        return Decimal(str(data["local"])), Decimal(str(data["nonlocal"])), str(
            data.get("source", ""))
    except (KeyError, ArithmeticError, TypeError):
        raise InputError.one('a multipliers file needs "local" and "nonlocal" numbers',
                             file=str(options.multipliers)) from None


def _tiers(options: SpendOptions, council: str, store: Any) -> tiers_mod.Tiers:
    if isinstance(options.tiers, tiers_mod.Tiers):
        return options.tiers
    if options.tiers is None:
        return tiers_mod.preset(council)
    path = Path(options.tiers)
    return tiers_mod.from_dict(io.read_json(path, "tiers"), council, store, path.name)


def _store(options: SpendOptions) -> Any:
    if options.store is not None:
        return options.store
    from keepitlocal.geo import default_store

    return default_store()


def _file_sql(ingested: ingest.Ingested) -> str:
    """SQL: the name of a line's file, from its `file_index`. The lines carry the index only:
    a name on each of millions of lines would be the largest column of `parsed`."""
    names = ", ".join(sql.literal(f.file) for f in ingested.files)
    return f"[{names}][file_index + 1]"


def _line_sql(con: Any, ingested: ingest.Ingested, rules: exclusions.RuleSet,
              where: str = "TRUE") -> str:
    """Every line of `parsed` that `where` holds for, with its file, its period, whether its
    supplier is local, and its status and reason: by the same rule lookups and supplier rules
    as the sums the figures read (`summary.classify`), so a drill-down adds up to its figure."""
    source = f"(SELECT * FROM parsed WHERE {where})"
    summary.periods(con, source)
    joins, line_rule = exclusions.line_rule_lookup(con, rules, source)
    exclusion = exclusions.exclusion_id_sql(rules, line_rule, "r.srule")
    return f"""
        WITH ruled AS (
            SELECT l.*, d.month, d.quarter, d.year, coalesce(pl.local, false) AS local,
                   {exclusion} AS exclusion
            FROM {source} l {summary.line_joins()}
            LEFT JOIN supplier_rules r ON r.sid = l.sid AND r.rkey = coalesce(x.rkey, 0)
            LEFT JOIN placed pl ON pl.sid = l.sid
            {joins}
        )
        SELECT file_index, {_file_sql(ingested)} AS file, row, pay_date AS date, date_precision,
               amount_pence, sid,
               supplier, supplier_id, transaction_id,
               {", ".join(f"coalesce({f}, '{summary.NOT_GIVEN}') AS {f}"
                          for f in summary.BREAKDOWNS)}, description,
               local, month, quarter, year,
               CASE WHEN unusable_reason IS NOT NULL THEN '{UNUSABLE}'
                    WHEN duplicate THEN '{DUPLICATE}'
                    WHEN exclusion IS NOT NULL THEN '{EXCLUDED}'
                    ELSE '{USED}' END AS status,
               coalesce(unusable_reason,
                        CASE WHEN duplicate THEN '{summary.REPEATS}' END,
                        exclusion) AS reason,
               date AS date_text, amount AS amount_text, date_problem  -- amount: unusable only
        FROM ruled
    """


# Each supplier as the figures see it: a line with no supplier row (only unusable lines) is
# unmatched, of unknown place.
PLACED_COLUMNS = {
    "supplier_ref": "coalesce(s.supplier_ref, 'unmatched')",
    "supplier_name": "coalesce(s.supplier_name, {line}.supplier, '')",
    "category": f"coalesce(s.category, '{UNKNOWN}')", "tier": "s.tier",
    "postcode": "coalesce(s.postcode, '')", "sector": "s.sector",
    "vcse": "coalesce(s.vcse, false)", "sme": "s.sme", "company_type": "s.company_type",
    "match_method": "s.match_method", "register_id": "s.register_id",
}


def placed_sql() -> str:
    """One row per supplier (`sid`) with the columns the figures group and filter by."""
    columns = ", ".join("coalesce(s.supplier_name, '') AS supplier_name" if
                        name == "supplier_name" else f"{sql} AS {name}"
                        for name, sql in PLACED_COLUMNS.items()
                        if name not in ("company_type", "match_method", "register_id"))
    return (f"SELECT s.sid, {columns}, coalesce(s.tier = 1, false) AS local, s.lad "
            "FROM suppliers s")


LINE_TABLE_ORDER = ("file_index", "file", "row", "date", "date_precision", "amount_pence",
                    "supplier", "supplier_id", "transaction_id", "department", "service",
                    "expense_type", "description", *PLACED_COLUMNS, "local", "month",
                    "quarter", "year", "status", "reason", "date_text", "amount_text",
                    "date_problem")


def line_table_sql(lines: str) -> str:
    """The kept line table: each line of the query `lines` (`_line_sql`) with its supplier's
    columns beside it, for drill-down and exports."""
    columns = ", ".join(f"{PLACED_COLUMNS[name].format(line='l')} AS {name}"
                        if name in PLACED_COLUMNS else f"l.{name}" for name in LINE_TABLE_ORDER)
    return f"SELECT {columns} FROM ({lines}) l LEFT JOIN suppliers s ON l.sid = s.sid"


def _keep_lines(con: Any, ingested: ingest.Ingested, rules: exclusions.RuleSet,
                path: Path | None) -> Any:
    """The line table: as a pyarrow.Table, or written to the Parquet file `path` (and that path
    given) as the data engine makes it, a part at a time."""
    lines = line_table_sql(_line_sql(con, ingested, rules))
    if path is None:
        table = con.sql(lines).to_arrow_table()
    else:
        # zstd's lowest level: nearly its smallest file, in about half the time of its default.
        con.execute(f"COPY ({lines}) TO {sql.literal(str(path))} "
                    "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1)")
        table = path
    exclusions.drop_lookup(con, rules)
    return table


def open_lines(con: Any, line_table: Any) -> list[str]:
    """Make the view `lines` of `con` over a line table (a pyarrow.Table, or the Parquet file
    `SpendOptions.lines_file` wrote, read a part at a time, never whole); gives its columns."""
    if isinstance(line_table, (str, Path)):
        con.execute(f"CREATE OR REPLACE VIEW lines AS SELECT * FROM "
                    f"read_parquet({sql.literal(str(line_table))})")
    else:
        con.register("lines", line_table)
    return [row[0] for row in con.execute("DESCRIBE lines").fetchall()]


def _problems(con: Any, ingested: ingest.Ingested, rules: exclusions.RuleSet) -> list[Problem]:
    problems = []
    set_aside = con.execute(f"""
        SELECT reason, sum(lines) FROM summary_set_aside WHERE status = '{UNUSABLE}'
        GROUP BY reason ORDER BY 1
    """).fetchall()
    for reason, count in set_aside:
        problems.append(Problem(f"{count} line(s) not used: {reason}",
                                hint="each is listed below and counted in lines_unusable"))
    rows = con.execute(f"""
        SELECT {_file_sql(ingested)}, row, unusable_reason, amount FROM parsed
        WHERE unusable_reason IS NOT NULL
        ORDER BY file_index, row LIMIT {MAX_LISTED_PROBLEMS}
    """).fetchall()
    for file, row, reason, amount in rows:
        column = ingested.columns_of(file).get("amount") if "amount" in reason else None
        text = reason if amount is None else f"{reason}: {amount!r}"
        problems.append(Problem(text, file=file, row=row, column=column))
    # Lines used although their date was not understood: the few with a date problem only.
    dated_sql = _line_sql(con, ingested, rules, "date_problem IS NOT NULL "
                          "AND unusable_reason IS NULL AND NOT duplicate")
    dated = con.execute(f"""
        SELECT file, row, date_problem, date_text FROM ({dated_sql})
        WHERE status = '{USED}' ORDER BY file_index, row LIMIT {MAX_LISTED_PROBLEMS}
    """).fetchall()
    exclusions.drop_lookup(con, rules)
    for file, row, reason, text in dated:
        detail = f"{reason}: {text!r}" if text else reason
        problems.append(Problem(detail + " (line used; counted as undated)", file=file, row=row,
                                column=ingested.columns_of(file).get("date")))
    return problems


def _groups(rows: list[dict[str, Any]]) -> list[GroupFigure]:
    return [GroupFigure(str(r["name"]), pence_to_pounds(r["spend"]),
                        pence_to_pounds(r["local_spend"]), share(r["local_spend"], r["spend"]),
                        int(r["lines"])) for r in rows]


def _supplier_figures(rows: list[dict[str, Any]]) -> list[SupplierFigure]:
    return [SupplierFigure(r["supplier_name"], pence_to_pounds(r["spend"]), r["category"],
                           r["tier"] if r["tier"] is None else int(r["tier"]),
                           r["postcode"] or None, int(r["lines"]), bool(r["vcse"]),
                           None if r["sme"] is None else r["sme"] == "sme") for r in rows]


def _figures(con: Any, options: SpendOptions, workdir: Path) -> analysis.Figures:
    views = ("used_suppliers", *dict.fromkeys(summary.USED_VIEWS.values()), "placed")
    if options.backend == "duckdb":
        tables = {view: analysis.duckdb_table(con, view) for view in views}
    else:
        paths = [workdir / f"{view}.parquet" for view in views]
        for view, file in zip(views, paths, strict=True):
            con.execute(f"COPY (SELECT * FROM {view}) TO '{file}' (FORMAT PARQUET)")
        session = options.spark or analysis.local_spark_session()
        tables = dict(zip(views, analysis.spark_tables(session, *map(str, paths)), strict=True))
    return analysis.figures(tables["used_suppliers"],
                            {column: tables[view] for column, view in summary.USED_VIEWS.items()},
                            tables["placed"], options.top)


MEMORY_LIMIT = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def _bound_memory(con: Any, limit: str | None, workdir: Path) -> None:
    """Hold the run's data engine to `limit`, spilling what does not fit to the run's own
    temporary folder (removed with it): less memory for a slower run."""
    if limit is None:
        return
    if not MEMORY_LIMIT.fullmatch(limit.strip()):
        raise InputError.one(f"memory limit {limit!r} is not a size", column="memory_limit",
                             hint='give a number and a unit, e.g. "2GB" or "1500MB"')
    spill = workdir / "spill"
    spill.mkdir()
    con.execute(f"SET memory_limit = '{limit.strip()}'")
    con.execute(f"SET temp_directory = {sql.literal(str(spill))}")


def _identify_while_summing(con: Any, ingested: ingest.Ingested, register: Path | None,
                            decisions: dict[str, str], rules: exclusions.RuleSet,
                            options: SpendOptions) -> tuple[supplier_mod.Identified, bool, Any]:
    """Match the ledger's suppliers to the registers (Python, mostly one core) while the lines
    are summed, and the ingest file written if it is new (DuckDB, on a second connection to
    the same database): neither needs the other, and a first run spends most of its time in
    these. Gives what was found, whether the sums were read back, and that second connection:
    it holds the sums' temporary tables, so the rest of the run goes on with it (and closes it).

    A run held to a memory limit does one after the other: matching's memory would otherwise
    come on top of what the data engine is allowed."""
    summing = con.cursor()
    kept = summary.path(options.ingested) if options.ingested else None

    def identify() -> supplier_mod.Identified:
        return supplier_mod.identified(lambda: ingest.supplier_rows(con), register,
                                       decisions, options, ingested.key)

    def save_and_sum() -> bool:
        if options.ingested is not None:
            ingest.save_pending(summing, options.ingested, ingested)
        return summary.prepare(summing, rules, kept, ingested.key)

    try:
        if options.memory_limit is not None:
            found = identify()
            return found, save_and_sum(), summing
        with ThreadPoolExecutor(max_workers=1) as pool:  # leaving it waits for the sums
            sums = pool.submit(save_and_sum)
            found = identify()
        return found, sums.result(), summing
    except BaseException:
        summing.close()
        raise


def analyse(ledgers: Sequence[Path], register: Path | None, council: str,
            options: SpendOptions | None = None) -> SpendResult:
    """Analyse council ledgers against a supplier register; see the module docstring."""
    options = options or SpendOptions()
    if options.backend not in BACKENDS:
        raise InputError.one(f"unknown backend {options.backend!r}", column="backend",
                             hint="use duckdb or pyspark")
    store = _store(options)
    tiers = _tiers(options, council, store)
    mapping = _mapping(options)
    decisions = _decisions(options)
    rules = _rules(options)
    local_m, nonlocal_m, m_source = _multipliers(options)
    with tempfile.TemporaryDirectory(prefix="keepitlocal-spend-") as tmp:
        workdir = Path(tmp)
        con = db = duckdb.connect()
        try:
            _bound_memory(con, options.memory_limit, workdir)
            exclusions.check_patterns(con, rules)
            ingested = ingest.prepare(con, ledgers, mapping, workdir, rules.redacted,
                                      options.skip_unreadable, options.progress,
                                      options.ingested)
            found, reused, con = _identify_while_summing(con, ingested, register, decisions,
                                                         rules, options)
            matched, match_problems = found.summary, found.problems
            con.register("suppliers_arrow", supplier_mod.place(found.table, tiers, store))
            con.execute("CREATE TABLE suppliers AS SELECT * FROM suppliers_arrow")
            con.execute(f"CREATE TABLE placed AS {placed_sql()}")
            summary.classify(con, rules)
            problems = _problems(con, ingested, rules) + match_problems
            if options.strict and any(p.row is not None for p in problems):
                raise InputError([p for p in problems if p.row is not None])
            if options.progress is not None:
                options.progress(Progress("figures", 0, 1))
            figures = _figures(con, options, workdir)
            if options.progress is not None:
                options.progress(Progress("figures", 1, 1))
            by_district = districts.by_district(con, tiers.council)
            status, sums = {}, {}
            for kind, lines, spend in con.execute(f"""
                SELECT CASE WHEN exclusion IS NULL THEN '{USED}' ELSE '{EXCLUDED}' END,
                       sum(lines), sum(spend) FROM classified_total GROUP BY 1
                UNION ALL
                SELECT status, sum(lines), sum(spend) FROM summary_set_aside GROUP BY 1
            """).fetchall():
                status[kind], sums[kind] = int(lines), int(spend or 0)
            excluded_by_rule = dict(con.execute(
                "SELECT exclusion, sum(spend) FROM classified_total WHERE exclusion IS NOT NULL "
                "GROUP BY 1 ORDER BY 2 DESC, 1").fetchall())
            credit, undated, credit_count = con.execute(
                "SELECT coalesce(sum(credit), 0), coalesce(sum(undated), 0), "
                "coalesce(sum(credits), 0) FROM used_suppliers").fetchall()[0]
            line_table = None
            if options.keep_lines:
                line_table = _keep_lines(con, ingested, rules, options.lines_file)
            summary.release(con, reused)
            ingest.release(con, ingested)
        finally:
            con.close()
            db.close()
    total = figures.total
    counts = LineCounts(
        read=ingested.lines_read, used=status.get(USED, 0),
        excluded=status.get(EXCLUDED, 0), duplicate=status.get(DUPLICATE, 0),
        unusable=status.get(UNUSABLE, 0), credit_notes=int(credit_count), undated=int(undated),
        redacted=sum(r["lines"] for r in figures.by_category if r["category"] == REDACTED))
    spend_of = {(r["category"], r["tier"]): r for r in figures.by_category}
    tier_figures, cumulative = [], 0
    for tier in tiers.tiers:
        row = next((r for (c, n), r in spend_of.items() if n == tier.number), None)
        spend = row["spend"] if row else 0
        cumulative += spend
        tier_figures.append(TierFigure(
            tier.number, tier.name, pence_to_pounds(spend), share(spend, total),
            share(cumulative, total), row["lines"] if row else 0,
            row["suppliers"] if row else 0, tier.describe()))

    def category_spend(name: str) -> int:
        return sum(r["spend"] for r in figures.by_category if r["category"] == name
                   and r["tier"] is None)

    local = tier_figures[0].spend if tier_figures else Decimal(0)
    local_pence = int(local * 100)
    target = None
    if options.target is not None:
        want = (Decimal(str(options.target)) * total).quantize(Decimal(1), ROUND_HALF_UP)
        gap = max(0, int(want) - local_pence)
        target = Target(Decimal(str(options.target)).quantize(Decimal("0.0001")),
                        share(local_pence, total),
                        pence_to_pounds(gap), gap == 0)
    nonlocal_pence = figures.leaves_area
    shifted = min(int((Decimal(str(options.shift)) * total).quantize(Decimal(1), ROUND_HALF_UP)),
                  max(nonlocal_pence, 0))
    extra = (Decimal(shifted) * (local_m - nonlocal_m)).quantize(Decimal(1), ROUND_HALF_UP)
    shift = ShiftEstimate(Decimal(str(options.shift)).quantize(Decimal("0.0001")),
                          pence_to_pounds(shifted), local_m,
                          nonlocal_m, pence_to_pounds(int(extra)), m_source)
    provenance = {
        "council": tiers.council,
        "tiers": tiers.to_spec(),
        "tiers_source": tiers.source,
        "tiers_notes": list(tiers.notes),
        "exclusion_rules": rules.source,
        "register_sources": found.sources,
        "multipliers": {"local": str(local_m), "nonlocal": str(nonlocal_m), "source": m_source},
        "matching": {"accept": options.fuzzy_accept, "review": options.fuzzy_review,
                     "scorer": "rapidfuzz ratio on sorted normalised names, blocked"},
        "postcode_store": getattr(store, "meta", {}).get("source", "keepitlocal.geo"),
        "ledgers": "reused from the ingest file" if ingested.reused else "read from the files",
        "line_sums": "reused from the summary file" if reused else "summed from the lines",
        "totals": "integer pence; credit notes netted; excluded and duplicate lines left out",
    }
    return SpendResult(
        council=tiers.council, council_name=tiers.council_name,
        total=pence_to_pounds(total), excluded_total=pence_to_pounds(sums.get(EXCLUDED, 0)),
        duplicate_total=pence_to_pounds(sums.get(DUPLICATE, 0)),
        unusable_count=counts.unusable, credit_note_total=pence_to_pounds(int(credit)),
        tiers=tier_figures, outside_uk_spend=pence_to_pounds(category_spend(OUTSIDE_UK)),
        unknown_spend=pence_to_pounds(category_spend(UNKNOWN)),
        redacted_spend=pence_to_pounds(category_spend(REDACTED)),
        vcse_spend=pence_to_pounds(figures.vcse), vcse_share=share(figures.vcse, total),
        local_vcse_spend=pence_to_pounds(figures.local_vcse),
        local_vcse_share=share(figures.local_vcse, total),
        sme_spend=pence_to_pounds(figures.sme), sme_share=share(figures.sme, total),
        sme_unknown_spend=pence_to_pounds(figures.sme_unknown),
        by_department=_groups(figures.groups["department"]),
        by_service=_groups(figures.groups["service"]),
        by_expense_type=_groups(figures.groups["expense_type"]),
        by_month=_groups(figures.groups["month"]),
        by_quarter=_groups(figures.groups["quarter"]),
        by_year=_groups(figures.groups["year"]),
        top_local_suppliers=_supplier_figures(figures.top_local),
        top_nonlocal_suppliers=_supplier_figures(figures.top_nonlocal),
        leakage=[LeakageFigure(str(r["expense_type"]), pence_to_pounds(r["spend"]),
                               pence_to_pounds(r["local_spend"]), pence_to_pounds(r["leaked"]),
                               r["local_suppliers"]) for r in figures.leakage],
        target=target, shift=shift, lines=counts,
        exclusions={str(k): pence_to_pounds(int(v)) for k, v in excluded_by_rule.items()},
        matching=matched, files=ingested.files, problems=problems, provenance=provenance,
        backend=options.backend, line_table=line_table, unreadable=ingested.skipped,
        by_district=by_district,
    )


DRILL_FILTERS = ("tier", "category", "department", "service", "expense_type", "supplier_ref",
                 "supplier_name", "month", "quarter", "year", "status", "file", "reason")


def drill_down(result: SpendResult, limit: int | None = None,
               **filters: Any) -> list[dict[str, Any]]:
    """The ledger lines behind a figure, e.g. drill_down(result, tier=1, department="Adults").

    Filters are equalities on the line table; status defaults to "used". Amounts come back as
    Decimal pounds.
    """
    if result.line_table is None:
        raise InputError.one("this result kept no line table", hint="run with keep_lines=True")
    unknown = [k for k in filters if k not in DRILL_FILTERS]
    if unknown:
        raise InputError.one("unknown drill-down filter(s): " + ", ".join(unknown),
                             hint="filters are: " + ", ".join(DRILL_FILTERS))
    filters.setdefault("status", USED)
    where, params = [], []
    for key, value in filters.items():
        if value is None:
            where.append(f'"{key}" IS NULL')
        else:
            where.append(f'"{key}" = ?')
            params.append(value)
    con = duckdb.connect()
    try:
        names = open_lines(con, result.line_table)
        # Line tables kept from before periods were read have no precision: every date was a day.
        precision = "date_precision" if "date_precision" in names else "'day' AS date_precision"
        sql = (f"SELECT file, row, date, {precision}, amount_pence, supplier, supplier_name, "
               "supplier_ref, "
               "department, service, expense_type, category, tier, status, reason FROM lines WHERE "
               + " AND ".join(where) + " ORDER BY file_index, row")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = con.execute(sql, params).fetchall()
        names = [d[0] for d in con.description]
    finally:
        con.close()
    out = []
    for row in rows:
        record = dict(zip(names, row, strict=True))
        pence = record.pop("amount_pence")
        record["amount"] = None if pence is None else pence_to_pounds(pence)
        out.append(record)
    return out
