"""Asset map web tests read no register store but their own: by default none is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def no_register_store(tmp_path: Path, monkeypatch: Any) -> Path:
    """Point the server's register store at an empty DuckDB file's place (a test may load one
    there), whatever database the web app runs on."""
    path = tmp_path / "store" / "registers.duckdb"
    path.parent.mkdir()
    monkeypatch.setattr("keepitlocal.registers.store.default_path", lambda: path)
    monkeypatch.setattr("keepitlocal.registers.store.postgres_url", lambda url=None: None)
    return path


@pytest.fixture
def council(make_org: Any) -> Any:
    return make_org("Calderdale Council", "council")


@pytest.fixture
def editor(make_member: Any, council: Any) -> Any:
    return make_member("editor@example.org", council, "editor")
