"""Forms for local spend analysis: every error message says how to put the problem right."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from keepitlocal.errors import InputError
from keepitlocal.safeio import loads_json
from keepitlocal.spend.exclusions import RULE_FIELDS
from keepitlocal.spend.model import LEDGER_FIELDS, REQUIRED_LEDGER_FIELDS
from keepitlocal.web.core.fields import AreaField
from keepitlocal.web.core.forms import PlainWords
from keepitlocal.web.core.uploads import UploadField
from keepitlocal.web.spend import selectors
from keepitlocal.web.spend.selectors import FIELD_LABELS

RULE_FIELD_LABELS = {
    "supplier": "Supplier name (ledger)",
    "expense_type": "Expense type (ledger)",
    "department": "Department (ledger)",
    "service": "Service (ledger)",
    "description": "Description or purpose (ledger)",
    "sector": "Sector (supplier register: vcse, private or public)",
}


def parse_percent(text: str, what: str) -> Decimal | None:
    """"60", "60%" or "47.5" as a share (0.6); blank as None."""
    text = (text or "").strip().rstrip("%").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(f"Enter the {what} as a percentage, like 60") from None
    if not value.is_finite() or value < 0 or value > 100:
        raise forms.ValidationError(f"Enter the {what} as a percentage between 0 and 100")
    return (value / 100).quantize(Decimal("0.0001"))


def percent_text(share: Decimal | None) -> str:
    if share is None:
        return ""
    text = f"{(share * 100).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class SpendCouncilField(AreaField):
    """The council-area picker, with the county councils besides the districts (an E10 county
    analyses the spend of all its districts)."""

    def __init__(self) -> None:
        super().__init__(
            label="Council", blank="Choose the council",
            help_text="Start typing the council's name or ONS code, like Calderdale or "
                      "E08000033; county councils (E10…) are listed too. A former district "
                      "leads to the council that covers it now.",
            error_messages={"required": "Choose the council whose spending this is"})
        from keepitlocal.spend.tiers import county_councils

        self.counties = dict(county_councils())
        widget = self.widget
        assert isinstance(widget, forms.Select)
        widget.choices = [*widget.choices,
                          *((code, f"{name} (county council, {code})")
                            for code, name in self.counties.items())]

    def clean(self, value: Any) -> str:
        text = str(value or "").strip()
        named = {n.lower(): c for c, n in self.counties.items()}
        code = text.upper() if text.upper() in self.counties else named.get(text.lower())
        if code:
            self.choice = None
            return code
        return super().clean(value)


class AnalysisForm(PlainWords, forms.Form):
    name = forms.CharField(
        label="Name of the analysis", max_length=200,
        help_text="For example, “Spending 2024/25” or “Quarter 1 2025/26”.",
        error_messages={"required": "Enter a name for the analysis"},
    )
    council_code = SpendCouncilField()
    target_percent = forms.CharField(
        label="Target local share (optional)", required=False, max_length=10,
        help_text="The share of spend the council aims to place with suppliers in its own "
                  "area, as a percentage. Bradford, for example, aims to move from 47% to 60%.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
    )
    shift_percent = forms.CharField(
        label="Share of spend to move to local suppliers in the estimate", max_length=10,
        help_text="The dashboard estimates the extra local value if this percentage of spend "
                  "moved to local suppliers.",
        error_messages={"required": "Enter a percentage, like 10"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
    )
    tiers_json = forms.CharField(
        label="Your own tiers (optional, JSON)", required=False,
        help_text="Leave empty to use the preset tiers for the council: its area, its county or "
                  "combined authority, its region, the UK. The format is on the page "
                  "“How to write your own tiers”, linked below.",
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )

    def clean_target_percent(self) -> Decimal | None:
        return parse_percent(self.cleaned_data["target_percent"], "target")

    def clean_shift_percent(self) -> Decimal:
        value = parse_percent(self.cleaned_data["shift_percent"], "share to move")
        if value is None:
            raise forms.ValidationError("Enter a percentage, like 10")
        return value

    def clean_tiers_json(self) -> dict[str, Any] | None:
        text = self.cleaned_data["tiers_json"].strip()
        if not text:
            return None
        try:
            data = loads_json(text, "the tiers")
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"The tiers are not valid JSON ({error.msg}, line {error.lineno})") from None
        except InputError as error:
            raise forms.ValidationError(f"The tiers cannot be used: {error}") from None
        if not isinstance(data, dict):
            raise forms.ValidationError('The tiers must be a JSON object with a "tiers" list')
        return data

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        code = data.get("council_code")
        if not code or self.errors:
            return data
        from keepitlocal.spend import tiers as spend_tiers

        try:
            if data.get("tiers_json"):
                from keepitlocal.geo import default_store

                spend_tiers.from_dict(data["tiers_json"], code, default_store(), "tiers")
            else:
                spend_tiers.preset(code)
        except InputError as error:
            target = "tiers_json" if data.get("tiers_json") else "council_code"
            self.add_error(target, "; ".join(selectors.in_web_words(p) for p in error.problems))
        return data


def _ledger_file(label: str, help_text: str, choose: str) -> UploadField:
    """A ledger or register file: CSV or Excel, as the council publishes it."""
    return UploadField(
        label=label, help_text=help_text, choose=choose,
        extensions=(".csv", ".txt", ".tsv", ".xlsx", ".xlsm"),
        refused={".xls": "Old Excel files (.xls) cannot be read: save it as .xlsx or CSV"},
        wrong_type="Upload a CSV file (.csv) or an Excel workbook (.xlsx)",
        too_large="The file is {size} MB: it must be {limit} MB or smaller. Split the year into "
                  "quarters or months and upload each file.",
    )


def _national_file(label: str, help_text: str, choose: str, extensions: tuple[str, ...],
                   what: str) -> UploadField:
    """A national register file in its published format; the engine's reader checks it next."""
    return UploadField(
        label=label, help_text=help_text, choose=choose, extensions=extensions,
        wrong_type=f"Upload the {what}",
        too_large="The file is {size} MB: it must be {limit} MB or smaller. Ask the person who "
                  "runs keepitlocal to raise the limit (KEEPITLOCAL_MAX_UPLOAD_MB) for this file.",
    )


