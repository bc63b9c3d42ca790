"""Supplier registers: the council's vendor list and, optionally, Companies House and the Charity
Commission, gathered into one columnar table that matching and tagging read.

A register is kept as a pandas frame, not a list of objects, because the Companies House file
holds five million companies. Sector (VCSE / private / public) and size (SME / large) come from
what each source actually says; the rules are spelled out below and in docs/spend.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from keepitlocal.errors import InputError
from keepitlocal.registers import companies_house as companies_house_reader
from keepitlocal.spend import io
from keepitlocal.spend.columns import detect_register
from keepitlocal.spend.model import RegisterEntry

COLUMNS = ("id", "name", "source", "postcode", "supplier_id", "vat_number", "company_number",
           "charity_number", "country", "sector", "size", "company_type", "size_basis")

# A charity is an SME when its income is at most the Companies Act medium-company turnover limit
# (£54m from 6 April 2025, s465 as amended by SI 2024/1303).
SME_INCOME_LIMIT = Decimal("54000000")

_PUBLIC_WORDS = {"public", "public sector", "public body", "government", "local authority",
                 "nhs", "council"}
_VCSE_WORDS = {"vcse", "vcs", "voluntary", "charity", "third sector", "social enterprise",
               "community", "cic", "voluntary and community"}
_YES = {"y", "yes", "true", "1", "sme", "small", "medium", "micro"}
_NO = {"n", "no", "false", "0", "large", "non-sme", "not sme"}


def norm_vat(value: str | None) -> str | None:
    if not value:
        return None
    digits = re.sub(r"[^0-9]", "", str(value))
    return digits if len(digits) in (9, 12) else None


def norm_company(value: str | None) -> str | None:
    if not value:
        return None
    text = re.sub(r"[^A-Za-z0-9]", "", str(value)).upper()
    if not text:
        return None
    if text.isdigit():
        return text.zfill(8) if len(text) <= 8 else None
    return text[:2] + text[2:].zfill(6) if len(text) <= 8 else None


def norm_charity(value: str | None) -> str | None:
    if not value:
        return None
    text = re.sub(r"[^A-Za-z0-9]", "", str(value)).upper()
    if text.isdigit():
        return str(int(text)) if int(text) else None
    return text or None


def norm_id(value: str | None) -> str | None:
    if value is None:
        return None
    text = str(value).strip().upper()
    return text or None


def _sector(value: str) -> str | None:
    v = value.strip().lower()
    if not v:
        return None
    if v in _PUBLIC_WORDS or "public" in v:
        return "public"
    if v in _VCSE_WORDS or any(w in v for w in ("voluntary", "charit", "social enterprise",
                                                 "community")):
        return "vcse"
    return "private"


def _size(value: str) -> str | None:
    v = value.strip().lower()
    if v in _YES:
        return "sme"
    if v in _NO:
        return "large"
    return None


@dataclass
class Register:
    """All register entries, one row each; `frame` has the columns in COLUMNS."""

    frame: pd.DataFrame
    sources: list[str]

    def __len__(self) -> int:
        return len(self.frame)

    def entry(self, index: int) -> RegisterEntry:
        row = self.frame.iloc[index]
        values = {c: (None if pd.isna(row[c]) or row[c] == "" else str(row[c])) for c in COLUMNS}
        return RegisterEntry(**values)  # type: ignore[arg-type]

    @staticmethod
    def empty() -> Register:
        return Register(pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS}), [])

    @staticmethod
    def concat(parts: list[Register]) -> Register:
        frames = [p.frame for p in parts if len(p.frame)]
        if not frames:
            return Register.empty()
        frame = pd.concat(frames, ignore_index=True)
        return Register(frame, [s for p in parts for s in p.sources])


def _when(condition: pd.Series, value: str) -> pd.Series:
    """`value` where the condition holds, None elsewhere (an object column)."""
    return condition.map({True: value, False: None}).astype(object)


def _blank_to_none(series: pd.Series) -> pd.Series:
    """Each value as stripped text, None where it is missing or blank (for the whole column at
    once: a register has hundreds of thousands of rows)."""
    text = series.astype("string").str.strip()
    blank = (text.isna() | (text == "").fillna(True)).to_numpy(dtype=bool)
    out = text.to_numpy(dtype=object, na_value=None)
    out[blank] = None
    return pd.Series(out, index=series.index, dtype=object)


def council_register(path: Path) -> Register:
    """The council's vendor list: a name column, and postcode and ids when present."""
    frame = io.read_table(path)
    columns = detect_register(list(frame.columns))
    if "name" not in columns:
        raise InputError.one("no supplier name column found in the supplier register",
                             file=path.name, row=1,
                             hint="headers found: " + ", ".join(map(repr, frame.columns)))
    out = pd.DataFrame(index=frame.index)
    for field in ("name", "supplier_id", "postcode", "vat_number", "company_number",
                  "charity_number", "country", "company_type"):
        out[field] = _blank_to_none(frame[columns[field]]) if field in columns else None
    out["sector"] = frame[columns["sector"]].map(_sector) if "sector" in columns else None
    out["size"] = frame[columns["size"]].map(_size) if "size" in columns else None
    out["size_basis"] = _when(out["size"].notna(), "council register") \
        if "size" in columns else None
    out["vat_number"] = out["vat_number"].map(norm_vat)
    out["company_number"] = out["company_number"].map(norm_company)
    out["charity_number"] = out["charity_number"].map(norm_charity)
    out["supplier_id"] = out["supplier_id"].map(norm_id)
    out = out[out["name"].notna()].copy()
    # Council ids may repeat (one vendor, several sites); the row keeps each entry distinct.
    rows = pd.Series(out.index + 2, index=out.index).map(lambda r: f"row:{r}")
    out["id"] = out["supplier_id"].where(~out["supplier_id"].duplicated(keep=False)
                                         & out["supplier_id"].notna(), rows)
    out["source"] = "council"
    return Register(out.reset_index(drop=True)[list(COLUMNS)], [f"council register {path.name}"])


