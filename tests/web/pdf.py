"""Reading back the PDFs the product makes: text, page size and a picture of page 1, with
poppler's command-line tools (tests that need them are skipped where they are missing)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import SCREENSHOTS


def pdf_text(content: bytes, folder: Path) -> tuple[str, int]:
    """The text of a PDF and its page count, read with poppler's pdftotext (skip if missing)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = folder / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text, text.count("\f") or 1


def pdf_page_size(content: bytes, folder: Path) -> tuple[int, int] | None:
    """(width, height) in points of the first page, from pdfinfo; None without poppler."""
    if shutil.which("pdfinfo") is None:
        return None
    path = folder / "size.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    return (round(float(match[1])), round(float(match[2]))) if match else None


def pdf_first_page_png(content: bytes, name: str) -> Path | None:
    """Render page 1 with `pdftoppm -png -r 60` into artifacts/screenshots (None if missing)."""
    if shutil.which("pdftoppm") is None:
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / f"{name}.pdf"
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(SCREENSHOTS / name)], check=True)
    pdf.unlink()
    return SCREENSHOTS / f"{name}.png"