class FileUploadForm(PlainWords, forms.Form):
    file = _ledger_file(
        "Upload a ledger",
        "A “spending over £500” file as the council publishes it: CSV or Excel (.xlsx). Any "
        "header layout; you can check the columns next.",
        "Choose a ledger file (CSV or Excel) to upload",
    )


class RegisterUploadForm(FileUploadForm):
    file = _ledger_file(
        "Upload the supplier register",
        "The council's list of suppliers (vendors): a name column, and where it has them "
        "postcode, supplier ID, company, charity and VAT numbers, sector and size. CSV or Excel "
        "(.xlsx). A new upload replaces the old one.",
        "Choose the supplier register (CSV or Excel) to upload",
    )


class CompaniesHouseUploadForm(PlainWords, forms.Form):
    file = _national_file(
        "Upload Companies House basic company data (optional)",
        "The “basic company data” file from Companies House, as downloaded: the CSV or the zip "
        "it comes in. It gives company numbers, registered office postcodes, company type (CIC, "
        "limited by guarantee…) and the size of accounts filed. A new upload replaces the old "
        "one.",
        "Choose the Companies House basic company data file", (".csv", ".zip"),
        "Companies House basic company data as published: a CSV file (.csv) or its zip",
    )


class CharitiesUploadForm(PlainWords, forms.Form):
    file = _national_file(
        "Upload the Charity Commission register extract (optional)",
        "The “charity” file of the Charity Commission register extract, as downloaded: JSON, "
        "tab-separated text or the zip it comes in. It gives charity numbers, contact postcodes "
        "and latest income. A new upload replaces the old one.",
        "Choose the Charity Commission register extract", (".json", ".txt", ".tsv", ".csv", ".zip"),
        "Charity Commission register extract as published: the charity file in JSON (.json) or "
        "tab-separated text (.txt), or its zip",
    )


ROLE_CHOICES = [("", "Not used")] + [(f, FIELD_LABELS[f]) for f in LEDGER_FIELDS]


class HeaderRowForm(PlainWords, forms.Form):
    """Which of the file's first rows holds the column names."""

    header_row = forms.TypedChoiceField(
        label="The column names are on row", coerce=int,
        error_messages={"required": "Choose the row that holds the column names",
                        "invalid_choice": "Choose one of the rows shown for the column names"})

    def __init__(self, data: Any, *, rows: int, initial: int) -> None:
        super().__init__(data, initial={"header_row": initial}, prefix="header")
        field = self.fields["header_row"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(n, f"Row {n}") for n in range(1, rows + 1)]


