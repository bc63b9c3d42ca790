"""Companies House basic company data and the Charity Commission register extract: uploaded in
their published formats, checked by the engine's own readers, listed, removed, and passed to the
engine as `keepitlocal spend analyse --companies-house F --charities F` passes them."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keepitlocal.cli import main
from keepitlocal.web.spend import selectors, services
from keepitlocal.web.spend.models import NationalRegisterFile, RunStatus

from .conftest import upload, write_files

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]

# The published header of Companies House "basic company data" (a leading space included).
CH_HEADER = ["CompanyName", " CompanyNumber", "RegAddress.CareOf", "RegAddress.POBox",
             "RegAddress.AddressLine1", " RegAddress.AddressLine2", "RegAddress.PostTown",
             "RegAddress.County", "RegAddress.Country", "RegAddress.PostCode",
             "CompanyCategory", "CompanyStatus", "CountryOfOrigin", "DissolutionDate",
             "IncorporationDate", "Accounts.AccountRefDay", "Accounts.AccountRefMonth",
             "Accounts.NextDueDate", "Accounts.LastMadeUpDate", "Accounts.AccountCategory"]
CH_ROWS = [
    ("HALIFAX COMMUNITY CAFE C.I.C.", "11111111", "HX1 1AA", "Community Interest Company",
     "MICRO ENTITY"),
    ("BIG CORP PLC", "22222222", "M1 1AA", "Public Limited Company", "FULL"),
    ("ACME CATERING LIMITED", "01234567", "HX1 1UJ", "Private Limited Company",
     "TOTAL EXEMPTION FULL"),
]
# The Charity Commission extract's `charity` table, as its JSON file.
CHARITIES = [
    {"date_of_extract": "2025-01-06T00:00:00", "organisation_number": 1,
     "registered_charity_number": 500001, "linked_charity_number": 0,
     "charity_name": "Pennine Hospice", "charity_type": "Charitable company",
     "charity_registration_status": "Registered", "date_of_registration": "1990-01-01T00:00:00",
     "charity_company_registration_number": None, "charity_is_cio": False,
     "latest_income": 3000000.0, "latest_expenditure": 2900000.0,
     "charity_contact_postcode": "HX3 6AA"},
    {"date_of_extract": "2025-01-06T00:00:00", "organisation_number": 2,
     "registered_charity_number": 500001, "linked_charity_number": 1,
     "charity_name": "Pennine Hospice Shops", "charity_type": None,
     "charity_registration_status": "Registered", "date_of_registration": None,
     "charity_company_registration_number": None, "charity_is_cio": None,
     "latest_income": None, "latest_expenditure": None, "charity_contact_postcode": "LS1 1AA"},
    {"date_of_extract": "2025-01-06T00:00:00", "organisation_number": 3,
     "registered_charity_number": 1100001, "linked_charity_number": 0,
     "charity_name": "Calder Valley Community Trust", "charity_type": "CIO",
     "charity_registration_status": "Registered", "date_of_registration": None,
     "charity_company_registration_number": None, "charity_is_cio": True,
     "latest_income": 120000.0, "latest_expenditure": 110000.0,
     "charity_contact_postcode": "HX7 8AD"},
]
# A ledger whose suppliers only the national registers describe.
JUNE_HEADER = ["Date", "Transaction Number", "Amount", "Supplier Name", "Expense Area",
               "Expense Type"]
JUNE = [["03/06/2024", "J1", "600.00", "Pennine Hospice", "Adults", "Care"],
        ["04/06/2024", "J2", "400.00", "Halifax Community Cafe CIC", "Children", "Catering"]]


def companies_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CH_HEADER)
    for name, number, postcode, category, accounts in CH_ROWS:
        row = dict.fromkeys(CH_HEADER, "")
        row.update({"CompanyName": name, " CompanyNumber": number, "RegAddress.PostCode": postcode,
                    "RegAddress.Country": "ENGLAND", "CompanyCategory": category,
                    "CompanyStatus": "Active", "CountryOfOrigin": "United Kingdom",
                    "Accounts.AccountCategory": accounts})
        writer.writerow(row.values())
    return out.getvalue().encode("utf-8")


def charities_json() -> bytes:
    return json.dumps(CHARITIES).encode("utf-8")


def june_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(JUNE_HEADER)
    writer.writerows(JUNE)
    return out.getvalue().encode("utf-8")


NATIONAL = {"BasicCompanyData-2025-01-01.csv": companies_csv,
            "publicextract.charity.json": charities_json}
CH_NAME, CC_NAME = NATIONAL


def _post(client, analysis, kind, name, content):
    return client.post(reverse("spend:files", args=[analysis.pk]),
                       {"action": kind, f"{kind}-file": SimpleUploadedFile(name, content)})


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_each_national_register_is_uploaded_listed_and_removed(client, editor, make_analysis,
                                                               council, media):
    analysis = make_analysis(council)
    client.force_login(editor)
    response = _post(client, analysis, "companies_house", CH_NAME, companies_csv())
    assert response.status_code == 302 and response["Location"].endswith("#national")
    response = _post(client, analysis, "charities", CC_NAME, charities_json())
    assert response.status_code == 302
    companies = NationalRegisterFile.objects.get(kind="companies_house")
    charities = NationalRegisterFile.objects.get(kind="charities")
    # The rows the engine's readers keep: a linked charity is not a main charity.
    assert (companies.rows, charities.rows) == (3, 2)
    assert companies.original_name == CH_NAME and companies.file.read() == companies_csv()
    page = client.get(reverse("spend:files", args=[analysis.pk])).content.decode()
    assert "Companies House basic company data" in page and f"{CH_NAME} (3 entries)" in page
    assert f"{CC_NAME} (2 entries)" in page
    # A second upload of one kind replaces the first, and its stored file goes.
    first = Path(companies.file.path)
    _post(client, analysis, "companies_house", "BasicCompanyData-2.csv", companies_csv())
    assert NationalRegisterFile.objects.filter(kind="companies_house").get().original_name == \
        "BasicCompanyData-2.csv"
    assert not first.exists()
    # Removing one removes its file too.
    stored = len(_stored(media))
    response = client.post(reverse("spend:national_remove", args=[analysis.pk, charities.pk]))
    assert response.status_code == 302
    assert not NationalRegisterFile.objects.filter(kind="charities").exists()
    assert len(_stored(media)) == stored - 1
    services.analysis_delete(analysis)
    assert _stored(media) == []


@pytest.mark.parametrize(("kind", "name", "content", "message"), [
    ("companies_house", "companies.csv", b"Name,Number\r\nAcme,1\r\n",
     "not a Companies House basic company data file: no CompanyName, CompanyNumber column"),
    ("companies_house", "companies.json", b"[]", "Upload the Companies House basic company data"),
    ("companies_house", "companies.zip", b"PK\x03\x04 not really a zip", "companies.zip"),
    ("charities", "charity.json", b'[{"name": "Pennine Hospice"}]',
     "not a Charity Commission charity extract: needs registered_charity_number"),
    ("charities", "charity.pdf", b"%PDF-1.4", "Upload the Charity Commission register extract"),
    ("charities", "charity.json", b"", "The file you chose is empty"),
])
def test_a_file_the_engine_cannot_read_is_refused_and_not_kept(client, editor, make_analysis,
                                                               council, media, kind, name,
                                                               content, message):
    analysis = make_analysis(council, files=False)
    client.force_login(editor)
    response = _post(client, analysis, kind, name, content)
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and message in text, text[text.find("problem"):][:800]
    assert not NationalRegisterFile.objects.exists()
    assert _stored(media) == []


def test_an_oversized_national_register_is_refused(client, editor, make_analysis, council,
                                                   media, settings):
    settings.KEEPITLOCAL_MAX_UPLOAD_MB = 1
    analysis = make_analysis(council, files=False)
    client.force_login(editor)
    big = companies_csv() * 8000
    response = _post(client, analysis, "companies_house", CH_NAME, big)
    assert "it must be 1 MB or smaller" in response.content.decode()
    assert not NationalRegisterFile.objects.exists() and _stored(media) == []


def test_another_organisations_national_register_is_not_found(client, make_org, make_member,
                                                              make_analysis, council, viewer):
    analysis = make_analysis(council)
    row = services.national_set(analysis, kind="charities",
                                upload=SimpleUploadedFile(CC_NAME, charities_json()), user=None)
    other = make_org("Kirklees Council", kind="council")
    outsider = make_member("outsider@example.org", other, "editor")
    other_analysis = make_analysis(other, name="Theirs", files=False)
    client.force_login(outsider)
    for url in (reverse("spend:national_remove", args=[analysis.pk, row.pk]),
                reverse("spend:national_remove", args=[other_analysis.pk, row.pk])):
        assert client.post(url).status_code == 404
    assert NationalRegisterFile.objects.filter(pk=row.pk).exists()
    # A viewer of the organisation may not remove it either.
    client.force_login(viewer)
    assert client.post(reverse("spend:national_remove", args=[analysis.pk, row.pk])
                       ).status_code == 403
    assert NationalRegisterFile.objects.filter(pk=row.pk).exists()


def test_the_run_uses_them_as_the_cli_does(make_analysis, council, tmp_path):
    analysis = make_analysis(council)
    services.ledger_add(analysis, upload=SimpleUploadedFile("june.csv", june_csv()), user=None)
    before = services.run_start(analysis, None)
    before.refresh_from_db()
    assert before.status == RunStatus.DONE, before.problems
    for name, make in NATIONAL.items():
        kind = "charities" if name == CC_NAME else "companies_house"
        services.national_set(analysis, kind=kind, upload=SimpleUploadedFile(name, make()),
                              user=None)
    # The figures are out of date once a national register is loaded.
    assert selectors.is_stale(analysis, before)
    run = services.run_start(analysis, None)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.problems
    assert not selectors.is_stale(analysis, run)

    paths = write_files(tmp_path)
    for name, make in {"june.csv": june_csv, **NATIONAL}.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(make())
    result = CliRunner().invoke(main, [
        "spend", "analyse", str(paths["april.csv"]), str(paths["may.xlsx"]),
        str(paths["june.csv"]), "--suppliers", str(paths["suppliers.csv"]),
        "--companies-house", str(paths[CH_NAME]), "--charities", str(paths[CC_NAME]),
        "--council", "E08000033", "--target", "60%", "--json"])
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.output)
    # The web re-run reads the ledgers it ingested at the first run; the command reads the files.
    assert run.result["provenance"].pop("ledgers") == "reused from the ingest file"
    assert from_cli["provenance"].pop("ledgers") == "read from the files"
    for document in (run.result, from_cli):
        document["provenance"].pop("line_sums")
    assert run.result == from_cli
    # The hospice (only in the charity extract) and the CIC (only at Companies House) are VCSE.
    gained = Decimal(run.result["vcse_spend"]) - Decimal(before.result["vcse_spend"])
    assert gained == Decimal("1000.00")
    sources = json.dumps(run.result)
    assert f"Charity Commission register extract {CC_NAME}" in sources
    assert f"Companies House basic company data {CH_NAME}" in sources

    # Removing one makes the figures out of date again.
    services.national_remove(analysis.national_registers.get(kind="charities"))
    assert selectors.is_stale(analysis, run)


def test_the_files_page_offers_both_uploads(client, editor, viewer, make_analysis, council):
    analysis = make_analysis(council)
    client.force_login(editor)
    page = client.get(reverse("spend:files", args=[analysis.pk])).content.decode()
    assert "Upload Companies House basic company data (optional)" in page
    assert "Upload the Charity Commission register extract (optional)" in page
    assert "No national registers loaded." in page
    services.national_set(analysis, kind="companies_house",
                          upload=upload("suppliers.csv", companies_csv()), user=None)
    client.force_login(viewer)
    page = client.get(reverse("spend:files", args=[analysis.pk])).content.decode()
    assert "suppliers.csv (3 entries)" in page
    assert "Upload Companies House" not in page and "national/" not in page
