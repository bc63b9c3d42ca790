"""Totals reconcile to the penny with a plain-Python reading of the same files ("the boring way")."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepitlocal.money import parse_amount
from keepitlocal.spend import SpendOptions, analyse, drill_down

from .conftest import CALDERDALE, RECORDS, SUPPLIERS, SUPPLIERS_HEADER, write_csv

HEADER = ["Transaction Number", "Date", "Supplier Name", "Amount", "Department"]
# Ledger names and the tier a plain reading gives them (via the register's postcodes).
POOL = [
    ("Acme Catering Ltd", 1), ("Leeds Widgets Limited", 2), ("Sheffield Steel plc", 3),
    ("Calder Valley Community Trust", 1), ("Manchester Care Co-operative", 4),
    ("Jersey Supplies", "outside UK"), ("Mystery Holdings", "unknown"),
    ("Unheard Of Ventures", "unknown"), ("REDACTED", "redacted"), ("", "redacted"),
    ("Personal redaction", "redacted"), ("HMRC", "excluded"), ("Brighouse Builders & Sons", 1),
]
DEPARTMENTS = ["Adults", "Children", "Highways"]


def fmt(pence: int, style: int) -> str:
    value = Decimal(pence) / 100
    text = f"{abs(value):.2f}"
    if style == 1:
        text = f"{abs(value):,.2f}"
    if style == 2:
        text = "£" + text
    if value < 0:
        return f"({text})" if style != 3 else "-" + text
    return text


line = st.tuples(
    st.integers(0, len(POOL) - 1),
    st.integers(-500_000, 50_000_000),
    st.integers(0, 3),
    st.integers(0, len(DEPARTMENTS) - 1),
    st.sampled_from(["01/04/2024", "15-May-2024", "2024-06-30", "31/13/2024", ""]),
    st.booleans(),  # amount garbled
)


@settings(max_examples=12,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(line, min_size=1, max_size=40), overlap=st.integers(0, 10))
def test_totals_match_a_plain_reading(lines, overlap, store) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = []
        for i, (who, pence, style, dept, date, garbled) in enumerate(lines):
            amount = "12,3x" if garbled else fmt(pence, style)
            rows.append([f"T{i}", date, POOL[who][0], amount, DEPARTMENTS[dept]])
        half = len(rows) // 2
        first, second = rows[:half], rows[max(0, half - overlap):]  # overlapping downloads
        files = [write_csv(folder / "q1.csv", HEADER, first),
                 write_csv(folder / "q2.csv", HEADER, second)]
        register = write_csv(folder / "suppliers.csv", SUPPLIERS_HEADER, SUPPLIERS)
        result = analyse(files, register, CALDERDALE, SpendOptions(store=store))

    # The boring way: parse each line with parse_amount, decide its fate, add pence.
    expected: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    by_department: dict[str, int] = defaultdict(int)
    seen_first = {r[0] for r in first}
    for file_rows, is_second in ((first, False), (second, True)):
        for tid, date, name, amount, dept in file_rows:
            try:
                pence = int(parse_amount(amount) * 100)
            except ValueError:
                counts["unusable"] += 1
                continue
            if not name and not date:  # no supplier and no date: read as a totals row
                counts["unusable"] += 1
                continue
            if is_second and tid in seen_first:
                counts["duplicate"] += 1
                expected["duplicate"] += pence
                continue
            fate = dict(POOL)[name]
            if fate == "excluded":
                counts["excluded"] += 1
                expected["excluded"] += pence
                continue
            counts["used"] += 1
            expected["total"] += pence
            expected[str(fate)] += pence
            by_department[dept] += pence

    pounds = lambda p: Decimal(p) / 100  # noqa: E731
    assert result.lines.read == len(first) + len(second)
    assert (result.lines.used, result.lines.excluded, result.lines.duplicate,
            result.lines.unusable) == (counts["used"], counts["excluded"], counts["duplicate"],
                                       counts["unusable"])
    assert result.total == pounds(expected["total"])
    assert result.excluded_total == pounds(expected["excluded"])
    assert result.duplicate_total == pounds(expected["duplicate"])
    assert [t.spend for t in result.tiers] == [pounds(expected[str(n)]) for n in (1, 2, 3, 4)]
    assert result.outside_uk_spend == pounds(expected["outside UK"])
    assert result.unknown_spend == pounds(expected["unknown"])
    assert result.redacted_spend == pounds(expected["redacted"])
    assert {g.name: g.spend for g in result.by_department} == {
        k: pounds(v) for k, v in by_department.items()}
    assert sum((r["amount"] for r in drill_down(result)), Decimal(0)) == result.total
    assert len(RECORDS) > 0
