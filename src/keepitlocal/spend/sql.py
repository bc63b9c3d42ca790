"""Text put into the engine's SQL: file names, paths, patterns and rule ids become literals in
one place, so none is quoted by hand, and none a different way."""

from __future__ import annotations


def literal(text: str) -> str:
    """`text` as an SQL string literal: in single quotes, each quote inside doubled."""
    return "'" + text.replace("'", "''") + "'"
