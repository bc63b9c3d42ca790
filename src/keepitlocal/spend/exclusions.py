"""What is left out of the figures, as data a person can read and edit, never buried in code.

Payments to HMRC, pension funds, other councils and internal recharges are not spend with the
market; counting them would make every council look "non-local". The rules live in a JSON file
(shipped default: `keepitlocal/reference/spend/exclusions.json`); the excluded total is reported
rule by rule so nothing disappears unseen.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from keepitlocal.errors import InputError, Problem
from keepitlocal.spend import sql

COUNCIL_NAMES = "{council_names}"
RULE_FIELDS = ("supplier", "expense_type", "department", "service", "description", "sector")


@dataclass(frozen=True)
class Rule:
    id: str
    reason: str
    field: str
    pattern: str
    unless: str | None = None  # lines the pattern matches but this one too are not excluded


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    redacted: str
    source: str


def rules_from_dict(data: Any, source: str) -> RuleSet:
    """Check a rules document and build a RuleSet; every problem is reported at once."""
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise InputError.one('an exclusions file is an object with a "rules" list', file=source)
    problems = []
    rules = []
    for index, item in enumerate(data.get("rules", []), start=1):
        where = f"rules[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem("each rule must be an object", file=source, row=where))
            continue
        missing = [k for k in ("id", "field", "pattern") if not item.get(k)]
        if missing:
            problems.append(Problem("missing " + ", ".join(missing), file=source, row=where))
            continue
        if item["field"] not in RULE_FIELDS:
            problems.append(Problem(f"unknown field {item['field']!r}", file=source, row=where,
                                    hint="fields are: " + ", ".join(RULE_FIELDS)))
            continue
        pattern = str(item["pattern"])
        if COUNCIL_NAMES in pattern:
            pattern = pattern.replace(COUNCIL_NAMES, council_names_pattern(
                tuple(_county_councils(data))))
        rules.append(Rule(str(item["id"]), str(item.get("reason") or item["id"]),
                          item["field"], pattern, str(item["unless"]) if item.get("unless")
                          else None))
    redacted = data.get("redacted", "(|redacted|personal redaction|redacted personal data)")
    if problems:
        raise InputError(problems)
    return RuleSet(tuple(rules), str(redacted), source)


def _county_councils(data: dict[str, Any]) -> list[str]:
    names = data.get("council_names")
    if not isinstance(names, dict):  # a copy made before the list was shipped
        names = json.loads(default_path().read_text(encoding="utf-8"))["council_names"]
    return [str(n) for n in names.get("county_councils", [])]


def _name_pattern(name: str) -> str:
    """A council name as councils' suppliers write it: "&" for "and", "St" with or without a
    full stop, hyphens as spaces, apostrophes optional; "Bristol, City of" as "Bristol"."""
    name = re.sub(r",\s*(city|county) of$", "", name.strip(), flags=re.IGNORECASE).lower()
    words = []
    for word in re.split(r"[\s-]+", name):
        if word == "and":
            words.append("(and|&)")
        elif word in ("st", "st."):
            words.append(r"st\.?")
        else:
            words.append(re.escape(word).replace("'", "'?").replace("\\'", "'?"))
    return r"[\s-]+".join(words)


@lru_cache(maxsize=4)
def council_names_pattern(county_councils: tuple[str, ...]) -> str:
    """An alternation of every UK council name: current and former local authority districts
    (reference/lad_names.csv and their predecessors) and the county councils given."""
    from keepitlocal.geo import lad_names
    from keepitlocal.geo.names import former_lads

    names = {*lad_names().values(), *(f.name for f in former_lads().values()),
             *county_councils}
    names -= {"Channel Islands", "Isle of Man"}
    patterns = sorted({_name_pattern(n) for n in names}, key=lambda p: (-len(p), p))
    return "|".join(patterns)


def check_patterns(con: Any, rules: RuleSet) -> None:
    """Compile every pattern with the engine that will run it, naming any that fail."""
    problems = []
    for rule in (*rules.rules, Rule("redacted", "redacted", "supplier", rules.redacted)):
        try:
            for pattern in filter(None, (rule.pattern, rule.unless)):
                con.execute("SELECT regexp_matches('x', ?, 'i')", [pattern]).fetchall()
        except Exception as error:  # duckdb's own error type
            problems.append(Problem(f"pattern does not compile: {str(error).splitlines()[0]}",
                                    file=rules.source, row=f"rule {rule.id!r}"))
    if problems:
        raise InputError(problems)


def _text(column: str) -> str:
    """The column's text, a blank where it has none: a pattern sees a missing value as ''."""
    return f"coalesce({column}, '')"


def _regexp(value: str, pattern: str) -> str:
    return f"regexp_matches({value}, {sql.literal(pattern)}, 'i')"


