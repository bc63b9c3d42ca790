"""Every Django form in the project renders as GOV.UK Design System markup.

settings.FORM_RENDERER points here, so `{{ form }}` in a template gives an error summary, labels,
hints, error messages and inputs with the govuk- classes, and radios and checkboxes in fieldsets.
Give a widget extra classes (e.g. `attrs={"class": "govuk-input--width-10"}`) to size it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape as escape

_INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "nullbooleanselect": "govuk-select",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
}
_ERROR_MODIFIER = {"govuk-input", "govuk-textarea", "govuk-select", "govuk-file-upload"}

FieldKind = TypeVar("FieldKind", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[FieldKind]) -> FieldKind:
    """The form's field `name` as the kind it was declared as (`form.fields` holds plain Fields
    to the type checker), so a form can set its choices or queryset when it is built."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


class GovukBoundField(BoundField):
    @property
    def govuk_class(self) -> str:
        return _INPUT_CLASSES.get(self.widget_type, "govuk-input")

    @property
    def anchor_id(self) -> str:
        """Where the error summary links to: the first radio or checkbox of a group."""
        if self.use_fieldset and self.auto_id:
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id or self.html_name

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        base = self.govuk_class
        classes = [base, widget.attrs.get("class", ""), attrs.get("class", "")]
        if self.errors and base in _ERROR_MODIFIER:
            classes.append(f"{base}--error")
        attrs["class"] = " ".join(c for c in classes if c)
        if self.widget_type == "password":
            attrs.setdefault("spellcheck", "false")
        return attrs


# Django's templates for these widgets are one line each, `{% include ".../input.html" %}`.
PLAIN_INPUTS = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in ("checkbox", "color", "date", "datetime", "email", "file", "hidden", "number",
                 "password", "search", "tel", "text", "time", "url", "input")
)


def input_html(widget: dict[str, Any]) -> str:
    """What Django's input.html and attrs.html give for `widget`, written in Python: a public
    survey page renders its inputs under load, and three small templates per input were a
    quarter of that page's time."""
    parts = [f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"']
    if widget["value"] is not None:
        parts.append(f' value="{escape(str(widget["value"]))}"')
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        shown = "" if value is True else f'="{escape(str(value))}"'
        parts.append(f" {escape(name)}{shown}")
    parts.append(">")
    return "".join(parts)


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = GovukBoundField

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in PLAIN_INPUTS:
            return input_html(context["widget"])
        return str(super().render(template_name, context, request))


# --- the product's own words for every error --------------------------------------------------


def _stock_messages(field: forms.Field) -> dict[str, Any]:
    """Django's built-in messages for this kind of field (what it says if nobody says better)."""
    stock: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        stock.update(getattr(cls, "default_error_messages", {}))
    return stock


def plain_messages(field: forms.Field, name: str) -> None:
    """Replace every message of `field` still in Django's words ("This field is required.",
    "Select a valid choice.", "Ensure this value has at most 200 characters") with one that
    names the field by its label, so no stock message reaches a page."""
    label = str(field.label or name.replace("_", " ").capitalize())
    quoted = f"“{label}”"
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField)
    plain = {
        "required": f"Choose an answer for {quoted}" if choosing else f"Fill in {quoted}",
        "invalid_choice": f"Choose one of the answers listed for {quoted}",
        "invalid_pk_value": f"Choose one of the answers listed for {quoted}",
        "invalid_list": f"Choose answers from the list for {quoted}",
        "max_length": f"{quoted} can be at most %(limit_value)d characters long: shorten it",
        "min_length": f"{quoted} needs at least %(limit_value)d characters",
        "min_value": f"Enter {quoted} as %(limit_value)s or more",
        "max_value": f"Enter {quoted} as %(limit_value)s or less",
        "missing": f"Choose a file for {quoted}",
        "empty": f"The file chosen for {quoted} is empty",
        "contradiction": f"Either choose a file for {quoted} or clear it, not both",
        "invalid": f"Check {quoted}: it is not in a form we can read",
    }
    if isinstance(field, forms.EmailField):
        plain["invalid"] = f"Enter {quoted} as an e-mail address, like name@example.org"
    elif isinstance(field, forms.IntegerField):
        plain["invalid"] = f"Enter {quoted} as a whole number"
    elif isinstance(field, forms.DateField):
        plain["invalid"] = f"Enter {quoted} as a date, like 2026-03-31"
    elif isinstance(field, forms.FileField):
        plain["invalid"] = f"Choose a file for {quoted}: what was sent is not a file"
    stock = _stock_messages(field)
    for code, message in plain.items():
        current = field.error_messages.get(code)
        if current is None or (code in stock and str(current) == str(stock[code])):
            field.error_messages[code] = message


class PlainWords:
    """Mix into a form (before forms.Form or forms.ModelForm) so that none of its fields can
    show a message in Django's own words (see `plain_messages`).

    Applied when the form is validated rather than when it is built, so fields a form adds in
    its own `__init__` (one per column, one per statement) are covered too."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            plain_messages(field, name)
        super().full_clean()  # type: ignore[misc]  # a mixin: forms.BaseForm comes next
