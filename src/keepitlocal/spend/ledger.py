"""Turn raw ledger text into typed lines, in DuckDB, and decide which lines cannot be used.

Parsing is SQL so that it runs at file-scan speed; its rules are those of
`keepitlocal.money.parse_amount` (£, commas, spaces, brackets for negatives) and of UK dates
(dd/mm/yyyy, 01-Apr-2024, ISO, Excel serial day numbers). The tests hold the SQL and the Python
rules to the same answers.

A date cell that is not a day may be a period: a month (202304, "Feb-13", "April 2023"), a
financial period ("2022-P04") or a quarter ("Q1 2023/24", "Apr-Jun 2023"). Files hold few distinct
period texts, so those are read once each in Python (`parse_period`) and joined back; the line
keeps the period's first day and its precision (`date_precision`: day, month or quarter).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from keepitlocal.spend import sql
from keepitlocal.spend.io import LoadedFile
from keepitlocal.spend.model import DAY, LEDGER_FIELDS, QUARTER, DetectedColumns
from keepitlocal.spend.periods import DATE_FORMATS, parse_period

# A cell that holds an Excel day number (what a date cell becomes when its format is lost).
_SERIAL = r"^[1-9][0-9]{4}(\.0+)?$"


# The largest amount one line may carry: £1 trillion (more than any public body's yearly budget)
# is a typing or export error, and keeps every sum of pence inside 64-bit integers.
MAX_POUNDS = 10**12
TOO_LARGE = "amount is too large to be a payment (£1 trillion or more)"
# A line with money but neither supplier nor date: a blank date cell, or words with no digit in
# it ("Total" or "Grand total" in the date column). A mistyped date ("31/13/2024") is not one.
TOTALS_ROW = "no supplier and no date (a total or subtotal row?)"


def _without_symbols(column: str) -> str:
    """SQL: the amount text without £, commas or spaces of any kind, as `parse_amount` strips
    them (most cells have none to remove)."""
    symbols = "'[£,\\s\\p{Zs}]'"
    return (f"CASE WHEN regexp_matches({column}, {symbols}) "
            f"THEN regexp_replace(trim({column}), {symbols}, '', 'g') ELSE {column} END")


def _amount_parts(column: str) -> tuple[str, str]:
    """(the amount text without £, commas, spaces or brackets; whether brackets made it negative)"""
    cleaned = _without_symbols(column)
    negative = f"({cleaned} LIKE '(%)')"
    inner = f"CASE WHEN {negative} THEN substr({cleaned}, 2, length({cleaned}) - 2) " \
            f"ELSE {cleaned} END"
    return inner, negative


def amount_pence_sql(column: str) -> str:
    """SQL giving integer pence (rounded half away from zero) or NULL when not a number or when
    out of range (see `amount_too_large_sql`).

    DuckDB's cast to two decimals rounds the written digits half away from zero, as
    `parse_amount` does, so the text is read straight into pence.
    """
    inner, negative = _amount_parts(column)
    value = f"TRY_CAST({inner} AS DECIMAL(18, 2))"
    return (f"(CASE WHEN abs({value}) < {MAX_POUNDS} THEN CAST({value} * 100 AS BIGINT) "
            f"* CASE WHEN {negative} THEN -1 ELSE 1 END END)")


def amount_too_large_sql(column: str) -> str:
    """SQL: true when the text is a plain number but at least `MAX_POUNDS` (or too long to hold)."""
    inner, _ = _amount_parts(column)
    decimal = f"TRY_CAST({inner} AS DECIMAL(38, 10))"
    return (f"(regexp_full_match({inner}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)') "
            f"AND coalesce(abs({decimal}) >= {MAX_POUNDS}, true))")


def date_sql(column: str) -> str:
    """SQL giving a DATE or NULL, trying the UK formats in order (day before month, always)."""
    text = f"trim({column})"
    # %Y also reads "24" as the year 24, so a reading outside 1900-2100 falls to the next format.
    tries = ", ".join(
        f"CASE WHEN year(try_strptime({text}, '{f}')) BETWEEN 1900 AND 2100 "
        f"THEN try_strptime({text}, '{f}') END" for f in DATE_FORMATS)
    serial = (f"(DATE '1899-12-30' + CAST(CAST({text} AS DOUBLE) AS INTEGER))")
    return (f"CASE WHEN regexp_full_match({text}, '{_SERIAL[1:-1]}') THEN {serial} "
            f"ELSE CAST(coalesce({tries}) AS DATE) END")


def date_lookup(con: Any, source: str) -> None:
    """Make TEMP TABLE `date_texts` (date, pay_date, date_precision): each distinct date text of
    `source` read once, as a day (`date_sql`) or else as a period (`parse_period`).

    Files hold few distinct date texts (a few hundred days a year), so reading each once and
    joining it to the lines costs far less than reading every line's date.
    """
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE date_texts AS
        SELECT date, pay_date, CASE WHEN pay_date IS NOT NULL THEN '{DAY}' END AS date_precision
        FROM (SELECT date, {date_sql('date')} AS pay_date
              FROM (SELECT DISTINCT date FROM {source} WHERE date IS NOT NULL))
    """)
    texts = [r[0] for r in con.execute(
        "SELECT date FROM date_texts WHERE pay_date IS NULL").fetchall()]
    found = [(t, parse_period(t)) for t in texts]
    rows = [(t, p[0], p[1]) for t, p in found if p is not None]
    if not rows:
        return
    table = pa.table({"text": [r[0] for r in rows], "start": pa.array([r[1] for r in rows],
                                                                      pa.date32()),
                      "precision": [r[2] for r in rows]})
    con.register("periods_arrow", table)
    con.execute("""
        UPDATE date_texts SET pay_date = p.start, date_precision = p.precision
        FROM periods_arrow p WHERE date_texts.date = p.text
    """)
    con.unregister("periods_arrow")


