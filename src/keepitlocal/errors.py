"""One error family for every engine, so the shells can translate them in one place.

An error says what is wrong (quoting the value), where (file, row, column or key) and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    message: str
    file: str | None = None
    row: int | str | None = None
    column: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f'"{self.column}"')
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.hint:
            text += f"; {self.hint}"
        return text


class KeepItLocalError(Exception):
    """Base for every error an engine raises about its input."""


@dataclass
class InputError(KeepItLocalError):
    """The input cannot be used as it is; `problems` lists every reason found, not just one."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        return f"{len(self.problems)} problems:\n" + "\n".join(f"  - {p}" for p in self.problems)

    @classmethod
    def one(cls, message: str, **where: object) -> InputError:
        return cls([Problem(message, **where)])  # type: ignore[arg-type]
