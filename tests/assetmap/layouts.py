"""Register files in their published layouts, written for tests (never copied from real files).

The Charity Commission extract is one JSON array per table with a UTF-8 byte-order mark, zipped
as publicextract.<table>.zip; OSCR and CCNI are CSV exports with their own headers.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

EXTRACT_DATE = "2026-11-30T00:00:00"

CHARITY_FIELDS = (
    "date_of_extract", "organisation_number", "registered_charity_number",
    "linked_charity_number", "charity_name", "charity_type", "charity_registration_status",
    "date_of_registration", "date_of_removal", "charity_reporting_status",
    "latest_acc_fin_period_start_date", "latest_acc_fin_period_end_date", "latest_income",
    "latest_expenditure", "charity_contact_address1", "charity_contact_address2",
    "charity_contact_address3", "charity_contact_address4", "charity_contact_address5",
    "charity_contact_postcode", "charity_contact_phone", "charity_contact_email",
    "charity_contact_web", "charity_company_registration_number", "charity_insolvent",
    "charity_in_administration", "charity_previously_excepted", "charity_is_cdf_or_cuf",
    "charity_is_cio", "cio_is_dissolved", "date_cio_dissolution_notice", "charity_activities",
    "charity_gift_aid", "charity_has_land",
)
PARTA_FIELDS = (
    "date_of_extract", "organisation_number", "registered_charity_number",
    "latest_fin_period_submitted_ind", "fin_period_order_number", "ar_cycle_reference",
    "fin_period_start_date", "fin_period_end_date", "ar_due_date", "ar_received_date",
    "total_gross_income", "total_gross_expenditure", "charity_raises_funds_from_public",
    "charity_professional_fundraiser", "charity_agreement_professional_fundraiser",
    "charity_commercial_participator", "charity_agreement_commerical_participator",
    "grant_making_is_main_activity", "charity_receives_govt_funding_contracts",
    "count_govt_contracts", "charity_receives_govt_funding_grants", "count_govt_grants",
    "income_from_government_contracts", "income_from_government_grants",
    "charity_has_trading_subsidiary", "trustee_also_director_of_subsidiary",
    "does_trustee_receive_any_benefit", "trustee_payments_acting_as_trustee",
    "trustee_receives_payments_services", "trustee_receives_other_benefit",
    "trustee_resigned_employment", "employees_salary_over_60k", "count_salary_band_60001_70000",
    "count_volunteers",
)
CLASSIFICATION_FIELDS = ("date_of_extract", "organisation_number", "registered_charity_number",
                         "linked_charity_number", "classification_code", "classification_type",
                         "classification_description")
AREA_FIELDS = ("date_of_extract", "organisation_number", "registered_charity_number",
               "linked_charity_number", "geographic_area_type", "geographic_area_description",
               "parent_geographic_area_type", "parent_geographic_area_description", "welsh_ind")
OSCR_FIELDS = (
    "Charity Number", "Charity Name", "Registered Date", "Known As", "Charity Status", "Notes",
    "Postcode", "Constitutional Form", "Previous Constitutional Form 1", "Geographical Spread",
    "Main Operating Location", "Purposes", "Beneficiaries", "Activities", "Objectives",
    "Principal Office/Trustees Address", "Website", "Most recent year income",
    "Most recent year expenditure", "Mailing cycle", "Year End", "Date annual return received",
    "Next year end date", "Donations and legacies income", "Charitable activities income",
    "Other trading activities income", "Investments income", "Other income",
    "Raising funds spending", "Charitable activities spending", "Other spending",
    "Parent charity name", "Parent charity number", "Parent charity country of registration",
    "Designated religious body", "Regulatory Type",
)
CCNI_FIELDS = (
    "Reg charity number", "Sub charity number", "Charity name", "Date registered", "Status",
    "Date for financial year ending", "Total income", "Total spending", "Charitable spending",
    "Income generation and governance", "Retained for future use", "Public address",
    "Website", "Email", "Telephone", "Company number", "What the charity does",
    "Who the charity helps", "How the charity works",
)
GRANTS_FIELDS = (
    "Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date",
    "Recipient Org:Identifier", "Recipient Org:Name", "Recipient Org:Charity Number",
    "Recipient Org:Company Number", "Recipient Org:Postal Code",
    "Beneficiary Location:Geographic Code", "Funding Org:Identifier", "Funding Org:Name",
    "Grant Programme:Title", "Last modified", "Data Source",
)


def charity(organisation_number: int, number: int, name: str, *, linked: int = 0,
            postcode: str | None = "HX1 1AA", income: Any = 10000, registered: str = "2001-05-17",
            removed: str | None = None, company: str | None = None,
            activities: str = "Community activities.", **extra: Any) -> dict[str, Any]:
    """One `charity` record with every published field (blank where a test does not care)."""
    record: dict[str, Any] = dict.fromkeys(CHARITY_FIELDS)
    record.update({
        "date_of_extract": EXTRACT_DATE,
        "organisation_number": organisation_number,
        "registered_charity_number": number,
        "linked_charity_number": linked,
        "charity_name": name,
        "charity_type": "Other",
        "charity_registration_status": "Removed" if removed else "Registered",
        "date_of_registration": f"{registered}T00:00:00",
        "date_of_removal": f"{removed}T00:00:00" if removed else None,
        "charity_reporting_status": "Submission Received",
        "latest_income": income,
        "latest_expenditure": income,
        "charity_contact_postcode": postcode,
        "charity_company_registration_number": company,
        "charity_is_cio": False,
        "charity_activities": activities,
    })
    record.update(extra)
    return record


def annual_return(organisation_number: int, number: int, year: int, income: Any,
                  contracts: Any = 0, grants: Any = 0) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(PARTA_FIELDS)
    record.update({
        "date_of_extract": EXTRACT_DATE, "organisation_number": organisation_number,
        "registered_charity_number": number, "fin_period_start_date": f"{year - 1}-04-01T00:00:00",
        "fin_period_end_date": f"{year}-03-31T00:00:00", "total_gross_income": income,
        "total_gross_expenditure": income, "income_from_government_contracts": contracts,
        "income_from_government_grants": grants,
    })
    return record


def classification(organisation_number: int, number: int, code: int, kind: str,
                   description: str) -> dict[str, Any]:
    return {"date_of_extract": EXTRACT_DATE, "organisation_number": organisation_number,
            "registered_charity_number": number, "linked_charity_number": 0,
            "classification_code": code, "classification_type": kind,
            "classification_description": description}


def area(organisation_number: int, number: int, description: str,
         kind: str = "Local Authority", parent: str = "Yorkshire and the Humber"
         ) -> dict[str, Any]:
    return {"date_of_extract": EXTRACT_DATE, "organisation_number": organisation_number,
            "registered_charity_number": number, "linked_charity_number": 0,
            "geographic_area_type": kind, "geographic_area_description": description,
            "parent_geographic_area_type": "Region",
            "parent_geographic_area_description": parent, "welsh_ind": False}


def json_array(records: Iterable[Mapping[str, Any]], *, bom: bool = True) -> bytes:
    """The Commission's form: one array, objects written compactly, a byte-order mark first."""
    body = "[" + ",".join(json.dumps(r, ensure_ascii=False) for r in records) + "]"
    return ("\ufeff" if bom else "").encode("utf-8") + body.encode("utf-8")


