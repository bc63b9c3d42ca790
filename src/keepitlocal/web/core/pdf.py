"""A4 reports: a template rendered to HTML, then laid out as a PDF by WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # slow to import: only when a PDF is asked for

    html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf()
