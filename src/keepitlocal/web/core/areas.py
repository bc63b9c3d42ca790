"""Choosing a local area, the same on every page that takes one (an LM3 project, an impact
plan): council areas added one at a time through the shared picker, or a distance around a
postcode. The page shows core/_area_forms.html and hands the posted action to `area_change`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from django import forms
from django.http import QueryDict

from keepitlocal.geo import lad_name
from keepitlocal.web.core.fields import AreaField, NumberField, PostcodeField
from keepitlocal.web.core.forms import PlainWords, field_of

ACTIONS = ("add-lad", "remove-lad", "radius")


class AreaAddForm(PlainWords, forms.Form):
    lad = AreaField(
        label="Add a council area",
        help_text="Choose a council (a local authority district), or type its name or ONS code, "
        "like Calderdale or E08000033. Former districts lead to the council that covers them now.",
        error_messages={"required": "Choose the council area to add"},
    )


class RadiusForm(PlainWords, forms.Form):
    radius_km = NumberField(
        label="Distance in kilometres", what="the distance", unit=" km", example="12",
        min_value=Decimal("0.1"), max_value=500, decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
        error_messages={"required": "Enter the distance in kilometres, like 12"},
    )
    centre = PostcodeField(
        label="Postcode at the centre", what="the postcode at the centre", must_exist=True,
        centre=True, help_text="Usually your own building's postcode.",
        error_messages={"required": "Enter the postcode at the centre of the area"},
    )


class AreaServices(Protocol):
    """What a capability's services offer to change the area of what it owns."""

    def area_lad_add(self, owner: Any, code: str, /) -> None: ...
    def area_lad_remove(self, owner: Any, code: str, /) -> None: ...
    def area_radius_set(self, owner: Any, /, *, km: Decimal, centre: str) -> None: ...


def area_forms(data: QueryDict | None, action: str | None, *, radius_km: Decimal | None,
               centre: str) -> tuple[AreaAddForm, RadiusForm]:
    """The two forms, each bound only when its own action was posted."""
    add = AreaAddForm(data if action == "add-lad" else None)
    radius = RadiusForm(data if action == "radius" else None,
                        initial={"radius_km": radius_km, "centre": centre})
    return add, radius


def area_change(services: AreaServices, owner: Any, action: str | None, data: QueryDict,
                add: AreaAddForm, radius: RadiusForm) -> str | None:
    """Apply a posted add-lad, remove-lad or radius action; what to tell the user, or None when
    it was another action or its form has errors to show."""
    if action == "add-lad" and add.is_valid() and (
            choice := field_of(add, "lad", AreaField).choice):
        services.area_lad_add(owner, choice.code)
        note = f" {choice.note}." if choice.note else ""
        return f"Added {choice.name} to the area.{note}"
    if action == "remove-lad":
        code = data.get("code", "").strip().upper()
        services.area_lad_remove(owner, code)
        return f"Removed {lad_name(code) or code} from the area."
    if action == "radius" and radius.is_valid():
        services.area_radius_set(owner, km=radius.cleaned_data["radius_km"],
                                 centre=radius.cleaned_data["centre"])
        return "The area is now a distance around a postcode."
    return None
