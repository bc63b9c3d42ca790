"""The lines' sums kept beside the ingest file: a re-run after a change of tiers or of a rule on
suppliers reads them back and gives what a fresh run gives; a change of a rule on lines sums
the lines again; a damaged file is summed again and replaced."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from keepitlocal.geo import PostcodeStore
from keepitlocal.spend import SpendOptions, analyse, exclusions, summary
from keepitlocal.spend.model import EXCLUDED, USED

from .conftest import CALDERDALE, counted, write_csv
from .test_ingest import _comparable, _lines

READ_BACK = "reused from the summary file"
SUMMED = "summed from the lines"


@pytest.fixture()
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the lines were summed."""
    return counted(monkeypatch, summary, "build")


def _rules(tmp_path: Path, name: str, change: Any) -> Path:
    document = json.loads(exclusions.default_path().read_text(encoding="utf-8"))
    document["rules"] = change(document["rules"])
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _same(again: Any, fresh: Any) -> None:
    assert _comparable(again) == _comparable(fresh)
    assert _lines(again) == _lines(fresh)


def test_a_rerun_after_a_supplier_rule_or_tier_change_reads_the_sums_back(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore,
        builds: list[int]) -> None:
    keep = tmp_path / "analysis" / "ingested.duckdb"
    first = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert first.provenance["line_sums"] == SUMMED and summary.path(keep).is_file()
    assert first.exclusions  # HMRC's payment is left out by the shipped supplier rule
    no_hmrc = _rules(tmp_path, "no-hmrc.json", lambda rules: rules[1:])
    wider = tmp_path / "tiers.json"
    wider.write_text(json.dumps({"name": "Calderdale", "tiers": [
        {"name": "Calderdale and Leeds", "lad": [CALDERDALE, "E08000035"]}]}), encoding="utf-8")
    # a supplier rule that matches a redacted line's own text, and one on the register's sector
    redacted = _rules(tmp_path, "redacted.json", lambda rules: [
        {"id": "redacted-out", "field": "supplier", "pattern": "^redacted$"},
        {"id": "charities-out", "field": "sector", "pattern": "charit|voluntary"}, *rules])
    for change in ({"exclusions": no_hmrc}, {"tiers": wider}, {"exclusions": redacted},
                   {"decisions": {"Leeds Widgets Limited": "no match"}}):
        fresh = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, **change))
        summed = len(builds)
        again = analyse(ledgers, suppliers, CALDERDALE,
                        SpendOptions(store=store, ingested=keep, **change))
        assert len(builds) == summed, change  # read back, not summed again
        assert again.provenance["line_sums"] == READ_BACK
        _same(again, fresh)
    assert fresh.total != first.total or fresh.tiers != first.tiers


def test_a_changed_line_rule_sums_the_lines_again(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore,
        builds: list[int]) -> None:
    keep = tmp_path / "ingested.duckdb"
    analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert len(builds) == 1
    changes = [
        _rules(tmp_path, "care.json", lambda rules: [
            *rules, {"id": "care", "field": "expense_type", "pattern": "^care$"}]),
        _rules(tmp_path, "care-unless.json", lambda rules: [
            *rules, {"id": "care", "field": "expense_type", "pattern": "^care$",
                     "unless": "care"}]),
        _rules(tmp_path, "adults.json", lambda rules: [
            {"id": "adults", "field": "department", "pattern": "adults"}, *rules]),
    ]
    for rules in changes:
        summed = len(builds)
        again = analyse(ledgers, suppliers, CALDERDALE,
                        SpendOptions(store=store, ingested=keep, exclusions=rules))
        assert len(builds) == summed + 1 and again.provenance["line_sums"] == SUMMED
        _same(again, analyse(ledgers, suppliers, CALDERDALE,
                             SpendOptions(store=store, exclusions=rules)))
    assert "adults" in again.exclusions
    # a line rule with another id and nothing else changed gives the same sums
    renamed = _rules(tmp_path, "renamed.json", lambda rules: [
        {"id": "grown-ups", "field": "department", "pattern": "adults"}, *rules])
    again = analyse(ledgers, suppliers, CALDERDALE,
                    SpendOptions(store=store, ingested=keep, exclusions=renamed))
    assert again.provenance["line_sums"] == READ_BACK and "grown-ups" in again.exclusions


