"""Forms for each step. Error messages say how to fix the problem, as GOV.UK asks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django import forms

from keepitlocal.framework.io import INDICATOR_FIELDS
from keepitlocal.framework.model import PERIOD_HINT, Period
from keepitlocal.framework.reference import load_framework
from keepitlocal.framework.units import is_numeric, unit_hint, value_problem
from keepitlocal.web.core.forms import PlainWords, field_of
from keepitlocal.web.core.uploads import max_upload_mb
from keepitlocal.web.framework.feeds import Feed
from keepitlocal.web.framework.models import ImpactPlan, Indicator

NUMBER_ATTRS = {"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
PERIOD_ATTRS = {"class": "govuk-input--width-10", "spellcheck": "false"}


def characteristic_choices() -> list[tuple[int, str]]:
    return [(c.number, f"{c.number}. {c.name}") for c in load_framework().characteristics]


def clean_period(text: str, required: bool = True) -> str:
    text = " ".join((text or "").split())
    if not text:
        if required:
            raise forms.ValidationError("Enter the period, like 2024-25")
        return ""
    try:
        return Period.parse(text).label
    except ValueError:
        raise forms.ValidationError(
            f"Enter the period as a year, financial year, quarter or "
            f"month: {PERIOD_HINT.removeprefix('write ')}"
        ) from None


class NumberField(forms.DecimalField):
    """Accepts numbers as people type them: "£1,234.50", "42%", as well as 1234.5."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # django-stubs gives DecimalField IntegerField's int
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").replace("%", "").strip()
        return super().to_python(value)


def number_field(label: str, help_text: str = "", required: bool = False) -> NumberField:
    return NumberField(
        label=label,
        required=required,
        max_digits=18,
        decimal_places=4,
        help_text=help_text,
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a number, like 42 or 1250.50",
            "max_decimal_places": "Enter a number with at most 4 decimal places",
            "max_digits": "Enter a smaller number",
        },
    )


class PlanCreateForm(PlainWords, forms.Form):
    name = forms.CharField(
        label="Name of the plan",
        max_length=200,
        help_text='For example "Keeping the valley\'s money working locally, 2024 to 2027".',
        error_messages={"required": "Enter a name for the plan"},
    )


