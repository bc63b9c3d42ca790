"""Form fields every app shares: the council-area picker.

`AreaField` is a select of every council area (current districts, and former districts pointing
to the council that replaced them), so it works without JavaScript; `keepitlocal/area-picker.js`
turns it into a search box (GOV.UK's accessible-autocomplete) where the browser runs scripts. What
is posted is checked against the shipped list (`keepitlocal.geo.names.resolve_lad`): a code, a
former code, or a name typed by hand all resolve to a current ONS code or are refused in words.
"""

from __future__ import annotations

from typing import Any

from django import forms

from keepitlocal.geo.names import LadChoice, UnknownLad, lad_options, resolve_lad


class AreaSelect(forms.Select):
    """A select of every council area, marked for the search-box enhancement."""

    def __init__(self, attrs: dict[str, Any] | None = None, blank: str = "") -> None:
        super().__init__({"data-kil-area": "", **(attrs or {})})
        self.choices = [("", blank), *lad_options()]


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
