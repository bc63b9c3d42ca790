"""LM3's parameters, from the one registry (`keepitlocal.parameters`, `reference/lm3/`).

A project overrides any of them by name in its `proxies` object; the report lists every value
used and where it came from, so a reader can see which figures are published ones and which are
the user's.
"""

from __future__ import annotations

from keepitlocal.parameters import Parameter, parameters

PARAMETERS: dict[str, Parameter] = parameters("lm3")

__all__ = ["PARAMETERS", "Parameter"]
