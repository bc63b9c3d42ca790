"""The steps' pages with the test client: the area as a radius, payroll per person, suppliers by
hand, and the figures they lead to (always the engine's)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from keepitlocal import lm3
from keepitlocal.web.lm3 import services
from keepitlocal.web.lm3.models import AreaKind, Lm3Project, PayrollMode

pytestmark = pytest.mark.postcodes


def test_creating_a_project_starts_with_the_organisations_council_area(client, org, admin):
    client.force_login(admin)
    response = client.post(reverse("lm3:create"), {
        "name": "Trust turnover", "scope": "turnover", "period_start": "2025-04-01",
        "period_end": "2025-03-31"})
    assert "must be after its start" in response.content.decode()
    response = client.post(reverse("lm3:create"), {
        "name": "Trust turnover", "scope": "turnover", "period_start": "2025-04-01",
        "period_end": "2026-03-31"})
    project = Lm3Project.objects.get()
    assert response["Location"] == reverse("lm3:area", args=[project.pk])
    assert project.area_spec == {"lad": ["E08000033"]}


def test_a_radius_around_a_postcode_with_counts_inside(client, admin, make_project, org):
    project = make_project(org, suppliers=[
        ("Near Ltd", "100", "HX1 2JJ", "near@example.org"),
        ("Far Ltd", "100", "SW1A 1AA", "far@example.org"),
        ("Flagged Ltd", "100", True, ""),
    ])
    client.force_login(admin)
    url = reverse("lm3:area", args=[project.pk])
    response = client.post(url, {"action": "radius", "radius_km": "12", "centre": "HX99 9ZZ"})
    assert "We cannot find HX99 9ZZ" in response.content.decode()
    response = client.post(url, {"action": "radius", "radius_km": "0", "centre": "nonsense"})
    assert "Enter the postcode at the centre as a UK postcode" in response.content.decode()
    assert "Enter the distance between 0.1 km and 500 km" in response.content.decode()
    response = client.post(url, {"action": "radius", "radius_km": "12", "centre": "hx1 2jj"})
    project.refresh_from_db()
    assert project.area_kind == AreaKind.RADIUS
    assert project.area_spec == {"radius_km": 12, "centre": "HX1 2JJ"}
    page = client.get(url).content.decode()
    assert "within 12 km of HX1 2JJ" in page
    assert "anywhere within 12 km (about 7 miles) of the postcode HX1 2JJ" in page
    assert "<strong>2</strong> of 3 suppliers are based inside it" in page
    result = services.lm3_result_compute(project)
    assert result.local_suppliers.count == 2 and result.nonlocal_suppliers.count == 1

    client.post(url, {"action": "use-lads"})
    project.refresh_from_db()
    assert project.area_spec == {"lad": ["E08000033"]}
    assert client.post(url, {"action": "remove-lad", "code": "E08000033"}).status_code == 302
    project.refresh_from_db()
    assert project.area_spec == {}
    assert "Not chosen yet" in client.get(url).content.decode()
    results = client.get(reverse("lm3:results", args=[project.pk])).content.decode()
    assert "cannot be calculated yet" in results


def test_adding_council_areas_by_name_code_or_former_district(client, admin, project):
    client.force_login(admin)
    url = reverse("lm3:area", args=[project.pk])
    page = client.get(url).content.decode()
    assert "Kirklees (E08000034)" in page and "Harrogate (now North Yorkshire)" in page
    page = client.post(url, {"action": "add-lad", "lad": "zzzz"}).content.decode()
    assert "No council area is called “zzzz”" in page
    page = client.post(url, {"action": "add-lad", "lad": ""}).content.decode()
    assert "Choose the council area to add" in page
    client.post(url, {"action": "add-lad", "lad": "kirklees"})
    response = client.post(url, {"action": "add-lad", "lad": "E07000169"}, follow=True)
    assert "Selby became part of North Yorkshire in 2023" in response.content.decode()
    project.refresh_from_db()
    assert project.area_lads == ["E08000033", "E08000034", "E06000065"]
    assert "the council areas of Calderdale, Kirklees and North Yorkshire" in client.get(
        url).content.decode()


def test_payroll_per_person_with_postcodes_or_flags(client, admin, project):
    client.force_login(admin)
    url = reverse("lm3:budget", args=[project.pk])
    response = client.post(url, {"action": "staff", "staff-label": "Manager", "staff-pay": "1",
                                 "staff-postcode": "", "staff-local": ""})
    assert "Enter a home postcode, or say whether they live in the area" in \
        response.content.decode()
    client.post(url, {"action": "staff", "staff-label": "Manager", "staff-pay": "£30,000",
                      "staff-postcode": "hx1 2jj", "staff-local": ""})
    client.post(url, {"action": "staff", "staff-label": "Consultant", "staff-pay": "10000",
                      "staff-postcode": "", "staff-local": "no"})
    project.refresh_from_db()
    assert project.payroll_mode == PayrollMode.PEOPLE
    assert list(project.staff.values_list("label", "postcode", "local", "pay")) == [
        ("Manager", "HX1 2JJ", None, Decimal("30000")),
        ("Consultant", "", False, Decimal("10000"))]
    result = services.lm3_result_compute(project)
    assert (result.staff_pay, result.local_staff_pay) == (Decimal(40000), Decimal(30000))
    assert (result.staff_count, result.local_staff_count) == (2, 1)
    member = project.staff.get(label="Consultant")
    client.post(reverse("lm3:staff_remove", args=[project.pk, member.pk]))
    assert project.staff.count() == 1


def test_suppliers_by_hand(client, admin, project):
    client.force_login(admin)
    url = reverse("lm3:supplier_add", args=[project.pk])
    response = client.post(url, {"name": "halifax bakery", "spend": "5", "local": "yes"})
    assert "already in the project" in response.content.decode()
    response = client.post(url, {"name": "Todmorden Tools", "spend": "£2,500.10",
                                 "email": "Tools@Example.org", "postcode": "OL14 5AB"})
    assert response.status_code == 302
    supplier = project.suppliers.get(name="Todmorden Tools")
    assert (supplier.spend, supplier.email, supplier.postcode) == (
        Decimal("2500.10"), "tools@example.org", "OL14 5AB")
    page = client.get(reverse("lm3:suppliers", args=[project.pk]), {"q": "todmorden"})
    assert "Todmorden Tools" in page.content.decode() and "£2,500.10" in page.content.decode()


def test_a_supplier_name_the_engine_counts_as_a_duplicate_is_refused_on_the_page(
        client, admin, project):
    """The page used a case-only match, so "Halifax  Bakery" (two spaces) was accepted here and
    then failed the engine's duplicate check on the results page. Now the page uses the engine's
    rule, both when adding and when renaming."""
    client.force_login(admin)
    url = reverse("lm3:supplier_add", args=[project.pk])
    response = client.post(url, {"name": " HALIFAX  bakery ", "spend": "5", "local": "yes"})
    assert "already in the project" in response.content.decode()
    assert project.suppliers.count() == 4
    other = project.suppliers.get(name="Leeds Print Ltd")
    response = client.post(reverse("lm3:supplier", args=[project.pk, other.pk]),
                           {"name": "Halifax   Bakery", "spend": "8000", "local": "no"})
    assert "already in the project" in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Leeds Print Ltd"
    response = client.post(reverse("lm3:supplier", args=[project.pk, other.pk]),
                           {"name": "Leeds Print Limited", "spend": "8000", "local": "no"})
    assert response.status_code == 302


def test_a_workbook_export_imports_back_to_the_same_figures(client, admin, project):
    services.response_record(project.suppliers.get(name="Halifax Bakery"),
                             local_staff_share=Decimal("0.4"),
                             local_supplier_share=Decimal("0.2"), source="survey")
    client.force_login(admin)
    workbook = client.get(reverse("lm3:export_xlsx", args=[project.pk])).content
    client.post(reverse("lm3:import"), {"file": SimpleUploadedFile("back.xlsx", workbook)})
    copy = Lm3Project.objects.exclude(pk=project.pk).get()
    assert copy.suppliers.count() == 4 and copy.other_costs.count() == 1
    before = lm3.result_to_dict(services.lm3_result_compute(project))
    after = lm3.result_to_dict(services.lm3_result_compute(copy))
    assert {k: before[k] for k in ("round1", "round2", "round3", "lm3", "confidence")} == \
        {k: after[k] for k in ("round1", "round2", "round3", "lm3", "confidence")}


def test_supplier_list_shows_filters_and_sorts_by_the_area(client, admin, make_project, org):
    project = make_project(org, suppliers=[
        ("Near Ltd", "100", "HX1 2JJ", "near@example.org"),
        ("Far Ltd", "300", "SW1A 1AA", "far@example.org"),
        ("Flagged Ltd", "200", True, ""),
    ])
    client.force_login(admin)
    url = reverse("lm3:suppliers", args=[project.pk])
    page = client.get(url, {"where": "inside"}).content.decode()
    assert "Near Ltd" in page and "Flagged Ltd" in page and "Far Ltd" not in page
    page = client.get(url, {"where": "outside"}).content.decode()
    assert "Far Ltd" in page and "Near Ltd" not in page
    page = client.get(url, {"sort": "spend"}).content.decode()
    assert page.index("Far Ltd") < page.index("Flagged Ltd") < page.index("Near Ltd")
    page = client.get(url, {"sort": "area"}).content.decode()
    assert page.index("Near Ltd") < page.index("Far Ltd")
    near = project.suppliers.get(name="Near Ltd")
    detail = client.get(reverse("lm3:supplier", args=[project.pk, near.pk])).content.decode()
    assert "In the area" in detail and "Placed by their full postcode" in detail
    flagged = project.suppliers.get(name="Flagged Ltd")
    detail = client.get(reverse("lm3:supplier", args=[project.pk, flagged.pk])).content.decode()
    assert "Placed by a yes or no answer about the area" in detail


def test_deleting_a_project_asks_first_then_deletes_it_and_says_so(client, admin, project):
    client.force_login(admin)
    url = reverse("lm3:delete", args=[project.pk])
    page = client.get(url)
    assert page.status_code == 200 and escape(str(project)) in page.content.decode()
    assert Lm3Project.objects.filter(pk=project.pk).exists()
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("lm3:index")
    assert escape(f"{project} is deleted.") in response.content.decode()
    assert not Lm3Project.objects.filter(pk=project.pk).exists()