def _clean(column: str | None) -> str:
    """SQL: the cell trimmed of spaces (and no-break spaces), NULL when blank. Most cells have
    none, and DuckDB's trim copies every string it is given, so only those that do are trimmed."""
    if column is None:
        return "CAST(NULL AS VARCHAR)"
    quoted = '"' + column.replace('"', '""') + '"'
    edges = " OR ".join(f"{end}({quoted}, {space})" for space in ("' '", "chr(160)")
                        for end in ("starts_with", "ends_with"))
    return f"nullif(CASE WHEN {edges} THEN trim({quoted}) ELSE {quoted} END, '')"


def _date_cell(found: DetectedColumns) -> str:
    """The date field of one file: its date column, or the period given for the whole file."""
    if found.columns.get("date") is None and found.period:
        return sql.literal(found.period.strip())
    return _clean(found.columns.get("date"))


def union_sql(files: Sequence[LoadedFile], detected: Sequence[DetectedColumns]) -> str:
    """One SELECT over every file, each mapped to the engine's field names. A line is blank when
    every column is: the mapped ones are judged by their cleaned values, not trimmed again."""
    parts = []
    for index, (loaded, found) in enumerate(zip(files, detected, strict=True)):
        cols = [f"{_date_cell(found) if f == 'date' else _clean(found.columns.get(f))} AS {f}"
                for f in LEDGER_FIELDS]
        from_columns = [f for f in LEDGER_FIELDS if found.columns.get(f) is not None]
        mapped = {found.columns[f] for f in from_columns}
        unmapped = " AND ".join(f"{_clean(h)} IS NULL" for h in loaded.headers
                                if h not in mapped) or "TRUE"
        all_blank = " AND ".join([f"{f} IS NULL" for f in from_columns] + ["unmapped_blank"])
        parts.append(
            f"SELECT * EXCLUDE (unmapped_blank), ({all_blank}) AS blank_line FROM ("
            f"SELECT {index} AS file_index, {loaded.row_sql} AS row, "
            + ", ".join(cols)
            + f', ({unmapped}) AS unmapped_blank FROM "{loaded.table}")'
        )
    return "\nUNION ALL\n".join(parts)


