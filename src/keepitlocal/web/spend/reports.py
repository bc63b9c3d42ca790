"""The engine's result on the dashboard, in charts, in CSV and XLSX, and in a PDF summary.

Every figure is read from the run's `result_to_dict` document, so the page, the exports and
`keepitlocal spend analyse --json` say the same thing. Nothing here adds, subtracts or divides
money: charts only turn the engine's shares into percentages for their axes.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.text import slugify

from keepitlocal.web.core.exports import csv_text, neutralise, workbook_bytes
from keepitlocal.web.core.maps import outlines
from keepitlocal.web.core.pdf import render_pdf
from keepitlocal.web.spend.models import AnalysisRun, SpendAnalysis

BLUE, GREEN, LIGHT_BLUE, ORANGE, GREY, PURPLE = (
    "#1d70b8", "#00703c", "#5694ca", "#f47738", "#505a5f", "#4c2c92")
TIER_COLOURS = ("#00703c", "#1d70b8", "#5694ca", "#8eb8dc")
TIER_TEXT_COLOURS = ("#ffffff", "#ffffff", "#0b0c0c", "#0b0c0c")  # legible on each tier colour
FONT = {"family": "Arial, sans-serif", "size": 14, "color": "#0b0c0c"}
TOP_GROUPS = 12


def slug(analysis: SpendAnalysis) -> str:
    return slugify(analysis.name)[:60] or "spend-analysis"


def _float(value: Any) -> float:
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return 0.0


def _percent_value(share: Any) -> float:
    """A share ("0.4712") as a number of percent for a chart axis (47.12)."""
    return round(_float(share) * 100, 2)


def compact_pounds(value: Any) -> str:
    """£2.26m or £155.4k: short enough to sit on a bar on a phone."""
    amount = Decimal(str(value))
    if abs(amount) >= 1_000_000:
        return f"£{amount / 1_000_000:.2f}m"
    if abs(amount) >= 10_000:
        return f"£{amount / 1_000:.1f}k"
    return f"£{amount:,.2f}"


def drill_url(analysis: SpendAnalysis, **filters: Any) -> str:
    query = {k: v for k, v in filters.items() if v is not None and v != ""}
    return reverse("spend:lines", args=[analysis.pk]) + ("?" + urlencode(query) if query else "")


# --- the dashboard -------------------------------------------------------------------------


def _with_links(analysis: SpendAnalysis, rows: list[dict[str, Any]], key: str,
                limit: int | None = None) -> list[dict[str, Any]]:
    out = []
    for row in rows[:limit] if limit else rows:
        out.append({**row, "url": drill_url(analysis, **{key: row["name"]})})
    return out


def dashboard_context(analysis: SpendAnalysis, run: AnalysisRun) -> dict[str, Any]:
    result: dict[str, Any] = run.result or {}
    tiers = [{**t, "url": drill_url(analysis, tier=t["tier"])} for t in result.get("tiers", [])]
    beyond = [
        {"name": "Outside the UK", "spend": result["outside_uk_spend"],
         "url": drill_url(analysis, category="outside UK")},
        {"name": "Unknown (no postcode, or one not found)", "spend": result["unknown_spend"],
         "url": drill_url(analysis, category="unknown")},
        {"name": "Redacted supplier names", "spend": result["redacted_spend"],
         "url": drill_url(analysis, category="redacted")},
    ]
    local = tiers[0] if tiers else None
    # The engine lists rules by money excluded; a PostgreSQL JSON column does not keep key order.
    ordered = sorted(result.get("exclusions", {}).items(), key=lambda kv: (-Decimal(kv[1]), kv[0]))
    exclusions = [{"rule": rule, "spend": spend,
                   "url": drill_url(analysis, status="excluded", reason=rule)}
                  for rule, spend in ordered]
    reasons = {r.get("id"): r.get("reason", "") for r in
               (analysis.exclusion_rules or {}).get("rules", [])}
    for row in exclusions:
        row["reason"] = reasons.get(row["rule"], "")
    months = result.get("by_month", [])
    dated = [m for m in months if m["name"] != "undated"]
    period = (dated[0]["name"], dated[-1]["name"]) if dated else None
    accounting = [
        ("Used in the total", result["lines_used"], drill_url(analysis)),
        ("Excluded by a rule", result["lines_excluded"], drill_url(analysis, status="excluded")),
        ("Repeats of a line in an earlier file", result["lines_duplicate"],
         drill_url(analysis, status="duplicate")),
        ("Unusable (no amount, not a number, a totals row)", result["lines_unusable"],
         drill_url(analysis, status="unusable")),
    ]
    return {
        "result": result,
        "local": local,
        "tiers": tiers,
        "beyond": beyond,
        "exclusions": exclusions,
        "accounting": accounting,
        "period": period,
        "departments": _with_links(analysis, result.get("by_department", []), "department",
                                   TOP_GROUPS),
        "departments_all": len(result.get("by_department", [])),
        "services": _with_links(analysis, result.get("by_service", []), "service", TOP_GROUPS),
        "services_all": len(result.get("by_service", [])),
        "expense_types": _with_links(analysis, result.get("by_expense_type", []),
                                     "expense_type", TOP_GROUPS),
        "expense_types_all": len(result.get("by_expense_type", [])),
        "months": _with_links(analysis, months, "month"),
        "quarters": _with_links(analysis, result.get("by_quarter", []), "quarter"),
        "years": _with_links(analysis, result.get("by_year", []), "year"),
        "top_local": [{**s, "url": drill_url(analysis, supplier_name=s["name"], tier=s["tier"])}
                      for s in result.get("top_local_suppliers", [])],
        "top_nonlocal": [{**s, "url": drill_url(
            analysis, supplier_name=s["name"], tier=s["tier"],
            category=None if s["tier"] is not None else s["category"])}
            for s in result.get("top_nonlocal_suppliers", [])],
        "leakage": [{**row, "url": drill_url(analysis, expense_type=row["expense_type"]),
                     "leaked_url": drill_url(analysis, expense_type=row["expense_type"],
                                             kind="nonlocal")}
                    for row in result.get("leakage", [])],
        "shares": [
            ("VCSE (voluntary, community and social enterprise)", result["vcse_share"],
             result["vcse_spend"], drill_url(analysis, kind="vcse")),
            (f"VCSE based in {local['name'] if local else 'the council area'}",
             result["local_vcse_share"], result["local_vcse_spend"],
             drill_url(analysis, kind="vcse", tier=1)),
            ("SME (small and medium-sized enterprises)", result["sme_share"],
             result["sme_spend"], drill_url(analysis, kind="sme")),
        ],
        "sme_unknown_url": drill_url(analysis, kind="sme_unknown"),
        "matching": result.get("matching", {}),
        "methods": sorted(result.get("matching", {}).get("by_method", {}).items(),
                          key=lambda kv: (-kv[1], kv[0])),
        "charts": charts(result, analysis),
        "districts": district_map(result),
    }


# Five shades of GOV.UK blue, light to dark: the spend map's classes.
DISTRICT_SHADES = ("#d2e2f1", "#9fc2e0", "#5694ca", "#1d70b8", "#003078")


def district_map(result: dict[str, Any]) -> dict[str, Any] | None:
    """The engine's `by_district` as a shaded map and its legend: each district's shade is its
    fifth of the range up to the largest district's spend (equal steps, so the legend reads as
    plain amounts). None when no supplier was placed in a district (or the run predates it)."""
    rows = result.get("by_district") or []
    if not rows:
        return None
    top = max(Decimal(r["spend"]) for r in rows)
    steps = len(DISTRICT_SHADES)

    def shade(spend: Decimal) -> int | None:
        if spend <= 0 or top <= 0:
            return None
        return min(steps - 1, int(spend * steps / top))

    listed, shading = [], {}
    for row in rows:
        number = shade(Decimal(row["spend"]))
        fill = DISTRICT_SHADES[number] if number is not None else None
        listed.append({**row, "shade": number})
        shading[row["code"]] = {"fill": fill, "council": row["council"], "spend": row["spend"]}
    # The key's steps are a scale for the eye, not figures: the table gives the amounts.
    legend = [{"low": top * i / steps, "high": top * (i + 1) / steps}
              for i in range(steps)] if top > 0 else []
    return {"rows": listed, "legend": legend,
            "outlines": outlines([r["code"] for r in rows], shading)}


# --- charts (Plotly JSON, drawn by the locally served plotly.min.js) -----------------------


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    layout = {"height": height, "font": FONT, "plot_bgcolor": "#ffffff",
              "paper_bgcolor": "#ffffff", "margin": {"l": 10, "r": 20, "t": 20, "b": 40},
              "showlegend": False}
    layout.update(extra)
    return layout


def _wrap(text: str, width: int = 16) -> str:
    """Long axis labels on two or three lines (Plotly breaks lines at <br>); Plotly reads its
    labels as a little HTML, so the text itself is escaped."""
    text = escape(text)
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _month_label(name: str) -> str:
    """"2024-04" as "Apr 2024"."""
    import calendar

    try:
        year, month = name.split("-")
        return f"{calendar.month_abbr[int(month)]} {int(year)}"
    except (ValueError, IndexError):
        return name


def _short(text: str, width: int = 28) -> str:
    text = text if len(text) <= width else text[: width - 1] + "…"
    return str(escape(text))


# How far (in points of the 0-112% axis) a bar's "36.0%" label reaches past the bar's end.
LABEL_WIDTH = 9.0


def _clear_of_target(values: list[float], level: float, names: list[str], labels: list[str],
                     positions: list[str], annotations: list[dict[str, Any]]) -> None:
    """Keep each bar's label off the dashed target line: a label that would cross it goes inside
    its bar when the bar is long enough, otherwise just past the line."""
    for index, value in enumerate(values):
        if not value - 0.5 <= level <= value + LABEL_WIDTH:
            continue
        if value >= LABEL_WIDTH + 2:
            positions[index] = "inside"
        else:
            annotations.append({"x": level + 0.8, "y": names[index], "xanchor": "left",
                                "text": labels[index], "showarrow": False,
                                "font": {"color": "#0b0c0c", "size": 13}})
            labels[index] = ""


def charts(result: dict[str, Any], analysis: SpendAnalysis) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    tiers = result.get("tiers", [])
    target = result.get("target")
    if tiers:
        names = [_wrap(f"{t['tier']}. {t['name']}") for t in tiers]
        values = [_percent_value(t["cumulative_share"]) for t in tiers]
        shapes, annotations = [], []
        labels = [f"{v:.1f}%" for v in values]
        positions = ["outside"] * len(values)
        if target:
            level = _percent_value(target["target_share"])
            shapes.append({"type": "line", "yref": "paper", "y0": 0, "y1": 1, "x0": level,
                           "x1": level, "line": {"color": ORANGE, "width": 3, "dash": "dash"}})
            annotations.append({"x": level, "y": 1, "yref": "paper", "yanchor": "bottom",
                                "text": f"Target {level:g}%", "showarrow": False,
                                "font": {"color": "#0b0c0c", "size": 13}})
            _clear_of_target(values, level, names, labels, positions, annotations)
        out["tiers"] = {
            "data": [{"type": "bar", "orientation": "h", "y": names, "x": values,
                      "text": labels, "textposition": positions,
                      "insidetextanchor": "end",
                      "insidetextfont": {"color": list(TIER_TEXT_COLOURS[:len(tiers)])},
                      "cliponaxis": False, "marker": {"color": list(TIER_COLOURS[:len(tiers)])},
                      "customdata": [drill_url(analysis, tier=t["tier"]) for t in tiers],
                      "hovertemplate": "%{y}: %{x:.1f}% of spend<extra></extra>"}],
            "layout": _layout(70 + 55 * len(tiers), xaxis={"ticksuffix": "%", "range": [0, 112]},
                              yaxis={"autorange": "reversed", "automargin": True},
                              shapes=shapes, annotations=annotations,
                              margin={"l": 10, "r": 20, "t": 30, "b": 40}),
        }
    shares = [("Local", tiers[0]["share"] if tiers else "0", drill_url(analysis, tier=1)),
              ("VCSE", result["vcse_share"], drill_url(analysis, kind="vcse")),
              ("Local VCSE", result["local_vcse_share"],
               drill_url(analysis, kind="vcse", tier=1)),
              ("SME", result["sme_share"], drill_url(analysis, kind="sme"))]
    values = [_percent_value(s[1]) for s in shares]
    out["shares"] = {
        "data": [{"type": "bar", "orientation": "h", "y": [s[0] for s in shares], "x": values,
                  "text": [f"{v:.1f}%" for v in values], "textposition": "outside",
                  "cliponaxis": False, "marker": {"color": [GREEN, PURPLE, LIGHT_BLUE, BLUE]},
                  "customdata": [s[2] for s in shares],
                  "hovertemplate": "%{y}: %{x:.1f}% of spend<extra></extra>"}],
        "layout": _layout(240, xaxis={"ticksuffix": "%", "range": [0, 110]},
                          yaxis={"autorange": "reversed", "automargin": True}),
    }
    departments = result.get("by_department", [])[:8]
    if departments:
        labels = [_short(d["name"]) for d in departments]
        out["departments"] = {
            "data": [
                {"type": "bar", "orientation": "h", "name": "All spend", "y": labels,
                 "x": [_float(d["spend"]) for d in departments], "marker": {"color": BLUE},
                 "customdata": [drill_url(analysis, department=d["name"]) for d in departments],
                 "hovertemplate": "%{y}: £%{x:,.0f} in all<extra></extra>"},
                {"type": "bar", "orientation": "h", "name": "Local", "y": labels,
                 "x": [_float(d["local_spend"]) for d in departments], "marker": {"color": GREEN},
                 "customdata": [drill_url(analysis, department=d["name"], tier=1)
                                for d in departments],
                 "hovertemplate": "%{y}: £%{x:,.0f} local<extra></extra>"},
            ],
            "layout": _layout(60 + 45 * len(departments), barmode="group", showlegend=True,
                              legend={"orientation": "h", "y": -0.15},
                              xaxis={"tickprefix": "£", "separatethousands": True},
                              yaxis={"autorange": "reversed", "automargin": True},
                              margin={"l": 10, "r": 20, "t": 10, "b": 60}),
        }
    months = [m for m in result.get("by_month", []) if m["name"] != "undated"]
    if months:
        data: list[dict[str, Any]] = [{
            "type": "scatter", "mode": "lines+markers", "name": "Local share",
            "x": [_month_label(m["name"]) for m in months],
            "y": [_percent_value(m["local_share"]) for m in months],
            "line": {"color": GREEN, "width": 3}, "marker": {"size": 9},
            "customdata": [drill_url(analysis, month=m["name"], tier=1) for m in months],
            "hovertemplate": "%{x}: %{y:.1f}% local<extra></extra>"}]
        if target:
            level = _percent_value(target["target_share"])
            data.append({"type": "scatter", "mode": "lines", "name": "Target",
                         "x": [_month_label(months[0]["name"]), _month_label(months[-1]["name"])],
                         "y": [level, level],
                         "line": {"color": ORANGE, "width": 3, "dash": "dash"},
                         "hovertemplate": "Target: %{y:.1f}%<extra></extra>"})
        out["trend"] = {
            "data": data,
            "layout": _layout(300, showlegend=True, legend={"orientation": "h", "y": -0.25},
                              yaxis={"ticksuffix": "%", "rangemode": "tozero",
                                     "automargin": True},
                              xaxis={"type": "category", "automargin": True},
                              margin={"l": 10, "r": 20, "t": 10, "b": 70}),
        }
    return out


# --- exports -------------------------------------------------------------------------------


def _money(value: Any) -> Any:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value


def sections(result: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The figures as tables: (title, header, rows). Money and shares stay Decimal."""
    r = result
    summary_keys = [
        ("council", "Council code"), ("council_name", "Council"), ("total", "Total spend"),
        ("excluded_total", "Excluded total"), ("duplicate_total", "Duplicate lines total"),
        ("credit_note_total", "Credit notes total"), ("outside_uk_spend", "Outside the UK"),
        ("unknown_spend", "Unknown location"), ("redacted_spend", "Redacted suppliers"),
        ("vcse_spend", "VCSE spend"), ("vcse_share", "VCSE share"),
        ("local_vcse_spend", "Local VCSE spend"), ("local_vcse_share", "Local VCSE share"),
        ("sme_spend", "SME spend"), ("sme_share", "SME share"),
        ("sme_unknown_spend", "Spend with suppliers of unknown size"),
        ("lines_read", "Lines read"), ("lines_used", "Lines used"),
        ("lines_excluded", "Lines excluded"), ("lines_duplicate", "Duplicate lines"),
        ("lines_unusable", "Unusable lines"), ("lines_credit_notes", "Credit notes"),
        ("lines_undated", "Undated lines"), ("lines_redacted", "Redacted lines"),
    ]
    text_keys = {"council", "council_name"}
    summary = [[label, r[key] if key in text_keys or key.startswith("lines_")
                else _money(r[key])] for key, label in summary_keys]
    if r.get("target"):
        t = r["target"]
        summary += [["Target local share", _money(t["target_share"])],
                    ["Current local share", _money(t["current_share"])],
                    ["Gap to the target (£)", _money(t["gap"])],
                    ["Target met", "yes" if t["met"] else "no"]]
    s = r["shift"]
    summary += [["Shift: share of spend moved to local suppliers", _money(s["shift_share"])],
                ["Shift: spend moved", _money(s["shifted_spend"])],
                ["Shift: local supplier multiplier", _money(s["local_multiplier"])],
                ["Shift: non-local supplier multiplier", _money(s["nonlocal_multiplier"])],
                ["Shift: extra local value", _money(s["extra_local_value"])],
                ["Shift: source of the multipliers", s["source"]]]
    out: list[tuple[str, list[str], list[list[Any]]]] = [("Summary", ["Item", "Value"], summary)]
    out.append(("Tiers", ["Tier", "Area", "Spend", "Share", "Cumulative share", "Lines",
                          "Suppliers", "Definition"],
                [[t["tier"], t["name"], _money(t["spend"]), _money(t["share"]),
                  _money(t["cumulative_share"]), t["lines"], t["suppliers"], t["definition"]]
                 for t in r["tiers"]]))
    out.append(("Districts", ["District code", "District", "Spend", "Share", "Lines",
                              "Suppliers", "The council's district"],
                [[d["code"], d["name"], _money(d["spend"]), _money(d["share"]), d["lines"],
                  d["suppliers"], "yes" if d["council"] else "no"]
                 for d in r.get("by_district", [])]))
    out.append(("Exclusions", ["Rule", "Spend excluded"],
                [[k, _money(v)] for k, v in r.get("exclusions", {}).items()]))
    for key, title in (("by_department", "Departments"), ("by_service", "Services"),
                       ("by_expense_type", "Expense types"), ("by_month", "Months"),
                       ("by_quarter", "Quarters"), ("by_year", "Years")):
        out.append((title, ["Name", "Spend", "Local spend", "Local share", "Lines"],
                    [[g["name"], _money(g["spend"]), _money(g["local_spend"]),
                      _money(g["local_share"]), g["lines"]] for g in r.get(key, [])]))
    for key, title in (("top_local_suppliers", "Top local suppliers"),
                       ("top_nonlocal_suppliers", "Top non-local suppliers")):
        out.append((title, ["Supplier", "Spend", "Where", "Tier", "Postcode", "Lines", "VCSE",
                            "SME"],
                    [[x["name"], _money(x["spend"]), x["category"], x["tier"], x["postcode"],
                      x["lines"], "yes" if x["vcse"] else "no",
                      {True: "yes", False: "no"}.get(x["sme"], "unknown")]
                     for x in r.get(key, [])]))
    out.append(("Leakage", ["Expense type", "Spend", "Local spend", "Spend leaving the area",
                            "Local suppliers paid"],
                [[x["expense_type"], _money(x["spend"]), _money(x["local_spend"]),
                  _money(x["leaked_spend"]), x["local_suppliers"]] for x in r.get("leakage", [])]))
    matching = r.get("matching", {})
    out.append(("Matching", ["Method", "Suppliers", "Spend"],
                [[m, n, _money(matching.get("spend_by_method", {}).get(m))]
                 for m, n in matching.get("by_method", {}).items()]))
    out.append(("Files", ["File", "Format", "Encoding", "Header row", "Lines read"],
                [[f["file"], f["format"], f["encoding"], f["header_row"], f["lines_read"]]
                 for f in r.get("files", [])]))
    out.append(("Problems", ["Problem"], [[p["text"]] for p in r.get("problems", [])]))
    return out


