"""The lines summed once per supplier and per breakdown, so a re-run reads sums, not lines.

What an officer changes between runs is mostly about suppliers: the tiers (which suppliers are
local), match decisions (which register entry a supplier is) and the exclusion rules on a
supplier's name or sector. None of these changes what a line is. So the lines that are neither
unusable nor repeats are summed once, per supplier identity (`sid`; for redacted lines also
per supplier text, `rkey`, which a supplier rule may match) and per first line rule matched
(`lrule`, see `exclusions.line_rule_lookup`):

- `summary_total`: spend, lines, credit notes and undated lines per (sid, rkey, lrule);
- `summary_<breakdown>`: spend and lines per (sid, rkey, code) of the lines no line rule
  excludes, for the department, service, expense type and period (codes in `summary_values`
  and `summary_periods`);
- `summary_set_aside`: the unusable lines by reason and the repeats.

`classify` then decides each sum's status from the suppliers' rules of this run, and the views
it makes are what the figures read. The sums are kept beside the ingest file under a key of the
ingested ledgers and the line rules (`key`): a run with the same key reads them back.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from keepitlocal.spend import analysis, exclusions, ingest, ledger
from keepitlocal.spend.model import DUPLICATE, UNUSABLE

SCHEMA = 1  # raise when a table's columns or meaning change: old files are then rebuilt
BREAKDOWNS = ("department", "service", "expense_type")  # and the period
NOT_GIVEN = "(not given)"
REPEATS = "repeats a line of an earlier file"  # a duplicate line's reason
TABLES = ("summary_values", "summary_periods", "summary_texts", "summary_total",
          *(f"summary_{name}" for name in (*BREAKDOWNS, "period")), "summary_set_aside")
# What each figure's breakdown reads (`classify`'s views): the period's three labels share one.
USED_VIEWS = {"department": "used_department", "service": "used_service",
              "expense_type": "used_expense_type", "month": "used_period",
              "quarter": "used_period", "year": "used_period"}


def _int64(sum_sql: str) -> str:
    """A sum kept as a 64-bit integer: DuckDB's sums are 128-bit, which Parquet, and so Spark,
    would get as floats. Pence to beyond £90 quadrillion; an error, never a wrap, past that."""
    return f"CAST({sum_sql} AS BIGINT)"


def key(ingest_key: str, rules: exclusions.RuleSet) -> str:
    """Changes whenever the sums could: the ingested ledgers, the line rules, the schema."""
    text = json.dumps([SCHEMA, ingest_key, exclusions.line_rules_key(rules)])
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def path(ingested: Path) -> Path:
    """Where the sums of the ingest file `ingested` are kept."""
    return ingested.with_name(ingested.stem + ".summary.duckdb")


def periods(con: Any, source: str = "parsed") -> None:
    """The temp table `periods`: each distinct (pay_date, date_precision) of the lines `source`
    with its month, quarter and year labels and a code per label triple: labels made once per
    day, not once per line."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE periods AS
        SELECT *, CAST(dense_rank() OVER (ORDER BY month, quarter, year) AS INTEGER) AS code
        FROM (SELECT pay_date, date_precision, {ledger.period_sql()}
              FROM (SELECT DISTINCT pay_date, date_precision FROM {source}))
    """)


def redacted_texts(con: Any) -> None:
    """The table `summary_texts`: a number (from 1) per supplier text of the redacted lines."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE summary_texts AS
        SELECT CAST(row_number() OVER (ORDER BY supplier) AS INTEGER) AS rkey, supplier
        FROM (SELECT DISTINCT coalesce(supplier, '') AS supplier FROM parsed WHERE redacted)
    """)


def line_joins() -> str:
    """The joins that give each line `l` its period (`d`, from `periods`) and, for a redacted
    line, its text's number (`x.rkey`): one definition for the sums and the line table, so a
    drill-down adds up to its figure."""
    return """
        JOIN periods d ON l.pay_date IS NOT DISTINCT FROM d.pay_date
             AND l.date_precision IS NOT DISTINCT FROM d.date_precision
        LEFT JOIN summary_texts x ON l.redacted AND coalesce(l.supplier, '') = x.supplier
    """


def build(con: Any, rules: exclusions.RuleSet) -> None:
    """Make the summary tables (see the module docstring) from `parsed`."""
    periods(con)
    redacted_texts(con)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE summary_values AS
        SELECT field, CAST(row_number() OVER (PARTITION BY field ORDER BY v) AS INTEGER) AS code,
               v, CASE WHEN v = '' THEN '{NOT_GIVEN}' ELSE v END AS name
        FROM ({" UNION ALL ".join(
            f"SELECT DISTINCT '{f}' AS field, coalesce({f}, '') AS v FROM parsed"
            for f in BREAKDOWNS)})
    """)
    con.execute("CREATE OR REPLACE TEMP TABLE summary_periods AS "
                "SELECT DISTINCT code, month, quarter, year FROM periods")
    joins, line_rule = exclusions.line_rule_lookup(con, rules, "parsed")
    codes = " ".join(
        f"JOIN summary_values c_{f} ON c_{f}.field = '{f}' AND c_{f}.v = coalesce(l.{f}, '')"
        for f in BREAKDOWNS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE candidates AS
        SELECT l.sid, coalesce(x.rkey, 0) AS rkey, {line_rule} AS lrule, l.amount_pence,
               l.pay_date IS NULL AS undated, d.code AS period,
               {", ".join(f"c_{f}.code AS {f}" for f in BREAKDOWNS)}
        FROM parsed l {line_joins()} {codes} {joins}
        WHERE l.unusable_reason IS NULL AND NOT l.duplicate
    """)
    exclusions.drop_lookup(con, rules)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE summary_total AS
        SELECT sid, rkey, lrule, {_int64("sum(amount_pence)")} AS spend, count(*) AS lines,
               {_int64("coalesce(sum(amount_pence) FILTER (WHERE amount_pence < 0), 0)")}
                   AS credit,
               count(*) FILTER (WHERE amount_pence < 0) AS credits,
               count(*) FILTER (WHERE undated) AS undated
        FROM candidates GROUP BY sid, rkey, lrule
    """)
    for name in (*BREAKDOWNS, "period"):
        table = "summary_periods" if name == "period" else \
            f"summary_values WHERE field = '{name}'"
        codes = con.execute(f"SELECT min(code), count(*) FROM {table}").fetchall()[0]
        if codes[1] == 1:  # one name for every line (a column the ledgers lack): no pass
            con.execute(f"""
                CREATE OR REPLACE TEMP TABLE summary_{name} AS
                SELECT sid, rkey, {codes[0]} AS code, {_int64("sum(spend)")} AS spend,
                       {_int64("sum(lines)")} AS lines
                FROM summary_total WHERE lrule IS NULL GROUP BY sid, rkey
            """)
            continue
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE summary_{name} AS
            SELECT sid, rkey, {name} AS code, {_int64("sum(amount_pence)")} AS spend,
                   count(*) AS lines
            FROM candidates WHERE lrule IS NULL GROUP BY sid, rkey, {name}
        """)
    con.execute("DROP TABLE candidates")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE summary_set_aside AS
        SELECT CASE WHEN unusable_reason IS NOT NULL THEN '{UNUSABLE}' ELSE '{DUPLICATE}' END
                   AS status,
               coalesce(unusable_reason, '{REPEATS}') AS reason,
               count(*) AS lines, {_int64("sum(amount_pence)")} AS spend
        FROM parsed WHERE unusable_reason IS NOT NULL OR duplicate GROUP BY ALL
    """)


