"""Forms for each step. Error messages say how to fix the problem, as GOV.UK asks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from keepitlocal.web.core.fields import NumberField, PostcodeField, postcode_found
from keepitlocal.web.core.forms import PlainWords
from keepitlocal.web.core.uploads import UploadField
from keepitlocal.web.lm3.models import PayrollMode, ResponseSource, Scope
from keepitlocal.web.lm3.uploads import ALIASES, STAFF_ALIASES

YES_NO = [("yes", "Yes"), ("no", "No")]


MAX_MONEY = Decimal("999999999999.99")  # the columns hold 14 digits, 2 after the point


def money_field(label: str, *, required: bool = True, help_text: str = "") -> NumberField:
    return NumberField(
        label=label, kind="money", required=required, min_value=0, max_value=MAX_MONEY,
        help_text=help_text, example="1,250.00",
        error_messages={"max_value": f"Enter the {label.lower()} as an amount under £1 trillion"},
    )


class ProjectForm(PlainWords, forms.Form):
    name = forms.CharField(
        label="Project name", max_length=200,
        help_text="Your suppliers will see this name in the e-mail, so make it one they will "
                  "recognise, like \"Calder Valley Community Trust: turnover 2025/26\".",
        error_messages={"required": "Enter a name for the project"},
    )
    scope = forms.ChoiceField(
        label="What are you measuring?", choices=Scope.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you are measuring your whole turnover or "
                                    "one contract"},
    )
    period_start = forms.DateField(
        label="Start of the period", widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The first day of the year or contract period the figures cover.",
        error_messages={"required": "Enter the first day of the period",
                        "invalid": "Enter the start of the period as a date, like 2025-04-01"},
    )
    period_end = forms.DateField(
        label="End of the period", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the last day of the period",
                        "invalid": "Enter the end of the period as a date, like 2026-03-31"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be after its start")
        return data


class PayrollForm(PlainWords, forms.Form):
    mode = forms.ChoiceField(
        label="How do you want to enter your payroll?", choices=PayrollMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how to enter your payroll"},
    )
    local_pay = money_field(
        "Pay of staff living in the area", required=False,
        help_text="Gross pay for the period. Leave out employer's National Insurance and "
                  "tax: they are national costs, the same wherever staff live.",
    )
    nonlocal_pay = money_field(
        "Pay of staff living outside the area", required=False,
        help_text="Gross pay, again without employer's National Insurance and tax.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == PayrollMode.TOTALS:
            for name in ("local_pay", "nonlocal_pay"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, f"Enter the {str(self.fields[name].label).lower()} "
                                         "(0 if there is none)")
        return data


def _postcode_or_local(form: forms.Form, data: dict[str, Any], missing: str) -> None:
    """A postcode we can place, or else an answer to whether they are in the area (`missing`),
    as the upload check asks of each row."""
    if "postcode" in form.errors:
        return
    postcode, local = data.get("postcode", ""), data.get("local", "")
    if not postcode and not local:
        form.add_error("postcode", missing)
    elif postcode and not local and not postcode_found(postcode):
        form.add_error("postcode", f"We cannot find {postcode}: check the postcode, or "
                                   f"{missing[missing.index('say'):]}")


class StaffForm(PlainWords, forms.Form):
    label = forms.CharField(
        label="Role or name", max_length=200,
        help_text="Only you see this, for example \"Centre manager\".",
        error_messages={"required": "Enter a role or name for this staff member"},
    )
    postcode = PostcodeField(
        label="Home postcode", required=False,
        help_text="Or leave it empty and say below whether they live in the area.",
    )
    local = forms.ChoiceField(
        label="Do they live in the area?", required=False, widget=forms.RadioSelect,
        choices=[("", "Use the postcode"), *YES_NO],
    )
    pay = money_field("Pay", help_text="Gross pay for the period, excluding employer's "
                                       "National Insurance and tax.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _postcode_or_local(self, data, "Enter a home postcode, or say whether they live in "
                                       "the area")
        return data


class OtherCostForm(PlainWords, forms.Form):
    label = forms.CharField(
        label="What the cost is", max_length=200,
        help_text="For example utilities (with phones and internet), finance charges or "
                  "business rates.",
        error_messages={"required": "Enter what the cost is"},
    )
    spend = money_field("Amount")
    local = forms.ChoiceField(
        label="Is it paid to someone in the area?", choices=YES_NO, widget=forms.RadioSelect,
        help_text="Business rates paid to your own council are local; a national energy "
                  "company is not.",
        error_messages={"required": "Say whether the cost is paid in the area"},
    )


TABLE_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")  # the reader explains .xls
TOO_LARGE = ("The file is {size} MB: it must be smaller than {limit} MB. Split it into smaller "
             "files, or remove columns we do not need.")


class UploadForm(PlainWords, forms.Form):
    file = UploadField(
        label="Upload a file", help_text="A CSV file or an Excel workbook (.xlsx).",
        extensions=TABLE_EXTENSIONS, choose="Choose a CSV or Excel file of your suppliers",
        wrong_type="Upload a CSV file (.csv) or an Excel workbook (.xlsx)", too_large=TOO_LARGE,
    )


class ProjectFileForm(UploadForm):
    file = UploadField(
        label="Upload a project file",
        help_text="An LM3 project file (.json) or an LM3 workbook (.xlsx), for example one "
                  "exported from keepitlocal.",
        extensions=(".json", ".xlsx"), choose="Choose a project file (.json or .xlsx)",
        wrong_type="Upload a .json project file or an .xlsx LM3 workbook", too_large=TOO_LARGE,
    )


class UploadRowForm(PlainWords, forms.Form):
    """One staged row, as the user corrects it; every field is text until it is checked."""

    name = forms.CharField(label="Supplier name", required=False, max_length=300)
    contact = forms.CharField(label="Contact name", required=False, max_length=200)
    email = forms.CharField(label="E-mail address", required=False, max_length=254)
    spend = forms.CharField(label="Value spent", required=False, max_length=100,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    postcode = forms.CharField(label="Postcode", required=False, max_length=100)
    local = forms.CharField(label="Local (yes or no)", required=False, max_length=20)


class StaffUploadForm(UploadForm):
    file = UploadField(
        label="Staff file",
        help_text="A CSV file or an Excel workbook (.xlsx) with one row per staff member.",
        extensions=TABLE_EXTENSIONS, choose="Choose a CSV or Excel file of your staff",
        wrong_type="Upload a CSV file (.csv) or an Excel workbook (.xlsx)", too_large=TOO_LARGE,
    )


class StaffUploadRowForm(PlainWords, forms.Form):
    """One staged staff row, as the user corrects it (stored in the same staging columns)."""

    name = forms.CharField(label="Role or name", required=False, max_length=200)
    spend = forms.CharField(label="Pay", required=False, max_length=100,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    postcode = forms.CharField(label="Home postcode", required=False, max_length=100)
    local = forms.CharField(label="Lives in the area (yes or no)", required=False,
                            max_length=20)


ROW_FORMS: dict[str, type[forms.Form]] = {"suppliers": UploadRowForm,
                                          "staff": StaffUploadRowForm}
assert set(UploadRowForm.base_fields) == set(ALIASES)
assert set(StaffUploadRowForm.base_fields) == set(STAFF_ALIASES)


class SupplierForm(PlainWords, forms.Form):
    name = forms.CharField(label="Supplier name", max_length=300,
                           error_messages={"required": "Enter the supplier's name"})
    contact = forms.CharField(label="Contact name", max_length=200, required=False)
    email = forms.EmailField(
        label="E-mail address", required=False,
        help_text="Where the survey link goes. Leave it empty to enter their answer yourself.",
        error_messages={"invalid": "Enter an e-mail address, like name@example.org"},
    )
    spend = money_field("Value spent", help_text="What you spent with them over the period.")
    postcode = PostcodeField(label="Postcode", what="the supplier's postcode", required=False)
    local = forms.ChoiceField(
        label="Is the supplier based in the area?", required=False, widget=forms.RadioSelect,
        choices=[("", "Use the postcode"), *YES_NO],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _postcode_or_local(self, data, "Enter a postcode, or say whether the supplier is "
                                       "based in the area")
        return data


def share_field(label: str, help_text: str) -> NumberField:
    what = f"the percentage for {label[0].lower()}{label[1:]}"
    return NumberField(
        label=label, help_text=help_text, kind="percent", what=what, example="33.5",
        min_value=0, max_value=100, decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal",
                                      "spellcheck": "false"}),
    )


class SurveyForm(PlainWords, forms.Form):
    """The supplier's two questions, as percentages of its own costs."""

    local_staff_percent = share_field(
        "Staff who live in the area",
        "Of all your costs, roughly what percentage goes on wages and salaries of staff "
        "who live in the area? Enter 0 if none do.",
    )
    local_supplier_percent = share_field(
        "Suppliers based in the area",
        "Of all your costs, roughly what percentage goes on your own suppliers and "
        "contractors based in the area?",
    )
    respondent = forms.CharField(
        label="Your name (optional)", max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args: Any, area: str = "the area", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["local_staff_percent"].label = f"Staff who live in {area}"
        self.fields["local_supplier_percent"].label = f"Suppliers based in {area}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        staff, supply = data.get("local_staff_percent"), data.get("local_supplier_percent")
        if staff is not None and supply is not None and staff + supply > 100:
            self.add_error(
                "local_supplier_percent",
                f"The two percentages add up to {staff + supply}%: together they cannot be "
                "more than 100% of your costs",
            )
        return data


class ResponseForm(SurveyForm):
    """A response the organisation received by phone or on paper, entered for the supplier."""

    source = forms.ChoiceField(
        label="How did you receive this answer?", widget=forms.RadioSelect,
        choices=[(ResponseSource.PHONE, "By phone"), (ResponseSource.PAPER, "On paper")],
        error_messages={"required": "Say how you received the answer"},
    )
    respondent = forms.CharField(label="Who answered (optional)", max_length=200, required=False)
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class NotifyForm(PlainWords, forms.Form):
    message_to_suppliers = forms.CharField(
        label="A message from you (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="It appears in the e-mail above the questions. A personal word helps: "
                  "suppliers answer e-mails they expect.",
    )
