"""The engine says where a run is (files read, lines, matching, figures), in order, and a register
read in a background upload's job says how many rows it has read."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keepitlocal import safeio
from keepitlocal.spend import SpendOptions, analyse
from keepitlocal.spend import io as spend_io
from keepitlocal.spend.model import Progress

from .conftest import CALDERDALE, write_csv

HEADER = ["Date", "Supplier Name", "Amount"]


def test_progress_reports_files_lines_matching_and_figures(tmp_path: Path, suppliers: Path,
                                                           store) -> None:  # type: ignore[no-untyped-def]
    files = [write_csv(tmp_path / f"{m}.csv", HEADER, [
        ["01/04/2024", "Acme Catering Ltd", "10.00"],
        ["02/04/2024", "Acme Catrng Limited", "5.00"],
        ["03/04/2024", "Nobody Known", "1.00"]]) for m in ("apr", "may")]
    seen: list[Progress] = []
    analyse(files, suppliers, CALDERDALE, SpendOptions(store=store, progress=seen.append))
    steps = [p.step for p in seen]
    assert steps[:2] == ["files", "files"] and steps[-1] == "figures"
    assert "matching" in steps
    assert seen[1].lines == 6 and seen[1].describe() == "Read 2 of 2 ledger files (6 lines)."
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    matching = [p for p in seen if p.step == "matching"]
    assert matching[-1].done == matching[-1].total == 3


def _register_csv(path: Path, rows: list[list[str]], sep: str = ",") -> Path:
    lines = [sep.join(["Supplier Name", "Postcode"])] + [sep.join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("sep", [",", "\t"])
def test_a_register_read_in_a_job_says_how_many_rows_so_far(tmp_path: Path, monkeypatch,
                                                             sep: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(spend_io, "REPORT_EVERY_ROWS", 2)
    rows = [[f"Supplier {i}", f"HX{i} 1AA"] for i in range(5)]
    path = _register_csv(tmp_path / "register.csv", rows, sep)
    seen: list[dict[str, Any]] = []
    with safeio.reporting(lambda **counts: seen.append(counts)):
        watched = spend_io.read_records(path)
    assert [s["rows"] for s in seen] == [2, 4, 5]
    assert watched.equals(spend_io.read_records(path))  # the same frame as without a job
    archive = tmp_path / "register.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(path, "register.csv")
    seen.clear()
    with safeio.reporting(lambda **counts: seen.append(counts)):
        zipped = spend_io.read_records(archive)
    assert [s["rows"] for s in seen] == [2, 4, 5] and zipped.equals(watched)


@settings(max_examples=25)
@given(st.lists(st.tuples(st.text(alphabet="abcXYZ &'", min_size=1, max_size=8),
                          st.sampled_from(["HX1 1AA", "", "LS2 7EX"])), max_size=9),
       st.integers(min_value=1, max_value=4))
def test_reading_in_blocks_gives_the_same_table(rows: list[tuple[str, str]], every: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _register_csv(Path(folder) / "r.csv", [[f'"{n}"', p] for n, p in rows])
        plain = spend_io.read_table(path)
        old = spend_io.REPORT_EVERY_ROWS
        spend_io.REPORT_EVERY_ROWS = every
        try:
            with safeio.reporting(lambda **counts: None):
                blocks = spend_io.read_table(path)
        finally:
            spend_io.REPORT_EVERY_ROWS = old
    assert blocks.equals(plain) and list(blocks.columns) == ["Supplier Name", "Postcode"]
