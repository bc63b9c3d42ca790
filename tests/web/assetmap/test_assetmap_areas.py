"""The asset map's web area choices, its builds from the register store, the district shading,
the bounded directory upload and the spend links by name."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assetmap import layouts as L
from keepitlocal.cli import main
from keepitlocal.web.assetmap import selectors, services
from keepitlocal.web.assetmap.models import AssetMap, BuildStatus, SourceFile


@pytest.fixture
def loaded(no_register_store: Path, tmp_path: Path) -> Path:
    """The server's register store with the test extract and companies loaded, as
    `keepitlocal registers load` leaves it."""
    runner = CliRunner()
    for args in (["charities", *map(str, L.extract(tmp_path))],
                 ["companies-house", str(L.companies_zip(tmp_path / "BasicCompanyDataAsOneFile-"
                                                                "2026-11-01.zip"))]):
        result = runner.invoke(main, ["registers", "load", *args, "--store",
                                      str(no_register_store)])
        assert result.exit_code == 0, result.output
    return no_register_store


def _start(client: Any, **fields: str) -> Any:
    return client.post(reverse("assetmap:index"), {"name": "Our map", **fields})


def test_a_combined_authority_map_built_from_the_register_store(
        client: Any, council: Any, editor: Any, loaded: Path) -> None:
    client.force_login(editor)
    assert _start(client, area_kind="combined",
                  combined_authority="West Yorkshire CA").status_code == 302
    asset_map = AssetMap.objects.for_org(council).get()
    assert asset_map.area_name == "West Yorkshire CA: its 5 member districts"
    assert not asset_map.files.exists()
    client.post(reverse("assetmap:build", args=[asset_map.pk]))
    run = asset_map.runs.get()
    assert run.status == BuildStatus.DONE, run.problems
    document = run.document
    assert document["from_store"][0].startswith(
        "Charity Commission for England and Wales register extract: publicextract.charity.zip "
        "(published 2026-11-30)")
    names = {r["name"] for r in document["organisations"]}
    assert {"Calder Food Bank", "Leeds Only", "LEEDS CIC"} <= names  # Leeds is in the CA
    response = client.get(reverse("assetmap:map", args=[asset_map.pk]))
    html = response.content.decode()
    assert "Built from the national registers loaded on this server" in html
    assert "West Yorkshire CA: its 5 member districts" in html
    districts = {d["name"]: d for d in document["districts"]}
    assert set(districts) == {"Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"}
    assert "Calderdale (E08000033)" in html and "31.8%" in html  # 41 of 129 neighbourhoods
    fills = {f["properties"]["lad25cd"]: f["properties"].get("fill")
             for f in response.context["outlines"]["features"]}
    assert len(fills) == 5 and all(fills.values())
    share = Decimal(str(districts["Calderdale"]["share"]))
    assert fills["E08000033"] == selectors.shade_of(share)


@pytest.mark.postgres
def test_a_map_built_from_registers_loaded_into_postgresql(
        client: Any, council: Any, editor: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """On PostgreSQL, `registers load` (no --store) writes into the web app's database and the
    map is built from there."""
    from keepitlocal.registers import store as register_store

    monkeypatch.undo()  # the database's own store, not the test's DuckDB file
    url = register_store.postgres_url()
    if url is None:
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL (scripts/with-postgres)")
    with register_store.PostgresStore(url) as database:
        database.drop()
        try:
            for args in (["charities", *map(str, L.extract(tmp_path))],
                         ["companies-house", str(L.companies_zip(
                             tmp_path / "BasicCompanyDataAsOneFile-2026-11-01.zip"))]):
                result = CliRunner().invoke(main, ["registers", "load", *args])
                assert result.exit_code == 0, result.output
            client.force_login(editor)
            _start(client, council="Calderdale")
            asset_map = AssetMap.objects.for_org(council).get()
            client.post(reverse("assetmap:build", args=[asset_map.pk]))
            run = asset_map.runs.get()
            assert run.status == BuildStatus.DONE, run.problems
            assert run.document["from_store"][1].startswith(
                "Companies House basic company data")
            names = {r["name"] for r in run.document["organisations"]}
            assert {"Calder Food Bank", "Hebden Arts"} <= names
            assert "Leeds Only" not in names
        finally:
            database.drop()


def test_no_file_and_no_register_store_says_what_to_do(client: Any, council: Any,
                                                        editor: Any) -> None:
    client.force_login(editor)
    _start(client, council="Calderdale")
    asset_map = AssetMap.objects.for_org(council).get()
    client.post(reverse("assetmap:build", args=[asset_map.pk]))
    html = client.get(reverse("assetmap:map", args=[asset_map.pk])).content.decode()
    assert "Add at least one register file" in html


def test_every_kind_of_area_and_its_errors(client: Any, council: Any, editor: Any) -> None:
    client.force_login(editor)
    assert _start(client, area_kind="county", county="E10000008").status_code == 302
    devon = AssetMap.objects.for_org(council).get()
    assert devon.area_name == "Devon (E10000008): its 8 districts"
    assert devon.area == {"council": ["E10000008"]}
    assert _start(client, area_kind="radius", radius_km="5", centre="hx1 1aa").status_code == 302
    radius = AssetMap.objects.for_org(council).latest("pk")
    assert radius.council_code == "E08000033" and radius.area["centre"] == "HX1 1AA"
    assert _start(client, area_kind="council", council="E08000033, E08000034").status_code == 302
    assert AssetMap.objects.for_org(council).latest("pk").area_name == \
        "Calderdale (E08000033); Kirklees (E08000034)"
    for fields, message in (({"area_kind": "county"}, "Choose a county council"),
                            ({"area_kind": "radius", "radius_km": "5", "centre": "ZZ9 9ZZ"},
                             "ZZ9 9ZZ"),
                            ({"area_kind": "radius", "centre": "HX1 1AA"},
                             "Enter the distance in kilometres"),
                            ({"area_kind": "council", "council": "Nowhere"},
                             "Enter the name or code of a UK local authority district")):
        response = _start(client, **fields)
        assert response.status_code == 200 and message in response.content.decode(), fields
    assert AssetMap.objects.for_org(council).count() == 3


def test_directory_rows_reported_and_an_unusable_directory_refused(
        client: Any, council: Any, editor: Any) -> None:
    client.force_login(editor)
    asset_map = services.map_create(council, "M", "E08000033")
    url = reverse("assetmap:upload", args=[asset_map.pk])
    rows = (b"Organisation name,Postcode,Income\r\nShelf Residents Group,HX3 7NU,1200\r\n"
            b",HX1 1AA,5\r\nHalifax Scouts,HX1 2JJ,lots\r\n")
    response = client.post(url, {"kind": "directory", "file": SimpleUploadedFile(
        "groups.csv", rows)}, follow=True)
    html = response.content.decode()
    assert "Some rows were left out" in html and "groups.csv, row 3" in html
    assert "groups.csv, row 4" in html and "is not an amount" in html
    assert asset_map.files.count() == 1
    response = client.post(url, {"kind": "directory", "file": SimpleUploadedFile(
        "other.csv", b"Colour,Size\r\nred,2\r\n")})
    assert response.status_code == 200
    assert "no organisation name column found in the directory" in response.content.decode()
    response = client.post(url, {"kind": "directory", "file": SimpleUploadedFile(
        "empty.csv", b"Organisation name,Postcode\r\n,HX1 1AA\r\n")})
    assert "no row names an organisation" in response.content.decode()
    assert list(SourceFile.objects.for_org(council).values_list("original_name", flat=True)) \
        == ["groups.csv"]


def test_spend_is_linked_by_number_then_supplier_id_then_matched_name() -> None:
    paid = {"GB-CHC-1100001": [selectors.Received("Spend 2024", Decimal(500), 2,
                                                  "charity number")],
            "supplier:V10021": [selectors.Received("Spend 2025", Decimal(70), 1,
                                                   "the council's supplier id")],
            "name:shelf residents group": [selectors.Received(
                "Spend 2024", Decimal(9), 1, "the spend analysis's name match")]}
    numbered = {"name": "Shelf Residents Group",
                "identifiers": [["GB-CHC", "1100001"], ["council directory", "V10021"]]}
    assert [(r.analysis, r.through) for r in selectors.spend_of(numbered, paid)] == [
        ("Spend 2024", "charity number"), ("Spend 2025", "the council's supplier id")]
    by_name = {"name": "The Shelf Residents' Group", "identifiers": [
        ["council directory", "row 4"]]}
    assert [(r.amount, r.through) for r in selectors.spend_of(by_name, paid)] == [
        (Decimal(9), "the spend analysis's name match")]
    assert selectors.spend_of({"name": "Shelf Cricket Club", "identifiers": []}, paid) == []
