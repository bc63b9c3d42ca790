"""The asset map's forms: a new map, a register file (with a column mapping for a directory),
and the map's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from keepitlocal.assetmap import areas
from keepitlocal.errors import InputError
from keepitlocal.geo.names import find_lads, lad_name
from keepitlocal.web.assetmap.models import SourceKind
from keepitlocal.web.core.fields import NumberField
from keepitlocal.web.core.forms import PlainWords
from keepitlocal.web.core.uploads import UploadField, max_upload_mb

ALLOWED_SUFFIXES = (".csv", ".json", ".zip", ".xlsx", ".txt")


AREA_KINDS = (("council", "A council's district (or several districts)"),
              ("county", "A county council's area (its districts)"),
              ("combined", "A combined authority's area (its member districts)"),
              ("radius", "A distance around a postcode"))


class MapCreateForm(PlainWords, forms.Form):
    """A new map and its area, chosen any way the product knows one (docs/assetmap.md)."""

    name = forms.CharField(label="Name of the map", max_length=200,
                           help_text="For example: Calderdale VCSE sector, December 2026.")
    area_kind = forms.ChoiceField(label="Which area", choices=AREA_KINDS, initial="council",
                                  required=False, widget=forms.RadioSelect)
    council = forms.CharField(
        label="District", max_length=300, required=False,
        help_text="For a district: its name or code, for example Calderdale or E08000033; "
                  "several codes separated by commas.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}))
    county = forms.ChoiceField(label="County council", required=False,
                               help_text="For a county council's area.")
    combined_authority = forms.ChoiceField(label="Combined authority", required=False,
                                           help_text="For a combined authority's area.")
    radius_km = NumberField(label="Distance in kilometres", what="the distance", example="10",
                            min_value=1, max_value=100, decimal_places=1, required=False,
                            help_text="For a distance around a postcode, 1 to 100 km.")
    centre = forms.CharField(label="Postcode at the centre", max_length=10, required=False,
                             widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                           "autocomplete": "postal-code"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        county_field = self.fields["county"]
        ca_field = self.fields["combined_authority"]
        assert isinstance(county_field, forms.ChoiceField)
        assert isinstance(ca_field, forms.ChoiceField)
        counties = sorted(areas.counties().items(), key=lambda item: item[1])
        county_field.choices = [("", "Choose a county council"), *counties]
        ca_field.choices = [("", "Choose a combined authority"),
                            *[(n, n) for n in areas.combined_authorities()]]

    def _district_codes(self, text: str) -> list[str]:
        codes = []
        for part in [p.strip() for p in text.split(",") if p.strip()] or [""]:
            if lad_name(part):
                codes.append(part.upper())
                continue
            matches = find_lads(part) if part else []
            if len(matches) == 1 or (matches and matches[0][1].lower() == part.lower()):
                codes.append(matches[0][0])
            elif matches:
                names = ", ".join(f"{name} ({code})" for code, name in matches[:4])
                raise forms.ValidationError(
                    f"“{part}” matches more than one district: choose one of {names}")
            else:
                raise forms.ValidationError(
                    "Enter the name or code of a UK local authority district")
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("area_kind") or "council"
        try:
            if kind == "council":
                codes = self._district_codes(data.get("council") or "")
                data["choice"] = areas.from_councils(codes, "area")
            elif kind == "county":
                if not data.get("county"):
                    raise forms.ValidationError({"county": "Choose a county council"})
                data["choice"] = areas.from_councils([data["county"]], "area")
            elif kind == "combined":
                if not data.get("combined_authority"):
                    raise forms.ValidationError({"combined_authority":
                                                 "Choose a combined authority"})
                data["choice"] = areas.from_combined_authority(data["combined_authority"], "area")
            elif kind == "radius":
                if data.get("radius_km") is None:
                    raise forms.ValidationError({"radius_km": "Enter the distance in kilometres"})
                if not (data.get("centre") or "").strip():
                    raise forms.ValidationError({"centre": "Enter the postcode at the centre"})
                data["choice"] = areas.from_radius(data["centre"], float(data["radius_km"]),
                                                   "area")
        except forms.ValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            raise forms.ValidationError({"council": error.messages}) from None
        except InputError as error:
            field = {"radius": "centre", "county": "county",
                     "combined": "combined_authority"}.get(str(kind), "council")
            raise forms.ValidationError({field: [p.message for p in error.problems]}) from None
        choice = data.get("choice")
        if choice is not None:
            data["council"] = choice.area.lads[0] if choice.area.lads else _centre_lad(choice)
        return data


def _centre_lad(choice: areas.AreaChoice) -> str:
    lads = sorted(areas.operation_lads(choice.area))
    return lads[0] if lads else ""


class UploadForm(PlainWords, forms.Form):
    kind = forms.ChoiceField(label="What the file is", choices=SourceKind.choices,
                             widget=forms.RadioSelect)
    file = UploadField(
        label="File", help_text=(
            "The register as published: the Charity Commission's publicextract files (JSON or "
            "zip), OSCR's or CCNI's CSV, Companies House basic company data, a 360Giving file, "
            f"or your own list as CSV or XLSX. Up to {max_upload_mb()} MB."),
        extensions=ALLOWED_SUFFIXES, choose="Choose a register file to upload",
        too_large="The file must be smaller than {limit} MB",
        wrong_type="The file must be a CSV, JSON, XLSX or zip file",
    )
    name_column = forms.CharField(label="Directory: column with the organisation's name",
                                  required=False, max_length=200,
                                  help_text="Only for your own directory, and only if the "
                                            "headers are not recognised.")
    postcode_column = forms.CharField(label="Directory: postcode column", required=False,
                                      max_length=200)
    charity_column = forms.CharField(label="Directory: charity number column", required=False,
                                     max_length=200)
    company_column = forms.CharField(label="Directory: company number column", required=False,
                                     max_length=200)
    activity_column = forms.CharField(label="Directory: activity column", required=False,
                                      max_length=200)

    def mapping(self) -> dict[str, str]:
        fields = {"name": "name_column", "postcode": "postcode_column",
                  "charity_number": "charity_column", "company_number": "company_column",
                  "activity": "activity_column"}
        return {key: self.cleaned_data[name].strip() for key, name in fields.items()
                if self.cleaned_data.get(name, "").strip()}


class FilterForm(PlainWords, forms.Form):
    view = forms.ChoiceField(label="Which organisations", required=False, choices=(
        ("office", "Registered office in the area"),
        ("operation", "Say they work in the area (wherever their office is)")))
    band = forms.ChoiceField(label="Turnover band", required=False)
    activity = forms.ChoiceField(label="Activity", required=False)
    decile = forms.ChoiceField(label="Deprivation decile (IoD2025)", required=False, choices=[
        ("", "Any decile"), *[(str(d), f"{d}{' (most deprived)' if d == 1 else ''}"
                               f"{' (least deprived)' if d == 10 else ''}")
                              for d in range(1, 11)]])

    def __init__(self, *args: Any, summary: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        band_field = self.fields["band"]
        activity_field = self.fields["activity"]
        assert isinstance(band_field, forms.ChoiceField)
        assert isinstance(activity_field, forms.ChoiceField)
        band_field.choices = [("", "Any band")] + [
            (b["group"], f"{b['group']} ({b['count']})") for b in summary.get("by_band", [])]
        activity_field.choices = [("", "Any activity")] + [
            (a["group"], f"{a['group']} ({a['count']})") for a in summary.get("by_activity", [])]
