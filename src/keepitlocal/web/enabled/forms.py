"""Forms for projects, tenants, overrides, uploads and sharing.

A tenant's codes and numbers, and an override, are checked by the engine itself
(`project_from_dict`), so the web app accepts exactly what the input file accepts, and its
messages name the field to fix.
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal
from typing import Any, ClassVar

from django import forms

from keepitlocal.enabled import project_from_dict
from keepitlocal.enabled.model import OVERRIDE_TABLES
from keepitlocal.enabled.reference import load_reference, use_classes_2020
from keepitlocal.enabled.validate import canonical_override_code
from keepitlocal.errors import InputError
from keepitlocal.geo.names import UnknownLad, lad_name, resolve_lad
from keepitlocal.web.accounts.models import Organisation, OrganisationKind
from keepitlocal.web.core.fields import AreaField, NumberField
from keepitlocal.web.core.forms import PlainWords, field_of
from keepitlocal.web.core.uploads import UploadField
from keepitlocal.web.enabled import selectors
from keepitlocal.web.enabled.models import (
    MONEY,
    QUANTITY,
    EnabledProject,
    Tenant,
    name_key,
    plain,
)

UPLOAD_SUFFIXES = (".json", ".xlsx", ".xlsm")
OVERRIDE_LABELS = {
    "density": "Employment density (m² per FTE), for a use class",
    "gva_per_fte": "GVA per FTE (£ a year), for a SIC section or code",
    "gva_turnover_ratio": "GVA-to-turnover ratio (between 0 and 1), for a SIC section or code",
    "fte_factor": "FTE per job (between 0 and 1), for a SIC section or code",
    "full_time_hours": "Full-time week (hours)",
}


def _number(
    label: str, help_text: str, *, what: str, money: bool = False, example: str = "850"
) -> Any:
    spec = MONEY if money else QUANTITY
    places = spec["decimal_places"]
    return NumberField(
        label=label,
        kind="money" if money else "number",
        what=what,
        required=False,
        help_text=help_text,
        example=example,
        min_value=0,
        max_value=Decimal(10) ** (spec["max_digits"] - places) - Decimal(1).scaleb(-places),
        decimal_places=places,
        error_messages={
            "min_value": f"Enter {what} as 0 or more, or leave it blank if it is not known",
            "max_value": f"Enter {what} as a smaller number: it is too large to be right",
        },
    )


def use_class_choices(current: str = "") -> list[Any]:
    """The classes tenants name today (Class E, F1, F2, sui generis) first, then the classes
    before September 2020 as the HCA guide names them."""
    ref = load_reference()
    today = [(code, label) for code, label, _ in use_classes_2020()]
    before = [(code, f"{code}: {use.label}") for code, use in ref.use_classes.items()
              if code != "sui-generis"]
    known = {code for code, _ in today} | {code for code, _ in before}
    choices: list[Any] = [("", "Not known"), ("Since September 2020", today),
                          ("Before September 2020", before)]
    if current and current not in known:
        choices.append((current, current))
    return choices


def _field_of(column: str | None) -> str | None:
    """ "anchors[0].tenants[0].sic" → "sic"; "overrides.density.D1" → None."""
    if not column or "tenants[" not in column:
        return None
    return column.rsplit(".", 1)[-1]


_CLI_HINT = re.compile(r";?\s*`keepitlocal [^`]*`[^;)]*")
YEAR_RANGE = "Enter the year the survey describes as a year between 1990 and 2100, like 2025"


class ProjectForm(PlainWords, forms.ModelForm):
    local_authority = AreaField(
        required=False, label="Council area (optional)", blank="Not chosen",
        help_text="The council area the anchor is in: start typing its name, like Calderdale. "
        "Totals are grouped by it.",
    )

    class Meta:
        model = EnabledProject
        fields = ("year", "name", "local_authority", "notes")
        labels: ClassVar[dict[str, Any]] = {"name": "Name (optional)"}
        help_texts: ClassVar[dict[str, Any]] = {
            "name": "Leave blank to call it by your organisation's name and the year."
        }
        widgets: ClassVar[dict[str, Any]] = {
            "year": forms.TextInput(
                attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}
            ),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages: ClassVar[dict[str, Any]] = {
            "year": {
                "required": "Enter the year the survey describes, like 2025",
                "invalid": "Enter the year the survey describes as 4 digits, like 2025",
                "min_value": YEAR_RANGE,
                "max_value": YEAR_RANGE,
            },
        }

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        if self.instance.local_authority:
            with contextlib.suppress(UnknownLad):  # a name the list does not know shows unset
                self.initial["local_authority"] = resolve_lad(self.instance.local_authority).code

    def clean_local_authority(self) -> str:
        """The council's name, as the totals are grouped by it."""
        code = self.cleaned_data["local_authority"]
        return lad_name(code) or "" if code else ""

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        taken = EnabledProject.objects.for_org(self.org).filter(year=year)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"There is already a project for {year}: open it instead")
        return year


