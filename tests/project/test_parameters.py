"""One parameter registry: every engine's parameters in `reference/<engine>/parameters.csv`,
read by one loader, and no copy of a parameter's value anywhere else in the code."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from keepitlocal import parameters
from keepitlocal.lm3.parameters import PARAMETERS as LM3
from keepitlocal.spend import SpendOptions
from keepitlocal.spend.engine import _multipliers

SRC = Path(__file__).parents[2] / "src" / "keepitlocal"
EVERY = parameters.everything()


def _code_files() -> list[Path]:
    """Hand-written code and templates: not the reference data, not generated migrations."""
    return [
        path for path in SRC.rglob("*")
        if path.suffix in (".py", ".html", ".txt")
        and not {"reference", "migrations", "static"} & set(path.parts)
    ]


def _words(name: str) -> list[str]:
    """Words of a parameter's name a copy would sit beside: shift, fuzzy, accept, respend..."""
    return [w for w in name.split("_") if len(w) > 3 and w not in ("share", "local", "time")]


def _spellings(parameter: parameters.Parameter) -> tuple[set[str], set[str]]:
    """(spellings that are a copy anywhere, spellings that are a copy beside the name's words)."""
    value = parameter.default
    plain = f"{value.normalize():f}"
    beside = {plain, str(value)}
    if value == value.to_integral_value():
        beside.add(f"{int(value)}.0")
    anywhere = {f'Decimal("{value}")'} if len(plain) > 3 else set()
    if "share" in parameter.unit:
        percent = f"{(value * 100).normalize():f}"
        beside |= {f'"{percent}"', f"{1 + value:f}"}
    return anywhere, beside


def test_every_engine_has_a_registry_with_sources():
    assert {p.engine for p in EVERY} == set(parameters.ENGINES)
    for parameter in EVERY:
        for column in ("unit", "help", "source", "licence", "published"):
            assert getattr(parameter, column).strip(), (parameter.engine, parameter.name, column)
    assert LM3 is parameters.parameters("lm3")


def test_the_spend_multipliers_are_one_plus_lm3s_supplier_respend():
    local, nonlocal_, source = _multipliers(SpendOptions())
    assert local == 1 + LM3["local_supplier_respend"].default
    assert nonlocal_ == 1 + LM3["nonlocal_supplier_respend"].default
    assert "Northumberland" in source


def test_spend_defaults_come_from_the_registry():
    options = SpendOptions()
    assert options.shift == parameters.value("spend", "shift_share") == Decimal("0.10")
    assert (options.fuzzy_accept, options.fuzzy_review) == (92.0, 80.0)


@pytest.mark.parametrize("parameter", EVERY, ids=lambda p: f"{p.engine}.{p.name}")
def test_no_literal_copy_of_a_parameter_in_the_code(parameter):
    anywhere, beside = _spellings(parameter)
    words = _words(parameter.name)
    copies = []
    for path in _code_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found = any(s in line for s in anywhere) or (
                any(w in line.lower() for w in words)
                and any(re.search(rf"(?<![\w.]){re.escape(s)}(?![\w.])", line) for s in beside)
            )
            if path.suffix in (".html", ".txt") and "share" in parameter.unit:
                found = found or re.search(
                    rf"(?<![\d.]){(parameter.default * 100).normalize():f}%", line) is not None
            if found:
                copies.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert not copies, "\n".join(copies)
