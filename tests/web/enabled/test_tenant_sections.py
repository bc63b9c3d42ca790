"""The tenant's form and the tenant's survey are drawn by one include, section by section."""

from __future__ import annotations

import pytest

from keepitlocal.web.enabled.forms import TenantForm
from keepitlocal.web.enabled.models import EnabledProject
from keepitlocal.web.enabled.survey import TenantSurveyForm


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [TenantForm, TenantSurveyForm])
def test_every_field_is_shown_once(form_class: type[TenantForm]) -> None:
    form = form_class(project=EnabledProject(year=2024))
    shown = [field.name for _, _, fields in form.grouped() for field in fields]
    assert sorted(shown) == sorted(form.fields)