class TheoryForm(PlainWords, forms.ModelForm):
    """Step 1: the economic theory of change (the area has its own page)."""

    characteristics = forms.TypedMultipleChoiceField(
        label="Which characteristics of a resilient local economy does your work build?",
        coerce=int,
        choices=characteristic_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ImpactPlan
        fields = ("name", "change_sought", "activities", "characteristics")
        labels: ClassVar[dict[str, Any]] = {
            "name": "Name of the plan",
            "change_sought": "The change you are trying to make",
            "activities": "Your activities",
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "change_sought": "In a sentence or two: what will be different in the area, and for "
            "whom.",
            "activities": "The work that helps make that change, one activity per line: for "
            "example Providing workspace, or Volunteer brokerage.",
        }
        widgets: ClassVar[dict[str, Any]] = {
            "change_sought": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages: ClassVar[dict[str, Any]] = {
            "name": {"required": "Enter a name for the plan"}
        }


class AreaNameForm(PlainWords, forms.Form):
    area_name = forms.CharField(
        label="Name of the area",
        max_length=200,
        required=False,
        help_text="How you describe it, for example Park ward, Halifax. Leave it empty to use the "
        "council areas' names.",
    )


class IndicatorForm(PlainWords, forms.ModelForm):
    """An indicator's baseline, target, collection method and frequency (and, if it is the
    organisation's own, what it measures)."""

    characteristic = forms.TypedChoiceField(
        label="Characteristic", coerce=int, choices=characteristic_choices
    )
    baseline = number_field("Baseline", "Where you started.")
    target = number_field("Target", "Where you aim to be.")

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        labels: ClassVar[dict[str, Any]] = {
            "label": "What the indicator measures",
            "measure": "What exactly is counted",
            "baseline_period": "Period of the baseline",
            "target_period": "Target by",
            "collection_method": "How you collect the data",
            "frequency": "How often",
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "measure": "For example people, FTE jobs or volunteer hours a year.",
            "baseline_period": "For example 2023-24.",
            "target_period": "The period you aim to reach it by, for example 2026-27.",
        }
        widgets: ClassVar[dict[str, Any]] = {
            "baseline_period": forms.TextInput(attrs=PERIOD_ATTRS),
            "target_period": forms.TextInput(attrs=PERIOD_ATTRS),
            "label": forms.TextInput(),
        }
        error_messages: ClassVar[dict[str, Any]] = {
            "label": {"required": "Say what the indicator measures"},
            "unit": {"required": "Choose the unit"},
        }

    def __init__(self, *args: Any, from_bank: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if from_bank:  # the bank fixes what it measures
            for name in ("label", "characteristic", "unit"):
                del self.fields[name]

    def clean_baseline_period(self) -> str:
        return clean_period(self.cleaned_data.get("baseline_period", ""), required=False)

    def clean_target_period(self) -> str:
        return clean_period(self.cleaned_data.get("target_period", ""), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit = data.get("unit") or self.instance.unit
        for name in ("baseline", "target"):
            value = data.get(name)
            if value is None or not unit:
                continue
            if not is_numeric(unit):
                self.add_error(name, "A written statement has no number: leave it empty")
            elif message := value_problem(unit, value):
                self.add_error(name, f"Enter {unit_hint(unit)} ({message})")
        return data


class BankChoiceForm(PlainWords, forms.Form):
    indicator = forms.ChoiceField(
        label="Indicator",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an indicator"},
    )

    def __init__(self, *args: Any, characteristic: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "indicator", forms.ChoiceField).choices = [
            (i.id, f"{i.text} ({i.measure})")
            for i in load_framework().indicators_of(characteristic)
        ]


class ClearableFileInput(forms.ClearableFileInput):
    """Several files at once (the class name keeps the GOV.UK file-upload style)."""

    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", ClearableFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(EvidenceFilesField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def evidence_files() -> EvidenceFilesField:
    return EvidenceFilesField(
        label="Evidence files",
        required=False,
        help_text=f"Survey results, accounts, photos: any file up to {max_upload_mb()} MB. You "
        "can choose several.",
    )


def evidence_links() -> forms.CharField:
    return forms.CharField(
        label="Links to evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Web addresses, one per line, for evidence kept elsewhere.",
    )


def clean_links(text: str) -> list[str]:
    from django.core.validators import URLValidator

    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    check = URLValidator(schemes=["http", "https"])
    for link in links:
        try:
            check(link)
        except forms.ValidationError:
            raise forms.ValidationError(
                f"Links to evidence: {link[:80]} is not a web address: start it with https://"
            ) from None
        if len(link) > 500:
            raise forms.ValidationError(
                "Links to evidence: enter web addresses of at most 500 characters")
    return links


class ValueFields(PlainWords, forms.Form):
    """A value of an indicator of `unit`: a number, or a statement for a text indicator."""

    def __init__(self, *args: Any, unit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        if is_numeric(unit):
            self.fields["value"] = number_field("Value", f"Enter {unit_hint(unit)}.", True)
            self.order_fields(["period", "value"])
        else:
            self.fields["statement"] = forms.CharField(
                label="Statement",
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": "Write the statement"},
            )
            self.order_fields(["period", "statement"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = data.get("value")
        if value is not None and (message := value_problem(self.unit, value)):
            self.add_error("value", f"Enter the value as {unit_hint(self.unit)} ({message})")
        return data


class MeasurementForm(ValueFields):
    period = forms.CharField(
        label="Period",
        max_length=20,
        widget=forms.TextInput(attrs=PERIOD_ATTRS),
        help_text="A year (2024), financial year (2024-25), quarter (2024 Q3) or month (2024-07).",
    )
    source = forms.CharField(
        label="Source",
        max_length=300,
        required=False,
        help_text="Where the value comes from, for example payroll, or the "
        "annual community survey (212 replies).",
    )
    recorded_by = forms.CharField(
        label="Recorded by",
        max_length=200,
        error_messages={"required": "Enter who recorded the value"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"] = evidence_files()
        self.fields["links"] = evidence_links()

    def clean_period(self) -> str:
        return clean_period(self.cleaned_data.get("period", ""))

    def clean_links(self) -> list[str]:
        return clean_links(self.cleaned_data.get("links", ""))


class CorrectionForm(ValueFields):
    source = forms.CharField(label="Source", max_length=300, required=False)
    recorded_by = forms.CharField(
        label="Corrected by",
        max_length=200,
        error_messages={"required": "Enter who made the correction"},
    )
    reason = forms.CharField(
        label="Why the value is corrected",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the value is corrected"},
    )


class CheckForm(PlainWords, forms.Form):
    checked_by = forms.CharField(
        label="Name of the challenger",
        max_length=200,
        help_text="Someone other than the person who recorded the value, who has tested it.",
        error_messages={"required": "Enter the name of the challenger"},
    )
    triangulation = forms.CharField(
        label="Triangulated against (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Another source that confirms the value, for example the LM3 staff sheet. "
        "Leave it empty if the value is checked but not triangulated.",
    )


class EvidenceForm(PlainWords, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"] = evidence_files()
        self.fields["links"] = evidence_links()

    def clean_links(self) -> list[str]:
        return clean_links(self.cleaned_data.get("links", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("files") and not data.get("links"):
            raise forms.ValidationError("Choose a file or enter a link")
        return data


class FeedForm(PlainWords, forms.Form):
    source = forms.TypedChoiceField(
        label="Result", coerce=int)
    period = forms.CharField(
        label="Period it describes",
        max_length=20,
        widget=forms.TextInput(attrs=PERIOD_ATTRS),
        help_text="For example 2025-26.",
    )
    recorded_by = forms.CharField(
        label="Recorded by",
        max_length=200,
        error_messages={"required": "Enter who recorded the value"},
    )

    def __init__(
        self, *args: Any, feed: Feed, choices: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "source", forms.ChoiceField).choices = [("", "Choose a result"), *choices]
        self.fields["source"].label = feed.label
        self.fields["source"].error_messages["required"] = (
            f"Choose the result the value is taken from ({feed.label})")

    def clean_period(self) -> str:
        return clean_period(self.cleaned_data.get("period", ""))


class StepsForm(PlainWords, forms.ModelForm):
    class Meta:
        model = ImpactPlan
        fields = ("existing_information", "step_7", "step_8", "step_9", "step_10")
        labels: ClassVar[dict[str, Any]] = {
            "existing_information": "Step 2: what information already exists",
            "step_7": "Step 7: what your analysis shows (avoid over-claiming)",
            "step_8": "Step 8: whom you reported to, and how",
            "step_9": "Step 9: looking back at the theory of change, the gaps",
            "step_10": "Step 10: how you will monitor and track impact over the next years",
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "existing_information": "What is already collected that can be used: outcomes for "
            "service users, financial data, data from tenants.",
            "step_7": "It is fine to say you contributed to a change rather than caused it.",
        }
        widgets: ClassVar[dict[str, Any]] = {f: forms.Textarea(attrs={"rows": 3}) for f in fields}
