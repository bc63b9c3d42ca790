"""Every Django form in the project renders as GOV.UK Design System markup.

settings.FORM_RENDERER points here, so `{{ form }}` in a template gives an error summary, labels,
hints, error messages and inputs with the govuk- classes, and radios and checkboxes in fieldsets.
Give a widget extra classes (e.g. `attrs={"class": "govuk-input--width-10"}`) to size it.
"""

from __future__ import annotations

from typing import Any

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

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


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = GovukBoundField
