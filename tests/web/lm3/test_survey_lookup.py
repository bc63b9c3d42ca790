"""The survey page's one query (surveys.services.TargetByToken): the same link and supplier as
the two lookups it replaces, only for the link's own organisation, and closed, expired or
tampered links refused as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils import timezone

from keepitlocal.web.lm3.models import SURVEY_PURPOSE, Supplier
from keepitlocal.web.lm3.views.survey import _supplier_by_token
from keepitlocal.web.surveys.models import SurveyLink
from keepitlocal.web.surveys.services import LinkClosed, LinkExpired, link_issue, link_resolve

pytestmark = pytest.mark.postcodes


@pytest.fixture
def bakery(project):
    return Supplier.objects.get(project=project, name="Halifax Bakery")


def test_the_same_link_and_supplier_as_two_lookups(project, org, bakery):
    token = link_issue(bakery, SURVEY_PURPOSE, org, group=project.survey_group)
    link, supplier = _supplier_by_token.resolve(token, SURVEY_PURPOSE)
    stored = link_resolve(token, SURVEY_PURPOSE)
    assert model_to_dict(link) == model_to_dict(stored)
    assert (link.pk, link.organisation_id, link.expires_at, link.closed) == (
        stored.pk, stored.organisation_id, stored.expires_at, stored.closed)
    assert model_to_dict(supplier) == model_to_dict(bakery)
    assert supplier.project.organisation == org
    assert not link._state.adding  # a stored row, not a new one


def test_a_link_of_another_organisation_finds_nothing(project, make_org, bakery):
    """Defence in depth: a link row naming a supplier another organisation owns is not served."""
    stranger = make_org("Another trust")
    token = link_issue(bakery, SURVEY_PURPOSE, stranger)
    with pytest.raises(Http404):
        _supplier_by_token.resolve(token, SURVEY_PURPOSE)


def test_tampered_other_purpose_closed_and_expired(project, org, bakery):
    token = link_issue(bakery, SURVEY_PURPOSE, org)
    for wrong in ("", token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 500):
        with pytest.raises(Http404):
            _supplier_by_token.resolve(wrong, SURVEY_PURPOSE)
    with pytest.raises(Http404):
        _supplier_by_token.resolve(token, "enabled-tenant")
    SurveyLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(LinkExpired):
        _supplier_by_token.resolve(token, SURVEY_PURPOSE)
    SurveyLink.objects.update(closed=True)
    with pytest.raises(LinkClosed):
        _supplier_by_token.resolve(token, SURVEY_PURPOSE)


def test_deleting_a_supplier_deletes_its_links(project, org, bakery):
    token = link_issue(bakery, SURVEY_PURPOSE, org)
    bakery.delete()
    assert not SurveyLink.objects.exists()
    with pytest.raises(Http404):
        _supplier_by_token.resolve(token, SURVEY_PURPOSE)
