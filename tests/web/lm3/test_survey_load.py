"""The survey page does as little as it can per request: the link by its token hash (a unique,
indexed column), then the supplier with its project, organisation and answer in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keepitlocal.web.lm3 import services
from keepitlocal.web.surveys.models import SurveyLink

from .conftest import survey_links

pytestmark = pytest.mark.postcodes


@pytest.fixture
def links(project, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(project, base_url="http://testserver")
    return survey_links(mailoutbox)


def test_the_survey_page_takes_two_queries(client, links):
    url = links["bakery@example.org"]
    client.get(url)  # warm per-process caches (area names)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 2, "\n".join(sql)
    assert "token_hash" in sql[0]
    token_hash = SurveyLink._meta.get_field("token_hash")
    assert token_hash.unique  # a unique column is indexed by every database