class YearChoiceField(forms.ModelChoiceField):
    """An organisation's Enabled years, each shown as its year."""

    def label_from_instance(self, obj: EnabledProject) -> str:
        return str(obj.year)


class ProjectCreateForm(ProjectForm):
    copy_from = YearChoiceField(
        queryset=EnabledProject.objects.none(),
        required=False,
        label="Start from an earlier year's tenant list (optional)",
        help_text="Copies each tenant's name, activity, floorspace and contact, and the "
        "overrides. Their employees, turnover and GVA are left blank for the new year.",
        empty_label="No, start with no tenants",
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, org=org, **kwargs)
        earlier = EnabledProject.objects.for_org(org)
        if not earlier.exists():
            del self.fields["copy_from"]
            return
        field_of(self, "copy_from", YearChoiceField).queryset = earlier


# What a tenant tells about itself: the fields of the anchor's form and of the tenant's survey.
TENANT_FACTS = ("sic", "use_class", "floorspace_m2", "area_basis", "fte", "headcount",
                "weekly_hours", "turnover", "gva")


class TenantForm(PlainWords, forms.ModelForm):
    floorspace_m2 = _number("Floorspace (m²)", "The space the tenant uses, in square metres.",
                            what="the floorspace in m²")
    fte = _number(
        "Employees: full-time equivalent (FTE)",
        "Two half-time workers are 1 FTE. Leave blank if not known.",
        what="the full-time equivalent (FTE) employees",
        example="6.5",
    )
    headcount = _number(
        "Employees: number of people", "Use this if the FTE is not known.",
        what="the number of people employed", example="14"
    )
    weekly_hours = _number(
        "Average hours a week per person",
        "With the number of people, this gives the FTE.",
        what="the average hours a week",
        example="30",
    )
    turnover = _number("Turnover (£ a year)", "From the tenant's accounts.", money=True,
                       what="the turnover", example="210,000")
    gva = _number(
        "Gross value added, GVA (£ a year)",
        "Only if the tenant knows it from its accounts (roughly wages plus profit).",
        what="the GVA",
        money=True,
        example="95000",
    )

    class Meta:
        model = Tenant
        fields: tuple[str, ...] = ("name", *TENANT_FACTS, "notes", "contact_name", "contact_email")
        labels: ClassVar[dict[str, Any]] = {
            "name": "Tenant name",
            "area_basis": "Which kind of floor area is it?",
            "use_class": "Use class of the space",
            "notes": "Notes (optional)",
            "contact_name": "Contact name (optional)",
            "contact_email": "Contact e-mail address (optional)",
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "sic": "Decides which national averages apply: a code such as 56.10 (café) or "
            "88.91 (nursery), or a section letter such as I. Companies House lists a "
            "company's SIC code.",
            "use_class": "Used to estimate jobs from floorspace when employees are not known.",
            "notes": "Carried into the report.",
            "contact_email": "For sending the tenant the survey.",
        }
        widgets: ClassVar[dict[str, Any]] = {
            "sic": forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
            "area_basis": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages: ClassVar[dict[str, Any]] = {"name": {"required": "Enter the tenant's name"}}

    # The page's groups of fields: heading ("" for none), a line above the fields, field names.
    sections: ClassVar[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
        ("", "", ("name",)),
        ("What they do", "", ("sic", "use_class")),
        ("Space", "", ("floorspace_m2", "area_basis")),
        ("People", "Give the FTE if the tenant knows it. Otherwise give the number of people and, "
         "if known, their average hours a week.", ("fte", "headcount", "weekly_hours")),
        ("Money", "", ("turnover", "gva", "notes")),
        ("Contact", "", ("contact_name", "contact_email")),
    )

    def __init__(self, *args: Any, project: EnabledProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["use_class"].widget = forms.Select(
            choices=use_class_choices(self.instance.use_class if self.instance else "")
        )
        field_of(self, "area_basis", forms.ChoiceField).choices = [
            ("NIA", "NIA: net internal area (the usual lettable area)"),
            ("GIA", "GIA: gross internal area"),
            ("GEA", "GEA: gross external area"),
            ("", "Not known"),
        ]
        self.fields["area_basis"].required = False

    def grouped(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """The sections with their bound fields, for enabled/_tenant_fields.html."""
        return [(heading, intro, [self[name] for name in names])
                for heading, intro, names in self.sections]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = self.project.tenants.exclude(pk=self.instance.pk or 0)
        if any(name_key(t.name) == name_key(name) for t in others):
            raise forms.ValidationError("There is already a tenant with this name this year")
        return name

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors or not (data.get("sic") or data.get("use_class")):
            return data
        record: dict[str, str] = {"name": data.get("name") or "tenant"}
        for key in ("sic", "use_class", "area_basis"):
            if data.get(key):
                record[key] = data[key]
        for key in ("floorspace_m2", "fte", "headcount", "weekly_hours", "turnover", "gva"):
            if data.get(key) is not None:
                record[key] = plain(data[key])
        try:
            project_from_dict({"anchors": [{"name": "anchor", "tenants": [record]}]})
        except InputError as error:
            for problem in error.problems:
                field = _field_of(problem.column)
                message = problem.message.split(": ", 1)[-1]
                hint = _CLI_HINT.sub("", problem.hint or "")  # a web page names no command
                if hint:
                    message += f" ({hint})"
                self.add_error(field if field in self.fields else None, message)
        return data


class InviteTenantForm(PlainWords, forms.Form):
    """A tenant to send the survey to: a name and an address are enough."""

    name = forms.CharField(label="Tenant name", max_length=200,
                           error_messages={"required": "Enter the tenant's name"})
    contact_name = forms.CharField(label="Contact name (optional)", max_length=200,
                                   required=False)
    contact_email = forms.EmailField(
        label="Contact e-mail address",
        error_messages={
            "required": "Enter the e-mail address to send the survey to",
            "invalid": "Enter an e-mail address like name@example.org",
        },
    )


class OverrideForm(PlainWords, forms.Form):
    table = forms.ChoiceField(
        label="Which reference value",
        choices=[(t, OVERRIDE_LABELS[t]) for t in OVERRIDE_TABLES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which reference value to replace"},
    )
    code = forms.CharField(
        label="Code",
        required=False,
        max_length=40,
        help_text="The use class (for a density, e.g. D1) or SIC section or code (e.g. Q or 88). "
        "Leave blank for the full-time week.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    value = NumberField(
        label="Your value",
        what="your value",
        example="25",
        decimal_places=6,
        max_value=Decimal("9999999999"),
    )
    note = forms.CharField(
        label="Why, and where it comes from",
        max_length=500,
        required=False,
        help_text="Shown in the report beside the value, e.g. \"our own count of staff per m², "
        "2025\".",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        table, code = data["table"], data.get("code", "").strip()
        entry = {"value": plain(data["value"])}
        overrides: dict[str, Any] = (
            {table: entry} if table == "full_time_hours" else {table: {code: entry}}
        )
        if table != "full_time_hours" and not code:
            self.add_error("code", "Enter the code this value is for")
            return data
        try:
            project_from_dict(
                {"anchors": [{"name": "a", "tenants": [{"name": "t", "sic": "I"}]}],
                 "overrides": overrides}
            )
        except InputError as error:
            for problem in error.problems:
                message = problem.message + (f" ({problem.hint})" if problem.hint else "")
                self.add_error("code" if "code" in problem.message else "value", message)
            return data
        data["code"] = canonical_override_code(table, code, load_reference()) or code
        return data


class UploadForm(PlainWords, forms.Form):
    file = UploadField(
        label="Upload a file",
        help_text="The Enabled Contribution workbook (.xlsx) or input file (.json).",
        extensions=UPLOAD_SUFFIXES, choose="Choose a .xlsx or .json file to upload",
        empty="The file is empty: choose another",
        too_large="The file is larger than {limit} MB: split it, or remove other sheets",
        wrong_type="The file must be a .xlsx workbook or a .json file; download the template "
                   "from this page",
    )
    anchor = forms.CharField(
        label="Anchor name in the file (only if the file holds several anchors)",
        required=False,
        max_length=200,
    )


class ShareForm(PlainWords, forms.Form):
    """A verified council from the list, or any council whose member gave a share code."""

    council = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Council to share with",
        help_text="Councils whose accounts have been checked.",
        empty_label="Choose a council",
    )
    code = forms.CharField(
        required=False, max_length=200, label="Or enter a share code from the council",
        help_text="A member of a council not in the list can give you a code from its "
        "keepitlocal network page.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        field_of(self, "council", forms.ModelChoiceField).queryset = Organisation.objects.filter(
            kind=OrganisationKind.COUNCIL, verified=True
        ).exclude(pk=org.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get("code") or "").strip()
        data["invited"] = False
        if code:
            council = selectors.council_from_code(code)
            if council is None or council.pk == self.org.pk:
                self.add_error("code", "This share code is not right or is too old: ask the "
                                       "council for a new one")
            else:
                data["council"], data["invited"] = council, True
        elif not data.get("council") and "council" not in self.errors:
            self.add_error("council", "Choose the council to share with, or enter its code")
        return data


class CompareForm(PlainWords, forms.Form):
    a = YearChoiceField(queryset=EnabledProject.objects.none(), label="Earlier year",
                        empty_label=None)
    b = YearChoiceField(queryset=EnabledProject.objects.none(), label="Later year",
                        empty_label=None)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            field_of(self, name, YearChoiceField).queryset = (
                EnabledProject.objects.for_org(org).order_by("year"))


