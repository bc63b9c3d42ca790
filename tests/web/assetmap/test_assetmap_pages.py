"""The asset map pages: building from uploads, isolation between organisations, roles, exports."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keepitlocal.assetmap.demo import demo_files
from keepitlocal.web.assetmap import services
from keepitlocal.web.assetmap.models import AssetMap, BuildStatus, SourceKind

DIRECTORY = (b"Organisation name,Postcode,Charity number\r\n"
             b"Shelf Residents Group,HX3 7NU,\r\n"
             b"Calder Valley Community Trust,HX7 8AD,1175322\r\n")


def _demo_map(org: Any, user: Any) -> AssetMap:
    asset_map = services.map_create(org, "Demo map", "E08000033")
    files = demo_files()
    for path in files["charities"]:
        services.file_add(asset_map, SourceKind.CHARITY_COMMISSION,
                          SimpleUploadedFile(path.name, path.read_bytes()), user)
    run = services.build_create(asset_map)
    assert services.build_execute(run.pk) == BuildStatus.DONE
    return asset_map


def test_directory_upload_build_and_pages(client: Any, council: Any, editor: Any) -> None:
    client.force_login(editor)
    response = client.post(reverse("assetmap:index"), {"name": "Our map", "council": "calderdale"})
    asset_map = AssetMap.objects.for_org(council).get()
    assert response.status_code == 302 and asset_map.council_code == "E08000033"
    upload = SimpleUploadedFile("groups.csv", DIRECTORY, content_type="text/csv")
    response = client.post(reverse("assetmap:upload", args=[asset_map.pk]),
                           {"kind": "directory", "file": upload})
    assert response.status_code == 302
    assert client.post(reverse("assetmap:build", args=[asset_map.pk])).status_code == 302
    run = asset_map.runs.get()
    assert run.status == BuildStatus.DONE, run.problems
    html = client.get(reverse("assetmap:map", args=[asset_map.pk])).content.decode()
    assert "Shelf Residents Group" in html and "Calder Valley Community Trust" in html
    key = "GB-CHC-1175322"
    page = client.get(reverse("assetmap:organisation", args=[asset_map.pk, key]))
    assert page.status_code == 200 and b"council directory" in page.content
    csv_text = client.get(reverse("assetmap:export", args=[asset_map.pk, "csv"])).content
    assert b"Shelf Residents Group" in csv_text
    assert client.get(reverse("assetmap:export", args=[asset_map.pk, "xlsx"])).status_code == 200


def test_wrong_file_reported_on_the_map_page(client: Any, council: Any, editor: Any) -> None:
    client.force_login(editor)
    asset_map = services.map_create(council, "M", "E08000033")
    services.file_add(asset_map, SourceKind.OSCR,
                      SimpleUploadedFile("oscr.csv", b"Supplier,Amount\r\nA,1\r\n"), editor)
    client.post(reverse("assetmap:build", args=[asset_map.pk]))
    html = client.get(reverse("assetmap:map", args=[asset_map.pk])).content.decode()
    assert "could not be built" in html and "not an OSCR register download" in html


def test_another_organisations_map_and_directory_are_not_found(
        client: Any, council: Any, editor: Any, make_org: Any, make_member: Any) -> None:
    asset_map = services.map_create(council, "Private", "E08000033")
    row = services.file_add(asset_map, SourceKind.DIRECTORY,
                            SimpleUploadedFile("dir.csv", DIRECTORY), editor)
    other = make_org("Kirklees Council", "council")
    client.force_login(make_member("other@example.org", other, "admin"))
    for name, args in (("assetmap:map", [asset_map.pk]), ("assetmap:upload", [asset_map.pk]),
                       ("assetmap:export", [asset_map.pk, "csv"]),
                       ("assetmap:organisation", [asset_map.pk, "x"])):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.post(reverse("assetmap:file_delete", args=[asset_map.pk, row.pk])).status_code == 404
    assert client.post(reverse("assetmap:build", args=[asset_map.pk])).status_code == 404
    assert asset_map.files.count() == 1 and not asset_map.runs.exists()
    assert b"Private" not in client.get(reverse("assetmap:index")).content


def test_viewer_reads_but_cannot_change(client: Any, council: Any, editor: Any,
                                        make_member: Any) -> None:
    asset_map = services.map_create(council, "M", "E08000033")
    client.force_login(make_member("viewer@example.org", council, "viewer"))
    assert client.get(reverse("assetmap:map", args=[asset_map.pk])).status_code == 200
    assert client.post(reverse("assetmap:build", args=[asset_map.pk])).status_code == 403
    upload = SimpleUploadedFile("d.csv", DIRECTORY)
    assert client.post(reverse("assetmap:upload", args=[asset_map.pk]),
                       {"kind": "directory", "file": upload}).status_code == 403
    assert client.post(reverse("assetmap:index"), {"name": "x", "council": "E08000033"}).status_code == 403


def test_filters_are_checked_and_applied(client: Any, council: Any, editor: Any) -> None:
    asset_map = _demo_map(council, editor)
    client.force_login(editor)
    url = reverse("assetmap:map", args=[asset_map.pk])
    everything = client.get(url).context["row_count"]
    micro = client.get(url, {"band": "micro"}).context
    assert 0 < micro["row_count"] < everything
    assert all(r["band"] == "micro" for r in micro["rows"])
    bogus = client.get(url, {"band": "<script>", "decile": "11", "view": "nope"}).context
    assert bogus["row_count"] == everything
    operation = client.get(url, {"view": "operation"}).context["row_count"]
    assert operation != everything
    pdf = client.get(reverse("assetmap:export", args=[asset_map.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(client.get(reverse("assetmap:export", args=[asset_map.pk, "xlsx"]),
                                               {"band": "micro"}).content), read_only=True)
    assert sum(1 for _ in book["organisations"].iter_rows()) == micro["row_count"] + 1
