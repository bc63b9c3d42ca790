"""Files the engine cannot use are refused with a message that says what to do, and nothing of
them is kept: no row, no stored file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse

from keepitlocal.web.spend.models import AnalysisRun, LedgerFile, RegisterFile, RunStatus

from .conftest import upload

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _post(client, analysis, kind, name, content):
    return client.post(reverse("spend:files", args=[analysis.pk]),
                       {"action": kind, f"{kind}-file": upload("april.csv", content)
                        if name is None else _named(name, content)})


def _named(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.csv", b"", "The file you chose is empty"),
    ("old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "Old Excel files (.xls) cannot be read"),
    ("notes.pdf", b"%PDF-1.4", "Upload a CSV file (.csv) or an Excel workbook (.xlsx)"),
    ("broken.xlsx", b"PK\x03\x04 this is not really a workbook", "not a readable Excel workbook"),
    ("header-only.csv", b"Supplier Name,Date,Amount\r\n", "no payments"),
    ("binary.csv", bytes(range(256)) * 40, "this is not a text (CSV) file"),
])
def test_a_ledger_that_cannot_be_read_is_refused(client, editor, make_analysis, council, media,
                                                 name, content, message):
    analysis = make_analysis(council, files=False)
    client.force_login(editor)
    response = _post(client, analysis, "ledger", name, content)
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and message in text, text[text.find("problem"):][:800]
    assert not LedgerFile.objects.exists()
    assert _stored(media) == []


def test_an_oversized_file_is_refused_before_it_is_read(client, editor, make_analysis, council,
                                                        media, settings):
    settings.KEEPITLOCAL_MAX_UPLOAD_MB = 1
    analysis = make_analysis(council, files=False)
    client.force_login(editor)
    big = b"Supplier Name,Date,Amount\r\n" + b"Acme Catering Ltd,01/04/2024,100.00\r\n" * 30_000
    response = _post(client, analysis, "ledger", "big.csv", big)
    text = response.content.decode()
    assert "it must be 1 MB or smaller" in text
    assert not LedgerFile.objects.exists() and _stored(media) == []
    response = _post(client, analysis, "register", "big.csv", big)
    assert "it must be 1 MB or smaller" in response.content.decode()
    assert not RegisterFile.objects.exists() and _stored(media) == []


def test_a_register_without_a_name_column_is_refused(client, editor, make_analysis, council,
                                                     media):
    analysis = make_analysis(council, files=False)
    client.force_login(editor)
    response = _post(client, analysis, "register", "vendors.csv",
                     b"Vendor Code,Post Code\r\nV1,HX1 1UJ\r\n")
    text = response.content.decode()
    assert "no supplier name column" in text and "Vendor Code" in text
    assert not RegisterFile.objects.exists() and _stored(media) == []
    # A good register replaces the one before it, and the old file goes.
    _post(client, analysis, "register", "suppliers.csv", upload("suppliers.csv").read())
    first = RegisterFile.objects.get()
    first_path = Path(first.file.path)
    _post(client, analysis, "register", "suppliers-2.csv", upload("suppliers.csv").read())
    assert RegisterFile.objects.get().original_name == "suppliers-2.csv"
    assert not first_path.exists()


def test_removing_files_and_the_analysis_removes_what_was_stored(client, editor, analysed,
                                                                 media):
    client.force_login(editor)
    # two ledgers, the register, the run's line table, its parsed ledgers, its suppliers as
    # matched and its lines' sums (these three for re-runs)
    assert len(_stored(media)) == 7
    ledger = analysed.ledgers.first()
    client.post(reverse("spend:ledger_remove", args=[analysed.pk, ledger.pk]))
    assert len(_stored(media)) == 3  # what was kept for re-runs went with the file it held
    client.post(reverse("spend:delete", args=[analysed.pk]))
    assert _stored(media) == []


def test_a_run_that_cannot_work_says_why(client, editor, make_analysis, council):
    analysis = make_analysis(council, files=False)
    client.force_login(editor)
    response = client.post(reverse("spend:run", args=[analysis.pk]), follow=True)
    assert "Upload at least one ledger" in response.content.decode()
    assert not AnalysisRun.objects.exists()
    # The engine's own problems (a council with no preset tiers) end the run as failed.
    analysis = make_analysis(council, name="Elsewhere")
    analysis.council_code = "E07999999"
    analysis.save()
    response = client.post(reverse("spend:run", args=[analysis.pk]), follow=True)
    run = AnalysisRun.objects.get()
    assert run.status == RunStatus.FAILED
    text = response.content.decode()
    assert "The analysis could not finish" in text and "E07999999" in text
    # In the web's words: the settings' tiers box, not the command line's option.
    assert "--tiers" not in text and "“Your own tiers” in the settings" in text


def test_a_ledger_in_an_unusual_encoding_keeps_its_name(client, editor, make_analysis, council):
    analysis = make_analysis(council, files=False)
    client.force_login(editor)
    content = "Supplier Name,Date,Amount\r\nCafé Brontë,01/04/2024,£100.00\r\n".encode("cp1252")
    _post(client, analysis, "ledger", "apr £.csv", content)
    ledger = LedgerFile.objects.get()
    assert ledger.original_name == "apr £.csv" and ledger.encoding == "cp1252"
    assert io.BytesIO(ledger.file.read()).getvalue() == content


def test_file_names_are_kept_but_made_safe(client, editor, make_analysis, council):
    from keepitlocal.web.spend.services import run_start

    analysis = make_analysis(council, files=False)
    client.force_login(editor)
    long_name = "..\\..\\" + "Spending over £500 " * 12 + ".csv"
    _post(client, analysis, "ledger", long_name, upload("april.csv").read())
    _post(client, analysis, "ledger", "april.csv", upload("april.csv").read())
    _post(client, analysis, "register", "suppliers.csv", upload("suppliers.csv").read())
    names = list(LedgerFile.objects.order_by("pk").values_list("original_name", flat=True))
    assert names[0].startswith("Spending over £500") and names[0].endswith(".csv")
    assert "\\" not in names[0] and len(names[0].encode()) <= 120
    run = run_start(analysis, None)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.problems
    # The same payments in a second file are counted once, and the files keep their names.
    assert run.result["lines_duplicate"] == 8
    assert [f["file"] for f in run.result["files"]] == names