def write_table(folder: Path, table: str, records: Iterable[Mapping[str, Any]], *,
                zipped: bool = True, bom: bool = True) -> Path:
    data = json_array(records, bom=bom)
    if not zipped:
        path = folder / f"publicextract.{table}.json"
        path.write_bytes(data)
        return path
    path = folder / f"publicextract.{table}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"publicextract.{table}.json", data)
    return path


def write_csv(path: Path, fields: Sequence[str], rows: Iterable[Mapping[str, Any]], *,
              encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(fields), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return path


def oscr_row(number: str, name: str, postcode: str | None, income: Any = 25000,
             **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(OSCR_FIELDS, "")
    row.update({"Charity Number": number, "Charity Name": name, "Registered Date": "12/03/1998",
                "Charity Status": "Active", "Postcode": postcode or "",
                "Constitutional Form": "SCIO (Scottish Charitable Incorporated Organisation)",
                "Main Operating Location": "Glasgow City",
                "Purposes": "'The advancement of education','The relief of those in need by "
                            "reason of age, ill-health, disability, financial hardship or other "
                            "disadvantage'",
                "Activities": "'It makes grants to individuals'",
                "Most recent year income": income, "Most recent year expenditure": income,
                "Year End": "31/03/2026"})
    row.update(extra)
    return row


def ccni_row(number: int, name: str, address: str, income: Any = 15000, **extra: Any
             ) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(CCNI_FIELDS, "")
    row.update({"Reg charity number": number, "Sub charity number": 0, "Charity name": name,
                "Date registered": "03/09/2014", "Status": "Registered",
                "Date for financial year ending": "31 March 2026", "Total income": income,
                "Total spending": income, "Public address": address,
                "What the charity does": "Education/training,Community development",
                "Who the charity helps": "Children/young people",
                "How the charity works": "Provides services"})
    row.update(extra)
    return row


def extract(tmp_path: Path) -> list[Path]:
    """A small extract: a charity with a linked one and a company, one registered in Leeds
    working in Calderdale, a removed one, one with no postcode and one in Leeds only."""
    charities = [
        charity(1, 1100001, "Calder Food Bank", postcode="HX1 1AA", income=250000,
                  company="08123456", registered="2015-02-01"),
        charity(2, 1100001, "Calder Food Bank Branch", linked=1, postcode="HX1 1AA"),
        charity(3, 1100002, "Leeds Based Carers", postcode="LS1 4AP", income=10000,
                  registered="2019-01-01"),
        charity(4, 1100003, "Hebden Arts", postcode="HX7 8AA", income=9999,
                  registered="2015-06-01", removed="2022-05-01"),
        charity(5, 1100004, "No Postcode Club", postcode=None, income=500),
        charity(6, 1100005, "Leeds Only", postcode="LS1 4AP", income=7),
    ]
    return [
        write_table(tmp_path, "charity", charities),
        write_table(tmp_path, "charity_area_of_operation", [
            area(3, 1100002, "Calderdale"), area(3, 1100002, "Leeds"),
            area(5, 1100004, "Calderdale"), area(6, 1100005, "Leeds")]),
        write_table(tmp_path, "charity_classification", [
            classification(1, 1100001, 105, "What", "The Prevention Or Relief Of Poverty"),
            classification(1, 1100001, 207, "Who", "The General Public/mankind")]),
        write_table(tmp_path, "charity_annual_return_parta", [
            annual_return(1, 1100001, 2024, 200000, 50000, 1000),
            annual_return(1, 1100001, 2025, 250000, 70000, 2000)]),
    ]


CH_HEADER = ["CompanyName", " CompanyNumber", "RegAddress.PostCode", "RegAddress.Country",
             "CompanyCategory", "CompanyStatus", "CountryOfOrigin", "DissolutionDate",
             "IncorporationDate", "Accounts.AccountCategory"]


def companies_zip(path: Path) -> Path:
    """Basic company data: a CIC, the food bank's guarantee company, a private company and a
    Leeds CIC whose incorporation date is not a date."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(CH_HEADER)
    writer.writerow(["HALIFAX COMMUNITY CAFE C.I.C.", "11111111", "HX1 2JJ", "ENGLAND",
                     "Community Interest Company", "Active", "United Kingdom", "",
                     "14/03/2019", "MICRO ENTITY"])
    writer.writerow(["CALDER FOOD BANK", "08123456", "HX1 1AA", "ENGLAND",
                     "PRI/LBG/NSC (Private, Limited by guarantee, no share capital)", "Active",
                     "United Kingdom", "", "01/02/2015", "SMALL"])
    writer.writerow(["BRIGHOUSE BUILDERS LIMITED", "03333333", "HX3 6AA", "ENGLAND",
                     "Private Limited Company", "Active", "United Kingdom", "", "01/01/2001",
                     "FULL"])
    writer.writerow(["LEEDS CIC", "22222222", "LS1 4AP", "ENGLAND",
                     "Community Interest Company", "Active", "United Kingdom", "",
                     "not a date", "MICRO ENTITY"])
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("BasicCompanyDataAsOneFile-2026-11-01.csv", text.getvalue())
    return path
