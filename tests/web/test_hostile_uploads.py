"""Hostile files at every upload in the web: a workbook bomb and deeply nested JSON get a clear
refusal (never a 500, never a hang), and nothing of them is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from security.bombs import big_bomb, nested_json

pytestmark = pytest.mark.django_db


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def lm3_project(org: Any) -> Any:
    from keepitlocal.web.lm3.models import Lm3Project

    return Lm3Project.objects.create(organisation=org, name="Hostile test")


def test_lm3_supplier_upload_refuses_a_bomb(client: Any, admin: Any, lm3_project: Any) -> None:
    from keepitlocal.web.lm3.models import SupplierUpload, UploadRow

    client.force_login(admin)
    response = client.post(reverse("lm3:suppliers", args=[lm3_project.pk]),
                           {"file": _file("suppliers.xlsx", big_bomb())})
    text = response.content.decode()
    assert response.status_code == 200
    assert "unpacks to" in text and "400 MB" in text and "split it" in text
    assert not SupplierUpload.objects.exists() and not UploadRow.objects.exists()


def test_lm3_supplier_upload_caps_rows(client: Any, admin: Any, lm3_project: Any,
                                       monkeypatch: Any) -> None:
    from keepitlocal.web.lm3 import uploads
    from keepitlocal.web.lm3.models import SupplierUpload

    monkeypatch.setattr(uploads, "MAX_ROWS", 10)
    client.force_login(admin)
    content = "Supplier name,Value spent\r\n" + "".join(f"S{n},1\r\n" for n in range(11))
    response = client.post(reverse("lm3:suppliers", args=[lm3_project.pk]),
                           {"file": _file("suppliers.csv", content.encode())})
    assert "more than 10 suppliers" in response.content.decode()
    assert not SupplierUpload.objects.exists()


@pytest.mark.parametrize(("name", "content", "words"), [
    ("project.xlsx", None, "unpacks to"),
    ("project.json", nested_json(), "more than 64 deep"),
])
def test_lm3_project_import_refuses(client: Any, admin: Any, name: str, content: bytes | None,
                                    words: str) -> None:
    from keepitlocal.web.lm3.models import Lm3Project

    client.force_login(admin)
    response = client.post(reverse("lm3:import"), {"file": _file(name, content or big_bomb())})
    assert response.status_code in (200, 400)
    assert words in response.content.decode()
    assert not Lm3Project.objects.exists()


@pytest.mark.parametrize(("name", "content", "words"), [
    ("enabled.xlsx", None, "unpacks to"),
    ("enabled.json", nested_json(), "more than 64 deep"),
])
def test_enabled_upload_refuses(client: Any, make_member: Any, make_org: Any, name: str,
                                content: bytes | None, words: str) -> None:
    from keepitlocal.web.enabled.models import EnabledProject, Tenant

    anchor = make_org("Eastfield Enterprise Centre")
    client.force_login(make_member("editor@example.org", anchor, "editor"))
    project = EnabledProject.objects.create(organisation=anchor, year=2025)
    response = client.post(reverse("enabled:upload", args=[project.pk]),
                           {"file": _file(name, content or big_bomb()), "anchor": ""})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Tenant.objects.exists()


def test_spend_ledger_and_register_refuse_a_bomb(client: Any, make_member: Any, make_org: Any,
                                                media: Path) -> None:
    from keepitlocal.web.spend import services
    from keepitlocal.web.spend.models import LedgerFile, RegisterFile

    council = make_org("Calderdale Council", "council")
    client.force_login(make_member("editor@example.org", council, "editor"))
    analysis = services.analysis_create(org=council, user=None, name="Spend",
                                        council_code="E08000033", target_share=None,
                                        shift_share=__import__("decimal").Decimal("0.1"))
    for kind in ("ledger", "register"):
        response = client.post(reverse("spend:files", args=[analysis.pk]),
                               {"action": kind, f"{kind}-file": _file("april.xlsx", big_bomb())})
        text = response.content.decode()
        assert response.status_code == 200 and "unpacks to" in text, kind
    assert not LedgerFile.objects.exists() and not RegisterFile.objects.exists()
    assert _stored(media) == []


def test_spend_tiers_box_refuses_deep_json(client: Any, make_member: Any, make_org: Any) -> None:
    from keepitlocal.web.spend.models import SpendAnalysis

    council = make_org("Calderdale Council", "council")
    client.force_login(make_member("editor@example.org", council, "editor"))
    response = client.post(reverse("spend:create"), {
        "name": "Spend", "council_code": "E08000033", "target_percent": "60",
        "shift_percent": "10", "tiers_json": nested_json().decode()})
    assert response.status_code == 200
    assert "more than 64 deep" in response.content.decode()
    assert not SpendAnalysis.objects.exists()
