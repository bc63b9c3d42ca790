"""Downloads of one assessment: an A4 PDF report, the figures as XLSX (profile, statements,
every rating, actions) and the statements as CSV. Every text cell goes through neutralise()."""

from __future__ import annotations

import csv
import io
from typing import Any

from keepitlocal.framework.principles import MAX_LEVEL, level_name, principle
from keepitlocal.web.assessment.models import Rating
from keepitlocal.web.assessment.selectors import Page
from keepitlocal.web.core.exports import neutralise
from keepitlocal.web.core.pdf import render_pdf


def profile_rows(view: Page) -> list[list[Any]]:
    rows: list[list[Any]] = [["Principle", "Name", "Score (0-4)", "Lowest agreed",
                              "Highest agreed", "Statements rated", "Statements",
                              "Disagreements", "Previous score", "Change"]]
    for row in view.profile_rows():
        p = row["profile"]
        rows.append([p.principle.id, p.principle.wording, p.score, p.lowest, p.highest, p.rated,
                     len(p.statements), p.disagreements, row["previous"], row["change"]])
    return rows


def statement_rows(view: Page) -> list[list[Any]]:
    raters = view.submitted
    rows: list[list[Any]] = [["Principle", "Statement", "Text", "Agreed rating", "Agreed level",
                              "Lowest", "Highest", "Spread", "Raters disagree (2+ levels)",
                              "Don't know", "Owner", *[f"{r.name} ({r.get_team_display()})"
                                                      for r in raters],
                              "Previous agreed level", "Change"]]
    for row in view.statement_rows():
        item = row["item"]
        rows.append([
            principle(item.statement.principle).name, item.statement.id, item.statement.text,
            item.agreed, level_name(item.agreed), item.lowest, item.highest, item.spread,
            "yes" if item.disagreement else "no", item.dont_know, item.owner,
            *[("don't know" if cell["level"] is None else cell["level"])
              if cell["answered"] else "" for cell in row["levels"]],
            row["previous"] or "", row["change"],
        ])
    return rows


def rating_rows(view: Page) -> list[list[Any]]:
    rows: list[list[Any]] = [["Statement", "Rater", "Team", "Level", "Evidence", "Owner"]]
    ratings = Rating.objects.for_org(view.assessment.organisation).filter(
        rater__in=view.submitted).select_related("rater").order_by("statement", "rater__name")
    for r in ratings:
        rows.append([r.statement, r.rater.name, r.rater.get_team_display(),
                     "don't know" if r.level is None else r.level, r.evidence, r.owner])
    return rows


def action_rows(view: Page) -> list[list[Any]]:
    rows: list[list[Any]] = [["Statement", "Action", "Owner", "Due by", "Status"]]
    for a in view.assessment.actions.all():
        rows.append([a.statement, a.text, a.owner, a.due, a.get_status_display()])
    return rows


def _cells(rows: list[list[Any]]) -> list[list[Any]]:
    return [[neutralise(value) for value in row] for row in rows]


def ratings_csv(view: Page) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(_cells(statement_rows(view)))
    return out.getvalue()


def ratings_xlsx(view: Page) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, rows in (("Profile", profile_rows(view)), ("Statements", statement_rows(view)),
                        ("Ratings", rating_rows(view)), ("Actions", action_rows(view))):
        sheet = book.create_sheet(title)
        for row in _cells(rows):
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_pdf(view: Page) -> bytes:
    return render_pdf("assessment/report_pdf.html", {
        "view": view, "assessment": view.assessment,
        "groups": view.grouped_statements(), "actions": list(view.assessment.actions.all()),
        "bars": profile_bars(view),
    })


def profile_bars(view: Page, width: int = 300) -> list[dict[str, Any]]:
    """Bar widths for the PDF's profile (WeasyPrint draws no JavaScript charts)."""
    bars = []
    for row in view.profile_rows():
        score = row["profile"].score
        previous = row["previous"]
        bars.append({
            "row": row,
            "width": int(width * score / MAX_LEVEL) if score is not None else 0,
            "previous_width": int(width * previous / MAX_LEVEL) if previous is not None else 0,
        })
    return bars
