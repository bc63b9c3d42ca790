"""The same figures from DuckDB and from PySpark (local mode) on the same ledgers."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from keepitlocal.spend import SpendOptions, analyse, result_to_dict

from .conftest import CALDERDALE, SUPPLIERS, write_csv
from .layouts import LAYOUTS

pytestmark = pytest.mark.spark


def _comparable(result: Any) -> dict[str, Any]:
    document = result_to_dict(result)
    for key in ("backend", "provenance", "files"):
        document.pop(key)
    return document


def test_duckdb_and_pyspark_agree(tmp_path: Path, suppliers: Path, store, spark) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    names = [s[0] for s in SUPPLIERS] + ["REDACTED", "HMRC", "Unknown Trader"]
    rows = []
    for i in range(400):
        rows.append([f"T{i}", f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2024",
                     rng.choice(names), f"{rng.randint(-5000, 900000) / 100:.2f}",
                     rng.choice(["Adults", "Children", "Highways", ""]),
                     rng.choice(["Food", "Care", "Parts"])])
    generated = write_csv(tmp_path / "generated.csv", ["Transaction Number", "Date",
                                                       "Supplier Name", "Amount", "Department",
                                                       "Expense Type"], rows)
    ledgers = [generated, LAYOUTS["devon"](tmp_path)]
    on_duckdb = analyse(ledgers, suppliers, CALDERDALE,
                        SpendOptions(store=store, backend="duckdb", top=5))
    on_spark = analyse(ledgers, suppliers, CALDERDALE,
                       SpendOptions(store=store, backend="pyspark", spark=spark, top=5))
    assert on_spark.backend == "pyspark"
    assert _comparable(on_spark) == _comparable(on_duckdb)
    assert on_spark.total == on_duckdb.total and on_spark.lines.read == 408


def test_pyspark_on_the_ingested_ledgers(tmp_path: Path, suppliers: Path, store, spark) -> None:  # type: ignore[no-untyped-def]
    """Ingested once (by a DuckDB run), the kept ledgers give PySpark the same figures."""
    ledgers = [LAYOUTS["devon"](tmp_path), LAYOUTS["nottingham"](tmp_path)]
    keep = tmp_path / "ingested.duckdb"
    on_duckdb = analyse(ledgers, suppliers, CALDERDALE,
                        SpendOptions(store=store, backend="duckdb", ingested=keep))
    on_spark = analyse(ledgers, suppliers, CALDERDALE,
                       SpendOptions(store=store, backend="pyspark", spark=spark,
                                    ingested=keep))
    assert on_spark.provenance["ledgers"] == "reused from the ingest file"
    assert _comparable(on_spark) == _comparable(on_duckdb)
