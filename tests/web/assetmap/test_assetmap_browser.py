"""The asset map in a real browser: filter the map, open an organisation, see what the council
paid it (from the local spend demo), export; axe-core on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keepitlocal.web import demo
from keepitlocal.web.assetmap.demo import MAP_NAME, assetmap_demo
from keepitlocal.web.assetmap.models import AssetMap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_council(make_org: Any, make_member: Any) -> tuple[Any, Any]:
    from keepitlocal.web.spend.demo import spend_demo

    council = make_org("Calderdale Council", "council")
    anchor = make_org("Calder Valley Community Trust", "community")
    user = make_member("editor@example.org", council, "editor")
    data = demo.DemoData(user=user, password="", anchor=anchor, council=council)
    spend_demo(data)
    assetmap_demo(data)
    return council, user


def test_filter_open_see_spend_export(page: Any, live_server: Any, sign_in: Any,
                                      check_page: Any, demo_council: tuple[Any, Any]) -> None:
    council, user = demo_council
    asset_map = AssetMap.objects.for_org(council).get(name=MAP_NAME)
    sign_in(page, user)
    page.goto(f"{live_server.url}/assetmap/")
    check_page(page, "assetmap-index")
    page.get_by_role("link", name=MAP_NAME).click()
    page.wait_for_selector("#asset-map .leaflet-marker-icon")
    check_page(page, "assetmap-map")
    organisations = page.locator("table", has=page.locator("caption", has_text="largest first"))
    everything = organisations.locator("tbody tr").count()

    page.get_by_label("Turnover band", exact=True).select_option(label=lambda_label(page, "medium"))
    page.get_by_label("Deprivation decile (IoD2025)").select_option("2")
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("#asset-map .leaflet-marker-icon")
    rows = organisations.locator("tbody tr")
    assert 0 < rows.count() < everything
    for cell in rows.locator("td:nth-child(2)").all_inner_texts():
        assert cell == "medium"
    check_page(page, "assetmap-map-filtered")

    # the map is keyboard-operable: a marker (or a cluster) takes focus and Enter acts on it
    page.locator("#asset-map").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "leaflet-marker-icon" in focused

    trust = next(r for r in asset_map.latest_done.document["organisations"]
                 if r["key"] == "GB-CHC-1175322")
    page.goto(f"{live_server.url}/assetmap/{asset_map.pk}/?band={trust['band']}"
              f"&decile={trust['imd2025_decile'] or ''}")
    page.get_by_role("link", name="Calder Valley Community Trust", exact=True).first.click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Calder Valley Community Trust"
    paid = page.locator("main").inner_text()
    assert "in 1" in paid or "payments" in paid
    assert "Nothing in" not in paid
    assert "GB-CHC 1175322" in paid
    check_page(page, "assetmap-organisation")

    page.goto(f"{live_server.url}/assetmap/{asset_map.pk}/?band=small")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these organisations (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("key,name") and all(",small," in line for line in lines[1:])

    page.goto(f"{live_server.url}/assetmap/{asset_map.pk}/files/")
    check_page(page, "assetmap-upload")


def lambda_label(page: Any, band: str) -> str:
    """The option's label carries its count ("medium (216)")."""
    options = page.get_by_label("Turnover band", exact=True).locator("option").all_inner_texts()
    return next(o for o in options if o.startswith(band + " "))


def test_lm3_area_step_shows_the_area_on_the_shared_map(page: Any, live_server: Any,
                                                       sign_in: Any, check_page: Any,
                                                       make_org: Any, make_member: Any) -> None:
    from keepitlocal.web.lm3.demo import lm3_demo
    from keepitlocal.web.lm3.models import Lm3Project

    anchor = make_org("Calder Valley Community Trust", "community")
    council = make_org("Calderdale Council", "council")
    user = make_member("admin@example.org", anchor, "admin")
    lm3_demo(demo.DemoData(user=user, password="", anchor=anchor, council=council))
    project = Lm3Project.objects.for_org(anchor).filter(area_kind="lad").exclude(
        area_lads=[]).first()
    assert project is not None
    sign_in(page, user)
    page.set_default_timeout(60_000)  # the area page is a heavy one on a busy machine
    page.goto(f"{live_server.url}/lm3/{project.pk}/area/")
    page.wait_for_selector("#area-map path.leaflet-interactive, #area-map svg path")
    assert page.locator("#area-map svg path").count() == len(project.area_lads)
    check_page(page, "lm3-area-map")


def test_new_map_of_a_combined_authority_directory_rows_and_spend_by_name(
        page: Any, live_server: Any, sign_in: Any, check_page: Any, mobile_page: Any,
        demo_council: tuple[Any, Any], tmp_path: Path) -> None:
    """Start a map of West Yorkshire in the page, upload a directory with a bad row, build it,
    see the districts shaded with their table, and open a group the council paid that only
    the spend analysis's name match links (it has no charity or company number)."""
    _, user = demo_council
    directory = tmp_path / "our-groups.csv"
    directory.write_text("Organisation name,Postcode,Income\r\n"
                         "Mytholmroyd Taxis,HX7 7JL,45000\r\n"
                         "Shelf Residents Group,HX3 7NU,lots\r\n", encoding="utf-8")
    sign_in(page, user)
    page.goto(f"{live_server.url}/assetmap/")
    page.get_by_label("Name of the map").fill("West Yorkshire groups")
    page.get_by_label("A combined authority's area (its member districts)").check()
    page.get_by_label("Combined authority", exact=True).select_option("West Yorkshire CA")
    page.get_by_role("button", name="Start the map").click()
    page.wait_for_selector("h1")
    assert "West Yorkshire CA: its 5 member districts" in page.locator("main").inner_text()

    page.get_by_role("link", name="Add a register file").click()
    page.get_by_label("Your own directory of local groups (CSV or XLSX)").check()
    page.get_by_label("File", exact=True).set_input_files(str(directory))
    page.get_by_role("button", name="Add the file").click()
    page.wait_for_selector(".govuk-notification-banner")
    banners = page.locator("main").inner_text()
    assert "Some rows were left out" in banners and "our-groups.csv, row 3" in banners
    check_page(page, "assetmap-directory-rows")

    page.get_by_role("button", name="Build the map").click()
    page.wait_for_selector("#asset-map .leaflet-marker-icon")
    page.wait_for_selector("#asset-map svg path")
    assert page.locator("#asset-map svg path").count() == 5  # the five districts, shaded
    shading = page.get_by_role("table", name="Deprivation of the districts (the map's shading)")
    text = shading.inner_text()
    for district in ("Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"):
        assert district in text
    assert "41" in text and "129" in text and "31.8%" in text  # Calderdale, from IoD2025
    check_page(page, "assetmap-combined-authority-map")
    url = page.url

    page.get_by_role("link", name="Mytholmroyd Taxis", exact=True).first.click()
    page.wait_for_selector("h1")
    main = page.locator("main").inner_text()
    assert "linked by the spend analysis's name match" in main and "Nothing in" not in main
    check_page(page, "assetmap-organisation-name-match")

    sign_in(mobile_page, user)
    mobile_page.goto(url)
    mobile_page.wait_for_selector("#asset-map .leaflet-marker-icon")
    check_page(mobile_page, "assetmap-combined-authority-map-phone")
