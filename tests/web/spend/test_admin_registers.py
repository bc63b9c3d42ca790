"""The national registers page of the site administration: staff only, and it shows what the
register store holds (file, publication date, rows, load time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keepitlocal.registers import store as register_store

from .test_national import CH_NAME, CH_ROWS

pytestmark = pytest.mark.django_db


def test_only_staff_see_the_registers(client: Any, editor: Any, loaded_store: str) -> None:
    assert client.get("/admin/registers/").status_code == 302  # to the admin's sign-in
    client.force_login(editor)
    answer = client.get("/admin/registers/")
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
    editor.is_staff = True
    editor.save()
    page = client.get("/admin/registers/").content.decode()
    row = page[page.index('data-register="companies_house"'):]
    row = row[:row.index("</tr>")]
    assert CH_NAME in row and "1 January 2025" in row and f"<td>{len(CH_ROWS)}</td>" in row
    assert "Not loaded: <code>keepitlocal registers load charities FILE</code>" in page
    assert loaded_store in page
    assert 'href="/admin/registers/"' in client.get("/admin/").content.decode()


def test_no_store_yet(client: Any, editor: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the store is the database's own tables")
    monkeypatch.setattr(register_store, "default_path", lambda: tmp_path / "none.duckdb")
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    page = client.get("/admin/registers/").content.decode()
    assert "No register store yet" in page
    assert page.count("Not loaded:") == 3



def test_the_web_reads_the_store_it_would_load(editor: Any, loaded_store: str) -> None:
    """On PostgreSQL the tables `registers load` writes with DATABASE_URL; else the file."""
    from keepitlocal.web.spend import selectors

    assert selectors.national_registers_loaded()
