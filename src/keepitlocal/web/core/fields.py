"""Form fields every app shares: the council-area picker, and numbers as people type them.

`AreaField` is a select of every council area (current districts, and former districts pointing
to the council that replaced them), so it works without JavaScript; `keepitlocal/area-picker.js`
turns it into a search box (GOV.UK's accessible-autocomplete) where the browser runs scripts. What
is posted is checked against the shipped list (`keepitlocal.geo.names.resolve_lad`): a code, a
former code, or a name typed by hand all resolve to a current ONS code or are refused in words.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from django import forms
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator

from keepitlocal.geo.names import LadChoice, UnknownLad, lad_options, resolve_lad
from keepitlocal.geo.postcodes import compact_postcode, is_valid_postcode, tidy_postcode


class AreaSelect(forms.Select):
    """A select of every council area, marked for the search-box enhancement."""

    def __init__(self, attrs: dict[str, Any] | None = None, blank: str = "") -> None:
        super().__init__({"data-kil-area": "", **(attrs or {})})
        self.choices = [("", blank), *lad_options()]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        """Text that is no area's code (refused, with its error shown) goes back into the search
        box as typed, so the person corrects it rather than typing it again."""
        context = super().get_context(name, value, attrs)
        typed = str(value or "").strip()
        if typed and typed not in {str(code) for code, _ in self.choices}:
            context["widget"]["attrs"]["data-kil-typed"] = typed
        return context


class AreaField(forms.CharField):
    """One council area, given as an ONS code or a name (current or former); cleans to the
    current ONS code ("Harrogate" -> "E06000065"), or "" when not required and left empty.

    After cleaning, `choice` is the LadChoice, whose `note` says when a former district was
    turned into its successor.
    """

    def __init__(self, *, blank: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("label", "Council area")
        kwargs.setdefault(
            "help_text",
            "Choose the council, or type its name or ONS code, like Calderdale or E08000033. "
            "Former districts lead to the council that covers them now.",
        )
        kwargs.setdefault("widget", AreaSelect(blank=blank))
        super().__init__(max_length=None, **kwargs)
        self.error_messages.setdefault("required", "Choose the council area")
        self.choice: LadChoice | None = None

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        self.choice = None
        if not text:
            return ""
        try:
            self.choice = resolve_lad(text)
        except UnknownLad as error:
            raise forms.ValidationError(str(error), code="unknown_area") from None
        return self.choice.code


# --- postcodes ---------------------------------------------------------------------------------

_POSTCODE_SHAPE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")


def postcode_shaped(text: str) -> bool:
    """Whether `text` looks like a postcode at all ("ZZ9 9ZZ" does; "12 High St" does not): a
    postcode-shaped text that is not in the data is "not found", anything else "not a postcode"."""
    return _POSTCODE_SHAPE.fullmatch(compact_postcode(text)) is not None


def postcode_found(postcode: str, *, centre: bool = False) -> bool:
    """Whether a well-formed postcode is in the shipped postcode data (with coordinates, for a
    `centre`)."""
    from keepitlocal.geo import default_store

    if not is_valid_postcode(postcode):
        return False
    location = default_store().lookup_many([postcode])[0]
    return location is not None and (location.has_coordinates or not centre)


class PostcodeField(forms.CharField):
    """A UK postcode in any case and spacing, cleaned by `tidy_postcode` ("hx12jj" -> "HX1 2JJ").

    Text not shaped like a postcode is refused ("Enter the postcode at the centre as a UK
    postcode, like HX1 2JJ"); with `must_exist`, a well-shaped one not in the postcode data is
    refused as not found ("We cannot find ZZ9 9ZZ: check the postcode at the centre").
    """

    def __init__(self, *, label: str, what: str | None = None, must_exist: bool = False,
                 centre: bool = False, **kwargs: Any) -> None:
        self.what = what or f"the {label[0].lower()}{label[1:]}"
        self.must_exist, self.centre = must_exist, centre
        attrs = {"class": "govuk-input--width-10", "autocomplete": "postal-code",
                 "spellcheck": "false"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(label=label, **kwargs)
        self.error_messages.setdefault("required", f"Enter {self.what}")

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        if not postcode_shaped(text):
            raise forms.ValidationError(
                f"Enter {self.what} as a UK postcode, like HX1 2JJ", code="invalid"
            )
        postcode = tidy_postcode(text)
        if self.must_exist and not postcode_found(postcode, centre=self.centre):
            raise forms.ValidationError(
                f"We cannot find {postcode}: check {self.what}", code="not_found"
            )
        return postcode


# --- numbers as people type them --------------------------------------------------------------

NumberKind = Literal["money", "percent", "number"]
_DIGITS = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+")
_EXPONENT = re.compile(r"\d[eE][+-]?\d")
_INNER_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d)")


class ExponentNotation(ValueError):
    """ "1e6": refused, because a typed amount should read as it is meant."""


def parse_typed_number(text: str, kind: NumberKind = "number") -> Decimal:
    """A number as a person types it: "£1,000", "1 250", "33.5%" (a "£" only in money, a "%"
    only in a percentage). Raises ExponentNotation for "1e6" and ValueError for anything else
    that is not a plain number ("1,00", "12 km", "NaN")."""
    value = _INNER_SPACE.sub("", text.strip())
    if kind == "money":
        value = re.sub(r"^(-?)\s*£\s*", r"\1", value)
    elif kind == "percent":
        value = re.sub(r"\s*%$", "", value)
    if _EXPONENT.search(value):
        raise ExponentNotation(text)
    if not _DIGITS.fullmatch(value):
        raise ValueError(text)
    return Decimal(value.replace(",", ""))


def _plain(value: Decimal) -> str:
    return f"{value.normalize():,f}"


class NumberField(forms.DecimalField):
    """A money amount, a percentage or a plain number, read by `parse_typed_number`, with one
    error at a time in words that name the field (`what`, e.g. "the distance").

    Django's own messages ("Ensure that there are no more than 4 digits...") never reach the page:
    the range is checked by value (`min_value`, `max_value`), the decimal places by count.
    """

    def __init__(
        self,
        *,
        label: str,
        kind: NumberKind = "number",
        what: str | None = None,
        example: str = "12",
        unit: str = "",
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        decimal_places: int | None = 2,
        **kwargs: Any,
    ) -> None:
        self.kind = kind
        what = what or f"the {label[0].lower()}{label[1:]}"
        attrs = {"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(label=label, max_digits=None, decimal_places=None, **kwargs)
        lower = Decimal(min_value) if min_value is not None else None
        upper = Decimal(max_value) if max_value is not None else None
        self.validators = []
        if lower is not None:
            self.validators.append(MinValueValidator(lower))
        if upper is not None:
            self.validators.append(MaxValueValidator(upper))
        if decimal_places is not None:
            self.validators.append(DecimalValidator(None, decimal_places))

        def shown(value: Decimal) -> str:
            if kind == "money":
                return f"£{_plain(value)}"
            return f"{_plain(value)}%" if kind == "percent" else f"{_plain(value)}{unit}"

        if kind == "money":
            invalid = f"Enter {what} as an amount in pounds, like £{example}"
        elif kind == "percent":
            invalid = f"Enter {what} as a percentage, like {example}%"
        else:
            invalid = f"Enter {what} as a number, like {example}{unit}"
        if lower is not None and upper is not None:
            below = above = f"Enter {what} between {shown(lower)} and {shown(upper)}"
        else:
            below = f"Enter {what} as {shown(lower)} or more" if lower is not None else ""
            above = f"Enter {what} as {shown(upper)} or less" if upper is not None else ""
        if kind == "money" and lower == 0 and upper is None:
            below = f"Enter {what} as 0 or more: net off credit notes"
        places = {0: "as a whole number", 2: "with at most 2 decimal places"}.get(
            decimal_places or 0, f"with at most {decimal_places} decimal places"
        )
        if kind == "money" and decimal_places == 2:
            places = "in pounds and pence, with at most 2 decimal places"
        messages = {
            "required": f"Enter {what}",
            "invalid": invalid,
            "exponent": f"Write {what} in full, like {example}, not as a power of ten (1e6)",
            "min_value": below,
            "max_value": above,
            "max_decimal_places": f"Enter {what} {places}",
            "max_digits": above or invalid,
            "max_whole_digits": above or invalid,
        }
        messages.update(kwargs.get("error_messages") or {})
        self.error_messages = {**self.error_messages, **messages}

    def prepare_value(self, value: Any) -> Any:
        """A saved number as a person would write it: 200, not 200.0000; £1250.50 keeps pence."""
        if not isinstance(value, Decimal) or not value.is_finite():
            return value
        if value == value.to_integral_value():
            return f"{value.quantize(Decimal(1)):f}"
        if self.kind == "money":
            return f"{value.quantize(Decimal('0.01')):f}"
        return f"{value.normalize():f}"

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # django-stubs gives DecimalField IntegerField's int
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_typed_number(str(value), self.kind)
        except ExponentNotation:
            raise forms.ValidationError(self.error_messages["exponent"], code="exponent") from None
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)  # Decimal's own NaN check is done by the parser

    def run_validators(self, value: Any) -> None:
        """The first problem only: one error for 100000 km, not two."""
        if value in self.empty_values:
            return
        for validator in self.validators:
            try:
                validator(value)
            except forms.ValidationError as error:
                code = error.code or "invalid"
                raise forms.ValidationError(
                    self.error_messages.get(code, self.error_messages["invalid"]), code=code
                ) from None