def build_parsed(con: Any, files: Sequence[LoadedFile], detected: Sequence[DetectedColumns],
                 redaction_pattern: str) -> None:
    """Create table `parsed`: typed values, flags and an unusable reason per line."""
    con.execute(f"CREATE OR REPLACE VIEW raw_lines AS {union_sql(files, detected)}")
    date_lookup(con, "raw_lines")
    redacted = ("(supplier IS NULL OR regexp_full_match(supplier, "
                f"{sql.literal(redaction_pattern)}, 'i'))")
    # The amount as written is kept only where the line cannot be used, to show in its
    # problem: elsewhere `amount_pence` says it exactly, and the text of millions of lines
    # would be one of the largest columns to hold and to write to the ingest file.
    con.execute(f"""
        CREATE OR REPLACE TABLE parsed AS
        SELECT * REPLACE (CASE WHEN unusable_reason IS NOT NULL THEN amount END AS amount)
        FROM (
        WITH typed AS (
            SELECT r.*, d.pay_date, d.date_precision,
                {amount_pence_sql('amount')} AS amount_pence,
                {redacted} AS redacted
            FROM raw_lines r LEFT JOIN date_texts d USING (date)
        )
        SELECT *,
            CASE
                WHEN blank_line THEN 'blank line'
                WHEN amount IS NULL AND supplier IS NULL AND date IS NULL THEN 'no amount'
                WHEN amount IS NULL THEN 'amount is blank'
                WHEN amount_pence IS NULL AND {amount_too_large_sql('amount')}
                    THEN '{TOO_LARGE}'
                WHEN amount_pence IS NULL THEN 'amount is not a number'
                WHEN supplier IS NULL AND pay_date IS NULL
                     AND (date IS NULL OR NOT regexp_matches(date, '[0-9]'))
                    THEN '{TOTALS_ROW}'
                ELSE NULL
            END AS unusable_reason,
            CASE WHEN date IS NOT NULL AND pay_date IS NULL THEN 'date not understood'
                 WHEN date IS NULL THEN 'date is blank' ELSE NULL END AS date_problem,
            {supplier_id_sql()}
        FROM typed)
    """)
    con.execute("DROP TABLE date_texts")


def _supplier_numbers(salt: int) -> tuple[str, str]:
    """SQL of the two 64-bit numbers of a supplier identity (its name in any case and whatever
    ids the line carries; every redacted line is one identity), led by `salt`: `sid`, and the
    check on it. DuckDB hashes the fields together, so no key text is built per line."""
    parts = ("upper(supplier), supplier_id, vat_number, company_number, charity_number, "
             "upper(postcode)")

    def number(extra: str) -> str:
        return (f"CASE WHEN redacted THEN hash({salt}, 'REDACTED'{extra}) "
                f"ELSE hash({salt}, {parts}{extra}) END")

    return number(""), number(", 'check'")


def supplier_id_sql(salt: int = 0) -> str:
    """SQL: `sid`, a 64-bit number per supplier identity, so that millions of lines join their
    supplier on one integer instead of a long text; and `sid_check`, a second such number, by
    which `number_suppliers` finds two identities given one `sid`."""
    sid, check = _supplier_numbers(salt)
    return f"{sid} AS sid, {check} AS sid_check"


def number_suppliers(con: Any) -> None:
    """Make each `sid` of `parsed` one supplier identity's: should two share one (both 64-bit
    numbers agreeing is a chance of about 1 in 10^38 per pair), number them all again with
    another salt. Then drop the check."""
    salt = 0
    while con.execute("SELECT count(*) FROM (SELECT sid FROM parsed GROUP BY sid "
                      "HAVING min(sid_check) <> max(sid_check))").fetchall()[0][0]:
        salt += 1
        sid, check = _supplier_numbers(salt)
        con.execute(f"UPDATE parsed SET sid = {sid}, sid_check = {check}")
    con.execute("ALTER TABLE parsed DROP COLUMN sid_check")