def test_a_damaged_summary_file_is_summed_again_and_replaced(
        tmp_path: Path, ledgers: list[Path], suppliers: Path, store: PostcodeStore) -> None:
    keep = tmp_path / "ingested.duckdb"
    first = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    summary.path(keep).write_bytes(b"not a database")
    again = analyse(ledgers, suppliers, CALDERDALE, SpendOptions(store=store, ingested=keep))
    assert again.provenance["line_sums"] == SUMMED
    _same(again, first)
    assert analyse(ledgers, suppliers, CALDERDALE, SpendOptions(
        store=store, ingested=keep)).provenance["line_sums"] == READ_BACK


_NAMES = ["Acme Catering Ltd", "ACME CATERING LTD", "Leeds City Council", "REDACTED",
          "Redacted personal data", "", "Calder Valley Community Trust", "HMRC"]
_SUPPLIER_RULES = [("supplier", "acme"), ("supplier", "council"), ("supplier", "personal"),
                   ("supplier", "^redacted$"), ("sector", "charit"), ("supplier", "^$")]


@settings(max_examples=12)
@given(lines=st.lists(st.tuples(st.sampled_from(_NAMES), st.sampled_from(["Care", "Tax", ""]),
                                st.integers(-500, 5000), st.sampled_from(["01/04/2024",
                                                                          "2024-05", ""])),
                      min_size=1, max_size=25),
       first=st.lists(st.sampled_from(_SUPPLIER_RULES), max_size=3),
       second=st.lists(st.sampled_from(_SUPPLIER_RULES), max_size=3),
       line_rule=st.sampled_from([None, "care", "tax"]))
@example(lines=[("", "Care", 0, "")], first=[], second=[], line_rule=None)  # nothing usable
def test_sums_kept_under_some_supplier_rules_give_a_fresh_run_under_others(
        tmp_path_factory: pytest.TempPathFactory, suppliers_for_property: Path,
        store: PostcodeStore, lines: list[tuple[str, str, int, str]],
        first: list[tuple[str, str]], second: list[tuple[str, str]],
        line_rule: str | None) -> None:
    """Whatever the supplier rules were when the lines were summed, a run under other supplier
    rules (the same line rules) gives every figure, count and line a fresh run gives; each
    line's status is what the rules say of that line alone (`exclusion_sql`, redacted lines by
    their own text), and the used lines add up to the total."""
    folder = tmp_path_factory.mktemp("summed")
    ledger = write_csv(folder / "ledger.csv", ["Date", "Supplier Name", "Expense Type", "Amount"],
                       [[date, name, kind, f"{pence / 100:.2f}"]
                        for name, kind, pence, date in lines])
    line = [{"id": "l", "field": "expense_type", "pattern": line_rule}] if line_rule else []

    def rules(name: str, chosen: list[tuple[str, str]]) -> Path:
        return _rules(folder, name, lambda shipped: [
            {"id": f"s{i}", "field": field, "pattern": pattern}
            for i, (field, pattern) in enumerate(chosen)] + line + shipped)

    keep = folder / "ingested.duckdb"
    analyse([ledger], suppliers_for_property, CALDERDALE,
            SpendOptions(store=store, ingested=keep, exclusions=rules("a.json", first)))
    after = rules("b.json", second)
    again = analyse([ledger], suppliers_for_property, CALDERDALE,
                    SpendOptions(store=store, ingested=keep, exclusions=after))
    assert again.provenance["line_sums"] == READ_BACK
    fresh = analyse([ledger], suppliers_for_property, CALDERDALE,
                    SpendOptions(store=store, exclusions=after))
    _same(again, fresh)
    table = again.line_table.to_pylist()
    used = sum(r["amount_pence"] for r in table if r["status"] == USED)
    assert used == int(again.total * 100)
    ruled = [r for r in table if r["status"] in (USED, EXCLUDED)]
    con = duckdb.connect()
    con.execute("CREATE TABLE t (supplier VARCHAR, expense_type VARCHAR, department VARCHAR, "
                "service VARCHAR, description VARCHAR, sector VARCHAR)")
    if ruled:  # none when every line is unusable
        con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", [
            (r["supplier"], r["expense_type"] if r["expense_type"] != summary.NOT_GIVEN
             else None, None, None, None, r["sector"]) for r in ruled])
    rule_set = exclusions.rules_from_dict(json.loads(after.read_text(encoding="utf-8")), "b")
    expected = [row[0] for row in con.execute(
        f"SELECT {exclusions.exclusion_sql(rule_set)} FROM t").fetchall()]
    assert [r["reason"] if r["status"] == EXCLUDED else None for r in ruled] == expected


@pytest.fixture(scope="module")
def suppliers_for_property(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import SUPPLIERS, SUPPLIERS_HEADER

    return write_csv(tmp_path_factory.mktemp("register") / "suppliers.csv", SUPPLIERS_HEADER,
                     SUPPLIERS)
