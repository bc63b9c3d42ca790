"""Every error a person can see on a form is in the product's own words and names the field.

Each form of the account, LM3, local spend, Enabled, impact framework, self-assessment and
asset-map pages is filled with the kinds of bad input people
type (nothing, far too much, words for numbers, "1e6", negative and huge numbers, a lone comma
group) and every message it gives is checked: none of Django's stock messages ("This field is
required.", "Ensure this value ...") and each mentions what it is about.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from keepitlocal.web.accounts import forms as accounts_forms
from keepitlocal.web.assessment import forms as assessment_forms
from keepitlocal.web.assetmap import forms as assetmap_forms
from keepitlocal.web.enabled import forms as enabled_forms
from keepitlocal.web.enabled import survey as enabled_survey
from keepitlocal.web.framework import feeds as framework_feeds
from keepitlocal.web.framework import forms as framework_forms
from keepitlocal.web.lm3 import forms as lm3_forms
from keepitlocal.web.spend import forms as spend_forms

FORM_MODULES = (accounts_forms, lm3_forms, enabled_forms, enabled_survey, spend_forms,
                framework_forms, assessment_forms, assetmap_forms)

DJANGO_WORDS = re.compile(
    r"^(This field is required|Ensure this value|Ensure that there are|Enter a valid|"
    r"Select a valid choice|Enter a number\.|Enter a whole number|No file was submitted|"
    r"The submitted file|Upload a valid|Enter a list of values|Null characters)"
)
BAD_INPUTS = ["", " ", "x" * 5000, "abc", "1e6", "-5", "100000", "1,00", "NaN", "£", "%"]
STOP = {"the", "and", "your", "this", "that", "with", "from", "for", "are", "you", "their",
        "enter", "choose", "select", "optional", "what", "they", "them", "does", "which"}


def _words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in STOP}


def _forms(org: Any, project: Any) -> list[forms.Form]:
    """One unbound instance of every form people fill in, built with what each needs."""
    needs: dict[type, dict[str, Any]] = {
        accounts_forms.AcceptInviteForm: {"email": "new@example.org"},
        accounts_forms.SignupPasswordForm: {"email": "new@example.org", "full_name": "Ann"},
        accounts_forms.SwitchOrganisationForm: {"choices": [(org.pk, org.name)]},
        enabled_forms.ProjectForm: {"org": org},
        enabled_forms.ProjectCreateForm: {"org": org},
        enabled_forms.TenantForm: {"project": project},
        enabled_survey.TenantSurveyForm: {"project": project},
        enabled_survey.SendForm: {"project": project},
        enabled_forms.ShareForm: {"org": org},
        enabled_forms.CompareForm: {"org": org},
        spend_forms.HeaderRowForm: {"rows": 12, "initial": 1},
        spend_forms.PeriodForm: {"initial": ""},
        spend_forms.MappingForm: {"headers": ["Date", "Supplier", "Amount"],
                                  "initial_roles": {}},
        spend_forms.RuleForm: {"taken": {"nhs"}},
        framework_forms.BankChoiceForm: {"characteristic": 1},
        framework_forms.ValueFields: {"unit": "text"},
        framework_forms.MeasurementForm: {"unit": "count"},
        framework_forms.CorrectionForm: {"unit": "percent"},
        framework_forms.FeedForm: {"feed": next(iter(framework_feeds.FEEDS.values())), "choices": [(1, "LM3")]},
        assessment_forms.RatingForm: {"submitting": True},
        assetmap_forms.FilterForm: {"summary": {"by_band": [], "by_activity": []}},
    }
    found = []
    for module in FORM_MODULES:
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__
                    and value not in (accounts_forms.NewPasswordMixin,)):
                found.append((value, needs.get(value, {})))
    return found


def _messages(form_class: type, kwargs: dict[str, Any], bad: str) -> list[tuple[str, str]]:
    probe = form_class(data=None, **kwargs)
    data = {}
    for name, field in probe.fields.items():
        key = probe.add_prefix(name)
        data[key] = bad
        if isinstance(field, forms.MultipleChoiceField):
            data[key] = [bad]
    if issubclass(form_class, AuthenticationForm):
        from django.test import RequestFactory

        form = form_class(RequestFactory().post("/accounts/login/"), data=data, **kwargs)
    else:
        form = form_class(data=data, **kwargs)
    form.is_valid()
    return [(name, str(message)) for name, errors in form.errors.items() for message in errors]


@pytest.mark.django_db
def test_no_stock_django_message_and_every_message_names_its_field(org: Any) -> None:
    from keepitlocal.web.enabled import services

    project = services.project_create(org=org, year=2025)
    problems = []
    seen = 0
    for form_class, kwargs in _forms(org, project):
        probe = form_class(data=None, **kwargs)
        for bad in BAD_INPUTS:
            for name, message in _messages(form_class, kwargs, bad):
                seen += 1
                where = f"{form_class.__name__}.{name} given {bad[:12]!r}: {message[:90]!r}"
                if DJANGO_WORDS.match(message):
                    problems.append(f"Django's words: {where}")
                if name == "__all__":
                    continue
                field = probe.fields[name]
                about = _words(f"{name.replace('_', ' ')} {field.label or ''}")
                if not about & _words(message):
                    problems.append(f"does not name the field: {where}")
    assert seen > 100  # the probe reached the forms
    assert not problems, "\n".join(sorted(set(problems)))