def figures_csv(result: dict[str, Any]) -> str:
    """Long format: section, item, measure, value; one file a spreadsheet opens as it is."""
    rows: list[list[Any]] = [["Section", "Item", "Measure", "Value"]]
    for title, header, table in sections(result):
        for row in table:
            if len(header) == 1:
                rows.append([title, "", header[0], row[0]])
                continue
            rows.extend([title, row[0], measure, value]
                        for measure, value in zip(header[1:], row[1:], strict=True))
    return csv_text(rows)


def figures_xlsx(result: dict[str, Any]) -> bytes:
    """One sheet per table; numbers are numbers, text that looks like a formula stays text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, header, rows in sections(result):
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([neutralise(v) for v in row])
        for index, _ in enumerate(header):
            letter = sheet.cell(1, index + 1).column_letter
            sheet.column_dimensions[letter].width = 40 if index == 0 else 18
    return workbook_bytes(workbook)


def lines_csv(rows: list[dict[str, Any]]) -> str:
    columns = ["file", "row", "date", "date_precision", "supplier", "supplier_name",
               "department", "service",
               "expense_type", "category", "tier", "status", "reason", "amount"]
    return csv_text([columns, *([row.get(c) for c in columns] for row in rows)])


def summary_pdf(analysis: SpendAnalysis, run: AnalysisRun) -> bytes:
    """An A4 summary for a cabinet report: headline, tiers, shares, target, departments,
    suppliers, leakage and the shift estimate, with the method and sources."""
    context = dashboard_context(analysis, run)
    result = context["result"]
    bars = []
    for index, tier in enumerate(result.get("tiers", [])):
        width = round(2.4 * max(0.0, min(100.0, _percent_value(tier["cumulative_share"]))), 1)
        top = index * 28
        bars.append({"label": f"{tier['tier']}. {tier['name']}", "share": tier["cumulative_share"],
                     "label_y": top + 9, "y": top + 12, "w": width, "text_x": width + 3,
                     "text_y": top + 19, "colour": TIER_COLOURS[min(index, 3)]})
    context["tier_bars"] = bars
    context["svg_height"] = max(28, len(bars) * 28)
    context["target_x"] = None
    if result.get("target"):
        context["target_x"] = round(2.4 * max(0.0, min(100.0, _percent_value(
            result["target"]["target_share"]))), 1)
    return render_pdf("spend/summary_pdf.html", {"analysis": analysis, "run": run, **context})
