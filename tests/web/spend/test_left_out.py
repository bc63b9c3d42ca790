"""One file of an analysis that cannot be mapped: map it, or "analyse the rest without it";
the run then reads the other files only, and the dashboard says which file was left out."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from keepitlocal.web.accounts.access import SESSION_KEY
from keepitlocal.web.spend import selectors, services
from keepitlocal.web.spend.models import AnalysisRun

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]

# A council export with no amount, date or supplier column anyone could stand behind.
NOTES = b"Reference,Notes\r\nA1,see the finance team\r\nA2,query raised\r\n"


def unmappable(analysis: Any) -> Any:
    return services.ledger_add(analysis, upload=SimpleUploadedFile("notes.csv", NOTES),
                               user=None)


def signed_in(client: Any, user: Any, org: Any) -> Any:
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = org.pk
    session.save()
    return client


def test_the_rest_is_analysed_without_the_file(client, council, editor, make_analysis):
    analysis = make_analysis(council)
    notes = unmappable(analysis)
    problems = selectors.readiness(analysis)
    assert problems == ["notes.csv: choose the column that holds amount paid and payment date "
                        "and supplier name, or "
                        "analyse the other files without it."]
    signed_in(client, editor, council)
    files_page = client.get(f"/spend/{analysis.pk}/files/").content.decode()
    assert "Analyse the rest without it" in files_page and "Map its columns" in files_page
    url = f"/spend/{analysis.pk}/ledgers/{notes.pk}/leave-out/"
    answer = client.post(url, {"left_out": "yes"})
    assert answer.status_code == 302
    notes.refresh_from_db()
    assert notes.left_out and selectors.readiness(analysis) == []

    services.run_start(analysis, editor)
    run = AnalysisRun.objects.get(analysis=analysis)
    assert run.status == "done"
    assert [f["file"] for f in run.result["files"]] == ["april.csv", "may.xlsx"]
    dashboard = client.get(f"/spend/{analysis.pk}/dashboard/").content.decode()
    assert "Left out of the analysis" in dashboard and "notes.csv" in dashboard
    assert "Something has changed" not in dashboard

    # Included again: the run is blocked until it is mapped, and the figures are stale.
    client.post(url, {"left_out": "no"})
    notes.refresh_from_db()
    assert not notes.left_out and len(selectors.readiness(analysis)) == 1
    assert selectors.is_stale(analysis, run)


def test_viewers_cannot_leave_a_file_out_and_other_orgs_cannot_see_it(
        client, council, viewer, make_analysis, make_org, make_member):
    analysis = make_analysis(council)
    notes = unmappable(analysis)
    url = f"/spend/{analysis.pk}/ledgers/{notes.pk}/leave-out/"
    assert signed_in(client, viewer, council).post(url, {"left_out": "yes"}).status_code == 403
    other = make_org("Kirklees Council", kind="council")
    outsider = make_member("outsider@example.org", other, "editor")
    assert signed_in(client, outsider, other).post(url, {"left_out": "yes"}).status_code == 404
    notes.refresh_from_db()
    assert not notes.left_out
