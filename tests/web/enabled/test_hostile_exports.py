"""Every Enabled download, with hostile tenant names, contacts and notes: nothing can run."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from keepitlocal.web.enabled.models import Tenant
from security.hostile import HOSTILE, assert_csv_inert, assert_workbook_inert

pytestmark = pytest.mark.django_db


def test_every_enabled_download_is_inert(anchor_org: Any, editor: Any, make_project: Any,
                                         client_for: Any) -> None:
    project = make_project(anchor_org)
    for index, tenant in enumerate(Tenant.objects.filter(project=project).order_by("pk")):
        tenant.name = f"{HOSTILE[index % len(HOSTILE)]} {index}"
        tenant.notes = HOSTILE[-1 - index % len(HOSTILE)]
        tenant.contact_name = HOSTILE[index % len(HOSTILE)]
        tenant.save()
    client = client_for(editor)
    for fmt in ("csv", "xlsx", "input.xlsx"):
        response = client.get(reverse("enabled:export", args=[project.pk, fmt]))
        assert response.status_code == 200, fmt
        if fmt == "csv":
            assert_csv_inert(response.content)
        else:
            values = assert_workbook_inert(response.content)
            if fmt == "input.xlsx":
                assert any(isinstance(v, str) and v.startswith("=HYPERLINK") for v in values)
