"""What is left out of the figures, as data a person can read and edit, never buried in code.

Payments to HMRC, pension funds, other councils and internal recharges are not spend with the
market; counting them would make every council look "non-local". The rules live in a JSON file
(shipped default: `keepitlocal/reference/spend/exclusions.json`); the excluded total is reported
rule by rule so nothing disappears unseen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keepitlocal.errors import InputError, Problem

RULE_FIELDS = ("supplier", "expense_type", "department", "service", "description", "sector")


@dataclass(frozen=True)
class Rule:
    id: str
    reason: str
    field: str
    pattern: str


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
        rules.append(Rule(str(item["id"]), str(item.get("reason") or item["id"]),
                          item["field"], str(item["pattern"])))
    redacted = data.get("redacted", "(|redacted|personal redaction|redacted personal data)")
    if problems:
        raise InputError(problems)
    return RuleSet(tuple(rules), str(redacted), source)


def check_patterns(con: Any, rules: RuleSet) -> None:
    """Compile every pattern with the engine that will run it, naming any that fail."""
    problems = []
    for rule in (*rules.rules, Rule("redacted", "redacted", "supplier", rules.redacted)):
        try:
            con.execute("SELECT regexp_matches('x', ?, 'i')", [rule.pattern]).fetchall()
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
        arms.append(f"WHEN regexp_matches(coalesce({rule.field}, ''), '{pattern}', 'i') "
                    f"THEN '{rule_id}'")
    return "CASE " + " ".join(arms) + " ELSE NULL END"


def default_path() -> Path:
    return Path(__file__).resolve().parent.parent / "reference" / "spend" / "exclusions.json"
