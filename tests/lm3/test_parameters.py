"""Every LM3 method parameter is sourced and documented (one registry, no silent constants)."""

from pathlib import Path

import pytest

from keepitlocal.lm3.parameters import PARAMETERS

DOC = (Path(__file__).parents[2] / "docs" / "lm3.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_parameter_has_a_source_and_is_documented(name):
    parameter = PARAMETERS[name]
    assert parameter.source.strip()
    assert parameter.licence.strip()
    assert parameter.published.strip()
    assert 0 <= parameter.default <= 1
    assert f"`{name}`" in DOC
