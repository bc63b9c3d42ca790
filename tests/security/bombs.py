"""Hostile files built on the fly (never committed): workbook bombs and deeply nested JSON."""

from __future__ import annotations

import io
import zipfile
from functools import cache

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"


def workbook_bomb(rows: int, sheet: str = "Suppliers", header: str = "Supplier name") -> bytes:
    """A real .xlsx whose one sheet holds `rows` identical rows: it packs tiny and unpacks huge
    (two million rows pack to about 1 MB and unpack to about 80 MB)."""
    out = io.BytesIO()
    row = '<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(name=sheet))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(SHEET_START.encode())
            member.write(
                f'<row><c t="inlineStr"><is><t>{header}</t></is></c>'
                '<c t="inlineStr"><is><t>Value spent</t></is></c></row>'.encode())
            chunk = (row * 10_000).encode()
            for _ in range(rows // 10_000):
                member.write(chunk)
            member.write(SHEET_END.encode())
    return out.getvalue()


def nested_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


@cache
def big_bomb() -> bytes:
    """About 2 MB that unpacks to about 770 MB: past the 400 MB workbook limit."""
    return workbook_bomb(12_000_000)
