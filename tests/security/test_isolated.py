"""A background read runs in a process of its own (`safeio.isolated`): capped in memory, killed
past its time, cancellable, and a refusal inside it comes back as the same refusal."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from keepitlocal import safeio
from keepitlocal.errors import InputError
from keepitlocal.safeio import LIMITS, MB, TooLarge, isolated, open_workbook, reporting
from keepitlocal.spend import io as spend_io
from security.bombs import nested_json

MEMORY = 2048 * MB


def test_the_result_of_the_work_comes_back() -> None:
    assert isolated(sum, [1, 2, 3], file="f", limits=LIMITS, memory_bytes=MEMORY) == 6


def test_a_read_that_needs_more_memory_than_allowed_is_refused_naming_the_limit() -> None:
    with pytest.raises(InputError) as refused:
        isolated(bytearray, 3000 * MB, file="big.csv", limits=LIMITS, memory_bytes=MEMORY)
    text = str(refused.value)
    assert "big.csv: reading the file needed more than the 2,048 MB of memory allowed" in text
    assert "split it into smaller files" in text


def test_a_read_that_never_ends_is_killed_past_its_time() -> None:
    started = time.monotonic()
    with pytest.raises(TooLarge) as refused:
        isolated(time.sleep, 600, file="slow.csv", limits=LIMITS.tighter(seconds=1),
                 memory_bytes=MEMORY, grace=1)
    assert "slow.csv: reading the file took longer than 1 seconds" in str(refused.value)
    assert time.monotonic() - started < 300  # killed, not waited for


def test_a_cancelled_read_is_stopped() -> None:
    with pytest.raises(InputError, match="the check was cancelled"):
        isolated(time.sleep, 600, file="f", limits=LIMITS, memory_bytes=MEMORY,
                 stopped=lambda: True)


def test_a_refusal_inside_comes_back_as_itself() -> None:
    with pytest.raises(InputError) as refused:
        isolated(safeio.loads_json, nested_json(200), "deep.json", file="deep.json",
                 limits=LIMITS, memory_bytes=MEMORY)
    assert [p.file for p in refused.value.problems] == ["deep.json"]
    assert "nests lists or objects more than 64 deep" in str(refused.value)


def test_any_other_error_is_raised_again() -> None:
    with pytest.raises(ValueError):
        isolated(int, "not a number", file="f", limits=LIMITS, memory_bytes=MEMORY)


def test_the_limits_given_hold_inside(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for n in range(50):
        book.active.append([n, n])
    path = tmp_path / "rows.xlsx"
    book.save(path)
    with pytest.raises(TooLarge, match="more than 10 rows"):
        isolated(spend_io.peek, path, tmp_path, None, file="rows.xlsx",
                 limits=LIMITS.tighter(rows_per_sheet=10), memory_bytes=MEMORY)


def test_a_workbook_reports_the_rows_read_so_far(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for n in range(2500):
        book.active.append([f"Supplier {n}", n])
    path = tmp_path / "rows.xlsx"
    book.save(path)
    seen: list[int] = []
    with reporting(lambda **report: seen.append(report["rows"])), open_workbook(
            path, path.name) as opened:
        assert sum(1 for _ in opened.worksheets[0].iter_rows()) == 2500
    assert seen == [1000, 2000]


def test_a_csv_reports_how_much_duckdb_has_read() -> None:
    class Loading:  # a DuckDB connection a quarter of the way through a file
        def execute(self, sql: str) -> None:
            self.settings = sql

        def query_progress(self) -> float:
            return 25.0

    con = Loading()
    shares: list[float] = []
    with reporting(lambda **report: shares.append(report["percent"])), spend_io._watched(con):
        time.sleep(1)
    assert "enable_progress_bar = true" in con.settings
    assert shares and set(shares) == {25.0}


def test_without_a_reporter_duckdb_is_not_watched() -> None:
    class Untouched:
        def execute(self, sql: str) -> None:
            raise AssertionError("no progress asked for")

    with spend_io._watched(Untouched()):
        pass


def test_a_process_that_dies_without_answering_is_named() -> None:
    import os

    with pytest.raises(InputError) as refused:
        isolated(os.abort, file="crash.xlsx", limits=LIMITS, memory_bytes=MEMORY)
    assert "crash.xlsx: the process reading the file stopped (exit code -6)" in str(
        refused.value)


def test_importing_the_engines_allocates_no_arrow_memory() -> None:
    """An Arrow array made at import starts Arrow's memory pool, about 1 GB of address space, in
    every process, the capped one that reads an upload included: there it made DuckDB fail to
    start its threads."""
    import subprocess
    import sys

    code = ("import keepitlocal.spend, keepitlocal.spend.matching, keepitlocal.registers, "
            "pyarrow; print(pyarrow.total_allocated_bytes())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
