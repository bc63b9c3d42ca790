"""Fuzzing every upload parser: random bytes, truncated real files, huge cells and files of the
wrong kind. Each either reads or refuses with an InputError (which names the file and says what
to do); nothing else ever escapes, so no upload can become a server error."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from keepitlocal import lm3
from keepitlocal.errors import KeepItLocalError

from .files import lm3_demo_workbook

FUZZ = settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])


@cache
def supplier_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Suppliers"
    sheet.append(["Supplier name", "Value spent", "Postcode"])
    for number in range(40):
        sheet.append([f"Supplier {number} Ltd", 100 + number, "HX1 1AA"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SUPPLIER_CSV = ("Supplier name,Value spent,Postcode\r\n"
                + "".join(f"Supplier {n} Ltd,{n}.50,HX1 1AA\r\n" for n in range(40))).encode()
LM3_JSON = lm3.DEMO_PROJECT.read_bytes()


def samples() -> st.SearchStrategy[bytes]:
    """Random bytes; a real file cut short or with bytes flipped; a huge cell; another kind."""
    real = st.sampled_from([supplier_xlsx(), lm3_demo_workbook(), SUPPLIER_CSV, LM3_JSON])
    truncated = st.tuples(real, st.floats(0, 1)).map(lambda r: r[0][: int(len(r[0]) * r[1])])
    flipped = st.tuples(real, st.integers(0, 10**9), st.integers(1, 255)).map(
        lambda r: r[0][: r[1] % len(r[0])] + bytes([r[0][r[1] % len(r[0])] ^ r[2]])
        + r[0][r[1] % len(r[0]) + 1:])
    huge = st.sampled_from([
        b"Supplier name,Value spent\r\n" + b"x" * 3_000_000 + b",1\r\n",
        b'{"name": "' + b"y" * 3_000_000 + b'"}',
        b"[" * 50_000,
        b"%PDF-1.4\n" + b"\0" * 1000,
    ])
    return st.one_of(st.binary(max_size=4000), truncated, flipped, huge)


def _refuses_cleanly(read: Callable[[Path], Any], suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            read(path)
        except KeepItLocalError as error:
            assert str(error)  # a message a person can read
        except RecursionError as error:  # pragma: no cover - the bug this test exists for
            raise AssertionError("nesting reached the parser") from error


@FUZZ
@given(data=samples(), suffix=st.sampled_from([".xlsx", ".json", ".csv"]))
def test_lm3_web_supplier_reader(data: bytes, suffix: str) -> None:
    from keepitlocal.web.lm3 import uploads

    _refuses_cleanly(lambda p: uploads.read_file(p.name, io.BytesIO(p.read_bytes())), suffix, data)


@FUZZ
@given(data=samples(), suffix=st.sampled_from([".xlsx", ".json"]))
def test_lm3_project_reader(data: bytes, suffix: str) -> None:
    _refuses_cleanly(lm3.read_project, suffix, data)


@FUZZ
@given(data=samples(), suffix=st.sampled_from([".xlsx", ".json"]))
def test_enabled_project_reader(data: bytes, suffix: str) -> None:
    from keepitlocal.enabled import read_project

    _refuses_cleanly(read_project, suffix, data)


@FUZZ
@given(data=samples(), suffix=st.sampled_from([".xlsx", ".csv"]))
@example(data=b"PAR1", suffix=".xlsx")  # Parquet's magic bytes and nothing else (found by this test)
@example(data=b"PAR1" + b"\0" * 64 + b"PAR1", suffix=".csv")  # a Parquet shell with no footer
def test_spend_ledger_and_register_readers(data: bytes, suffix: str) -> None:
    from keepitlocal.spend import io as spend_io

    with tempfile.TemporaryDirectory() as work:
        _refuses_cleanly(lambda p: spend_io.peek(p, Path(work)), suffix, data)
    _refuses_cleanly(spend_io.read_table, suffix, data)
    _refuses_cleanly(lambda p: spend_io.read_json(p, "tiers"), ".json", data)


@FUZZ
@given(value=st.recursive(st.none() | st.integers() | st.text(),
                          lambda inner: st.lists(inner, max_size=3), max_leaves=30))
def test_bounded_json_reads_what_json_reads(value: object) -> None:
    from keepitlocal.safeio import loads_json

    assert loads_json(json.dumps(value), "x") == value


@FUZZ
@given(data=samples(), suffix=st.sampled_from([".xlsx", ".csv", ".json", ".zip"]))
def test_the_background_upload_kinds(data: bytes, suffix: str) -> None:
    """What the worker reads a large supplier or national register or an LM3 project file with
    (`parsing.Kind.read`), also read in the request for a small one."""
    from keepitlocal.web.lm3 import project_files
    from keepitlocal.web.spend import services

    for kind in (services.REGISTER_UPLOAD, services.COMPANIES_HOUSE_UPLOAD,
                 services.CHARITIES_UPLOAD, project_files.PROJECT_IMPORT):
        _refuses_cleanly(kind.read, suffix, data)
