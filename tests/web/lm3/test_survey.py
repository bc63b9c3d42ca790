"""The supplier's survey: from the e-mailed link, for that supplier only, until the project closes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from keepitlocal.web.lm3 import services
from keepitlocal.web.lm3.models import (
    SURVEY_PURPOSE,
    ResponseSource,
    Status,
    Supplier,
    SupplierResponse,
)
from keepitlocal.web.surveys.models import SurveyLink

from .conftest import survey_links

ANSWER = {"local_staff_percent": "40", "local_supplier_percent": "12.5", "respondent": "Sam"}


@pytest.fixture
def links(project, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(project, base_url="http://testserver")
    return survey_links(mailoutbox)


def test_invitations_go_to_suppliers_with_an_address_and_name_the_area(project, links, mailoutbox):
    assert set(links) == {"bakery@example.org", "print@example.org", "clean@example.org"}
    message = next(m for m in mailoutbox if m.to == ["print@example.org"])
    assert "Leeds Print Ltd" in message.body and "council area of Calderdale" in message.body
    assert "Halifax Bakery" not in message.body
    project.refresh_from_db()
    assert project.status == Status.SURVEYING
    assert Supplier.objects.filter(invited_at__isnull=False).count() == 3
    assert SurveyLink.objects.filter(group=project.survey_group).count() == 3


def test_a_supplier_answers_and_corrects_its_answer(client, project, links):
    url = links["bakery@example.org"]
    page = client.get(url).content.decode()
    assert "Halifax Bakery" in page and "council area of Calderdale" in page
    for other in ("Leeds Print", "Calder Cleaning", "National Energy", "12,000"):
        assert other not in page  # nothing about other suppliers, nor the organisation's spend
    response = client.post(url, {**ANSWER, "local_supplier_percent": "20"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Thank you" in page and 'value="20"' in page and 'value="40"' in page
    response = client.post(url, ANSWER)
    answer = SupplierResponse.objects.get()
    assert (answer.supplier.name, answer.local_staff_share, answer.local_supplier_share,
            answer.source) == ("Halifax Bakery", Decimal("0.4"), Decimal("0.125"), "survey")
    client.post(url, {**ANSWER, "local_staff_percent": "30"})
    answer.refresh_from_db()
    assert answer.local_staff_share == Decimal("0.3")
    assert SupplierResponse.objects.count() == 1


def test_shares_that_add_up_to_more_than_everything_are_refused(client, links):
    response = client.post(links["bakery@example.org"],
                           {"local_staff_percent": "80", "local_supplier_percent": "30"})
    assert response.status_code == 200
    assert "add up to 110" in response.content.decode()
    assert not SupplierResponse.objects.exists()


def test_a_link_answers_for_its_own_supplier_only(client, project, links):
    other = Supplier.objects.get(name="Leeds Print Ltd")
    client.post(links["bakery@example.org"], {**ANSWER, "supplier": other.pk, "id": other.pk,
                                              "pk": other.pk})
    assert list(SupplierResponse.objects.values_list("supplier__name", flat=True)) == [
        "Halifax Bakery"]


def test_tampered_expired_and_closed_links(client, project, links):
    url = links["bakery@example.org"]
    tampered = url[:-2] + ("x/" if url[-2] != "x" else "y/")
    assert client.get(tampered).status_code == 404
    assert client.get("/lm3/survey/" + "a" * 43 + "/").status_code == 404

    SurveyLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(url)
    assert response.status_code == 410 and b"This link has expired" in response.content
    assert client.post(url, ANSWER).status_code == 410
    assert not SupplierResponse.objects.exists()

    SurveyLink.objects.update(expires_at=timezone.now() + timedelta(days=1))
    client.post(url, ANSWER)
    services.lm3_project_close(project)
    response = client.post(url, {**ANSWER, "local_staff_percent": "1"})
    assert response.status_code == 410 and b"This survey is closed" in response.content
    assert SupplierResponse.objects.get().local_staff_share == Decimal("0.4")
    with pytest.raises(services.ProjectClosed):
        services.response_record(Supplier.objects.get(name="Leeds Print Ltd"),
                                 local_staff_share=Decimal("0.1"),
                                 local_supplier_share=Decimal("0.1"), source="phone")


def test_the_survey_form_needs_its_csrf_token(project, links):
    client = Client(enforce_csrf_checks=True)
    response = client.post(links["bakery@example.org"], ANSWER)
    assert response.status_code == 403
    assert not SupplierResponse.objects.exists()


def test_reminders_send_a_fresh_link_and_the_first_one_still_works(
    client, admin, project, links, mailoutbox, django_capture_on_commit_callbacks
):
    first = links["print@example.org"]
    client.post(links["bakery@example.org"], ANSWER)
    client.force_login(admin)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lm3:remind_all", args=[project.pk]))
    assert sorted(m.to[0] for m in mailoutbox) == ["clean@example.org", "print@example.org"]
    assert all(m.subject.startswith("Reminder:") for m in mailoutbox)
    second = survey_links(mailoutbox)["print@example.org"]
    assert second != first
    client.logout()
    assert client.get(first).status_code == 200 and client.get(second).status_code == 200
    assert Supplier.objects.get(name="Leeds Print Ltd").reminders == 1


def test_a_response_by_phone_is_entered_by_the_organisation_and_marked(client, admin, project):
    client.force_login(admin)
    supplier = Supplier.objects.get(name="National Energy plc")  # no e-mail address
    url = reverse("lm3:supplier_response", args=[project.pk, supplier.pk])
    response = client.post(url, {"source": "paper", "local_staff_percent": "5",
                                 "local_supplier_percent": "2", "note": "Posted back"})
    assert response.status_code == 302
    answer = SupplierResponse.objects.get(supplier=supplier)
    assert answer.source == ResponseSource.PAPER and answer.entered_by == admin
    page = client.get(reverse("lm3:supplier", args=[project.pk, supplier.pk])).content.decode()
    assert "On paper" in page and "Posted back" in page


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
def test_invitations_are_queued_in_batches_not_one_task_each(
    project, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(services, "EMAIL_BATCH", 2)
    for n in range(7):
        services.supplier_save(project, name=f"Extra {n}", spend=Decimal(10),
                               email=f"extra{n}@example.org", local=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(project, base_url="http://testserver") == 10
    assert DBTaskResult.objects.count() == 5  # 10 suppliers, 2 per task
    assert mailoutbox == []
    call_command("db_worker", "--batch", verbosity=0)
    assert len(mailoutbox) == 10
    assert not Supplier.objects.filter(invited_at__isnull=True).exclude(email="").exists()


def test_progress_and_its_json_follow_the_answers(client, admin, project, links):
    client.post(links["bakery@example.org"], ANSWER)
    client.force_login(admin)
    bakery = Supplier.objects.get(name="Halifax Bakery")
    data = client.get(reverse("lm3:progress_json", args=[project.pk]),
                      {"shown": f"{bakery.pk},999999"}).json()
    assert data["responded"] == 1 and data["suppliers"] == 4 and data["invited"] == 3
    assert data["answered"] == [bakery.pk]
    assert data["share"] == "0.2667" and data["confidence"] == "amber"  # 12,000 of 45,000
    engine = services.lm3_result_compute(project)
    assert engine.confidence == data["confidence"]
    assert f"{engine.supplier_value_responded_share:.4f}" == data["share"]
    page = client.get(reverse("lm3:progress", args=[project.pk])).content.decode()
    assert 'aria-live="polite"' in page and "<meter" in page and "26.7%" in page


def test_survey_emails_come_from_the_organisation_with_its_contact_to_reply_to(
    project, admin, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_FROM = "surveys@keepitlocal.example"
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(project, base_url="http://testserver")
    message = mailoutbox[0]
    assert message.from_email == \
        "Calder Valley Community Trust via keepitlocal <surveys@keepitlocal.example>"
    assert message.reply_to == [admin.email]
    (html, kind), = message.alternatives
    assert kind == "text/html" and '<a href="http://testserver/lm3/survey/' in html
    assert "http://testserver/lm3/survey/" in message.body  # and the plain-text part


def test_the_closed_survey_page_gives_the_organisations_contact(client, project, admin, links):
    url = links["bakery@example.org"]
    services.lm3_project_close(project)
    response = client.post(url, ANSWER)
    page = response.content.decode()
    assert response.status_code == 410
    assert f'href="mailto:{admin.email}"' in page and admin.full_name in page
    SurveyLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert f'href="mailto:{admin.email}"' in client.get(url).content.decode()


def test_percentages_with_a_percent_sign_are_accepted(client, project, links):
    url = links["bakery@example.org"]
    response = client.post(url, {**ANSWER, "local_staff_percent": "33.5%"})
    assert response.status_code in (200, 302)
    assert SupplierResponse.objects.get().local_staff_share == Decimal("0.335")


def test_the_survey_page_and_its_answer_take_few_queries(client, links, django_assert_num_queries):
    """Under load every query counts: the link by token hash with its supplier, project,
    organisation and answer, in one query; the answer adds one upsert that records the link's last
    use too (on SQLite, which has no writing WITH clause, a second statement in the same
    transaction)."""
    url = links["bakery@example.org"]
    writes = 1 if connection.vendor == "postgresql" else 2
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
    link = SurveyLink.objects.get(purpose=SURVEY_PURPOSE,
                                  target_id=Supplier.objects.get(name="Halifax Bakery").pk)
    assert link.last_used_at is None
    with django_assert_num_queries(1 + writes):
        assert client.post(url, ANSWER).status_code == 302
    first = SupplierResponse.objects.get()
    link.refresh_from_db()
    assert link.last_used_at is not None
    assert abs(link.last_used_at - first.updated_at) < timedelta(seconds=5)
    used = link.last_used_at
    with django_assert_num_queries(1 + writes):  # a correction: the same single upsert
        assert client.post(url, {**ANSWER, "local_staff_percent": "30"}).status_code == 302
    corrected = SupplierResponse.objects.get()
    assert corrected.local_staff_share == Decimal("0.3")
    assert (corrected.pk, corrected.received_at) == (first.pk, first.received_at)
    assert corrected.updated_at > first.updated_at
    link.refresh_from_db()
    assert link.last_used_at > used
