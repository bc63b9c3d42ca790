"""Presenting an Lm3Result on the page, in a PDF, a CSV and a workbook.

Every figure comes from the engine's result_to_dict, so the page, the exports and
`keepitlocal lm3 calc --json` say the same thing.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from keepitlocal import lm3
from keepitlocal.lm3.labels import label, placement_label, proxy_label
from keepitlocal.lm3.model import Lm3Result
from keepitlocal.lm3.model import Project as EngineProject
from keepitlocal.money import pounds
from keepitlocal.web.core.exports import csv_text, workbook_bytes
from keepitlocal.web.core.pdf import render_pdf
from keepitlocal.web.lm3.models import Lm3Project, SupplierResponse, SupplierUpload

ROUND_COLOURS = ("#1d70b8", "#00703c", "#5694ca")
ROUND_LABELS = tuple(label(key) for key in ("round1", "round2", "round3"))


def slug(project: Lm3Project) -> str:
    return slugify(project.name)[:60] or "lm3-project"


def result_context(result: Lm3Result) -> dict[str, Any]:
    figures = lm3.result_to_dict(result)
    rounds = [figures["round1"], figures["round2"], figures["round3"]]
    return {
        "figures": figures,
        "green_threshold": result.proxy("confidence_green").value,
        "rounds": list(zip(ROUND_LABELS, rounds, strict=True)),
        "placements": [(placement_label(k), n) for k, n in sorted(result.placements.items())],
        "bars": svg_bars(rounds),
        "supplier_kinds": [("Local", figures["suppliers"]["local"]),
                           ("Non-local", figures["suppliers"]["nonlocal"])],
        "defaulted": [label for label, kind in (("local", result.local_suppliers),
                                                ("non-local", result.nonlocal_suppliers))
                      if kind.count and kind.respend_share_source != "respondents"],
    }


def plotly_figure(result: Lm3Result) -> dict[str, Any]:
    """The rounds as a Plotly bar chart (JSON for Plotly.newPlot); the table beside it has the
    same numbers for anyone who cannot see the chart."""
    import plotly.graph_objects as go

    values = [result.round1, result.round2, result.round3]
    figure = go.Figure(go.Bar(
        x=["Round 1", "Round 2", "Round 3"], y=[float(v) for v in values],
        text=[compact_pounds(v) for v in values], textposition="outside", textangle=0,
        cliponaxis=False,
        marker_color=list(ROUND_COLOURS), hovertemplate="%{x}: %{text}<extra></extra>",
    ))
    figure.update_layout(
        margin={"l": 70, "r": 10, "t": 30, "b": 40}, height=320,
        font={"family": "Arial, sans-serif", "size": 14, "color": "#0b0c0c"},
        yaxis={"tickprefix": "£", "separatethousands": True, "rangemode": "tozero"},
        plot_bgcolor="#ffffff", paper_bgcolor="#ffffff", showlegend=False,
    )
    return json.loads(figure.to_json())


def compact_pounds(value: Decimal) -> str:
    """£2.26m or £155.4k: short enough to sit on a bar on a phone."""
    if abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:.2f}m"
    if abs(value) >= 10_000:
        return f"£{value / 1_000:.1f}k"
    return pounds(value)


def svg_bars(values: list[Decimal], width: int = 480, height: int = 220) -> list[dict[str, Any]]:
    """Bars for a small SVG chart (PDF and no-JavaScript pages): Plotly's static export needs
    kaleido, which we do not ship."""
    top = max(values) or Decimal(1)
    bar_width, gap, base = 110, 45, height - 30
    bars = []
    for index, (value, colour, name) in enumerate(
        zip(values, ROUND_COLOURS, ("Round 1", "Round 2", "Round 3"), strict=True)
    ):
        bar_height = int((value / top) * (base - 30)) if top else 0
        x = 40 + index * (bar_width + gap)
        bars.append({
            "x": x, "y": base - bar_height, "width": bar_width, "height": bar_height,
            "colour": colour, "label": name, "value": pounds(value),
            "label_x": x + bar_width // 2, "value_y": base - bar_height - 8, "label_y": base + 20,
        })
    return bars


def results_pdf(project: Lm3Project, result: Lm3Result) -> bytes:
    return render_pdf("lm3/results_pdf.html", {
        "project": project, "result": result, **result_context(result),
    })


def results_csv(result: Lm3Result) -> str:
    """The figures as rows of section, item, value: one file a spreadsheet opens as it is."""
    return csv_text(result_rows(result))


def result_rows(result: Lm3Result) -> list[list[Any]]:
    """The figures as (section, item, value) with plain labels from the one labels table; the
    JSON export keeps the keys."""
    figures = lm3.result_to_dict(result)
    rows: list[list[Any]] = [["Section", "Item", "Value"]]
    rows += [["Project", label("name"), figures["name"]],
             ["Project", label("area"), figures["area"]]]
    for key in ("round1", "round2", "round3", "total", "lm3", "headline"):
        rows.append(["Result", label(key), figures[key]])
    rows.append(["Confidence", label("supplier_value_responded_share"),
                 figures["supplier_value_responded_share"]])
    rows.append(["Confidence", label("confidence"), figures["confidence"]])
    for key, value in figures["staff"].items():
        rows.append(["Staff", label(f"staff.{key}"), value])
    for kind in ("local", "nonlocal"):
        for key, value in figures["suppliers"][kind].items():
            rows.append([f"Suppliers ({'local' if kind == 'local' else 'non-local'})",
                         label(f"suppliers.{key}"), value])
    for key in ("spend", "local"):
        rows.append(["Other costs", label(f"other_costs.{key}"), figures["other_costs"][key]])
    rows.append(["Leakage", label("leakage.total"), figures["leakage"]["total"]])
    for leak in figures["leakage"]["largest_nonlocal_suppliers"]:
        rows.append(["Leakage: largest non-local suppliers", leak["name"], leak["spend"]])
    for placed_by, count in sorted(result.placements.items()):
        rows.append(["Placement", placement_label(placed_by), count])
    for proxy in figures["proxies"]:
        rows.append(["Proxy", proxy_label(proxy["name"]), proxy["value"]])
        rows.append(["Proxy source", proxy_label(proxy["name"]), proxy["source"]])
    return rows


SUPPLIER_COLUMNS = ["Supplier name", "Contact name", "E-mail address", "Value spent", "Postcode",
                    "Local", "Invited", "Answered", "Local staff share", "Local supplier share",
                    "Answer source"]


def suppliers_csv(project: Lm3Project) -> str:
    """Every supplier with its answer; text that a spreadsheet would run as a formula is
    neutralised."""
    responses = {
        r.supplier_id: r for r in SupplierResponse.objects.filter(supplier__project=project)
    }
    rows: list[list[Any]] = [SUPPLIER_COLUMNS]
    for supplier in project.suppliers.order_by("pk").iterator(chunk_size=2000):
        response = responses.get(supplier.pk)
        rows.append([
            supplier.name, supplier.contact, supplier.email, supplier.spend, supplier.postcode,
            {True: "yes", False: "no", None: ""}[supplier.local],
            supplier.invited_at.date().isoformat() if supplier.invited_at else "",
            "yes" if response else "no",
            response.local_staff_share if response else "",
            response.local_supplier_share if response else "",
            response.source if response else "",
        ])
    return csv_text(rows)


def upload_problems_csv(upload: SupplierUpload) -> str:
    """The rows of an upload left out, each with its problems, to fix in a spreadsheet."""
    layout = upload.layout
    rows: list[list[Any]] = [["Row", *layout.template_header, "Problems"]]
    for row in upload.rows.filter(ok=False).iterator(chunk_size=2000):
        rows.append([row.row, *(getattr(row, k) for k in layout.fields),
                     "; ".join(f"{k}: {v}" for k, v in row.problems.items())])
    if upload.problems_not_kept:
        rows.append(["", f"And {upload.problems_not_kept:,} more rows with problems, not kept: "
                         "fix the rows above in your file and upload it again to see them."])
    return csv_text(rows)


def project_workbook(project: EngineProject, result: Lm3Result | None) -> bytes:
    """The engine's LM3 workbook (which `keepitlocal lm3 calc` reads), with a Results sheet.

    Text that looks like a formula is stored as text, so a spreadsheet never runs it.
    """
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    raw = io.BytesIO()
    lm3.write_workbook(raw, project)
    raw.seek(0)
    workbook = load_workbook(raw)
    if result is not None:
        sheet = workbook.create_sheet("Results")
        sheet.append(["Section", "Item", "Value"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in result_rows(result)[1:]:
            value = float(row[2]) if isinstance(row[2], Decimal) else row[2]
            sheet.append([row[0], row[1], value])
        sheet.column_dimensions["A"].width = 36
        sheet.column_dimensions["B"].width = 40
        sheet.column_dimensions["C"].width = 60
    return workbook_bytes(workbook)