def companies_house(path: Path) -> Register:
    """Companies House 'basic company data' (CSV or its zip), streamed by
    `keepitlocal.registers.companies_house`: number, name, postcode, type, size."""
    frame = pd.DataFrame(list(companies_house_reader.read(path)), columns=list(COLUMNS))
    frame = frame.astype(object).where(frame.notna(), None)
    return Register(frame, [f"Companies House basic company data {path.name}"])


def _income(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value and value.strip() else None
    except InvalidOperation:
        return None


def charity_commission(path: Path) -> Register:
    """Charity Commission register extract (JSON or tab-separated `charity` table, or its zip).

    Every registered main charity is VCSE; it is an SME when its latest income is at most
    SME_INCOME_LIMIT.
    """
    frame = io.read_records(path)
    if "registered_charity_number" not in frame.columns or "charity_name" not in frame.columns:
        raise InputError.one("not a Charity Commission charity extract: needs "
                             "registered_charity_number and charity_name", file=path.name, row=1)
    if "linked_charity_number" in frame.columns:
        frame = frame[frame["linked_charity_number"].astype(str).str.strip().isin(["0", ""])]
    if "charity_registration_status" in frame.columns:
        status = frame["charity_registration_status"].astype(str).str.lower()
        frame = frame[~status.str.startswith("removed")]
    income = frame.get("latest_income", pd.Series("", index=frame.index)).astype(str).map(_income)
    size = income.map(lambda i: None if i is None else ("sme" if i <= SME_INCOME_LIMIT
                                                        else "large"))
    number = frame["registered_charity_number"].astype(str).map(norm_charity)
    company = frame.get("charity_company_registration_number",
                        pd.Series("", index=frame.index)).astype(str).map(norm_company)
    is_cio = frame.get("charity_is_cio", pd.Series("", index=frame.index)).astype(str)
    out = pd.DataFrame({
        "id": "CC:" + number.fillna(""),
        "name": frame["charity_name"].astype(str).str.strip(),
        "source": "charity_commission",
        "postcode": _blank_to_none(frame.get("charity_contact_postcode",
                                             pd.Series("", index=frame.index))),
        "supplier_id": None,
        "vat_number": None,
        "company_number": company,
        "charity_number": number,
        "country": None,
        "sector": "vcse",
        "size": size,
        "company_type": _when(is_cio.str.lower().isin(["true", "1", "yes"]), "CIO").fillna(
            "registered charity"),
        "size_basis": _when(size.notna(), "charity latest income"),
    })
    out = out[out["charity_number"].notna()]
    return Register(out.reset_index(drop=True)[list(COLUMNS)],
                    [f"Charity Commission register extract {path.name}"])


def entries(read: Callable[[Path], Register], path: Path) -> int:
    """How many entries `read` (`companies_house`, `charity_commission`) finds in the file: an
    upload check needs only that, so a capped process reading a large file sends back a number."""
    return len(read(path))


def load(council: Path | None, companies: Path | None = None,
         charities: Path | None = None) -> Register:
    parts = []
    if council is not None:
        parts.append(council_register(council))
    if charities is not None:
        parts.append(charity_commission(charities))
    if companies is not None:
        parts.append(companies_house(companies))
    return Register.concat(parts)
