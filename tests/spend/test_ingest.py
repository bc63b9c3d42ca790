"""Ingest once, analyse many times: a run that keeps its parsed ledgers (`ingested=`) and a
later run with other tiers, rules, decisions or target give exactly what a fresh run gives;
a changed ledger, another mapping or a damaged file makes the ledgers be read again."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from keepitlocal.geo import PostcodeStore
from keepitlocal.spend import (
    ColumnMapping,
    SpendOptions,
    analyse,
    exclusions,
    ledger,
    result_to_dict,
)

from .conftest import CALDERDALE
from .layouts import EXCLUDED

READ, REUSED = "read from the files", "reused from the ingest file"


def _comparable(result: Any) -> dict[str, Any]:
    document = result_to_dict(result)
    for kept in ("ledgers", "line_sums"):  # where they came from, not what they are
        document["provenance"].pop(kept)
    return document


def _lines(result: Any) -> list[dict[str, Any]]:
    return sorted(result.line_table.to_pylist(), key=lambda r: (r["file_index"], r["row"]))


def test_a_later_run_reuses_the_ingested_ledgers_and_gives_the_fresh_figures(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore) -> None:
    keep = tmp_path / "analysis" / "ingested.duckdb"
    first = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert first.provenance["ledgers"] == READ and keep.is_file()
    # The two files pay the same lines: the second's are duplicates (marked at ingest).
    assert first.excluded_total == Decimal(EXCLUDED) and first.lines.duplicate == 8
    no_rules = tmp_path / "no-rules.json"
    shipped = json.loads(exclusions.default_path().read_text(encoding="utf-8"))
    no_rules.write_text(json.dumps({**shipped, "rules": []}), encoding="utf-8")
    tiers = tmp_path / "tiers.json"
    tiers.write_text(json.dumps({"name": "Calderdale", "tiers": [
        {"name": "Calderdale and Leeds", "lad": [CALDERDALE, "E08000035"]}]}),
        encoding="utf-8")
    changes: list[dict[str, Any]] = [
        {}, {"exclusions": no_rules}, {"target": Decimal("0.5"), "shift": Decimal("0.2")},
        {"decisions": {"sheffield steel plc": "none"}}, {"tiers": tiers}, {"top": 2}]
    for change in changes:
        fresh = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, **change))
        again = analyse(ledgers, suppliers, CALDERDALE,
                        SpendOptions(store=store, ingested=keep, **change))
        assert fresh.provenance["ledgers"] == READ
        assert again.provenance["ledgers"] == REUSED, change
        assert _comparable(again) == _comparable(fresh), change
        assert _lines(again) == _lines(fresh), change
    assert again.top_local_suppliers and len(again.top_local_suppliers) <= 2


def test_a_changed_ledger_or_mapping_is_read_again(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore) -> None:
    keep = tmp_path / "ingested.duckdb"
    before = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    text = ledgers[1].read_text(encoding="utf-8").replace("1,000.00", "1,100.00")
    ledgers[1].write_text(text, encoding="utf-8")
    after = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert after.provenance["ledgers"] == READ
    # The changed line no longer repeats the first file's: it counts, at its new amount.
    assert after.total - before.total == Decimal("1100.00") and after.lines.duplicate == 7
    same = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert same.provenance["ledgers"] == REUSED and same.total == after.total
    mapping = ColumnMapping(files={ledgers[0].name: {"department": None}})
    mapped = analyse(ledgers, suppliers, CALDERDALE,
                     SpendOptions(store=store, ingested=keep, mapping=mapping))
    assert mapped.provenance["ledgers"] == READ
    fewer = analyse(ledgers[:1], suppliers, CALDERDALE,
                    SpendOptions(store=store, ingested=keep))
    assert fewer.provenance["ledgers"] == READ and fewer.lines.read == before.lines.read // 2


def test_an_unchanged_ledger_is_not_read_again_to_know_it_is_unchanged(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger whose size and modification time are those it was hashed with keeps its
    digest; one touched is hashed again (and, its bytes the same, still reused)."""
    from keepitlocal.spend import io

    hashed: list[str] = []
    real = io.hash_file

    def counted(path: Path) -> str:
        hashed.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(io, "hash_file", counted)
    keep = tmp_path / "ingested.duckdb"
    names = sorted(p.name for p in ledgers)
    analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert sorted(n for n in hashed if n in names) == names
    hashed.clear()
    again = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert again.provenance["ledgers"] == REUSED and not [n for n in hashed if n in names]
    ledgers[0].write_bytes(ledgers[0].read_bytes())  # the same bytes, a new time
    third = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert [n for n in hashed if n in names] == [ledgers[0].name]
    assert third.provenance["ledgers"] == REUSED


def test_a_damaged_ingest_file_is_replaced_not_trusted(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore) -> None:
    fresh = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store))
    keep = tmp_path / "ingested.duckdb"
    keep.write_bytes(b"not a database" * 100)
    result = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert result.provenance["ledgers"] == READ
    assert _comparable(result) == _comparable(fresh)
    again = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert again.provenance["ledgers"] == REUSED
    assert not list(tmp_path.glob(".*.partial"))


def test_a_save_that_fails_leaves_no_partial_file(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from keepitlocal.spend import ingest

    def broken(document: ingest.Ingested, *digests: Any) -> str:
        raise OSError("no space left on device")

    monkeypatch.setattr(ingest, "_document", broken)
    keep = tmp_path / "ingested.duckdb"
    with pytest.raises(OSError):
        analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    # The suppliers are matched while the ingest file is written: their kept result is whole,
    # and a run again reads it. Nothing of the ingest file is left.
    left = {p.name for p in tmp_path.iterdir()} - {"ledgers", "suppliers.csv"}
    assert left <= {"ingested.suppliers.parquet"}


def test_suppliers_given_one_number_by_chance_are_numbered_again(
        ledgers: list[Path], suppliers: Path, store: PostcodeStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines join their supplier on a 64-bit number. Should two identities share one, the
    check number tells them apart and every identity is numbered again: the figures and lines
    are those of a run where no two shared one."""
    fair = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store))
    real = ledger.supplier_id_sql

    def colliding(salt: int = 0) -> str:  # every identity given the number 1 at first
        return "CAST(1 AS UBIGINT) AS sid, " + real(salt).split(" AS sid, ")[1]

    monkeypatch.setattr(ledger, "supplier_id_sql", colliding)
    collided = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store))
    assert fair.matching.by_method == collided.matching.by_method
    assert len(fair.top_local_suppliers) > 1
    assert _comparable(collided) == _comparable(fair)
    assert _lines(collided) == _lines(fair)
