"""The shipped exclusion rules on the names councils' ledgers really give other public bodies,
and on private suppliers named after places, which must stay in the figures."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from keepitlocal.spend import exclusions, io


def rule_for(names: list[str]) -> list[str | None]:
    rules = exclusions.rules_from_dict(io.read_json(exclusions.default_path(), "exclusions"),
                                       "exclusions.json")
    con = duckdb.connect()
    exclusions.check_patterns(con, rules)
    con.execute("CREATE TABLE t (i INTEGER, supplier VARCHAR, expense_type VARCHAR, "
                "department VARCHAR, service VARCHAR, description VARCHAR, sector VARCHAR)")
    con.executemany("INSERT INTO t (i, supplier) VALUES (?, ?)", list(enumerate(names)))
    rows = con.execute(f"SELECT {exclusions.exclusion_sql(rules)} FROM t ORDER BY i").fetchall()
    return [r[0] for r in rows]


PUBLIC = [
    "Leeds City Council",  # a neighbouring city council
    "LEEDS CITY COUNCIL",
    "Bradford Metropolitan District Council",
    "City of Bradford Metropolitan District Council",
    "City Of Bradford MDC",
    "Kirklees Council",
    "Calderdale MBC",
    "Wakefield Council - Adult Services",
    "Kent County Council Waste Management Services",
    "Devon County Council",
    "North Yorkshire Council",
    "Harrogate Borough Council",  # a district abolished in 2023
    "Bristol City Council",
    "City of York Council",
    "Stockton-on-Tees Borough Council",
    "Redcar & Cleveland Borough Council",
    "St Helens Council",
    "St. Helens Metropolitan Borough Council",
    "King's Lynn and West Norfolk Borough Council",
    "Kings Lynn & West Norfolk BC",
    "Royal Borough of Greenwich",
    "London Borough of Camden",
    "The Vale of Glamorgan Council",
    "Comhairle nan Eilean Siar",
    "Hebden Royd Town Council",
    "Mytholmroyd Parish Council",
    "Heptonstall Parish Meeting",
    "Leeds Teaching Hospitals NHS Trust",
    "NHS West Yorkshire Integrated Care Board",
    "Calderdale CCG",
    "Yorkshire Ambulance Service",
    "West Yorkshire Police",
    "Police and Crime Commissioner for West Yorkshire",
    "West Yorkshire Fire & Rescue Service",
    "West Yorkshire Combined Authority",
    "Transport for London",
]
PRIVATE = [
    "Leeds Building Society",
    "Devon Contract Waste Ltd",
    "Kent Foods Limited",
    "Durham County Cricket Club",
    "Yorkshire Water Services Ltd",
    "Calderdale Community Transport CIC",
    "Police Mutual Assurance Society",
    "Bristol Street Motors",
    "Council Flooring Supplies Ltd",
    "Fire Protection Services Ltd",
    "Calderdale Council for Voluntary Service",  # a charity
    "Voluntary Action Leeds",
    "Kirklees Council of Faiths",
]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_bodies_are_excluded(name: str) -> None:
    assert rule_for([name]) == ["public-bodies"]


@pytest.mark.parametrize("name", PRIVATE)
def test_private_suppliers_named_after_places_stay(name: str) -> None:
    assert rule_for([name]) == [None]


def test_every_district_name_is_a_council_name() -> None:
    from keepitlocal.geo import lad_names

    names = [n for n in lad_names().values() if n not in ("Channel Islands", "Isle of Man")]
    councils = [f"{n.split(',')[0]} Council" for n in names]
    assert rule_for(councils) == ["public-bodies"] * len(councils)


def test_a_copy_of_the_rules_without_the_county_list_still_knows_counties() -> None:
    rules = exclusions.rules_from_dict({"rules": [
        {"id": "councils", "field": "supplier",
         "pattern": "^({council_names}) county council"}]}, "old.json")
    assert "essex" in rules.rules[0].pattern


_VALUES = st.sampled_from(["Leeds City Council", "LEEDS CITY COUNCIL", "Acme Ltd",
                           "HM Revenue & Customs", "Pension Fund", "Grants", None, "",
                           "Police Pensions", "pension contributions"])


@settings(max_examples=40)
@given(rows=st.lists(st.tuples(_VALUES, _VALUES, _VALUES), min_size=1, max_size=30),
       extra=st.lists(st.tuples(st.sampled_from(exclusions.RULE_FIELDS),
                                st.sampled_from(["pension", "council", "^acme", "grants?"]),
                                st.sampled_from([None, "police", "fund"])), max_size=4))
@example(rows=[("Police Pensions", None, None), ("Pension Fund", "Grants", None)],
         extra=[("supplier", "pension", "police"), ("expense_type", "grants?", None)])
def test_the_lookup_gives_what_the_rules_say_line_by_line(
        rows: list[tuple[str | None, str | None, str | None]],
        extra: list[tuple[str, str, str | None]]) -> None:
    """The engine tries each pattern once per distinct value (`exclusion_lookup`); every line
    must still get the first rule `exclusion_sql` gives it, `unless` and rule order included."""
    shipped = exclusions.rules_from_dict(io.read_json(exclusions.default_path(), "exclusions"),
                                         "exclusions.json")
    added = tuple(exclusions.Rule(f"x{i}", "test", field, pattern, unless)
                  for i, (field, pattern, unless) in enumerate(extra))
    rules = exclusions.RuleSet(added + shipped.rules, shipped.redacted, "test")
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, supplier VARCHAR, expense_type VARCHAR, "
                "department VARCHAR, service VARCHAR, description VARCHAR, sector VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(i, a, b, c, a, b, c) for i, (a, b, c) in enumerate(rows)])
    expected = con.execute(f"SELECT {exclusions.exclusion_sql(rules)} FROM t ORDER BY i"
                           ).fetchall()
    joins, expression = exclusions.exclusion_lookup(con, rules, lambda field: "t")
    found = con.execute(f"SELECT {expression} FROM t l {joins} ORDER BY l.i").fetchall()
    exclusions.drop_lookup(con, rules)
    assert found == expected


@settings(max_examples=40)
@given(rows=st.lists(st.tuples(st.sampled_from(["Police Pensions", "acme grants", "HMRC",
                                                "Pension Fund", "Redacted", ""]),
                               st.booleans(), st.booleans()), min_size=1, max_size=30),
       extra=st.lists(st.tuples(st.sampled_from(["pension", "council", "^acme", "redact",
                                                 "^$"]),
                                st.sampled_from([None, "police", "fund"])), max_size=4))
@example(rows=[("Redacted", True, False), ("", True, False), ("Police Pensions", False, True)],
         extra=[("redact", None), ("pension", "police")])
def test_supplier_patterns_tried_once_per_supplier_give_what_they_give_line_by_line(
        rows: list[tuple[str, bool, bool]], extra: list[tuple[str, str | None]]) -> None:
    """Supplier patterns are tried once per supplier identity (`suppliers=`): one identity's
    names differ only in case, and redacted lines (one identity, many texts) line by line."""
    shipped = exclusions.rules_from_dict(io.read_json(exclusions.default_path(), "exclusions"),
                                         "exclusions.json")
    added = tuple(exclusions.Rule(f"x{i}", "test", "supplier", pattern, unless)
                  for i, (pattern, unless) in enumerate(extra))
    rules = exclusions.RuleSet(added + shipped.rules, shipped.redacted, "test")
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, supplier VARCHAR, redacted BOOLEAN, sid VARCHAR, "
                "expense_type VARCHAR, department VARCHAR, service VARCHAR, "
                "description VARCHAR, sector VARCHAR)")
    lines = []
    for i, (name, redacted, upper) in enumerate(rows):
        text = (name.upper() if upper else name) or None
        lines.append((i, text, redacted, "R" if redacted else (text or "").upper(),
                      None, None, None, None, None))
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", lines)
    con.execute("CREATE TABLE s AS SELECT sid, any_value(supplier) AS supplier, "
                "any_value(sector) AS sector FROM t GROUP BY sid")
    expected = con.execute(f"SELECT {exclusions.exclusion_sql(rules)} FROM t ORDER BY i"
                           ).fetchall()
    joins, expression = exclusions.exclusion_lookup(con, rules, lambda field: "t",
                                                     per_supplier="s")
    found = con.execute(f"SELECT {expression} FROM t l {joins} ORDER BY l.i").fetchall()
    exclusions.drop_lookup(con, rules)
    assert found == expected
