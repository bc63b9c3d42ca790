"""Survey links: unguessable, stored as hashes, expiring, closable, and for one target only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from keepitlocal.web.accounts.models import Organisation
from keepitlocal.web.surveys.models import SurveyLink, hash_token
from keepitlocal.web.surveys.services import (
    LinkClosed,
    LinkExpired,
    link_issue,
    link_resolve,
    links_close,
    links_issue_many,
)


@pytest.fixture
def target(org):
    """Any model row can be a target; an organisation will do for these tests."""
    return Organisation.objects.create(name="A tenant", kind="community")


def test_the_token_is_random_and_only_its_hash_is_stored(org, target):
    token = link_issue(target, "test-purpose", org, group="exercise:1")
    assert len(token) >= 43
    link = SurveyLink.objects.get()
    assert link.token_hash == hash_token(token) and token not in link.token_hash
    assert link.target == target and link.organisation == org and not link.closed
    days = (link.expires_at - link.created_at).days
    assert days == 42
    assert link_issue(target, "test-purpose", org) != token  # a new link each time


def test_resolving(org, target, settings):
    settings.KEEPITLOCAL_SURVEY_LINK_DAYS = 3
    token = link_issue(target, "test-purpose", org, group="exercise:1")
    link = link_resolve(token, "test-purpose")
    assert link.target_id == target.pk
    assert (link.expires_at - link.created_at).days == 3
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "", "x" * 500, token + "x"):
        with pytest.raises(Http404):
            link_resolve(bad, "test-purpose")
    with pytest.raises(Http404):
        link_resolve(token, "another-purpose")

    SurveyLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(LinkExpired):
        link_resolve(token, "test-purpose")

    SurveyLink.objects.update(expires_at=timezone.now() + timedelta(days=1))
    assert links_close(group="exercise:1") == 1
    with pytest.raises(LinkClosed):
        link_resolve(token, "test-purpose")
    links_close(group="exercise:1", closed=False)
    assert link_resolve(token, "test-purpose")


def test_many_links_in_one_go(org, target):
    other = Organisation.objects.create(name="Another tenant", kind="community")
    issued = links_issue_many([target, other], "test-purpose", org, group="g")
    assert [t for t, _ in issued] == [target, other]
    assert [link_resolve(token, "test-purpose").target_id for _, token in issued] == [
        target.pk, other.pk]
    with pytest.raises(ValueError):
        links_close(group="")


def test_link_days_come_from_the_environment_when_not_set(monkeypatch, settings):
    from django.core.exceptions import ImproperlyConfigured

    from keepitlocal.web.surveys.services import link_days

    if hasattr(settings, "KEEPITLOCAL_SURVEY_LINK_DAYS"):
        del settings.KEEPITLOCAL_SURVEY_LINK_DAYS
    monkeypatch.delenv("KEEPITLOCAL_SURVEY_LINK_DAYS", raising=False)
    assert link_days() == 42
    monkeypatch.setenv("KEEPITLOCAL_SURVEY_LINK_DAYS", "14")
    assert link_days() == 14
    monkeypatch.setenv("KEEPITLOCAL_SURVEY_LINK_DAYS", "soon")
    with pytest.raises(ImproperlyConfigured):
        link_days()
