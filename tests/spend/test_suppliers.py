"""Suppliers identified once, placed every run: a re-analysis beside an ingest file reuses what
matching found while the registers, decisions and thresholds are the same, and matches again
when any of them changes; placing in tiers and districts by distinct postcode gives what placing
each gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keepitlocal.geo import PostcodeStore
from keepitlocal.spend import SpendOptions, analyse, matching, tiers
from keepitlocal.spend import register as registers
from keepitlocal.spend import suppliers as kept_suppliers
from keepitlocal.spend.model import REDACTED

from .conftest import CALDERDALE, RECORDS, counted
from .test_ingest import _comparable, _lines


@pytest.fixture()
def match_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the ledger's suppliers were matched to a register."""
    return counted(monkeypatch, matching, "match_all")


def test_a_rerun_with_other_tiers_places_the_kept_suppliers_without_reading_the_register(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore,
        match_calls: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    keep = tmp_path / "analysis" / "ingested.duckdb"
    analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert len(match_calls) == 1 and kept_suppliers.cache_path(keep).is_file()
    wider = tmp_path / "tiers.json"
    wider.write_text(json.dumps({"name": "Calderdale", "tiers": [
        {"name": "Calderdale and Leeds", "lad": [CALDERDALE, "E08000035"]}]}), encoding="utf-8")
    fresh = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, tiers=wider))
    assert len(match_calls) == 2

    def unread(*args: Any) -> Any:
        raise AssertionError("the register was read again")

    monkeypatch.setattr(registers, "load", unread)
    again = analyse(ledgers, suppliers, CALDERDALE,
                    SpendOptions(store=store, ingested=keep, tiers=wider))
    assert len(match_calls) == 2
    assert _comparable(again) == _comparable(fresh)
    assert _lines(again) == _lines(fresh)
    assert again.matching == fresh.matching


def test_a_changed_register_decision_or_threshold_matches_again(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore,
        match_calls: list[int]) -> None:
    keep = tmp_path / "ingested.duckdb"
    analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    moved = tmp_path / "moved.csv"  # the register with one supplier moved out of Calderdale
    moved.write_text(suppliers.read_text(encoding="utf-8").replace("HX1 1AA", "M1 1AA"),
                     encoding="utf-8")
    changes: list[tuple[Path, dict[str, Any]]] = [
        (moved, {}), (suppliers, {"decisions": {"sheffield steel plc": "none"}}),
        (suppliers, {"fuzzy_accept": 99.0}), (suppliers, {"fuzzy_review": 10.0})]
    for register, change in changes:
        analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
        before = len(match_calls)  # the kept suppliers are the unchanged run's
        fresh = analyse(ledgers, register, CALDERDALE, SpendOptions(store=store, **change))
        again = analyse(ledgers, register, CALDERDALE,
                        SpendOptions(store=store, ingested=keep, **change))
        assert len(match_calls) == before + 2, (register.name, change)
        assert _comparable(again) == _comparable(fresh), (register.name, change)
        assert again.matching == fresh.matching
    moved_result = analyse(ledgers, moved, CALDERDALE, SpendOptions(store=store))
    assert moved_result.tiers[0].spend != fresh.tiers[0].spend  # the change was seen


def test_a_damaged_suppliers_file_is_matched_again_and_replaced(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore,
        match_calls: list[int]) -> None:
    keep = tmp_path / "ingested.duckdb"
    fresh = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    kept = kept_suppliers.cache_path(keep)
    kept.write_bytes(b"PAR1 not really parquet" * 50)
    again = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert len(match_calls) == 2
    assert _comparable(again) == _comparable(fresh)
    third = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert len(match_calls) == 2 and _comparable(third) == _comparable(fresh)
    assert not list(tmp_path.glob(".*.partial"))


