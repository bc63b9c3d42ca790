"""The national registers in the site administration: what `keepitlocal registers load` has put
in the shared store, when each file was published and loaded, and how many rows it holds.

The registers are not Django models (they live in the register store, DuckDB or PostgreSQL), so
this is one read-only page inside the admin, for staff only (`admin.site.admin_view`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keepitlocal.registers.load import KINDS as COMMAND_KINDS
from keepitlocal.registers.store import KIND_NAMES, KINDS, DuckDBStore
from keepitlocal.web.spend.selectors import register_store


def registers(request: HttpRequest) -> HttpResponse:
    """Each register kind: loaded (file, publication date, rows, load time) or not yet."""
    command_of = {kind: name for name, kind in COMMAND_KINDS.items()}
    with register_store() as store:
        loads = {x.kind: x for x in store.loaded()} if store is not None else {}
        where = _where(store)
    rows: list[dict[str, Any]] = [
        {"kind": kind, "name": KIND_NAMES[kind], "loaded": loads.get(kind),
         "command": f"keepitlocal registers load {command_of[kind]} FILE"} for kind in KINDS]
    return render(request, "spend/admin_registers.html", {
        **admin.site.each_context(request), "title": "National registers",
        "rows": rows, "where": where})


def _where(store: Any) -> str:
    if store is None:
        return "No register store yet: nothing has been loaded on this server."
    if isinstance(store, DuckDBStore):
        return f"They are kept in the DuckDB file {store.path.name} in the data folder."
    return "They are kept in tables of the web app's PostgreSQL database."
