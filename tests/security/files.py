"""Well-formed files the upload tests start from (built on the fly, never committed)."""

from __future__ import annotations

import io
from functools import cache

from keepitlocal import lm3


@cache
def lm3_demo_workbook() -> bytes:
    """The LM3 demo project as the workbook a user fills in and uploads."""
    out = io.BytesIO()
    lm3.write_workbook(out, lm3.read_project(lm3.DEMO_PROJECT))
    return out.getvalue()