def _first_rule(rules: Sequence[Rule], matches: Callable[[int, Rule], str],
                unless: Callable[[int, Rule], str],
                then: Callable[[int, Rule], str] = lambda _, r: sql.literal(r.id)) -> str:
    """SQL CASE giving `then` (the id) of the first rule whose `matches` holds and `unless`
    does not."""
    arms = []
    for i, rule in enumerate(rules):
        condition = matches(i, rule)
        if rule.unless:
            condition += f" AND NOT {unless(i, rule)}"
        arms.append(f"WHEN {condition} THEN {then(i, rule)}")
    return "CASE " + " ".join(arms) + " ELSE NULL END"


def exclusion_sql(rules: RuleSet) -> str:
    """SQL giving the id of the first rule a line matches, or NULL (the rules' definition; the
    engine runs the same through `line_rule_lookup` and `supplier_rule_sql`, joined by
    `exclusion_id_sql`)."""
    if not rules.rules:
        return "CAST(NULL AS VARCHAR)"
    return _first_rule(rules.rules, lambda _, r: _regexp(_text(r.field), r.pattern),
                       lambda _, r: _regexp(_text(r.field), r.unless or ""))


PER_SUPPLIER_FIELDS = ("supplier", "sector")  # one value per supplier identity


def of_suppliers(rules: RuleSet) -> list[int]:
    """Positions of the rules on a supplier's own fields (its name, its register sector)."""
    return [i for i, r in enumerate(rules.rules) if r.field in PER_SUPPLIER_FIELDS]


def of_lines(rules: RuleSet) -> list[int]:
    """Positions of the rules on a line's fields (department, service, expense type,
    description)."""
    return [i for i, r in enumerate(rules.rules) if r.field not in PER_SUPPLIER_FIELDS]


def line_rules_key(rules: RuleSet) -> list[list[str | None]]:
    """What the line rules' outcome depends on, in order (not their ids or the supplier
    rules): sums kept per line rule stay right while this is the same."""
    return [[rules.rules[i].field, rules.rules[i].pattern, rules.rules[i].unless]
            for i in of_lines(rules)]


def line_rule_lookup(con: Any, rules: RuleSet, source: str) -> tuple[str, str]:
    """(joins, expression): the number, among the line rules (`of_lines`), of the first one a
    line matches, or NULL; each pattern tried once per distinct value of its field in
    `source`. The joins expect the lines as `l`; `drop_lookup` removes the tables made."""
    line = [rules.rules[i] for i in of_lines(rules)]
    if not line:
        return "", "CAST(NULL AS INTEGER)"
    joins = []
    for field in sorted({r.field for r in line}):
        columns = [f"{_regexp('v', r.pattern)} AS m{i}" for i, r in enumerate(line)
                   if r.field == field]
        columns += [f"{_regexp('v', r.unless)} AS u{i}" for i, r in enumerate(line)
                    if r.field == field and r.unless]
        con.execute(f"CREATE OR REPLACE TEMP TABLE rule_{field} AS SELECT v, "
                    f"{', '.join(columns)} FROM (SELECT DISTINCT {_text(field)} AS v "
                    f"FROM {source})")
        joins.append(f"LEFT JOIN rule_{field} ON {_text('l.' + field)} = rule_{field}.v")
    return " ".join(joins), _first_rule(
        line, lambda i, r: f"rule_{r.field}.m{i}", lambda i, r: f"rule_{r.field}.u{i}",
        then=lambda i, _: str(i))


def supplier_rule_sql(rules: RuleSet, supplier: str, sector: str) -> str:
    """SQL: the position of the first supplier rule (`of_suppliers`) that the supplier text
    and sector given match, or NULL: tried once per supplier, not once per line."""
    own = of_suppliers(rules)
    if not own:
        return "CAST(NULL AS INTEGER)"
    value = {"supplier": _text(supplier), "sector": _text(sector)}
    return _first_rule([rules.rules[i] for i in own],
                       lambda _, r: _regexp(value[r.field], r.pattern),
                       lambda _, r: _regexp(value[r.field], r.unless or ""),
                       then=lambda k, _: str(own[k]))


def exclusion_id_sql(rules: RuleSet, line_rule: str, supplier_rule: str) -> str:
    """SQL: the id of the rule that excludes a line, or NULL: the first in the rules' order of
    its line rule (`line_rule_lookup`'s number) and its supplier's (`supplier_rule_sql`)."""
    if not rules.rules:
        return "CAST(NULL AS VARCHAR)"
    ids = "[" + ", ".join(sql.literal(r.id) for r in rules.rules) + "]"
    line = of_lines(rules)
    at_line = (f"[{', '.join(map(str, line))}][{line_rule} + 1]" if line
               else "CAST(NULL AS INTEGER)")
    return f"{ids}[least({at_line}, {supplier_rule}) + 1]"


def drop_lookup(con: Any, rules: RuleSet) -> None:
    for field in sorted({r.field for r in rules.rules}):
        con.execute(f"DROP TABLE IF EXISTS rule_{field}")


def default_path() -> Path:
    return Path(__file__).resolve().parent.parent / "reference" / "spend" / "exclusions.json"
