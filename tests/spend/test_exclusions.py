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


_SUPPLIERS = st.sampled_from(["Police Pensions", "acme grants", "HMRC", "Pension Fund",
                              "Redacted", "", "Leeds City Council"])


@settings(max_examples=60)
@given(rows=st.lists(st.tuples(_SUPPLIERS, st.booleans(), st.booleans(), _VALUES, _VALUES,
                               st.sampled_from([None, "public", "charity"])),
                     min_size=1, max_size=30),
       extra=st.lists(st.tuples(st.sampled_from(exclusions.RULE_FIELDS),
                                st.sampled_from(["pension", "council", "^acme", "grants?",
                                                 "redact", "^$", "public"]),
                                st.sampled_from([None, "police", "fund"])), max_size=4))
@example(rows=[("Police Pensions", False, False, None, None, None),
               ("Pension Fund", False, False, "Grants", None, None)],
         extra=[("supplier", "pension", "police"), ("expense_type", "grants?", None)])
@example(rows=[("Redacted", True, False, None, None, None), ("", True, False, None, None, None),
               ("Police Pensions", False, True, None, None, None)],
         extra=[("supplier", "redact", None), ("supplier", "pension", "police")])
def test_rules_tried_per_value_and_per_supplier_give_what_they_give_line_by_line(
        rows: list[tuple[str, bool, bool, str | None, str | None, str | None]],
        extra: list[tuple[str, str, str | None]]) -> None:
    """The engine tries each line rule once per distinct value (`line_rule_lookup`) and each
    supplier rule once per supplier identity (`supplier_rule_sql`): one identity's names differ
    only in case, and redacted lines (one identity, many texts) are tried per text. Joined by
    `exclusion_id_sql`, every line must get the first rule `exclusion_sql` gives it, `unless`
    and the rules' order included."""
    shipped = exclusions.rules_from_dict(io.read_json(exclusions.default_path(), "exclusions"),
                                         "exclusions.json")
    added = tuple(exclusions.Rule(f"x{i}", "test", field, pattern, unless)
                  for i, (field, pattern, unless) in enumerate(extra))
    rules = exclusions.RuleSet(added + shipped.rules, shipped.redacted, "test")
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, sid VARCHAR, supplier VARCHAR, redacted BOOLEAN, "
                "expense_type VARCHAR, department VARCHAR, service VARCHAR, "
                "description VARCHAR, sector VARCHAR)")
    lines = []
    for i, (name, redacted, upper, a, b, sector) in enumerate(rows):
        text = (name.upper() if upper else name) or None
        sid = "R" if redacted else (text or "").upper()
        lines.append((i, sid, text, redacted, a, b, a, b, sector if not redacted else None))
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", lines)
    # one sector per identity, as the register gives it
    con.execute("UPDATE t SET sector = s.sector FROM (SELECT sid, any_value(sector) AS sector "
                "FROM t GROUP BY sid) s WHERE t.sid = s.sid")
    expected = con.execute(f"SELECT {exclusions.exclusion_sql(rules)} FROM t ORDER BY i"
                           ).fetchall()
    con.execute("CREATE TABLE keys AS SELECT DISTINCT sid, CASE WHEN redacted THEN "
                "coalesce(supplier, '') ELSE '' END AS rtext FROM t")
    supplier_rule = exclusions.supplier_rule_sql(
        rules, "CASE WHEN s.redacted THEN k.rtext ELSE s.supplier END",
        "s.sector")
    con.execute(f"CREATE TABLE srules AS SELECT k.sid, k.rtext, {supplier_rule} AS srule "
                "FROM keys k JOIN (SELECT sid, any_value(supplier) AS supplier, "
                "any_value(sector) AS sector, bool_or(redacted) AS redacted FROM t GROUP BY sid) "
                "s USING (sid)")
    joins, line_rule = exclusions.line_rule_lookup(con, rules, "t")
    found = con.execute(
        f"SELECT {exclusions.exclusion_id_sql(rules, line_rule, 'r.srule')} FROM t l "
        "JOIN srules r ON r.sid = l.sid AND r.rtext = CASE WHEN l.redacted THEN "
        f"coalesce(l.supplier, '') ELSE '' END {joins} ORDER BY l.i").fetchall()
    exclusions.drop_lookup(con, rules)
    assert found == expected


def test_rules_of_one_kind_only_and_none_at_all() -> None:
    """With no line rules, no supplier rules or no rules, the joined expression still gives
    the first rule (or none)."""
    for fields in (["supplier"], ["expense_type"], []):
        rules = exclusions.RuleSet(tuple(exclusions.Rule(f"r{i}", "test", f, "a")
                                         for i, f in enumerate(fields)), "redacted", "test")
        con = duckdb.connect()
        con.execute("CREATE TABLE t (supplier VARCHAR, expense_type VARCHAR, sector VARCHAR)")
        con.execute("INSERT INTO t VALUES ('a', 'a', NULL), ('b', 'b', NULL)")
        joins, line_rule = exclusions.line_rule_lookup(con, rules, "t")
        srule = exclusions.supplier_rule_sql(rules, "l.supplier", "l.sector")
        found = con.execute(f"SELECT {exclusions.exclusion_id_sql(rules, line_rule, srule)} "
                            f"FROM t l {joins} ORDER BY l.supplier").fetchall()
        assert found == [("r0",) if fields else (None,), (None,)]