def prepare(con: Any, rules: exclusions.RuleSet, kept: Path | None, ingest_key: str) -> bool:
    """The summary tables for this run: read back from `kept` when it holds this run's key,
    else built (and, with `kept`, written there). True when they were read back."""
    if kept is not None and ingest_key:
        run_key = key(ingest_key, rules)
        if ingest.attach_tables(con, kept, run_key, TABLES, "summary_in") is not None:
            return True
        build(con, rules)
        ingest.write_tables(con, kept, TABLES, run_key, "{}")
        return False
    build(con, rules)
    return False


def release(con: Any, reused: bool) -> None:
    """Drop the summary tables (and `classify`'s), detaching the file they were read from."""
    for view in ("used_period", *(f"used_{name}" for name in BREAKDOWNS)):
        con.execute(f"DROP VIEW IF EXISTS {view}")
    for table in ("used_suppliers", "classified_total", "supplier_rules"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    for table in TABLES:
        con.execute(f"DROP {'VIEW' if reused else 'TABLE'} IF EXISTS {table}")
    if reused:
        con.execute("DETACH summary_in")
    con.execute("DROP TABLE IF EXISTS periods")


def classify(con: Any, rules: exclusions.RuleSet) -> None:
    """Each sum's status under this run's rules, as the tables and views the figures read:

    - `supplier_rules`: the first supplier rule each (sid, rkey) matches, by its name (the
      ledger's, or the redacted line's own text) and its register sector (`placed`), and
      whether it is local or leaves the area (`analysis.supplier_facts`);
    - `classified_total`: `summary_total` with the rule that excludes it (`exclusion`);
    - `used_suppliers`: used spend, lines, credit notes and undated lines per supplier;
    - `used_<breakdown>` (see USED_VIEWS): used spend and lines per supplier and name.
    """
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE supplier_rules AS
        SELECT t.sid, t.rkey, {exclusions.supplier_rule_sql(
            rules, "CASE WHEN t.rkey > 0 THEN x.supplier ELSE ls.supplier END", "p.sector")}
            AS srule, coalesce(p.local, false) AS local, coalesce(p.leaves, false) AS leaves
        FROM (SELECT DISTINCT sid, rkey FROM summary_total) t
        LEFT JOIN ledger_suppliers ls ON ls.sid = t.sid
        LEFT JOIN ({analysis.supplier_facts_sql(con, "placed")}) p ON p.sid = t.sid
        LEFT JOIN summary_texts x ON x.rkey = t.rkey
    """)
    # Tables, not views: several figures and counts read these two, and each read of a view
    # would join and group the sums again.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE classified_total AS
        SELECT t.*, {exclusions.exclusion_id_sql(rules, "t.lrule", "r.srule")} AS exclusion
        FROM summary_total t JOIN supplier_rules r ON r.sid = t.sid AND r.rkey = t.rkey
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE used_suppliers AS
        SELECT sid, {_int64("sum(spend)")} AS spend, {_int64("sum(lines)")} AS lines,
               {_int64("sum(credit)")} AS credit, {_int64("sum(credits)")} AS credits,
               {_int64("sum(undated)")} AS undated
        FROM classified_total WHERE exclusion IS NULL GROUP BY sid
    """)
    used = ("JOIN supplier_rules r ON r.sid = b.sid AND r.rkey = b.rkey AND r.srule IS NULL")
    for name in BREAKDOWNS:
        con.execute(f"""
            CREATE OR REPLACE TEMP VIEW used_{name} AS
            SELECT b.sid, v.name AS {name}, b.spend, b.lines, r.local, r.leaves
            FROM summary_{name} b {used}
            JOIN summary_values v ON v.field = '{name}' AND v.code = b.code
        """)
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW used_period AS
        SELECT b.sid, d.month, d.quarter, d.year, b.spend, b.lines, r.local, r.leaves
        FROM summary_period b {used} JOIN summary_periods d ON d.code = b.code
    """)
