"""The figure catalogue covers every key the engines report, names only real functions and
parameters, and docs/figures.md is what it generates."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from keepitlocal import figures
from keepitlocal.cli import main

DOCS = Path(__file__).parents[2] / "docs"


def _json(*args: str) -> object:
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_lm3_result_key_is_catalogued():
    assert figures.uncovered("lm3", _json("lm3", "calc", "--demo")) == []


def test_every_enabled_result_key_is_catalogued():
    assert figures.uncovered("enabled", _json("enabled", "calc", "--demo")) == []


def test_every_assetmap_result_key_is_catalogued():
    assert figures.uncovered("assetmap", _json("assetmap", "build", "--demo")) == []


def test_every_framework_result_key_is_catalogued():
    assert figures.uncovered("framework", _json("framework", "report", "--demo")) == []


def test_an_uncatalogued_key_is_found():
    assert figures.uncovered("lm3", {"round1": "1", "new_figure": {"part": "2"}}) == [
        "new_figure.part"]


def test_every_entry_names_a_function_and_parameters_that_exist():
    assert figures.broken() == []
    assert figures.resolve("keepitlocal.lm3.rounds.calculate")
    try:
        figures.resolve("keepitlocal.lm3.rounds.no_such_function")
    except AttributeError:
        pass
    else:
        raise AssertionError("a missing function was resolved")


def test_the_docs_page_is_the_generated_one():
    assert (DOCS / "figures.md").read_text(encoding="utf-8") == figures.markdown(), (
        "run: keepitlocal figures > docs/figures.md")


def test_every_docs_section_named_exists():
    import re

    for entry in figures.CATALOGUE:
        if not entry.docs:
            continue
        page, _, anchor = entry.docs.partition("#")
        headings = {re.sub(r"[^\w\- ]", "", h.lower()).strip().replace(" ", "-")
                    for h in re.findall(r"^#+ (.+)$", (DOCS.parent / page).read_text(
                        encoding="utf-8"), re.M)}
        assert anchor in headings, entry
