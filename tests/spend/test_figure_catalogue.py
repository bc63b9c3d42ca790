"""Every key of `spend analyse --json` has an entry in the figure catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import keepitlocal.geo
from keepitlocal import figures
from keepitlocal.cli import main

from .layouts import LAYOUTS


@pytest.fixture(autouse=True)
def small_store(monkeypatch: pytest.MonkeyPatch, store) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(keepitlocal.geo, "default_store", lambda: store)


def test_every_spend_result_key_is_catalogued(tmp_path: Path, suppliers: Path) -> None:
    ledger = LAYOUTS["devon"](tmp_path)
    result = CliRunner().invoke(main, ["spend", "analyse", str(ledger), "--suppliers",
                                       str(suppliers), "--council", "E08000033", "--target",
                                       "60%", "--json"])
    assert result.exit_code == 0, result.output
    assert figures.uncovered("spend", json.loads(result.output)) == []
