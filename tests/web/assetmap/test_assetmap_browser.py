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
    everything = page.locator("table >> nth=0 >> tbody tr").count()

    page.get_by_label("Turnover band", exact=True).select_option(label=lambda_label(page, "medium"))
    page.get_by_label("Deprivation decile (IoD2025)").select_option("2")
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("#asset-map .leaflet-marker-icon")
    rows = page.locator("table >> nth=0 >> tbody tr")
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