POSTCODES = [r[0] for r in RECORDS] + ["ZZ9 9ZZ", "not a postcode", "hx1 1aa"]
COUNTRIES = [None, "", "UK", "United Kingdom", "France", "Ireland", "Wales"]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from([None, *POSTCODES]), st.sampled_from(COUNTRIES),
                               st.booleans()), max_size=30),
       kind=st.sampled_from(["preset", "wide"]))
def test_placing_by_distinct_postcode_gives_what_placing_each_supplier_gives(
        rows: list[tuple[str | None, str | None, bool]], kind: str,
        store: PostcodeStore) -> None:
    council = tiers.preset(CALDERDALE) if kind == "preset" else tiers.from_dict(
        {"name": "Calderdale", "tiers": [{"name": "near", "lad": [CALDERDALE, "E08000035"]},
                                         {"name": "wider", "lad": ["E08000039"]}]},
        CALDERDALE, store, "tiers.json")
    table = pa.table({
        "sid": pa.array(range(len(rows)), type=pa.uint64()),
        "postcode": pa.array([p for p, _, _ in rows], type=pa.string()),
        "country": pa.array([c for _, c, _ in rows], type=pa.string()),
        "match_method": pa.array(["redacted" if r else "name" for _, _, r in rows],
                                 type=pa.string())})
    placed = kept_suppliers.place(table, council, store)
    expected = []
    for postcode, country, redacted in rows:
        found = store.lookup_many([postcode])[0] if postcode else None
        expected.append((None, REDACTED, None) if redacted else (
            *tiers.place(found, country, council), getattr(found, "lad", None) or None))
    assert list(zip(placed.column("tier").to_pylist(), placed.column("category").to_pylist(),
                    placed.column("lad").to_pylist(), strict=True)) == expected


def test_a_register_changed_in_place_is_matched_again(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore,
        match_calls: list[int]) -> None:
    keep = tmp_path / "ingested.duckdb"
    analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    suppliers.write_bytes(suppliers.read_bytes())  # touched, the same bytes: still kept
    analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert len(match_calls) == 1
    suppliers.write_text(suppliers.read_text(encoding="utf-8").replace("HX1 1AA", "M1 1AA"),
                         encoding="utf-8")
    again = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    fresh = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store))
    assert len(match_calls) == 3 and _comparable(again) == _comparable(fresh)


REGISTER_ROWS = [["Supplier Name", "Postcode", "Vendor ID", "VAT Reg"],
                 ["Acme, Trading & Co Ltd", "HX1 1AA", "V001", "GB 123 4567 89"],
                 ["  Pennine Care CIC ", "", "V002", ""],
                 ["Calder; Valley|Cleaning\tServices", "HX3 5AX", " v003 ", ""],
                 ["", "HX1 2BB", "V004", ""]]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_a_council_register_reads_the_same_whatever_its_delimiter(
        tmp_path: Path, delimiter: str) -> None:
    """The delimiter is told from the first line, and quoted cells holding any delimiter, spaces
    around a name, a blank first line, a byte order mark and blank cells all read alike."""
    import csv

    def read(sep: str, name: str) -> Any:
        path = tmp_path / name
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            handle.write("\r\n")
            csv.writer(handle, delimiter=sep, quoting=csv.QUOTE_MINIMAL).writerows(REGISTER_ROWS)
        return registers.council_register(path).frame

    frame = read(delimiter, "register.csv")
    assert frame.equals(read(",", "comma.csv"))
    assert frame["name"].tolist() == ["Acme, Trading & Co Ltd", "Pennine Care CIC",
                                      "Calder; Valley|Cleaning\tServices"]
    assert frame["postcode"].tolist() == ["HX1 1AA", None, "HX3 5AX"]
    assert frame["supplier_id"].tolist() == ["V001", "V002", "V003"]
    assert frame["vat_number"].tolist()[1:] == [None, None]


def test_a_register_of_names_only_is_one_column(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("Supplier Name\nAcme Trading Ltd\nPennine Care CIC\n", encoding="utf-8")
    assert registers.council_register(path).frame["name"].tolist() == ["Acme Trading Ltd",
                                                                        "Pennine Care CIC"]
