"""What the engines' file readers (LM3 projects, impact plans) share: a document read from its
JSON file or its workbook, and the records listed in it turned into rows while every problem is
kept, so that one message lists all there is to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from keepitlocal.errors import InputError, Problem
from keepitlocal.safeio import Row, read_json_file

T = TypeVar("T")


class RowReader:
    """Turns rows into typed values, keeping every problem instead of stopping at the first;
    each engine's reader adds the values its rows hold."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, row: Row, column: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(message, file=row.file, row=row.row, column=column, hint=hint))

    def finish(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def rows(self, document: dict[str, Any], key: str) -> Iterator[Row]:
        """The records listed under `key`: a workbook's rows as they are (they know their sheet
        and row), a JSON object as a row named by its place in the list."""
        items = document.get(key)
        if items is None:
            return
        if not isinstance(items, list):
            self.problems.append(Problem(f"{key} should be a list", file=self.source, column=key))
            return
        for index, item in enumerate(items):
            if isinstance(item, Row):
                yield item
            elif isinstance(item, dict):
                yield Row(item, self.source, f"{key}[{index}]")
            else:
                self.problems.append(Problem(
                    f"{key}[{index}] should be an object", file=self.source, row=f"{key}[{index}]"
                ))


def read_document(
    path: Path | str, workbook: Callable[[Path], T], document: Callable[[Any, str], T]
) -> T:
    """Read `path` with `workbook` when it is an .xlsx/.xlsm file, else as JSON given to
    `document` with the file's name."""
    path = Path(path)
    if not path.exists():
        raise InputError.one(f"{path} does not exist", hint="check the file name")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return workbook(path)
    return document(read_json_file(path), path.name)
