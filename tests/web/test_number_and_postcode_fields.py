"""Numbers and postcodes as people type them, through the shared core fields."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepitlocal.geo import tidy_postcode
from keepitlocal.web.core.areas import RadiusForm
from keepitlocal.web.core.fields import ExponentNotation, parse_typed_number
from keepitlocal.web.enabled.forms import TenantForm
from keepitlocal.web.lm3.forms import OtherCostForm, SurveyForm


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [("£1,000", "money", "1000"), ("1 250", "money", "1250"), ("£1,234.50", "money", "1234.50"),
     ("33.5%", "percent", "33.5"), ("33.5 %", "percent", "33.5"), ("40", "percent", "40"),
     ("12", "number", "12"), ("0.5", "number", "0.5")],
)
def test_numbers_as_people_type_them(text: str, kind: str, value: str) -> None:
    assert parse_typed_number(text, kind) == Decimal(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["1e6", "1E+06", "2.5e3"])
def test_exponent_notation_is_refused(text: str) -> None:
    with pytest.raises(ExponentNotation):
        parse_typed_number(text, "money")


@pytest.mark.parametrize(("text", "kind"), [("1,00", "money"), ("£5", "percent"), ("5%", "money"),
                                            ("NaN", "number"), ("12 km", "number"), ("", "money")])
def test_anything_else_is_not_a_number(text: str, kind: str) -> None:
    with pytest.raises(ValueError):
        parse_typed_number(text, kind)  # type: ignore[arg-type]


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_a_formatted_amount_reads_back_as_itself(value: Decimal) -> None:
    assert parse_typed_number(f"£{value:,.2f}", "money") == value


def test_money_field_refuses_1e6_in_words_naming_the_field() -> None:
    form = OtherCostForm({"label": "Rates", "spend": "1e6", "local": "yes"})
    assert form.errors["spend"] == [
        "Write the amount in full, like 1,250.00, not as a power of ten (1e6)"]
    form = OtherCostForm({"label": "Rates", "spend": "£1,000", "local": "yes"})
    assert form.is_valid() and form.cleaned_data["spend"] == Decimal(1000)


@pytest.mark.postcodes
def test_a_huge_radius_gives_one_error_in_the_products_words() -> None:
    form = RadiusForm({"radius_km": "100000", "centre": "HX1 2JJ"})
    assert form.errors == {"radius_km": ["Enter the distance between 0.1 km and 500 km"]}


@pytest.mark.postcodes
@pytest.mark.parametrize(
    ("centre", "message"),
    [("ZZ9 9ZZ", "We cannot find ZZ9 9ZZ: check the postcode at the centre"),
     ("HX99 9ZZ", "We cannot find HX99 9ZZ: check the postcode at the centre"),
     ("12 High Street", "Enter the postcode at the centre as a UK postcode, like HX1 2JJ")],
)
def test_a_postcode_not_found_is_told_apart_from_one_malformed(centre: str, message: str) -> None:
    assert RadiusForm({"radius_km": "5", "centre": centre}).errors == {"centre": [message]}


def test_percentages_accept_the_percent_sign() -> None:
    form = SurveyForm({"local_staff_percent": "33.5%", "local_supplier_percent": "20 %"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["local_staff_percent"] == Decimal("33.5")
    form = SurveyForm({"local_staff_percent": "133%", "local_supplier_percent": "1e1"})
    assert form.errors["local_staff_percent"] == [
        "Enter the percentage for staff who live in the area between 0% and 100%"]
    assert "not as a power of ten" in form.errors["local_supplier_percent"][0]


@pytest.mark.django_db
def test_tenant_number_errors_name_their_fields(org) -> None:
    from keepitlocal.web.enabled import services

    project = services.project_create(org=org, year=2025)
    form = TenantForm({"name": "Hub", "sic": "56.10", "fte": "-1", "headcount": "-1",
                       "weekly_hours": "-1", "floorspace_m2": "-1"}, project=project)
    assert not form.is_valid()
    messages = [m for errors in form.errors.values() for m in errors]
    assert len(messages) == len(set(messages)) == 4  # each names its own field
    assert all(len(errors) == 1 for errors in form.errors.values())  # and is shown once
    form = TenantForm({"name": "Odd", "sic": "99.99.99"}, project=project)
    assert not form.is_valid() and "keepitlocal" not in str(form.errors)


@pytest.mark.django_db
def test_saved_numbers_are_shown_as_people_write_them(org) -> None:
    from keepitlocal.web.enabled import services
    from keepitlocal.web.enabled.models import Tenant

    project = services.project_create(org=org, year=2025)
    tenant = Tenant.objects.create(organisation=org, project=project, name="Hub", sic="56.10",
                                   floorspace_m2=Decimal("200.0000"), fte=Decimal("6.5000"),
                                   turnover=Decimal("1250.50"), gva=Decimal("95000.00"))
    html = str(TenantForm(instance=tenant, project=project))
    for shown in ('value="200"', 'value="6.5"', 'value="1250.50"', 'value="95000"'):
        assert shown in html


@pytest.mark.parametrize(("text", "tidy"), [("hx12jj", "HX1 2JJ"), (" HX1  2JJ ", "HX1 2JJ"),
                                            ("zz9  9zz", "ZZ9 9ZZ"), ("not a postcode at all",
                                                                      "NOT A POSTCODE AT ALL")])
def test_postcode_clean_up_is_one_rule(text: str, tidy: str) -> None:
    assert tidy_postcode(text) == tidy