class PeriodForm(PlainWords, forms.Form):
    """The month or quarter a whole file covers, for a file with no date column."""

    period = forms.CharField(
        label="The month or quarter this file covers", max_length=40, required=False,
        help_text="For example 2024-03, March 2024 or Q1 2024/25 (financial quarters: Q1 is "
                  "April to June). Every line of the file is counted in it. Leave empty when "
                  "the file has a date column.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}))

    def __init__(self, data: Any, *, initial: str) -> None:
        super().__init__(data, initial={"period": initial}, prefix="period")

    def clean_period(self) -> str:
        from keepitlocal.spend.periods import parse_period

        text = " ".join(self.cleaned_data["period"].split())
        if text and parse_period(text) is None:
            raise forms.ValidationError(
                f"“{text}” is not a month or quarter: write it like 2024-03, March 2024 or "
                "Q1 2024/25")
        return text


class MappingForm(PlainWords, forms.Form):
    """One select per column of the file: which ledger field it holds."""

    def __init__(self, data: Any, *, headers: list[str], initial_roles: dict[str, str],
                 period_given: bool = False) -> None:
        super().__init__(data)
        self.headers = headers
        self.period_given = period_given
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header, choices=ROLE_CHOICES, required=False,
                initial=initial_roles.get(header, ""))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        used: dict[str, list[str]] = {}
        for index, header in enumerate(self.headers):
            role = data.get(f"col_{index}") or ""
            if role:
                used.setdefault(role, []).append(header)
        for role, headers in used.items():
            if len(headers) > 1:
                raise forms.ValidationError(
                    f"{FIELD_LABELS[role]} is chosen for {len(headers)} columns ("
                    + ", ".join(f"“{h}”" for h in headers) + "): choose it for one column only")
        missing = [FIELD_LABELS[f] for f in REQUIRED_LEDGER_FIELDS if f not in used
                   and not (f == "date" and self.period_given)]
        if missing:
            raise forms.ValidationError(
                "Choose the column that holds the " + " and the ".join(m.lower() for m in missing))
        data["mapping"] = {f: (used[f][0] if f in used else None) for f in LEDGER_FIELDS}
        return data


def _check_pattern(pattern: str) -> str | None:
    """The regular-expression engine's complaint about a pattern, or None when it compiles."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SELECT regexp_matches('x', ?, 'i')", [pattern]).fetchall()
    except Exception as error:  # duckdb's own error types
        return str(error).splitlines()[0]
    finally:
        con.close()
    return None


def _valid_pattern(value: str) -> str:
    """The pattern, if it compiles; otherwise a form error quoting the engine's complaint."""
    problem = _check_pattern(value)
    if problem:
        raise forms.ValidationError(f"The pattern is not a valid regular expression: "
                                    f"{problem}")
    return value


class RuleForm(PlainWords, forms.Form):
    id = forms.SlugField(
        label="Short name", max_length=60,
        help_text="Letters, numbers and hyphens, for example “internal-recharges”. It names "
                  "the rule in the excluded totals.",
        error_messages={"required": "Enter a short name for the rule, like internal-recharges",
                        "invalid": "Use only letters, numbers and hyphens in the short name"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label="Why these lines are left out", max_length=200,
        error_messages={"required": "Say why these lines are left out"},
    )
    field = forms.ChoiceField(
        label="Which field the rule looks at", choices=list(RULE_FIELD_LABELS.items()),
        error_messages={"required": "Choose the field the rule looks at"},
    )
    pattern = forms.CharField(
        label="Pattern", max_length=2000,
        help_text="A regular expression, ignoring capitals. For example <code>recharge|internal "
                  "transfer</code> matches either phrase anywhere in the field.",
        error_messages={"required": "Enter the pattern to look for"},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )

    def __init__(self, *args: Any, taken: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.taken = taken or set()

    def clean_id(self) -> str:
        value = self.cleaned_data["id"]
        if value in self.taken:
            raise forms.ValidationError(f"There is already a rule called {value}: choose "
                                        "another short name")
        return value

    def clean_field(self) -> str:
        value = self.cleaned_data["field"]
        if value not in RULE_FIELDS:
            raise forms.ValidationError("Choose the field the rule looks at")
        return value

    def clean_pattern(self) -> str:
        return _valid_pattern(self.cleaned_data["pattern"])


class RedactedForm(PlainWords, forms.Form):
    redacted = forms.CharField(
        label="Pattern for redacted supplier names", max_length=2000,
        help_text="A supplier name matching this whole pattern (ignoring capitals) is counted "
                  "as redacted: its spend stays in the total but is never placed in a tier.",
        error_messages={"required": "Enter the pattern for redacted names"},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )

    def clean_redacted(self) -> str:
        return _valid_pattern(self.cleaned_data["redacted"])