def mark_duplicates(con: Any) -> None:
    """Flag lines repeated from an earlier file (overlapping downloads), keeping the first copy.

    Key: transaction id + supplier + amount when the line has a transaction id (a transaction split
    over several lines keeps its lines apart by amount); otherwise date + supplier + amount +
    department. Repeats inside one file are not duplicates: councils do pay the same sum twice.
    A later file's k-th copy of a key is a duplicate while an earlier file had at least k copies.
    Only keys found in more than one file are ranked, so files that do not overlap cost one
    grouping pass.
    """
    con.execute("ALTER TABLE parsed ADD COLUMN duplicate BOOLEAN DEFAULT false")
    files = con.execute("SELECT count(DISTINCT file_index) FROM parsed").fetchall()[0][0]
    if files < 2:
        return
    key = ("CASE WHEN transaction_id IS NOT NULL THEN concat_ws('\x1f', 'T', transaction_id, "
           "upper(coalesce(supplier, '')), CAST(amount_pence AS VARCHAR)) "
           "ELSE concat_ws('\x1f', 'D', CAST(pay_date AS VARCHAR), coalesce(date, ''), "
           "upper(coalesce(supplier, '')), CAST(amount_pence AS VARCHAR), "
           "upper(coalesce(department, ''))) END")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE dup_keys AS
        SELECT {key} AS dkey, file_index, row FROM parsed WHERE unusable_reason IS NULL
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE dup_rows AS
        WITH shared AS (
            SELECT dkey FROM dup_keys GROUP BY dkey HAVING count(DISTINCT file_index) > 1
        ),
        candidates AS (
            SELECT k.* FROM dup_keys k SEMI JOIN shared USING (dkey)
        ),
        counted AS (
            SELECT dkey, file_index, count(*) AS n FROM candidates GROUP BY ALL
        ),
        earlier AS (
            SELECT a.dkey, a.file_index, coalesce(max(b.n), 0) AS earlier_n
            FROM counted a LEFT JOIN counted b
              ON a.dkey = b.dkey AND b.file_index < a.file_index
            GROUP BY ALL
        ),
        ranked AS (
            SELECT c.*, row_number() OVER (PARTITION BY c.dkey, c.file_index ORDER BY c.row)
                   AS k
            FROM candidates c
        )
        SELECT r.file_index, r.row FROM ranked r
        JOIN earlier e ON r.dkey = e.dkey AND r.file_index = e.file_index
        WHERE r.k <= e.earlier_n
    """)
    con.execute("""
        UPDATE parsed SET duplicate = true
        FROM dup_rows d WHERE parsed.file_index = d.file_index AND parsed.row = d.row
    """)
    con.execute("DROP TABLE dup_keys")
    con.execute("DROP TABLE dup_rows")


def period_sql() -> str:
    """Month, UK financial quarter and financial year (April to March) as labels.

    A line known only to its quarter is not put in a month: its month label names the quarter's
    three months ("2023-04 to 2023-06"), so no month's figure is invented.
    """
    return f"""
        CASE WHEN pay_date IS NULL THEN 'undated'
             WHEN date_precision = '{QUARTER}' THEN strftime(pay_date, '%Y-%m') || ' to '
                  || strftime(pay_date + INTERVAL 2 MONTH, '%Y-%m')
             ELSE strftime(pay_date, '%Y-%m') END AS month,
        CASE WHEN pay_date IS NULL THEN 'undated' ELSE
            CAST(year(pay_date) - CASE WHEN month(pay_date) < 4 THEN 1 ELSE 0 END AS VARCHAR)
            || '-' || right(CAST(year(pay_date) + CASE WHEN month(pay_date) < 4 THEN 0 ELSE 1 END
                                 AS VARCHAR), 2)
            || ' Q' || CAST((month(pay_date) + 8) % 12 // 3 + 1 AS VARCHAR) END AS quarter,
        CASE WHEN pay_date IS NULL THEN 'undated' ELSE
            CAST(year(pay_date) - CASE WHEN month(pay_date) < 4 THEN 1 ELSE 0 END AS VARCHAR)
            || '-' || right(CAST(year(pay_date) + CASE WHEN month(pay_date) < 4 THEN 0 ELSE 1 END
                                 AS VARCHAR), 2) END AS year
    """
