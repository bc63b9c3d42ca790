"""LM3 engine: the Local Multiplier 3 of an organisation's turnover or a contract.

Read a project (io), check it (validation), place staff and suppliers in or out of the area
(placement), then compute the rounds (rounds) and present them (report).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from keepitlocal.lm3.io import project_from_dict, project_to_dict, read_project, write_workbook
from keepitlocal.lm3.model import Lm3Result, Project
from keepitlocal.lm3.placement import place
from keepitlocal.lm3.report import render_text, result_to_dict
from keepitlocal.lm3.rounds import calculate
from keepitlocal.lm3.validation import validate

if TYPE_CHECKING:
    from keepitlocal.geo import PostcodeStore

DEMO_PROJECT = Path(__file__).parent / "demo" / "calder_valley_trust.json"


def run(project: Project, store: PostcodeStore | None = None) -> Lm3Result:
    """Validate, place and calculate: the one path from a project to its LM3."""
    validate(project)
    return calculate(place(project, store))


__all__ = [
    "DEMO_PROJECT",
    "Lm3Result",
    "Project",
    "calculate",
    "place",
    "project_from_dict",
    "project_to_dict",
    "read_project",
    "render_text",
    "result_to_dict",
    "run",
    "validate",
    "write_workbook",
]
