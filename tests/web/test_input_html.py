"""The form renderer writes plain inputs in Python (core.forms.input_html) instead of through
Django's input.html and attrs.html: what it writes must be what those templates write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from keepitlocal.web.core.forms import PLAIN_INPUTS, GovukFormRenderer, input_html

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
attr_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-_:", min_size=1, max_size=12)
attr_values = st.one_of(text, st.booleans(), st.integers(), text.map(mark_safe))
widgets = st.fixed_dictionaries({
    "type": st.sampled_from(["text", "number", "email", "hidden", "password", "checkbox"]),
    "name": text,
    "value": st.one_of(st.none(), text, st.integers(), text.map(mark_safe)),
    "attrs": st.dictionaries(attr_names, attr_values, max_size=6),
})


@settings(max_examples=300)
@given(widget=widgets, template=st.sampled_from(sorted(PLAIN_INPUTS)))
def test_the_python_input_is_the_template_input(widget: dict[str, Any], template: str) -> None:
    from_templates = TemplatesSetting().render(template, {"widget": widget})
    assert input_html(widget) == from_templates
    assert GovukFormRenderer().render(template, {"widget": widget}) == from_templates


def test_every_fast_template_is_one_include_of_input_html() -> None:
    """Django's templates for these names only include input.html; a new Django that changes
    one of them fails here rather than rendering differently."""
    renderer = TemplatesSetting()
    for name in PLAIN_INPUTS - {"django/forms/widgets/input.html"}:
        source = renderer.get_template(name).template.source.strip()
        assert source == '{% include "django/forms/widgets/input.html" %}', name


def test_a_bound_form_renders_the_same_with_and_without_the_fast_path() -> None:
    class Example(forms.Form):
        name = forms.CharField(max_length=5, widget=forms.TextInput(attrs={"autocomplete": "name"}))
        count = forms.IntegerField(min_value=0)
        agree = forms.BooleanField(required=False)

    form = Example({"name": 'a "quoted" <name> too long', "count": "-1", "agree": "on"})
    fast = str(form)
    slow = str(Example({"name": 'a "quoted" <name> too long', "count": "-1", "agree": "on"},
                       renderer=_Templated()))
    assert fast == slow and "&quot;quoted&quot; &lt;name&gt;" in fast


class _Templated(GovukFormRenderer):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        return str(TemplatesSetting.render(self, template_name, context, request))
