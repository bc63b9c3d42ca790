"""Every LM3 and Enabled download, driven with hostile text in every text field: no cell of any
CSV or workbook the product writes can run as a formula."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from keepitlocal.web.lm3 import services
from security.hostile import HOSTILE, assert_csv_inert, assert_workbook_inert

pytestmark = pytest.mark.postcodes

def test_every_lm3_download_is_inert(client: Any, admin: Any, make_project: Any, org: Any) -> None:
    suppliers = [(text, "1000.00", index % 2 == 1, f"s{index}@example.org")
                 for index, text in enumerate(HOSTILE)]  # the first is non-local
    project = make_project(org, suppliers=suppliers)
    for index, supplier in enumerate(project.suppliers.order_by("pk")):
        supplier.contact = HOSTILE[-1 - index]
        supplier.save()
        services.response_record(supplier, local_staff_share=Decimal("0.5"),
                                 local_supplier_share=Decimal("0.2"), source="phone",
                                 note=HOSTILE[index], respondent=HOSTILE[index])
    services.staff_add(project, label=HOSTILE[0], pay=Decimal("20000"), local=True)
    services.other_cost_add(project, label=HOSTILE[1], spend=Decimal("10"), local=False)
    client.force_login(admin)
    for name in ("suppliers_csv", "results_csv"):
        response = client.get(reverse(f"lm3:{name}", args=[project.pk]))
        assert response.status_code == 200, name
        cells = assert_csv_inert(response.content)
        if name == "suppliers_csv":
            assert "'" + HOSTILE[0] in cells
    response = client.get(reverse("lm3:export_xlsx", args=[project.pk]))
    assert response.status_code == 200
    values = assert_workbook_inert(response.content)
    assert HOSTILE[0] in values  # kept exactly, as text (the workbook reads back the same)
    book = load_workbook(io.BytesIO(response.content))
    assert "Results" in book.sheetnames
    leakage = [c.value for row in book["Results"].iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("=HYPERLINK") for v in leakage)


def test_lm3_upload_problems_download_is_inert(client: Any, admin: Any, make_project: Any,
                                               org: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from keepitlocal.web.lm3.models import SupplierUpload

    project = make_project(org, suppliers=[])
    client.force_login(admin)
    lines = "Supplier name,Contact name,Value spent,Postcode\r\n" + "".join(
        f'"{text}","{text}",lots,"{text}"\r\n' for text in HOSTILE)
    client.post(reverse("lm3:suppliers", args=[project.pk]),
                {"file": SimpleUploadedFile("s.csv", lines.encode())})
    upload = SupplierUpload.objects.get()
    response = client.get(reverse("lm3:upload_problems_csv", args=[project.pk, upload.pk]))
    assert response.status_code == 200
    assert_csv_inert(response.content)
