"""The survey page does as little as it can per request: one query, the link by its token hash
(a unique, indexed column) with its supplier, project, organisation and answer."""

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


def test_the_survey_page_takes_one_query_led_by_the_token_hash(client, links):
    url = links["bakery@example.org"]
    client.get(url)  # warm per-process caches (area names)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 1, "\n".join(sql)
    assert "token_hash" in sql[0] and '"lm3_supplierresponse"' in sql[0]
    token_hash = SurveyLink._meta.get_field("token_hash")
    assert token_hash.unique  # a unique column is indexed by every database
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + ("QUERY PLAN " if connection.vendor == "sqlite" else "")
                       + queries.captured_queries[0]["sql"])
        plan = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
    assert "token_hash" in plan, plan  # the plan starts from the link's index, not a scan
