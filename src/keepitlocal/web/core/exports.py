"""What every CSV and XLSX download does to the text it writes: the writers live with the engines
(`keepitlocal.safeio`), so the command line and the web write cells the same way."""

from __future__ import annotations

from keepitlocal.safeio import FORMULA_START, csv_text, neutralise, save_workbook, workbook_bytes

DANGEROUS_START = FORMULA_START

__all__ = ["DANGEROUS_START", "csv_text", "neutralise", "save_workbook", "workbook_bytes"]
