"""The asset map's forms: a new map, a register file (with a column mapping for a directory),
and the map's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from keepitlocal.geo.names import find_lads, lad_name
from keepitlocal.web.assetmap.models import SourceKind
from keepitlocal.web.core.uploads import max_upload_mb, too_large

ALLOWED_SUFFIXES = (".csv", ".json", ".zip", ".xlsx", ".txt")


class MapCreateForm(forms.Form):
    name = forms.CharField(label="Name of the map", max_length=200,
                           help_text="For example: Calderdale VCSE sector, December 2026.")
    council = forms.CharField(
        label="Council area", max_length=100,
        help_text="The district's name or code, for example Calderdale or E08000033.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}))

    def clean_council(self) -> str:
        text = self.cleaned_data["council"].strip()
        if lad_name(text):
            return text.upper()
        matches = find_lads(text)
        if len(matches) == 1 or (matches and matches[0][1].lower() == text.lower()):
            return matches[0][0]
        if matches:
            names = ", ".join(f"{name} ({code})" for code, name in matches[:4])
            raise forms.ValidationError(f"Choose one of: {names}")
        raise forms.ValidationError("Enter the name or code of a UK local authority district")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="What the file is", choices=SourceKind.choices,
                             widget=forms.RadioSelect)
    file = forms.FileField(label="File", help_text=(
        "The register as published: the Charity Commission's publicextract files (JSON or "
        "zip), OSCR's or CCNI's CSV, Companies House basic company data, a 360Giving file, or "
        f"your own list as CSV or XLSX. Up to {max_upload_mb()} MB."))
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

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if too_large(upload):
            raise forms.ValidationError(f"The file must be smaller than {max_upload_mb()} MB")
        if not str(upload.name).lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError("The file must be a CSV, JSON, XLSX or zip file")
        return upload

    def mapping(self) -> dict[str, str]:
        fields = {"name": "name_column", "postcode": "postcode_column",
                  "charity_number": "charity_column", "company_number": "company_column",
                  "activity": "activity_column"}
        return {key: self.cleaned_data[name].strip() for key, name in fields.items()
                if self.cleaned_data.get(name, "").strip()}


class FilterForm(forms.Form):
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
