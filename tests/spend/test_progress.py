"""The engine says where a run is (files read, lines, matching, figures), in order."""

from __future__ import annotations

from pathlib import Path

from keepitlocal.spend import SpendOptions, analyse
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
