"""Fixtures for LM3 online: a project in each state, and suppliers' survey links."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from keepitlocal.web.lm3 import services
from keepitlocal.web.lm3.models import Lm3Project, PayrollMode

CALDERDALE = "E08000033"


@pytest.fixture
def make_project(db: Any) -> Callable[..., Lm3Project]:
    """make_project(org, suppliers=[(name, spend, postcode_or_local, email)...]) -> Lm3Project."""

    def make(org: Any, name: str = "Jubilee Children's Centre contract",
             suppliers: list[tuple[str, str, Any, str]] | None = None) -> Lm3Project:
        project = services.lm3_project_create(
            org=org, user=None, name=name, scope="contract",
            period_start=date(2025, 4, 1), period_end=date(2026, 3, 31),
        )
        services.area_lad_add(project, CALDERDALE)
        services.payroll_set(project, mode=PayrollMode.TOTALS, local_pay=Decimal("60000"),
                             nonlocal_pay=Decimal("20000"))
        services.other_cost_add(project, label="Business rates", spend=Decimal("5000"),
                                local=True)
        for supplier_name, spend, where, email in suppliers if suppliers is not None else [
            ("Halifax Bakery", "12000.00", True, "bakery@example.org"),
            ("Leeds Print Ltd", "8000.00", False, "print@example.org"),
            ("Calder Cleaning CIC", "5000.00", True, "clean@example.org"),
            ("National Energy plc", "20000.00", False, ""),
        ]:
            services.supplier_save(
                project, name=supplier_name, spend=Decimal(spend), email=email,
                local=where if isinstance(where, bool) else None,
                postcode=where if isinstance(where, str) else "",
            )
        return project

    return make


@pytest.fixture
def project(make_project: Callable[..., Lm3Project], org: Any) -> Lm3Project:
    return make_project(org)


@pytest.fixture
def invited(project: Lm3Project, mailoutbox: list[Any]) -> Lm3Project:
    """The project with invitations sent (tasks run at once in the tests)."""
    from django.db import transaction

    with transaction.atomic():
        services.invitations_send(project, base_url="http://testserver")
    return project


def survey_links(mailoutbox: list[Any]) -> dict[str, str]:
    """E-mail address -> the survey path in the e-mail sent to it (last one wins)."""
    links = {}
    for message in mailoutbox:
        for word in message.body.split():
            if "/lm3/survey/" in word:
                links[message.to[0]] = word.replace("http://testserver", "")
    return links


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
    from ..conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / f"{name}.pdf"
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(SCREENSHOTS / name)], check=True)
    pdf.unlink()
    return SCREENSHOTS / f"{name}.png"
