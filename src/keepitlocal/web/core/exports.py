"""What every CSV and XLSX download does to the text it writes."""

from __future__ import annotations

from typing import Any

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value
