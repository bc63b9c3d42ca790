"""What is left out of the figures, as data a person can read and edit, never buried in code.

Payments to HMRC, pension funds, other councils and internal recharges are not spend with the
market; counting them would make every council look "non-local". The rules live in a JSON file
(shipped default: `keepitlocal/reference/spend/exclusions.json`); the excluded total is reported
rule by rule so nothing disappears unseen.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from keepitlocal.errors import InputError, Problem

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


def exclusion_sql(rules: RuleSet) -> str:
    """SQL giving the id of the first rule a line matches, or NULL."""
    if not rules.rules:
        return "CAST(NULL AS VARCHAR)"
    arms = []
    for rule in rules.rules:
        pattern = rule.pattern.replace("'", "''")
        rule_id = rule.id.replace("'", "''")
        unless = ""
        if rule.unless:
            escaped = rule.unless.replace("'", "''")
            unless = f" AND NOT regexp_matches(coalesce({rule.field}, ''), '{escaped}', 'i')"
        arms.append(f"WHEN regexp_matches(coalesce({rule.field}, ''), '{pattern}', 'i')"
                    f"{unless} THEN '{rule_id}'")
    return "CASE " + " ".join(arms) + " ELSE NULL END"


def default_path() -> Path:
    return Path(__file__).resolve().parent.parent / "reference" / "spend" / "exclusions.json"
